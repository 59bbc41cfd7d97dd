"""JSON text in and out on a typical record: both _jsontext backends against today's calls.

    python benchmarks/jsontext.py

One process; each timing is the best of 40 interleaved rounds. Needs the bench
extra (for bench.payload) and msgspec. Nothing here asserts on time.
"""

from __future__ import annotations

import json
import sys
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import payload
from purecloud_internal_message import _jsontext
from purecloud_internal_message._jsonreference import parse_reference, write_reference


def _refuse(name: str) -> Any:
    raise ValueError(name)


def main() -> None:
    record = payload(3, 10)  # 3 segments, 10 messages
    text = json.dumps(record)
    data = text.encode()
    msgspec_backend = _jsontext.backend("msgspec")
    stdlib = _jsontext.backend("json")
    assert msgspec_backend.dumps(record) == stdlib.dumps(record)
    cases: dict[str, Callable[[], Any]] = {
        "today: json.loads(text, parse_constant=f)": lambda: json.loads(
            text, parse_constant=_refuse
        ),
        "json: parse(str)": lambda: stdlib.parse(text),
        "json: parse(bytes)": lambda: stdlib.parse(data),
        "msgspec: parse(str)": lambda: msgspec_backend.parse(text),
        "msgspec: parse(bytes)": lambda: msgspec_backend.parse(data),
        "reference parser (fallback)": lambda: parse_reference(text),
        "today: json.dumps(obj, separators=(',', ':'))": lambda: json.dumps(
            record, separators=(",", ":")
        ),
        "json: dumps_prepared": lambda: stdlib.dumps_prepared(record),
        "json: dumps": lambda: stdlib.dumps(record),
        "msgspec: dumps_prepared": lambda: msgspec_backend.dumps_prepared(record),
        "msgspec: dumps": lambda: msgspec_backend.dumps(record),
        "reference writer (fallback)": lambda: write_reference(record),
    }
    best = dict.fromkeys(cases, float("inf"))
    for _ in range(40):
        for name, call in cases.items():
            number = 100 if "reference" in name else 2000
            best[name] = min(best[name], timeit.timeit(call, number=number) / number)
    print(
        f"Python {sys.version.split()[0]}; record: {len(stdlib.dumps(record))} characters compact"
    )
    for name, seconds in best.items():
        print(f"{name:48s} {seconds * 1e6:8.2f} us")


if __name__ == "__main__":
    main()
