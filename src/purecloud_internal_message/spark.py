"""Converting JSON Lines files on Spark with ``mapInArrow``: records and problems as rows.

Needs the ``arrow`` extra on the Spark workers (pyspark itself is not imported
here). Spark turns an exception in a Python worker into ``PythonException`` and
fails the job, so nothing here raises for bad input: every problem becomes a row.

The recipe on the guide's Arrow page reads the files with
``spark.read.format("binaryFile")`` (one row per file: its ``path`` and its bytes
as ``content``, so line numbers are the file's own and bytes that are not UTF-8
are reported, not replaced) and maps each batch of files with
[`convert_files`][purecloud_internal_message.spark.convert_files] to rows of
[`spark_schema`][purecloud_internal_message.spark.spark_schema]: a ``record``
struct (a valid record, with the columns of ``arrow_schema(model, unit="us")``)
or a ``problem`` struct (a row of the errors file), never both.
"""

from __future__ import annotations

import io

import pyarrow as pa

from ._reader import Reader
from .arrow import arrow_schema, records_table
from .internal_message import InternalMessage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

    from ._errors import Loc
    from ._model import Model

__all__ = ["PROBLEM_SCHEMA", "convert_files", "output_schema", "spark_schema"]

#: The columns of a problem row, as in the errors file of ``to_parquet``.
PROBLEM_SCHEMA = pa.schema(
    [
        pa.field("file", pa.string()),
        pa.field("line", pa.int64()),
        pa.field("kind", pa.string()),
        pa.field("path", pa.string()),
        pa.field("message", pa.string()),
    ]
)

# Spark's timestamps are microseconds; its Arrow batches say so.
_UNIT = "us"


def output_schema(model: type[Model] = InternalMessage) -> pa.Schema:
    """The Arrow schema of [`convert_files`][purecloud_internal_message.spark.convert_files]'
    batches: ``record`` (``arrow_schema(model, unit="us")`` as a struct) and ``problem``.
    """
    return pa.schema(
        [
            pa.field("record", pa.struct(list(arrow_schema(model, unit=_UNIT)))),
            pa.field("problem", pa.struct(list(PROBLEM_SCHEMA))),
        ]
    )


def spark_schema(model: type[Model] = InternalMessage) -> str:
    """[`output_schema`][purecloud_internal_message.spark.output_schema] as the Spark SQL
    DDL string that ``mapInArrow`` takes (``record STRUCT<...>, problem STRUCT<...>``).
    """
    return ", ".join(f"{_quote(field.name)} {_ddl(field.type)}" for field in output_schema(model))


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _ddl(kind: pa.DataType) -> str:
    if pa.types.is_string(kind):
        return "STRING"
    if pa.types.is_int64(kind):
        return "BIGINT"
    if pa.types.is_timestamp(kind):
        return "TIMESTAMP"
    if pa.types.is_struct(kind):
        return f"STRUCT<{', '.join(f'{_quote(field.name)}: {_ddl(field.type)}' for field in kind)}>"
    if pa.types.is_list(kind):
        return f"ARRAY<{_ddl(kind.value_type)}>"
    raise TypeError(f"no Spark type for {kind}")  # pragma: no cover - the schema has no other


def convert_files(
    batches: Iterable[pa.RecordBatch],
    *,
    model: type[Model] = InternalMessage,
    strict: bool = False,
    batch_size: int = 1024,
) -> Iterator[pa.RecordBatch]:
    """Decode files of JSON Lines into batches of record rows and problem rows.

    The function ``mapInArrow`` calls (with ``spark_schema(model)`` as the schema).

    Args:
        batches: Batches with a ``path`` column (the file's name, as reported) and a
            ``content`` column (the file's bytes), as
            ``spark.read.format("binaryFile")`` gives them.
        model: The record's model class.
        strict: Decode with ``strict=True``.
        batch_size: Records per output batch, at most.

    Yields:
        Batches of [`output_schema(model)`][purecloud_internal_message.spark.output_schema]:
        each row holds a ``record`` or a ``problem``. Lines are read as the command
        line reads JSON Lines; nothing in them raises.
    """
    problems: list[dict[str, Any]] = []
    reader = Reader(model, strict=strict, report=lambda problem: problems.append(problem.as_dict()))
    schema = output_schema(model)
    for batch in batches:
        paths = batch.column("path").to_pylist()
        contents = batch.column("content")
        for index, path in enumerate(paths):
            content = contents[index].as_py()
            found: list[tuple[Model, int, Loc]] = []
            for item in reader.read_stream(io.BytesIO(content or b""), path, form="jsonl"):
                found.append(item)
                if len(found) >= batch_size:
                    yield _records(records_table(found, path, model, _UNIT, reader), schema)
                    found = []
            if found:
                yield _records(records_table(found, path, model, _UNIT, reader), schema)
            if problems:
                yield _problems(problems, schema)
                problems.clear()


def _records(table: pa.Table, schema: pa.Schema) -> pa.RecordBatch:
    columns = [column.combine_chunks() for column in table.columns]
    record = pa.StructArray.from_arrays(columns, fields=list(schema.field("record").type))
    problem = pa.nulls(table.num_rows, schema.field("problem").type)
    return pa.RecordBatch.from_arrays([record, problem], schema=schema)


def _problems(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.RecordBatch:
    problem = pa.array(rows, schema.field("problem").type)
    record = pa.nulls(len(rows), schema.field("record").type)
    return pa.RecordBatch.from_arrays([record, problem], schema=schema)
