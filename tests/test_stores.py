"""Every public store of unknown fields (the additional_properties setter, __setstate__,
replace) checks what it is given by the rules of decoding, says which key breaks which
rule, and keeps a plain-JSON copy: nothing is stored that cannot be written back."""

from __future__ import annotations

import copy
import math
import pickle
import re
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from enum import IntEnum
from typing import Any

import pytest

from purecloud_internal_message import (
    Address,
    InternalMessage,
    InternalMessageDetails,
    Model,
    Segment,
    replace,
)
from purecloud_internal_message._jsonvalues import OutOfRange

UTC = timezone.utc
SURROGATE = "which is not Unicode text and cannot be written as UTF-8"


def nest(levels: int) -> Any:
    """``levels`` arrays, one inside the other."""
    value: Any = []
    for _ in range(levels - 1):
        value = [value]
    return value


# (unknown fields given, the exception, its message)
REFUSED = [
    ({"x": math.nan}, ValueError, "x: NaN is not a JSON value"),
    ({"x": [1, math.inf]}, ValueError, "x[1]: Infinity is not a JSON value"),
    ({"x": {"y": -math.inf}}, ValueError, "x.y: -Infinity is not a JSON value"),
    ({"x": 10**640}, ValueError, "x: integer with more than 640 digits (the limit)"),
    ({"x": [-(10**640)]}, ValueError, "x[0]: integer with more than 640 digits (the limit)"),
    ({"x": OutOfRange("1e400")}, ValueError, "x: number 1e400 is out of range"),
    ({"x": "a\ud800"}, ValueError, f"x: string holds a lone surrogate U+D800, {SURROGATE}"),
    ({"x": ["\udfff"]}, ValueError, f"x[0]: string holds a lone surrogate U+DFFF, {SURROGATE}"),
    (
        {"k\ud800": 1},
        ValueError,
        f"object key string 'k\\ud800': string holds a lone surrogate U+D800, {SURROGATE}",
    ),
    (
        {"x": {"\udc00": 1}},
        ValueError,
        f"x: object key string '\\udc00': string holds a lone surrogate U+DC00, {SURROGATE}",
    ),
    (
        {"x": nest(100)},
        ValueError,
        "x" + "[0]" * 99 + ": nested more than 100 levels deep (the limit)",
    ),
    ({"x": (1, 2)}, TypeError, "x: expected a JSON value, got tuple"),
    ({"x": [{1}]}, TypeError, "x[0]: expected a JSON value, got set"),
    ({"x": {"y": b"z"}}, TypeError, "x.y: expected a JSON value, got bytes"),
    ({"x": Decimal("1.5")}, TypeError, "x: expected a JSON value, got Decimal"),
    ({"x": object()}, TypeError, "x: expected a JSON value, got object"),
    ({1: "a"}, TypeError, "object key of type int is not a string"),
    ({"x": {None: 1}}, TypeError, "x: object key of type NoneType is not a string"),
    (
        {"x": [datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))]},
        ValueError,
        "x[0]: timestamp is out of range when converted to UTC: ",
    ),
    ({"peerId": 1}, ValueError, "'peerId' is a known field of InternalMessage"),
    ({"peer_id": 1}, ValueError, "'peer_id' is a known field of InternalMessage"),
]


def _via_setter(model: Model, value: Any) -> None:
    model.additional_properties = value


def _via_setstate(model: Model, value: Any) -> None:
    model.__setstate__({"id": "changed", "__additional_properties__": value})


def _via_replace(model: Model, value: Any) -> None:
    model.additional_properties.update(value)  # the live dict: nothing checks it ...
    try:
        replace(model, id="changed")  # ... but a store of it does
    finally:
        model._additional_properties = {"kept": 1}


STORES: dict[str, Callable[[Model, Any], None]] = {
    "setter": _via_setter,
    "__setstate__": _via_setstate,
    "replace": _via_replace,
}


@pytest.mark.parametrize("store", STORES.values(), ids=STORES.keys())
@pytest.mark.parametrize(
    ("value", "error", "message"), REFUSED, ids=[case[2][:40] for case in REFUSED]
)
def test_a_store_refuses_what_decoding_refuses_naming_the_key_and_the_rule(
    store: Callable[[Model, Any], None], value: Any, error: type[Exception], message: str
) -> None:
    model = InternalMessage(id="a")
    model.additional_properties = {"kept": 1}
    with pytest.raises(error) as raised:
        store(model, value)
    shown = str(raised.value)
    if "known field" in message:
        assert shown.startswith(message)
    else:
        assert shown.startswith("additional_properties: " + message)
    # Nothing was stored: the model is as it was.
    assert model.id == "a"
    assert model.additional_properties == {"kept": 1}


