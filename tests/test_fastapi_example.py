"""examples/fastapi_app.py: a FastAPI route that takes and returns InternalMessage directly.

The route is tested through FastAPI's test client; then the example is started as its
docstring says (`python examples/fastapi_app.py`, on a free port), answers over HTTP,
and serves its Swagger UI page with every asset from itself: a browser shows the page
without a single request leaving the machine.
"""

from __future__ import annotations

import importlib.util
import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from browser import chromium, leaves_the_machine, requested_urls
from purecloud_internal_message import InternalMessage

ROOT = Path(__file__).resolve().parents[1]
MESSAGE: dict[str, Any] = json.loads((ROOT / "examples" / "conversation.json").read_text())[
    "participants"
][0]["internalMessages"][0]


@pytest.fixture(scope="module")
def client() -> TestClient:
    spec = importlib.util.spec_from_file_location(
        "fastapi_app", ROOT / "examples" / "fastapi_app.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return TestClient(module.app)


def test_the_route_takes_a_message_and_answers_in_the_api_form(client: TestClient) -> None:
    connected = {**MESSAGE, "state": "connected", "disconnectType": None}
    connected.pop("disconnectedTime", None)
    response = client.post("/messages/close", json=connected)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["state"] == "disconnected"
    assert answer["disconnectType"] == "client"
    assert datetime.fromisoformat(answer["disconnectedTime"].replace("Z", "+00:00"))
    # Everything else comes back as it was sent, the fields the models do not know included.
    for key, value in connected.items():
        if key not in ("state", "disconnectType"):
            assert answer[key] == value
    assert answer == InternalMessage.from_dict(answer).to_api_dict()


def test_the_route_takes_the_sdk_form_too(client: TestClient) -> None:
    message = InternalMessage.from_dict(MESSAGE)
    response = client.post(
        "/messages/close",
        content=message.to_json(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == message.to_api_dict()  # already disconnected: as it came


def test_a_bad_message_is_a_422_naming_every_problem_by_its_path(client: TestClient) -> None:
    bad = {**MESSAGE, "messages": [{}, {}, {"messageTime": "May 1"}], "toAddress": "Bob"}
    response = client.post("/messages/close", json=bad)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [(item["loc"], item["input"]) for item in detail] == [
        (["body", "toAddress"], "Bob"),
        (["body", "messages", 2, "messageTime"], "May 1"),
    ]
    assert detail[0]["msg"] == "expected an object (Address), got string 'Bob'"


def test_openapi_documents_the_message_with_the_packages_schema(client: TestClient) -> None:
    openapi = client.get("/openapi.json").json()
    operation = openapi["paths"]["/messages/close"]["post"]
    reference = {"$ref": "#/components/schemas/InternalMessage"}
    assert operation["requestBody"]["content"]["application/json"]["schema"] == reference
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == reference
    schemas = openapi["components"]["schemas"]
    own = InternalMessage.json_schema()
    for name in ("InternalMessage", *own["$defs"]):
        expected = own if name == "InternalMessage" else own["$defs"][name]
        assert schemas[name]["properties"].keys() == expected["properties"].keys()
        assert schemas[name]["description"] == expected["description"]
    assert schemas["InternalMessage"]["properties"]["toAddress"]["anyOf"][0] == {
        "$ref": "#/components/schemas/Address"
    }


# -- the example as its docstring starts it ---------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """`python examples/fastapi_app.py --port N` from the root of the checkout; its URL."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "examples/fastapi_app.py", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/openapi.json", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    output = process.communicate()[0]
                    pytest.fail(f"the example did not start:\n{output}")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_docstring_says_how_to_start_it() -> None:
    doc = (ROOT / "examples" / "fastapi_app.py").read_text(encoding="utf-8")
    assert 'python -m pip install -e ".[fastapi]"' in doc
    assert "python examples/fastapi_app.py" in doc
    assert "`--port`" in doc


def test_the_running_example_answers(server: str) -> None:
    response = httpx.post(f"{server}/messages/close", json={**MESSAGE, "state": "connected"})
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "disconnected"
    bad = httpx.post(f"{server}/messages/close", json={"toAddress": "Bob"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "toAddress"]


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def test_swagger_ui_comes_from_the_app_itself(server: str) -> None:
    page = httpx.get(f"{server}/docs")
    assert page.status_code == 200
    parser = _Assets()
    parser.feed(page.text)
    scripts = [url for url in parser.urls if url.endswith(".js")]
    assert scripts and [url for url in parser.urls if url.endswith(".css")]
    for url in parser.urls:
        absolute = urljoin(f"{server}/docs", url)
        assert urlsplit(absolute).netloc == urlsplit(server).netloc, url
        asset = httpx.get(absolute)
        assert asset.status_code == 200 and asset.content, url
    bundle = httpx.get(urljoin(server, scripts[0])).text
    assert "SwaggerUIBundle" in bundle
    # Swagger UI 5 or newer: older ones cannot show an OpenAPI 3.1 document.
    assert httpx.get(f"{server}/openapi.json").json()["openapi"].startswith("3.1")
    (major,) = re.findall(r'PACKAGE_VERSION:"(\d+)\.\d+\.\d+"', bundle)
    assert int(major) >= 5
    assert httpx.get(f"{server}/redoc").status_code == 404  # switched off: it loads a CDN logo


def test_swagger_ui_shows_the_route_with_nothing_from_the_network(server: str) -> None:
    with chromium() as browser:
        browser.get(f"{server}/docs")
        deadline = time.monotonic() + 30
        text = ""
        while "/messages/close" not in text and time.monotonic() < deadline:
            time.sleep(0.25)
            text = browser.find_element("css selector", "#swagger-ui").text
        assert "/messages/close" in text
        assert "InternalMessage" in text  # the schemas section
        urls = requested_urls(browser)
    assert f"{server}/openapi.json" in urls
    assert not [url for url in urls if leaves_the_machine(url)]
