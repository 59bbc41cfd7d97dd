"""Unknown fields: kept losslessly, at their own level, on the fast path, as plain JSON copies."""

from __future__ import annotations

import json
from collections import OrderedDict
from datetime import datetime, timedelta, timezone
from enum import IntEnum
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from purecloud_internal_message import (
    InternalMessage,
    InternalMessageDetails,
    Segment,
    ValidationError,
)
from purecloud_internal_message._codecs import codec
from strategies import api_payloads, examples, json_values

UTC = timezone.utc
TS = "2024-05-01T12:34:56.789Z"


def fast(data: Any, model: Any = InternalMessage, strict: bool = False) -> Any:
    """The fast path's result alone (None: it left the input to the careful decoder)."""
    return codec(model).fast_decode(data, strict)


THREE_LEVELS = {
    "id": "a",
    "queueMediaSettings": {"priority": 5, "tags": ["x", None, 1.5]},
    "segments": [{"type": "Interact", "segmentTags": ["a"]}],
    "toAddress": {"name": "B", "phoneticName": "bee"},
    "messages": [{"messageId": "m", "reactions": {"up": 2}}],
}


def test_unknown_fields_at_every_level_stay_on_the_fast_path() -> None:
    message = fast(THREE_LEVELS)
    assert message is not None
    assert message.additional_properties == {
        "queueMediaSettings": {"priority": 5, "tags": ["x", None, 1.5]}
    }
    assert message.segments[0].additional_properties == {"segmentTags": ["a"]}
    assert message.to_address.additional_properties == {"phoneticName": "bee"}
    assert message.messages[0].additional_properties == {"reactions": {"up": 2}}
    assert message.to_api_dict() == THREE_LEVELS


def test_python_names_with_unknown_fields_stay_on_the_fast_path() -> None:
    data = {"peer_id": "p", "new_thing": [1], "to_address": {"name_raw": "n", "kind": "user"}}
    message = fast(data)
    assert message is not None
    assert message.peer_id == "p"
    assert message.additional_properties == {"new_thing": [1]}
    assert message.to_address.additional_properties == {"kind": "user"}


@pytest.mark.parametrize(
    "data",
    [
        {"peerId": "a", "peer_id": "b"},  # both spellings: an error
        {"peerId": "a", "target_user_id": "t", "x": 1},  # a mix: accepted, carefully
        {"toAddress": {"nameRaw": "a", "address_raw": "b", "x": 1}},
        {"x": float("nan")},
        {"x": {1: "non-string key"}},
        {"x": (1, 2)},
    ],
)
def test_irregular_objects_go_to_the_careful_decoder(data: dict[str, Any]) -> None:
    assert fast(data) is None


def test_strict_fast_path_takes_no_unknown_field() -> None:
    assert fast({"id": "a", "x": 1}, strict=True) is None
    assert fast({"id": "a"}, strict=True) is not None


def test_unknown_fields_keep_their_order_and_spelling() -> None:
    text = '{"zeta": 1, "id": "a", "Alpha": 2, "beta_gamma": 3, "peerId": "p", "a": 4}'
    message = InternalMessage.from_json(text)
    assert list(message.additional_properties) == ["zeta", "Alpha", "beta_gamma", "a"]
    assert message.to_api_json() == (
        '{"id":"a","peerId":"p","zeta":1,"Alpha":2,"beta_gamma":3,"a":4}'
    )


def test_unknown_values_are_copied_in_not_shared_with_the_payload() -> None:
    payload: dict[str, Any] = {"x": {"y": [1, 2]}, "segments": [{"z": [3]}]}
    message = InternalMessage.from_dict(payload)
    payload["x"]["y"].append(99)
    payload["segments"][0]["z"].clear()
    assert message.additional_properties == {"x": {"y": [1, 2]}}
    assert message.segments[0].additional_properties == {"z": [3]}  # type: ignore[index]


class Level(IntEnum):
    HIGH = 3


class Text(str):
    pass


class Mapping(OrderedDict[str, Any]):
    pass


def test_subclasses_of_json_types_become_plain_json_types() -> None:
    message = InternalMessage.from_dict(
        {"x": Mapping(a=Level.HIGH, b=[Text("t"), 2.5]), "id": Text("i"), Text("k"): True}
    )
    extra = message.additional_properties
    assert extra == {"x": {"a": 3, "b": ["t", 2.5]}, "k": True}
    assert type(extra["x"]) is dict
    assert type(extra["x"]["a"]) is int
    assert type(extra["x"]["b"][0]) is str
    assert type(next(iter(extra))) is str
    assert type(message.id) is str
    assert message.to_api_json() == '{"id":"i","x":{"a":3,"b":["t",2.5]},"k":true}'


