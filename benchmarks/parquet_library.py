"""JSON Lines to Parquet with the package's ``to_parquet``, as a user's script calls it.

    python benchmarks/parquet_library.py default|paused OUT ERRORS IN...

``default`` calls it with its default settings; ``paused`` inside
``collector_paused()``, the opt-in that rests the garbage collector for the batch.
"""

import sys

from purecloud_internal_message import collector_paused
from purecloud_internal_message.arrow import to_parquet

mode, output, errors, *inputs = sys.argv[1:]
if mode == "paused":
    with collector_paused():
        counts = to_parquet(inputs, output, errors=errors)
else:
    counts = to_parquet(inputs, output, errors=errors)
print(counts)
