"""The documentation site: it builds strictly, it can be read from the file system without a
network (links to files, local assets, search from a script), and its API reference
shows every model's fields and JSON keys with no raw Sphinx roles.

Everything a browser would do is checked as far as the files allow. The one check that
needs a browser (search answering from file://) runs only when asked for, with
PURECLOUD_DOCS_BROWSER=1 and chromium installed; CI does not.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import purecloud_internal_message as pim
from tools import tool_or_skip

ROOT = Path(__file__).resolve().parents[1]
MODELS = [pim.InternalMessage, pim.Segment, pim.Address, pim.InternalMessageDetails]
REPO_URL = "https://github.com/purecloud-internal-message/purecloud-internal-message"
SPHINX_ROLE = re.compile(r":(?:py:)?(?:meth|class|func|attr|mod|data|exc|obj|ref|const):")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The interpreter's own scripts first: CI runs each venv's python without
    # activating it, so PATH alone would miss (and silently skip) them.
    mkdocs = tool_or_skip("mkdocs", "mkdocs is not installed (docs extra)")
    site_dir = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [mkdocs, "build", "--strict", "--site-dir", str(site_dir)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(mkdocs).parent)},
    )
    assert result.returncode == 0, result.stderr
    return site_dir


class _Links(HTMLParser):
    """Every URL a page refers to, by tag and attribute, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.nav: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("href", "src"):
            if name in values:
                self.refs.append((tag, name, values[name]))
        if tag == "a" and "md-nav__link" in values.get("class", "") and "href" in values:
            self.nav.append(values["href"])
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _pages(site: Path) -> list[Path]:
    # 404.html is for a web server, which serves it at any depth: its links are
    # absolute on purpose, and a reader on the file system never sees it.
    return sorted(page for page in site.rglob("*.html") if page.name != "404.html")


def _text(page: Path) -> str:
    """The page's visible text, whitespace collapsed."""
    return " ".join(html.unescape("".join(_parse(page).text)).split())


