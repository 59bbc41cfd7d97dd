"""JSON text in and out: both backends and the reference parser and writer agree, and
the values, errors and bytes are the contract's, whatever the stack or the process state.
"""

from __future__ import annotations

import enum
import json
import math
import pickle
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jsonspec import OPTIONS, compact_json_dumps, same
from purecloud_internal_message import _jsontext
from purecloud_internal_message._extensions import ENV_VAR
from purecloud_internal_message._jsonreference import parse_reference, write_reference
from purecloud_internal_message._jsontext import JSON
from purecloud_internal_message._jsonvalues import JSONTextError, OutOfRange, Style
from strategies import examples

MSGSPEC = _jsontext.backend("msgspec")
STDLIB = _jsontext.backend("json")
BACKENDS = [MSGSPEC, STDLIB]
BACKEND_IDS = ["msgspec", "json"]
INFINITIES = (math.inf, -math.inf)


# -- helpers --


def _refuse(name: str) -> Any:
    raise ValueError(name)


def _oracle_int(literal: str) -> Any:
    digits = len(literal.lstrip("-"))
    return OutOfRange(literal) if digits > 640 else int(literal)


def _oracle_float(literal: str) -> Any:
    number = float(literal)
    return OutOfRange(literal) if number in INFINITIES else number


def oracle(text: str) -> Any:
    """``json.loads``'s value, with the contract's placeholders for numbers without one."""
    return json.loads(
        text, parse_constant=_refuse, parse_int=_oracle_int, parse_float=_oracle_float
    )


def outcome(parse: Callable[[Any], Any], text: Any) -> tuple[Any, ...]:
    """What parsing gives: ("value", value) or ("error", message, line, column, offset)."""
    try:
        return ("value", parse(text))
    except JSONTextError as error:
        return ("error", error.message, error.line, error.column, error.offset)


def agree(first: tuple[Any, ...], second: tuple[Any, ...]) -> bool:
    if first[0] == "value" == second[0]:
        return same(first[1], second[1])
    return first == second


def all_outcomes(text: Any) -> list[tuple[Any, ...]]:
    """The outcome on each backend and of the reference parser."""
    return [outcome(b.parse, text) for b in BACKENDS] + [outcome(parse_reference, text)]


def nested(depth: int, innermost: Any = None) -> Any:
    value: Any = [] if innermost is None else innermost
    for _ in range(depth):
        value = [value]
    return value


def stack_depth() -> int:
    frame = sys._getframe()
    depth = 0
    while frame is not None:
        depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    return depth


def called_at_depth(depth: int, function: Callable[[], Any]) -> Any:
    """``function()`` called with ``depth`` frames on the stack."""

    def dive(remaining: int) -> Any:
        if remaining <= 0:
            return function()
        return dive(remaining - 1)

    return dive(depth - stack_depth() - 1)


# -- strategies --

# Text as JSON values hold it: no surrogates (a pair of separate surrogate code
# points cannot survive JSON: its escapes read back as one character).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
CONTROL_AND_ASTRAL = st.text(
    st.sampled_from(["\x00", "\x1f", "\x7f", '"', "\\", "/", "\u2028", "é", "😀", "\U0010ffff"]),
    max_size=6,
)
BIG_INT = 10**640 - 1

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-BIG_INT, max_value=BIG_INT)
    | st.sampled_from([0.0, -0.0, 5e-324, -5e-324, 1e16, 1e-5, 1e22, 1.7976931348623157e308])
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
    | CONTROL_AND_ASTRAL,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(TEXT | CONTROL_AND_ASTRAL, children, max_size=5)
    ),
    max_leaves=25,
)

WS = st.text(st.sampled_from(" \t\n\r"), max_size=3)
_ESCAPES = st.sampled_from(['\\"', "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"])
_U_ESCAPE = st.builds(
    lambda code, upper: ("\\u%04X" if upper else "\\u%04x") % code,
    st.integers(0, 0xFFFF),
    st.booleans(),
)


def _pair(code: int) -> str:
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


_STRING_PART = (
    st.characters(min_codepoint=0x20, blacklist_categories=("Cs",), blacklist_characters='"\\')
    | _ESCAPES
    | _U_ESCAPE
    | st.integers(0x10000, 0x10FFFF).map(_pair)
)
STRING_LITERAL = st.lists(_STRING_PART, max_size=8).map(lambda parts: '"' + "".join(parts) + '"')
NUMBER_LITERAL = st.from_regex(
    r"-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,20})?([eE][-+]?[0-9]{1,3})?", fullmatch=True
)
KEY_LITERAL = st.sampled_from(['"a"', '"b"', '"\\u0061"', '""']) | STRING_LITERAL


