"""What decoding accepts can always be written back: nesting, integers, text, error size."""

from __future__ import annotations

import copy
import json
import pickle
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from purecloud_internal_message import InternalMessage, Segment, ValidationError
from purecloud_internal_message._limits import MAX_DEPTH, MAX_INT_DIGITS, depth_message, int_message
from purecloud_internal_message._values import BAD, _quick_copy, json_copy


def nest(levels: int, leaf: Any = None) -> Any:
    """``levels`` arrays, one inside the other, built without recursion."""
    value: Any = [] if leaf is None else [leaf]
    for _ in range(levels - 1):
        value = [value]
    return value


def nest_text(levels: int) -> str:
    return "[" * levels + "]" * levels


def at_depth(frames: int, function: Callable[[], Any]) -> Any:
    """Call ``function`` with ``frames`` more frames on the stack, as a web framework would."""
    if frames:
        return at_depth(frames - 1, function)
    return function()


def errors(call: Callable[[], Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return [(item.path, item.message) for item in caught.value.errors]


# -- nesting --------------------------------------------------------------------------

# The record is level 1 and the array in "x" level 2, so MAX_DEPTH - 1 arrays fit.
FITS = MAX_DEPTH - 1


def deepest_path(field: str, levels: int) -> str:
    return field + "[0]" * (levels - 1)


def test_the_deepest_accepted_value_is_written_back_by_every_writer() -> None:
    message = InternalMessage.from_dict({"x": nest(FITS, 1), "segments": [{"y": nest(FITS - 2)}]})
    text = message.to_api_json()
    assert InternalMessage.from_json(text).to_api_json() == text
    for write in (
        message.to_dict,
        message.to_json,
        message.to_api_dict,
        message.to_api_json,
        lambda: repr(message),
        lambda: pickle.loads(pickle.dumps(message)),
        lambda: copy.deepcopy(message),
        lambda: copy.copy(message),
        lambda: message == copy.deepcopy(message),
    ):
        write()
        at_depth(200, write)  # as deep in the stack as a web framework puts a handler


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"x": nest(FITS + 1)}, deepest_path("x", FITS + 1)),
        ({"segments": [{"y": nest(FITS - 1)}]}, "segments[0]." + deepest_path("y", FITS - 1)),
        ({"toAddress": {"z": nest(FITS)}}, "toAddress." + deepest_path("z", FITS)),
        ({"x": {"a": nest(FITS)}}, "x.a" + "[0]" * (FITS - 1)),
    ],
)
def test_one_level_too_deep_is_refused_with_its_path(payload: dict[str, Any], path: str) -> None:
    assert errors(lambda: InternalMessage.from_dict(payload)) == [(path, depth_message())]
    assert errors(lambda: InternalMessage.from_json(json.dumps(payload))) == [
        (path, depth_message())
    ]


@pytest.mark.parametrize("levels", [FITS + 1, 1_000, 5_000, 100_000])
def test_deep_input_is_refused_the_same_way_at_any_stack_depth(levels: int) -> None:
    payload = {"id": "a", "x": nest(levels)}
    expected = [(deepest_path("x", FITS + 1), depth_message())]
    text = '{"id": "a", "x": ' + nest_text(levels) + "}"
    for frames in (0, 200, 800):
        assert at_depth(frames, lambda: errors(lambda: InternalMessage.from_dict(payload))) == (
            expected
        )
        assert at_depth(frames, lambda: errors(lambda: InternalMessage.from_json(text))) == (
            expected
        )


def test_the_limit_does_not_follow_the_recursion_limit() -> None:
    payload = {"x": nest(FITS)}
    saved = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(10_000)
        assert errors(lambda: InternalMessage.from_dict({"x": nest(FITS + 1)}))
        sys.setrecursionlimit(400)
        assert InternalMessage.from_dict(payload).additional_properties["x"] == payload["x"]
    finally:
        sys.setrecursionlimit(saved)


# -- the limit exactly, on every path that enforces it ---------------------------------
#
# The numbers are the documented ones (docs/decoding.md), not MAX_DEPTH: moving the
# limit by one, in _limits or in any one copy, turns one of these red.


