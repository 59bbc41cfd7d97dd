"""The error types: ErrorItem, ValidationError and how values are described in them."""

from __future__ import annotations

import copy
import pickle
from datetime import datetime
from typing import Any

import pytest

from purecloud_internal_message import ErrorItem, InternalMessage, ValidationError
from purecloud_internal_message._errors import describe


def test_error_items_compare_by_path_and_message_in_their_places() -> None:
    item = ErrorItem("a.b", "bad")
    assert item == ErrorItem("a.b", "bad")
    assert item != ErrorItem("bad", "a.b")  # swapped
    assert item != ErrorItem("a.b", "worse")
    assert item != ErrorItem("a.c", "bad")
    assert (item == ("a.b", "bad")) is False
    assert str(item) == "a.b: bad"
    assert str(ErrorItem("", "bad")) == "(root): bad"
    assert repr(item) == "ErrorItem(path='a.b', message='bad')"
    with pytest.raises(TypeError):
        hash(item)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_error_items_and_errors_survive_pickle_and_copy(protocol: int) -> None:
    item = ErrorItem("messages[2].messageTime", "expected a string")
    back = pickle.loads(pickle.dumps(item, protocol))
    assert (back.path, back.message) == (item.path, item.message)
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_dict({"id": 1, "messages": [{"messageTime": 2}]})
    error = caught.value
    for again in (pickle.loads(pickle.dumps(error, protocol)), copy.deepcopy(error)):
        assert type(again) is ValidationError
        assert again.errors == error.errors
        assert [(e.path, e.message) for e in again.errors] == [
            (e.path, e.message) for e in error.errors
        ]
        assert str(again) == str(error)


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
    items = [ErrorItem(f"p{n}", "m") for n in range(ValidationError.MAX_LINES + 1)]
    lines = str(ValidationError(items)).splitlines()
    assert lines[-1] == "... and 1 more problem"
    assert len(lines) == ValidationError.MAX_LINES + 1
    exactly = ValidationError(items[:-1])
    assert "more problem" not in str(exactly)
