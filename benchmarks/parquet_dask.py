"""JSON Lines to Parquet with the Dask recipe of docs/arrow.md, on a local cluster.

    python benchmarks/parquet_dask.py REPORT.json RECORDS_DIR ERRORS_DIR IN...

Starts a local cluster of two worker processes (one thread each), runs the recipe's
``convert_exports`` (taken from the page's own code block, so the benchmark runs what
users copy), and stops the cluster. Whoever starts this process and waits for it with
``os.wait4`` gets the CPU time of every process the job used: this one (the client,
the scheduler and the nannies run here) and the two workers, which it starts and
waits for. Each worker also reports its own CPU time and peak memory, before and
after the job, to REPORT.json.
"""

from __future__ import annotations

import json
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
    page = (ROOT / "docs" / "arrow.md").read_text(encoding="utf-8")
    (block,) = [
        block
        for block in re.findall(r"^```python\n(.*?)^```", page, re.MULTILINE | re.DOTALL)
        if "def convert_exports(" in block
    ]
    namespace: dict[str, Any] = {}
    exec(compile(block, "docs/arrow.md", "exec"), namespace)
    return namespace["convert_exports"]  # type: ignore[no-any-return]


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
    """This process's CPU seconds (user + system) and peak resident memory in bytes."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu": usage.ru_utime + usage.ru_stime, "max_rss": usage.ru_maxrss * 1024}


def main(argv: list[str]) -> int:
    report_path, records, errors, *inputs = argv
    from distributed import Client

    convert_exports = recipe()
    with local_cluster(WORKERS) as cluster, Client(cluster) as client:
        client.wait_for_workers(WORKERS)
        before, here = client.run(own_usage), own_usage()
        counts = convert_exports(inputs, records, errors)
        after, there = client.run(own_usage), own_usage()
    workers = [
        {"cpu": after[name]["cpu"] - before[name]["cpu"], "max_rss": after[name]["max_rss"]}
        for name in sorted(after)
    ]
    # After the cluster has stopped: this process's own CPU time, and that of the
    # workers it started and waited for (their whole lives, start and stop included).
    alone = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = {
        "counts": counts,
        "workers": workers,
        "client_and_scheduler_cpu": there["cpu"] - here["cpu"],
        "main_process_cpu": alone.ru_utime + alone.ru_stime,
        "worker_processes_cpu": children.ru_utime + children.ru_stime,
    }
    Path(report_path).write_text(json.dumps(report), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
