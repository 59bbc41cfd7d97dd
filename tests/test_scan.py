"""The value-end scanner: the pure-Python twin and the compiled one give the same result
for every text, cut anywhere, and agree with the reference parser on what is JSON."""

from __future__ import annotations

import importlib
import io
import itertools
import json
import os
import subprocess
import sys
from array import array
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import COMPILED_EXPECTED
from purecloud_internal_message import _scan, _scan_py
from purecloud_internal_message._extensions import ENV_VAR
from purecloud_internal_message._jsonreference import parse_reference
from purecloud_internal_message._jsonvalues import JSONTextError
from strategies import examples, json_values

NEED_MORE, INVALID = _scan_py.NEED_MORE, _scan_py.INVALID


def cases(count: int) -> settings:
    return settings(
        max_examples=examples(count), deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )


@dataclass(frozen=True)
class Scanner:
    name: str
    module_name: str

    def load(self) -> ModuleType:
        return importlib.import_module(self.module_name)


PURE = Scanner("py", "purecloud_internal_message._scan_py")
COMPILED = Scanner("c", "purecloud_internal_message._scan_c")
SCANNERS = [PURE, COMPILED] if COMPILED_EXPECTED else [PURE]


def twins() -> list[ModuleType]:
    """Both implementations (the compiled one imported directly: a missing build fails)."""
    return [scanner.load() for scanner in SCANNERS]


@pytest.fixture(scope="module", params=SCANNERS, ids=lambda scanner: scanner.name)
def scanner(request: pytest.FixtureRequest) -> ModuleType:
    chosen: Scanner = request.param
    return chosen.load()


def agreed(function: str, *args: Any) -> Any:
    """``function(*args)`` of every implementation, checked to be the same."""
    results = [getattr(module, function)(*args) for module in twins()]
    assert all(result == results[0] for result in results), (function, args, results)
    return results[0]


# -- texts --------------------------------------------------------------------------------

_keys = st.sampled_from(
    ["participants", "entities", "internalMessages", "id", "", "a\u00e9", "\\u0070articipants"]
)
_deep = st.recursive(
    json_values,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_keys, children, max_size=3),
    max_leaves=12,
)


@st.composite
def json_texts(draw: st.DrawFn) -> bytes:
    """Valid JSON text of one value, written in any of the ways writers write it."""
    value = draw(_deep)
    indent = draw(st.sampled_from([None, 0, 2, "\t"]))
    separators = draw(st.sampled_from([None, (",", ":"), (" , ", " : ")]))
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=draw(st.booleans()))
    # Escaped keys are written as the generator spelled them: "\u0070..." stays an escape.
    return text.replace("\\\\u0070", "\\u0070").encode("utf-8")


# Bytes that make JSON what it is, and some that never can.
_SIGNIFICANT = b' \t\n\r{}[]:,"\\-+.0123456789eEtrufalsn/bx\x00\x1f\x7f\xc3\xa9'


@st.composite
def near_misses(draw: st.DrawFn) -> bytes:
    """Valid JSON text with one byte deleted, inserted or replaced."""
    text = draw(json_texts())
    at = draw(st.integers(0, len(text)))
    byte = bytes([draw(st.sampled_from(_SIGNIFICANT))])
    how = draw(st.sampled_from(["delete", "insert", "replace"]))
    if how == "delete":
        return text[:at] + text[at + 1 :]
    if how == "insert":
        return text[:at] + byte + text[at:]
    return text[:at] + byte + text[at + 1 :]


def reference_ok(text: bytes) -> bool:
    """Whether the reference parser reads ``text`` as one JSON value."""
    try:  # (a cut in the middle of a character is in a string: it is cut short either way)
        parse_reference(text.decode("utf-8", "ignore"))
    except JSONTextError:
        return False
    return True


def scan_whole(text: bytes, end: int, *, final: bool) -> int:
    """Scan ``text[:end]`` as a whole document: the scanner's verdict, agreed by both."""
    start = agreed("skip_ws", text, 0, end)
    if start >= end:
        return NEED_MORE if not final else INVALID
    after = agreed("value_end", text, start, end, final)
    if after < 0:
        return after
    rest = agreed("skip_ws", text, after, end)
    return after if rest == end else INVALID


