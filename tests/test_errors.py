"""The error types: ErrorItem, ValidationError and how values are described in them."""

from __future__ import annotations

import copy
import math
import pickle
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings

from purecloud_internal_message import ErrorItem, InternalMessage, ValidationError, _decode, _values
from purecloud_internal_message._errors import describe
from strategies import api_payloads, examples


def test_error_items_compare_by_loc_and_message_in_their_places() -> None:
    item = ErrorItem(("a", "b"), "bad")
    assert item == ErrorItem(("a", "b"), "bad")
    assert item != ErrorItem(("b", "a"), "bad")  # the steps in their order
    assert item != ErrorItem(("a.b",), "bad")  # one key holding a dot: the same text
    assert item.path == ErrorItem(("a.b",), "bad").path == "a.b"
    assert item != ErrorItem(("a", "b"), "worse")
    assert item != ErrorItem(("a", "c"), "bad")
    assert ErrorItem(("a", 1), "bad") != ErrorItem(("a", "1"), "bad")  # an index, a key
    assert (item == (("a", "b"), "bad")) is False
    assert str(item) == "a.b: bad"
    assert str(ErrorItem((), "bad")) == "(root): bad"
    assert repr(item) == "ErrorItem(loc=('a', 'b'), message='bad')"
    with pytest.raises(TypeError):
        hash(item)


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        ((), ""),
        (("id",), "id"),
        (("toAddress", "name"), "toAddress.name"),
        (("messages", 2, "messageTime"), "messages[2].messageTime"),
        (("segments", 0), "segments[0]"),
        (("x", 0, 1, "y"), "x[0][1].y"),
        ((3, "id"), "[3].id"),  # a record in an array, as the readers locate it
        (("participants", 0, "internalMessages", 1), "participants[0].internalMessages[1]"),
        # Keys are written as they are: only the loc tells these apart.
        (("a.b", "[0]", "7", 7), "a.b.[0].7[7]"),
        (("a]", "[b"), "a].[b"),
    ],
)
def test_the_path_is_the_loc_as_text(loc: tuple[str | int, ...], path: str) -> None:
    item = ErrorItem(loc, "bad")
    assert item.loc == loc
    assert item.path == path
    assert str(item) == f"{path or '(root)'}: bad"


def test_the_path_is_built_from_the_loc_when_asked_for() -> None:
    assert ErrorItem.__slots__ == ("loc", "message")  # nothing else is kept
    item = ErrorItem(("a",), "bad")
    item.loc = ("b", 1)
    assert item.path == "b[1]"
    assert str(item) == "b[1]: bad"


@pytest.mark.parametrize(
    "loc",
    [
        "messages[2].messageTime",  # the path text is not a location
        "",
        ["messages", 2],
        ("messages", 2.0),
        ("messages", True),
        ("messages", None),
        (b"messages",),
    ],
)
def test_an_error_item_takes_only_a_tuple_of_keys_and_indexes(loc: Any) -> None:
    with pytest.raises(TypeError, match="ErrorItem takes its location as a tuple of keys"):
        ErrorItem(loc, "bad")


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_error_items_and_errors_survive_pickle_and_copy(protocol: int) -> None:
    item = ErrorItem(("messages", 2, "messageTime"), "expected a string")
    back = pickle.loads(pickle.dumps(item, protocol))
    assert (back.loc, back.message) == (item.loc, item.message)
    assert type(back.loc[1]) is int
    odd = ErrorItem(("a.b", "[0]", 0), "bad")
    assert pickle.loads(pickle.dumps(odd, protocol)).loc == ("a.b", "[0]", 0)
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_dict({"id": 1, "messages": [{"messageTime": 2}]})
    error = caught.value
    for again in (pickle.loads(pickle.dumps(error, protocol)), copy.deepcopy(error)):
        assert type(again) is ValidationError
        assert again.errors == error.errors
        assert [(e.loc, e.message) for e in again.errors] == [
            (("id",), "expected a string, got number 1"),
            (("messages", 0, "messageTime"), "expected an ISO-8601 timestamp string, got number 2"),
        ]
        assert str(again) == str(error)


