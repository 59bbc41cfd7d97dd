"""Model.json_schema(): a valid draft 2020-12 schema that agrees with from_dict."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from purecloud_internal_message import (
    Address,
    InternalMessage,
    InternalMessageDetails,
    Model,
    Segment,
    ValidationError,
    fields,
)
from purecloud_internal_message._schema import enum_pattern
from strategies import api_payloads, examples

MODELS = [InternalMessage, Segment, Address, InternalMessageDetails]


def validator(model: type[Model], *, strict: bool) -> Draft202012Validator:
    return Draft202012Validator(
        model.json_schema(strict=strict), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def decodes(model: type[Model], payload: Any, *, strict: bool) -> bool:
    try:
        model.from_dict(payload, strict=strict)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("model", MODELS)
def test_schema_is_valid_draft_2020_12(model: type[Model], strict: bool) -> None:
    schema = model.json_schema(strict=strict)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == model.__name__
    json.dumps(schema)  # plain JSON data, ready to publish


def test_schema_lists_every_field_by_its_api_key_with_its_description() -> None:
    schema = InternalMessage.json_schema()
    for model in MODELS:
        node = schema if model is InternalMessage else schema["$defs"][model.__name__]
        assert list(node["properties"]) == [spec.key for spec in fields(model)]
        for spec in fields(model):
            assert node["properties"][spec.key]["description"] == spec.doc


def test_models_are_described_by_their_docstring_summary() -> None:
    schema = InternalMessage.json_schema()
    assert schema["description"] == (
        "An internal-message communication: one entry of a conversation participant's"
        " `internalMessages`."
    )
    assert schema["$defs"]["Segment"]["description"] == Segment.json_schema()["description"]
    assert all(node["description"] for node in schema["$defs"].values())


def test_nested_models_are_refs_into_defs() -> None:
    schema = InternalMessage.json_schema()
    assert set(schema["$defs"]) == {"Segment", "Address", "InternalMessageDetails"}
    properties = schema["properties"]
    assert properties["segments"]["items"] == {"$ref": "#/$defs/Segment"}
    assert {"$ref": "#/$defs/Address"} in properties["toAddress"]["anyOf"]
    assert properties["messages"]["items"] == {"$ref": "#/$defs/InternalMessageDetails"}
    assert properties["connectedTime"]["format"] == "date-time"
    assert "$defs" not in Address.json_schema()  # a leaf model has nothing to define


def test_strict_schema_refuses_unknown_properties_and_the_lenient_one_allows_them() -> None:
    assert InternalMessage.json_schema()["additionalProperties"] is True
    strict = InternalMessage.json_schema(strict=True)
    assert strict["additionalProperties"] is False
    assert all(node["additionalProperties"] is False for node in strict["$defs"].values())


def test_each_call_returns_a_new_schema() -> None:
    schema = InternalMessage.json_schema()
    pristine = copy.deepcopy(schema)
    schema["properties"].clear()
    assert InternalMessage.json_schema() == pristine


@settings(max_examples=examples(150))
@given(api_payloads())
def test_every_payload_the_api_sends_is_schema_valid(payload: dict[str, Any]) -> None:
    validator(InternalMessage, strict=False).validate(payload)


@settings(max_examples=examples(200))
@given(api_payloads(unknown=False) | api_payloads())
def test_strict_schema_agrees_with_strict_decoding(payload: dict[str, Any]) -> None:
    schema_valid = validator(InternalMessage, strict=True).is_valid(payload)
    assert schema_valid == decodes(InternalMessage, payload, strict=True)


MALFORMED: list[tuple[str, Any]] = [
    ("segments", [None]),
    ("segments", {"type": "x"}),
    ("segments", [{"startTime": 5}]),
    ("segments", [{"startTime": "May 1"}]),
    ("connectedTime", 1714566896),
    ("connectedTime", "yesterday"),
    ("toAddress", "Bob"),
    ("toAddress", [{"name": "Bob"}]),
    ("fromAddress", {"nameRaw": 7}),
    ("messages", [{"messageTime": True}]),
    ("messages", [[]]),
    ("state", 5),
    ("state", ["connected"]),
    ("id", {"id": "x"}),
]


@pytest.mark.parametrize(("key", "value"), MALFORMED)
def test_malformed_payloads_fail_both_the_schema_and_the_decoder(key: str, value: Any) -> None:
    payload = {"id": "c-1", key: value}
    for strict in (False, True):
        assert not validator(InternalMessage, strict=strict).is_valid(payload)
        assert not decodes(InternalMessage, payload, strict=strict)


REAL_SHAPED = {
    "state": "disconnected",
    "initialState": "Alerting",
    "id": "b3c5e0b1-3f7e-4f35-9a63-3a8d0f6f1f11",
    "segments": [
        {
            "startTime": "2024-05-01T12:34:56.789Z",
            "endTime": "2024-05-01T12:40:01.002Z",
            "type": "Interact",
            "howEnded": "Disconnect",
            "disconnectType": "Client",
        }
    ],
    "disconnectType": "peer",
    "connectedTime": "2024-05-01T12:34:56.789Z",
    "disconnectedTime": "2024-05-01T12:40:01.002Z",
    "provider": "PureCloud",
    "peerId": "0d2c4b3a-1e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "targetUserId": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
    "sourceUserId": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    "toAddress": {"name": "Bob Smith", "nameRaw": "Bob Smith", "addressNormalized": "bob"},
    "fromAddress": {"name": "Ann Jones"},
    "messages": [
        {"messageId": "m-1", "messageTime": "2024-05-01T12:35:00.000Z"},
        {"messageId": "m-2", "messageTime": "2024-05-01T12:36:10.250Z"},
    ],
}


def test_a_real_shaped_payload_passes_both_schemas() -> None:
    for strict in (False, True):
        validator(InternalMessage, strict=strict).validate(REAL_SHAPED)


def test_strict_schema_refuses_unknown_enum_values_and_keys_at_any_depth() -> None:
    strict = validator(InternalMessage, strict=True)
    lenient = validator(InternalMessage, strict=False)
    for payload in (
        {**REAL_SHAPED, "state": "parked"},
        {**REAL_SHAPED, "state": "connected\n"},
        {**REAL_SHAPED, "queueMediaSettings": {}},
        {**REAL_SHAPED, "toAddress": {"name": "Bob", "extension": "42"}},
    ):
        assert not strict.is_valid(payload)
        assert lenient.is_valid(payload)


@given(st.text(max_size=12) | st.sampled_from(["alerting", "ALERTING", "Alerting", "alertin"]))
def test_enum_pattern_matches_exactly_the_case_insensitive_values(value: str) -> None:
    pattern = re.compile(enum_pattern(("alerting", "connected")))
    expected = value.lower() in {"alerting", "connected"}
    assert (pattern.search(value) is not None) == expected


def test_enum_pattern_escapes_regex_syntax() -> None:
    pattern = re.compile(enum_pattern(("a.b", "c-d")))
    assert pattern.search("A.B")
    assert not pattern.search("axb")
