"""iter_internal_messages and the walker behind it: every message found once, where it is,
in document order; a streamed document read exactly as its parsed value is."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purecloud_internal_message import (
    InternalMessage,
    ValidationError,
    _scan_py,
    _stream,
    iter_internal_messages,
)
from purecloud_internal_message._jsonvalues import path_text
from purecloud_internal_message._reader import Reader, read_records
from purecloud_internal_message._shape import NotJSON, Record, find_records
from purecloud_internal_message._stream import line_in, walk_text
from strategies import api_payloads, examples, json_values

# -- generated conversation documents, with the path of every message placed in them --

_messages = api_payloads(max_items=1).map(lambda payload: {**payload, "id": "x"})
_other = st.dictionaries(
    st.sampled_from(["id", "name", "purpose", "calls"]), json_values, max_size=2
)


@st.composite
def _participant(draw: st.DrawFn, path: str, found: list[tuple[str, Any]]) -> dict[str, Any]:
    participant = draw(_other)
    if draw(st.booleans()):  # a participant on another channel has none
        messages = draw(st.lists(_messages, max_size=3))
        participant["internalMessages"] = messages
        found.extend(
            (f"{path}.internalMessages[{index}]", message) for index, message in enumerate(messages)
        )
    elif draw(st.booleans()):
        participant["internalMessages"] = None
    return participant


@st.composite
def _conversation(draw: st.DrawFn, path: str, found: list[tuple[str, Any]]) -> dict[str, Any]:
    before, after = draw(_other), draw(_other)
    where = f"{path}.participants" if path else "participants"
    count = draw(st.integers(0, 3))
    participants = [draw(_participant(f"{where}[{index}]", found)) for index in range(count)]
    return {**before, "participants": participants, **after}


@st.composite
def _any_form(draw: st.DrawFn, path: str, found: list[tuple[str, Any]], depth: int = 0) -> Any:
    form = draw(
        st.sampled_from(["message", "conversation", "array", "page"][: 4 if depth < 2 else 2])
    )
    if form == "message":
        message = draw(_messages)
        found.append((path, message))
        return message
    if form == "conversation":
        return draw(_conversation(path, found))
    count = draw(st.integers(0, 3))
    if form == "array":
        return [draw(_any_form(f"{path}[{index}]", found, depth + 1)) for index in range(count)]
    where = f"{path}.entities" if path else "entities"
    entities = [draw(_any_form(f"{where}[{index}]", found, depth + 1)) for index in range(count)]
    return {"entities": entities, **draw(_other)}


@st.composite
def documents(draw: st.DrawFn) -> tuple[Any, list[tuple[str, Any]]]:
    """A document of any form, and every message in it as (path, payload) in document order."""
    found: list[tuple[str, Any]] = []
    document = draw(_any_form("", found))
    return document, found


def _as_given(document: Any, how: str, indent: int | None) -> Any:
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    if how == "text":
        return text
    if how == "bytes":
        return text.encode()
    if how == "stream":
        return io.BytesIO(text.encode())
    return document


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=documents(),
    how=st.sampled_from(["value", "text", "bytes", "stream"]),
    indent=st.sampled_from([None, 0, 2]),
)
def test_every_message_is_found_once_with_its_path_in_document_order(
    case: tuple[Any, list[tuple[str, Any]]], how: str, indent: int | None
) -> None:
    document, placed = case
    found = list(iter_internal_messages(_as_given(document, how, indent)))
    assert [path for path, _ in found] == [path for path, _ in placed]
    for (_, message), (_, payload) in zip(found, placed, strict=True):
        assert message == InternalMessage.from_dict(payload)


# -- streamed text is read exactly as its parsed value --

_keys = st.sampled_from(["participants", "internalMessages", "entities", "id", "state", "x"])
_shapes = st.recursive(
    json_values,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_keys, children, max_size=3),
    max_leaves=12,
)


def _records(found: list[Any]) -> list[tuple[int, str, Any, str | None]]:
    """The records among what a reader yields, whatever their form, as (line, path,
    payload, problem)."""
    return [
        (item[0], path_text(item[2]), item[1], None)
        if type(item) is tuple
        else (item.line, item.path, item.data, item.problem)
        for item in found
        if type(item) is tuple or isinstance(item, Record)
    ]


def _records_of(found: list[Any]) -> list[tuple[str, Any, str | None]]:
    return [(path, data, problem) for _, path, data, problem in _records(found)]


@settings(max_examples=examples(300), deadline=None)
@given(value=_shapes, indent=st.sampled_from([None, 1]), chunk=st.sampled_from([7, 64, 1 << 20]))
def test_a_streamed_document_gives_the_records_of_its_parsed_value(
    value: Any, indent: int | None, chunk: int
) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False).encode()
    with pytest.MonkeyPatch.context() as patch:
        # Small windows too: every value and key straddles a read somewhere.
        patch.setattr(_stream, "_CHUNK", chunk)
        patch.setattr(_stream, "_FIRST_CHUNK", chunk)
        found = list(read_records(io.BytesIO(text), form="json"))
    assert not [item for item in found if isinstance(item, NotJSON)]
    assert _records_of(found) == [(r.path, r.data, r.problem) for r in find_records(value)]
    lines = text.split(b"\n")
    for record in found:
        if type(record) is tuple:  # a plain record: (line, payload, loc, text)
            # The record's text starts on the line it names.
            assert record[3].split(b"\n")[0] in lines[record[0] - 1]
        else:
            assert isinstance(record, Record) and record.problem is not None


# A record's text with what parsers disagree on: big and tiny numbers, escapes, lone
# surrogates, duplicate keys, control characters, NaN.
_tricky_values = st.sampled_from(
    [
        "1",
        "-0",
        "1.5",
        "1e400",
        "-1e-400",
        "12345678901234567890123456789",
        "9" * 700,
        "0.1000000000000000055511151231257827",
        '"\\ud800"',
        '"\\udc00\\ud800"',
        '"\\u00e9\\n\\"\\/"',
        '"caf\u00e9 \U0001f600"',
        "NaN",
        "Infinity",
        '"a\tb"',
        "true",
        "null",
        "[]",
        '{"a": [1, {"b": null}]}',
    ]
)
_fields = st.sampled_from(["id", "state", "connectedTime", "messages", "toAddress", "x", "id"])


@st.composite
def record_texts(draw: st.DrawFn) -> str:
    members = draw(st.lists(st.tuples(_fields, _tricky_values), max_size=4))
    separator = draw(st.sampled_from([", ", ",\n  ", ","]))
    return "{" + separator.join(f'"{key}": {value}' for key, value in members) + "}"


def _outcome(get: Any) -> Any:
    try:
        message = get()
    except ValidationError as error:
        invalid_json = any(item.message.startswith("invalid JSON") for item in error.errors)
        return ("not JSON",) if invalid_json else ("invalid", [str(i) for i in error.errors])
    if isinstance(message, ValidationError):
        return ("invalid", [str(item) for item in message.errors])
    return ("valid", message.to_api_json())


@settings(max_examples=examples(300), deadline=None)
@given(record=record_texts(), where=st.sampled_from(["alone", "array", "conversation", "page"]))
def test_a_record_inside_a_document_decodes_exactly_as_its_own_text(
    record: str, where: str
) -> None:
    document, path = {
        "alone": (record, ""),
        "array": (f'[{{"id": "other"}},\n {record}]', "[1]"),
        "conversation": (
            f'{{"id": "c", "participants": [{{"internalMessages": [\n{record}\n]}}]}}',
            "participants[0].internalMessages[0]",
        ),
        "page": (
            f'{{"entities": [{{"participants": [{{"internalMessages": [{record}]}}]}}]}}',
            "entities[0].participants[0].internalMessages[0]",
        ),
    }[where]

    def in_document() -> Any:
        found = [item for item in iter_internal_messages(document.encode()) if item[0] == path]
        (item,) = found
        return item[1]

    expected = _outcome(lambda: InternalMessage.from_json(record))
    got = _outcome(in_document)
    if expected[0] == "invalid":
        assert got[0] == "invalid"
        prefix = f"{path}." if path else ""
        assert got[1] == [
            f"{prefix}{line}" if not line.startswith("(root)") else f"{path or '(root)'}{line[6:]}"
            for line in expected[1]
        ]
    else:
        assert got == expected


# -- errors and laziness --


def test_bad_records_are_yielded_with_the_document_path_and_the_walk_goes_on() -> None:
    conversation = {
        "participants": [
            {"internalMessages": [{"id": "a"}, {"id": "b", "messages": [{"messageTime": "x"}]}]},
            7,
            {"internalMessages": {"id": "c"}},
            {"name": "on a call"},
            {"internalMessages": [{"id": "d"}]},
        ]
    }
    found = list(iter_internal_messages(conversation))
    assert [path for path, _ in found] == [
        "participants[0].internalMessages[0]",
        "participants[0].internalMessages[1]",
        "participants[1]",
        "participants[2].internalMessages",
        "participants[4].internalMessages[0]",
    ]
    errors = [str(message) for _, message in found if isinstance(message, ValidationError)]
    assert errors[0].startswith(
        "participants[0].internalMessages[1].messages[0].messageTime: expected an ISO-8601"
    )
    assert errors[1] == "participants[1]: expected a participant object, got number 7"
    assert errors[2] == (
        "participants[2].internalMessages: expected an array of internal messages,"
        " got object {'id': 'c'}"
    )
    with pytest.raises(ValidationError, match=r"^participants\[0\]\.internalMessages\[1\]\."):
        list(iter_internal_messages(conversation, raise_errors=True))


def test_strict_is_passed_on() -> None:
    document = [{"id": "a", "state": "parked"}]
    ((_, message),) = iter_internal_messages(document)
    assert isinstance(message, InternalMessage)
    ((_, error),) = iter_internal_messages(document, strict=True)
    assert isinstance(error, ValidationError)
    assert str(error).startswith("[0].state: unknown value string 'parked'")


class _Counting(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads = 0

    def read(self, size: int | None = -1) -> bytes:
        self.reads += 1
        return super().read(size)


def test_it_is_lazy() -> None:
    stream = _Counting(json.dumps([{"id": "a"}, {"id": "b"}]).encode())
    walk = iter_internal_messages(stream)
    assert stream.reads == 0  # nothing read (nor decoded) before the first record is asked for
    assert next(walk)[0] == "[0]"
    assert [path for path, _ in walk] == ["[1]"]


def test_text_that_is_not_json_raises_after_the_records_before_it() -> None:
    walk = iter_internal_messages('[{"id": "a"},\n {"id": "b"} {"id": "c"}]')
    assert next(walk)[0] == "[0]"
    assert next(walk)[0] == "[1]"
    with pytest.raises(ValidationError) as caught:
        next(walk)
    assert str(caught.value) == (
        "(root): invalid JSON: expected ',' or ']' after an array element, found '{'"
        " (line 2, column 14)"
    )


def test_bytes_skip_a_byte_order_mark_and_must_be_utf8() -> None:
    assert [p for p, _ in iter_internal_messages(b'\xef\xbb\xbf[{"id": "a"}]')] == ["[0]"]
    with pytest.raises(ValidationError, match=r"invalid UTF-8: byte 0xe9 \(line 2, column 13\)"):
        list(iter_internal_messages(b'[{"id": "a"},\n {"id": "caf\xe9"}]'))


def test_a_text_stream_is_refused() -> None:
    with pytest.raises(TypeError, match="binary stream"):
        list(iter_internal_messages(io.StringIO("[]")))  # type: ignore[arg-type]


def test_deep_nesting_is_walked_without_recursion() -> None:
    deep = "[" * 10_000 + '{"id": "a"}' + "]" * 10_000  # beyond any recursion limit
    ((path, message),) = iter_internal_messages(deep)
    assert path == "[0]" * 10_000
    assert isinstance(message, InternalMessage)
    value = json.loads("[" * 50 + "1" + "]" * 50)
    ((_, error),) = iter_internal_messages(value)
    assert isinstance(error, ValidationError)


def test_the_first_deciding_key_decides() -> None:
    # An object with both keys is read by the first; the same in a parsed value and in text.
    both = {"entities": [{"id": "a"}], "participants": [{"internalMessages": [{"id": "b"}]}]}
    for document in (both, json.dumps(both)):
        assert [p for p, _ in iter_internal_messages(document)] == ["entities[0]"]
    other = {"entities": "not an array", "participants": []}
    assert list(iter_internal_messages(other)) == []


def test_columns_on_one_long_line_across_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    # A minified document is one line: windows are dropped in its middle.
    monkeypatch.setattr(_stream, "_CHUNK", 64)
    monkeypatch.setattr(_stream, "_FIRST_CHUNK", 64)
    text = "[" + ", ".join(['{"id": "a"}'] * 200) + ", NaN]"
    (report,) = [
        item for item in read_records(io.BytesIO(text.encode())) if isinstance(item, NotJSON)
    ]
    assert report.message == f"not JSON: NaN is not a JSON value (column {text.index('NaN') + 1})"
    data = text.replace("NaN", '"caf\xe9"').encode("latin-1")
    (report,) = [item for item in read_records(io.BytesIO(data)) if isinstance(item, NotJSON)]
    assert report.message == (
        f"not JSON: invalid UTF-8: byte 0xe9 (column {text.index('NaN') + 5})"
    )


def test_utf16_bytes_are_named() -> None:
    with pytest.raises(ValidationError, match="UTF-16 or UTF-32 bytes: JSON bytes must be UTF-8"):
        list(iter_internal_messages('[{"id": "a"}]'.encode("utf-16-le")))
    with pytest.raises(ValidationError, match="expected a value, found U\\+0000"):
        list(iter_internal_messages("\x00[]"))  # text: not bytes of another encoding


# -- what the readers must not get wrong (each test kills a bug an audit planted) --


def _reports(found: list[Any]) -> list[tuple[int, int, str]]:
    return [(item.line, item.column, item.reason) for item in found if isinstance(item, NotJSON)]


def test_a_listing_page_on_a_line_of_json_lines_is_walked() -> None:
    page = {"entities": [{"id": "a"}, {"id": "b", "state": 5}], "pageSize": 2}
    not_a_page = {"entities": "not an array", "id": "c"}
    text = "".join(json.dumps(item) + "\n" for item in ({"id": "x"}, page, not_a_page))
    found = list(read_records(io.BytesIO(text.encode()), form="jsonl"))
    assert found[0] == (1, {"id": "x"}, (), None)
    assert [(r.line, r.path, r.data) for r in found[1:3]] == [
        (2, "entities[0]", {"id": "a"}),
        (2, "entities[1]", {"id": "b", "state": 5}),
    ]
    # "entities" that is no array: a field of one message.
    assert isinstance(found[3], Record)
    assert (found[3].line, found[3].path, found[3].data) == (3, "", not_a_page)
    assert len(found) == 4


def test_json_lines_are_numbered_from_first_line_and_only_json_lines_take_it() -> None:
    # A block of a file, numbered as the file's lines (the Dask recipe's blocks).
    text = b'{"id": "x"}\n\n{not json\n{"entities": [{"id": "a"}]}\n'
    found = list(read_records(io.BytesIO(text), form="jsonl", first_line=41))
    assert found[0] == (41, {"id": "x"}, (), None)
    assert _reports(found) == [(43, 2, found[1].reason)]
    assert isinstance(found[2], Record) and (found[2].line, found[2].path) == (44, "entities[0]")
    for form in ("json", "auto"):
        with pytest.raises(ValueError, match="first_line is for JSON Lines"):
            read_records(io.BytesIO(text), form=form, first_line=2)


def test_a_multi_line_first_value_makes_a_document_not_json_lines() -> None:
    text = '{\n  "id": "a"\n}\n{"id": "b"}\n'
    found = list(read_records(io.BytesIO(text.encode())))
    assert [path for _, path, _, _ in _records(found)] == [""]
    (report,) = [item for item in found if isinstance(item, NotJSON)]
    assert (report.line, report.column, report.reason) == (4, 1, "extra data after the JSON value")
    assert report.ends_input
    # A first value alone on its line makes JSON Lines, whatever follows.
    text = '{"id": "a"}\n{\n"id": "b"}\n'
    found = list(read_records(io.BytesIO(text.encode())))
    assert _records(found[:1]) == [(1, "", {"id": "a"}, None)]
    assert [(r.line, r.ends_input) for r in found[1:]] == [(2, False), (3, False)]


def test_the_line_of_a_problem_under_a_repeated_key_is_the_kept_occurrence() -> None:
    # Parsers keep the last occurrence of a key; its line is the problem's.
    text = '[{"id": "a",\n  "state": "connected",\n  "x": 1,\n  "state": 5}]'
    ((line, data, _, record),) = list(walk_text(text))
    assert data["state"] == 5
    assert line_in(record, line, ("state",)) == 4
    assert line_in(record, line, ("x",)) == 3
    # The first one wrong and dropped: nothing to report at all.
    (message,) = iter_internal_messages('[{"state": 5,\n "state": "connected"}]')
    assert isinstance(message[1], InternalMessage)


# A record whose unknown keys hold the punctuation of paths, each beside the key and
# member its text seems to name; the bad values (lone surrogates) sit on lines of their own.
_PUNCTUATED = """[{"id": "a",
  "a": {"b": "\\ud800"},
  "a.b": "\\udc00",
  "x": [1, 2],
  "x[0]": ["ok",
    "\\udfff"],
  "7": {".": "\\ud801"}}]"""


def test_the_line_of_a_problem_under_a_key_holding_dots_or_brackets_is_its_own() -> None:
    ((line, _, _, record),) = list(walk_text(_PUNCTUATED))
    assert line_in(record, line, ("a", "b")) == 2
    assert line_in(record, line, ("a.b",)) == 3
    assert line_in(record, line, ("x", 1)) == 4
    assert line_in(record, line, ("x[0]",)) == 5
    assert line_in(record, line, ("x[0]", 1)) == 6
    assert line_in(record, line, ("7", ".")) == 7
    assert line_in(record, line, ("x", 5)) == 1  # not there: the record's line
    assert line_in(record, line, ("7", 0)) == 1  # a key is no index
    assert line_in(None, 9, ("x", 1)) == 9  # no text (a JSON Lines line): its line
    # The errors the reader reports, each on its own line, paths as text.
    reader = Reader(InternalMessage, strict=False, report=(problems := []).append)
    assert list(reader.read_stream(io.BytesIO(_PUNCTUATED.encode()), "in.json")) == []
    assert [(problem.line, problem.path) for problem in problems] == [
        (2, "[0].a.b"),
        (3, "[0].a.b"),
        (6, "[0].x[0][1]"),
        (7, "[0].7.."),
    ]


def test_a_bad_record_in_a_document_carries_the_whole_loc() -> None:
    conversation = {
        "participants": [
            {"internalMessages": [{"id": "a"}]},
            {"internalMessages": [{}, {"messages": [{}, {}, {"messageTime": 5}], "a.b": 2**2200}]},
            "no participant",
        ]
    }
    for form in (conversation, json.dumps(conversation)):
        found = list(iter_internal_messages(form))
        assert [path for path, _ in found] == [
            "participants[0].internalMessages[0]",
            "participants[1].internalMessages[0]",
            "participants[1].internalMessages[1]",
            "participants[2]",
        ]
        error = found[2][1]
        assert isinstance(error, ValidationError)
        assert [item.loc for item in error.errors] == [
            ("participants", 1, "internalMessages", 1, "messages", 2, "messageTime"),
            ("participants", 1, "internalMessages", 1, "a.b"),
        ]
        assert error.errors[0].path == (
            "participants[1].internalMessages[1].messages[2].messageTime"
        )
        (item,) = found[3][1].errors  # type: ignore[union-attr]
        assert item.loc == ("participants", 2)


def test_a_problem_at_a_records_root_has_the_records_path() -> None:
    # (not "participants[0].internalMessages[0]." with a dot after it)
    document = {"participants": [{"internalMessages": [5, {"id": "a"}]}]}
    for form in (document, json.dumps(document)):
        found = list(iter_internal_messages(form))
        assert str(found[0][1]) == (
            "participants[0].internalMessages[0]: expected an object (InternalMessage),"
            " got number 5"
        )
        assert found[1][0] == "participants[0].internalMessages[1]"


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        ('{"id": "cut here', 8, "unterminated string"),
        ('{"id": "ends in a backslash\\', 8, "unterminated string"),
        ('{"id": "\\u12', 8, "unterminated string"),
        ('{"id": "x", ', 13, "expected a string key after ',', found the end of the input"),
        ('{"id": tru', 8, "expected a value, found 'tru'"),
        ('{"id": 1.', 8, "invalid number: expected a digit after '.'"),
    ],
)
@pytest.mark.parametrize("end", ["\n", "\r\n", "the end of the input"])
def test_a_line_cut_short_is_worded_as_the_line_without_its_end(
    line: str, column: int, reason: str, end: str
) -> None:
    # In the reference parser's words for the line alone, not for a line feed in a string.
    if end == "the end of the input":
        data = f'{{"id": "a"}}\n{line}'.encode()
    else:
        data = f'{{"id": "a"}}\n{line}{end}{{"id": "b"}}\n'.encode()
    for form in ("jsonl", "auto"):
        found = list(read_records(io.BytesIO(data), form=form))
        assert _reports(found) == [(2, column, reason)]
        assert [item.ends_input for item in found if isinstance(item, NotJSON)] == [False]
        assert len(found) == (2 if end == "the end of the input" else 3)


def test_progress_counts_every_byte_once_when_json_lines_are_told_by_their_first_line() -> None:
    data = "".join(json.dumps({"id": str(n)}) + "\n" for n in range(20_000)).encode()
    consumed: list[int] = []
    found = list(read_records(io.BytesIO(data), progress=consumed.append))
    assert len(found) == 20_000
    assert sum(consumed) == len(data)


def test_columns_count_characters_on_a_line_cut_by_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_stream, "_CHUNK", 16)
    monkeypatch.setattr(_stream, "_FIRST_CHUNK", 16)
    head = '[{"id": "caf\u00e9 \U0001f600"}, ' * 20
    for text in (head + "NaN]", "[\n" + head + "\n" + head + " NaN]"):
        expected = _reference_report(text)
        assert _reports(list(read_records(io.BytesIO(text.encode())))) == [expected]
        (report,) = _reports(list(walk_text(text)))  # a str: the same characters
        assert report == expected


def _reference_report(text: str) -> tuple[int, int, str]:
    from purecloud_internal_message._jsonreference import parse_reference
    from purecloud_internal_message._jsonvalues import JSONTextError

    with pytest.raises(JSONTextError) as caught:
        parse_reference(text)
    return caught.value.line, caught.value.column, caught.value.message


_near_miss_bytes = st.sampled_from(list(' \n{}[]:,"\\-.0e9tnx\u00e9'))


@st.composite
def broken_documents(draw: st.DrawFn) -> str:
    """A document's text with one character deleted, inserted or replaced."""
    text = json.dumps(draw(_shapes), indent=draw(st.sampled_from([None, 1])), ensure_ascii=False)
    at = draw(st.integers(0, len(text)))
    char = draw(_near_miss_bytes)
    how = draw(st.sampled_from(["delete", "insert", "replace"]))
    if how == "delete":
        return text[:at] + text[at + 1 :]
    return text[:at] + char + text[at + (how == "replace") :]


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=broken_documents(), chunk=st.sampled_from([1, 3, 7, 64, 1 << 20]))
def test_text_that_is_not_json_is_refused_where_and_as_the_reference_parser_refuses_it(
    text: str, chunk: int
) -> None:
    # Wherever the windows are cut: the same words, line and column (in characters).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_stream, "_CHUNK", chunk)
        patch.setattr(_stream, "_FIRST_CHUNK", chunk)
        found = list(read_records(io.BytesIO(text.encode()), form="json"))
    try:
        expected = [_reference_report(text)]
    except pytest.fail.Exception:  # the reference parser reads it: so must the walker
        expected = []
    assert _reports(found) == expected
    assert not [item for item in found[:-1] if isinstance(item, NotJSON)]  # the report ends it


