"""The Spark recipe's function, fed the batches Spark's binaryFile source gives (no Spark needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from purecloud_internal_message import InternalMessage
from purecloud_internal_message.arrow import arrow_schema, from_arrow, to_parquet
from purecloud_internal_message.spark import (
    PROBLEM_SCHEMA,
    convert_files,
    output_schema,
    spark_schema,
)

ROOT = Path(__file__).resolve().parents[1]


def files_batch(files: dict[str, bytes]) -> pa.RecordBatch:
    """A batch as ``spark.read.format("binaryFile").select("path", "content")`` makes it."""
    return pa.RecordBatch.from_pydict(
        {"path": list(files), "content": list(files.values())},
        schema=pa.schema([("path", pa.string()), ("content", pa.binary())]),
    )


def lines(*values: Any) -> bytes:
    return b"".join(
        (value if isinstance(value, bytes) else json.dumps(value).encode()) + b"\n"
        for value in values
    )


GOOD = {"id": "a", "connectedTime": "2024-05-01T12:00:00.000001Z", "q": [1]}


def test_records_and_problems_are_rows_never_exceptions(tmp_path: Path) -> None:
    files = {
        "file:/x/a.jsonl": lines(GOOD, {"id": 1}, b"{", b'{"id": "\xff"}', {**GOOD, "id": "b"}),
        "file:/x/b.jsonl": lines(b"", [GOOD, "x"]),
        "file:/x/empty.jsonl": b"",
    }
    batches = list(
        convert_files(
            [
                files_batch(dict(list(files.items())[:2])),
                files_batch(dict(list(files.items())[2:])),
            ],
            batch_size=1,
        )
    )
    assert all(batch.schema == output_schema() for batch in batches)
    table = pa.Table.from_batches(batches)
    records = [row["record"] for row in table.to_pylist() if row["record"] is not None]
    problems = [row["problem"] for row in table.to_pylist() if row["problem"] is not None]
    assert all((row["record"] is None) != (row["problem"] is None) for row in table.to_pylist())

    # The records: unit "us" (Spark's), equal to from_json of each line.
    record_table = pa.Table.from_pylist(records, schema=arrow_schema(unit="us"))
    assert from_arrow(record_table) == [
        InternalMessage.from_dict(GOOD),
        InternalMessage.from_dict({**GOOD, "id": "b"}),
        InternalMessage.from_dict(GOOD),
    ]
    # The problems: the rows the errors file of to_parquet holds for the same files.
    for name, data in files.items():
        (tmp_path / name.replace("file:/x/", "")).write_bytes(data)
    errors = tmp_path / "errors.jsonl"
    to_parquet(
        [tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "empty.jsonl"],
        tmp_path / "out.parquet",
        errors=errors,
        unit="us",
    )
    expected = [json.loads(line) for line in errors.read_text().splitlines()]
    for row in expected:
        row["file"] = row["file"].replace(str(tmp_path) + "/", "file:/x/")
    assert problems == expected
    assert [(row["line"], row["kind"]) for row in problems] == [
        (2, "invalid"),
        (3, "not-json"),
        (4, "not-json"),
        (2, "invalid"),
    ]


def test_schemas() -> None:
    schema = output_schema()
    assert schema.names == ["record", "problem"]
    assert list(schema.field("record").type) == list(arrow_schema(unit="us"))
    assert list(schema.field("problem").type) == list(PROBLEM_SCHEMA)
    ddl = spark_schema()
    assert ddl.startswith("`record` STRUCT<`state`: STRING, `initialState`: STRING, `id`: STRING,")
    assert "`segments`: ARRAY<STRUCT<`startTime`: TIMESTAMP, `endTime`: TIMESTAMP," in ddl
    assert ddl.endswith(
        "`problem` STRUCT<`file`: STRING, `line`: BIGINT, `kind`: STRING, `path`: STRING,"
        " `message`: STRING>"
    )
    assert ddl.count("`additionalProperties`: STRING") == 5  # every struct level


def test_the_documented_spark_recipe_uses_this_module() -> None:
    # Spark itself is not installed in CI (it needs Java and 400 MB): the page's
    # recipe is checked to compile and to call what is tested above.
    page = (ROOT / "docs" / "arrow.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"^```python title=\"spark_recipe.py\"\n(.*?)^```", page, re.M | re.S)
    compile(block, "spark_recipe.py", "exec")
    assert "mapInArrow(convert_files, spark_schema())" in block
    assert '"spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS"' in block


def test_spark_schema_names_are_quoted() -> None:
    from purecloud_internal_message.spark import _quote

    assert _quote("a`b") == "`a``b`"
    with pytest.raises(TypeError):
        from purecloud_internal_message.spark import _ddl

        _ddl(pa.float64())