# -- value_end ----------------------------------------------------------------------------


@cases(300)
@given(text=json_texts(), after=st.sampled_from([b"", b" ", b",", b"]", b"}x", b"\n1"]))
def test_a_value_ends_where_it_ends(text: bytes, after: bytes) -> None:
    assert agreed("value_end", text + after, 0, len(text) + len(after), True) == len(text)
    assert agreed("value_end", text + after, 0, len(text + after), False) in (len(text), NEED_MORE)


@cases(200)
@given(text=json_texts())
def test_every_cut_of_a_value_needs_more_or_is_what_the_reference_says(text: bytes) -> None:
    for end in range(len(text)):
        # Cut short, with more to come: always more is needed (a value's proper
        # prefix is never whole, and a number may go on).
        assert agreed("value_end", text, 0, end, False) == NEED_MORE
        # Cut short at the end of the input: whole only if the reference parser
        # reads the prefix (a shorter number).
        assert (scan_whole(text, end, final=True) >= 0) == reference_ok(text[:end]), text[:end]


@cases(500)
@given(text=near_misses())
def test_near_misses_are_judged_as_the_reference_judges_them(text: bytes) -> None:
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        assume(False)  # UTF-8 is checked where bytes are read, not by the scanner
    assert (scan_whole(text, len(text), final=True) >= 0) == reference_ok(text)


@cases(300)
@given(text=near_misses() | json_texts())
def test_every_window_gives_more_needed_or_the_whole_answer(text: bytes) -> None:
    whole = agreed("value_end", text, 0, len(text), True)
    for end in range(len(text) + 1):
        got = agreed("value_end", text, 0, end, False)
        assert got in (NEED_MORE, whole), (end, got, whole)
        if got == INVALID:  # once wrong, wrong whatever comes
            assert whole == INVALID


# -- record_end ---------------------------------------------------------------------------


@st.composite
def bracket_soups(draw: st.DrawFn) -> tuple[bytes, int]:
    """An object's opening bracket at some offset, then up to 300 bytes of what moves
    brackets: each text from its own few of them, so that the compiled twin's 64-byte
    blocks come with and without backslashes, quotes and closers."""
    alphabet = draw(st.sets(st.sampled_from(list(b'{}[]"\\ a')), min_size=1))
    body = draw(st.lists(st.sampled_from(sorted(alphabet)), max_size=300))
    start = draw(st.integers(0, 70))
    return b"x" * start + b"{" + bytes(body), start


# Brackets nested and closed, in text that is not JSON: strings holding brackets,
# escaped quotes and backslashes, among runs of other bytes (long ones too, so that
# the compiled twin's 64-byte blocks come in every mix).
_filler = st.text(alphabet=" a:,0", max_size=70)
_string_pieces = st.sampled_from(["a", " ", "{", "]", '\\"', "\\\\", "x" * 40])
_strings = st.lists(_string_pieces, max_size=8).map(lambda pieces: '"' + "".join(pieces) + '"')
_nested = st.recursive(
    _strings | _filler,
    lambda children: st.tuples(st.sampled_from(["{}", "[]"]), st.lists(children, max_size=6)).map(
        lambda pair: pair[0][0] + "".join(pair[1]) + pair[0][1]
    ),
    max_leaves=30,
)


@cases(500)
@given(
    inner=st.lists(_nested, max_size=6).map("".join),
    start=st.integers(0, 70),
    tail=st.sampled_from(["", "}", ' "', "]x" * 40, " " * 130]),
)
def test_a_records_end_is_where_its_brackets_close(inner: str, start: int, tail: str) -> None:
    text = ("x" * start + "{" + inner + "}" + tail).encode()
    closed = start + 2 + len(inner)
    assert agreed("record_end", text, start, len(text), True) == closed
    assert agreed("record_end", text, start, closed, False) == closed
    for end in range(start, closed):  # the window ends first: value_end's answer
        assert agreed("record_end", text, start, end, False) == agreed(
            "value_end", text, start, end, False
        )


@cases(1000)
@given(case=bracket_soups(), final=st.booleans())
def test_record_ends_of_bracket_soups_agree(case: tuple[bytes, int], final: bool) -> None:
    text, start = case
    for end in (len(text), len(text) - 1, start + 64, start + 65, start + 128):
        if start <= end <= len(text):
            agreed("record_end", text, start, end, final)


