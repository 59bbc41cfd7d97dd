"""Every JSON writer of a model gives the same JSON value, as UTF-8 JSON text, and refuses
what JSON cannot hold in the same words: to_api_json() with and without options,
to_json(), each codec implementation's functions, on both JSON backends."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jsonspec import OPTIONS, compact_json_dumps, json_dumps, same
from purecloud_internal_message import (
    Address,
    InternalMessage,
    InternalMessageDetails,
    Model,
    Segment,
    _jsontext,
)
from purecloud_internal_message._jsonreference import parse_reference, write_reference
from purecloud_internal_message._jsontext import JSON
from strategies import api_payloads, examples

UTC = timezone.utc


@pytest.fixture(params=["msgspec", "json"])
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each JSON backend in turn as the one in use, by every writer."""
    previous = JSON.backend
    JSON.use(_jsontext.backend(request.param))
    try:
        yield request.param
    finally:
        JSON.use(previous)


# -- what the models hold --------------------------------------------------------------

# Characters every writer treats its own way: escapes, controls, the edges of the
# UTF-8 lengths, astral ones (a surrogate pair in \u escapes), a lone surrogate.
CHARACTERS = st.sampled_from(
    [
        *("a", '"', "\\", "/", "\b", "\f", "\n", "\r", "\t", "\x00", "\x1f", "\x7f"),
        *("\x80", "é", "\u07ff", "\u0800", "\u2028", "\ufeff", "\uffff"),
        *("\U00010000", "\U0001f600", "\U0010ffff"),
    ]
)
TEXT = st.text(CHARACTERS | st.characters(exclude_categories=["Cs"]), max_size=8)
BIG = 10**640 - 1
NUMBERS = (
    st.integers(-BIG, BIG)
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([0.0, -0.0, 1e16, 1e-7, 5e-324, 1.7976931348623157e308, BIG, -BIG])
)
VALUES = st.recursive(
    st.none() | st.booleans() | NUMBERS | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=10,
)
ANY_DATETIMES = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.none() | st.just(UTC) | st.timezones(),
)
KNOWN = {
    name
    for model in (InternalMessage, Segment, Address, InternalMessageDetails)
    for name in model.__model_lookup__
}


def _every_model(message: InternalMessage) -> list[Model]:
    pending: list[Any] = [message]
    found: list[Model] = []
    while pending:
        model = pending.pop()
        found.append(model)
        for spec in model.__model_fields__:
            value = getattr(model, spec.slot)
            if spec.is_model and value is not None:
                pending.append(value)
            elif spec.is_model_list and value:
                pending.extend(value)
    return found


@st.composite
def messages(draw: st.DrawFn) -> InternalMessage:
    """A model with unknown fields at every level (a lone surrogate, a datetime and
    a str subclass among them, as the live dict and the setters allow), tricky text."""
    message = InternalMessage.from_dict(draw(api_payloads(unknown=True)))
    for model in _every_model(message):
        extra = model.additional_properties
        for _ in range(draw(st.integers(0, 2))):
            key = draw(TEXT.filter(lambda key: key not in KNOWN))
            extra[key] = draw(VALUES)
        if draw(st.integers(0, 4)) == 0:
            extra["lone"] = draw(st.sampled_from(["\ud800", "a\udfff", "\udbff\udbff"]))
        if draw(st.integers(0, 4)) == 0:
            extra["when"] = draw(ANY_DATETIMES)
    message.provider = draw(TEXT)
    if draw(st.booleans()):
        message.peer_id = type("Text", (str,), {})(draw(TEXT))  # the setter keeps a subclass
    if draw(st.booleans()):
        message.connected_time = draw(ANY_DATETIMES)
    return message


