"""JSON Lines to Parquet with DuckDB: ``read_json(..., ignore_errors=true)`` copied to a
Parquet file (zstd, as the other contenders write).

    python benchmarks/parquet_duckdb.py OUT IN...

DuckDB infers the columns and their types from a sample of the input (its defaults),
and with ``ignore_errors`` a line it cannot read becomes a row of NULLs.
"""

import sys

import duckdb

output, *inputs = sys.argv[1:]


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


files = "[" + ", ".join(map(quoted, inputs)) + "]"
with duckdb.connect() as db:
    db.execute(
        f"COPY (SELECT * FROM read_json({files}, format = 'newline_delimited', ignore_errors = true))"
        f" TO {quoted(output)} (FORMAT parquet, COMPRESSION zstd)"
    )
