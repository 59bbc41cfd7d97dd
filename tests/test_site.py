"""The documentation site: it builds strictly, it can be read from the file system without a
network (links to files, local assets, search from a script), and its API reference
shows every model's fields and JSON keys with no raw Sphinx roles.

Everything a browser would do is checked as far as the files allow; then headless
Chromium (tests/browser.py: Debian's chromium and chromium-driver) opens the pages from
file:// in a 1280 px window: no table needs a sideways scroll, no request leaves the
machine, 404.html works, and search answers with the page that defines a term first.
Without chromium those tests skip; where CI installs everything, they must run.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

import purecloud_internal_message as pim
from browser import chromium, leaves_the_machine, requested_urls
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
    # 404.html included: its links are relative to the site's root, where it is
    # (scripts/mkdocs_hooks.py), so that it works from the file system too.
    return sorted(site.rglob("*.html"))


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
    assert "loc tuple[str | int, ...] Where the problem is" in text
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


def test_the_header_does_not_ask_github_for_stars(site: Path) -> None:
    # The theme fetches a repository's stars and forks from GitHub's API for the element
    # marked data-md-component="source"; our partial (overrides/) keeps the link only.
    for page in _pages(site):
        assert 'data-md-component="source"' not in page.read_text(encoding="utf-8"), page


def test_404_links_are_relative(site: Path) -> None:
    source = (site / "404.html").read_text(encoding="utf-8")
    refs = _parse(site / "404.html").refs
    assert refs
    assert not [url for _, _, url in refs if url.startswith("/")]
    config = json.loads(re.search(r'id="__config"[^>]*>(.*?)</script>', source, re.S)[1])
    assert config["base"] == "."
    assert (site / config["search"]).is_file()


# -- in a browser ------------------------------------------------------------------------

#: Pages whose tables do not fit yet: performance.md's tables (up to ten columns)
#: belong to the benchmarks' page, which is being rewritten for readers.
TABLES_TOO_WIDE = {"performance.html"}

#: A term, and the page that defines it: search shows that page first.
DEFINED_ON = {
    "ValidationError": "decoding.html",
    "timestamp": "timestamps.html",
    "strict": "decoding.html",
    "fuzz": "fuzzing.html",
}


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[Any]:
    with chromium() as driver:
        yield driver


def _open(browser: Any, page: Path) -> None:
    browser.get(page.as_uri())
    deadline = time.monotonic() + 10
    while browser.execute_script("return document.readyState") != "complete":
        assert time.monotonic() < deadline, page
        time.sleep(0.05)


#: Each table's scrolling box: how much wider its content is than the box.
_OVERFLOW = """
return [...document.querySelectorAll('article .md-typeset__scrollwrap, article table')]
  .map(box => [box.tagName, box.scrollWidth - box.clientWidth,
               (box.querySelector('tr') || box).textContent.trim().slice(0, 60)])
  .filter(([tag, excess]) => excess > 1);
"""


def test_tables_fit_a_1280_px_window(site: Path, browser: Any) -> None:
    too_wide = {}
    for page in _pages(site):
        if page.name in TABLES_TOO_WIDE:
            continue
        _open(browser, page)
        overflowing = browser.execute_script(_OVERFLOW)
        if overflowing:
            too_wide[page.name] = overflowing
        width = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert width <= 0, f"{page.name} scrolls sideways by {width} px"
    assert not too_wide, too_wide


def test_no_request_leaves_the_machine(site: Path, browser: Any) -> None:
    requested_urls(browser)  # forget earlier pages
    seen = []
    for page in _pages(site):
        _open(browser, page)
        time.sleep(0.2)  # the theme's scripts start their requests after the load
        seen += requested_urls(browser)
    assert len(seen) > len(_pages(site))  # pages, and their scripts and styles
    assert not [url for url in seen if leaves_the_machine(url)]


def test_404_works_from_the_file_system(site: Path, browser: Any) -> None:
    _open(browser, site / "404.html")
    # The theme's stylesheet applies (a sticky header) and its script ran.
    position = browser.execute_script(
        "return getComputedStyle(document.querySelector('.md-header')).position"
    )
    assert position == "sticky"
    assert browser.execute_script("return typeof document$ !== 'undefined'")
    links = browser.execute_script(
        "return [...document.querySelectorAll('a[href]')].map(a => a.href)"
    )
    local = [url for url in links if url.startswith("file://")]
    assert len(local) > 10
    for url in local:
        assert Path(unquote(urlsplit(url).path)).is_file(), url


def _search(browser: Any, site: Path, term: str) -> list[str]:
    """The result pages, in order, for `term` typed into the site's search."""
    browser.get((site / "index.html").as_uri() + "?q=" + term)
    deadline = time.monotonic() + 30
    found: list[str] = []
    while not found and time.monotonic() < deadline:
        time.sleep(0.25)
        found = browser.execute_script(
            "return [...document.querySelectorAll("
            "'.md-search-result__item > .md-search-result__link')].map(a => a.href)"
        )
    # Relative to the site: "decoding.html#errors-validationerror".
    return [url.removeprefix(site.as_uri() + "/") for url in found]


def test_search_answers_from_the_file_system(site: Path, browser: Any) -> None:
    results = _search(browser, site, "connectedTime")
    assert "reference.html#purecloud_internal_message.InternalMessage.connected_time" in results


@pytest.mark.parametrize(("term", "page"), DEFINED_ON.items())
def test_search_shows_the_page_that_defines_a_term_first(
    site: Path, browser: Any, term: str, page: str
) -> None:
    results = _search(browser, site, term)
    assert results and results[0].split("#")[0] == page, results[:6]
