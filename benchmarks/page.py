"""The figures of the user-facing pages (docs/performance.md, docs/arrow.md), rendered
from a benchmark run.

The pages' prose is written by hand; the figures are not. ``bench.py --write-docs``
fills each block between ``<!-- bench:NAME:start -->`` and ``<!-- bench:NAME:end -->``
with what ``blocks(results)`` renders for NAME:

- ``headline`` (docs/performance.md): the package against pydantic, msgspec and the
  SDK, per operation;
- ``end-to-end`` (docs/performance.md): JSON Lines to Parquet against DuckDB, pyarrow
  and a pydantic pipeline, with what each one checked on the generated data;
- ``details`` (docs/performance.md): every other table of the run;
- ``arrow-end-to-end`` (docs/arrow.md): the end-to-end figures the Arrow page quotes.

A block whose figures the run does not have (``--sections`` left them out) is left as
it is on the page.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import e2e
from audit import observations
from formats import fmt_time, markdown_table

OPERATIONS = {
    "from_dict": "`from_dict` (pydantic `model_validate`, msgspec `convert`)",
    "from_json": "`from_json` (`model_validate_json`, `msgspec.json.decode`)",
    "to_dict": "`to_dict` (`model_dump`, `msgspec.to_builtins`)",
    "to_api_dict": "`to_api_dict` (`model_dump(mode='json', by_alias=True, exclude_none=True)`)",
    "to_api_json": "`to_api_json` (`model_dump_json(by_alias=True, exclude_none=True)`, "
    "`msgspec.json.encode`; the SDK's `to_json`)",
}


# -- the headline: per operation -----------------------------------------------------------


def _best(raw: dict[str, Any] | None, operation: str, library: str) -> float | None:
    if raw is None:
        return None
    row = raw["operations"]["typical"][operation]
    return row[library]["best"] if library in row else None


def headline(results: dict[str, Any]) -> Iterator[str]:
    paths = results["paths"]
    fast, pure = paths.get("accelerated"), paths.get("pure")
    peers = fast or pure
    assert peers is not None
    yield f"Measured on {results['machine']}; {run_words(results)}."
    yield ""
    rows = []
    for operation, label in OPERATIONS.items():
        ours_fast = _best(fast, operation, "ours")
        ours_pure = _best(pure, operation, "ours")
        theirs = {lib: _best(peers, operation, lib) for lib in ("pydantic", "msgspec", "sdk")}
        ratio = (
            f"{ours_fast / theirs['pydantic']:.2f}"
            if ours_fast is not None and theirs["pydantic"] is not None
            else "n/a"
        )
        rows.append(
            [
                label,
                fmt_time(ours_fast) if fast is not None else "not built",
                fmt_time(ours_pure),
                *(fmt_time(theirs[lib]) for lib in ("pydantic", "msgspec", "sdk")),
                ratio,
            ]
        )
    yield from markdown_table(
        [
            "typical record, CPU time per call",
            "this package, compiled",
            "pure Python",
            "pydantic v2",
            "msgspec",
            "SDK 269",
            "compiled / pydantic",
        ],
        rows,
    )
    yield ""
    memory = (fast or pure)["memory"]  # type: ignore[index]
    imports = [
        f"{fmt_time(raw['import']['seconds'])} {name}"
        for name, raw in (("compiled", fast), ("in pure Python", pure))
        if raw is not None
    ]
    yield (
        f"Importing the package takes {' and '.join(imports)}; importing the SDK"
        f" {fmt_time(results['sdk_import'])}. A typical record decoded from JSON text holds"
        f" {memory['json']['ours']:,.0f} bytes (pydantic's {memory['json']['pydantic']:,.0f},"
        f" msgspec's {memory['json']['msgspec']:,.0f}, the SDK's {memory['json']['sdk']:,.0f})."
    )


def run_words(results: dict[str, Any]) -> str:
    load = results.get("load") or [0.0, 0.0]
    commit = results.get("commit")
    code = f"the code at commit `{commit}`" if commit else "the current code"
    return (
        f"{code}, {'quick mode (small sizes)' if results.get('quick') else 'a full run'},"
        f" load average {load[0]:.1f} at the start and {load[-1]:.1f} at the end"
    )


# -- end to end ----------------------------------------------------------------------------


def end_to_end(results: dict[str, Any]) -> Iterator[str]:
    found = results["end_to_end"]
    sizes = found["sizes"]
    first = sizes[0]
    manifest = first["manifest"]
    if "paths" not in results:
        yield f"Measured on {found['machine']}; {run_words(found)}."
    else:  # the machine is named above; this section may come from another run
        yield f"Measured on the same machine; {run_words(found)}."
    yield ""
    yield (
        f"The export: {first['records']:,} records ({manifest['bytes'] / 1e6:,.0f} MB of JSON"
        f" Lines in {len(manifest['files'])} files)"
        + "".join(
            f" and {size['records']:,} ({size['manifest']['bytes'] / 1e6:,.0f} MB in"
            f" {len(size['manifest']['files'])} files)"
            for size in sizes[1:]
        )
        + f", generated with seed {found['seed']}: {mix_words(manifest)}."
    )
    if not found.get("compiled", True):
        yield ""
        yield "The compiled codecs were not built for this run: the package ran in pure Python."
    yield ""
    header = ["tool"]
    for size in sizes:
        header += [
            f"records per CPU-second, {short(size['records'])}",
            f"peak RSS, {short(size['records'])}",
        ]
    header.append("what it checks")
    rows = []
    described = set()
    for key in first["runs"]:
        contender = e2e.BY_KEY[key]
        row = [contender.label]
        for size in sizes:
            runs = size["runs"].get(key)
            if not runs:
                row += ["", ""]
                continue
            rate = e2e.fmt_rate(*e2e.rates(runs))
            memory = e2e.fmt_mb(*e2e.peak(runs))
            if key == "dask":
                rate += f" (the job alone: {e2e.fmt_rate(*e2e.rates(runs, e2e.dask_job_cpu))})"
                memory = f"{e2e.fmt_mb(*e2e.worker_peak(runs))} per worker"
            row += [rate, memory]
        row.append("the same" if contender.checks in described else contender.checks)
        described.add(contender.checks)
        rows.append(row)
    yield from markdown_table(header, rows)
    yield ""
    yield from summary(found)
    if "audit" in first:
        yield ""
        yield f"**What each tool wrote**, checked against the generated files ({first['records']:,} records):"
        yield ""
        # Tools that wrote the same (the package's, every way it runs) share a line.
        alike: dict[tuple[str, ...], list[str]] = {}
        for key, notes in observations(first["audit"], manifest).items():
            alike.setdefault(tuple(notes), []).append(e2e.BY_KEY[key].label)
        for notes, labels in sorted(alike.items(), key=lambda item: len(item[1])):
            yield f"- {', '.join(labels[:-1])}{' and ' if labels[1:] else ''}{labels[-1]}:"
            for note in notes:
                yield f"    - {note[0].upper()}{note[1:]}."
    yield ""
    yield "**Timestamps that are valid but not `.mmmZ`**: `from_json` of the typical record, fastest samples:"
    yield ""
    yield from timestamps(found["per_record"])
    yield ""
    documents = found["documents"]
    rounds = len(next(iter(documents["runs"].values())))
    yield (
        f"**Listing pages and JSON Lines**: `validate` on the same {documents['records']:,}"
        " records (CPU time of the whole process, the fastest of"
        f" {e2e.plural(rounds, 'round')}; startup is its time on a one-line file):"
    )
    yield ""
    yield from documents_table(documents)


def short(records: int) -> str:
    return f"{records // 1_000_000}M" if records % 1_000_000 == 0 else f"{records // 1000:,}k"


BAD_WORDS = {
    "not-json": "not JSON",
    "wrong-type": "with a value of the wrong type",
    "invalid-timestamp": "with an invalid timestamp",
    "trailing-comma": "with a trailing comma",
}


def mix_words(manifest: dict[str, Any]) -> str:
    good = manifest["good"]
    records = manifest["records"]
    bad = sum(manifest["bad"].values())
    return (
        f"{manifest['messages'] / good:.1f} messages per record on average (0 to 50),"
        f" {manifest['start_alerting'] / good:.0%} with `startAlertingTime`,"
        f" {manifest['unknown'] / good:.1%} with unknown fields at one to three levels,"
        f" {manifest['odd_timestamps'] / manifest['timestamps']:.1%} of timestamps valid but not"
        f" `.mmmZ` (in {manifest['touched'] / records:.0%} of records), and {bad / records:.1%}"
        f" bad lines (at {records:,} records: "
        + ", ".join(f"{count} {BAD_WORDS[kind]}" for kind, count in manifest["bad"].items())
        + ")"
    )


def summary(found: dict[str, Any]) -> Iterator[str]:
    """The end-to-end figures in one or two sentences per size."""
    for size in found["sizes"]:
        runs = size["runs"]
        if "cli" not in runs:
            continue
        parts = []
        for key, name in (("duckdb", "DuckDB's"), ("pydantic", "the pydantic pipeline's")):
            ratio = e2e.versus(runs, "cli", key)
            if ratio is not None:
                parts.append(f"{ratio[0]:.2f} times {name}")
        low, high = e2e.peak(runs["cli"])
        yield (
            f"At {size['records']:,} records, `to-parquet` converts"
            f" {e2e.fmt_rate(*e2e.rates(runs['cli']))} records per CPU-second"
            + (f" ({' and '.join(parts)}, fastest runs compared)" if parts else "")
            + f" and peaks at {e2e.fmt_mb(low, high)}."
        )


def timestamps(per_record: dict[str, Any]) -> Iterator[str]:
    present = {path: found for path, found in per_record.items() if found is not None}
    names = list(next(iter(present.values()))["timings"])
    rows = []
    for name in names:
        row = [name]
        for found in present.values():
            timings = found["timings"]
            best = timings[name]["best"]
            row.append(
                f"{fmt_time(best)} ({best / timings['canonical']['best']:.2f}\N{MULTIPLICATION SIGN})"
            )
        rows.append(row)
    names = {"accelerated": "compiled", "pure": "pure Python"}
    header = [f"{names[path]} (\N{MULTIPLICATION SIGN} canonical)" for path in present]
    yield from markdown_table(["record", *header], rows)


def documents_table(documents: dict[str, Any]) -> Iterator[str]:
    runs = documents["runs"]
    whole = e2e.document_ratios(documents, without_startup=False)
    own = e2e.document_ratios(documents)
    rows = []
    for name, values in runs.items():
        rows.append(
            [
                name,
                f"{documents['bytes'][name] / 1e6:,.1f} MB",
                e2e.fmt_ratio(*e2e.span([run["cpu"] for run in values])) + " s",
                e2e.fmt_mb(*e2e.peak(values)),
                f"{whole[name]:.2f}\N{MULTIPLICATION SIGN}" if name in whole else "",
                f"{own[name]:.2f}\N{MULTIPLICATION SIGN}" if name in own else "",
            ]
        )
    yield from markdown_table(
        [
            "input",
            "size",
            "CPU time",
            "peak RSS",
            "\N{MULTIPLICATION SIGN} JSON Lines",
            "\N{MULTIPLICATION SIGN} JSON Lines, startup excluded",
        ],
        rows,
    )


# -- every other figure ---------------------------------------------------------------------


def _without_history(value: Any) -> Any:
    """The results without the package's previous version (a comparison for developers)."""
    if isinstance(value, dict):
        return {key: _without_history(item) for key, item in value.items() if key != "before"}
    if isinstance(value, list):
        return [_without_history(item) for item in value]
    return value


