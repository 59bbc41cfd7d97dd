"""The line route: JSON Lines straight to the Arrow columns (``_lines_c.h``).

The compiled encoder reads a line holding the plain form of a record into the
columns without parsing it first, and leaves every other line to the payload
route. What it takes, it must take as the payload route takes the line's parsed
payload (``test_columns`` ties that route to the models'); what it leaves, it
must leave untouched. The reader offers it the lines in order, so a conversion
writes the same rows, problems and counts with it as without it.
"""

from __future__ import annotations

import io
import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import compiled_only
from purecloud_internal_message import InternalMessage, _columns
from purecloud_internal_message._jsonlines import read_lines
from purecloud_internal_message._jsontext import JSON
from purecloud_internal_message._jsonvalues import JSONTextError
from purecloud_internal_message.arrow import UNITS, ParquetOutput, to_parquet
from strategies import api_payloads, examples
from test_columns import irregular

BIG = 1 << 40  # a batch limit never reached


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return repr(value)


# Edits of a line's text, each of which the line route must leave to the payload
# route (or which make the line not JSON): it takes only the plain form.
EDITS = [
    lambda text: text[:-1] + ',"id":"again"}' if text.endswith("}") else text,  # a key twice
    lambda text: text[:-1] + ",}" if text.endswith("}") else text,  # a trailing comma
    lambda text: text + "x",
    lambda text: "\ufeff" + text,
    lambda text: text[: len(text) // 2],
    lambda text: text.replace('":"', '":"\\u00e9', 1),  # an escape
    lambda text: text.replace('":"', '":"\\ud800', 1),  # a lone surrogate, escaped
    lambda text: text.replace('":"', '":"\x01', 1),  # a raw control character
    lambda text: text.replace(":null", ":nul", 1),
    lambda text: text.replace(":[", ":[null,", 1),
    lambda text: "[" + text + "]",
    lambda text: text.replace('"id":', '"Id":', 1),
    lambda text: text.replace('"connectedTime":"', '"connectedTime":"x', 1),
]


@st.composite
def line_texts(draw: st.DrawFn, payload: Any) -> bytes:
    """A JSON Lines line of ``payload``: compact or spaced, ASCII-escaped or not, with
    blanks around it and a line end or none, and now and then an edit (`EDITS`) or a
    byte that is not UTF-8."""
    separators = draw(st.sampled_from([(",", ":"), (", ", ": "), (" ,\t", " :\r ")]))
    text = json.dumps(
        payload, ensure_ascii=draw(st.booleans()), separators=separators, default=_default
    )
    if draw(st.integers(0, 3)) == 0:
        text = draw(st.sampled_from(EDITS))(text)
    text = draw(st.sampled_from(["", " ", "\t "])) + text
    text += draw(st.sampled_from(["", "\n", "\r\n", " \n"]))
    data = text.encode("utf-8", "surrogatepass")  # a lone surrogate: bytes no decoder takes
    if data and draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80"])) + data[at:]
    return data


def by_lines(lines: list[bytes], unit: str, strict: bool) -> tuple[Any, Any, int]:
    """(columns of the lines the line route took, columns of the same lines through
    the payload route, how many it took), each line offered alone."""
    straight = _columns.builder(InternalMessage, unit, compiled=True)
    parsed = _columns.builder(InternalMessage, unit, compiled=True)
    taken = 0
    for line in lines:
        rows = straight.rows
        if straight.append_lines([line], 0, strict, BIG) == 0:
            assert straight.rows == rows  # left untouched
            continue
        assert straight.rows == rows + 1
        taken += 1
        try:
            payload = JSON.parse(line)
        except JSONTextError as error:  # pragma: no cover - the failure this test finds
            pytest.fail(f"the line route took a line that is not JSON: {line!r} ({error})")
        assert parsed.append_payload(payload, strict) >= 0, line
    return straight.take(), parsed.take(), taken


@compiled_only
@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    payloads=st.lists(api_payloads(), min_size=1, max_size=4),
    unit=st.sampled_from(UNITS),
    strict=st.booleans(),
)
def test_a_line_taken_straight_gives_the_columns_of_its_payload(
    data: st.DataObject, payloads: list[dict[str, Any]], unit: str, strict: bool
) -> None:
    lines = [data.draw(line_texts(data.draw(irregular(payload)))) for payload in payloads]
    straight, parsed, _ = by_lines(lines, unit, strict)
    assert straight == parsed