def _walked(text: bytes, chunk: int, *, checked: bool) -> list[Any]:
    """Everything ``read_records`` finds in a document read in windows of ``chunk``
    bytes, as comparable tuples. ``checked``: with each record's text checked by the
    scanner as it is found (``value_end`` for ``record_end``, the pure twin's
    ``elements``), where the walker lets the parser check it.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_stream, "_CHUNK", chunk)
        patch.setattr(_stream, "_FIRST_CHUNK", chunk)
        if checked:
            patch.setattr(_scan_py, "record_end", _scan_py.value_end)
            patch.setattr(_stream, "elements", _scan_py.elements)
        found = list(read_records(io.BytesIO(text), form="json"))
    return [
        item
        if type(item) is tuple
        else (item.line, item.column, item.reason)
        if isinstance(item, NotJSON)
        else (item.line, item.path, item.data, item.problem)
        for item in found
    ]


@st.composite
def broken_messages(draw: st.DrawFn) -> bytes:
    """A document whose messages sit in conversations, pages and arrays, with one
    character deleted, inserted or replaced inside one of its messages (if it has any).
    """
    document, placed = draw(documents())
    text = json.dumps(document, indent=draw(st.sampled_from([None, 1])), ensure_ascii=False)
    if placed:  # somewhere in the text of a message (its id, "x", is in each)
        starts = [at for at in range(len(text)) if text.startswith('"id": "x"', at)]
        at = draw(st.sampled_from(starts)) + draw(st.integers(-20, 30))
    else:
        at = draw(st.integers(0, len(text)))
    at = min(max(at, 0), len(text))
    char = draw(_near_miss_bytes)
    how = draw(st.sampled_from(["delete", "insert", "replace"]))
    if how == "delete":
        return (text[:at] + text[at + 1 :]).encode()
    return (text[:at] + char + text[at + (how == "replace") :]).encode()


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=broken_messages(), chunk=st.sampled_from([5, 64, 1 << 20]))
def test_records_found_by_their_brackets_are_read_as_checked_ones(text: bytes, chunk: int) -> None:
    # The same records, lines and paths, and the same report where the text is not
    # JSON, as when the scanner checks each record's text itself.
    assert _walked(text, chunk, checked=False) == _walked(text, chunk, checked=True)


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=_shapes,
    at=st.integers(0, 10_000),
    byte=st.sampled_from([b"\xff", b"\xc3", b"\xe9", b"\xed\xa0\x80"]),
    chunk=st.sampled_from([1, 5, 1 << 20]),
)
def test_bytes_that_are_not_utf8_are_refused_where_they_are(
    value: Any, at: int, byte: bytes, chunk: int
) -> None:
    data = json.dumps(value, indent=1, ensure_ascii=False).encode()
    at = at % (len(data) + 1)
    while at < len(data) and 0x80 <= data[at] < 0xC0:  # not inside a character
        at += 1
    broken = data[:at] + byte + data[at:]
    from purecloud_internal_message._jsonreference import parse_reference
    from purecloud_internal_message._jsonvalues import JSONTextError

    with pytest.raises(JSONTextError) as caught:
        parse_reference(broken)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_stream, "_CHUNK", chunk)
        patch.setattr(_stream, "_FIRST_CHUNK", chunk)
        found = list(read_records(io.BytesIO(broken), form="json"))
    expected = (caught.value.line, caught.value.column, caught.value.message)
    assert _reports(found) == [expected]


def test_a_str_with_lone_surrogates_is_read_as_from_json_reads_it() -> None:
    text = '[{"id": "\ud800"},\n {"id": "caf\u00e9"}]'
    found = list(iter_internal_messages(text))
    assert [path for path, _ in found] == ["[0]", "[1]"]
    error = found[0][1]
    assert isinstance(error, ValidationError)
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_json('{"id": "\ud800"}')
    assert [item.message for item in error.errors] == [item.message for item in caught.value.errors]
    assert found[1][1] == InternalMessage.from_dict({"id": "caf\u00e9"})
    with pytest.raises(ValidationError, match=r"found 'x' \(line 2, column 17\)"):
        list(iter_internal_messages('[{"id": "\ud800"},\n {"id": "caf\u00e9"} x]'))
    with pytest.raises(ValidationError, match="unexpected byte order mark U\\+FEFF"):
        list(iter_internal_messages("\ufeff[]"))  # in a str, U+FEFF is a character


@pytest.mark.parametrize(
    "text",
    [
        '[{"id": "a"}.]',
        '[{"id": "a"}5]',
        '[{"id": "a"}e]',
        '{"participants": []e}',
        '{"participants": [], "x": 1.}',
        '{"id": "a"}.5',
        "[[] 0]",
        "[00]",
        '{"entities": [1e]}',
    ],
)
def test_what_follows_a_value_is_refused_in_the_reference_parsers_words(text: str) -> None:
    # The walker hands the reference parser a stand-in for the value it read: one
    # that what follows cannot run on with (0. would be a number).
    found = list(read_records(io.BytesIO(text.encode()), form="json"))
    assert _reports(found) == [_reference_report(text)]