def details(results: dict[str, Any]) -> Iterator[str]:
    from bench import Report

    report = Report(_without_history(copy.deepcopy(results)), results.get("quick", False))
    for section in (
        report.operations,
        report.large_record,
        report.collector,
        report.unknown_and_growth,
        report.memory,
        report.command_line,
        report.sizes,
    ):
        for line in section():
            # Captions, not headings: the page's table of contents stays short.
            yield f"**{line[4:]}**" if line.startswith("### ") else line


# -- the page --------------------------------------------------------------------------------


def arrow_figures(results: dict[str, Any]) -> Iterator[str]:
    """The end-to-end figures the Arrow page quotes: the package's ways against the others."""
    found = results["end_to_end"]
    sizes = found["sizes"]
    header = ["tool", *(f"records per CPU-second, {size['records']:,} records" for size in sizes)]
    header.append("peak memory")
    rows = []
    for key in ("cli", "library", "library-paused", "dask", "pydantic", "duckdb"):
        runs = [size["runs"][key] for size in sizes if key in size["runs"]]
        if not runs:
            continue
        row = [e2e.BY_KEY[key].label]
        row += [e2e.fmt_rate(*e2e.rates(size_runs)) for size_runs in runs]
        row += [""] * (len(sizes) - len(runs))
        every = [run for size_runs in runs for run in size_runs]
        if key == "dask":
            row.append(f"{e2e.fmt_mb(*e2e.worker_peak(every))} per worker")
        else:
            row.append(e2e.fmt_mb(*e2e.peak(every)))
        rows.append(row)
    yield from markdown_table(header, rows)


