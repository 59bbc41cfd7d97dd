"""Package metadata a package index shows: project URLs, supported Pythons, and a README
that tells the truth about installing."""

from __future__ import annotations

import re
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, from PyPI (the test extra)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# The placeholder repository (the project has no public host yet); one address everywhere.
REPO_URL = "https://github.com/purecloud-internal-message/purecloud-internal-message"
# The Pythons CI runs the tests on.
SUPPORTED = ["3.10", "3.11", "3.12", "3.13"]

CODE_BLOCK = re.compile(r"^```[a-z]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def test_project_urls() -> None:
    urls = PROJECT["urls"]
    assert set(urls) == {"Documentation", "Source", "Changelog", "Issues"}
    assert urls["Source"] == REPO_URL
    assert urls["Issues"] == f"{REPO_URL}/issues"
    for name in ("Documentation", "Changelog"):
        prefix = f"{REPO_URL}/blob/main/"
        assert urls[name].startswith(prefix), name
        assert (ROOT / urls[name].removeprefix(prefix)).is_file(), name


def test_site_names_the_same_repository() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"repo_url: {REPO_URL}\n" in config


def test_ci_runs_exactly_the_supported_pythons() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    declared = re.search(r"^PYTHONS=\((.*)\)$", script, re.MULTILINE)
    assert declared is not None
    assert declared.group(1).split() == SUPPORTED


def test_python_version_classifiers_match_what_is_tested() -> None:
    classifiers = PROJECT["classifiers"]
    versions = [
        c.rsplit(" :: ", 1)[1]
        for c in classifiers
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert versions == SUPPORTED
    assert PROJECT["requires-python"] == f">={SUPPORTED[0]}"
    assert "Programming Language :: Python :: 3 :: Only" in classifiers
    # The license is an SPDX expression (PEP 639); a license classifier beside it is an
    # error for current build backends.
    assert PROJECT["license"] == "MIT"
    assert not [c for c in classifiers if c.startswith("License ::")]


def _install_section() -> str:
    return README.split("## Install", 1)[1].split("\n## ", 1)[0]


def test_readme_install_section_is_honest() -> None:
    section = _install_section()
    assert "not on PyPI yet" in section
    commands = [
        line.strip() for block in CODE_BLOCK.findall(section) for line in block.splitlines()
    ]
    # Not offered as a command while it cannot work.
    assert not [c for c in commands if re.fullmatch(r"(python -m )?pip install purecloud.*", c)]
    assert "python -m pip install ." in commands
    wheel_name = re.sub(r"[-_.]+", "_", PROJECT["name"]).lower()
    assert "python -m pip wheel --no-deps --wheel-dir dist ." in commands
    assert f"python -m pip install dist/{wheel_name}-*.whl" in commands


def test_readme_has_no_relative_links() -> None:
    # Relative links and images break on a package index; test_guide.py checks the
    # links into the repository name real files.
    assert not re.findall(r"\]\((?!https://)[^)]+\)", README)
    assert not re.findall(r"<img[^>]+src=\"(?!https://)", README)