def test_the_limit_is_the_documented_one() -> None:
    assert MAX_DEPTH == 100
    assert MAX_INT_DIGITS == 640


def _objects(levels: int) -> Any:
    """``levels`` objects, one inside the other."""
    value: Any = {}
    for _ in range(levels - 1):
        value = {"k": value}
    return value


# (what is put at "x" of the record or of segments[0], whether it fits). The record is
# level 1, "x" holds level 2; a segment is level 3, its "x" holds level 4.
AT_THE_LIMIT = [
    ({"x": nest(99)}, True),
    ({"x": nest(100)}, False),
    ({"x": _objects(99)}, True),
    ({"x": _objects(100)}, False),
    ({"x": [_objects(98)]}, True),
    ({"x": [_objects(99)]}, False),
    ({"segments": [{"x": nest(97)}]}, True),
    ({"segments": [{"x": nest(98)}]}, False),
    ({"segments": [{"x": _objects(97)}]}, True),
    ({"segments": [{"x": _objects(98)}]}, False),
]
AT_THE_LIMIT_IDS = [
    f"{'fits' if fits else 'too deep'}-{index}" for index, (_, fits) in enumerate(AT_THE_LIMIT)
]


@pytest.mark.parametrize(("payload", "fits"), AT_THE_LIMIT, ids=AT_THE_LIMIT_IDS)
def test_the_careful_decoder_at_and_past_the_limit(payload: dict[str, Any], fits: bool) -> None:
    from purecloud_internal_message import _decode

    if fits:
        assert _decode.decode(InternalMessage, payload, False).to_api_dict() == payload
    else:
        assert [
            message
            for _, message in errors(lambda: _decode.decode(InternalMessage, payload, False))
        ] == [depth_message()]


@pytest.mark.parametrize(("payload", "fits"), AT_THE_LIMIT, ids=AT_THE_LIMIT_IDS)
def test_the_fast_decoders_at_and_past_the_limit(
    codecs: ModuleType, payload: dict[str, Any], fits: bool
) -> None:
    # The pure-Python fast decoder copies with _values._quick_copy, the compiled one
    # with its own _copy: past the limit both leave the record to the careful one.
    decoded = codecs.CODECS[InternalMessage]["fast_decode"](payload, False)
    if fits:
        assert decoded is not None
        assert decoded.to_api_dict() == payload
    else:
        assert decoded is None


@pytest.mark.parametrize(
    ("value", "fits"),
    [(nest(99), True), (nest(100), False), (_objects(99), True), (_objects(100), False)],
)
def test_the_copies_of_unknown_values_at_and_past_the_limit(value: Any, fits: bool) -> None:
    # Level 2: a value of an unknown field of the record.
    assert (json_copy(value, 2) is BAD) is not fits
    assert (_quick_copy(value, 2) is BAD) is not fits


@pytest.mark.parametrize(
    ("value", "fits"),
    [(nest(99), True), (nest(100), False), (_objects(99), True), (_objects(100), False)],
)
def test_the_stores_at_and_past_the_limit(value: Any, fits: bool) -> None:
    for model in (InternalMessage(), Segment()):
        if fits:
            model.additional_properties = {"x": value}
            model.__setstate__({"__additional_properties__": {"x": value}})
            assert model.additional_properties == {"x": value}
        else:
            with pytest.raises(ValueError, match="nested more than 100 levels deep"):
                model.additional_properties = {"x": value}
            with pytest.raises(ValueError, match="nested more than 100 levels deep"):
                model.__setstate__({"__additional_properties__": {"x": value}})


# -- integers and floats -------------------------------------------------------------

LARGEST = 10**MAX_INT_DIGITS - 1  # 640 nines


