"""Decoding: spellings, strictness, losslessness, and a precise error for every bad input."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purecloud_internal_message import (
    Address,
    ErrorItem,
    InternalMessage,
    InternalMessageDetails,
    Segment,
    ValidationError,
    _decode,
)
from purecloud_internal_message._codecs import codec
from strategies import api_payloads, examples, json_values

UTC = timezone.utc
TS = "2024-05-01T12:34:56.789Z"


def errors_of(data: Any, *, strict: bool = False, model: Any = InternalMessage) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        model.from_dict(data, strict=strict)
    return [item.path for item in caught.value.errors]


# Each bad input, and the paths its ValidationError must name (in order).
BAD_INPUTS: list[tuple[str, Any, list[str]]] = [
    ("not an object", [], [""]),
    ("a string", "x", [""]),
    ("null payload", None, [""]),
    ("number for a string", {"id": 123}, ["id"]),
    ("bool for a string", {"peerId": True}, ["peerId"]),
    ("list for a string", {"provider": ["x"]}, ["provider"]),
    ("number for an enum", {"state": 1}, ["state"]),
    ("object for a list", {"segments": {"a": 1}}, ["segments"]),
    ("string for a list", {"messages": "m"}, ["messages"]),
    ("string for a model", {"toAddress": "x"}, ["toAddress"]),
    ("list for a model", {"fromAddress": [{}]}, ["fromAddress"]),
    ("null inside a list", {"segments": [None]}, ["segments[0]"]),
    ("string inside a list", {"messages": [{}, "m"]}, ["messages[1]"]),
    ("fuzzy timestamp", {"connectedTime": "May 1"}, ["connectedTime"]),
    ("epoch number timestamp", {"connectedTime": 1714564800}, ["connectedTime"]),
    ("bool timestamp", {"disconnectedTime": False}, ["disconnectedTime"]),
    ("impossible date", {"connectedTime": "2024-02-30T00:00:00.000Z"}, ["connectedTime"]),
    ("trailing space", {"connectedTime": TS + " "}, ["connectedTime"]),
    ("non-ascii digits", {"connectedTime": "٢٠٢٤-05-01T12:34:56.789Z"}, ["connectedTime"]),
    (
        "nested bad timestamp",
        {"messages": [{}, {}, {"messageTime": "x"}]},
        ["messages[2].messageTime"],
    ),
    ("nested bad string", {"toAddress": {"name": 5}}, ["toAddress.name"]),
    (
        "nested segment",
        {"segments": [{"startTime": "nope", "type": 3}]},
        [
            "segments[0].startTime",
            "segments[0].type",
        ],
    ),
    ("both spellings", {"peerId": "a", "peer_id": "b"}, ["peer_id"]),
    (
        "both spellings nested",
        {"toAddress": {"nameRaw": "a", "name_raw": "b"}},
        ["toAddress.name_raw"],
    ),
    ("python spelling bad value", {"connected_time": "May 1"}, ["connected_time"]),
    ("non-string key", {1: "x"}, [""]),
    ("non-JSON unknown value", {"extra": {1, 2}}, ["extra"]),
    ("non-JSON nested unknown value", {"extra": {"deep": [object()]}}, ["extra.deep[0]"]),
    ("date for datetime", {"connected_time": datetime(2024, 5, 1).date()}, ["connected_time"]),
    (
        "many problems at once",
        {"id": 1, "segments": [None, {"endTime": 2}], "toAddress": "x"},
        [
            "id",
            "segments[0]",
            "segments[1].endTime",
            "toAddress",
        ],
    ),
]


@pytest.mark.parametrize(
    ("data", "paths"), [case[1:] for case in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS]
)
def test_bad_input_names_every_problem_with_its_path(data: Any, paths: list[str]) -> None:
    assert errors_of(data) == paths


def test_error_items_say_what_was_expected_and_found() -> None:
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_dict(
            {
                "id": 123,
                "toAddress": "x",
                "messages": [{"messageTime": "May 1"}],
                "segments": [None],
            }
        )
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.errors == [
        ErrorItem(("id",), "expected a string, got number 123"),
        ErrorItem(("toAddress",), "expected an object (Address), got string 'x'"),
        ErrorItem(
            ("messages", 0, "messageTime"),
            "expected an ISO-8601 timestamp, got string 'May 1' (the year needs 4 digits, got 'May ')",
        ),
        ErrorItem(("segments", 0), "expected an object (Segment), got null"),
    ]
    assert str(error).splitlines() == [str(item) for item in error.errors]
    assert str(error).splitlines()[0] == "id: expected a string, got number 123"


def test_long_values_are_shortened_in_messages() -> None:
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_dict({"id": ["x" * 1000]})
    message = caught.value.errors[0].message
    assert len(message) < 120
    assert message.endswith("...")


def test_root_problem_reads_as_root() -> None:
    with pytest.raises(ValidationError, match=r"^\(root\): expected an object \(InternalMessage\)"):
        InternalMessage.from_dict([])


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("{", "invalid JSON"),
        ("", "invalid JSON"),
        ("[1, 2", "invalid JSON"),
        (b"\xff\xfe{", "invalid JSON"),
        (
            "[" * 100_000 + "]" * 100_000,
            r"expected an object \(InternalMessage\), got array \[\[\[",
        ),
        ("1" * 5000, r"expected an object \(InternalMessage\), got number 1{20}\.\.\.1{10}$"),
        ("nan", "invalid JSON"),
        ('{"x": NaN}', "invalid JSON: NaN is not a JSON value"),
        ('{"x": [-Infinity]}', "invalid JSON: -Infinity is not a JSON value"),
    ],
)
def test_broken_json_text_is_a_validation_error(text: str | bytes, needle: str) -> None:
    with pytest.raises(ValidationError, match=needle) as caught:
        InternalMessage.from_json(text)
    assert caught.value.errors[0].path == ""


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_unknown_fields_refuse_numbers_json_cannot_write(value: float) -> None:
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_dict({"x": {"y": [1.5, value]}})
    assert [item.path for item in caught.value.errors] == ["x.y[1]"]
    assert "is not a JSON value" in str(caught.value)


def test_from_json_refuses_non_text() -> None:
    with pytest.raises(ValidationError, match="expected JSON text"):
        InternalMessage.from_json(123)  # type: ignore[arg-type]


@pytest.mark.parametrize("model", [InternalMessage, Segment, Address, InternalMessageDetails])
def test_from_json_takes_every_text_type(codecs: ModuleType, model: Any) -> None:
    from_json = codecs.CODECS[model]["from_json"]
    text = '{"zUnknown": [1]}'
    expected = model.from_dict({"zUnknown": [1]})
    for each in (text, text.encode(), bytearray(text.encode())):
        assert from_json(model, each) == expected
    with pytest.raises(ValidationError, match="expected JSON text"):
        from_json(model, memoryview(text.encode()))


def test_json_null_is_none_everywhere() -> None:
    message = InternalMessage.from_dict(
        {key: None for key in InternalMessage.attribute_map.values()}
    )
    assert message == InternalMessage()
    assert message.disconnect_type is None  # the SDK crashes on this one


def test_either_spelling_per_field_independently() -> None:
    mixed = InternalMessage.from_dict(
        {
            "peerId": "p",
            "target_user_id": "t",
            "connectedTime": TS,
            "disconnected_time": datetime(2024, 5, 1, 13, tzinfo=UTC),
            "toAddress": {"nameRaw": "n", "address_raw": "a"},
            "from_address": {"name": "f"},
            "messages": [{"message_id": "m", "messageTime": TS}],
        }
    )
    assert mixed.peer_id == "p"
    assert mixed.target_user_id == "t"
    assert mixed.to_address == Address(name_raw="n", address_raw="a")
    assert mixed.from_address == Address(name="f")
    assert mixed.messages == [
        InternalMessageDetails(
            message_id="m", message_time=datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=UTC)
        )
    ]
    assert mixed.additional_properties == {}


def test_sdk_to_dict_form_round_trips() -> None:
    message = InternalMessage.from_dict(
        {"id": "a", "connectedTime": TS, "segments": [{"startTime": TS}], "extra": 1}
    )
    assert InternalMessage.from_dict(message.to_dict()) == message


def test_unknown_fields_are_kept_with_their_spelling_at_their_level() -> None:
    payload = {
        "id": "a",
        "queueMediaSettings": {"x": [1, None]},
        "segments": [{"type": "Interact", "segmentFlag": True}],
        "toAddress": {"name": "B", "phoneticName": "bee"},
        "messages": [{"messageId": "m", "body_text": "hi"}],
    }
    message = InternalMessage.from_dict(payload)
    assert message.additional_properties == {"queueMediaSettings": {"x": [1, None]}}
    assert message.segments[0].additional_properties == {"segmentFlag": True}  # type: ignore[index]
    assert message.to_address.additional_properties == {"phoneticName": "bee"}  # type: ignore[union-attr]
    assert message.to_api_dict() == payload
    sdk_form = message.to_dict()
    assert sdk_form["queueMediaSettings"] == {"x": [1, None]}
    assert sdk_form["segments"][0]["segmentFlag"] is True
    assert sdk_form["messages"][0]["body_text"] == "hi"
    assert json.loads(message.to_json())["to_address"]["phoneticName"] == "bee"


def test_unknown_enum_values_are_kept_verbatim() -> None:
    message = InternalMessage.from_dict({"state": "Parked", "disconnectType": "ERROR"})
    assert message.state == "Parked"
    assert message.to_api_dict() == {"state": "Parked", "disconnectType": "ERROR"}


def test_known_enum_values_keep_their_case() -> None:
    message = InternalMessage.from_dict({"state": "CONNECTED"}, strict=True)
    assert message.state == "CONNECTED"


def test_strict_refuses_unknown_keys_and_enum_values_everywhere() -> None:
    payload = {
        "state": "parked",
        "initialState": "Alerting",
        "disconnectType": "meteor",
        "newField": 1,
        "segments": [{"type": "x", "segmentFlag": 1}],
        "toAddress": {"phoneticName": "b"},
    }
    paths = errors_of(payload, strict=True)
    assert paths == [
        "state",
        "disconnectType",
        "newField",
        "segments[0].segmentFlag",
        "toAddress.phoneticName",
    ]
    with pytest.raises(
        ValidationError, match=r"state: unknown value string 'parked' \(strict mode\)"
    ):
        InternalMessage.from_dict({"state": "parked"}, strict=True)
    assert InternalMessage.from_dict(payload).state == "parked"  # not strict: kept


def test_strict_accepts_a_valid_payload() -> None:
    payload = {"state": "connected", "segments": [{"type": "Interact", "startTime": TS}]}
    assert InternalMessage.from_dict(payload, strict=True).to_api_dict() == payload


@pytest.mark.parametrize("model", [InternalMessage, Segment, Address, InternalMessageDetails])
def test_every_model_decodes_and_reports(model: Any) -> None:
    assert model.from_dict({}) == model()
    assert errors_of([], model=model) == [""]


# -- nothing but ValidationError ever escapes ---------------------------------

any_input = st.recursive(
    json_values | st.datetimes() | st.just(float("nan")) | st.binary(max_size=3),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "state",
                    "segments",
                    "toAddress",
                    "messages",
                    "connectedTime",
                    "startTime",
                    "messageTime",
                    "name",
                    "peer_id",
                    "peerId",
                    "x",
                ]
            )
            | st.text(max_size=4),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(data=any_input, strict=st.booleans())
def test_only_validation_error_escapes(data: Any, strict: bool) -> None:
    for model in (InternalMessage, Segment, Address, InternalMessageDetails):
        try:
            model.from_dict(data, strict=strict)
        except ValidationError as error:
            assert error.errors
            assert all(isinstance(item.path, str) and item.message for item in error.errors)


@settings(max_examples=examples(200))
@given(text=st.text(max_size=40) | st.binary(max_size=40))
def test_only_validation_error_escapes_from_json(text: str | bytes) -> None:
    try:
        InternalMessage.from_json(text)
    except ValidationError as error:
        assert error.errors


# -- the fast decoder agrees with the careful one ------------------------------


def _same(one: Any, two: Any) -> bool:
    """Equal, and equal in the details equality ignores (tzinfo, cached text)."""
    return one == two and repr(one) == repr(two) and one.to_api_dict() == two.to_api_dict()


@settings(max_examples=examples(200), suppress_health_check=[HealthCheck.too_slow])
@given(payload=api_payloads(), strict=st.booleans())
def test_fast_and_careful_decoders_agree_on_payloads(
    codecs: ModuleType, payload: dict[str, Any], strict: bool
) -> None:
    # Canonical payloads: the fast path takes every one the careful decoder accepts.
    _check_agreement(codecs, payload, strict, fast_expected=True)


@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(data=any_input, strict=st.booleans())
def test_fast_decoder_never_accepts_what_the_careful_one_refuses(
    codecs: ModuleType, data: Any, strict: bool
) -> None:
    _check_agreement(codecs, data, strict)


def _fast(fast_decode: Any, data: Any, strict: bool) -> Any:
    """The fast path alone: the model, or None where it declines."""
    try:
        return fast_decode(data, strict)
    except ValueError:  # fromisoformat refusing canonical-shaped text: from_dict declines
        return None


def _result(function: Any, *args: Any, **kwargs: Any) -> Any:
    """The model ``function`` returns, or the (path, message) pairs of its ValidationError."""
    try:
        return function(*args, **kwargs)
    except ValidationError as error:
        return [(item.path, item.message) for item in error.errors]


def _check_agreement(
    codecs: ModuleType, data: Any, strict: bool, *, fast_expected: bool = False
) -> None:
    """``from_dict`` gives what the careful decoder gives; the fast path gives the same
    object or declines (and, with ``fast_expected``, takes whatever is valid)."""
    careful = _result(_decode.decode, InternalMessage, data, strict)
    decoded = _result(
        codecs.CODECS[InternalMessage]["from_dict"], InternalMessage, data, strict=strict
    )
    quick = _fast(codecs.CODECS[InternalMessage]["fast_decode"], data, strict)
    if isinstance(careful, list):
        assert decoded == careful
        assert quick is None, "the fast path accepted what the careful decoder refuses"
        return
    assert _same(decoded, careful)
    if quick is not None:
        assert _same(quick, careful)
    else:
        assert not fast_expected, "the fast path declined a regular payload"


def _declined(data: Any, strict: bool = False) -> bool:
    return _fast(codec(InternalMessage).fast_decode, data, strict) is None


def test_fast_decoder_declines_irregular_input() -> None:
    for irregular in (
        {"connectedTime": "20240501T123456Z"},  # ISO 8601 forms RFC 3339 lacks
        {"connectedTime": "2024-05-01T12:34:56,789+00:00"},
        {"peerId": "a", "peer_id": "b"},
        {"segments": [None]},
        {"segments": ({},)},
        {"id": "\ud800"},
        {"x": float("nan")},
        {"toAddress": {"name": "a", "name_raw": "b"}},
    ):
        assert _declined(irregular), irregular


def test_decoding_never_touches_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    calls: list[str] = []
    for name in ("disable", "enable", "collect", "freeze"):
        monkeypatch.setattr(gc, name, lambda *args, name=name: calls.append(name))
    InternalMessage.from_dict({"id": "a", "messages": [{"messageId": "m"}]})
    InternalMessage.from_json('{"id": "a", "x": [1]}')
    with pytest.raises(ValidationError):
        InternalMessage.from_dict({"id": 1})
    assert calls == []


# -- timestamps on the fast path -----------------------------------------------------

_MUTATIONS = "0123456789-:.TtZz+, _\u0660W"


@settings(max_examples=examples(400), suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    value=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
)
def test_the_fast_path_keeps_only_canonical_text(data: st.DataObject, value: datetime) -> None:
    """Kept text is written back as it is, so it must be exactly the canonical form;
    and the fast path keeps the canonical text it reads."""
    from purecloud_internal_message._timestamps import format_timestamp

    text = value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    position = data.draw(st.integers(0, len(text) - 1))
    action = data.draw(st.sampled_from(["replace", "delete", "insert", "none"]))
    char = data.draw(st.sampled_from(_MUTATIONS))
    if action == "replace":
        text = text[:position] + char + text[position + 1 :]
    elif action == "delete":
        text = text[:position] + text[position + 1 :]
    elif action == "insert":
        text = text[:position] + char + text[position:]
    try:
        quick = codec(InternalMessage).fast_decode({"connectedTime": text}, False)
    except ValueError:  # fromisoformat refused it: the careful decoder will judge
        quick = None
    if quick is not None:
        kept = quick._connected_time_text
        assert kept is None or kept == format_timestamp(quick.connected_time)
        assert (kept == text) == (format_timestamp(quick.connected_time) == text)
    try:
        careful = InternalMessage.from_dict({"connectedTime": text})
    except ValidationError:
        assert quick is None
    else:
        if quick is not None:
            assert careful.connected_time == quick.connected_time


@pytest.mark.parametrize(
    "value",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
        datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-2))),
    ],
    ids=["before-year-1", "after-year-9999"],
)
def test_datetimes_unwritable_in_utc_are_refused_on_both_paths(value: datetime) -> None:
    for data in ({"connected_time": value}, {"messages": [{"message_time": value}]}, {"x": value}):
        assert codec(InternalMessage).fast_decode(data, False) is None
        with pytest.raises(ValidationError, match="out of range"):
            InternalMessage.from_dict(data)
    with pytest.raises(ValueError, match="out of range"):
        InternalMessage(connected_time=value)


def test_from_json_honours_strict() -> None:
    assert InternalMessage.from_json('{"x": 1, "state": "parked"}').state == "parked"
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_json('{"x": 1, "state": "parked"}', strict=True)
    assert [item.path for item in caught.value.errors] == ["x", "state"]


def test_a_given_datetime_is_stored_at_its_offset_with_a_standard_zone() -> None:
    from zoneinfo import ZoneInfo

    from dateutil import tz

    paris = datetime(2024, 7, 1, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    for value, offset in (
        (datetime(2024, 5, 1, 12, tzinfo=tz.tzutc()), timedelta(0)),
        (datetime(2024, 5, 1, 14, tzinfo=tz.tzoffset(None, 7200)), timedelta(hours=2)),
        (paris, timedelta(hours=2)),
    ):
        for message in (
            InternalMessage.from_dict({"connected_time": value}),
            InternalMessage.from_dict({"connected_time": value, "x": 1}),  # both paths
            InternalMessage(connected_time=value),
            InternalMessage.from_dict({"messages": [{"message_time": value}]}),
        ):
            stored = message.connected_time or message.messages[0].message_time  # type: ignore[index]
            assert stored == value
            assert stored.utcoffset() == offset
            assert type(stored.tzinfo) is timezone
            assert stored.tzinfo is UTC or offset
    naive = datetime(2024, 5, 1, 12)
    assert InternalMessage(connected_time=naive).connected_time is naive
