"""examples/fastapi_app.py: a FastAPI route that takes and returns InternalMessage directly."""

from __future__ import annotations

import importlib.util
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

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
