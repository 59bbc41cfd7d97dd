"""End to end: JSON Lines exports to Parquet, the package against what a data engineer
would use instead, on realistic data (``realistic.py``).

Each contender is a whole program, run as a child process and measured by its own user
+ system CPU time and peak resident memory (``os.wait4``, through ``timing.run_child``),
so process start is included. The contenders run in turn, round after round (the order
rotated each round), and each figure is reported as the range over the rounds:

- ``to-parquet``: the command line;
- ``to_parquet``: the library, in a small script, with its default settings, and
  inside ``collector_paused()``;
- the Dask recipe of docs/arrow.md on a local cluster of two worker processes;
- DuckDB's ``read_json(..., ignore_errors=true)`` copied to Parquet;
- a hand-written pydantic v2 pipeline (``model_validate_json`` per line,
  ``Table.from_pylist``, pyarrow's Parquet writer);
- pyarrow's own JSON reader with the package's Arrow schema, on the good lines only.

Then, once, what each one wrote is checked against what the generator put in the files
(the audit): which bad lines became rows, which were reported, whether the unknown
fields and the timestamps' instants survived, what types the columns got. Two per-record
figures complete it: ``from_json`` of a record whose timestamps are valid but not
``.mmmZ`` against the canonical record (each path), and ``validate`` on the same records
as listing pages and as JSON Lines.

    python benchmarks/e2e.py --quick            # small sizes, every contender once (CI)
    python benchmarks/e2e.py                    # 200,000 and 1,000,000 records
    python benchmarks/e2e.py --sizes 200000 --rounds 2 --json e2e.json

``bench.py`` runs this as its end-to-end section. Nothing here asserts on time: targets
are printed as PASS or MISS. The run fails if a contender fails, or if a contender's
package is missing in CI (``--require-all``, or the ``CI`` environment variable);
elsewhere such a contender is skipped and named.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import formats
import realistic
from timing import run_child

HERE = Path(__file__).resolve().parent
NO_EXTENSIONS = "PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS"
SEED = 20

#: The targets (benchmark figures, not tests).
TARGET_VERSUS_DUCKDB = 1.0  # to-parquet's records per CPU-second / DuckDB's, at least
TARGET_VERSUS_PYDANTIC = 4.0  # / the pydantic pipeline's, at least
TARGET_PEAK_RSS = 200e6  # bytes, at every size
TARGET_RSS_GROWTH = 1.1  # peak RSS at the largest size / at the smallest, at most ("flat")
TARGET_ODD_TIMESTAMPS = {"accelerated": 1.3, "pure": 1.5}  # from_json, odd / canonical
TARGET_DOCUMENTS = 1.25  # validate, listing pages / JSON Lines, CPU time


# -- the contenders --------------------------------------------------------------------


@dataclass(frozen=True)
class Contender:
    """A way to turn the export into Parquet, and what it checks, in plain words."""

    key: str
    label: str
    modules: tuple[str, ...]
    checks: str
    ours: bool = True
    pure: bool = False  # the package's pure-Python path
    good_lines_only: bool = False


OURS_CHECKS = "everything; names each bad line by file and line; keeps unknown fields"

CONTENDERS = (
    Contender("cli", "`to-parquet` (command line)", ("pyarrow",), OURS_CHECKS),
    Contender("cli-pure", "`to-parquet` in pure Python", ("pyarrow",), OURS_CHECKS, pure=True),
    Contender("library", "`to_parquet` (library)", ("pyarrow",), OURS_CHECKS),
    Contender("library-paused", "`to_parquet` in `collector_paused()`", ("pyarrow",), OURS_CHECKS),
    Contender(
        "dask", "the Dask recipe (2 workers)", ("pyarrow", "dask", "distributed"), OURS_CHECKS
    ),
    Contender(
        "duckdb",
        "DuckDB `read_json(ignore_errors=true)`",
        ("duckdb",),
        "nothing: a line it cannot read becomes a row of NULLs; types come from a sample",
        ours=False,
    ),
    Contender(
        "pydantic",
        "pydantic v2 pipeline (`model_validate_json`, `Table.from_pylist`)",
        ("pydantic", "pyarrow"),
        "types, by its own lax rules; drops unknown fields",
        ours=False,
    ),
    Contender(
        "pyarrow",
        "`pyarrow.json.read_json` (good lines only)",
        ("pyarrow",),
        "types; drops unknown fields; one bad line fails the whole file",
        ours=False,
        good_lines_only=True,
    ),
)
BY_KEY = {contender.key: contender for contender in CONTENDERS}


def _our_command() -> list[str]:
    found = shutil.which("purecloud-internal-message", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "purecloud_internal_message"]


def command(contender: Contender, files: list[str], good_files: list[str], out: Path) -> list[str]:
    """The command line that runs ``contender`` on ``files``, writing under ``out``."""
    python = sys.executable
    key = contender.key
    if key in ("cli", "cli-pure"):
        return [
            *_our_command(),
            "to-parquet",
            "--quiet",
            "--progress",
            "never",
            "--errors",
            str(out / "errors.jsonl"),
            *files,
            str(out / "records.parquet"),
        ]
    if key in ("library", "library-paused"):
        mode = "paused" if key == "library-paused" else "default"
        return [
            python,
            str(HERE / "parquet_library.py"),
            mode,
            str(out / "records.parquet"),
            str(out / "errors.jsonl"),
            *files,
        ]
    if key == "dask":
        return [
            python,
            str(HERE / "parquet_dask.py"),
            str(out / "dask.json"),
            str(out / "records"),
            str(out / "errors"),
            *files,
        ]
    if key == "duckdb":
        return [python, str(HERE / "parquet_duckdb.py"), str(out / "records.parquet"), *files]
    if key == "pydantic":
        return [
            python,
            str(HERE / "parquet_pydantic.py"),
            str(out / "records.parquet"),
            str(out / "errors.jsonl"),
            *files,
        ]
    if key == "pyarrow":
        return [python, str(HERE / "parquet_pyarrow.py"), str(out / "records.parquet"), *good_files]
    raise ValueError(key)


def environment(pure: bool = False) -> dict[str, str]:
    """This environment, selecting the package's compiled or pure-Python path.

    Without ``PYTHONDONTWRITEBYTECODE``: installed packages run with their bytecode
    cached, as ``timing.import_seconds`` measures them too (without a cache each run
    would compile every module of the package again, which users never see; the
    peers' packages, installed by pip, have theirs).
    """
    drop = (NO_EXTENSIONS, "PYTHONDONTWRITEBYTECODE")
    env = {key: value for key, value in os.environ.items() if key not in drop}
    if pure:
        env[NO_EXTENSIONS] = "1"
    return env


def warm_bytecode() -> None:
    """Write the bytecode cache of the package's modules before any run is measured
    (an editable install has none until first use, and the first run would pay)."""
    spec = importlib.util.find_spec("purecloud_internal_message")
    assert spec is not None and spec.submodule_search_locations
    for directory in spec.submodule_search_locations:
        subprocess.run([sys.executable, "-m", "compileall", "-q", directory], check=True)


def compiled() -> bool:
    """Whether the package's compiled codecs load when nothing forbids them."""
    check = "import purecloud_internal_message as p; print(p.ACCELERATED)"
    out = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True, env=environment()
    )
    return out.stdout.strip() == "True"