# -- where each kind of problem is --


class _Key(str):
    """A str subclass, as keys may be."""


def _locs(data: Any, *, strict: bool = False) -> list[tuple[str | int, ...]]:
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_dict(data, strict=strict)
    locs = [item.loc for item in caught.value.errors]
    # The same locations from the careful decoder called on its own.
    with pytest.raises(ValidationError) as again:
        _decode.decode(InternalMessage, data, strict)
    assert [item.loc for item in again.value.errors] == locs
    assert all(type(step) in (str, int) for loc in locs for step in loc)
    return locs


def test_the_loc_of_each_kind_of_problem() -> None:
    data = {
        "id": 5,  # a field
        "toAddress": {"name": 5},  # a field of a nested model
        "segments": [{}, 7],  # a list item
        "messages": [{}, {"messageTime": "May 1"}],  # a field of a list item
        "x": {"y": [1, {"z": math.nan}], "w": {1: 2}},  # an unknown field's values
        _Key("peerId"): "p",
        "peer_id": "p",  # the same field in its other spelling
        "k\ud800": 1,  # a key that is not text: the object's problem
        1: "a",  # a key that is not a string: the object's problem
    }
    assert _locs(data) == [
        ("id",),
        ("toAddress", "name"),
        ("segments", 1),
        ("messages", 1, "messageTime"),
        ("x", "y", 1, "z"),
        ("x", "w"),  # the key 1 of the object at x
        ("peer_id",),
        (),
        (),
    ]


def test_a_key_that_is_not_a_string_is_worded_alike_at_every_level() -> None:
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_dict({1: "a", "x": {"y": {1: "a"}}})
    messages = [error.message for error in caught.value.errors]
    assert messages == ["object key of type int is not a string"] * 2


def test_the_loc_of_problems_only_strict_mode_finds() -> None:
    data = {"state": "parked", "toAddress": {"new": 1}, "segments": [{}, {"x": None}]}
    assert _locs(data, strict=True) == [
        ("state",),
        ("toAddress", "new"),
        ("segments", 1, "x"),
    ]


@pytest.mark.parametrize("data", [5, None, [], "x", _Key("x")])
def test_the_loc_of_an_input_that_is_no_object_is_the_root(data: Any) -> None:
    assert _locs(data) == [()]
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_json("{")
    assert [item.loc for item in caught.value.errors] == [()]
    assert caught.value.errors[0].path == ""  # not "." or "(root)"


def test_keys_holding_the_punctuation_of_paths_are_steps_of_their_own() -> None:
    data = {
        "a.b": math.nan,
        "a": {"b": math.inf, "c[0]": [math.nan], "[1]": {"2": -math.inf}},
        "": {"": math.nan},
        "3": [[1, math.inf]],
    }
    locs = _locs(data)
    assert locs == [
        ("a.b",),
        ("a", "b"),
        ("a", "c[0]", 0),
        ("a", "[1]", "2"),
        ("", ""),
        ("3", 0, 1),
    ]
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_dict(data)
    # The text is the old one for every key; only the loc tells "a.b" from a.b.
    assert [item.path for item in caught.value.errors] == [
        "a.b",
        "a.b",
        "a.c[0][0]",
        "a.[1].2",
        "",  # empty keys at the root: the text is the old one, ambiguous; the loc is not
        "3[0][1]",
    ]


def test_the_deepest_locations_are_whole() -> None:
    # As deep as the limit allows, each level a step: none lost, none added.
    value: Any = math.nan
    for level in range(99):
        value = [value] if level % 2 else {"k": value}
    (loc,) = _locs({"x": value})
    assert len(loc) == 100
    assert loc[0] == "x"
    assert loc[1:] == tuple(0 if level % 2 else "k" for level in reversed(range(99)))


# -- a valid record builds no location --


