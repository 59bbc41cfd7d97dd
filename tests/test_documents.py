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
    _stream,
    iter_internal_messages,
)
from purecloud_internal_message._reader import read_records
from purecloud_internal_message._shape import NotJSON, Record, find_records
from purecloud_internal_message._stream import DocumentRecord
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


def _records_of(found: list[Any]) -> list[tuple[str, Any, str | None]]:
    return [(item.path, item.data, item.problem) for item in found if isinstance(item, Record)]


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
        assert isinstance(record, DocumentRecord)
        # The record's text starts on the line it names.
        assert record.text.split(b"\n")[0] in lines[record.line - 1]


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