@cases(300)
@given(text=json_texts(), after=st.sampled_from([b"", b" ", b",", b"]", b"}x", b"\n1"]))
def test_a_records_end_is_its_values_end_when_it_is_json(text: bytes, after: bytes) -> None:
    whole = text + after
    expected = agreed("value_end", whole, 0, len(whole), True)
    assert agreed("record_end", whole, 0, len(whole), True) == expected
    for end in range(len(whole) + 1):  # cut by a window: more needed, or the same end
        assert agreed("record_end", whole, 0, end, False) in (NEED_MORE, expected)


@cases(500)
@given(text=near_misses(), final=st.booleans())
def test_a_records_end_is_the_values_end_or_text_that_does_not_parse(
    text: bytes, final: bool
) -> None:
    # What the walker relies on: a span found by brackets alone is the value's own
    # whenever the value is JSON, and otherwise its text does not parse.
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        assume(False)  # UTF-8 is checked where bytes are read, not by the scanner
    for end in range(len(text) + 1):
        found = agreed("record_end", text, 0, end, final)
        value = agreed("value_end", text, 0, end, final)
        if value >= 0 or found < 0:
            assert found == value
        else:
            assert text[0] == 0x7B and not reference_ok(text[:found])


def test_control_characters_and_escapes_in_strings_at_every_offset() -> None:
    # (the compiled twin reads strings sixteen or eight bytes at a time: each byte's
    # place counts, and bytes from 0x80 on are plain, not below 0x20)
    for lead in range(40):
        head = b'"' + b"a\xff\x80"[lead % 3 :][:1] * lead
        for code in range(0x20):
            text = head + bytes([code]) + b'bc"'
            assert agreed("value_end", text, 0, len(text), True) == INVALID, text
        for good in (b"\\n", b"\\u00e9", b'\\"', b"\x7f", b"\xc3\xa9", b"~", b"\xff", b"\x80"):
            text = head + good + b'"'
            assert agreed("value_end", text, 0, len(text), True) == len(text), text
        for bad in (b"\\x", b"\\u00g9", b"\\ "):
            text = head + bad + b'"'
            assert agreed("value_end", text, 0, len(text), True) == INVALID, text


def test_runs_of_whitespace_of_every_length() -> None:
    # (the compiled twin skips spaces eight at a time: a run ends anywhere, in anything)
    for length in range(20):
        for gap in (
            *(b" " * length + last for last in (b"", b"\t", b"\n", b"\r", b"\n  ")),
            *(first + b" " * length + last for first in (b"\n", b"\r\n") for last in (b"", b"\t")),
        ):
            text = b"[" + gap + b"1" + gap + b"," + gap + b'{"a"' + gap + b":" + gap + b"2}]"
            assert agreed("value_end", text, 0, len(text), True) == len(text), text
            assert agreed("skip_ws", text, 1, len(text)) == 1 + len(gap), text
            cut = 1 + len(gap) - 1
            assert agreed("skip_ws", text, 1, max(cut, 1)) == max(cut, 1), text


def test_deep_nesting_costs_no_stack(scanner: ModuleType) -> None:
    text = b"[" * 100_000 + b'{"a": 1}' + b"]" * 100_000
    assert scanner.value_end(text, 0, len(text), True) == len(text)
    assert scanner.value_end(text, 0, len(text) - 1, True) == INVALID
    assert scanner.value_end(text, 0, len(text) - 1, False) == NEED_MORE


def test_positions_out_of_range_are_refused(scanner: ModuleType) -> None:
    for pos, end in [(-1, 1), (2, 1), (0, 4)]:
        with pytest.raises(ValueError, match="out of range"):
            scanner.value_end(b"123", pos, end, True)


