"""The guide and README stay true: their Python examples run, their links resolve,
and every page is in the site's navigation (the built site: test_site.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
# The project's repository (a placeholder host until it is published: see pyproject.toml).
REPO_URL = "https://github.com/purecloud-internal-message/purecloud-internal-message"
REPO_FILES = REPO_URL + "/blob/main/"


def python_blocks() -> list[tuple[str, str]]:
    return [
        (f"{page.relative_to(ROOT)}#{number}", block)
        for page in PAGES
        for number, block in enumerate(PYTHON_BLOCK.findall(page.read_text()), 1)
    ]


@pytest.mark.parametrize(("where", "code"), python_blocks(), ids=lambda value: value[:40])
def test_python_examples_run(where: str, code: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0, f"{where} failed:\n{result.stderr}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_relative_links_resolve(page: Path) -> None:
    for target in LINK.findall(page.read_text()):
        if "://" in target:
            continue
        assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_readme_links_are_absolute_and_resolve() -> None:
    # A package index shows the README without the repository around it, where a
    # relative link leads nowhere. Links into the repository name a file that exists.
    links = LINK.findall((ROOT / "README.md").read_text())
    assert links
    for target in links:
        assert target.startswith("https://"), f"README links to {target!r}: make it absolute"
        if target.startswith(REPO_FILES):
            path = target.removeprefix(REPO_FILES)
            assert (ROOT / path).is_file(), f"README links to {target}, but {path} is missing"


def test_every_page_is_in_the_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in DOCS.glob("*.md"):
        assert f": {page.name}" in nav, f"docs/{page.name} is not in mkdocs.yml's nav"


def test_readme_links_the_guide() -> None:
    readme = (ROOT / "README.md").read_text()
    for page in ("index", "decoding", "wire-form", "sdk-differences", "cli", "performance"):
        assert f"docs/{page}.md" in readme


def test_cli_page_shows_the_real_help() -> None:
    # The page documents the options; the parser is the source of truth for them.
    from purecloud_internal_message.cli import build_parser

    page = (DOCS / "cli.md").read_text()
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, command in commands.items():
        assert f"purecloud-internal-message {name}" in page
        for action in command._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in page, f"cli.md does not mention {name} {option}"
