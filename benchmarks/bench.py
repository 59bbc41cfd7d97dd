"""Side-by-side benchmark: this package against the SDK 269, pydantic v2 and msgspec,
per operation; and end to end, JSON Lines to Parquet, against DuckDB, pyarrow and a
pydantic pipeline (``e2e.py``).

Per operation, every comparison runs in one process, on the same payloads, once per
path of the package: accelerated (its compiled codecs, when built) and pure Python
(``PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS=1``). Figures are CPU time, the
fastest of several samples taken in turn (see timing.py); ratios are ours / peer.
End to end, each tool is a whole program, measured by its CPU time and peak memory
(see e2e.py). docs/performance.md says what each figure measures.

    python benchmarks/bench.py                 # full run (both sections: about 45 minutes)
    python benchmarks/bench.py --quick         # about a minute, small sizes; what CI runs
    python benchmarks/bench.py --sections end-to-end --e2e-sizes 200000
    python benchmarks/bench.py --json results.json --chart docs/performance.png --write-docs
    python benchmarks/bench.py --report-from a.json --report-from b.json --write-docs

``--write-docs`` fills the figures of docs/performance.md and docs/arrow.md (page.py);
``--report-from`` re-renders saved runs (merged) without measuring.

Nothing here asserts on time: targets are printed as PASS or MISS. The run
fails only if the libraries disagree about the data or a tool fails.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import formats
from formats import fmt_bytes, fmt_time, markdown_table
from payloads import current_api_record, payload, write_jsonl
from peers import PREVIOUS_PACKAGE
from timing import import_seconds

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NO_EXTENSIONS = "PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS"
PATHS = ("accelerated", "pure")
LIBRARIES = ("ours", "sdk", "pydantic", "msgspec")
PEERS = LIBRARIES[1:]
#: The package as it was when the previous figures were measured (pure path only).
BEFORE = "before"
MAIN_OPERATIONS = ("from_dict", "from_json", "to_dict", "to_api_dict", "to_api_json")

#: The ratios docs/performance.md showed before this benchmark was rewritten
#: (pure Python, decoding with the collector paused inside the package, SDK
#: 227; msgspec's to_dict was the shallow ``structs.asdict``):
#: {(payload, operation): (ours/SDK, ours/pydantic, ours/msgspec)}.
PREVIOUS: dict[tuple[str, str], tuple[float | None, float, float | None]] = {
    ("small", "from_dict"): (0.0227, 0.886, 4.28),
    ("small", "from_json"): (0.0503, 1.55, 7),
    ("small", "to_dict"): (0.191, 0.498, None),
    ("small", "to_api_dict"): (None, 0.301, 1.06),
    ("small", "to_api_json"): (0.281, 2.34, 12.2),
    ("typical", "from_dict"): (0.0244, 0.985, 4.99),
    ("typical", "from_json"): (0.0432, 1.43, 6.72),
    ("typical", "to_dict"): (0.182, 0.508, None),
    ("typical", "to_api_dict"): (None, 0.258, 1.18),
    ("typical", "to_api_json"): (0.219, 1.72, 11.8),
    ("large", "from_dict"): (0.0258, 0.144, 5.4),
    ("large", "from_json"): (0.0394, 0.236, 6.37),
    ("large", "to_dict"): (0.181, 0.549, None),
    ("large", "to_api_dict"): (None, 0.238, 1.11),
    ("large", "to_api_json"): (0.189, 1.3, 17.9),
}
#: The commit those figures were measured at. Its package is also measured
#: now, side by side in the pure path's process, as the "before" library.
PREVIOUS_COMMIT = "4f1abf7"


# -- sizes -----------------------------------------------------------------------------


def sizes(quick: bool) -> dict[str, Any]:
    """How big each generated input is, by mode."""
    if quick:
        return {"typical_lines": 1_000, "current_lines": (500, 5_000)}
    return {"typical_lines": 100_000, "current_lines": (10_000, 100_000, 1_000_000)}


def write_files(directory: Path, quick: bool) -> dict[str, Any]:
    """The JSON Lines files the command line reads, written once for both paths."""
    plan = sizes(quick)
    files: dict[str, Any] = {}
    typical = directory / "typical.jsonl"
    files["typical"] = {
        "path": str(typical),
        "lines": plan["typical_lines"],
        "bytes": write_jsonl(typical, payload(3, 10), plan["typical_lines"]),
    }
    one = directory / "one.jsonl"
    files["one"] = {"path": str(one), "lines": 1, "bytes": write_jsonl(one, payload(3, 10), 1)}
    files["current"] = []
    for lines in plan["current_lines"]:
        path = directory / f"current-{lines}.jsonl"
        size = write_jsonl(path, current_api_record(), lines)
        files["current"].append({"path": str(path), "lines": lines, "bytes": size})
    return files


def extract_previous(directory: Path) -> str | None:
    """The package as it was at PREVIOUS_COMMIT, importable as PREVIOUS_PACKAGE from the result.

    It uses only relative imports, so it runs under another name beside the
    current package. None when git or the commit is not at hand.
    """
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", PREVIOUS_COMMIT, "src/purecloud_internal_message"],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        return None
    target = directory / "previous"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.10.12+, 3.11.4+
            tar.extractall(target, filter="data")
        else:  # older patch releases; the archive is our own
            tar.extractall(target)
    (target / "src" / "purecloud_internal_message").rename(target / PREVIOUS_PACKAGE)
    return str(target)


# -- running the measuring part, once per path ---------------------------------------------


def path_environment(
    path: str, previous: str | None = None, home: Path | None = None
) -> dict[str, str]:
    """The environment that selects ``path`` (and, for the pure path, names the previous package).

    ``home``, an empty directory, stands in for the home directory: the SDK's
    ``ApiClient`` watches the home directory recursively for its config file,
    and its watcher thread would allocate (counted by tracemalloc) and run
    whenever anything under it changes (anyone's pip writing to ``~/.cache``).
    """
    env = {key: value for key, value in os.environ.items() if key != NO_EXTENSIONS}
    if home is not None:
        env["HOME"] = str(home)
    if path == "pure":
        env[NO_EXTENSIONS] = "1"
        if previous is not None:
            env["BENCH_PREVIOUS"] = previous
    env["BENCH_PATH"] = path
    return env


def accelerated_built() -> bool:
    """Whether the compiled codecs load when nothing forbids them."""
    out = subprocess.run(
        [sys.executable, "-c", "import purecloud_internal_message as p; print(p.ACCELERATED)"],
        capture_output=True,
        text=True,
        check=True,
        env=path_environment("accelerated"),
    )
    return out.stdout.strip() == "True"


def measure(path: str, files: Path, quick: bool, previous: str | None) -> dict[str, Any]:
    """Run measure.py for ``path`` in its own interpreter; its JSON result."""
    command = [sys.executable, str(HERE / "measure.py"), "--files", str(files)]
    if quick:
        command.append("--quick")
    home = files.parent / f"home-{path}"
    home.mkdir()
    env = path_environment(path, previous, home)
    out = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False, env=env)
    if out.returncode != 0:
        raise SystemExit(f"measuring the {path} path failed (status {out.returncode})")
    result: dict[str, Any] = json.loads(out.stdout)
    if result["accelerated"] != (path == "accelerated"):
        raise SystemExit(f"the {path} path ran with ACCELERATED = {result['accelerated']}")
    return result


def sdk_import_seconds(runs: int) -> float:
    """Least cumulative import time of the SDK in a fresh interpreter (bytecode cached)."""
    return import_seconds("PureCloudPlatformClientV2", runs, warm=not _sdk_bytecode_cached())[0]


def _sdk_bytecode_cached() -> bool:
    import importlib.util

    spec = importlib.util.find_spec("PureCloudPlatformClientV2.models.internal_message")
    if spec is None or spec.origin is None:
        return False
    return Path(importlib.util.cache_from_source(spec.origin)).exists()


# -- formatting ---------------------------------------------------------------------------------


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3g}"


def verdict(value: float | None, limit: float) -> str:
    return "n/a" if value is None else ("PASS" if value <= limit else "MISS")


# -- the figures the report needs ------------------------------------------------------------


def _range(row: dict[str, Any], peer: str) -> tuple[float, float] | None:
    if peer not in row:
        return None
    ours, theirs = row["ours"], row[peer]
    return ours["best"] / theirs["median"], ours["median"] / theirs["best"]


class PathFigures:
    """Read the ratios the report names out of one path's raw results."""

    def __init__(self, raw: dict[str, Any], sdk_import: float) -> None:
        self.raw = raw
        self.sdk_import = sdk_import

    def time(self, payload_name: str, operation: str, library: str) -> float | None:
        row = self.raw["operations"][payload_name][operation]
        return row[library]["best"] if library in row else None

    def ratio(self, payload_name: str, operation: str, peer: str) -> float | None:
        ours = self.time(payload_name, operation, "ours")
        theirs = self.time(payload_name, operation, peer)
        return None if ours is None or theirs is None else ours / theirs

    def ratio_range(
        self, payload_name: str, operation: str, peer: str
    ) -> tuple[float, float] | None:
        """The ratio's most and least favourable pairings of best and median samples."""
        row = self.raw["operations"][payload_name][operation]
        return _range(row, peer)

    def large_range(self, operation: str, mode: str, peer: str) -> tuple[float, float] | None:
        return _range(self.raw["large_record"][operation][mode], peer)

    def large(self, operation: str, mode: str, library: str) -> float | None:
        row = self.raw["large_record"][operation][mode]
        return row[library]["median"] if library in row else None

    def large_cell(self, operation: str, mode: str, library: str) -> str:
        """The median, with the collector's share."""
        entry = self.raw["large_record"][operation][mode].get(library)
        return "n/a" if entry is None else fmt_share(entry["median"], entry["collector"])

    def large_ratio(self, operation: str, mode: str, peer: str) -> float | None:
        theirs = self.large(operation, mode, peer)
        ours = self.large(operation, mode, "ours")
        return None if ours is None or theirs is None else ours / theirs

    def cli(self, label: str, tool: str) -> float:
        return float(self.raw["command_line"]["versus"][label][tool]["cpu"])

    def cli_ratio(self, peer: str, without_startup: bool = False) -> float | None:
        ours, theirs = self.cli("file", "ours"), self.cli("file", peer)
        if without_startup:
            ours -= self.cli("startup", "ours")
            theirs -= self.cli("startup", peer)
        return ours / theirs if ours > 0 and theirs > 0 else None  # None: lost in the noise

    def unknown_ratio(self, library: str = "ours") -> float:
        row = self.raw["unknown_fields"]
        return float(row[f"{library}, unknown"]["best"] / row[f"{library}, plain"]["best"])

    def noise(self) -> dict[str, float]:
        """A/A ratios: one function timed as two libraries, so ideally 1."""
        row = self.raw["noise"]
        names = sorted({name.rsplit(" ", 1)[0] for name in row}, key=MAIN_OPERATIONS.index)
        return {name: row[f"{name} A"]["best"] / row[f"{name} B"]["best"] for name in names}

    def noise_floor(self) -> float:
        """How far from 1 this run's A/A ratios strayed."""
        return max(max(value, 1 / value) - 1 for value in self.noise().values())

    def rss_growth(self) -> float:
        runs = self.raw["command_line"]["by_size"]
        return float(runs[-1]["max_rss"] / runs[0]["max_rss"])

    def issue_11(self) -> list[tuple[str, float | None, float, float | None]]:
        """(what, ours/pydantic, limit, ours/msgspec) for the typical record."""
        rows: list[tuple[str, float | None, float, float | None]] = []
        for label, operation, limit in (
            ("from_dict / model_validate", "from_dict", 0.40),
            ("from_json / model_validate_json", "from_json", 0.50),
            ("to_api_json / model_dump_json(by_alias, exclude_none)", "to_api_json", 0.50),
            (
                "to_api_json, built by constructor / model_dump_json",
                "to_api_json, built by constructor",
                1.0,
            ),
            (
                "to_api_json, from SDK to_dict() / model_dump_json",
                "to_api_json, from SDK to_dict()",
                1.0,
            ),
        ):
            rows.append(
                (
                    label,
                    self.ratio("typical", operation, "pydantic"),
                    limit,
                    self.ratio("typical", operation, "msgspec"),
                )
            )
        rows.append(
            (
                "CLI validate (JSON Lines) / 10-line pydantic script",
                self.cli_ratio("pydantic"),
                0.6,
                self.cli_ratio("msgspec"),
            )
        )
        return rows

    def standing(self) -> list[tuple[str, float, float]]:
        """The first release's targets that still stand: (what, measured, limit)."""
        memory = self.raw["memory"]
        return [
            ("from_dict vs SDK decode", self.ratio("typical", "from_dict", "sdk") or 0.0, 0.01),
            ("to_dict vs SDK to_dict", self.ratio("typical", "to_dict", "sdk") or 0.0, 0.2),
            (
                "to_dict vs pydantic model_dump",
                self.ratio("typical", "to_dict", "pydantic") or 0.0,
                1.0,
            ),
            (
                "to_api_dict vs pydantic model_dump(json, alias)",
                self.ratio("typical", "to_api_dict", "pydantic") or 0.0,
                1.0,
            ),
            ("import vs SDK import", self.raw["import"]["seconds"] / self.sdk_import, 0.01),
            (
                "memory per record vs SDK, from dicts",
                memory["dict"]["ours"] / memory["dict"]["sdk"],
                0.25,
            ),
            (
                "memory per record vs SDK, from JSON text",
                memory["json"]["ours"] / memory["json"]["sdk"],
                0.25,
            ),
        ]

    def issue_10(self) -> list[tuple[str, float, float]]:
        counts = self.raw["growth"]["counts"]
        return [
            (
                "from_dict with unknown fields at 3 levels / without",
                self.unknown_ratio(),
                1.25,
            ),
            (
                f"per-message decode cost, {counts[1]:,} vs {counts[0]} messages, collector on,"
                f" in the measuring process ({self.raw['tracked_objects']:,} objects tracked)",
                self.raw["growth"]["here"]["ours"]["ratio"],
                1.5,
            ),
            (
                f"per-message decode cost, {counts[1]:,} vs {counts[0]} messages, collector on,"
                " in a fresh interpreter",
                self.raw["growth"]["fresh"]["ours"]["ratio"],
                1.5,
            ),
            (
                "CLI peak RSS, {:,} vs {:,} lines".format(
                    self.raw["command_line"]["by_size"][-1]["lines"],
                    self.raw["command_line"]["by_size"][0]["lines"],
                ),
                self.rss_growth(),
                1.1,
            ),
        ]


# -- the report ------------------------------------------------------------------------------------


def machine() -> str:
    """Where the figures come from."""
    return formats.machine(
        (
            "purecloud-internal-message",
            "PureCloudPlatformClientV2",
            "pydantic",
            "pydantic-core",
            "msgspec",
        )
    )


def fmt_share(seconds: float, collector: float) -> str:
    """A time, and the collector's share of it when that is over 1%."""
    text = fmt_time(seconds)
    if collector > seconds / 100:
        text += f" ({fmt_time(collector)} collector)"
    return text


def size_time(entry: dict[str, Any]) -> str:
    """A size run's CPU time, with the collector's share (when measured)."""
    return fmt_share(entry["seconds"], entry.get("collector", 0.0))


def collector_cell(data: dict[str, Any], case: str, library: str) -> str:
    """Seconds per record, with the collector's share (when measured)."""
    return fmt_share(data[case][library], data.get(f"{case}, collector", {}).get(library, 0.0))


class Report:
    """Builds the Markdown report from both paths' results."""

    def __init__(self, results: dict[str, Any], quick: bool) -> None:
        self.results = results
        self.quick = quick
        self.paths = {
            name: PathFigures(raw, results["sdk_import"])
            for name, raw in results.get("paths", {}).items()  # none: end to end only
            if raw is not None
        }
        self.misses: list[str] = []

    def lines(self) -> Iterator[str]:
        """The console report: every section the run has figures for."""
        results = self.results
        if results.get("paths"):
            yield from self.per_operation()
        if results.get("end_to_end"):
            import e2e

            yield ""
            yield "## End to end: JSON Lines to Parquet"
            yield ""
            yield from e2e.report(results["end_to_end"])

    def per_operation(self) -> Iterator[str]:
        results = self.results
        yield f"Machine: {results['machine']}."
        yield (
            f"Load average (1 min) at start and end: {results['load'][0]:.1f}, "
            f"{results['load'][1]:.1f}; {'quick mode (small sizes)' if self.quick else 'full run'}."
        )
        yield ""
        yield from markdown_table(
            ["path", "status", "JSON backend", "CPU seconds of the measuring process"],
            [
                [
                    name,
                    "active" if raw is not None else "not built",
                    raw["json_backend"] if raw is not None else "-",
                    f"{raw['cpu_seconds']:.0f}" if raw is not None else "-",
                ]
                for name, raw in results["paths"].items()
            ],
        )
        yield from self.issue_11()
        yield from self.before()
        yield from self.operations()
        yield from self.large_record()
        yield from self.collector()
        yield from self.unknown_and_growth()
        yield from self.memory()
        yield from self.command_line()
        yield from self.sizes()
        yield from self.standing()
        yield from self.summary()

    # each section -------------------------------------------------------------------------

    def issue_11(self) -> Iterator[str]:
        yield ""
        yield "### Targets for the accelerated path (typical record, ours / pydantic)"
        yield ""
        accelerated = self.paths.get("accelerated")
        pure = self.paths["pure"]
        rows = []
        for index, (label, value, limit, _msgspec) in enumerate(pure.issue_11()):
            if accelerated is not None:
                fast = accelerated.issue_11()[index]
                status = verdict(fast[1], limit)
                cells = [fmt_ratio(fast[1]), status, fmt_ratio(fast[3])]
                if status == "MISS" and fast[1] is not None:
                    self.misses.append(
                        f"accelerated: {label}: {fast[1]:.3g} > {limit:.3g} "
                        f"({fast[1] / limit:.2f}x the limit)"
                    )
            else:
                cells = ["not built", "-", "-"]
            rows.append([label, f"<= {limit:.2f}", *cells, fmt_ratio(value), fmt_ratio(_msgspec)])
        yield from markdown_table(
            [
                "operation",
                "target",
                "accelerated",
                "",
                "accelerated ours/msgspec",
                "pure path (the targets are the accelerated path's)",
                "pure ours/msgspec",
            ],
            rows,
        )
        yield ""
        for path, figures in self.paths.items():
            yield (
                "CLI ratios are CPU time of whole processes on the same {:,}-line file, startup "
                "included; without startup (each tool's time on a 1-line file subtracted) "
                "the {} path's is {} against pydantic and {} against msgspec.".format(
                    figures.raw["command_line"]["versus"]["lines"],
                    path,
                    fmt_ratio(figures.cli_ratio("pydantic", True)),
                    fmt_ratio(figures.cli_ratio("msgspec", True)),
                )
            )

    def before(self) -> Iterator[str]:
        pure = self.paths["pure"]
        measured = "before" in pure.raw["operations"]["typical"]["from_dict"]
        noise = pure.noise_floor()
        large = pure.raw["large_record"]["messages"]
        yield ""
        yield "### Pure path: every ratio against the previous figures"
        yield ""
        yield (
            "Page: the ratios the previous page showed (measured at commit"
            f" {PREVIOUS_COMMIT} with wall-clock medians; SDK 227; the package paused the"
            " collector inside each decode; msgspec's to_dict was the shallow"
            " `structs.asdict`, so that ratio is not compared) → the same ratio now."
            f" Small and typical rows are fastest samples; large rows ({large:,} messages)"
            " medians, collector on."
        )
        if not measured:
            yield ""
            yield (
                f"The previous code was not at hand (no git checkout with {PREVIOUS_COMMIT}):"
                f" the verdict compares the page's ours/pydantic with now's, within this run's"
                f" A/A noise ({noise:.1%})."
            )
        if measured:
            yield ""
            yield (
                f"Same process: the package as it was at {PREVIOUS_COMMIT}, measured now in this"
                " process beside the current one: our time now / its time. Above 1 is slower;"
                " it counts as a miss only when it is above 1 by more than this run's A/A"
                f" noise ({noise:.1%}: one function timed as two, see below) and even the"
                " most favourable pairing (our fastest sample over its median) is above 1;"
                " otherwise it is within the noise (~). This decides the verdict: the peers'"
                " own versions and the machine's load changed since the page was written."
            )
        yield ""
        rows = []
        for (name, operation), previous in PREVIOUS.items():
            cells = []
            for peer, old in zip(PEERS, previous, strict=True):
                if name == "large":
                    now = None if peer == "sdk" else pure.large_ratio(operation, "on", peer)
                else:
                    now = pure.ratio(name, operation, peer)
                cells.append(f"{fmt_ratio(old)} → {fmt_ratio(now)}")
            if name == "large":
                row = pure.raw["large_record"][operation]["on"]
                key = "median"
            else:
                row = pure.raw["operations"][name][operation]
                key = "best"
            span = _range(row, "before")
            if span is None:  # no previous code at hand: judge by the page's pydantic ratio
                old, now = (
                    previous[1],
                    (
                        pure.large_ratio(operation, "on", "pydantic")
                        if name == "large"
                        else pure.ratio(name, operation, "pydantic")
                    ),
                )
                status = "n/a"
                if now is not None:
                    status = (
                        "PASS" if now <= old else "PASS ~" if now <= old * (1 + noise) else "MISS"
                    )
                if status == "MISS":
                    self.misses.append(
                        f"pure, {name} {operation}: ours/pydantic {old:.3g} → {now:.3g} (page → now)"
                    )
                rows.append([name, operation, *cells, "not measured", status])
                continue
            value = row["ours"][key] / row["before"][key]
            if value <= 1:
                status = "PASS"
            elif span[0] <= 1 or value <= 1 + noise:
                status = "PASS ~"
            else:
                status = "MISS"
            if status == "MISS":
                self.misses.append(
                    f"pure, {name} {operation}: {value:.2f}x the time of {PREVIOUS_COMMIT} "
                    f"({fmt_time(row['ours'][key])} against {fmt_time(row['before'][key])}"
                    f"; most favourable pairing {span[0]:.2f}x)"
                )
            rows.append([name, operation, *cells, f"{value:.3g}", status])
        yield from markdown_table(
            [
                "payload",
                "operation",
                "ours/SDK: page → now",
                "ours/pydantic: page → now",
                "ours/msgspec: page → now",
                f"same process: now / {PREVIOUS_COMMIT}",
                "",
            ],
            rows,
        )

    def operations(self) -> Iterator[str]:
        for path, figures in self.paths.items():
            yield ""
            yield f"### Operations, {path} path (records streamed: each result dropped)"
            yield ""
            rows = []
            before = BEFORE in figures.raw["operations"]["typical"]["from_dict"]
            libraries = (*LIBRARIES, BEFORE) if before else LIBRARIES
            for name, operations in figures.raw["operations"].items():
                for operation in operations:
                    times = [fmt_time(figures.time(name, operation, lib)) for lib in libraries]
                    ratios = [fmt_ratio(figures.ratio(name, operation, peer)) for peer in PEERS]
                    rows.append([name, operation, *times, *ratios])
            yield from markdown_table(
                [
                    "payload",
                    "operation",
                    *LIBRARIES,
                    *([f"ours at {PREVIOUS_COMMIT}"] if before else []),
                    "ours/SDK",
                    "ours/pydantic",
                    "ours/msgspec",
                ],
                rows,
            )

    def large_record(self) -> Iterator[str]:
        for path, figures in self.paths.items():
            large = figures.raw["large_record"]
            yield ""
            yield (
                f"### A {large['messages']:,}-message record: the collector, {path} path "
                f"(records streamed; the process tracks {large['tracked']:,} objects;"
                " medians, with the collector's share)"
            )
            yield ""
            rows = []
            before = BEFORE in large["from_dict"]["on"]
            for operation in MAIN_OPERATIONS:
                for mode in ("on", "paused"):
                    rows.append(
                        [
                            operation,
                            mode,
                            *(figures.large_cell(operation, mode, lib) for lib in PEERS[1:]),
                            figures.large_cell(operation, mode, "ours"),
                            *([figures.large_cell(operation, mode, BEFORE)] if before else []),
                            fmt_ratio(figures.large_ratio(operation, mode, "pydantic")),
                            fmt_ratio(figures.large_ratio(operation, mode, "msgspec")),
                        ]
                    )
            yield from markdown_table(
                [
                    "operation",
                    "collector",
                    "pydantic",
                    "msgspec",
                    "ours",
                    *([f"ours at {PREVIOUS_COMMIT} (paused it inside)"] if before else []),
                    "ours/pydantic",
                    "ours/msgspec",
                ],
                rows,
            )

    def collector(self) -> Iterator[str]:
        for path, figures in self.paths.items():
            data = figures.raw["collector"]
            yield ""
            yield (
                f"### {data['count']:,} typical records decoded from a dict, kept in a list "
                f"or streamed, {path} path (a fresh interpreter each)"
            )
            yield ""
            rows = []
            libraries = ["ours", "pydantic", "msgspec"]
            if BEFORE in data["kept, on"]:
                libraries.append(BEFORE)
            for situation in ("kept", "streamed"):
                for mode in ("on", "paused"):
                    row = data[f"{situation}, {mode}"]
                    rows.append(
                        [
                            situation,
                            "on" if mode == "on" else "paused (`collector_paused()`)",
                            *(
                                collector_cell(data, f"{situation}, {mode}", lib)
                                for lib in libraries
                            ),
                            fmt_ratio(row["ours"] / row["pydantic"]),
                            fmt_ratio(row["ours"] / data[f"{situation}, on"]["pydantic"]),
                            fmt_ratio(row["ours"] / row["msgspec"]),
                        ]
                    )
            yield from markdown_table(
                [
                    "records",
                    "collector",
                    "ours",
                    "pydantic",
                    "msgspec",
                    *(
                        [f"ours at {PREVIOUS_COMMIT} (paused it inside)"]
                        if BEFORE in libraries
                        else []
                    ),
                    "ours/pydantic",
                    "ours/pydantic (collector on)",
                    "ours/msgspec",
                ],
                rows,
            )

    def unknown_and_growth(self) -> Iterator[str]:
        yield ""
        yield "### Unknown fields (records streamed, collector on)"
        yield ""
        rows = []
        for path, figures in self.paths.items():
            row = figures.raw["unknown_fields"]
            rows.append(
                [
                    path,
                    fmt_time(row["ours, plain"]["best"]),
                    fmt_time(row["ours, unknown"]["best"]),
                    fmt_ratio(figures.unknown_ratio()),
                    fmt_ratio(figures.unknown_ratio("pydantic")),
                    ", ".join(f"{name} {value:.3f}" for name, value in figures.noise().items()),
                ]
            )
        yield from markdown_table(
            [
                "path",
                "from_dict, typical",
                "with unknown fields",
                "ours: ratio",
                "pydantic: ratio (it drops them)",
                "A/A: one function timed as two (the method's noise)",
            ],
            rows,
        )
        for path, figures in self.paths.items():
            growth = figures.raw["growth"]
            small, big = growth["counts"]
            yield ""
            yield (
                f"### Cost per message, {big:,} vs {small} messages, {path} path"
                " (records streamed, collector on)"
            )
            yield ""
            rows = []
            for place, label in (
                ("here", f"measuring process ({figures.raw['tracked_objects']:,} objects tracked)"),
                ("fresh", "fresh interpreter"),
            ):
                for library in LIBRARIES:
                    entry = growth[place].get(library)
                    if entry is None:
                        continue
                    rows.append(
                        [
                            label,
                            library,
                            fmt_time(entry["marginal"][0]),
                            fmt_time(entry["marginal"][1]),
                            f"{entry['ratio']:.2f}x",
                            fmt_time(entry["collector_per_item"]),
                            f"{entry['ratio_without_collector']:.2f}x",
                        ]
                    )
            yield from markdown_table(
                [
                    "where",
                    "library",
                    f"per message at {small}",
                    f"at {big:,}",
                    "ratio",
                    f"collector per message at {big:,}",
                    "ratio without the collector's time",
                ],
                rows,
            )

    def memory(self) -> Iterator[str]:
        yield ""
        yield "### Memory per typical record (kept alive; tracemalloc)"
        yield ""
        rows = []
        for path, figures in self.paths.items():
            for source, label in (("dict", "a dict (strings shared)"), ("json", "JSON text")):
                held = figures.raw["memory"][source]
                rows.append(
                    [
                        path,
                        label,
                        *(f"{held[lib]:,.0f} B" for lib in LIBRARIES),
                        *(fmt_ratio(held["ours"] / held[peer]) for peer in PEERS),
                    ]
                )
        yield from markdown_table(
            [
                "path",
                "decoded from",
                *LIBRARIES,
                "ours/SDK",
                "ours/pydantic",
                "ours/msgspec",
            ],
            rows,
        )
        imports = ", ".join(
            f"{path} {fmt_time(figures.raw['import']['seconds'])}"
            + (" (dateutil imported)" if figures.raw["import"]["dateutil"] else "")
            for path, figures in self.paths.items()
        )
        yield ""
        yield f"Import time: ours {imports}; SDK {fmt_time(self.results['sdk_import'])}."

    def command_line(self) -> Iterator[str]:
        for path, figures in self.paths.items():
            cli = figures.raw["command_line"]
            lines = cli["versus"]["lines"]
            yield ""
            yield (
                f"### Command line, {path} path: `validate` on {lines:,} typical records "
                "(JSON Lines; records streamed) against 10-line scripts"
            )
            yield ""
            rows = []
            for tool, label in (
                ("ours", "`purecloud-internal-message validate`"),
                ("pydantic", "`benchmarks/validate_pydantic.py`"),
                ("msgspec", "`benchmarks/validate_msgspec.py`"),
            ):
                run = cli["versus"]["file"][tool]
                start = cli["versus"]["startup"][tool]
                own = run["cpu"] - start["cpu"]
                rows.append(
                    [
                        label,
                        fmt_time(run["cpu"]),
                        fmt_time(own / lines) if own > 0 else "lost in the startup's noise",
                        fmt_time(start["cpu"]),
                        fmt_bytes(run["max_rss"]),
                    ]
                )
            yield from markdown_table(
                ["tool", "CPU, whole file", "per line, startup excluded", "startup", "peak RSS"],
                rows,
            )
            yield ""
            yield (
                f"`validate` by file size ({path} path; current-API records with unknown"
                f" fields; nothing below {fmt_bytes(cli['rss_floor'])} of RSS can show):"
            )
            yield ""
            runs = cli["by_size"]
            first = runs[0]
            yield from markdown_table(
                ["lines", "file", "CPU", "per line", "peak RSS", "RSS / smallest"],
                [
                    [
                        f"{run['lines']:,}",
                        fmt_bytes(run["bytes"]),
                        fmt_time(run["cpu"]),
                        fmt_time(run["cpu"] / run["lines"]),
                        fmt_bytes(run["max_rss"]),
                        f"{run['max_rss'] / first['max_rss']:.3f}",
                    ]
                    for run in runs
                ],
            )

    def sizes(self) -> Iterator[str]:
        yield ""
        yield (
            "### Size without surprise: two sizes of each, and the ratios"
            " (one record, a fresh interpreter each; JSON Lines streamed)"
        )
        yield ""
        rows = []
        for path, figures in self.paths.items():
            for kind, label in (
                ("segments", "segments in one record"),
                ("string", "characters in one string"),
            ):
                small, big = figures.raw["sizes"][kind]
                scale = big["size"] / small["size"]
                rows.append(
                    [
                        path,
                        f"`from_json`, {label}",
                        f"{small['size']:,} → {big['size']:,}",
                        f"{size_time(small)} → {size_time(big)}",
                        f"{fmt_bytes(small['peak'])} → {fmt_bytes(big['peak'])}",
                        f"{big['seconds'] / small['seconds'] / scale:.2f}",
                        f"{big['peak'] / small['peak'] / scale:.2f}",
                        f"{small.get('page_faults', 0):,} → {big.get('page_faults', 0):,}",
                    ]
                )
            runs = figures.raw["command_line"]["by_size"]
            small, big = runs[-2], runs[-1]
            scale = big["lines"] / small["lines"]
            rows.append(
                [
                    path,
                    "`validate`, JSON Lines lines",
                    f"{small['lines']:,} → {big['lines']:,}",
                    f"{fmt_time(small['cpu'])} → {fmt_time(big['cpu'])}",
                    f"{fmt_bytes(small['max_rss'])} → {fmt_bytes(big['max_rss'])} (RSS)",
                    f"{big['cpu'] / small['cpu'] / scale:.2f}",
                    f"{big['max_rss'] / small['max_rss'] / scale:.2f}",
                    "",
                ]
            )
        yield from markdown_table(
            [
                "path",
                "input",
                "size",
                "CPU time",
                "peak memory",
                "time ratio / size ratio",
                "memory ratio / size ratio",
                "page faults",
            ],
            rows,
        )

    def standing(self) -> Iterator[str]:
        yield ""
        yield "### Issue 10 and the first release's targets"
        yield ""
        rows = []
        for path, figures in self.paths.items():
            for label, value, limit in figures.issue_10() + figures.standing():
                status = verdict(value, limit)
                if status == "MISS":
                    self.misses.append(
                        f"{path}: {label}: {value:.3g} > {limit:.3g} ({value / limit:.2f}x the limit)"
                    )
                rows.append([path, label, fmt_ratio(value), f"<= {limit:.3g}", status])
        yield from markdown_table(["path", "target", "measured", "limit", ""], rows)

    def summary(self) -> Iterator[str]:
        yield ""
        yield "### Misses"
        yield ""
        if "accelerated" not in self.paths:
            yield "- accelerated path: not built; its targets are not measured."
        yield from (f"- {miss}" for miss in self.misses)
        if not self.misses:
            yield "- none"


# -- outputs -----------------------------------------------------------------------------------------


def chart(results: dict[str, Any], path: Path) -> None:
    """The typical record's operations, each path of ours and each peer (grouped bars);
    beside them, when the run has them, the end-to-end records per CPU-second."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    end_to_end = results.get("end_to_end")
    panels = 2 if end_to_end else 1
    figure, axes_list = plt.subplots(
        1,
        panels,
        figsize=(11 if panels == 1 else 15, 5),
        width_ratios=[3, 2][:panels],
        squeeze=False,
    )
    operations_chart(results, axes_list[0][0])
    if end_to_end:
        end_to_end_chart(end_to_end, axes_list[0][1])
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def operations_chart(results: dict[str, Any], axes: Any) -> None:
    pure = results["paths"]["pure"]["operations"]["typical"]
    operations = list(MAIN_OPERATIONS)
    series: list[tuple[str, dict[str, Any], str]] = []
    for name in PATHS:
        raw = results["paths"].get(name)
        if raw is not None:
            words = "compiled" if name == "accelerated" else "pure Python"
            series.append((f"this package, {words}", raw["operations"]["typical"], "ours"))
    names = {"sdk": "SDK 269", "pydantic": "pydantic v2", "msgspec": "msgspec"}
    series += [(names[peer], pure, peer) for peer in PEERS]
    width = 0.8 / len(series)
    for index, (label, table, library) in enumerate(series):
        xs = [i + (index - (len(series) - 1) / 2) * width for i in range(len(operations))]
        ys = [table[op][library]["best"] * 1e6 if library in table[op] else 0 for op in operations]
        axes.bar(xs, ys, width, label=label)
    labels = list(operations)
    labels[operations.index("to_api_json")] += "\n(SDK: to_json)"
    axes.set_xticks(range(len(operations)), labels, fontsize=8)
    axes.set_yscale("log")
    axes.set_ylabel("µs of CPU per call (fastest sample, log scale)")
    axes.set_title("Per operation: typical record (3 segments, 10 messages)")
    axes.legend(fontsize=8)


def end_to_end_chart(found: dict[str, Any], axes: Any) -> None:
    import e2e

    size = found["sizes"][0]
    keys = [key for key in size["runs"] if key != "cli-pure"]
    labels = {
        "cli": "to-parquet",
        "library": "to_parquet",
        "library-paused": "to_parquet,\ncollector paused",
        "dask": "Dask recipe,\n2 workers",
        "duckdb": "DuckDB\n(checks nothing)",
        "pydantic": "pydantic\npipeline",
        "pyarrow": "pyarrow.json\n(good lines only)",
    }
    best = [e2e.rates(size["runs"][key])[1] / 1000 for key in keys]
    colours = ["tab:blue" if e2e.BY_KEY[key].ours else "tab:gray" for key in keys]
    axes.barh(range(len(keys)), best, color=colours)
    axes.set_yticks(range(len(keys)), [labels.get(key, key) for key in keys], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("thousand records per CPU-second (best round, process start included)")
    axes.set_title(f"End to end: {size['records']:,} records, JSON Lines to Parquet")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, under a minute (CI)")
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help="what to measure: per-operation, end-to-end, or both (the default)",
    )
    parser.add_argument("--e2e-sizes", help="records per end-to-end export (200000,1000000)")
    parser.add_argument("--e2e-rounds", type=int, help="rounds per end-to-end size")
    parser.add_argument(
        "--require-all",
        action="store_true",
        help="fail if an end-to-end contender's package is missing (as in CI)",
    )
    parser.add_argument("--chart", type=Path, help="write a PNG chart here")
    parser.add_argument("--json", type=Path, help="write the raw results here")
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help="fill the figures of docs/performance.md and arrow.md",
    )
    parser.add_argument(
        "--report-from",
        type=Path,
        action="append",
        help="measure nothing: report the results --json runs saved (several: merged)",
    )
    args = parser.parse_args(argv)

    if args.report_from:
        results: dict[str, Any] = {}
        for saved in args.report_from:
            found = json.loads(saved.read_text())
            if "sizes" in found:  # saved by e2e.py --json: the end-to-end section alone
                found = {"end_to_end": found, **{k: found[k] for k in ("machine", "quick", "load")}}
            results = {**found, **results} if "paths" in results else {**results, **found}
    else:
        sections = [name.strip() for name in args.sections.split(",") if name.strip()]
        unknown = set(sections) - set(SECTIONS)
        if unknown:
            parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
        sizes = [int(n) for n in args.e2e_sizes.split(",")] if args.e2e_sizes else None
        results = run(args.quick, sections, sizes, args.e2e_rounds, args.require_all)
    if args.json:  # first: the measurements outlive a failure of the report
        args.json.write_text(json.dumps(results, indent=2))
    report = "\n".join(Report(results, results.get("quick", False)).lines())
    print(report)
    if args.chart:
        chart(results, args.chart)
    if args.write_docs:
        import page

        filled = page.write(ROOT / "docs", results)
        print(f"filled {', '.join(filled)}", file=sys.stderr)
    return 0


#: What the benchmark measures: per operation (measure.py, once per path) and end to end
#: (e2e.py: JSON Lines to Parquet against DuckDB, pyarrow and a pydantic pipeline).
SECTIONS = ("per-operation", "end-to-end")


def run(
    quick: bool,
    sections: list[str] | tuple[str, ...] = SECTIONS,
    e2e_sizes: list[int] | None = None,
    e2e_rounds: int | None = None,
    require_all: bool = False,
) -> dict[str, Any]:
    """Measure the sections asked for; the raw results."""
    results: dict[str, Any] = {
        "machine": machine(),
        "commit": formats.commit(),
        "quick": quick,
        "load": [os.getloadavg()[0]],
    }
    if "per-operation" in sections:
        results.update(per_operation(quick))
    if "end-to-end" in sections:
        import e2e

        print("end to end: JSON Lines to Parquet", file=sys.stderr, flush=True)
        results["end_to_end"] = e2e.run(quick, e2e_sizes, e2e_rounds, require_all)
    results["load"].append(os.getloadavg()[0])
    return results


def per_operation(quick: bool) -> dict[str, Any]:
    """Measure both paths, operation by operation; the raw results."""
    results: dict[str, Any] = {}
    directory = Path(tempfile.mkdtemp(prefix="purecloud-bench-"))
    try:
        print("writing the input files", file=sys.stderr, flush=True)
        files = write_files(directory, quick)
        files_json = directory / "files.json"
        files_json.write_text(json.dumps(files))
        results["files"] = files
        results["sdk_import"] = sdk_import_seconds(1 if quick else 5)
        previous = extract_previous(directory)
        results["paths"] = {}
        for path in PATHS:
            if path == "accelerated" and not accelerated_built():
                print("accelerated path: not built", file=sys.stderr, flush=True)
                results["paths"][path] = None
                continue
            print(f"measuring the {path} path", file=sys.stderr, flush=True)
            results["paths"][path] = measure(path, files_json, quick, previous)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return results


if __name__ == "__main__":
    sys.exit(main())