def test_the_ends_of_numbers_literals_and_strings() -> None:
    cases = {
        b"0": 1,
        b"-0.5e+10": 8,
        b"01": 1,  # then "1" where a separator belongs: the caller's problem
        b"1.": 1,
        b"1.e5": 1,
        b"1e": 1,
        b"-": INVALID,
        b"-x": INVALID,
        b"tru": INVALID,
        b"truex": 4,
        b'"a\\u00e9"': 9,
        b'"\\u12': INVALID,
        b'"\\x"': INVALID,
        b'"a\nb"': INVALID,
        b'"\xc3\xa9"': 4,
        b"\xc3\xa9": INVALID,
        b"[1,]": INVALID,
        b'{"a":1,}': INVALID,
        # After values the shortcuts do not read whole (nested deeper than a run reads).
        b"[[[1]],]": INVALID,
        b'{"a": {"b": {"c": []}},}': INVALID,
        b'[{"a": [{}]} , ]': INVALID,
        b"[[[1]] ,\n[[2]]]": 15,
        b"{1:2}": INVALID,
        b"NaN": INVALID,
    }
    for text, expected in cases.items():
        assert agreed("value_end", text, 0, len(text), True) == expected, text
    for text in (b"1.", b"1e", b"1e+", b"-", b"tru", b'"\\u12', b'"\\', b"[1, 2"):
        assert agreed("value_end", text, 0, len(text), False) == NEED_MORE, text


# -- members ------------------------------------------------------------------------------

_member_keys = st.sampled_from(
    [
        "participants",
        "entities",
        "internalMessages",
        "\\u0070articipants",
        "id",
        "participantsX",
        "entitie",
    ]
)


@st.composite
def objects(draw: st.DrawFn) -> tuple[bytes, list[tuple[str, int, int]]]:
    """An object's text, and each member's key as written, key start and value start."""
    members = draw(st.lists(st.tuples(_member_keys, json_values), max_size=5))
    space = draw(st.sampled_from(["", " ", "\n  "]))
    text, found = "{" + space, []
    for index, (key, value) in enumerate(members):
        if index:
            text += "," + space
        key_start = len(text.encode())
        text += f'"{key}"{space}:{space}'
        found.append((key, key_start, len(text.encode())))
        text += json.dumps(value)
    return (text + space + "}").encode(), found


_BITS = {"participants": 1, "entities": 2, "internalMessages": 4}


@cases(300)
@given(case=objects(), wanted=st.integers(0, 7))
def test_members_stop_at_the_first_wanted_or_escaped_key(
    case: tuple[bytes, list[tuple[str, int, int]]], wanted: int
) -> None:
    text, members = case
    expected: tuple[int, int, int] = (_scan_py.END, len(text), 0)
    for key, key_start, value_start in members:
        if "\\" in key:
            expected = (_scan_py.ESCAPED_KEY, key_start, value_start)
            break
        if _BITS.get(key, 0) & wanted:
            expected = (_BITS[key], key_start, value_start)
            break
    assert agreed("members", text, 1, len(text), True, wanted, 1) == expected
    # Every window: the same answer, or more needed from a member boundary on.
    for end in range(1, len(text) + 1):
        status, where, first = agreed("members", text, 1, end, False, wanted, 1)
        if status == NEED_MORE:
            assert where == 1 or text[where - 1 : where] in (b",", b" ", b"\n")
            again = agreed("members", text, where, len(text), True, wanted, first)
            assert again == expected
        else:
            assert (status, where, first) == expected


@cases(300)
@given(text=near_misses(), wanted=st.integers(0, 7), first=st.integers(0, 1))
def test_members_of_near_misses_agree(text: bytes, wanted: int, first: int) -> None:
    for end in range(len(text) + 1):
        for final in (False, True):
            agreed("members", text, min(1, end), end, final, wanted, first)


# -- elements -----------------------------------------------------------------------------

_records = st.dictionaries(st.sampled_from(["id", "state", "x"]), json_values, max_size=3)
# internalMessages: null, an array, or (the walker's to word) anything else, four bytes
# long like null too.
_messages_values = st.sampled_from(
    ["null", "[]", "7", '"x"', "{}", "true", '"ab"', "1234"]
) | st.lists(_records, max_size=3).map(json.dumps)


@st.composite
def _members_text(draw: st.DrawFn, values: dict[str, st.SearchStrategy[str]]) -> str:
    """An object's text with some of ``values``' keys (each once), in any order."""
    keys = draw(st.lists(st.sampled_from(sorted(values)), max_size=len(values), unique=True))
    return "{" + ", ".join(f'"{key}": {draw(values[key])}' for key in keys) + "}"