@pytest.mark.parametrize("value", [["x"], "x", 1, OrderedDict], ids=repr)
def test_the_setter_takes_a_dict_or_none(value: Any) -> None:
    with pytest.raises(TypeError, match="additional_properties takes a dict or None, got "):
        InternalMessage().additional_properties = value


Level = IntEnum("Level", {"HIGH": 3})
Text = type("Text", (str,), {})


@pytest.mark.parametrize("store", ["setter", "__setstate__"])
def test_a_store_keeps_a_plain_json_copy(store: str) -> None:
    given: dict[str, Any] = {
        Text("k"): OrderedDict(
            a=Level.HIGH, b=[Text("t"), 2.5, float.__new__(type("F", (float,), {}), 1.5)]
        ),
        "when": datetime(2024, 5, 1, 14, tzinfo=timezone(timedelta(hours=2))),
        "deepest": nest(99),
        "longest": -(10**640 - 1),
        "pair": "\U0001f600",
    }
    model = Segment(type="t")
    if store == "setter":
        model.additional_properties = given
    else:
        model.__setstate__({"type": "t", "__additional_properties__": given})
    extra = model.additional_properties
    assert extra == {
        "k": {"a": 3, "b": ["t", 2.5, 1.5]},
        "when": given["when"],
        "deepest": nest(99),
        "longest": -(10**640 - 1),
        "pair": "\U0001f600",
    }
    assert extra is not given
    assert [type(key) for key in extra] == [str] * 5
    assert type(extra["k"]) is dict and type(extra["k"]["a"]) is int
    assert [type(item) for item in extra["k"]["b"]] == [str, float, float]
    given[Text("k")]["a"] = 4  # the caller's value is not the model's
    assert extra["k"]["a"] == 3
    assert model.to_api_json().startswith('{"type":"t","k":{"a":3,"b":["t",2.5,1.5]},')


@pytest.mark.parametrize("model", [InternalMessage, Segment, Address, InternalMessageDetails])
def test_each_model_counts_its_own_level_as_the_first(model: type[Model]) -> None:
    instance = model()
    instance.additional_properties = {"x": nest(99)}
    with pytest.raises(ValueError, match="nested more than 100 levels deep"):
        instance.additional_properties = {"x": nest(100)}


def test_setstate_checks_fields_as_the_constructor_does() -> None:
    segment = Segment(type="t")
    with pytest.raises(TypeError, match=r"Segment\.type takes str or None, got int"):
        segment.__setstate__({"type": 5})
    with pytest.raises(ValueError, match="lone surrogate"):
        segment.__setstate__({"type": "\ud800"})
    assert segment.type == "t"
    segment.__setstate__({"type": Text("u"), "start_time": datetime(2024, 5, 1)})
    assert type(segment.type) is str
    assert segment.to_api_json() == '{"startTime":"2024-05-01T00:00:00.000Z","type":"u"}'


def test_pickle_and_copies_keep_what_was_stored() -> None:
    message = InternalMessage.from_dict(
        {"id": "a", "x": [1.5, {"y": None}], "segments": [{"type": "t", "z": "\U0001f600"}]}
    )
    for twin in (
        pickle.loads(pickle.dumps(message)),
        copy.deepcopy(message),
        copy.copy(message),
        replace(message),
    ):
        assert twin == message
        assert twin.to_api_json() == message.to_api_json()
    # A shallow copy shares the unknown fields, as it shares the nested models.
    assert copy.copy(message).additional_properties is message.additional_properties


def test_a_value_put_into_the_live_dict_that_cannot_be_stored_cannot_be_copied_either() -> None:
    message = InternalMessage(id="a")
    message.additional_properties["x"] = math.nan  # nothing can prevent this
    for make in (copy.deepcopy, lambda m: pickle.loads(pickle.dumps(m)), replace):
        with pytest.raises(ValueError, match=re.escape("x: NaN is not a JSON value")):
            make(message)