@compiled_only
@settings(max_examples=examples(100), suppress_health_check=[HealthCheck.too_slow])
@given(
    payloads=st.lists(api_payloads(unknown=False, known_enums_only=True), min_size=1, max_size=4),
    unit=st.sampled_from(UNITS),
    strict=st.booleans(),
)
def test_the_line_route_takes_the_api_s_own_lines(
    payloads: list[dict[str, Any]], unit: str, strict: bool
) -> None:
    """Lines as the API writes them (no escapes needed) are the route's to take, in
    any case of an enum value, strict or not; the others are the escaped ones."""
    lines = [json.dumps(payload, ensure_ascii=False).encode() + b"\n" for payload in payloads]
    straight, parsed, taken = by_lines(lines, unit, strict)
    assert straight == parsed
    assert taken == sum(b"\\" not in line for line in lines)


@compiled_only
@pytest.mark.parametrize(
    ("line", "taken"),
    [
        (b'{"id":"a"}', True),
        (b' {\t"id" : "a" ,"state":"CONNECTED"}\r\n', True),
        (b'{"id":"\xc3\xa9\xf0\x9f\x98\x80"}', True),  # UTF-8 as it is
        (b'{"segments":[],"messages":[{}],"toAddress":null,"fromAddress":{}}', True),
        (b'{"connectedTime":"2024-05-01T14:00:00.5+02:00"}', True),
        (b'{"connectedTime":"2024-05-01T12:00:00.1234Z"}', False),  # past milliseconds
        (b'{"connectedTime":"2024-05-01 12:00:00"}', False),  # a naive time
        (b'{"connectedTime":"20240501T120000Z"}', False),  # another form of the grammar
        (b'{"connected_time":"2024-05-01T12:00:00Z"}', False),  # the Python name
        (b'{"interactionId":"x"}', False),  # an unknown field
        (b'{"id":1}', False),
        (b'{"id":true}', False),
        (b'{"segments":{}}', False),
        (b'{"toAddress":[]}', False),
        (b'{"id":"a\\"b"}', False),
        (b'{"id":"a"} {"id":"b"}', False),
        (b'{"id":"a"}}', False),
        (b'{"id":"a\xff"}', False),
        (b"", False),
        (b"   \n", False),
        (b"null", False),
        (b'{"id":"a"', False),
        (b'{"id":"a",}', False),
        (b'{,"id":"a"}', False),
        (b'{"id" "a"}', False),
        (b'{"id":nulll}', False),
        (b'{"messages":[{"messageId":"m"},]}', False),
        (b'{"messages":[{"messageId":"m"}', False),
    ],
)
def test_what_the_line_route_takes_and_leaves(line: bytes, taken: bool) -> None:
    builder = _columns.builder(InternalMessage, "ms", compiled=True)
    assert builder.append_lines([line], 0, False, BIG) == int(taken)
    assert builder.rows == int(taken)


@compiled_only
def test_the_strict_rule_sends_an_unknown_enum_value_to_the_payload_route() -> None:
    builder = _columns.builder(InternalMessage, "ms", compiled=True)
    known, unknown = b'{"state":"Alerting"}', b'{"state":"parked"}'
    assert builder.append_lines([known, unknown], 0, True, BIG) == 1
    assert builder.append_lines([unknown], 0, False, BIG) == 1  # not strict: any text


@compiled_only
def test_append_lines_stops_at_the_limit_and_at_what_is_not_bytes() -> None:
    builder = _columns.builder(InternalMessage, "ms", compiled=True)
    lines: list[Any] = [b'{"id":"a"}', b'{"id":"b"}', b'{"id":"c"}', "{}", b'{"id":"d"}']
    assert builder.append_lines(lines, 0, False, 2) == 2
    assert builder.append_lines(lines, 2, False, BIG) == 3
    assert builder.append_lines(lines, 4, False, BIG) == 5
    assert builder.append_lines(lines, 5, False, BIG) == 5
    with pytest.raises(ValueError, match="start"):
        builder.append_lines(lines, -1, False, BIG)
    columns, _ = builder.take()
    assert columns[2][4] == b"abcd"  # the id column's bytes: the four records, in order


