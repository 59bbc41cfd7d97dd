"""The Dask recipe of docs/arrow.md, run as written on a local cluster of two worker
processes, and the block conversion it is built on.
"""

from __future__ import annotations

import io
import json
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from fsspec.utils import read_block
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("distributed")

import dask.dataframe as dd
import pandas as pd
import pyarrow.parquet as pq
from distributed import Client

from purecloud_internal_message import InternalMessage
from purecloud_internal_message.arrow import arrow_schema, from_arrow, to_parquet
from purecloud_internal_message.dask import (
    BlockLines,
    convert_block,
    convert_file_block,
    renumber_errors,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from conftest import COMPILED_EXPECTED
from parquet_dask import local_cluster, recipe  # the page's own code block
from strategies import examples


def record(file: int, number: int) -> dict[str, Any]:
    return {
        "id": f"{file}-{number}",
        "state": "disconnected",
        "connectedTime": f"2024-05-01T12:{number // 60 % 60:02d}:{number % 60:02d}.{number % 1000:03d}Z",
        "toAddress": {"name": f"user {number}", "nickname": "kept"},
        "segments": [{"startTime": "2024-05-01T12:00:00.000Z", "type": "Interact"}] * (number % 3),
        "messages": [{"messageId": f"m-{number}", "messageTime": "2024-05-01T12:00:01.000Z"}],
    }


def generate(folder: Path, files: int, per_file: int) -> tuple[list[str], list[bytes]]:
    """JSON Lines files with some bad lines among the good, spread through each file;
    returns the paths and the good lines in file order.
    """
    paths, good = [], []
    for file in range(files):
        lines = []
        for number in range(per_file):
            line = json.dumps(record(file, number)).encode()
            lines.append(line)
            good.append(line)
            if number % 250 == 7:
                lines.append(b'{"id": 5, "connectedTime": "May 1"}')  # invalid, two problems
            if number % 400 == 9:
                lines += [b"", b"{not json", b'{"id": "\xff"}']  # blank, not JSON, not UTF-8
        path = folder / f"export-{file}.jsonl"
        path.write_bytes(b"\n".join(lines) + b"\n")
        paths.append(str(path))
    return paths, good


@pytest.fixture(scope="module")
def client() -> Any:
    with local_cluster(2) as cluster, Client(cluster) as client:
        yield client


def test_recipe_on_two_worker_processes_splits_files_into_blocks(
    client: Any, tmp_path: Path
) -> None:
    assert len(client.scheduler_info()["workers"]) == 2
    (tmp_path / "in").mkdir()
    paths, good = generate(tmp_path / "in", files=3, per_file=800)
    (tmp_path / "in" / "empty.jsonl").write_bytes(b"")
    paths.insert(1, str(tmp_path / "in" / "empty.jsonl"))  # one block, no rows
    records_dir, errors_dir = tmp_path / "records", tmp_path / "errors"
    blocksize = 50_000  # each file (about 220 kB) in 5 blocks

    counts = recipe()(paths, str(records_dir), str(errors_dir), blocksize=blocksize)

    blocks = [max(1, -(-Path(path).stat().st_size // blocksize)) for path in paths]
    assert min(blocks[0], *blocks[2:]) >= 4 and blocks[1] == 1  # the empty file: one block
    assert sorted(path.name for path in records_dir.iterdir()) == [
        f"part-{number:05d}.parquet" for number in range(sum(blocks))
    ]
    # One process on the whole files: the parts hold its rows, in its order, and the
    # errors parts its errors rows, each with its file's own line number.
    single = tmp_path / "single.errors.jsonl"
    expected = to_parquet(paths, tmp_path / "single.parquet", errors=single, form="jsonl")
    table = pq.read_table(records_dir)
    assert table.equals(pq.read_table(tmp_path / "single.parquet"))
    assert table.schema.equals(arrow_schema(), check_metadata=False)
    assert from_arrow(table) == [InternalMessage.from_json(line) for line in good]
    rows = [
        json.loads(line)
        for part in sorted(errors_dir.iterdir())
        for line in part.read_text(encoding="utf-8").splitlines()
    ]
    assert rows == [json.loads(line) for line in single.read_text(encoding="utf-8").splitlines()]
    assert counts == expected.as_dict()
    assert counts["written"] == 2400 and counts["invalid"] == 3 * 4
    # The bad lines are in several blocks of each file, past the first.
    parts_with_errors = {part.name for part in errors_dir.iterdir()}
    assert len(parts_with_errors) >= 6
    assert {(row["kind"], row["path"]) for row in rows} == {
        ("invalid", "id"),
        ("invalid", "connectedTime"),
        ("not-json", ""),
    }
    first = [row for row in rows if row["file"] == paths[0]]
    # Lines 1-8 good, 9 invalid, 10-11 good, 12 blank, 13 not JSON, 14 not UTF-8.
    assert [row["line"] for row in first[:4]] == [9, 9, 13, 14]
    lines = Path(paths[0]).read_bytes().split(b"\n")
    for row in first:
        assert lines[row["line"] - 1] in (
            b'{"id": 5, "connectedTime": "May 1"}',
            b"{not json",
            b'{"id": "\xff"}',
        )
    # The trap of dask.dataframe.to_parquet (pandas metadata naming nested Arrow types,
    # which pandas cannot read back) is not in these parts: both read them as they are.
    assert len(pd.read_parquet(records_dir)) == len(dd.read_parquet(records_dir)) == 2400


def test_blocks_renumbered_by_the_lines_before_them_number_lines_as_the_whole_file(
    tmp_path: Path,
) -> None:
    text = b'{"id": "a"}\n\n{"id": 1}\r\n{not json\n{"id": "b"}\n{"id": "\xff"}\n{"id": 2}'
    whole = convert_block(text, str(tmp_path / "w.parquet"), str(tmp_path / "w.jsonl"), name="f")
    ends = [at + 1 for at, byte in enumerate(text) if byte == ord("\n")]
    cuts = [0, ends[0], ends[1], ends[3], ends[4], len(text)]  # blocks of whole lines
    first_line, renumbered = 1, []
    for number, (start, end) in enumerate(pairwise(cuts)):
        out = tmp_path / f"{number}"
        counts = convert_block(text[start:end], f"{out}.parquet", f"{out}.jsonl", name="f")
        if counts["problems"]:
            renumbered.append(renumber_errors(f"{out}.jsonl", first_line))
        first_line += counts["lines"]
    rows = [
        line
        for number in range(len(cuts) - 1)
        if (tmp_path / f"{number}.jsonl").exists()
        for line in (tmp_path / f"{number}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert rows == (tmp_path / "w.jsonl").read_text(encoding="utf-8").splitlines()
    assert [(json.loads(row)["line"], json.loads(row)["kind"]) for row in rows] == [
        (3, "invalid"),
        (4, "not-json"),
        (6, "not-json"),
        (7, "invalid"),
    ]
    assert renumbered == [2, 2]  # the rows of the two parts with problems
    assert whole["written"] == 2 and whole["lines"] == 6 and first_line == 7


def test_renumbering_from_line_1_leaves_a_part_as_it_was(tmp_path: Path) -> None:
    # Every text of a row survives being read and written again, a file name with an
    # undecodable byte (a lone surrogate) and a message in other scripts included.
    block = b'{"id": 5}\n{"id": "a", "messages": [{"messageTime": "\xe2\x80\x94"}]}\n{x\n'
    errors = tmp_path / "e.jsonl"
    counts = convert_block(block, str(tmp_path / "r.parquet"), str(errors), name="f\udcff")
    before = errors.read_bytes()
    assert counts["problems"] == renumber_errors(str(errors), 1) == 3
    assert errors.read_bytes() == before
    assert renumber_errors(str(errors), 40) == 3
    assert [json.loads(line)["line"] for line in errors.read_text().splitlines()] == [40, 41, 42]
    assert errors.read_bytes() == before.replace(b'"line":1', b'"line":40').replace(
        b'"line":2', b'"line":41'
    ).replace(b'"line":3', b'"line":42')


def test_bytes_that_are_not_utf8_are_reported_with_their_line(tmp_path: Path) -> None:
    block = b'{"id": "a"}\n{"id": "caf\xe9"}\n'
    counts = convert_block(
        block, str(tmp_path / "r.parquet"), str(tmp_path / "e.jsonl"), name="f", first_line=41
    )
    (row,) = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert (row["file"], row["line"], row["kind"]) == ("f", 42, "not-json")
    assert "UTF-8" in row["message"]  # the parser's words for bytes that are not UTF-8
    assert (counts["written"], counts["not_json"]) == (1, 1)


def test_a_block_without_problems_leaves_no_errors_part(tmp_path: Path) -> None:
    block = b"".join(json.dumps(record(0, number)).encode() + b"\n" for number in range(3))
    counts = convert_block(block, str(tmp_path / "r.parquet"), str(tmp_path / "e.jsonl"), unit="us")
    assert counts["written"] == 3 and counts["problems"] == 0
    assert not (tmp_path / "e.jsonl").exists()
    table = pq.read_table(tmp_path / "r.parquet")
    assert table.num_rows == 3
    assert table.schema.equals(arrow_schema(unit="us"), check_metadata=False)


def test_a_block_takes_the_payload_route_where_to_parquet_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker converts as one process does: plain messages go straight to the
    columns on the compiled path (the pure encoder has no such route)."""
    from purecloud_internal_message import arrow

    taken: list[dict[str, Any]] = []
    route = arrow.ParquetOutput.taker

    def counting(self: arrow.ParquetOutput, label: str) -> Any:
        take = route(self, label)
        if take is None:
            return None

        def counted(payload: dict[str, Any]) -> bool:
            taken.append(payload)
            return take(payload)

        return counted

    monkeypatch.setattr(arrow.ParquetOutput, "taker", counting)
    block = b"".join(json.dumps(record(0, number)).encode() + b"\n" for number in range(3))
    convert_block(block, str(tmp_path / "r.parquet"), str(tmp_path / "e.jsonl"))
    (tmp_path / "one.jsonl").write_bytes(block)
    to_parquet([tmp_path / "one.jsonl"], tmp_path / "one.parquet")
    assert len(taken) == 6 if COMPILED_EXPECTED else not taken


@pytest.mark.parametrize("first_line", [0, -1, True, 1.0, "1"])
def test_first_line_must_be_a_positive_int(tmp_path: Path, first_line: Any) -> None:
    with pytest.raises(ValueError, match="first_line must be a positive int"):
        convert_block(b"", str(tmp_path / "r"), str(tmp_path / "e"), first_line=first_line)
    assert not (tmp_path / "r").exists()
    (tmp_path / "e").write_text("")
    with pytest.raises(ValueError, match="first_line must be a positive int"):
        renumber_errors(str(tmp_path / "e"), first_line)


def test_a_block_counts_its_line_ends(tmp_path: Path) -> None:
    blocks = (b"", b"x", b"x\n", b"\n\n", b"a\r\nb\rc\n")
    lines = [
        convert_block(data, str(tmp_path / "r"), str(tmp_path / "e"))["lines"] for data in blocks
    ]
    assert lines == [0, 0, 1, 2, 2]


def test_a_block_s_row_groups_take_a_quarter_of_it_by_default(tmp_path: Path) -> None:
    """So that a row group's columns take a fraction of the block's memory, whatever
    the records (but no less than 1 MiB: smaller groups cost more to write)."""
    line = json.dumps(
        {"id": "a" * 200, "messages": [{"messageId": "m" * 100}] * 3}, separators=(",", ":")
    ).encode()
    data = (line + b"\n") * 12_000  # about 6 MB: a quarter is past the 1 MiB floor
    groups = {}
    for name, options in (("default", {}), ("by rows", {"row_group_bytes": 1 << 30})):
        records = tmp_path / f"{name}.parquet"
        convert_block(data, str(records), str(tmp_path / "e"), **options)
        part = pq.ParquetFile(records)
        groups[name] = [part.read_row_group(g).nbytes for g in range(part.num_row_groups)]
    assert len(groups["by rows"]) == 1  # 12,000 rows: fewer than row_group_size
    row = sum(groups["default"]) / 12_000
    # A group ends with the batch (1,024 records) that reaches a quarter of the block.
    assert max(groups["default"]) <= len(data) / 4 + 1024 * row
    assert len(groups["default"]) >= 4
    small = data[: len(line) * 3_000 + 3_000]  # 3,000 records, a quarter under 1 MiB
    convert_block(small, str(tmp_path / "small.parquet"), str(tmp_path / "e"))
    part = pq.ParquetFile(tmp_path / "small.parquet")
    # A batch of 1,024 is about 0.7 MB: the first group ends at the second, past 1 MiB.
    assert part.metadata.row_group(0).num_rows == 2048


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    pieces=st.lists(
        st.sampled_from(
            [b'{"id": "a"}', b'{"id": 1}', b"", b"\r", b"{not", b'[{"id": "b"}]', b"\xff"]
        ),
        max_size=12,
    ),
    ending=st.booleans(),
    first_line=st.integers(1, 10**6),
)
def test_the_lines_a_block_counts_are_its_line_feeds(
    tmp_path: Path, pieces: list[bytes], ending: bool, first_line: int
) -> None:
    """Counted from the lines the reader went through, whatever they hold."""
    data = b"\n".join(pieces) + (b"\n" if ending and pieces else b"")
    counts = convert_block(data, str(tmp_path / "r"), str(tmp_path / "e"), first_line=first_line)
    assert counts["lines"] == data.count(b"\n")


# -- blocks read line by line ----------------------------------------------------------------

LINE_PIECES = st.sampled_from(
    [b'{"id": "a"}\n', b"\n", b"x" * 70 + b"\n", b'{"id": 1}\r\n', b"{not\n", b"\xff\n", b"ab"]
)


@settings(max_examples=examples(400))
@given(
    data=st.lists(LINE_PIECES, max_size=12).map(b"".join),
    offset=st.integers(0, 400),
    length=st.integers(0, 400),
)
def test_block_lines_are_the_block_read_block_reads(data: bytes, offset: int, length: int) -> None:
    expected = read_block(io.BytesIO(data), offset, length, delimiter=b"\n")
    lines = BlockLines(io.BytesIO(data), offset, length)
    found = list(lines)
    assert b"".join(found) == expected
    assert lines.feeds == expected.count(b"\n")


@settings(max_examples=examples(100))
@given(data=st.lists(LINE_PIECES, max_size=20).map(b"".join), size=st.integers(1, 120))
def test_the_blocks_of_a_file_hold_its_lines_once(data: bytes, size: int) -> None:
    blocks = [
        b"".join(BlockLines(io.BytesIO(data), offset, size))
        for offset in range(0, len(data) or 1, size)
    ]
    assert b"".join(blocks) == data


@settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.lists(LINE_PIECES, max_size=16).map(b"".join),
    size=st.integers(1, 200),
    first_line=st.integers(1, 50),
)
def test_a_file_block_converts_as_its_bytes_do(
    tmp_path: Path, data: bytes, size: int, first_line: int
) -> None:
    for offset in range(0, len(data) or 1, size):
        block = read_block(io.BytesIO(data), offset, size, delimiter=b"\n")
        expected = _converted(tmp_path / "b", convert_block, block, first_line=first_line)
        found = _converted(
            tmp_path / "f",
            convert_file_block,
            io.BytesIO(data),
            offset,
            size,
            first_line=first_line,
        )
        assert found == expected


def _converted(base: Path, convert: Any, *args: Any, **options: Any) -> tuple[Any, ...]:
    records, errors = base.with_suffix(".parquet"), base.with_suffix(".jsonl")
    errors.unlink(missing_ok=True)
    counts = convert(*args, str(records), str(errors), name="f", **options)
    problems = errors.read_bytes() if errors.exists() else None
    return counts, pq.read_table(records).to_pylist(), problems


def test_a_file_block_that_cannot_be_read_fails_its_task(tmp_path: Path) -> None:
    """Not a problem of the input (an errors row): the task fails, and Dask says so."""

    class Failing(io.BytesIO):
        def __iter__(self) -> Any:
            yield b'{"id": "a"}\n'
            raise OSError(5, "Input/output error")

    with pytest.raises(OSError, match="Input/output error"):
        convert_file_block(Failing(b"x" * 100), 0, 100, str(tmp_path / "r"), str(tmp_path / "e"))
    assert not (tmp_path / "e").exists()
    for bad in (-1, True, 1.5):
        with pytest.raises(ValueError, match="must be an int of at least 0"):
            convert_file_block(io.BytesIO(b""), bad, 10, str(tmp_path / "r"), str(tmp_path / "e"))
