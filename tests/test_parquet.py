"""The streaming Parquet converter: its output, its errors file, and the readers of both."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purecloud_internal_message import InternalMessage, cli
from purecloud_internal_message.arrow import (
    Counts,
    Problem,
    arrow_schema,
    from_arrow,
    to_arrow,
    to_parquet,
)
from strategies import api_payloads, examples

ROOT = Path(__file__).resolve().parents[1]
CONVERSATION = ROOT / "examples" / "conversation.json"
UTC = timezone.utc

GOOD = {
    "id": "c-1",
    "state": "connected",
    "connectedTime": "2024-05-01T12:34:56.789Z",
    "toAddress": {"name": "Bob", "nickname": "b"},
    "messages": [{"messageId": "m-1", "messageTime": "2024-05-01T12:35:00.000Z"}],
    "queueMediaSettings": {"priority": 5},
}
BAD = {"id": "c-2", "messages": [{"messageId": "m-1", "messageTime": "May 1"}], "state": 7}


def jsonl(*lines: Any) -> str:
    return "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def errors_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def convert(tmp_path: Path, *sources: Any, **kwargs: Any) -> tuple[Counts, Path, Path]:
    output, errors = tmp_path / "out.parquet", tmp_path / "out.errors.jsonl"
    counts = to_parquet(sources, output, errors=errors, **kwargs)
    return counts, output, errors


# -- what is written --


def test_valid_records_become_rows_and_problems_become_error_rows(tmp_path: Path) -> None:
    source = write(
        tmp_path / "export.jsonl",
        jsonl(GOOD, BAD, "", "{not json", {**GOOD, "id": "c-3"}, [GOOD, {"id": 1}]),
    )
    counts, output, errors = convert(tmp_path, source)
    assert counts.as_dict() == {
        "records": 5,
        "written": 3,
        "invalid": 2,
        "not_json": 1,
        "not_json_documents": 0,
        "unreadable": 0,
        "problems": 4,
    }
    table = pq.read_table(output)
    assert table.schema.equals(arrow_schema(), check_metadata=False)
    expected = [InternalMessage.from_dict(GOOD), InternalMessage.from_dict({**GOOD, "id": "c-3"})]
    assert from_arrow(table) == [*expected, expected[0]]
    name = str(source)
    bad = [(item.path, item.message) for item in problems_of(BAD)]
    assert errors_of(errors) == [
        *({"file": name, "line": 2, "kind": "invalid", "path": p, "message": m} for p, m in bad),
        {"file": name, "line": 4, "kind": "not-json", "path": "", "message": not_json("{not json")},
        {"file": name, "line": 6, "kind": "invalid", "path": "[1].id",
         "message": "expected a string, got number 1"},
    ]  # fmt: skip


def problems_of(payload: Any) -> list[Any]:
    try:
        InternalMessage.from_dict(payload)
    except ValueError as error:
        return error.errors  # type: ignore[attr-defined, no-any-return]
    raise AssertionError("valid")


def not_json(line: str) -> str:
    # What the command line says about the line, whatever JSON parser it uses.
    from purecloud_internal_message._reader import read_records
    from purecloud_internal_message._shape import NotJSON

    (found,) = read_records(io.BytesIO(line.encode() + b"\n"), form="jsonl")
    assert isinstance(found, NotJSON)
    return found.message


def test_problems_are_reported_as_validate_reports_them(tmp_path: Path, capsys: Any) -> None:
    # The same inputs, the same FILE:LINE: PATH: message lines, in the same order.
    sources = [
        write(tmp_path / "a.jsonl", jsonl(GOOD, BAD, "{", [1, GOOD], {"participants": 3})),
        CONVERSATION,
        write(tmp_path / "doc.json", json.dumps([GOOD, BAD, GOOD], indent=2)),
        tmp_path / "missing.jsonl",
        write(tmp_path / "b.ndjson", b'{"id": "\xff"}\n' + jsonl(GOOD).encode()),
    ]
    reported: list[Problem] = []
    counts = to_parquet(sources, tmp_path / "out.parquet", on_problem=reported.append)
    status = cli.main(["validate", *map(str, sources)])
    captured = capsys.readouterr()
    assert [str(problem) for problem in reported] == captured.out.splitlines()
    summary = f"{counts.records} records read, {counts.invalid} invalid, "
    assert summary in captured.err
    assert f"{counts.not_json} not JSON, {counts.unreadable} unreadable" in captured.err
    assert status == 2
    assert {problem.kind for problem in reported} == {"invalid", "not-json", "unreadable"}
    assert pq.read_table(tmp_path / "out.parquet").num_rows == counts.written


def test_records_in_conversation_documents(tmp_path: Path) -> None:
    counts, output, errors = convert(tmp_path, CONVERSATION)
    document = json.loads(CONVERSATION.read_text())
    found = [
        InternalMessage.from_dict(message)
        for participant in document["participants"]
        for message in participant.get("internalMessages", [])
    ]
    assert counts.written == counts.records == len(found) > 0
    assert from_arrow(pq.read_table(output)) == found
    assert not errors.exists()  # no problems: no errors file


def test_an_unreadable_input_is_a_problem_and_the_others_are_converted(tmp_path: Path) -> None:
    good = write(tmp_path / "good.jsonl", jsonl(GOOD))
    counts, _, errors = convert(tmp_path, tmp_path / "missing.jsonl", good)
    assert (counts.unreadable, counts.written) == (1, 1)
    (row,) = errors_of(errors)
    assert row == {
        "file": str(tmp_path / "missing.jsonl"),
        "line": None,
        "kind": "unreadable",
        "path": "",
        "message": "cannot read: No such file or directory",
    }


def test_bytes_that_are_not_utf8_and_file_names_that_are_not_either(tmp_path: Path) -> None:
    data = b'{"id": "ok"}\n{"id": "\xff\xfe"}\n'
    name = os.fsdecode(b"exp\xffort.jsonl")
    source = write(tmp_path / name, data)
    counts, _, errors = convert(tmp_path, source)
    assert (counts.written, counts.not_json) == (1, 1)
    (row,) = errors_of(errors)
    assert row["line"] == 2 and row["kind"] == "not-json" and "UTF-8" in row["message"]
    assert row["file"].endswith("exp\\udcffort.jsonl")  # the lone surrogate, escaped


def test_sub_millisecond_records_are_problems_under_ms_and_rows_under_us(tmp_path: Path) -> None:
    fine = {"id": "f", "segments": [{"startTime": "2024-05-01T12:00:00.123456Z"}]}
    source = write(tmp_path / "x.jsonl", jsonl(GOOD, fine, GOOD))
    counts, output, errors = convert(tmp_path, source)
    assert (counts.records, counts.written, counts.invalid) == (3, 2, 1)
    (row,) = errors_of(errors)
    assert row["line"] == 2 and row["path"] == "segments[0].startTime"
    assert "sub-millisecond precision" in row["message"] and "unit='us'" in row["message"]
    counts, output, errors = convert(tmp_path, source, unit="us")
    assert (counts.written, counts.invalid) == (3, 0)
    assert from_arrow(pq.read_table(output))[1] == InternalMessage.from_dict(fine)
    assert pq.read_schema(output).field("connectedTime").type == pa.timestamp("us", tz="UTC")


def test_a_sub_millisecond_record_inside_a_conversation_gets_its_full_path(tmp_path: Path) -> None:
    line = {
        "participants": [
            {"internalMessages": [GOOD, {"connectedTime": "2024-05-01T12:00:00.000001Z"}]}
        ]
    }
    counts, _, errors = convert(tmp_path, write(tmp_path / "c.jsonl", jsonl(line)))
    assert counts.written == 1
    assert errors_of(errors)[0]["path"] == "participants[0].internalMessages[1].connectedTime"


def test_strict_mode(tmp_path: Path) -> None:
    source = write(tmp_path / "x.jsonl", jsonl(GOOD, {"id": "plain"}))
    counts, _, errors = convert(tmp_path, source, strict=True)
    assert (counts.written, counts.invalid) == (1, 1)
    assert {row["path"] for row in errors_of(errors)} == {
        "queueMediaSettings",
        "toAddress.nickname",
    }


def test_streams_in_and_out(tmp_path: Path) -> None:
    source = io.BytesIO(jsonl(GOOD, BAD).encode())
    source.name = "<stdin>"  # type: ignore[attr-defined]
    output, errors = io.BytesIO(), io.BytesIO()
    counts = to_parquet([source], output, errors=errors, form="jsonl")
    assert counts.written == 1
    assert from_arrow(pq.read_table(io.BytesIO(output.getvalue()))) == [
        InternalMessage.from_dict(GOOD)
    ]
    assert json.loads(errors.getvalue().splitlines()[0])["file"] == "<stdin>"
    unnamed = to_parquet([io.BytesIO(b"[1]")], io.BytesIO(), on_problem=lambda p: None)
    assert unnamed.invalid == 1


def test_without_an_errors_file_problems_are_still_counted(tmp_path: Path) -> None:
    source = write(tmp_path / "x.jsonl", jsonl(BAD))
    counts = to_parquet([source], tmp_path / "out.parquet")
    assert counts.invalid == 1 and counts.problems == 2
    assert sorted(os.listdir(tmp_path)) == ["out.parquet", "x.jsonl"]


def test_no_records_give_a_valid_empty_file(tmp_path: Path) -> None:
    counts, output, errors = convert(tmp_path, write(tmp_path / "empty.jsonl", ""))
    assert counts.records == 0
    table = pq.read_table(output)
    assert table.num_rows == 0 and table.schema.equals(arrow_schema(), check_metadata=False)
    assert not errors.exists()


def test_outputs_appear_whole_or_not_at_all(tmp_path: Path) -> None:
    output, errors = tmp_path / "out.parquet", tmp_path / "errors.jsonl"
    output.write_bytes(b"the previous result")
    source = write(tmp_path / "x.jsonl", jsonl(GOOD, BAD, GOOD))

    def interrupt(problem: Problem) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        to_parquet([source], output, errors=errors, on_problem=interrupt, batch_size=1)
    assert output.read_bytes() == b"the previous result"
    assert sorted(os.listdir(tmp_path)) == ["out.parquet", "x.jsonl"]  # no temporary left
    to_parquet([source], output, errors=errors)
    assert pq.read_table(output).num_rows == 2
    assert oct(output.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    # Read without changing it for more than an instant, in a child process.
    import subprocess
    import sys

    text = subprocess.run(
        [sys.executable, "-c", "import os; m = os.umask(0); print(m)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(text)


def test_batches_and_row_groups(tmp_path: Path) -> None:
    records = [{**GOOD, "id": str(number)} for number in range(12)]
    source = write(tmp_path / "x.jsonl", jsonl(*records))
    _, output, _ = convert(tmp_path, source, batch_size=3, row_group_size=5)
    metadata = pq.ParquetFile(output).metadata
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [5, 5, 2]
    assert from_arrow(pq.read_table(output)) == [InternalMessage.from_dict(r) for r in records]
    assert metadata.row_group(0).column(0).compression == "ZSTD"


def test_a_row_group_ends_at_its_byte_bound_as_well_as_its_row_bound(tmp_path: Path) -> None:
    records = [{**GOOD, "id": f"c-{number}"} for number in range(40)]
    source = write(tmp_path / "x.jsonl", jsonl(*records))
    _, whole, _ = convert(tmp_path, source, batch_size=4)
    one_batch = pq.read_table(whole).slice(0, 4).nbytes
    # A bound of two and a half batches: a group ends with the batch that reaches it.
    output = tmp_path / "bounded.parquet"
    to_parquet([source], output, batch_size=4, row_group_bytes=one_batch * 5 // 2)
    metadata = pq.ParquetFile(output).metadata
    groups = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert groups == [12, 12, 12, 4]
    assert from_arrow(pq.read_table(output)) == [InternalMessage.from_dict(r) for r in records]
    # Whichever bound comes first ends the group.
    to_parquet([source], output, batch_size=4, row_group_size=5, row_group_bytes=one_batch * 3)
    metadata = pq.ParquetFile(output).metadata
    groups = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert groups == [5] * 8


def test_dictionary_encoding_only_where_it_pays(tmp_path: Path) -> None:
    states = ["connected", "disconnected", "alerting"]
    records = [
        {
            **GOOD,
            "id": f"{number:08d}-0000-4000-8000-{number * 7919:012d}",  # distinct, as ids are
            "state": states[number % 3],
        }
        for number in range(12_000)
    ]
    source = write(tmp_path / "x.jsonl", jsonl(*records))
    _, output, _ = convert(tmp_path, source, compression="none")
    chunks = pq.ParquetFile(output).metadata.row_group(0)
    columns = {chunks.column(i).path_in_schema: chunks.column(i) for i in range(chunks.num_columns)}
    # A few values: a dictionary.
    assert "RLE_DICTIONARY" in columns["state"].encodings
    # Instants: plain values, no dictionary.
    for path in ("connectedTime", "messages.list.element.messageTime"):
        assert "RLE_DICTIONARY" not in columns[path].encodings
        assert not columns[path].has_dictionary_page
    # 12,000 distinct ids (480 kB): the dictionary stops at 128 KiB (checked every 1,024
    # values, so a little more), plain pages follow.
    ids = columns["id"]
    assert ids.total_uncompressed_size > 480_000
    assert ids.data_page_offset - ids.dictionary_page_offset < 200_000
    with duckdb.connect() as connection:
        found = connection.sql(f"SELECT id, state FROM read_parquet('{output}')").fetchall()
    assert found == [(r["id"], r["state"]) for r in records]
    assert pl.read_parquet(output)["id"].to_list() == [r["id"] for r in records]
    assert pd.read_parquet(output)["state"].tolist() == [r["state"] for r in records]


def test_progress_counts_every_byte(tmp_path: Path) -> None:
    data = jsonl(GOOD, BAD, "", GOOD)
    source = write(tmp_path / "x.jsonl", data)
    consumed: list[int] = []
    to_parquet([source, source], tmp_path / "out.parquet", progress=consumed.append)
    assert sum(consumed) == 2 * len(data.encode())


def test_settings_are_checked_before_anything_is_written(tmp_path: Path) -> None:
    source = write(tmp_path / "x.jsonl", jsonl(GOOD))
    output = tmp_path / "out.parquet"
    for kwargs, message in [
        ({"unit": "s"}, "unit must be 'ms' or 'us'"),
        ({"form": "csv"}, "form must be 'auto', 'json' or 'jsonl'"),
        ({"batch_size": 0}, "batch_size must be a positive int, got number 0"),
        ({"row_group_size": True}, "row_group_size must be a positive int"),
        ({"row_group_bytes": 0}, "row_group_bytes must be a positive int"),
        ({"compression": "lzo"}, "compression must be one of zstd, snappy, gzip, none"),
    ]:
        with pytest.raises(ValueError, match=message):
            to_parquet([source], output, **kwargs)
    with pytest.raises(TypeError, match="output must be a path or a binary stream"):
        to_parquet([source], 3)  # type: ignore[arg-type]
    assert not output.exists()


def test_memory_stays_flat_whatever_the_input_size(tmp_path: Path) -> None:
    line = json.dumps(GOOD).encode() + b"\n"
    # First use outside the measurement: what is imported or built once is not per record.
    to_parquet([io.BytesIO(line * 10)], io.BytesIO(), form="jsonl")
    peaks = []
    for count in (1_000, 6_000):
        source = io.BytesIO(line * count)
        gc.collect()  # garbage from earlier tests is not this run's
        tracemalloc.start()
        try:
            counts = to_parquet(
                [source], io.BytesIO(), form="jsonl", batch_size=200, row_group_size=400
            )
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert counts.written == count
        peaks.append(peak)
    # 6,000 decoded records would hold about 14 MB; a batch of 200 about 0.5 MB.
    assert peaks[1] < 3_000_000, peaks
    assert peaks[1] < 2 * peaks[0], peaks


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(
        api_payloads().map(json.dumps)
        | st.sampled_from(["", "{", "[]", '{"id": 1}', '"x"', "null"]),
        max_size=8,
    ),
    batch_size=st.integers(1, 4),
)
def test_what_is_written_is_what_from_json_decodes(lines: list[str], batch_size: int) -> None:
    data = "".join(line + "\n" for line in lines).encode()
    output = io.BytesIO()
    to_parquet([io.BytesIO(data)], output, form="jsonl", batch_size=batch_size, row_group_size=3)
    expected = []
    for line in lines:
        try:
            value = json.loads(line)
        except ValueError:
            continue
        for item in value if isinstance(value, list) else [value]:
            with contextlib.suppress(ValueError):
                expected.append(InternalMessage.from_dict(item))
    assert from_arrow(pq.read_table(io.BytesIO(output.getvalue()))) == expected


# -- the readers of the output --


@pytest.fixture(scope="module")
def parquet_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("readers")
    records = [
        GOOD,
        {"id": "empty-lists", "segments": [], "messages": []},
        {"id": "nulls"},
        {"id": "seg", "segments": [{"startTime": "2024-05-01T12:00:00.000Z", "type": "Interact"}]},
    ]
    source = write(directory / "x.jsonl", jsonl(*records))
    to_parquet([source], directory / "out.parquet")
    return directory / "out.parquet"


CONNECTED = datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=UTC)


def test_pyarrow_reads_it_with_the_schema(parquet_file: Path) -> None:
    table = pq.read_table(parquet_file)
    assert table.schema.equals(arrow_schema(), check_metadata=False)
    assert table.column("connectedTime").cast(pa.int64())[0].as_py() == 1714566896789


def test_pandas_reads_it(parquet_file: Path) -> None:
    frame = pd.read_parquet(parquet_file)
    assert len(frame) == 4
    assert str(frame["connectedTime"].dtype) == "datetime64[ms, UTC]"
    assert frame["connectedTime"][0] == pd.Timestamp(CONNECTED)
    assert frame["messages"][0][0]["messageId"] == "m-1"
    assert json.loads(frame["additionalProperties"][0]) == {"queueMediaSettings": {"priority": 5}}
    arrow_backed = pd.read_parquet(parquet_file, dtype_backend="pyarrow")
    assert str(arrow_backed["connectedTime"].dtype) == "timestamp[ms, tz=UTC][pyarrow]"


def test_polars_reads_it(parquet_file: Path) -> None:
    frame = pl.read_parquet(parquet_file)
    assert frame.height == 4
    assert frame.schema["connectedTime"] == pl.Datetime("ms", "UTC")
    assert frame["connectedTime"][0] == CONNECTED
    segments = frame.filter(pl.col("id") == "seg")["segments"][0]
    assert segments[0]["type"] == "Interact"
    assert frame["segments"].to_list()[1:3] == [[], None]
    # polars' own Arrow comes back as the same models.
    assert from_arrow(frame.to_arrow()) == from_arrow(pq.read_table(parquet_file))


def test_duckdb_reads_it(parquet_file: Path) -> None:
    source = f"read_parquet('{parquet_file}')"
    with duckdb.connect() as connection:

        def query(sql: str) -> list[tuple[Any, ...]]:
            return connection.sql(sql).fetchall()

        types = {row[0]: row[1] for row in query(f"DESCRIBE SELECT * FROM {source}")}
        assert types["connectedTime"] == "TIMESTAMP WITH TIME ZONE"
        assert query(
            f"SELECT count(*), any_value(messages[1].messageId) FILTER (WHERE id = 'c-1') FROM {source}"
        ) == [(4, "m-1")]
        assert query(f"SELECT epoch_ms(connectedTime) FROM {source} WHERE id = 'c-1'") == [
            (1714566896789,)
        ]
        back = connection.sql(f"SELECT * FROM {source}").to_arrow_table()
    assert from_arrow(back) == from_arrow(pq.read_table(parquet_file))


def test_to_arrow_tables_write_the_same_parquet(tmp_path: Path) -> None:
    models = [InternalMessage.from_dict(GOOD)]
    pq.write_table(to_arrow(models), tmp_path / "direct.parquet")
    assert from_arrow(pq.read_table(tmp_path / "direct.parquet")) == models


class _Failing(io.BytesIO):
    """A stream that fails after its first line: a read error, or a write error."""

    def __init__(self, data: bytes = b"") -> None:
        super().__init__(data)
        self.name = "flaky"
        self.writes = 0

    def readline(self, size: int | None = -1) -> bytes:
        if self.tell():
            raise OSError(5, "Input/output error")
        return super().readline(size)

    def read(self, size: int | None = -1) -> bytes:
        return self.readline()

    def __iter__(self) -> Any:
        return iter(self.readline, b"")

    def write(self, data: Any) -> int:
        raise OSError(28, "No space left on device")


def test_a_read_error_is_a_problem_and_a_write_error_is_raised(tmp_path: Path) -> None:
    good = write(tmp_path / "good.jsonl", jsonl(GOOD))
    reported: list[Problem] = []
    counts = to_parquet(
        [_Failing(jsonl(GOOD, GOOD).encode()), good],
        tmp_path / "out.parquet",
        on_problem=reported.append,
    )
    assert (counts.written, counts.unreadable) == (2, 1)
    assert [str(problem) for problem in reported] == ["flaky: cannot read: Input/output error"]
    # The errors file failing is not the input failing: it stops the conversion.
    with pytest.raises(OSError, match="No space left"):
        to_parquet(
            [write(tmp_path / "bad.jsonl", jsonl(BAD))], tmp_path / "x.parquet", errors=_Failing()
        )
    assert not (tmp_path / "x.parquet").exists()


def test_the_errors_file_exists_only_when_there_were_problems(tmp_path: Path) -> None:
    good = write(tmp_path / "good.jsonl", jsonl(GOOD))
    bad = write(tmp_path / "bad.jsonl", jsonl(GOOD, BAD))
    output, errors = tmp_path / "out.parquet", tmp_path / "out.errors.jsonl"
    to_parquet([bad], output, errors=errors)
    assert len(errors_of(errors)) == len(problems_of(BAD))
    # A clean run removes what an earlier run left: it would claim this run's problems.
    counts = to_parquet([good], output, errors=errors)
    assert counts.problems == 0 and not errors.exists()
    # Only a file: whatever else is at the path is not the package's to remove.
    (tmp_path / "a-folder").mkdir()
    to_parquet([good], output, errors=tmp_path / "a-folder")
    assert (tmp_path / "a-folder").is_dir()
    # A stream is written as it is: nothing, when there is nothing to say.
    stream = io.BytesIO()
    to_parquet([good], output, errors=stream)
    assert stream.getvalue() == b""


def test_documents_that_are_not_json_are_counted_apart(tmp_path: Path) -> None:
    lines = write(tmp_path / "a.jsonl", jsonl(GOOD) + "{broken\n")
    document = write(tmp_path / "b.json", "[" + json.dumps(GOOD) + ",]")
    counts = to_parquet([lines, document], tmp_path / "out.parquet")
    assert (counts.not_json, counts.not_json_documents, counts.written) == (2, 1, 2)


def test_problem_rows_are_written_by_the_package_writer(tmp_path: Path) -> None:
    from purecloud_internal_message._jsontext import JSON

    _, _, errors = convert(tmp_path, write(tmp_path / "x.jsonl", jsonl(BAD)))
    for line in errors.read_text(encoding="utf-8").splitlines():
        assert line == JSON.dumps(json.loads(line))