def test_the_pure_encoder_has_no_line_route() -> None:
    """The pure path reads every line (``ParquetOutput.line_taker`` gives None)."""
    assert not hasattr(_columns.builder(InternalMessage, "ms", compiled=False), "append_lines")


# -- the reader offers the lines in order ---------------------------------------------------


def _taker_of(prefix: bytes) -> Any:
    """A taker that takes the lines that start with ``prefix``, and records them."""
    took: list[bytes] = []

    def take(lines: list[bytes], start: int) -> int:
        index = start
        while index < len(lines) and lines[index].startswith(prefix):
            took.append(lines[index])
            index += 1
        return index

    return take, took


@settings(max_examples=examples(200))
@given(
    lines=st.lists(
        st.sampled_from([b'{"id":"t"}\n', b'{"id":"r"}\n', b"\n", b"{bad\n", b'[{"id":"a"}]\n']),
        max_size=30,
    ),
    head=st.integers(0, 40),
)
def test_read_lines_numbers_what_a_taker_leaves_as_without_it(
    lines: list[bytes], head: int
) -> None:
    """Runs taken are yielded as counts; every other line is read, with its own
    number, as if nothing had been taken (a head of text read ahead too)."""
    data = b"".join(lines)
    take, took = _taker_of(b'{"id":"t"}')
    progress: list[int] = []
    found = list(
        read_lines(io.BytesIO(data[head:]), head=data[:head], take=take, progress=progress.append)
    )
    plain = list(read_lines(io.BytesIO(data[head:]), head=data[:head]))

    def described(items: list[Any]) -> list[Any]:
        return [
            item if type(item) in (int, tuple) else (type(item).__name__, item.line)
            for item in items
        ]

    expected = [
        item for item in described(plain) if not (type(item) is tuple and item[1] == {"id": "t"})
    ]
    assert [item for item in described(found) if type(item) is not int] == expected
    assert sum(item for item in found if type(item) is int) == len(took)
    assert sum(progress) == len(data) - min(head, len(data))