def _array(items: list[tuple[str, str, str]], empty: str) -> str:
    return "[" + (",".join(a + v + b for a, v, b in items) if items else empty) + "]"


def _object(members: list[tuple[str, str, str, str, str, str]], empty: str) -> str:
    if not members:
        return "{" + empty + "}"
    return "{" + ",".join(a + k + b + ":" + c + v + d for a, k, b, c, v, d in members) + "}"


JSON_TEXT = st.builds(
    lambda before, value, after: before + value + after,
    WS,
    st.recursive(
        STRING_LITERAL | NUMBER_LITERAL | st.sampled_from(["true", "false", "null"]),
        lambda children: (
            st.builds(_array, st.lists(st.tuples(WS, children, WS), max_size=4), WS)
            | st.builds(
                _object,
                st.lists(st.tuples(WS, KEY_LITERAL, WS, WS, children, WS), max_size=4),
                WS,
            )
        ),
        max_leaves=20,
    ),
    WS,
)

MUTATION_CHARS = st.sampled_from(
    [
        *'{}[],:"\\ -+.eE019tfnuaNI\n\t\r/',
        "\x00",
        "\x0b",
        "\x1f",
        "\xa0",
        "é",
        "\ud800",
        "\udc00",
        "\ufeff",
        "😀",
    ]
)
MUTATION_BYTES = st.sampled_from(
    [0x00, 0x22, 0x5C, 0x80, 0xBF, 0xC0, 0xC3, 0xED, 0xA0, 0xEF, 0xBB, 0xF4, 0xFF]
)


# -- dumps --


@given(json_values)
def test_dumps_is_byte_identical_on_both_backends_and_reads_back(value: Any) -> None:
    written = MSGSPEC.dumps(value)
    assert STDLIB.dumps(value) == written
    assert write_reference(value) == written
    # The standard library's own compact form is the specification.
    assert written == json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for backend in BACKENDS:
        assert same(backend.parse(written), value)
        assert same(backend.parse(written.encode()), value)


def _prepared(value: Any, wire: Callable[[float], Any]) -> Any:
    if type(value) is float:
        return wire(value)
    if type(value) is list:
        return [_prepared(item, wire) for item in value]
    if type(value) is dict:
        return {key: _prepared(item, wire) for key, item in value.items()}
    return value


@given(json_values)
def test_dumps_prepared_with_wire_floats_equals_dumps(value: Any) -> None:
    expected = STDLIB.dumps(value)
    for backend in BACKENDS:
        assert backend.dumps_prepared(_prepared(value, backend.wire_float)) == expected
    # The reference writer, which a failing msgspec writer falls back to, reads Raw too.
    assert write_reference(_prepared(value, MSGSPEC.wire_float), msgspec.Raw) == expected


def test_wire_float_is_raw_repr_on_msgspec_and_the_float_on_json() -> None:
    raw = MSGSPEC.wire_float(1e16)
    assert isinstance(raw, msgspec.Raw)
    assert bytes(raw) == b"1e+16"
    assert STDLIB.wire_float(1e16) == 1e16
    assert JSON.wire_float(0.5) is not None
    for backend in BACKENDS:
        for bad, name in [(math.nan, "NaN"), (math.inf, "Infinity"), (-math.inf, "-Infinity")]:
            with pytest.raises(ValueError, match=rf"^{name} is not a JSON value$"):
                backend.wire_float(bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1e16, "1e+16"),
        (1e-5, "1e-05"),
        (5e-324, "5e-324"),
        (-0.0, "-0.0"),
        (1e22, "1e+22"),
        (0.1, "0.1"),
        (1e15, "1000000000000000.0"),
        (10**639, "1" + "0" * 639),
        (-(10**640 - 1), "-" + "9" * 640),
        ({"b": 1, "a": [True, None]}, '{"b":1,"a":[true,null]}'),
        ("\x00\x1f\x7f\u2028é😀", '"\\u0000\\u001f\x7f\u2028é😀"'),
        ('"\\/\b\f\n\r\t', '"\\"\\\\/\\b\\f\\n\\r\\t"'),
        # A lone surrogate cannot be UTF-8: it is escaped, and reads back the same.
        ("\ud800é", '"\\ud800é"'),
        ({"\udfff": "x"}, '{"\\udfff":"x"}'),
    ],
)
def test_dumps_spells_values_exactly(value: Any, expected: str) -> None:
    for backend in BACKENDS:
        assert backend.dumps(value) == expected
        assert backend.dumps_prepared(_prepared(value, backend.wire_float)) == expected
        assert same(backend.parse(expected), value)


def test_every_ascii_character_is_escaped_like_the_standard_library() -> None:
    for code in range(0x80):
        char = chr(code)
        expected = json.dumps(char, ensure_ascii=False)
        for backend in BACKENDS:
            assert backend.dumps(char) == expected
            assert backend.dumps({char: char}) == "{" + expected + ":" + expected + "}"