# Values whose objects' keys need no escapes (the generators below place those).
_plain_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text("abc", max_size=3), children, max_size=3)
    ),
    max_leaves=8,
)
_any_json = _plain_values.map(json.dumps)
_ESCAPED_KEYS = (b'"\\u0069d"', b'"\\u0061"')
participants = _members_text(
    {"id": _any_json, "internalMessages": _messages_values, "calls": _any_json}
) | st.sampled_from(['{"\\u0069d": 1}', "7"])
_participant_lists = st.lists(participants, max_size=3).map(lambda items: f"[{', '.join(items)}]")
conversations = _members_text(
    {
        "id": _any_json,
        "participants": _participant_lists | st.sampled_from(["null", "{}"]),
        "entities": st.sampled_from(["[]", "[1]", "3"]),
        "x": _any_json,
    }
)
_elements_of_any = (
    _records.map(json.dumps)
    | conversations
    | st.sampled_from(['{"entities": [{"id": "a"}]}', '{"\\u0061": 1}', "[]"])
    | _any_json
)


@st.composite
def arrays(draw: st.DrawFn) -> tuple[bytes, int]:
    kind = draw(st.sampled_from([_scan_py.ANY_ARRAY, _scan_py.PARTICIPANTS_ARRAY, 2]))
    element = {
        _scan_py.ANY_ARRAY: _elements_of_any,
        _scan_py.PARTICIPANTS_ARRAY: participants,
        _scan_py.MESSAGES_ARRAY: _records.map(json.dumps) | _any_json,
    }[kind]
    items = draw(st.lists(element, max_size=4))
    space = draw(st.sampled_from(["", " ", "\n"]))
    return ("[" + space + ("," + space).join(items) + space + "]").encode(), kind


def _participant_records(participant: Any, element: int, index: int) -> list[Any] | None:
    """The records of a participant as the walker finds them; None for one the
    scanner leaves to the walker."""
    if not isinstance(participant, dict):
        return None
    messages = participant.get("internalMessages")
    if messages is not None and not isinstance(messages, list):
        return None
    return [(element, index, inner, item) for inner, item in enumerate(messages or [])]


def expected_records(element: Any, raw: bytes, kind: int, index: int) -> list[Any] | None:
    """What elements() finds in one element: its records, or None for an element
    the walker must read."""
    if kind != _scan_py.MESSAGES_ARRAY and any(key in raw for key in _ESCAPED_KEYS):
        return None  # a key written with escapes: it might spell a deciding one
    if kind == _scan_py.MESSAGES_ARRAY:
        return [(index, -1, -1, element)]
    if kind == _scan_py.PARTICIPANTS_ARRAY:
        return _participant_records(element, index, -1)
    if not isinstance(element, dict):
        return None
    decided = _shape_kind(element)
    if decided == "entities":
        return None
    if decided == "":
        return [(index, -1, -1, element)]
    participants = element["participants"]
    if not isinstance(participants, list):
        return None
    found: list[Any] = []
    for number, participant in enumerate(participants):
        records = _participant_records(participant, index, number)
        if records is None:
            return None
        found += records
    return found


def _shape_kind(item: dict[str, Any]) -> str:
    for key, value in item.items():
        if key == "participants" or (key == "entities" and isinstance(value, list)):
            return key
    return ""


@cases(300)
@given(case=arrays())
def test_elements_finds_the_records_the_walker_would(case: tuple[bytes, int]) -> None:
    text, kind = case
    status, at, count, spans = agreed("elements", text, 1, len(text), True, kind, 1)
    value = json.loads(text)
    expected: list[Any] = []
    for index, element in enumerate(value):
        found = expected_records(element, _raw_element(text, index), kind, index)
        if found is None:
            assert (status, count) == (_scan_py.STOP, index)
            break
        expected += found
    else:
        assert (status, at, count) == (_scan_py.END, len(text), len(value))
    got = [
        (spans[i + 3], spans[i + 4], spans[i + 5], json.loads(text[spans[i] : spans[i + 1]]))
        for i in range(0, len(spans), 6)
    ]
    assert got == expected
    for i in range(0, len(spans), 6):  # line feeds counted from pos
        assert spans[i + 2] == text.count(b"\n", 1, spans[i])