class _ReadCounting:
    """A stream with ``read`` alone, as some file objects are (no C line splitting),
    whose every read is counted, as fsspec's files for object storage fetch."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.reads = 0

    def read(self, size: int = -1) -> bytes:
        self.reads += 1
        return self._data.read(size)


@pytest.mark.parametrize("take", [False, True])
def test_any_stream_is_read_a_buffer_at_a_time(take: bool) -> None:
    """Not a read per line: fsspec's files read a block of theirs (megabytes) for
    each ``readline``, so lines are split here, from a buffer read by ``read``."""
    data = b"".join(b'{"id": "%d"}\n' % number for number in range(20_000))
    stream = _ReadCounting(data)
    taker, _ = _taker_of(b'{"id": "1')
    found = list(read_lines(stream, take=taker if take else None))  # type: ignore[arg-type]
    records = sum(item if type(item) is int else 1 for item in found)
    assert records == 20_000
    assert stream.reads <= len(data) // (1 << 16) + 2


# -- conversions: the same file with the line route and without -----------------------------


GOOD = json.dumps(
    {
        "id": "g",
        "state": "connected",
        "connectedTime": "2024-05-01T12:00:00.000Z",
        "messages": [{"messageId": "m", "messageTime": "2024-05-01T12:00:01.000Z"}],
    }
).encode()
LINES = [
    GOOD,
    GOOD.replace(b'"g"', b'"g2"'),
    b'{"id": "u", "interactionId": {"x": [1.5]}}',  # an unknown field: the payload route
    b'{"connectedTime": "2024-05-01T12:00:00.0005Z"}',  # sub-millisecond: unfit
    b'{"id": 5}',  # invalid
    b"{not json",
    b"",
    b'{"participants": [{"internalMessages": [{"id": "p"}]}]}',
    b'{"id": "e\\u00e9"}',  # escaped: the payload route
    b'{"connected_time": "2024-05-01T12:00:00Z", "id": "py"}',
    b'{"state": "Parked"}',
]


@compiled_only
@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    picks=st.lists(st.sampled_from(LINES), max_size=40),
    batch_size=st.integers(1, 5),
    strict=st.booleans(),
)
def test_to_parquet_writes_the_same_with_the_line_route_as_without(
    tmp_path: Path, picks: list[bytes], batch_size: int, strict: bool
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(picks) + b"\n")

    def convert(name: str) -> tuple[Any, bytes, Any]:
        output, errors = tmp_path / f"{name}.parquet", tmp_path / f"{name}.errors.jsonl"
        counts = to_parquet([source], output, errors=errors, batch_size=batch_size, strict=strict)
        problems = errors.read_bytes() if errors.exists() else b""
        return pq.read_table(output), problems, counts.as_dict()

    with_route = convert("with")
    original = ParquetOutput.line_taker
    ParquetOutput.line_taker = lambda self, label: None  # type: ignore[method-assign,assignment]
    try:
        without = convert("without")
    finally:
        ParquetOutput.line_taker = original  # type: ignore[method-assign]
    assert with_route[0].equals(without[0])
    assert with_route[1:] == without[1:]


@compiled_only
def test_to_parquet_takes_the_plain_lines_by_the_line_route(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The route is the common case's, not only there: a plain line is never parsed."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join([GOOD] * 5 + [b'{"id": "e\\u00e9"}']) + b"\n")
    parsed: list[Any] = []
    parse = JSON.parse

    def counting(text: Any) -> Any:
        parsed.append(text)
        return parse(text)

    monkeypatch.setattr(JSON, "parse", counting)
    counts = to_parquet([source], tmp_path / "out.parquet")
    assert counts.written == 6
    assert parsed == [b'{"id": "e\\u00e9"}\n']


def test_nan_in_a_line_is_not_json_for_either_route() -> None:
    """``json.dumps`` writes NaN; JSON has no such value (the generator above relies on
    every route refusing it)."""
    with pytest.raises(JSONTextError):
        JSON.parse(json.dumps({"x": math.nan}))


# -- the payload route, for the records of documents too --


@compiled_only
@settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    picks=st.lists(st.sampled_from([line for line in LINES if line.startswith(b"{")]), max_size=20),
    batch_size=st.integers(1, 5),
    strict=st.booleans(),
)
def test_to_parquet_writes_a_listing_page_the_same_with_the_payload_route_as_without(
    tmp_path: Path, picks: list[bytes], batch_size: int, strict: bool
) -> None:
    # The records of a page, in conversations: each valid one the scanner finds is
    # offered to the payload route (take) first, as a JSON Lines line is.
    conversations = b",\n".join(
        b'{"id": "c", "participants": [{"internalMessages": [' + line + b"]}]}"
        for line in picks
        if not line.startswith(b"{not")
    )
    source = tmp_path / "page.json"
    source.write_bytes(b'{"entities": [' + conversations + b'], "pageSize": 25}')
    offered: list[Any] = []
    original = ParquetOutput.taker

    def counting(self: ParquetOutput, label: str) -> Any:
        take = original(self, label)
        assert take is not None

        def counted(payload: dict[str, Any]) -> bool:
            offered.append(payload)
            return bool(take(payload))

        return counted

    def convert(name: str) -> tuple[Any, bytes, Any]:
        output, errors = tmp_path / f"{name}.parquet", tmp_path / f"{name}.errors.jsonl"
        counts = to_parquet([source], output, errors=errors, batch_size=batch_size, strict=strict)
        problems = errors.read_bytes() if errors.exists() else b""
        return pq.read_table(output), problems, counts.as_dict()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ParquetOutput, "taker", counting)
        with_route = convert("with")
        patch.setattr(ParquetOutput, "taker", lambda self, label: None)
        without = convert("without")
    assert len(offered) == len(picks) - picks.count(b"{not json")  # every record, once
    assert with_route[0].equals(without[0])
    assert with_route[1:] == without[1:]
