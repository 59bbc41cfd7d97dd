"""``validate`` on documents against the same records as JSON Lines: the walker's cost.

The same records (seeded: 1-5 segments, 0-50 messages, unknown fields in one
record in five, the API's timestamps) are written four ways, and
``purecloud-internal-message validate`` reads each:

- ``records.jsonl``: JSON Lines, one record a line (the reference);
- ``page.json``: one listing page, ``{"entities": [record, ...]}``, compact;
- ``page-indented.json``: the same page pretty-printed (indent 2);
- ``conversations.json``: a listing page of conversations, each with a customer
  and a call participant (no internal messages) and one participant holding
  one to three of the records, with the envelope's other fields.

Each is measured in a child process, process start included (CPU time, peak
memory), and in this process (``cli.main``, CPU time of the call alone, after a
warm-up run); rounds are interleaved, so that a busy minute slows every file,
and the figure is the least CPU time of the rounds (the spread is shown).
Issue 20's target: a page costs at most 1.25x the JSON Lines' CPU time.

    python benchmarks/documents.py                 # 20,000 records, 5 rounds
    python benchmarks/documents.py --quick         # seconds
    PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS=1 python benchmarks/documents.py   # pure Python
    PYTHONPATH=../other-checkout/src python benchmarks/documents.py          # another version

Nothing is asserted about time; the run fails only if a file is not read as valid.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from payloads import payload, with_unknown_fields
from purecloud_internal_message import _jsontext, cli
from timing import run_child


def records(count: int, seed: int = 20) -> list[dict[str, Any]]:
    """``count`` distinct, valid records."""
    rng = random.Random(seed)
    found = []
    for number in range(count):
        data = payload(rng.randint(1, 5), rng.randint(0, 50))
        if rng.random() < 0.2:
            data = with_unknown_fields(data)
        data["id"] = f"5c6f1a3e-9d7e-4c1b-8f1e-{number:012d}"
        found.append(data)
    return found


def conversations(found: list[dict[str, Any]], seed: int = 20) -> list[dict[str, Any]]:
    """The records in conversations of one to three internal messages each."""
    rng = random.Random(seed)
    pages, start = [], 0
    while start < len(found):
        taken = found[start : start + rng.randint(1, 3)]
        start += len(taken)
        pages.append(
            {
                "id": f"conversation-{start}",
                "startTime": "2024-05-01T12:00:00.000Z",
                "address": "queue@example.com",
                "participants": [
                    {
                        "id": "p-0",
                        "purpose": "customer",
                        "attributes": {"language": "en", "tier": 2, "tags": ["a", "b"]},
                    },
                    {"id": "p-1", "purpose": "agent", "calls": [{"id": "c", "state": "ended"}]},
                    {"id": "p-2", "purpose": "agent", "internalMessages": taken},
                ],
                "divisions": [{"division": {"id": "d-1"}, "entities": [{"id": "e-1"}]}],
            }
        )
    return pages


def write_inputs(folder: Path, count: int) -> dict[str, Path]:
    """The four inputs, by name."""
    found = records(count)
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    paths = {name: folder / name for name in FILES}
    with paths["records.jsonl"].open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(item, **compact) + "\n" for item in found)  # type: ignore[arg-type]
    page = {"entities": found, "pageSize": len(found), "pageNumber": 1, "total": len(found)}
    paths["page.json"].write_text(json.dumps(page, **compact), encoding="utf-8")  # type: ignore[arg-type]
    paths["page-indented.json"].write_text(json.dumps(page, indent=2), encoding="utf-8")
    listing = {"entities": conversations(found), "pageSize": 25, "pageNumber": 1}
    paths["conversations.json"].write_text(json.dumps(listing, **compact), encoding="utf-8")  # type: ignore[arg-type]
    return paths


FILES = ("records.jsonl", "page.json", "page-indented.json", "conversations.json")


def in_process(path: Path) -> float:
    """CPU seconds of ``validate -q path`` in this process."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        start = time.process_time()
        status = cli.main(["validate", "-q", str(path)])
        seconds = time.process_time() - start
    if status != 0:
        raise SystemExit(f"{path.name}: validate exited {status}")
    return seconds


def child(path: Path) -> tuple[float, int]:
    """CPU seconds and peak memory of ``validate -q path`` in a process of its own."""
    run = run_child(
        [sys.executable, "-m", "purecloud_internal_message", "validate", "-q", str(path)]
    )
    if run.status != 0:
        raise SystemExit(f"{path.name}: validate exited {run.status}")
    return run.cpu, run.max_rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 records, 2 rounds")
    args = parser.parse_args(argv)
    count, rounds = (2_000, 2) if args.quick else (args.records, args.rounds)
    try:
        from purecloud_internal_message import _scan
    except ImportError:  # a version from before the scanner (run it with PYTHONPATH)
        path = "no"
    else:
        path = "compiled" if _scan.COMPILED else "pure Python"
    print(f"{count:,} records; {path} scanner, JSON backend {_jsontext.JSON.backend.name}")
    with tempfile.TemporaryDirectory(prefix="pim-documents-") as directory:
        paths = write_inputs(Path(directory), count)
        for name in FILES:
            in_process(paths[name])  # imports, caches: not per-record work
        own: dict[str, list[float]] = {name: [] for name in FILES}
        spawned: dict[str, list[float]] = {name: [] for name in FILES}
        memory: dict[str, int] = {}
        for _ in range(rounds):
            for name in FILES:
                own[name].append(in_process(paths[name]))
                cpu, rss = child(paths[name])
                spawned[name].append(cpu)
                memory[name] = max(memory.get(name, 0), rss)
        sizes = {name: paths[name].stat().st_size for name in FILES}
    base_own, base_spawned = min(own["records.jsonl"]), min(spawned["records.jsonl"])
    print(
        f"{'input':<20} {'MB':>6} {'in process':>18} {'x JSONL':>8}"
        f" {'own process':>18} {'x JSONL':>8} {'peak RSS':>9}"
    )
    for name in FILES:
        mine, theirs = own[name], spawned[name]
        print(
            f"{name:<20} {sizes[name] / 1e6:6.1f}"
            f" {min(mine):7.3f}s ({max(mine):6.3f}s) {min(mine) / base_own:7.2f}x"
            f" {min(theirs):7.3f}s ({max(theirs):6.3f}s) {min(theirs) / base_spawned:7.2f}x"
            f" {memory[name] / 1e6:7.0f}MB"
        )
    print("(CPU seconds: least of the rounds, most in brackets; x JSONL: least against least)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
