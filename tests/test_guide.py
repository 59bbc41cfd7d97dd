"""The guide and README hold together: their links resolve, every page is in the site's
navigation (the built site: test_site.py), and the command line's page names every option.
Their Python examples run in test_doc_examples.py, their shell sessions in
test_doc_sessions.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
# The project's repository (a placeholder host until it is published: see pyproject.toml).
REPO_URL = "https://github.com/purecloud-internal-message/purecloud-internal-message"
REPO_FILES = REPO_URL + "/blob/main/"


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