def missing_modules(contender: Contender) -> list[str]:
    return [name for name in contender.modules if importlib.util.find_spec(name) is None]


# -- sizes and rounds --------------------------------------------------------------------


@dataclass
class Plan:
    sizes: list[int]
    shard: int
    rounds: dict[int, int]  # rounds per size
    pure_sizes: list[int]  # sizes at which the pure path's to-parquet runs
    compare_records: int  # records in the documents-vs-lines comparison
    compare_rounds: int


def plan(quick: bool, sizes: Sequence[int] | None = None, rounds: int | None = None) -> Plan:
    if quick:
        chosen = list(sizes or [2_000])
        return Plan(chosen, 500, dict.fromkeys(chosen, rounds or 1), chosen[:1], 1_000, rounds or 1)
    chosen = list(sizes or [200_000, 1_000_000])
    per_size = {size: rounds or (3 if size <= 200_000 else 2) for size in chosen}
    # The documents comparison runs a fifth of a second a round: its ratio of two
    # minima needs more rounds than the exports do, whatever they are given.
    return Plan(chosen, realistic.SHARD_RECORDS, per_size, chosen[:1], 20_000, max(rounds or 7, 7))


def log(message: str) -> None:
    print(f"  [e2e {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- running -----------------------------------------------------------------------------


def run_contender(contender: Contender, manifest: realistic.Manifest, work: Path) -> dict[str, Any]:
    """One run of ``contender`` on the export: its ChildRun figures (and the Dask report)."""
    out = work / "out" / contender.key
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    files = manifest.good_files if contender.good_lines_only else manifest.files
    argv = command(contender, manifest.files, manifest.good_files, out)
    run = run_child(argv, environment(contender.pure), log=str(work / f"{contender.key}.log"))
    result: dict[str, Any] = run.as_dict()
    result["records"] = manifest.good if contender.good_lines_only else manifest.records
    result["input_files"] = len(files)
    expected = (0, 1, 2) if contender.ours else (0,)  # ours: 1 some invalid, 2 some not JSON
    if run.status not in expected:
        text = (work / f"{contender.key}.log").read_text(errors="replace")[-3000:]
        raise SystemExit(f"{contender.label} failed with status {run.status}:\n{text}")
    if contender.key == "dask":
        result["dask"] = json.loads((out / "dask.json").read_text())
    return result


def measure_size(
    size: int, the_plan: Plan, contenders: list[Contender], work: Path, audit_it: bool
) -> dict[str, Any]:
    """Generate the export, run every contender in turn for the rounds, audit once."""
    log(f"generating {size:,} records")
    data = work / f"data-{size}"
    manifest = realistic.write_jsonl(data, size, SEED, shard=the_plan.shard, good_copy=True)
    log(f"{manifest.bytes / 1e6:,.0f} MB in {len(manifest.files)} files, {manifest.seconds:.1f} s")
    chosen = [c for c in contenders if not c.pure or size in the_plan.pure_sizes]
    runs: dict[str, list[dict[str, Any]]] = {c.key: [] for c in chosen}
    rounds = the_plan.rounds[size]
    for number in range(rounds):
        shift = number % len(chosen)
        for contender in chosen[shift:] + chosen[:shift]:
            log(f"{size:,} records, round {number + 1}/{rounds}: {contender.label}")
            runs[contender.key].append(run_contender(contender, manifest, work))
    summary = manifest.as_dict()
    summary["bad"] = _bad_by_kind(manifest)
    result: dict[str, Any] = {"records": size, "manifest": summary, "runs": runs}
    if audit_it:
        log("checking what each contender wrote")
        from audit import audit

        result["audit"] = audit(manifest, chosen, work / "out")
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(work / "out", ignore_errors=True)
    return result


def _bad_by_kind(manifest: realistic.Manifest) -> dict[str, int]:
    counts = dict.fromkeys(realistic.BAD_KINDS, 0)
    for _, _, kind, _, _ in manifest.bad:
        counts[kind] += 1
    return counts


# -- per record: timestamps that are valid but not .mmmZ ---------------------------------


def _respell(text: str, form: str) -> str:
    """A canonical ``YYYY-MM-DDTHH:MM:SS.mmmZ`` written another valid way."""
    if form == "no fraction":
        return text[:19] + "Z"
    if form == "offset":
        local = datetime.fromisoformat(text[:23]) + timedelta(hours=2)
        return local.isoformat(timespec="milliseconds") + "+02:00"
    if form == "microseconds":
        return text[:23] + "000Z"
    raise ValueError(form)


ODD_FORMS = ("no fraction", "offset", "microseconds")


def timestamp_variants() -> dict[str, str]:
    """The typical record's JSON, canonical and with its timestamps spelled otherwise."""
    from payloads import payload

    canonical = payload(3, 10)
    variants = {"canonical": json.dumps(canonical)}
    for form in ODD_FORMS:
        data = copy.deepcopy(canonical)
        data["connectedTime"] = _respell(data["connectedTime"], form)
        variants[f"connectedTime: {form}"] = json.dumps(data)
    data = copy.deepcopy(canonical)
    spots = [(data, "connectedTime"), (data, "disconnectedTime")]
    spots += [(segment, key) for segment in data["segments"] for key in ("startTime", "endTime")]
    spots += [(message, "messageTime") for message in data["messages"]]
    for number, (holder, key) in enumerate(spots):
        holder[key] = _respell(holder[key], ODD_FORMS[number % len(ODD_FORMS)])
    variants[f"all {len(spots)} timestamps, the three forms in turn"] = json.dumps(data)
    return variants


def per_record(quick: bool) -> dict[str, Any]:
    """In this interpreter (one path): ``from_json`` of each variant, side by side."""
    import purecloud_internal_message as package
    from purecloud_internal_message import InternalMessage
    from timing import compare

    variants = timestamp_variants()
    reference = InternalMessage.from_json(variants["canonical"])
    for name, text in variants.items():  # every variant is valid, and the same record
        decoded = InternalMessage.from_json(text)
        if decoded.id != reference.id or len(decoded.messages or ()) != 10:
            raise SystemExit(f"{name}: decodes to another record")
    budget, rounds = (0.003, 3) if quick else (0.05, 9)
    timings = compare(
        {
            name: (lambda text=text: InternalMessage.from_json(text))
            for name, text in variants.items()
        },
        budget,
        rounds,
    )
    return {
        "accelerated": package.ACCELERATED,
        "timings": {name: timing.as_dict() for name, timing in timings.items()},
    }


def per_record_paths(quick: bool) -> dict[str, Any]:
    """``per_record`` in a child interpreter per path (compiled, when built; pure)."""
    results = {}
    for path in ("accelerated", "pure"):
        argv = [sys.executable, str(Path(__file__).resolve()), "--per-record"]
        if quick:
            argv.append("--quick")
        out = subprocess.run(
            argv, capture_output=True, text=True, check=False, env=environment(path == "pure")
        )
        if out.returncode != 0:
            raise SystemExit(f"per-record figures, {path} path, failed:\n{out.stderr}")
        result = json.loads(out.stdout)
        if result["accelerated"] != (path == "accelerated"):
            results[path] = None  # the compiled codecs are not built
            continue
        results[path] = result
    return results


# -- validate: listing pages against JSON Lines --------------------------------------------


def documents(the_plan: Plan, work: Path) -> dict[str, Any]:
    """``validate`` on the same records as JSON Lines, listing pages, and one page."""
    folder = work / "compare"
    compared = realistic.write_comparison(folder, the_plan.compare_records, SEED)
    one_line = folder / "one.jsonl"
    with open(compared["lines"], encoding="utf-8") as lines:
        one_line.write_text(next(lines), encoding="utf-8")
    validate = [*_our_command(), "validate", "--quiet", "--progress", "never"]
    inputs = {
        "JSON Lines": [compared["lines"]],
        f"listing pages of {compared['conversations_per_page']} conversations"
        f" ({len(compared['pages'])} files)": compared["pages"],
        "one listing page": [compared["one_page"]],
        "startup (a one-line file)": [str(one_line)],
    }
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in inputs}
    for number in range(the_plan.compare_rounds):
        names = list(inputs)
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            run = run_child([*validate, *inputs[name]], environment())
            if run.status not in (0, 1):
                raise SystemExit(f"validate on {name} exited with status {run.status}")
            runs[name].append(run.as_dict())
    sizes = {name: sum(os.path.getsize(path) for path in paths) for name, paths in inputs.items()}
    shutil.rmtree(folder, ignore_errors=True)
    return {"records": compared["records"], "runs": runs, "bytes": sizes}