def _raw_element(text: bytes, index: int) -> bytes:
    """The text of element ``index`` of the array ``text``."""
    pos = agreed("skip_ws", text, 1, len(text))
    for _ in range(index):
        pos = agreed("value_end", text, pos, len(text), True)
        pos = agreed("skip_ws", text, agreed("skip_ws", text, pos, len(text)) + 1, len(text))
    return text[pos : agreed("value_end", text, pos, len(text), True)]


@cases(400)
@given(case=arrays())
def test_elements_of_every_window_agree_and_resume_to_the_same_records(
    case: tuple[bytes, int],
) -> None:
    text, kind = case
    whole = agreed("elements", text, 1, len(text), True, kind, 1)
    for end in range(1, len(text) + 1):
        status, at, count, spans = agreed("elements", text, 1, end, False, kind, 1)
        if status == NEED_MORE:
            # Read on from where it stopped, the rest gives the whole answer's records.
            rest = agreed("elements", text, at, len(text), True, kind, int(count == 0))
            shifted = [
                value + count if index % 6 == 3 else value for index, value in enumerate(rest[3])
            ]
            combined = [*spans, *shifted]
            # (line feeds are counted from where each call starts)
            assert [v for i, v in enumerate(combined) if i % 6 != 2] == [
                v for i, v in enumerate(whole[3]) if i % 6 != 2
            ]
            assert rest[2] + count == whole[2]
        elif (status, at, count, spans) != whole:
            # An object the window cuts: the walker reads it, a window at a time; what
            # came before stands.
            assert status == _scan_py.STOP and kind != _scan_py.MESSAGES_ARRAY
            assert count <= whole[2] and spans == whole[3][: len(spans)]


def _refusing(refused: int) -> Callable[[bytes], Any]:
    """``json.loads``, but the ``refused``-th text it is given is not JSON, say."""
    parsed = 0

    def parse(piece: bytes) -> Any:
        nonlocal parsed
        parsed += 1
        if parsed == refused:
            raise JSONTextError("refused", 1, 1, 0)
        return json.loads(piece)

    return parse


@cases(300)
@given(case=arrays(), line=st.integers(1, 9), index=st.integers(0, 9), refused=st.integers(0, 4))
def test_records_of_the_spans_agree_and_are_what_the_spans_say(
    case: tuple[bytes, int], line: int, index: int, refused: int
) -> None:
    text, kind = case
    _, _, _, spans = agreed("elements", text, 1, len(text), True, kind, 1)
    where = ("entities", 3)
    expected = []
    for i in range(0, len(spans), 6):
        start, end, lines, element, participant, inner = spans[i : i + 6]
        loc: tuple[Any, ...] = (*where, index + element)
        if inner >= 0:
            loc += (
                ("internalMessages", inner)
                if participant < 0
                else ("participants", participant, "internalMessages", inner)
            )
        expected.append((line + lines, json.loads(text[start:end]), loc, text[start:end]))
    for module in twins():
        records = module.Records(text, spans, where, index, line, _refusing(refused))
        assert records.at == -1
        found = []
        with pytest.raises(JSONTextError) if 0 < refused <= len(expected) else nullcontext():
            found.extend(records)
        if 0 < refused <= len(expected):  # the records before it, then the error and where
            assert found == expected[: refused - 1]
            assert records.at == spans[(refused - 1) * 6]
            assert list(records) == []  # and nothing after it
        else:
            assert found == expected
            assert records.at == -1


def test_compiled_records_refuse_spans_that_are_not_six_numbers_a_record(
    compiled: ModuleType,
) -> None:
    # (it reads them from the array's memory; the pure twin takes what it is given)
    scanner = COMPILED.load()
    with pytest.raises(ValueError, match="six numbers a record"):
        scanner.Records(b"{}", array("q", [0, 2, 0, 0, -1]), (), 0, 1, json.loads)
    with pytest.raises(TypeError):
        scanner.Records(b"{}", [0, 2, 0, 0, -1, -1], (), 0, 1, json.loads)
    with pytest.raises(ValueError, match="out of range"):
        next(iter(scanner.Records(b"{}", array("q", [0, 3, 0, 0, -1, -1]), (), 0, 1, json.loads)))


