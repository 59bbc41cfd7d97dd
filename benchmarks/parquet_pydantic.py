"""JSON Lines to Parquet with pydantic v2, written by hand: validate each line, dump the
valid models to dicts, ``Table.from_pylist`` every 10,000 rows, write with pyarrow.

    python benchmarks/parquet_pydantic.py OUT ERRORS IN...

The model is the pydantic equivalent of ``InternalMessage`` (``peers.py``: camelCase
aliases, every field optional; unknown fields ignored, pydantic's default) and the
Arrow schema is the package's, so the file has the same columns as ``to_parquet``'s
(the ``additionalProperties`` columns stay null: pydantic drops unknown fields).
"""

import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import ValidationError

from peers import PydanticInternalMessage as Model
from purecloud_internal_message.arrow import arrow_schema

output, errors_path, *inputs = sys.argv[1:]
schema = arrow_schema()
rows = []
with (
    pq.ParquetWriter(output, schema, compression="zstd") as writer,
    open(errors_path, "w", encoding="utf-8") as errors,
):
    for path in inputs:
        with open(path, "rb") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    rows.append(Model.model_validate_json(line).model_dump(by_alias=True))
                except ValidationError as error:
                    errors.write(
                        json.dumps({"file": path, "line": number, "message": str(error)}) + "\n"
                    )
                if len(rows) == 10_000:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                    rows = []
    if rows:
        writer.write_table(pa.Table.from_pylist(rows, schema=schema))