def _cycle() -> Any:
    inner: list[Any] = [1]
    outer = {"z": [inner]}
    inner.append(outer)
    return outer


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (math.nan, ValueError, "NaN is not a JSON value"),
        ({"a": [1, -math.inf]}, ValueError, "a[1]: -Infinity is not a JSON value"),
        ([10**640], ValueError, "[0]: integer with more than 640 digits (the limit)"),
        ({"a": {1: 2}}, TypeError, "a: object key of type int is not a string"),
        ((1, 2), TypeError, "expected a JSON value, got tuple"),
        ({"a": [{"b": {1}}]}, TypeError, "a[0].b: expected a JSON value, got set"),
        (_cycle(), ValueError, "z[0][1]: circular reference"),
    ],
)
def test_dumps_refuses_what_is_not_json_in_its_own_words(
    value: Any, error: type[Exception], message: str
) -> None:
    for backend in BACKENDS:
        with pytest.raises(error) as raised:
            backend.dumps(value)
        assert str(raised.value) == message


def test_a_cycle_given_to_dumps_prepared_is_named_not_a_recursion_error() -> None:
    # dumps_prepared skips the checks, but what the compiled writers fail on,
    # the reference writer names.
    for backend in BACKENDS:
        with pytest.raises(ValueError, match=r"^z\[0\]\[1\]: circular reference$"):
            backend.dumps_prepared(_cycle())


def test_a_repeated_container_is_no_cycle() -> None:
    shared = [1.5]
    value = {"a": [shared, shared, [shared]], "b": shared}
    for backend in BACKENDS:
        assert backend.dumps(value) == '{"a":[[1.5],[1.5],[[1.5]]],"b":[1.5]}'


def test_dumps_leaves_its_argument_alone() -> None:
    value = {"a": [1.5, {"b": 2.5}]}
    for backend in BACKENDS:
        backend.dumps(value)
        assert same(value, {"a": [1.5, {"b": 2.5}]})


# -- dumps with options --


@given(json_values | st.text(), OPTIONS)
def test_dumps_with_options_is_json_dumps_on_both_backends_and_the_reference(
    value: Any, options: dict[str, Any]
) -> None:
    expected = compact_json_dumps(value, options)
    for backend in BACKENDS:
        assert backend.dumps(value, **options) == expected
    assert write_reference(value, None, Style(**options)) == expected
    expected.encode("utf-8")  # JSON that UTF-8 carries


@pytest.mark.parametrize("depth", [0, 900])
@pytest.mark.parametrize(
    "options", [{"indent": 1}, {"separators": (", ", ": ")}, {"ensure_ascii": True}]
)
def test_deep_values_are_written_with_options_at_any_stack_depth(
    depth: int, options: dict[str, Any]
) -> None:
    value = nested(3000, [1.5, "é"])
    for backend in BACKENDS:
        written = called_at_depth(depth, lambda backend=backend: backend.dumps(value, **options))
        assert same(STDLIB.parse(written), value)
        assert written == write_reference(value, None, Style(**options))


def test_subclasses_of_str_int_and_float_are_written_as_their_base_value() -> None:
    class Text(str):
        def __str__(self) -> str:
            return "not this"

    class Level(enum.IntEnum):
        HIGH = 3

    class Number(float):
        def __repr__(self) -> str:
            return "not this"

    value = {"a": [Text("t"), Level.HIGH, Number(1.5), Number(1e16)]}
    for backend in BACKENDS:
        for options in ({}, {"indent": 1}, {"ensure_ascii": True}):
            assert backend.dumps(value, **options) == compact_json_dumps(
                {"a": ["t", 3, 1.5, 1e16]}, options
            )
    assert write_reference(value) == '{"a":["t",3,1.5,1e+16]}'


def test_the_defaults_as_options_are_the_compact_form() -> None:
    value = {"b": ["é", 1e16], "a": None}
    for backend in BACKENDS:
        compact = backend.dumps(value)
        assert compact == '{"b":["é",1e+16],"a":null}'
        assert backend.dumps(value, separators=(",", ":")) == compact
        assert backend.dumps(value, indent=None, sort_keys=False, ensure_ascii=False) == compact


# -- parse: values --


@settings(max_examples=examples(300))
@given(JSON_TEXT)
def test_reference_parser_returns_exactly_what_json_loads_returns(text: str) -> None:
    expected = oracle(text)
    assert same(parse_reference(text), expected)
    assert same(parse_reference(text.encode()), expected)
    for backend in BACKENDS:
        assert same(backend.parse(text), expected)
        assert same(backend.parse(text.encode()), expected)


