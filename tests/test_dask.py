"""The Dask recipe of docs/arrow.md, run as written on a local cluster of two worker processes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import pandas as pd
import pyarrow.parquet as pq
import pytest
from distributed import Client, LocalCluster

from purecloud_internal_message import InternalMessage
from purecloud_internal_message.arrow import arrow_schema, from_arrow, to_parquet
from purecloud_internal_message.dask import convert_partition

ROOT = Path(__file__).resolve().parents[1]


def recipe() -> Any:
    """The documented ``convert_exports``, defined from the page's own code block."""
    page = (ROOT / "docs" / "arrow.md").read_text(encoding="utf-8")
    (block,) = [
        block
        for block in re.findall(r"^```python\n(.*?)^```", page, re.MULTILINE | re.DOTALL)
        if "def convert_exports(" in block
    ]
    namespace: dict[str, Any] = {}
    exec(compile(block, "docs/arrow.md", "exec"), namespace)
    return namespace["convert_exports"]


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
    """JSON Lines files with some bad lines among the good; returns the paths and the
    good lines in file order.
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
    with (
        LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def test_recipe_on_two_worker_processes(client: Any, tmp_path: Path) -> None:
    assert len(client.scheduler_info()["workers"]) == 2
    (tmp_path / "in").mkdir()
    paths, good = generate(tmp_path / "in", files=4, per_file=800)
    records_dir, errors_dir = tmp_path / "records", tmp_path / "errors"

    counts = recipe()(paths, str(records_dir), str(errors_dir))

    # The rows: one per good line, decoded as from_json decodes that line, in file order.
    table = pq.read_table(records_dir)
    assert table.num_rows == len(good) == 3200
    assert table.schema.equals(arrow_schema(), check_metadata=False)
    assert sorted(path.name for path in records_dir.iterdir()) == [
        f"part-{number:05d}.parquet" for number in range(4)
    ]
    assert from_arrow(table) == [InternalMessage.from_json(line) for line in good]
    # The trap of dask.dataframe.to_parquet (pandas metadata naming nested Arrow types,
    # which pandas cannot read back) is not in these parts: both read them as they are.
    assert len(pd.read_parquet(records_dir)) == len(dd.read_parquet(records_dir)) == 3200

    # The errors: the rows one process writes for the same files, split by partition.
    single = tmp_path / "single.errors.jsonl"
    expected = to_parquet(paths, tmp_path / "single.parquet", errors=single, form="jsonl")
    rows = [
        json.loads(line)
        for part in sorted(errors_dir.iterdir())
        for line in part.read_text(encoding="utf-8").splitlines()
    ]
    assert rows == [json.loads(line) for line in single.read_text(encoding="utf-8").splitlines()]
    assert {(row["kind"], row["path"]) for row in rows} == {
        ("invalid", "id"),
        ("invalid", "connectedTime"),
        ("not-json", ""),
    }
    first = [row for row in rows if row["file"] == paths[0]]
    # Lines 1-8 good, 9 invalid, 10-11 good, 12 blank, 13 not JSON, 14 not UTF-8.
    assert [row["line"] for row in first[:4]] == [9, 9, 13, 14]
    assert counts == expected.as_dict()
    assert counts["written"] == 3200 and counts["invalid"] == 4 * 4


def test_a_partition_without_problems_leaves_no_errors_part(tmp_path: Path) -> None:
    lines = [(json.dumps(record(0, number)) + "\n", "x.jsonl") for number in range(3)]
    counts = convert_partition(lines, str(tmp_path / "r.parquet"), str(tmp_path / "e.jsonl"))
    assert counts["written"] == 3 and counts["problems"] == 0
    assert not (tmp_path / "e.jsonl").exists()
    assert pq.read_table(tmp_path / "r.parquet").num_rows == 3


def test_a_partition_of_bare_lines_from_several_files(tmp_path: Path) -> None:
    lines: list[Any] = ['{"id": "a"}\n', "[1]"]  # bare lines: reported under ""
    lines += [("\n", "f1"), ('{"id": 2}\n', "f1"), ('{"id": "b"}', "f2"), ("\udcff\n", "f2")]
    counts = convert_partition(
        lines, str(tmp_path / "r.parquet"), str(tmp_path / "e.jsonl"), unit="us"
    )
    assert (counts["written"], counts["invalid"], counts["not_json"]) == (2, 2, 1)
    rows = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert [(row["file"], row["line"], row["kind"]) for row in rows] == [
        ("", 2, "invalid"),
        ("f1", 2, "invalid"),
        ("f2", 2, "not-json"),
    ]
    assert "UTF-8" in rows[2]["message"]  # the parser's words for bytes that are not UTF-8
    table = pq.read_table(tmp_path / "r.parquet")
    assert table.column("id").to_pylist() == ["a", "b"]
    assert table.schema.equals(arrow_schema(unit="us"), check_metadata=False)