# -- the whole run --------------------------------------------------------------------------


def machine() -> str:
    return formats.machine(
        ("purecloud-internal-message", "pyarrow", "duckdb", "pydantic", "dask", "distributed")
    )


def run(
    quick: bool,
    sizes: Sequence[int] | None = None,
    rounds: int | None = None,
    require_all: bool = False,
) -> dict[str, Any]:
    """Measure everything; the raw results (JSON-serializable)."""
    began = time.perf_counter()
    the_plan = plan(quick, sizes, rounds)
    require_all = require_all or bool(os.environ.get("CI"))
    contenders, skipped = [], {}
    for contender in CONTENDERS:
        missing = missing_modules(contender)
        if not missing:
            contenders.append(contender)
        elif require_all:
            raise SystemExit(
                f"{contender.label} needs {', '.join(missing)}: install the bench extra"
                ' (pip install -e ".[bench]")'
            )
        else:
            skipped[contender.key] = "missing " + ", ".join(missing)
            log(f"skipping {contender.label}: {skipped[contender.key]} (not in CI)")
    results: dict[str, Any] = {
        "machine": machine(),
        "commit": formats.commit(),
        "quick": quick,
        "seed": SEED,
        "load": [os.getloadavg()[0]],
        "skipped": skipped,
        "compiled": compiled(),
        "sizes": [],
    }
    warm_bytecode()
    work = Path(tempfile.mkdtemp(prefix="purecloud-e2e-"))
    try:
        for number, size in enumerate(the_plan.sizes):
            results["sizes"].append(
                measure_size(size, the_plan, contenders, work, audit_it=number == 0)
            )
        log("from_json of records with timestamps that are not .mmmZ")
        results["per_record"] = per_record_paths(quick)
        log("validate: listing pages against JSON Lines")
        results["documents"] = documents(the_plan, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["load"].append(os.getloadavg()[0])
    results["seconds"] = time.perf_counter() - began
    return results


# -- figures and the console report --------------------------------------------------------


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def span(values: list[float]) -> tuple[float, float]:
    return min(values), max(values)


def rates(
    runs: list[dict[str, Any]], cpu: Callable[[dict[str, Any]], float] | None = None
) -> tuple[float, float]:
    """Records per CPU-second over the runs: (lowest, highest)."""
    measure = cpu or (lambda run: run["cpu"])
    return span([run["records"] / measure(run) for run in runs])


def dask_job_cpu(run: dict[str, Any]) -> float:
    """The Dask job alone: the workers' CPU time during it, and the client's and scheduler's."""
    report = run["dask"]
    return sum(worker["cpu"] for worker in report["workers"]) + report["client_and_scheduler_cpu"]


def peak(runs: list[dict[str, Any]]) -> tuple[float, float]:
    return span([run["max_rss"] for run in runs])


def worker_peak(runs: list[dict[str, Any]]) -> tuple[float, float]:
    return span([max(w["max_rss"] for w in run["dask"]["workers"]) for run in runs])


def fmt_rate(low: float, high: float) -> str:
    return f"{low:,.0f}" if round(low) == round(high) else f"{low:,.0f}\N{EN DASH}{high:,.0f}"


def fmt_mb(low: float, high: float) -> str:
    a, b = round(low / 1e6), round(high / 1e6)
    return f"{a:,} MB" if a == b else f"{a:,}\N{EN DASH}{b:,} MB"


def fmt_ratio(low: float, high: float) -> str:
    return f"{low:.2f}" if f"{low:.2f}" == f"{high:.2f}" else f"{low:.2f}\N{EN DASH}{high:.2f}"


def table(header: list[str], rows: list[list[str]]) -> Iterator[str]:
    yield from formats.markdown_table(header, rows)


def versus(
    runs: dict[str, list[dict[str, Any]]], ours: str, theirs: str
) -> tuple[float, float, float] | None:
    """Ours / theirs in records per CPU-second: best against best, and the range."""
    if ours not in runs or theirs not in runs:
        return None
    mine, other = rates(runs[ours]), rates(runs[theirs])
    return mine[1] / other[1], mine[0] / other[1], mine[1] / other[0]


def targets(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(target, measured, limit, PASS/MISS/n/a) for every target of the benchmark."""
    rows = []
    for size in results["sizes"]:
        runs = size["runs"]
        label = f"{size['records']:,} records"
        for theirs, limit, name in (
            ("duckdb", TARGET_VERSUS_DUCKDB, "DuckDB"),
            ("pydantic", TARGET_VERSUS_PYDANTIC, "the pydantic pipeline"),
        ):
            found = versus(runs, "cli", theirs)
            if found is None:
                rows.append(
                    (
                        f"{label}: to-parquet / {name}, records per CPU-second",
                        "n/a",
                        f">= {limit:g}",
                        "n/a",
                    )
                )
                continue
            best, low, high = found
            rows.append(
                (
                    f"{label}: to-parquet / {name}, records per CPU-second",
                    f"{best:.2f} (range {low:.2f}\N{EN DASH}{high:.2f})",
                    f">= {limit:g}",
                    "PASS" if best >= limit else "MISS",
                )
            )
        if "cli" in runs:
            high = peak(runs["cli"])[1]
            rows.append(
                (
                    f"{label}: to-parquet peak RSS",
                    f"{high / 1e6:,.0f} MB",
                    f"<= {TARGET_PEAK_RSS / 1e6:.0f} MB",
                    "PASS" if high <= TARGET_PEAK_RSS else "MISS",
                )
            )
    sized = [size for size in results["sizes"] if "cli" in size["runs"]]
    if len(sized) > 1:
        growth = peak(sized[-1]["runs"]["cli"])[1] / peak(sized[0]["runs"]["cli"])[1]
        rows.append(
            (
                f"to-parquet peak RSS, {sized[-1]['records']:,} / {sized[0]['records']:,} records",
                f"{growth:.2f}",
                f"<= {TARGET_RSS_GROWTH:g}",
                "PASS" if growth <= TARGET_RSS_GROWTH else "MISS",
            )
        )
    for path, found in results["per_record"].items():
        if found is None:
            rows.append((f"from_json, {path} path", "not built", "", "n/a"))
            continue
        limit = TARGET_ODD_TIMESTAMPS[path]
        timings = found["timings"]
        base = timings["canonical"]["best"]
        for name, timing in timings.items():
            if name == "canonical":
                continue
            ratio = timing["best"] / base
            rows.append(
                (
                    f"from_json, {path} path: {name} / canonical",
                    f"{ratio:.2f}",
                    f"<= {limit:g}",
                    "PASS" if ratio <= limit else "MISS",
                )
            )
    for name, ratio in document_ratios(results["documents"]).items():
        rows.append(
            (
                f"validate: {name} / JSON Lines, CPU time without startup",
                f"{ratio:.2f}",
                f"<= {TARGET_DOCUMENTS:g}",
                "PASS" if ratio <= TARGET_DOCUMENTS else "MISS",
            )
        )
    return rows


def document_ratios(found: dict[str, Any], without_startup: bool = True) -> dict[str, float]:
    """CPU time of validate on each document form / on JSON Lines (fastest runs)."""
    runs = found["runs"]
    names = list(runs)
    startup = min(run["cpu"] for run in runs[names[-1]]) if without_startup else 0.0
    lines = min(run["cpu"] for run in runs[names[0]]) - startup
    return {name: (min(run["cpu"] for run in runs[name]) - startup) / lines for name in names[1:-1]}


def report(results: dict[str, Any]) -> Iterator[str]:
    """The console report (Markdown)."""
    yield f"Machine: {results['machine']}."
    yield (
        f"Load average (1 min) at start and end: {results['load'][0]:.1f}, {results['load'][1]:.1f};"
        f" {'quick mode' if results['quick'] else 'full run'}, {results['seconds']:.0f} s."
    )
    for key, reason in results["skipped"].items():
        yield f"Skipped: {BY_KEY[key].label} ({reason})."
    if not results.get("compiled", True):
        yield "The compiled codecs are not built: every figure of the package is pure Python's."
    for size in results["sizes"]:
        manifest = size["manifest"]
        yield ""
        yield (
            f"### {size['records']:,} records: JSON Lines to Parquet"
            f" ({manifest['bytes'] / 1e6:,.0f} MB in {len(manifest['files'])} files;"
            f" records per CPU-second and peak RSS, process start included;"
            f" {plural(len(next(iter(size['runs'].values()))), 'round')})"
        )
        yield ""
        yield from table(
            ["contender", "records/CPU-s", "peak RSS", "CPU s", "wall s", "exit"],
            list(contender_rows(size)),
        )
        for run in size["runs"].get("dask", []):
            report = run["dask"]
            own, workers = report["main_process_cpu"], report["worker_processes_cpu"]
            yield (
                f"Dask's CPU time: os.wait4 counted {run['cpu']:.2f} s; the script's own"
                f" {own:.2f} s and its worker processes' {workers:.2f} s add up to"
                f" {own + workers:.2f} s."
            )
    yield ""
    yield "### Targets"
    yield ""
    yield from table(["target", "measured", "limit", ""], [list(row) for row in targets(results)])
    yield from per_record_report(results["per_record"])
    yield from documents_report(results["documents"])
    first = results["sizes"][0]
    if "audit" in first:
        from audit import observations

        yield ""
        yield f"### What each contender wrote ({first['records']:,} records)"
        yield ""
        for key, notes in observations(first["audit"], first["manifest"]).items():
            yield f"- {BY_KEY[key].label}: " + "; ".join(notes) + "."


def contender_rows(size: dict[str, Any]) -> Iterator[list[str]]:
    for key, runs in size["runs"].items():
        contender = BY_KEY[key]
        statuses = sorted({run["status"] for run in runs})
        yield [
            contender.label,
            fmt_rate(*rates(runs)),
            fmt_mb(*peak(runs)),
            fmt_ratio(*span([run["cpu"] for run in runs])),
            fmt_ratio(*span([run["wall"] for run in runs])),
            ", ".join(map(str, statuses)),
        ]
        if key == "dask":
            yield [
                "  the same, the job alone (workers' own CPU, and the client's and scheduler's)",
                fmt_rate(*rates(runs, dask_job_cpu)),
                fmt_mb(*worker_peak(runs)) + " per worker",
                fmt_ratio(*span([dask_job_cpu(run) for run in runs])),
                "",
                "",
            ]


def per_record_report(found: dict[str, Any]) -> Iterator[str]:
    yield ""
    yield "### from_json of the typical record, timestamps spelled otherwise (fastest samples)"
    yield ""
    rows = []
    for path, result in found.items():
        if result is None:
            rows.append([path, "not built", "", ""])
            continue
        timings = result["timings"]
        base = timings["canonical"]["best"]
        for name, timing in timings.items():
            rows.append(
                [path, name, f"{timing['best'] * 1e6:.2f} µs", f"{timing['best'] / base:.2f}"]
            )
    yield from table(["path", "record", "from_json", "/ canonical"], rows)


def documents_report(found: dict[str, Any]) -> Iterator[str]:
    yield ""
    runs = found["runs"]
    yield (
        f"### validate on {found['records']:,} records: listing pages against JSON Lines"
        f" ({plural(len(next(iter(runs.values()))), 'round')}; the fastest of each counts)"
    )
    yield ""
    whole = document_ratios(found, without_startup=False)
    own = document_ratios(found)
    rows = []
    for name, values in runs.items():
        cpu = [run["cpu"] for run in values]
        rows.append(
            [
                name,
                f"{found['bytes'][name] / 1e6:,.1f} MB",
                fmt_ratio(*span(cpu)),
                fmt_mb(*peak(values)),
                f"{whole[name]:.2f}" if name in whole else "",
                f"{own[name]:.2f}" if name in own else "",
            ]
        )
    yield from table(
        ["input", "size", "CPU s", "peak RSS", "/ JSON Lines", "/ JSON Lines, startup excluded"],
        rows,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, once each (CI)")
    parser.add_argument("--sizes", help="records per export, comma-separated (200000,1000000)")
    parser.add_argument("--rounds", type=int, help="rounds per size (default 3 at 200k, 2 above)")
    parser.add_argument("--json", type=Path, help="write the raw results here")
    parser.add_argument(
        "--require-all", action="store_true", help="fail if a contender's package is missing"
    )
    parser.add_argument("--report-from", type=Path, help="measure nothing: report a --json run")
    parser.add_argument("--per-record", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.per_record:  # the child process of per_record_paths
        json.dump(per_record(args.quick), sys.stdout)
        return 0
    if args.report_from:
        results = json.loads(args.report_from.read_text())
    else:
        sizes = [int(size) for size in args.sizes.split(",")] if args.sizes else None
        results = run(args.quick, sizes, args.rounds, args.require_all)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print("\n".join(report(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