@given(NUMBER_LITERAL)
def test_numbers_read_the_same_everywhere(literal: str) -> None:
    outcomes = all_outcomes(literal)
    assert all(agree(outcomes[0], other) for other in outcomes[1:])
    assert same(outcomes[0][1], oracle(literal))


@given(st.integers(min_value=10**640, max_value=10**5000) | st.integers(max_value=-(10**640)))
def test_out_of_range_from_int_is_what_parsing_its_literal_gives(value: int) -> None:
    sys_limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # to write the literal for the test only
    try:
        literal = str(value)
    finally:
        sys.set_int_max_str_digits(sys_limit)
    assert OutOfRange.from_int(value) == parse_reference(literal)
    assert OutOfRange.from_int(value) == STDLIB.parse(literal)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1, "b": 2, "a": 3}', {"a": 3, "b": 2}),  # last value, first position
        ('{"a": 1, "\\u0061": 2}', {"a": 2}),
        ("-0.0", -0.0),
        ("-0", 0),
        ("0E0", 0.0),
        ("1E400", OutOfRange("1E400")),
        ("-1e400", OutOfRange("-1e400")),
        ("1e-400", 0.0),
        ("1" * 640, int("1" * 640)),
        ("-" + "1" * 640, -int("1" * 640)),
        ("[1" + "0" * 400 + ".5]", [OutOfRange("1" + "0" * 19 + "..." + "0" * 8 + ".5")]),
        ('"\\ud83d\\ude00"', "😀"),
        ('"\\ud800"', "\ud800"),  # a lone surrogate escape, as json.loads gives
        ('"\\udc00\\ud800"', "\udc00\ud800"),
        ('"\\ud800\\ud800\\udc00"', "\ud800\U00010000"),
        ('"\\ud800\\u0041"', "\ud800A"),
        ('"\\/\\b\\f\\n\\r\\t\\"\\\\"', '/\b\f\n\r\t"\\'),
        ('"\x7f\u2028"', "\x7f\u2028"),
        ('"\ud800"', "\ud800"),  # a raw lone surrogate in a str, as json.loads reads it
        (" \t\n\r[ ] ", []),
    ],
)
def test_values_at_the_edges(text: str, expected: Any) -> None:
    for result in all_outcomes(text):
        assert result[0] == "value"
        assert same(result[1], expected)


def test_ints_of_more_than_640_digits_are_placeholders_or_on_msgspec_ints() -> None:
    placeholder = OutOfRange("1" * 20 + "..." + "1" * 10)
    for text in ["1" * 641, "1" * 5000]:
        assert STDLIB.parse(text) == parse_reference(text) == placeholder
    # msgspec reads ints up to the application's digit limit (4300 by default);
    # the model decoder refuses them as it refuses the placeholder.
    assert MSGSPEC.parse("1" * 641) == int("1" * 641)
    assert MSGSPEC.parse("1" * 5000) == placeholder


@pytest.mark.parametrize("data", [b'\xef\xbb\xbf{"a": [1]}', bytearray(b'\xef\xbb\xbf{"a": [1]}')])
def test_bytes_may_start_with_a_byte_order_mark(data: bytes) -> None:
    for result in all_outcomes(data):
        assert result == ("value", {"a": [1]})


def test_out_of_range_placeholder() -> None:
    assert OutOfRange("1e400").text == "1e400"
    assert repr(OutOfRange("1e400")) == "OutOfRange('1e400')"
    assert OutOfRange("9" * 5000).text == "9" * 20 + "..." + "9" * 10
    assert OutOfRange("1e400") == OutOfRange("1e400") != OutOfRange("2e400")
    assert hash(OutOfRange("1e400")) == hash(OutOfRange("1e400"))
    assert pickle.loads(pickle.dumps(OutOfRange("1e400"))) == OutOfRange("1e400")
    assert OutOfRange.from_int(-(10**700)) == OutOfRange("-" + "1" + "0" * 700)


# -- parse: errors --


@settings(max_examples=examples(500))
@given(JSON_TEXT, st.data())
def test_mutated_text_gives_the_same_outcome_on_every_route(text: str, data: st.DataObject) -> None:
    for _ in range(data.draw(st.integers(1, 3))):
        position = data.draw(st.integers(0, len(text)))
        operation = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        char = data.draw(MUTATION_CHARS)
        if operation == "insert":
            text = text[:position] + char + text[position:]
        elif operation == "delete":
            text = text[:position] + text[position + 1 :]
        else:
            text = text[:position] + char + text[position + 1 :]
    outcomes = all_outcomes(text)
    assert all(agree(outcomes[0], other) for other in outcomes[1:]), outcomes
    if outcomes[0][0] == "value":
        assert same(outcomes[0][1], oracle(text))
    else:
        with pytest.raises(ValueError):
            oracle(text)
    encoded = text.encode("utf-8", "surrogatepass")
    outcomes = all_outcomes(encoded)
    assert all(agree(outcomes[0], other) for other in outcomes[1:]), outcomes