#: Where each block is: the performance page's, and the Arrow page's figures.
PAGES = {
    "headline": "performance.md",
    "details": "performance.md",
    "end-to-end": "performance.md",
    "arrow-end-to-end": "arrow.md",
}


def blocks(results: dict[str, Any]) -> dict[str, list[str]]:
    """The generated blocks that this run has figures for."""
    found: dict[str, list[str]] = {}
    if results.get("paths"):
        found["headline"] = list(headline(results))
        found["details"] = list(details(results))
    if results.get("end_to_end"):
        found["end-to-end"] = list(end_to_end(results))
        found["arrow-end-to-end"] = list(arrow_figures(results))
    return found


def write(docs: Path, results: dict[str, Any]) -> list[str]:
    """Fill the blocks of the pages in ``docs`` with this run's figures; what was filled."""
    filled = []
    for name, lines in blocks(results).items():
        page = docs / PAGES[name]
        text = page.read_text(encoding="utf-8")
        start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
        head, found, rest = text.partition(start)
        if not found or end not in rest:
            raise SystemExit(f"{page} has no {start} ... {end} block")
        _, _, tail = rest.partition(end)
        page.write_text(f"{head}{start}\n" + "\n".join(lines) + f"\n{end}{tail}", encoding="utf-8")
        filled.append(f"{PAGES[name]} ({name})")
    return filled
