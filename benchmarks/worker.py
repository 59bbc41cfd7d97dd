"""Single measurements that need an interpreter of their own; ``measure.py`` runs them.

    python benchmarks/worker.py collector LIBRARY COUNT kept|streamed,on|paused...
    python benchmarks/worker.py growth LIBRARY QUICK(0|1)
    python benchmarks/worker.py size segments|string SIZE REPEATS

Each prints one JSON object. A fresh interpreter holds only what the
measurement needs, so the garbage collector scans nothing else and peak memory
belongs to the measurement alone.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import tracemalloc
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payloads import large_string_record, payload
from timing import COLLECTOR, clock, marginal_growth


def decoder(library: str) -> Callable[[dict[str, Any]], object]:
    """The library's decoder from a dict, importing only that library."""
    if library == "ours":
        from purecloud_internal_message import InternalMessage

        return InternalMessage.from_dict
    import peers

    if library == "before":  # the package the previous figures came from (see bench.py)
        return peers.previous_package().InternalMessage.from_dict  # type: ignore[no-any-return]

    if library == "pydantic":
        return peers.PydanticInternalMessage.model_validate  # type: ignore[no-any-return]
    import msgspec

    struct = peers.StructInternalMessage
    return lambda data: msgspec.convert(data, struct)


def collector(library: str, situation: str, mode: str, count: int) -> dict[str, Any]:
    """Decode ``count`` typical records, keeping them in a list or dropping each."""
    from purecloud_internal_message import collector_paused

    decode = decoder(library)
    data = payload(3, 10)
    decode(data)  # warm: first-call work is not per-record work
    gc.collect()  # (also frees what an earlier case in this process kept)
    kept: list[object] = []
    keep = kept.append if situation == "kept" else (lambda _record: None)
    collections, collector = sum(COLLECTOR.collections), COLLECTOR.seconds
    with collector_paused() if mode == "paused" else nullcontext():
        start = clock()
        for _ in range(count):
            keep(decode(data))
        seconds = clock() - start
        collections = sum(COLLECTOR.collections) - collections  # inside: leaving may collect
        collector = COLLECTOR.seconds - collector
    return {
        "seconds": seconds,
        "collections": collections,
        "collector": collector,
        "kept": len(kept),
    }


def growth(library: str, quick: bool) -> dict[str, Any]:
    """The per-message decode cost's growth, in an interpreter holding only this library."""
    counts = (10, 1_000) if quick else (10, 10_000)
    return marginal_growth(
        decoder(library), lambda n: payload(3, n), counts, 0.01 if quick else 0.2
    )


def _page_faults() -> int:
    """Minor page faults of this thread so far: memory fresh from the system, touched once."""
    return resource.getrusage(getattr(resource, "RUSAGE_THREAD", resource.RUSAGE_SELF)).ru_minflt


def size(kind: str, amount: int, repeats: int) -> dict[str, Any]:
    """``from_json`` of one big record: least CPU time of ``repeats``, and peak traced memory."""
    from purecloud_internal_message import InternalMessage

    data = payload(amount, 10) if kind == "segments" else large_string_record(amount)
    text = json.dumps(data, ensure_ascii=False)
    del data
    InternalMessage.from_json(json.dumps(payload(3, 10)))  # warm
    best, collector, faults = float("inf"), 0.0, 0
    for _ in range(repeats):
        gc.collect()
        spent, faulted = COLLECTOR.seconds, _page_faults()
        start = clock()
        record = InternalMessage.from_json(text)
        seconds = clock() - start
        if seconds < best:
            best, collector = seconds, COLLECTOR.seconds - spent
            faults = _page_faults() - faulted
        del record
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    record = InternalMessage.from_json(text)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del record  # held until here: "held" is what the record keeps
    return {
        "size": amount,
        "bytes": len(text.encode()),
        "seconds": best,
        "collector": collector,
        "page_faults": faults,
        "peak": peak - base,
        "held": held - base,
    }


def main(argv: list[str]) -> None:
    """Dispatch on the first argument; print the result as JSON."""
    if argv[0] == "collector":
        result: Any = [collector(argv[1], *case.split(","), int(argv[2])) for case in argv[3:]]
    elif argv[0] == "growth":
        result = growth(argv[1], argv[2] == "1")
    elif argv[0] == "size":
        result = size(argv[1], int(argv[2]), int(argv[3]))
    else:
        raise SystemExit(f"unknown measurement {argv[0]!r}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