@settings(max_examples=examples(300))
@given(JSON_TEXT, st.data())
def test_mutated_bytes_give_the_same_outcome_on_every_route(text: str, data: st.DataObject) -> None:
    encoded = bytearray(text.encode())
    for _ in range(data.draw(st.integers(1, 3))):
        position = data.draw(st.integers(0, len(encoded)))
        byte = data.draw(MUTATION_BYTES)
        if data.draw(st.booleans()):
            encoded.insert(position, byte)
        elif position < len(encoded):
            encoded[position] = byte
    outcomes = all_outcomes(bytes(encoded))
    assert all(agree(outcomes[0], other) for other in outcomes[1:]), outcomes


DEEP = 100_000

INVALID = [
    # (text, message, line, column)
    ("", "empty input", 1, 1),
    (" \n\t", "empty input (only whitespace)", 2, 2),
    (b"", "empty input", 1, 1),
    ("[1,]", "trailing comma before ']'", 1, 4),  # Python 3.13's json words this its own way
    ('{"a": 1,\n}', "trailing comma before '}'", 2, 1),
    ("[1 2]", "expected ',' or ']' after an array element, found '2'", 1, 4),
    ("[1", "expected ',' or ']' after an array element, found the end of the input", 1, 3),
    (
        '{\n  "id": "c-1",\n  "state": "connected"\n  "provider": "x"\n}',
        "expected ',' or '}' after an object member, found '\"'",
        4,
        3,
    ),
    ('{"a" 1}', "expected ':' after an object key, found '1'", 1, 6),
    ("{'a': 1}", "expected a string key or '}', found \"'\"", 1, 2),
    ('{"a": 1, 2: 3}', "expected a string key after ',', found '2'", 1, 10),
    ('{"a": }', "expected a value, found '}'", 1, 7),
    ('{"a":', "expected a value, found the end of the input", 1, 6),
    ("[,1]", "expected a value, found ','", 1, 2),
    ("NaN", "NaN is not a JSON value", 1, 1),
    ('{"x": Infinity}', "Infinity is not a JSON value", 1, 7),
    ("[-Infinity]", "-Infinity is not a JSON value", 1, 2),
    ("True", "expected a value, found 'True'", 1, 1),
    ("[tru]", "expected a value, found 'tru'", 1, 2),
    ("[" + "x" * 50 + "]", "expected a value, found '" + "x" * 20 + "...'", 1, 2),
    ("nulll", "extra data after the JSON value", 1, 5),
    ("[1] [2]", "extra data after the JSON value", 1, 5),
    ("{}\n}", "extra data after the JSON value", 2, 1),
    ("[\x00]", "expected a value, found U+0000", 1, 2),
    ("[é]", "expected a value, found U+00E9", 1, 2),
    ('"abc', "unterminated string", 1, 1),
    ('["a", "b\\"]', "unterminated string", 1, 7),
    ('"ab\\', "unterminated string", 1, 1),
    ('"\\u12', "unterminated string", 1, 1),
    ('"a\nb"', "control character U+000A in a string", 1, 3),
    ('"\x1f"', "control character U+001F in a string", 1, 2),
    ('"\\x41"', "invalid escape '\\x'", 1, 2),
    ('"\\U0041"', "invalid escape '\\U'", 1, 2),
    ('"\\\n"', "invalid escape: '\\' followed by U+000A", 1, 2),
    ('"\\u12G4"', "invalid escape '\\u': expected 4 hex digits", 1, 2),
    ('"\\u 123"', "invalid escape '\\u': expected 4 hex digits", 1, 2),
    ('"\\u1_23"', "invalid escape '\\u': expected 4 hex digits", 1, 2),
    ('"\\ud800\\uzzzz"', "invalid escape '\\u': expected 4 hex digits", 1, 8),
    ("01", "invalid number: leading zero", 1, 1),
    ("[-00]", "invalid number: leading zero", 1, 2),
    ("1.", "invalid number: expected a digit after '.'", 1, 1),
    ("[1.e5]", "invalid number: expected a digit after '.'", 1, 2),
    ("1e", "invalid number: expected a digit in the exponent", 1, 1),
    ("1.5E+", "invalid number: expected a digit in the exponent", 1, 1),
    ("-", "invalid number: expected a digit after '-'", 1, 1),
    ("[-a]", "invalid number: expected a digit after '-'", 1, 2),
    ("+1", "expected a value, found '+'", 1, 1),
    (".5", "expected a value, found '.'", 1, 1),
    ("1.5.", "extra data after the JSON value", 1, 4),
    ("[1\u0661]", "expected ',' or ']' after an array element, found U+0661", 1, 3),
    # Byte order marks: refused in a str (as json.loads does), skipped once in bytes.
    ("\ufeff{}", "unexpected byte order mark U+FEFF", 1, 1),
    (b"\xef\xbb\xbf\xef\xbb\xbf{}", "unexpected byte order mark U+FEFF", 1, 1),
    (b"\xef\xbb\xbf", "empty input", 1, 1),
    ("[\ufeff]", "expected a value, found U+FEFF", 1, 2),
    # Bytes are UTF-8: positions count the characters before the bad byte.
    (b'{"a": "caf\xe9"}', "invalid UTF-8: byte 0xe9", 1, 11),
    (b'["\xc3\xa9\xc3"]', "invalid UTF-8: byte 0xc3", 1, 4),
    (b"[1,\n\xff]", "invalid UTF-8: byte 0xff", 2, 1),
    (b'"\xed\xa0\x80"', "invalid UTF-8: byte 0xed", 1, 2),  # an encoded surrogate
    (b"\xef\xbb\xbf[\xff]", "invalid UTF-8: byte 0xff", 1, 2),
    ('{"a": 1}'.encode("utf-16"), "invalid UTF-8: byte 0xff", 1, 1),
    ('{"a": 1}'.encode("utf-16-le"), "UTF-16 or UTF-32 bytes: JSON bytes must be UTF-8", 1, 2),
    ('{"a": 1}'.encode("utf-32-be"), "UTF-16 or UTF-32 bytes: JSON bytes must be UTF-8", 1, 1),
    # Deep and broken: found where it is broken, however deep.
    ("[" * DEEP, "expected a value, found the end of the input", 1, DEEP + 1),
    (
        "[" * DEEP + "]" * (DEEP - 1),
        "expected ',' or ']' after an array element, found the end of the input",
        1,
        2 * DEEP,
    ),
    ('{"a":' * DEEP + "1,}" + "}" * DEEP, "trailing comma before '}'", 1, 5 * DEEP + 3),
    ("[" * DEEP + "NaN" + "]" * DEEP, "NaN is not a JSON value", 1, DEEP + 1),
    ("[" * DEEP + "]" * (DEEP + 1), "extra data after the JSON value", 1, 2 * DEEP + 1),
]


