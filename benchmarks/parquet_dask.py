"""JSON Lines to Parquet with the Dask recipe of docs/arrow.md, on a local cluster.

    python benchmarks/parquet_dask.py [--blocksize 64MiB] [--dask-defaults] REPORT.json RECORDS_DIR ERRORS_DIR IN...

Starts a local cluster of two worker processes (one thread each) with the settings
the recipe gives (``CLUSTER_SETTINGS``; ``--dask-defaults`` for Dask's own), runs the
recipe's ``convert_exports`` (both taken from the page's own code block, so the
benchmark runs what users copy; ``--blocksize`` is its option, its own default
otherwise), and stops the cluster. Whoever starts this process and waits for it with
``os.wait4`` gets the CPU time of every process the job used: this one (the client,
the scheduler and the nannies run here) and the two workers, which it starts and
waits for. Each worker also reports, to REPORT.json, its CPU time during the job and
its resident memory: with the recipe's imports done, before the job (the baseline),
and at its peak. The tests define the recipe with ``recipe()`` too.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import resource
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 2


def recipe() -> Callable[..., dict[str, int]]:
    """The documented ``convert_exports``, from the page's own code block."""
    return _recipe_block()["convert_exports"]  # type: ignore[no-any-return]


def cluster_settings() -> dict[str, Any]:
    """The Dask settings the recipe's code block gives for a cluster of batch jobs."""
    return _recipe_block()["CLUSTER_SETTINGS"]  # type: ignore[no-any-return]


def _recipe_block() -> dict[str, Any]:
    page = (ROOT / "docs" / "arrow.md").read_text(encoding="utf-8")
    (block,) = [
        block
        for block in re.findall(r"^```python\n(.*?)^```", page, re.MULTILINE | re.DOTALL)
        if "def convert_exports(" in block
    ]
    namespace: dict[str, Any] = {}
    exec(compile(block, "docs/arrow.md", "exec"), namespace)
    return namespace


def local_cluster(workers: int) -> Any:
    """A Dask cluster on this machine: ``workers`` processes of one thread each."""
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=workers,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
    )


def own_usage() -> dict[str, float]:
    """This process's CPU seconds (user + system), and its resident memory now and at
    its peak, in bytes.
    """
    with open("/proc/self/statm", encoding="ascii") as statm:
        resident = int(statm.read().split()[1]) * resource.getpagesize()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": resident,
        "max_rss": usage.ru_maxrss * 1024,
    }


def ready() -> dict[str, float]:
    """A worker's usage with what a conversion imports already imported."""
    import pyarrow.parquet  # noqa: F401

    import purecloud_internal_message.arrow
    import purecloud_internal_message.dask  # noqa: F401

    return own_usage()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocksize", help="the recipe's blocksize option")
    parser.add_argument(
        "--dask-defaults",
        action="store_true",
        help="start the cluster with Dask's default settings, not the recipe's CLUSTER_SETTINGS",
    )
    parser.add_argument("report", type=Path)
    parser.add_argument("records")
    parser.add_argument("errors")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args(argv)
    import dask
    from dask.utils import parse_bytes
    from distributed import Client

    convert_exports = recipe()
    options = {"blocksize": args.blocksize} if args.blocksize else {}
    settings = {} if args.dask_defaults else cluster_settings()
    with (
        dask.config.set(settings),
        local_cluster(WORKERS) as cluster,
        Client(cluster) as client,
    ):
        client.wait_for_workers(WORKERS)
        before, here = client.run(ready), own_usage()
        counts = convert_exports(args.inputs, args.records, args.errors, **options)
        after, there = client.run(own_usage), own_usage()
    workers = [
        {
            "cpu": after[name]["cpu"] - before[name]["cpu"],
            "baseline_rss": before[name]["rss"],
            "max_rss": after[name]["max_rss"],
        }
        for name in sorted(after)
    ]
    # The blocks as the recipe split them (with its own default blocksize unless given one).
    blocksize = args.blocksize or inspect.signature(convert_exports).parameters["blocksize"].default
    size = parse_bytes(blocksize)
    blocks = sum(max(1, -(-os.path.getsize(path) // size)) for path in args.inputs)
    # After the cluster has stopped: this process's own CPU time, and that of the
    # workers it started and waited for (their whole lives, start and stop included).
    alone = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = {
        "counts": counts,
        "workers": workers,
        "blocks": blocks,
        "client_and_scheduler_cpu": there["cpu"] - here["cpu"],
        "main_process_cpu": alone.ru_utime + alone.ru_stime,
        "worker_processes_cpu": children.ru_utime + children.ru_stime,
    }
    args.report.write_text(json.dumps(report), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