@pytest.mark.parametrize(
    "value", [LARGEST, -LARGEST, 0, -1, 2**64], ids=["640", "-640", "0", "-1", "2**64"]
)
def test_integers_up_to_the_limit_are_kept_and_written(value: int) -> None:
    message = InternalMessage.from_dict({"n": value, "segments": [{"m": [value]}]})
    assert json.loads(message.to_api_json()) == {"n": value, "segments": [{"m": [value]}]}
    assert InternalMessage.from_json(message.to_api_json()) == message


@pytest.mark.parametrize(
    "value", [LARGEST + 1, -LARGEST - 1, 10**5000], ids=["641", "-641", "5001"]
)
def test_longer_integers_are_refused_by_from_dict_and_from_json(value: int) -> None:
    assert errors(lambda: InternalMessage.from_dict({"n": [value]})) == [("n[0]", int_message())]
    digits = str(value) if abs(value) < 10**4000 else "1" + "0" * 5000
    assert errors(lambda: InternalMessage.from_json('{"n": [' + digits + "]}")) == [
        ("n[0]", int_message())
    ]


def test_the_applications_digit_limit_is_left_alone_and_respected() -> None:
    saved = sys.get_int_max_str_digits()
    try:
        sys.set_int_max_str_digits(640)  # the lowest an application can set
        message = InternalMessage.from_json('{"n": ' + str(LARGEST) + "}")
        assert message.to_api_json() == '{"n":' + str(LARGEST) + "}"
        assert errors(lambda: InternalMessage.from_json('{"n": 1' + "0" * 700 + "}"))
        assert sys.get_int_max_str_digits() == 640
    finally:
        sys.set_int_max_str_digits(saved)
    assert sys.get_int_max_str_digits() == saved


def test_a_float_literal_out_of_range_is_refused_at_its_path() -> None:
    assert errors(lambda: InternalMessage.from_json('{"x": {"y": [1.5, 1e400]}}')) == [
        ("x.y[1]", "number 1e400 is out of range")
    ]


# -- text ----------------------------------------------------------------------------

LONE = "\ud800"


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"id": "a" + LONE}, "id"),
        ({"toAddress": {"name": LONE}}, "toAddress.name"),
        ({"x": ["ok", {"y": LONE}]}, "x[1].y"),
        ({"segments": [{"type": "\udfff"}]}, "segments[0].type"),
    ],
)
def test_lone_surrogates_are_refused_where_they_are(payload: dict[str, Any], path: str) -> None:
    found = errors(lambda: InternalMessage.from_dict(payload))
    assert [where for where, _ in found] == [path]
    assert "lone surrogate" in found[0][1]
    escaped = json.dumps(payload)  # \ud800 escapes: JSON text json.loads reads
    assert errors(lambda: InternalMessage.from_json(escaped)) == found


def test_a_lone_surrogate_in_an_unknown_key_is_refused() -> None:
    found = errors(lambda: InternalMessage.from_dict({"k" + LONE: 1}))
    assert found[0][0] == ""
    assert "lone surrogate" in found[0][1]


def test_surrogate_pairs_in_json_text_are_characters() -> None:
    message = InternalMessage.from_json('{"id": "\\ud83d\\ude00", "x": "\\ud83d\\ude00"}')
    assert message.id == "\U0001f600"
    assert message.to_api_json() == '{"id":"\U0001f600","x":"\U0001f600"}'


def test_setters_refuse_lone_surrogates() -> None:
    message = InternalMessage()
    with pytest.raises(ValueError, match="lone surrogate U\\+D800"):
        message.id = LONE
    with pytest.raises(ValueError, match="lone surrogate"):
        Segment(type=LONE)


# -- the size of an error ------------------------------------------------------------


def test_an_error_with_200k_problems_keeps_them_all_and_prints_a_few() -> None:
    count = 200_000
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_dict({"messages": [{"messageId": 1}] * count})
    error = caught.value
    assert len(error.errors) == count
    assert error.errors[-1].path == f"messages[{count - 1}].messageId"
    lines = str(error).splitlines()
    assert len(lines) == ValidationError.MAX_LINES + 1
    assert lines[-1] == f"... and {count - ValidationError.MAX_LINES:,} more problems"
    assert lines[0] == "messages[0].messageId: expected a string, got number 1"