@cases(300)
@given(text=near_misses(), kind=st.integers(0, 2), first=st.integers(0, 1))
def test_elements_of_near_misses_agree(text: bytes, kind: int, first: int) -> None:
    for end in range(len(text) + 1):
        for final in (False, True):
            agreed("elements", text, min(1, end), end, final, kind, first)


# -- UTF-8 --------------------------------------------------------------------------------

# Bytes around the edges of UTF-8: ASCII, continuations, the starts that are never
# valid (C0, C1, F5-FF), and the starts whose second byte is narrowed (E0, ED, F0, F4).
_UTF8_EDGES = (
    b"\x00\x41\x7f\x80\x8f\x90\x9f\xa0\xbf\xc0\xc1\xc2\xdf"
    b"\xe0\xe1\xec\xed\xee\xef\xf0\xf1\xf3\xf4\xf5\xff"
)
_utf8_bytes = st.lists(st.sampled_from(_UTF8_EDGES) | st.integers(0, 255), max_size=24).map(
    bytes
) | st.text(max_size=12).map(lambda text: text.encode("utf-8"))


@cases(1000)
@given(
    skipped=st.binary(max_size=5),
    head=st.text(max_size=12) | st.text("ab\u00e9", min_size=60, max_size=200),
    tail=_utf8_bytes,
    final=st.booleans(),
)
def test_utf8_prefix_is_what_the_strict_decoder_decodes(
    skipped: bytes, head: str, tail: bytes, final: bool
) -> None:
    """Behind any text, so that the compiled twin's 64- and eight-at-a-time paths are
    taken too; from ``start`` on, whatever comes before."""
    buf = head.encode("utf-8") + tail
    start = len(skipped)
    end, invalid, count = agreed("utf8_prefix", skipped + buf, start, final)
    length = end - start
    assert count == len(buf[:length].decode("utf-8"))
    try:
        buf.decode("utf-8", "strict")
    except UnicodeDecodeError as exc:
        assert length == exc.start
        # CPython's rule: the start of a surrogate at the very end is cut short too.
        surrogate = (
            len(buf) - length == 2 and buf[length] == 0xED and 0xA0 <= buf[length + 1] <= 0xBF
        )
        cut_short = exc.reason == "unexpected end of data" or surrogate
        assert invalid == (final or not cut_short)
    else:
        assert (length, invalid) == (len(buf), False)


def test_utf8_prefix_refuses_a_start_out_of_range(scanner: ModuleType) -> None:
    with pytest.raises(ValueError, match="out of range"):
        scanner.utf8_prefix(b"abc", 4, True)


def test_utf8_prefix_of_every_short_sequence_of_edge_bytes() -> None:
    """Every sequence of up to three edge bytes, at the end or not, behind ASCII or not."""
    for length in range(1, 4):
        for sequence in itertools.product(_UTF8_EDGES, repeat=length):
            for head in (b"", b"abcdefghij", b"\xc3\xa9" * 5):
                for final in (False, True):
                    agreed("utf8_prefix", head + bytes(sequence), 0, final)
                    agreed("utf8_prefix", head + bytes(sequence) + b"z", 0, final)


def test_utf8_prefix_of_characters_cut_short() -> None:
    for text in ("\u00e9", "\u20ac", "\U0001f600"):
        whole = ("ab" + text).encode("utf-8")
        for cut in range(3, len(whole)):
            assert agreed("utf8_prefix", whole[:cut], 0, False) == (2, False, 2)
            assert agreed("utf8_prefix", whole[:cut], 0, True) == (2, True, 2)
    # CPython's rule: the start of a surrogate at the very end is cut short, not invalid.
    assert agreed("utf8_prefix", b"ab\xed\xa0", 0, False) == (2, False, 2)
    assert agreed("utf8_prefix", b"ab\xed\xa0\x80", 0, False) == (2, True, 2)
    assert agreed("utf8_prefix", b"ab\xe0\x80", 0, False) == (2, True, 2)  # overlong
    assert agreed("utf8_prefix", b"ab\xf4\x90", 0, False) == (2, True, 2)  # past U+10FFFF


@cases(500)
@given(text=st.text(), cut=st.data())
def test_chars_counts_the_characters_of_utf8(text: str, cut: st.DataObject) -> None:
    """Lone surrogates included: a ``str``'s text is encoded with ``"surrogatepass"``."""
    buf = text.encode("utf-8", "surrogatepass")
    starts = [
        0,
        *(len(text[:index].encode("utf-8", "surrogatepass")) for index in range(1, len(text) + 1)),
    ]
    first, last = sorted(cut.draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=2)))
    count = agreed("chars", buf, starts[first], starts[last])
    assert count == last - first