# The text ends inside something: what is unfinished is named, at where it starts.
AT_THE_END = [
    ('"', "unterminated string", 1, 1),
    ('"abc', "unterminated string", 1, 1),
    ('["a", "b', "unterminated string", 1, 7),
    ('"\\', "unterminated string", 1, 1),  # after a backslash
    ('"ab\\', "unterminated string", 1, 1),
    ('"\\u', "unterminated string", 1, 1),  # inside \u escapes of 0 to 3 digits
    ('"\\u1', "unterminated string", 1, 1),
    ('"\\u12', "unterminated string", 1, 1),
    ('"\\u123', "unterminated string", 1, 1),
    ('"\\uABc', "unterminated string", 1, 1),
    ('{"k": "\\ud800\\u', "unterminated string", 1, 7),  # the second half of a pair
    ('{"k": "\\ud800\\udc0', "unterminated string", 1, 7),
    ('{"\\u00', "unterminated string", 1, 2),  # in a key
    ("t", "expected a value, found 't'", 1, 1),  # an unfinished literal
    ("[tr", "expected a value, found 'tr'", 1, 2),
    ("fals", "expected a value, found 'fals'", 1, 1),
    ("[nul", "expected a value, found 'nul'", 1, 2),
    ("-", "invalid number: expected a digit after '-'", 1, 1),  # an unfinished number
    ("[1.", "invalid number: expected a digit after '.'", 1, 2),
    ("1e", "invalid number: expected a digit in the exponent", 1, 1),
    ("1E-", "invalid number: expected a digit in the exponent", 1, 1),
    ("[", "expected a value, found the end of the input", 1, 2),  # an unfinished array
    ("[1", "expected ',' or ']' after an array element, found the end of the input", 1, 3),
    ("[1,", "expected a value, found the end of the input", 1, 4),
    ("[[]", "expected ',' or ']' after an array element, found the end of the input", 1, 4),
    ("{", "expected a string key or '}', found the end of the input", 1, 2),  # an object
    ('{"a"', "expected ':' after an object key, found the end of the input", 1, 5),
    ('{"a":', "expected a value, found the end of the input", 1, 6),
    ('{"a": 1', "expected ',' or '}' after an object member, found the end of the input", 1, 8),
    ('{"a": 1,', "expected a string key after ',', found the end of the input", 1, 9),
    ('{"a": 1, ', "expected a string key after ',', found the end of the input", 1, 10),
]


