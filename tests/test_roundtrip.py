"""Round trips: API payload -> model -> API payload, JSON text, and the SDK form."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purecloud_internal_message import (
    Address,
    InternalMessage,
    InternalMessageDetails,
    Segment,
    fields,
)
from strategies import api_payloads, examples

NESTED = settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])


@NESTED
@given(payload=api_payloads())
def test_api_dict_round_trip(payload: dict[str, Any]) -> None:
    assert InternalMessage.from_dict(payload).to_api_dict() == _without_nulls(payload)


@NESTED
@given(payload=api_payloads(nulls=False))
def test_api_dict_round_trip_is_exact_without_nulls(payload: dict[str, Any]) -> None:
    assert InternalMessage.from_dict(payload).to_api_dict() == payload


@NESTED
@given(payload=api_payloads(nulls=False), indent=st.sampled_from([None, 2]))
def test_api_json_round_trip(payload: dict[str, Any], indent: int | None) -> None:
    text = json.dumps(payload, indent=indent)
    again = InternalMessage.from_json(text).to_api_json()
    assert json.loads(again) == json.loads(text)


@NESTED
@given(payload=api_payloads(), strict=st.booleans())
def test_sdk_form_round_trip(payload: dict[str, Any], strict: bool) -> None:
    message = InternalMessage.from_dict(payload)
    again = InternalMessage.from_dict(message.to_dict())
    assert again == message
    assert again.to_api_dict() == message.to_api_dict()


@NESTED
@given(payload=api_payloads(unknown=False, known_enums_only=True))
def test_strict_decoding_of_known_payloads(payload: dict[str, Any]) -> None:
    assert InternalMessage.from_dict(payload, strict=True) == InternalMessage.from_dict(payload)


@NESTED
@given(payload=api_payloads())
def test_to_dict_is_stable_under_reencoding(payload: dict[str, Any]) -> None:
    message = InternalMessage.from_dict(payload)
    assert InternalMessage.from_dict(message.to_api_dict()).to_dict() == message.to_dict()


def test_newer_api_payload_comes_back_byte_for_byte() -> None:
    text = (
        '{"state":"parked","initialState":"Alerting","id":"c0ffee00-0000-4000-8000-000000000001",'
        '"segments":[{"startTime":"2024-05-01T12:00:00.000Z","endTime":"2024-05-01T12:05:00.123Z",'
        '"type":"Interact","howEnded":"Disconnect","disconnectType":"peer","segmentTags":["a"]}],'
        '"disconnectType":"timeout","connectedTime":"2024-05-01T12:00:00.000Z",'
        '"disconnectedTime":"2024-05-01T12:05:00.123456Z","provider":"PureCloud",'
        '"peerId":"p","targetUserId":"t","sourceUserId":"s",'
        '"toAddress":{"name":"Bob","nameRaw":"bob","addressNormalized":"bob","addressRaw":"bob",'
        '"addressDisplayable":"Bob","addressKind":"user"},"fromAddress":{},'
        '"messages":[{"messageId":"m1","messageTime":"2024-05-01T12:01:00.000Z",'
        '"reactions":{"thumbsUp":2}}],"segmentsEmpty":[],"queueMediaSettings":{"priority":5.5},'
        '"wrapup":null,"unicode":"\u00e9\U0001f600 \\u0000 \\n \u2028"}'
    )
    assert InternalMessage.from_json(text).to_api_json() == text


def test_empty_lists_and_objects_are_kept() -> None:
    payload = {"segments": [], "messages": [], "toAddress": {}, "fromAddress": {}}
    assert InternalMessage.from_dict(payload).to_api_dict() == payload


def test_each_model_round_trips_on_its_own() -> None:
    cases = [
        (Segment, {"startTime": "2024-05-01T12:00:00.000Z", "type": "Interact", "x": 1}),
        (Address, {"name": "Bob", "addressRaw": "bob"}),
        (InternalMessageDetails, {"messageId": "m", "messageTime": "2024-05-01T12:00:00.001Z"}),
    ]
    for model, payload in cases:
        assert model.from_dict(payload).to_api_dict() == payload


def _without_nulls(payload: dict[str, Any]) -> dict[str, Any]:
    """What the API form writes for a payload: known fields that are null left out."""
    return _drop_known_nulls(InternalMessage, payload)


def _drop_known_nulls(model: Any, payload: dict[str, Any]) -> dict[str, Any]:
    specs = {spec.key: spec for spec in fields(model)}
    result = {}
    for key, value in payload.items():
        spec = specs.get(key)
        if spec is None:
            result[key] = value
        elif value is None:
            continue
        elif spec.kind == "model":
            result[key] = _drop_known_nulls(spec.model, value)
        elif spec.kind == "list":
            result[key] = [_drop_known_nulls(spec.model, item) for item in value]
        else:
            result[key] = value
    return result