def test_chars_of_long_texts() -> None:
    """Long enough for the compiled twin's counters to be added up more than once."""
    for text in ("\u00e9" * 3000, "a\u20ac" * 1500 + "b", "\U0001f600" * 700 + "\u00e9"):
        buf = text.encode("utf-8")
        assert agreed("chars", buf, 0, len(buf)) == len(text)
        assert agreed("utf8_prefix", buf, 0, True) == (len(buf), False, len(text))


def test_chars_refuses_positions_out_of_range(scanner: ModuleType) -> None:
    with pytest.raises(ValueError, match="out of range"):
        scanner.chars(b"abc", 2, 4)


# -- reading the next window ----------------------------------------------------------------


class _ReadAlone:
    """A binary stream with ``read`` alone (as a user's or a library's may be)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._data.read(size)


_STREAMS: dict[str, Callable[[bytes], Any]] = {
    "BytesIO": io.BytesIO,
    "BufferedReader": lambda data: io.BufferedReader(io.BytesIO(data), 16),
    "read alone": _ReadAlone,
    "RawIOBase with read alone": lambda data: type(
        "Raw", (io.RawIOBase,), {"read": _ReadAlone(data).read, "readable": lambda self: True}
    )(),
}


@cases(300)
@given(
    head=st.binary(max_size=70),
    data=st.binary(max_size=300),
    size=st.integers(1, 400),
    view=st.booleans(),
    kind=st.sampled_from(sorted(_STREAMS)),
)
def test_read_into_gives_the_head_then_one_read(
    head: bytes, data: bytes, size: int, view: bool, kind: str
) -> None:
    for module in twins():
        stream = _STREAMS[kind](data)
        given = memoryview(b"_" + head)[1:] if view else head
        window, count = module.read_into(given, stream, size)
        assert type(window) is bytes
        assert (window, count) == (head + data[:size], len(data[:size]))
        rest, count = module.read_into(b"", stream, len(data) + 1)
        assert (rest, count) == (data[size:], len(data[size:]))
        assert module.read_into(head, stream, size) == (head, 0)  # the end


def test_read_into_takes_what_a_pipe_has_and_nothing_from_a_non_blocking_one() -> None:
    for module in twins():
        read_end, write_end = os.pipe()
        with open(read_end, "rb", buffering=0) as pipe:
            assert type(pipe) is io.FileIO
            os.write(write_end, b"abc")
            assert module.read_into(b"x", pipe, 100) == (b"xabc", 3)  # what is there
            os.set_blocking(read_end, False)
            assert module.read_into(b"x", pipe, 100) == (b"x", 0)  # nothing yet: None
            os.close(write_end)


def test_read_into_refuses_a_text_stream(scanner: ModuleType) -> None:
    with pytest.raises(TypeError, match=r"expected a binary stream \(opened with 'rb'\)"):
        scanner.read_into(b"", io.StringIO("[]"), 10)


# -- the selector -------------------------------------------------------------------------


def test_the_twins_have_the_same_names_and_numbers(compiled: ModuleType) -> None:
    scanner = COMPILED.load()
    for name in _scan_py.__all__:
        value = getattr(_scan_py, name)
        if isinstance(value, (int, str)):  # the statuses (the header's numbers), words
            assert getattr(scanner, name) == value, name
        else:
            assert callable(getattr(scanner, name)), name


def _scanner_in_use(env: dict[str, str]) -> str:
    code = "from purecloud_internal_message import _scan; print(_scan.COMPILED)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return result.stdout.strip()


def test_the_compiled_scanner_is_the_one_in_use(compiled: ModuleType) -> None:
    env = {key: value for key, value in os.environ.items() if key != ENV_VAR}
    assert _scanner_in_use(env) == "True"


def test_the_variable_rules_the_compiled_scanner_out() -> None:
    assert _scanner_in_use({**os.environ, ENV_VAR: "1"}) == "False"
    assert (not os.environ.get(ENV_VAR)) == _scan.COMPILED