@pytest.mark.parametrize(
    ("text", "message", "line", "column"), AT_THE_END, ids=[case[0] for case in AT_THE_END]
)
def test_text_that_ends_too_soon_is_named_for_what_is_unfinished(
    text: str, message: str, line: int, column: int
) -> None:
    for form in (text, text.encode(), bytearray(text.encode())):
        for parse in [*(b.parse for b in BACKENDS), parse_reference, JSON.parse]:
            with pytest.raises(JSONTextError) as raised:
                parse(form)
            error = raised.value
            assert (error.message, error.line, error.column) == (message, line, column)


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    INVALID,
    ids=[repr(case[0])[:40] for case in INVALID],
)
def test_invalid_text_is_reported_in_our_words_at_its_place(
    text: str | bytes, message: str, line: int, column: int
) -> None:
    for parse in [*(b.parse for b in BACKENDS), parse_reference, JSON.parse]:
        with pytest.raises(JSONTextError) as raised:
            parse(text)
        error = raised.value
        assert (error.message, error.line, error.column) == (message, line, column)
        assert str(error) == f"{message} (line {line}, column {column})"
        if isinstance(text, str):
            lines_before = text[: error.offset].split("\n")
            assert (len(lines_before), len(lines_before[-1]) + 1) == (line, column)


def test_error_is_a_value_error_and_pickles() -> None:
    with pytest.raises(ValueError) as raised:
        JSON.parse("[1,]")
    error = raised.value
    assert isinstance(error, JSONTextError)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.line, copy.column, copy.offset) == (
        "trailing comma before ']'",
        1,
        4,
        3,
    )
    assert str(copy) == str(error)


@pytest.mark.parametrize("text", [None, 1, memoryview(b"[]"), ["[]"]])
def test_parse_takes_only_text(text: Any) -> None:
    for parse in [*(b.parse for b in BACKENDS), parse_reference]:
        with pytest.raises(TypeError, match=r"^expected JSON text \(str, bytes or bytearray\)"):
            parse(text)


# -- depth: never the stack's business --


def _depth_of(value: Any) -> int:
    depth = 0
    while type(value) is list and value:
        value = value[0]
        depth += 1
    return depth


def test_deep_nesting_parses_without_recursion_error() -> None:
    text = "[" * DEEP + "1" + "]" * DEEP
    for parse in [*(b.parse for b in BACKENDS), parse_reference]:
        value = parse(text)
        assert _depth_of(value) == DEEP
        assert same(value, nested(DEEP, 1))
    objects = '{"a":' * DEEP + "[]" + "}" * DEEP
    for backend in BACKENDS:
        value = backend.parse(objects)
        for _ in range(DEEP):
            value = value["a"]
        assert value == []


@pytest.mark.parametrize("depth", [200, 900])
def test_a_parse_deep_in_the_stack_is_the_same_as_at_the_top(depth: int) -> None:
    assert sys.getrecursionlimit() == 1000  # the default, as applications have it
    texts = [
        "[" * DEEP + "]" * DEEP,
        "[" * 300 + '{"a": "\\u00e9"}' + "]" * 300,  # within the C parsers' reach at the top
        "[" * 300 + "1,]" + "]" * 299,
        '{"a": [1, 2.5, "x"]}',
    ]
    for text in texts:
        for parse in [*(b.parse for b in BACKENDS), parse_reference]:
            at_top = outcome(parse, text)
            deep = called_at_depth(depth, lambda parse=parse, text=text: outcome(parse, text))
            assert agree(at_top, deep)


@pytest.mark.parametrize("depth", [0, 900])
def test_deep_values_are_written_at_any_stack_depth(depth: int) -> None:
    value = nested(DEEP, [1.5, "é"])
    expected = "[" * (DEEP + 1) + '1.5,"é"' + "]" * (DEEP + 1)
    for backend in BACKENDS:
        assert called_at_depth(depth, lambda backend=backend: backend.dumps(value)) == expected
        prepared = nested(DEEP, [backend.wire_float(1.5), "é"])
        written = called_at_depth(
            depth, lambda backend=backend, prepared=prepared: backend.dumps_prepared(prepared)
        )
        assert written == expected


# -- the process is left alone --


_TOUCH_EVERYTHING = """
import sys
from purecloud_internal_message import _jsontext as j
before = (sys.get_int_max_str_digits(), sys.getrecursionlimit())
for name in ("msgspec", "json"):
    b = j.backend(name)
    for text in ["[" + "9" * 5000 + ", " + "9" * 641 + ", 1e400]", "[" * 100000 + "]" * 100000,
                 '"\\\\ud800"', "[1,]", b"\\xff"]:
        try:
            b.parse(text)
        except ValueError:
            pass
    b.dumps([10**639, 1.5, "\\ud800", [[[]]]])
    b.dumps_prepared([[1]] * 3)
print(before == (sys.get_int_max_str_digits(), sys.getrecursionlimit()))
"""


