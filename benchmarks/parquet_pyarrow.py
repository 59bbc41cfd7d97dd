"""JSON Lines to Parquet with pyarrow's own JSON reader and the package's Arrow schema.

    python benchmarks/parquet_pyarrow.py OUT IN...

``pyarrow.json.read_json`` reads a whole file into a table of the schema (fields it
does not know ignored) and fails on the first line it cannot read, so it is given the
input without its bad lines. The schema's timestamps are microseconds
(``unit="us"``): with milliseconds, pyarrow cannot read a six-digit fraction
(``.123000Z``, valid, and a value a millisecond column holds) and fails the file.
"""

import sys

import pyarrow.json as pj
import pyarrow.parquet as pq

from purecloud_internal_message.arrow import arrow_schema

output, *inputs = sys.argv[1:]
schema = arrow_schema(unit="us")
options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
with pq.ParquetWriter(output, schema, compression="zstd") as writer:
    for path in inputs:
        writer.write_table(pj.read_json(path, parse_options=options))