def test_a_tuple_is_not_a_json_array() -> None:
    for data, path in (
        ({"segments": ({},)}, "segments"),
        ({"segments": []} | {"messages": ()}, "messages"),
        ({"to_address": {}, "segments": ({},)}, "segments"),
        ({"x": (1,)}, "x"),
    ):
        with pytest.raises(ValidationError) as caught:
            InternalMessage.from_dict(data)
        assert [item.path for item in caught.value.errors] == [path]
        assert "tuple" in caught.value.errors[0].message


# -- a newer SDK's to_dict(): unknown fields with datetimes ----------------------------

NEWER_SDK_DICT = {
    "id": "a",
    "state": "connected",
    "start_alerting_time": datetime(2024, 5, 1, 11, 59, 58, tzinfo=UTC),
    "queue_wait_time": datetime(2024, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))),
    "transfer_history": [{"at": datetime(2024, 5, 1, 12, 0, 0, 123456), "to": "b"}],
    "segments": [{"type": "Interact", "pause_time": None}],
}


def test_a_newer_sdks_dict_is_kept_with_its_datetimes() -> None:
    message = InternalMessage.from_dict(NEWER_SDK_DICT)
    sdk_form = message.to_dict()
    assert sdk_form["queue_wait_time"] == NEWER_SDK_DICT["queue_wait_time"]
    assert sdk_form["transfer_history"] == NEWER_SDK_DICT["transfer_history"]
    assert sdk_form["segments"][0]["pause_time"] is None
    # The API form writes every datetime as the API's own timestamp text, in UTC.
    api = message.to_api_dict()
    assert api["startAlertingTime"] == "2024-05-01T11:59:58.000Z"
    assert api["queue_wait_time"] == "2024-05-01T12:00:00.000Z"
    assert api["transfer_history"] == [{"at": "2024-05-01T12:00:00.123456Z", "to": "b"}]
    assert json.loads(message.to_api_json()) == api
    assert json.loads(message.to_json())["queue_wait_time"] == "2024-05-01T14:00:00+02:00"


def test_an_unknown_datetime_that_cannot_be_written_in_utc_is_refused() -> None:
    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_dict({"x": [early]})
    assert [item.path for item in caught.value.errors] == ["x[0]"]


# -- the fast and careful paths build the same objects, extras included ---------------


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
@given(payload=api_payloads(unknown=True), extra=json_values)
def test_fast_and_careful_agree_on_unknown_fields(payload: dict[str, Any], extra: Any) -> None:
    from purecloud_internal_message import _decode

    payload["someNewField"] = extra
    quick = fast(payload)
    careful = _decode.decode(InternalMessage, payload, False)
    assert quick is not None  # well-formed payloads never leave the fast path
    assert quick == careful
    assert quick.to_api_json() == careful.to_api_json()
    assert quick.to_dict() == careful.to_dict()


def test_timestamps_and_extras_in_the_same_record() -> None:
    message = InternalMessage.from_dict(
        {"connectedTime": TS, "segments": [{"startTime": TS, "x": 1}], "y": [TS]}
    )
    assert message.connected_time == datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=UTC)
    assert message.additional_properties == {"y": [TS]}  # an unknown string stays a string
    assert isinstance(message.segments[0], Segment)  # type: ignore[index]
    assert InternalMessageDetails.from_dict({"z": 1}).additional_properties == {"z": 1}


class _LyingKey(str):
    """A str subclass whose hash and == hide its text (found by the fuzzer)."""

    def __hash__(self) -> int:
        return 1

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False


@pytest.mark.parametrize("strict", [False, True])
def test_a_str_subclass_key_names_the_field_of_its_text(codecs: Any, strict: bool) -> None:
    # Its own hash hid the field from the lookup: the value was kept as an unknown
    # field named "peerId", which to_api_json wrote back as the field (refused by
    # from_json), and which the additional_properties setter refuses.
    decode = codecs.CODECS[InternalMessage]["from_dict"]
    with pytest.raises(ValidationError) as caught:
        decode(InternalMessage, {_LyingKey("peerId"): 1.5}, strict=strict)
    assert [(item.path, item.message) for item in caught.value.errors] == [
        ("peerId", "expected a string, got number 1.5")
    ]
    message = decode(InternalMessage, {_LyingKey("peerId"): "p", "x": 1}, strict=False)
    assert message.peer_id == "p"
    assert message.additional_properties == {"x": 1}
    with pytest.raises(ValidationError, match="given twice"):
        decode(InternalMessage, {_LyingKey("peerId"): "p", "peer_id": "q"}, strict=strict)