def _no_location(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("a location was built for a valid record")


@pytest.fixture
def locations_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every way the careful decoder and the copier make a location, made to fail."""
    for module in (_decode, _values):
        monkeypatch.setattr(module, "ErrorItem", _no_location)
    monkeypatch.setattr(_decode, "tuple", _no_location, raising=False)  # shadows the builtin
    monkeypatch.setattr(_values, "path_text", _no_location)
    with pytest.raises(AssertionError, match="a location was built"):  # the trap works
        _decode.decode(InternalMessage, {"id": 5}, False)
    with pytest.raises(AssertionError, match="a location was built"):
        _values.json_copy({"x": [math.nan]}, 1, (), [])


# Valid, but irregular enough that the fast path leaves it to the careful decoder: both
# spellings (of different fields), a str-subclass key, unknown fields at every level.
IRREGULAR = {
    "id": "c-1",
    "peer_id": "p-1",
    _Key("state"): "connected",
    "connectedTime": "2024-05-01T12:34:56.789+02:00",
    "toAddress": {"name": "Bob", "x-new": {"a": [1, 2.5, None, True, {"b": "é"}]}},
    "segments": [{"type": "Interact", "start_time": datetime(2024, 5, 1)}, {}],
    "messages": [{"messageId": "m-1", "messageTime": "2024-05-01T12:35:00Z", "extra": [[]]}],
    "queueMediaSettings": {"priority": 5, "skills": ["chat"]},
}


@pytest.mark.usefixtures("locations_refused")
def test_decoding_a_valid_irregular_record_builds_no_location() -> None:
    model = _decode.decode(InternalMessage, IRREGULAR, False)
    assert model.to_api_dict()["toAddress"]["x-new"] == {"a": [1, 2.5, None, True, {"b": "é"}]}
    assert InternalMessage.from_dict(IRREGULAR) == model
    assert _values.json_copy(IRREGULAR["toAddress"], 2, ("toAddress",), []) == {
        "name": "Bob",
        "x-new": {"a": [1, 2.5, None, True, {"b": "é"}]},
    }


@settings(max_examples=examples(100))
@given(payload=api_payloads())
def test_decoding_any_valid_record_builds_no_location(payload: dict[str, Any]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        for module in (_decode, _values):
            patch.setattr(module, "ErrorItem", _no_location)
        patch.setattr(_decode, "tuple", _no_location, raising=False)
        patch.setattr(_values, "path_text", _no_location)
        model = _decode.decode(InternalMessage, payload, False)
    assert model == InternalMessage.from_dict(payload)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "null"),
        (True, "boolean True"),
        (False, "boolean False"),
        (0, "number 0"),
        (1.5, "number 1.5"),
        ("x", "string 'x'"),
        ({"a": 1}, "object {'a': 1}"),
        ([1], "array [1]"),
        ((1,), "tuple (1,)"),
        (datetime(2024, 5, 1), "datetime datetime.datetime(2024, 5, 1, 0, 0)"),
    ],
)
def test_describe_names_the_json_type_and_shows_the_value(value: Any, expected: str) -> None:
    assert describe(value) == expected


def test_describe_shortens_long_values_to_60_characters() -> None:
    text = describe("x" * 1000)
    assert text.startswith("string 'xxx")
    assert text.endswith("...")
    assert len(text) == len("string ") + 60
    exact = "y" * 58  # repr adds two quotes: 60 characters, not shortened
    assert describe(exact) == f"string '{exact}'"


def test_describe_survives_a_hostile_repr() -> None:
    class Hostile:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    assert describe(Hostile()) == "Hostile <Hostile>"


def test_str_caps_the_lines_and_counts_the_rest() -> None:
    items = [ErrorItem((f"p{n}",), "m") for n in range(ValidationError.MAX_LINES + 1)]
    lines = str(ValidationError(items)).splitlines()
    assert lines[-1] == "... and 1 more problem"
    assert len(lines) == ValidationError.MAX_LINES + 1
    exactly = ValidationError(items[:-1])
    assert "more problem" not in str(exactly)