def _local_target(page: Path, url: str) -> Path | None:
    """The file a relative URL opens from `page` on the file system (None if external)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "data:")):
        return None
    if not parts.path:
        return None
    return (page.parent / unquote(parts.path)).resolve()


def test_every_local_link_opens_a_file(site: Path) -> None:
    # From the file system a link to a folder shows a listing: every link, in the
    # navigation and in the pages, must name a file that is there.
    broken = []
    for page in _pages(site):
        for tag, attribute, url in _parse(page).refs:
            target = _local_target(page, url)
            if target is None:
                continue
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: <{tag} {attribute}={url!r}>")
    assert not broken, "\n".join(broken)


def test_navigation_links_are_html_files(site: Path) -> None:
    nav_pages = {
        line.split(": ", 1)[1].strip()
        for line in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
        if re.match(r"^\s+- [^:]+: \S+\.md$", line) or re.match(r"^  - [^:]+: \S+\.md$", line)
    }
    index = site / "index.html"
    links = _parse(index).nav
    assert links, "no navigation links found"
    targets = set()
    for url in links:
        path = urlsplit(url).path
        if not path:
            continue
        assert path.endswith(".html"), f"navigation link {url!r} is not a file"
        targets.add(path)
    for md in nav_pages:
        assert md.replace(".md", ".html") in targets or md == "index.md", md


def test_pages_load_nothing_from_the_network(site: Path) -> None:
    # Scripts, stylesheets, fonts and images come with the site; only plain links
    # (to the repository, to other sites) may leave it.
    for page in _pages(site):
        for tag, attribute, url in _parse(page).refs:
            if tag == "a":
                continue
            assert _local_target(page, url) is not None, (
                f"{page.relative_to(site)} loads <{tag} {attribute}={url!r}>"
            )
        assert "fonts.googleapis.com" not in page.read_text(encoding="utf-8")
    for asset in site.rglob("*.js"):
        if asset.name.endswith(".min.js"):
            continue  # the theme's bundle mentions URLs it never loads offline
        assert "unpkg.com" not in asset.read_text(encoding="utf-8"), asset


def test_search_works_without_a_server(site: Path) -> None:
    # Material reads search/search_index.js on file:// pages (fetch is refused there),
    # and runs its search worker through our shim, loaded before the theme's bundle.
    script = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    prefix = "var __index = "
    assert script.startswith(prefix)
    index = json.loads(script[len(prefix) :])
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {"reference.html", "InternalMessage.html", "changelog.html"} <= locations
    assert any("connectedTime" in doc["text"] for doc in index["docs"])
    for page in _pages(site):
        source = page.read_text(encoding="utf-8")
        if 'id="__config"' not in source:
            continue
        shim = re.search(r'<script src="([^"]*iframe-worker\.js)"', source)
        bundle = re.search(r'<script src="([^"]*assets/javascripts/bundle\.[^"]+\.js)"', source)
        assert shim and bundle, page
        assert shim.start() < bundle.start(), f"{page}: the shim must load before the bundle"
        assert (page.parent / shim.group(1)).is_file()
        config = json.loads(re.search(r'id="__config"[^>]*>(.*?)</script>', source, re.S)[1])
        assert (page.parent / config["search"]).is_file()


def test_worker_shim_only_acts_on_file_pages() -> None:
    shim = (ROOT / "docs" / "javascripts" / "iframe-worker.js").read_text(encoding="utf-8")
    assert 'window.location.protocol !== "file:"' in shim
    assert "window.Worker = FrameWorker" in shim


def _reference_sections(site: Path) -> dict[str, str]:
    """The reference's text, split at each model's heading."""
    text = _text(site / "reference.html")
    sections = {}
    names = [model.__name__ for model in MODELS]
    for position, name in enumerate(names):
        start = text.index(f"{name}(")  # the signature that opens its entry
        end = text.index(f"{names[position + 1]}(") if position + 1 < len(names) else len(text)
        sections[name] = text[start:end]
    return sections


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_reference_lists_each_field_with_its_json_key(site: Path, model: type[pim.Model]) -> None:
    section = _reference_sections(site)[model.__name__]
    for spec in pim.fields(model):
        assert f"{spec.name}: {spec.swagger_type} | None = None" in section  # the signature
        assert f"{spec.name}: {spec.swagger_type} | None" in section  # the field's entry
        assert f"JSON key: {spec.key}" in section
        assert " ".join(spec.doc.split()) in section
        for value in spec.enum or ():
            assert value in section


def test_reference_has_no_internals(site: Path) -> None:
    text = _text(site / "reference.html")
    assert "_InstanceState" not in text
    assert "FieldSpec(name" not in text and "FieldDeclaration" not in text
    assert "= field(" not in text
    assert "_IMPLEMENTATION" not in text
    assert "InternalMessage(**kwargs)" not in text


def test_reference_documents_errors_constants_and_aliases(site: Path) -> None:
    source = (site / "reference.html").read_text(encoding="utf-8")
    text = _text(site / "reference.html")
    for anchor in (
        "purecloud_internal_message.enums.INTERNAL_MESSAGE_STATES",
        "purecloud_internal_message.enums.INTERNAL_MESSAGE_DISCONNECT_TYPES",
        "purecloud_internal_message.enums.InternalMessageState",
        "purecloud_internal_message.enums.InternalMessageDisconnectType",
        "purecloud_internal_message.ValidationError",
        "purecloud_internal_message.ErrorItem",
        "purecloud_internal_message.Model.from_dict",
        "purecloud_internal_message.InternalMessage.connected_time",
    ):
        assert f'id="{anchor}"' in source, anchor
    assert "errors list[ErrorItem] Every problem found" in text
    assert "path str Where the problem is" in text
    assert "message str What was expected" in text
    assert 'Literal[ "alerting", "connected", "disconnected" ]' in text or (
        'Literal["alerting", "connected", "disconnected"]' in text
    )


def test_no_raw_sphinx_roles_on_any_page(site: Path) -> None:
    found = [
        f"{page.relative_to(site)}: {match.group()}"
        for page in _pages(site)
        for match in SPHINX_ROLE.finditer(_text(page))
    ]
    assert not found, found


def test_model_pages_show_json_keys_and_an_example(site: Path) -> None:
    for model in MODELS:
        page = site / f"{model.__name__}.html"
        text = _text(page)
        for spec in pim.fields(model):
            assert spec.key in text
        source = page.read_text(encoding="utf-8")
        assert '<div class="highlight"' in source[source.index('id="example"') :]
        assert '"connectedTime"' in text if model is pim.InternalMessage else True


def test_changelog_page_is_the_changelog(site: Path) -> None:
    text = _text(site / "changelog.html")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = [line.lstrip("#").strip() for line in changelog.splitlines() if line.startswith("#")]
    assert len(headings) > 2
    for heading in headings:
        assert heading in text, heading
    assert "--8<--" not in text


def test_repository_link(site: Path) -> None:
    assert f'href="{REPO_URL}"' in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.skipif(
    not os.environ.get("PURECLOUD_DOCS_BROWSER"),
    reason="browser check: set PURECLOUD_DOCS_BROWSER=1 (needs chromium)",
)
def test_search_answers_from_the_file_system_in_a_browser(site: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed")
    url = (site / "index.html").as_uri() + "?q=connectedTime"
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=15000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "md-search-result__item" in result.stdout
    assert "reference.html#purecloud_internal_message.InternalMessage.connected_time" in (
        result.stdout
    )
