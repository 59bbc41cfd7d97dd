"""The Dask recipe against one process, per CPU-second, on the realistic export.

    python benchmarks/dask_throughput.py                       # 200,000 records, files of 25,000
    python benchmarks/dask_throughput.py --shard 200000        # the same records as one file
    python benchmarks/dask_throughput.py --blocksize 32MiB     # the recipe's blocksize option
    python benchmarks/dask_throughput.py --dask-defaults       # the cluster with Dask's own settings
    python benchmarks/dask_throughput.py --quick               # seconds: a check that it runs

The export is ``realistic.py``'s, with ``e2e.py``'s seed. Three whole programs convert it,
in turn, round after round (the order rotated each round), each measured as ``e2e.py``
measures its contenders: user + system CPU time of the process and of every process it
waited for (``os.wait4``), so process start, the cluster's start and its stop are
included:

- ``to_parquet``, the library, as a user's script calls it (``parquet_library.py``);
- the same inside ``collector_paused()``, the opt-in the recipe makes on its workers;
- the Dask recipe of docs/arrow.md on a local cluster of two worker processes, started
  with the recipe's ``CLUSTER_SETTINGS`` unless ``--dask-defaults`` (``parquet_dask.py``), which also reports each worker's CPU time during the job and
  its resident memory: with its imports done, before the job (the baseline), and at
  its peak.

Figures are ranges (lowest to highest) over the rounds; the machine is shared, so the
ratios between contenders of one round are steadier than any one figure. Nothing
asserts on time: the run fails only if the recipe's output disagrees with
``to_parquet``'s (the same counts, the same rows, and the same errors rows, each with
its file's own line number, in the same order).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))

import e2e
import realistic
from timing import run_child

HERE = Path(__file__).resolve().parent
KEYS = ("library", "library-paused", "dask")


def run_one(
    key: str, manifest: realistic.Manifest, work: Path, options: list[str]
) -> dict[str, Any]:
    """One run of a contender; its figures (and the Dask runner's report)."""
    if key != "dask" or not options:
        return e2e.run_contender(e2e.BY_KEY[key], manifest, work)
    out = work / "out" / key
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    argv = [sys.executable, str(HERE / "parquet_dask.py"), *options]
    argv += [str(out / "dask.json"), str(out / "records"), str(out / "errors"), *manifest.files]
    run = run_child(argv, e2e.environment(), log=str(work / f"{key}.log"))
    if run.status not in (0, 1, 2):
        text = (work / f"{key}.log").read_text(errors="replace")[-3000:]
        raise SystemExit(f"the Dask recipe failed with status {run.status}:\n{text}")
    result: dict[str, Any] = run.as_dict()
    result["records"] = manifest.records
    result["dask"] = json.loads((out / "dask.json").read_text())
    return result


def disagreements(work: Path, runs: dict[str, list[dict[str, Any]]]) -> list[str]:
    """What the recipe's last output holds that ``to_parquet``'s does not, in words."""
    found = []
    library = pq.read_table(work / "out" / "library" / "records.parquet")
    recipe = pq.read_table(work / "out" / "dask" / "records")
    if not recipe.equals(library):
        found.append(f"the records differ ({recipe.num_rows:,} rows against {library.num_rows:,})")
    single = work / "out" / "library" / "errors.jsonl"
    expected = single.read_text(encoding="utf-8").splitlines() if single.exists() else []
    parts = sorted((work / "out" / "dask" / "errors").glob("*"))
    rows = [line for part in parts for line in part.read_text(encoding="utf-8").splitlines()]
    if rows != expected:
        found.append(f"the errors rows differ ({len(rows)} rows against {len(expected)})")
    counts = runs["dask"][-1]["dask"]["counts"]
    if counts["written"] != library.num_rows or counts["problems"] != len(expected):
        found.append(f"the counts differ: {counts}")
    return found


def _all_processes(run: dict[str, Any]) -> float:
    return float(run["cpu"])


def report(results: dict[str, Any]) -> list[str]:
    """The console report (Markdown)."""
    runs = results["runs"]
    manifest = results["manifest"]
    lines = [
        f"{manifest['records']:,} records, {manifest['bytes'] / 1e6:,.0f} MB in"
        f" {len(manifest['files'])} file(s); recipe options: {results['options'] or 'defaults'};"
        f" {results['rounds']} round(s); load average {results['load'][0]:.1f} at start,"
        f" {results['load'][1]:.1f} at end",
        "",
        "| contender | records/CPU-s | CPU s | wall s | peak RSS |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, key_runs in runs.items():
        lines.append(
            f"| {e2e.BY_KEY[key].label} | {e2e.fmt_rate(*e2e.rates(key_runs))}"
            f" | {e2e.fmt_ratio(*e2e.span([run['cpu'] for run in key_runs]))}"
            f" | {e2e.fmt_ratio(*e2e.span([run['wall'] for run in key_runs]))}"
            f" | {e2e.fmt_mb(*e2e.peak(key_runs))} |"
        )
    dask = runs["dask"]
    lines.append(
        f"| the Dask job alone (workers during the job, client and scheduler)"
        f" | {e2e.fmt_rate(*e2e.rates(dask, e2e.dask_job_cpu))}"
        f" | {e2e.fmt_ratio(*e2e.span([e2e.dask_job_cpu(run) for run in dask]))} | |"
        f" {e2e.fmt_mb(*e2e.worker_peak(dask))} per worker |"
    )
    lines.append("")
    for base in ("library", "library-paused"):
        if base not in runs:
            continue
        # Round by round: the contenders of one round shared the machine's weather.
        contenders = (("the recipe", _all_processes), ("the Dask job alone", e2e.dask_job_cpu))
        for what, cpu in contenders:
            ratios = [cpu(run) / other["cpu"] for run, other in zip(dask, runs[base], strict=True)]
            best = min(cpu(run) for run in dask) / min(other["cpu"] for other in runs[base])
            lines.append(
                f"CPU time of {what} / {e2e.BY_KEY[base].label}, round by round:"
                f" {e2e.fmt_ratio(*e2e.span(ratios))} (best against best: {best:.2f})"
            )
    # Where the recipe's CPU time goes besides the job: starting and stopping the
    # cluster (the workers' imports included) is a fixed cost, paid once per cluster.
    fixed = [run["cpu"] - e2e.dask_job_cpu(run) for run in dask]
    lines.append(
        "The cluster's start and stop (the recipe's CPU time less the job's):"
        f" {e2e.fmt_ratio(*e2e.span(fixed))} CPU-s"
    )
    workers = [worker for run in dask for worker in run["dask"]["workers"]]
    if "baseline_rss" in workers[0]:
        lines.append(
            "Dask workers: resident memory with their imports done, before the job"
            f" {e2e.fmt_mb(*e2e.span([w['baseline_rss'] for w in workers]))};"
            f" peak {e2e.fmt_mb(*e2e.span([w['max_rss'] for w in workers]))};"
            f" blocks per run: {dask[-1]['dask'].get('blocks', 'one per file')}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--shard", type=int, default=realistic.SHARD_RECORDS, help="per file")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--blocksize", help="the recipe's blocksize option (default: its own)")
    parser.add_argument(
        "--dask-defaults",
        action="store_true",
        help="the cluster with Dask's default settings, not the recipe's CLUSTER_SETTINGS",
    )
    parser.add_argument("--only", help="contenders, comma-separated (library,library-paused,dask)")
    parser.add_argument("--json", type=Path, help="write the raw results here")
    parser.add_argument("--quick", action="store_true", help="4,000 records, one round")
    args = parser.parse_args(argv)
    if args.quick:
        args.records, args.shard, args.rounds = 4_000, 1_000, 1
    keys = args.only.split(",") if args.only else list(KEYS)
    if "dask" not in keys or "library" not in keys:
        parser.error("--only must keep library and dask: they are compared")
    load = [os.getloadavg()[0]]
    work = Path(tempfile.mkdtemp(prefix="dask-throughput-"))
    try:
        e2e.log(f"generating {args.records:,} records in files of {args.shard:,}")
        manifest = realistic.write_jsonl(work / "data", args.records, e2e.SEED, shard=args.shard)
        options = ["--blocksize", args.blocksize] if args.blocksize else []
        options += ["--dask-defaults"] if args.dask_defaults else []
        runs: dict[str, list[dict[str, Any]]] = {key: [] for key in keys}
        for number in range(args.rounds):
            shift = number % len(keys)
            for key in keys[shift:] + keys[:shift]:
                e2e.log(f"round {number + 1}/{args.rounds}: {e2e.BY_KEY[key].label}")
                runs[key].append(run_one(key, manifest, work, options))
        problems = disagreements(work, runs)
        load.append(os.getloadavg()[0])
        results = {
            "manifest": {"records": args.records, "bytes": manifest.bytes, "files": manifest.files},
            "options": " ".join(options),
            "rounds": args.rounds,
            "load": load,
            "runs": runs,
        }
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
        print("\n".join(report(results)))
        for problem in problems:
            print(f"the recipe and to_parquet disagree: {problem}", file=sys.stderr)
        return 1 if problems else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