def _isoformat(value: Any) -> Any:
    """The SDK's form of a dict holding datetimes (what to_json writes)."""
    if isinstance(value, dict):
        return {key: _isoformat(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_isoformat(item) for item in value]
    return value.isoformat() if isinstance(value, datetime) else value


def _read(text: str) -> Any:
    """The value of ``text``, which must be JSON that UTF-8 can carry."""
    text.encode("utf-8")  # no lone surrogate written raw
    value = json.loads(text)
    assert same(parse_reference(text.encode("utf-8")), value)
    return value


# -- one value, every form --------------------------------------------------------------


@settings(
    max_examples=examples(200),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(message=messages(), options=OPTIONS)
def test_every_writer_form_gives_the_same_json_value(
    codecs: ModuleType, backend: str, message: InternalMessage, options: dict[str, Any]
) -> None:
    functions = codecs.CODECS[InternalMessage]
    api = functions["to_api_dict"](message)
    sdk = _isoformat(functions["to_dict"](message))
    # The API form: the compact writers byte for byte, every form the same value.
    compact = JSON.dumps(api)
    assert compact == message.to_api_json()
    assert compact == functions["_to_api_json"](message)  # the compiled writer on "c"
    assert compact == write_reference(api)
    assert compact == compact_json_dumps(api, {})
    styled = message.to_api_json(**options)
    assert styled == JSON.dumps(api, **options)
    assert styled == compact_json_dumps(api, options)
    ordered = not options.get("sort_keys")
    assert same(_read(styled), _read(compact), ordered)
    assert same(_read(compact), json.loads(json_dumps(api, {})))
    # The SDK form: json.dumps's defaults, datetimes as isoformat().
    assert message.to_json() == json_dumps(sdk, {})
    styled_sdk = message.to_json(**options)
    if options.get("separators") is None:
        defaults = {"separators": (", ", ": ") if options.get("indent") is None else (",", ": ")}
    else:
        defaults = {}
    assert styled_sdk == json_dumps(sdk, options, **defaults)
    assert same(_read(styled_sdk), _read(message.to_json()), ordered)


def test_the_sdk_form_is_json_dumps_defaults() -> None:
    message = InternalMessage(
        id="é\U0001f600",
        connected_time=datetime(2024, 5, 1, 12, tzinfo=timezone(timedelta(hours=2))),
    )
    message.additional_properties = {"x": [1.5, {"y": None}]}
    text = message.to_json()
    assert text.startswith('{"state": null, "initial_state": null, "id": "\\u00e9\\ud83d\\ude00", ')
    assert '"connected_time": "2024-05-01T12:00:00+02:00"' in text
    assert text.endswith('"messages": null, "x": [1.5, {"y": null}]}')
    assert message.to_json(indent=1).startswith('{\n "state": null,\n "initial_state": null,')


def test_to_api_json_keeps_its_compact_separators_with_indent() -> None:
    message = InternalMessage(id="a", to_address=Address(name="é"))
    assert (
        message.to_api_json(indent=2) == '{\n  "id":"a",\n  "toAddress":{\n    "name":"é"\n  }\n}'
    )
    assert message.to_api_json(indent=2, ensure_ascii=True).endswith('"name":"\\u00e9"\n  }\n}')
    assert message.to_api_json(sort_keys=True, separators=(", ", ": ")) == (
        '{"id": "a", "toAddress": {"name": "é"}}'
    )


# -- the compiled model writer is the writer's twin ---------------------------------------


@settings(
    max_examples=examples(200),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(message=messages())
def test_the_compiled_writer_is_byte_identical_to_the_writer(
    compiled: ModuleType, backend: str, message: InternalMessage
) -> None:
    written = compiled.CODECS[InternalMessage]["_to_api_json"](message)
    assert written == JSON.dumps(message.to_api_dict())
    assert written == _jsontext.backend("json").dumps(message.to_api_dict())


# -- what no writer writes ------------------------------------------------------------------


class Key(str):
    """A str subclass, as a key: refused by every writer."""


class LyingKey(str):
    """A str subclass whose == and hash hide its text: two keys of one text in a dict."""

    def __hash__(self) -> int:
        return 1

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True


def _cycle() -> list[Any]:
    loop: list[Any] = [1]
    loop.append({"back": loop})
    return loop


# (value put into the live dict, what is refused at "x", the exception)
UNWRITABLE = [
    (math.nan, "NaN is not a JSON value", ValueError),
    (math.inf, "Infinity is not a JSON value", ValueError),
    ([-math.inf], "[0]: -Infinity is not a JSON value", ValueError),
    (10**640, "integer with more than 640 digits (the limit)", ValueError),
    ({"y": -(10**640)}, ".y: integer with more than 640 digits (the limit)", ValueError),
    ((1, 2), "expected a JSON value, got tuple", TypeError),
    ({"y": [{1}]}, ".y[0]: expected a JSON value, got set", TypeError),
    (b"x", "expected a JSON value, got bytes", TypeError),
    ({1: "a"}, ": object key of type int is not a string", TypeError),
    ({Key("k"): 1}, ": object key of type Key (a str subclass) is not a plain str", TypeError),
    ({"a": {LyingKey("k"): 1, "k": 2}}, ".a: object key of type LyingKey", TypeError),
    (_cycle(), "[1].back: circular reference", ValueError),
]


def _writers(model: Model) -> dict[str, Callable[[], str]]:
    return {
        "to_api_json()": model.to_api_json,
        "to_api_json(indent=2)": lambda: model.to_api_json(indent=2),
        "to_api_json(separators)": lambda: model.to_api_json(separators=(",", ":")),
        "to_api_json(sort_keys, ensure_ascii)": lambda: model.to_api_json(
            sort_keys=True, ensure_ascii=True
        ),
        "to_json()": model.to_json,
        "to_json(indent=2)": lambda: model.to_json(indent=2),
    }


def _located(where: str, text: str) -> str:
    """The refusal of ``text`` (relative to "x") with "x" at ``where``."""
    return where + ("" if text.startswith((".", "[", ":")) else ": ") + text


@pytest.mark.parametrize(
    ("value", "text", "error"), UNWRITABLE, ids=[case[1][:40] for case in UNWRITABLE]
)
def test_what_json_cannot_hold_is_refused_alike_by_every_writer_at_every_level(
    backend: str, value: Any, text: str, error: type[Exception]
) -> None:
    message = InternalMessage(
        id="a",
        to_address=Address(name="b"),
        segments=[Segment(type="c")],
        messages=[InternalMessageDetails(message_id="d")],
    )
    levels = {
        "x": (message, "x"),
        "toAddress.x": (message.to_address, "to_address.x"),
        "segments[0].x": (message.segments[0], "segments[0].x"),  # type: ignore[index]
        "messages[0].x": (message.messages[0], "messages[0].x"),  # type: ignore[index]
    }
    for api_path, (model, sdk_path) in levels.items():
        model.additional_properties["x"] = value  # the live dict: nothing checks it
        for name, write in _writers(message).items():
            where = sdk_path if name.startswith("to_json") else api_path
            with pytest.raises(error) as raised:
                write()
            assert str(raised.value).startswith(_located(where, text)), name
        del model.additional_properties["x"]
    assert message.to_api_json() == (
        '{"id":"a","segments":[{"type":"c"}],"toAddress":{"name":"b"},'
        '"messages":[{"messageId":"d"}]}'
    )


def test_to_json_refuses_what_a_subclass_own_to_dict_returns_as_it_refuses_unknown_fields(
    backend: str,
) -> None:
    # to_json() trusts the known fields (every store checks them) but not a to_dict
    # of the user's, at the top or nested, with or without unknown fields.
    class Odd(Segment):
        def to_dict(self) -> dict[str, Any]:
            return {"type": (1, 2)}

    class OddMessage(InternalMessage):
        def to_dict(self) -> dict[str, Any]:
            return {"id": math.nan}

    odd = Odd(type="c")
    message = InternalMessage(id="a", segments=[Segment(type="b"), odd])
    for extra in (None, {"x": 1}):
        odd.additional_properties = extra
        for write in (message.to_json, lambda: message.to_json(indent=2)):
            with pytest.raises(TypeError, match=re.escape("segments[1].type: expected a JSON")):
                write()
    for write in (OddMessage(id="a").to_json, lambda: OddMessage(id="a").to_json(indent=2)):
        with pytest.raises(ValueError, match=re.escape("id: NaN is not a JSON value")):
            write()


@pytest.mark.parametrize("frames", [0, 800])
def test_what_is_deeper_than_the_stores_allow_is_still_written_by_every_writer(
    backend: str, frames: int
) -> None:
    # Only the live dict can hold it; nothing recurses on it, wherever it is called from.
    deep: Any = [1.5]
    for _ in range(5_000):
        deep = [deep, {"k": "é"}]
    message = InternalMessage(id="a", to_address=Address(name="b"))
    message.to_address.additional_properties["x"] = deep  # type: ignore[union-attr]

    def dive(remaining: int, write: Callable[[], str]) -> str:
        return write() if remaining <= 0 else dive(remaining - 1, write)

    expected = {"id": "a", "toAddress": {"name": "b", "x": deep}}
    for name, write in _writers(message).items():
        text = dive(frames, write)
        value = _jsontext.backend("json").parse(text)
        if name.startswith("to_api"):
            assert same(value, expected, ordered="sort_keys" not in name), name
        else:
            assert same(value["to_address"]["x"], deep), name
    assert same(message.to_dict()["to_address"]["x"], deep)
    assert message.to_api_dict()["toAddress"]["x"] is not deep  # a copy, not the model's own


def test_a_lone_surrogate_is_written_as_its_escape_by_every_writer(backend: str) -> None:
    message = InternalMessage(id="a", to_address=Address(name="b"))
    message.to_address.additional_properties["\udc00"] = ["é\ud800", {"\udbff": "\udfff"}]  # type: ignore[union-attr]
    for name, write in _writers(message).items():
        text = write()
        text.encode("utf-8")
        assert "\\ud800" in text and "\\udbff" in text and "\\udfff" in text, name
        assert "\\udc00" in text, name
        assert json.loads(text)["toAddress" if name.startswith("to_api") else "to_address"][
            "\udc00"
        ] == ["é\ud800", {"\udbff": "\udfff"}]


@pytest.mark.parametrize("options", [{}, {"indent": 2}, {"ensure_ascii": True}])
def test_str_subclass_keys_are_refused_by_every_json_writer(
    backend: str, options: dict[str, Any]
) -> None:
    value = {"a": [{Key("k"): 1}]}
    message = "a[0]: object key of type Key (a str subclass) is not a plain str"
    with pytest.raises(TypeError, match=re.escape(message)):
        _jsontext.backend(backend).dumps(value, **options)
    with pytest.raises(TypeError, match=re.escape(message)):
        write_reference(value)
    with pytest.raises(TypeError, match=re.escape(message)):
        JSON.dumps(value, **options)


def test_str_subclass_values_are_written_as_their_text(backend: str) -> None:
    message = InternalMessage(id="a")
    message.peer_id = Key("p")  # the setter keeps the very object
    message.additional_properties["x"] = [Key("v")]
    for name, write in _writers(message).items():
        assert '"p"' in write() and '"v"' in write(), name
    assert message.to_api_json() == '{"id":"a","peerId":"p","x":["v"]}'


# -- what the writers take --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["default", "cls", "allow_nan", "skipkeys", "check_circular", "x"])
def test_options_json_dumps_has_but_that_could_write_other_than_json_are_refused(
    name: str,
) -> None:
    message = InternalMessage(id="a")
    for write in (message.to_api_json, message.to_json):
        with pytest.raises(TypeError, match=f"unexpected keyword argument '{name}'"):
            write(**{name: None})


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"indent": -1}, ValueError, "indent must be at least 0"),
        ({"indent": "--"}, ValueError, "indent must be JSON whitespace"),
        ({"indent": 1.5}, TypeError, "indent takes an int"),
        ({"indent": True}, TypeError, "indent takes an int"),
        ({"separators": (";", ":")}, ValueError, "separator ';' must be ','"),
        ({"separators": (",", "=")}, ValueError, "separator '=' must be ':'"),
        ({"separators": ","}, TypeError, "separators takes a pair"),
        ({"separators": (",", ":", ",")}, TypeError, "separators takes a pair"),
        ({"separators": (",", b":")}, TypeError, "separators takes a pair of str"),
        ({"sort_keys": 1}, TypeError, "sort_keys takes True or False"),
        ({"ensure_ascii": None}, TypeError, "ensure_ascii takes True or False"),
    ],
)
def test_options_that_would_not_write_json_are_refused(
    options: dict[str, Any], error: type[Exception], message: str
) -> None:
    model = InternalMessage(id="a")
    for write in (model.to_api_json, model.to_json):
        with pytest.raises(error, match=re.escape(message)):
            write(**options)
