"""Records per second converting JSON Lines to Parquet: one process against two Dask workers.

The same generated files (typical records: 3 segments, 10 messages, an unknown
field, one bad line in 500) are converted three ways, each timed from start to
finish, best of ``--repeat`` runs:

- decode only: ``InternalMessage.from_json`` on every line, in one process (the floor);
- one process: ``purecloud_internal_message.arrow.to_parquet``, as it is and with
  the collector paused (the opt-in the Dask recipe makes in its workers);
- Dask: the recipe of docs/arrow.md on a local cluster of two worker processes
  (one thread each); starting the cluster is timed apart.

Besides wall time, the CPU time of every process that did the work is shown:
on a machine shared with other work, records per CPU-second still compare the
ways fairly, where records per second do not.

    python benchmarks/dask_throughput.py            # 8 files of 25,000 records
    python benchmarks/dask_throughput.py --quick    # seconds

Nothing is asserted about time; the run fails only if the outputs disagree.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from purecloud_internal_message import InternalMessage, collector_paused
from purecloud_internal_message.arrow import to_parquet

sys.path.insert(0, str(Path(__file__).resolve().parent))
from parquet_dask import local_cluster, recipe
from payloads import payload


def record(number: int) -> dict[str, Any]:
    """A typical record (the benchmark's `payload(3, 10)`), made distinct by `number`,
    with one unknown field.
    """
    data = payload(3, 10)
    data["id"] = f"5c6f1a3e-9d7e-4c1b-8f1e-{number:012d}"
    for index, message in enumerate(data["messages"]):
        message["messageId"] = f"m-{number}-{index}"
    data["queueMediaSettings"] = {"priority": number % 5}
    return data


def generate(folder: Path, files: int, per_file: int) -> tuple[list[str], int]:
    """The input files, and how many of their records are valid."""
    folder.mkdir(parents=True, exist_ok=True)
    paths, valid = [], 0
    for file in range(files):
        path = folder / f"export-{file:03d}.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            for number in range(per_file):
                if number % 500 == 499:
                    stream.write('{"id": 1, "connectedTime": "May 1"}\n')
                else:
                    stream.write(json.dumps(record(file * per_file + number)) + "\n")
                    valid += 1
        paths.append(str(path))
    return paths, valid


def best_of(
    repeat: int, run: Callable[[], int], cpu: Callable[[], float] = time.process_time
) -> tuple[float, float, int]:
    """The shortest wall time of ``repeat`` runs, the CPU time of that run (all the
    processes that did the work), and what the run counted.
    """
    best, best_cpu, counted = float("inf"), 0.0, 0
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), cpu()
        counted = run()
        wall, used = time.perf_counter() - start, cpu() - start_cpu
        if wall < best:
            best, best_cpu = wall, used
    return best, best_cpu, counted


def _worker_cpu() -> float:
    import psutil

    times = psutil.Process().cpu_times()
    return float(times.user + times.system)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--records", type=int, default=25_000, help="records per file")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="4 files of 2,000 records, once")
    args = parser.parse_args(argv)
    if args.quick:
        args.files, args.records, args.repeat = 4, 2_000, 1

    load = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="dask-throughput-"))
    try:
        paths, valid = generate(work / "in", args.files, args.records)
        total = args.files * args.records
        size = sum(os.path.getsize(path) for path in paths)

        def decode_only() -> int:
            count = 0
            for path in paths:
                with open(path, "rb") as stream:
                    for line in stream:
                        try:
                            InternalMessage.from_json(line)
                        except ValueError:
                            continue
                        count += 1
            return count

        def one_process() -> int:
            counts = to_parquet(paths, work / "one.parquet", errors=work / "one.errors.jsonl")
            return counts.written

        def one_process_paused() -> int:
            with collector_paused():
                return one_process()

        results = {
            "decode only (from_json), 1 process": best_of(args.repeat, decode_only),
            "to_parquet, 1 process": best_of(args.repeat, one_process),
            "to_parquet, 1 process, collector paused": best_of(args.repeat, one_process_paused),
        }

        from distributed import Client

        convert_exports = recipe()
        start = time.perf_counter()
        with local_cluster(args.workers) as cluster, Client(cluster) as client:

            def cluster_cpu() -> float:
                # The workers' CPU time and this process's (the client's share).
                return sum(client.run(_worker_cpu).values()) + time.process_time()

            startup = time.perf_counter() - start

            def on_dask() -> int:
                shutil.rmtree(work / "records", ignore_errors=True)
                shutil.rmtree(work / "errors", ignore_errors=True)
                counts = convert_exports(paths, str(work / "records"), str(work / "errors"))
                return counts["written"]

            results[f"Dask recipe, {args.workers} worker processes"] = best_of(
                args.repeat, on_dask, cluster_cpu
            )

        for name, (_, _, counted) in results.items():
            if counted != valid:
                print(f"{name}: wrote {counted} records, expected {valid}", file=sys.stderr)
                return 1
        if pq.read_table(work / "records").num_rows != valid:
            print("the Dask output does not hold every valid record", file=sys.stderr)
            return 1

        print(
            f"{args.files} files, {total:,} records ({valid:,} valid), {size / 1e6:.0f} MB;"
            f" {os.cpu_count()} CPUs, Python {platform.python_version()}"
        )
        print(f"Dask cluster start: {startup:.1f} s (not counted below)")
        print(f"load average before the run: {load:.1f}\n")
        print("| conversion | seconds | records/s | vs to_parquet | CPU s | records/CPU-s |")
        print("|---|---:|---:|---:|---:|---:|")
        base = results["to_parquet, 1 process"][0]
        for name, (seconds, used, _) in results.items():
            print(
                f"| {name} | {seconds:.2f} | {total / seconds:,.0f} | {base / seconds:.2f}x"
                f" | {used:.1f} | {total / used:,.0f} |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