def test_process_state_is_not_touched() -> None:
    # In a fresh process: here, earlier tests would hide a change.
    result = subprocess.run(
        [sys.executable, "-c", _TOUCH_EVERYTHING], capture_output=True, text=True, check=True
    )
    assert result.stdout == "True\n"


@pytest.mark.parametrize("limit", [640, 0, 100_000])
def test_the_applications_int_digit_limit_changes_nothing(limit: int) -> None:
    big = "9" * 640
    texts = [big, "-" + big, "[" + "1" * 641 + "]", "9" * 5000, '{"a": [' + big + ", 1.5]}"]
    expected = [outcome(STDLIB.parse, text) for text in texts]
    written = STDLIB.dumps([int(big), -int(big)])
    saved = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(limit)
    try:
        for text, before in zip(texts, expected, strict=True):
            assert agree(outcome(STDLIB.parse, text), before)
            assert agree(outcome(parse_reference, text), before)
            msgspec_result = outcome(MSGSPEC.parse, text)
            # msgspec reads ints up to the application's limit; beyond 640 digits,
            # an int or a placeholder, both refused by the model decoder.
            if not agree(msgspec_result, before):
                assert isinstance(msgspec_result[1], (int, list))
        for backend in BACKENDS:
            assert backend.dumps([int(big), -int(big)]) == written
            with pytest.raises(ValueError, match="more than 640 digits"):
                backend.dumps(10**640)
    finally:
        sys.set_int_max_str_digits(saved)


# -- which backend --


def _backend_in_subprocess(env_value: str | None) -> str:
    import os

    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    if env_value is not None:
        env[ENV_VAR] = env_value
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from purecloud_internal_message._jsontext import JSON; print(JSON.backend.name)",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return result.stdout.strip()


def test_msgspec_is_used_when_installed_unless_extensions_are_switched_off() -> None:
    assert _backend_in_subprocess(None) == "msgspec"
    assert _backend_in_subprocess("1") == "json"


_FIRST_USE = """
import sys
import purecloud_internal_message
from purecloud_internal_message._jsontext import JSON
before = "msgspec" in sys.modules or "json" in sys.modules
early = JSON.parse  # bound before the first use, as a caller may
assert early('[1.5]') == [1.5]
print(before, JSON.backend.name in sys.modules, JSON.parse == JSON.backend.parse, early is not JSON.parse)
"""


def test_the_backend_is_chosen_on_first_use_not_at_import() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _FIRST_USE], capture_output=True, text=True, check=True
    )
    assert result.stdout == "False True True True\n"


def test_the_selectors_functions_are_the_active_backends_own() -> None:
    active = JSON.backend
    assert active is _jsontext.backend(active.name)
    # The backend's own functions, not wrappers: one attribute lookup from any caller.
    assert JSON.parse == active.parse
    assert JSON.dumps == active.dumps
    assert JSON.dumps_prepared == active.dumps_prepared
    assert JSON.wire_float == active.wire_float
    assert JSON.parse('{"a": [1e400]}') == active.parse('{"a": [1e400]}')
    assert JSON.dumps({"a": 1.5}) == '{"a":1.5}'
    assert JSON.dumps_prepared({"a": JSON.wire_float(1.5)}) == '{"a":1.5}'
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        JSON.nothing  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="unknown JSON backend"):
        _jsontext.backend("orjson")


def test_dumps_checked_writes_what_dumps_writes_whatever_a_style_wrote_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A style keeps the encoder it was written with (to_json's is built once); one
    # written with another converter, or none, gets its own, and never needs the
    # reference writer (kept for what is too deep for the encoder) for a value as short.
    import purecloud_internal_message._jsonreference as reference

    monkeypatch.setattr(reference, "write_reference", None)
    style = Style.of({"indent": 1})
    moment = _Moment()
    for convert, value, text in (
        (None, [1], "[\n 1\n]"),
        (_Moment.text, [moment], '[\n "then"\n]'),
        (None, {"a": None}, '{\n "a":null\n}'),
        (_Moment.text, {"a": moment}, '{\n "a":"then"\n}'),
    ):
        assert _jsontext.dumps_checked(value, convert, style) == text
        assert JSON.dumps(value, convert, indent=1) == text
    assert _jsontext.dumps_checked(["é"], None, Style.of({})) == '["é"]'  # the compact style


class _Moment:
    """A value JSON has no form for, which ``text`` converts."""

    @staticmethod
    def text(value: object) -> Any:
        return "then" if isinstance(value, _Moment) else NotImplemented
