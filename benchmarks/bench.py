"""Side-by-side benchmark: this package against the SDK 227, pydantic v2 and msgspec.

Everything is timed in one process, on the same payloads, and reported as
medians and as ratios (ours / peer); see docs/performance.md.

    python benchmarks/bench.py                 # full run (a few minutes)
    python benchmarks/bench.py --quick         # seconds; what CI runs
    python benchmarks/bench.py --chart docs/performance.png --write-docs

Nothing here asserts on time: targets are printed as PASS or MISS. The run
fails only if the libraries disagree about the data.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import msgspec
import PureCloudPlatformClientV2 as sdk

import peers
from purecloud_internal_message import InternalMessage

ROOT = Path(__file__).resolve().parents[1]
DOCS_PAGE = ROOT / "docs" / "performance.md"
LIBRARIES = ("ours", "sdk", "pydantic", "msgspec")


# -- payloads ----------------------------------------------------------------


def _ts(second: int) -> str:
    return f"2024-05-01T{12 + second // 3600 % 12:02d}:{second // 60 % 60:02d}:{second % 60:02d}.{second * 7 % 1000:03d}Z"


def _address(name: str) -> dict[str, Any]:
    return {
        "name": name.title(),
        "nameRaw": name,
        "addressNormalized": f"{name}@example.mypurecloud.com",
        "addressRaw": name,
        "addressDisplayable": name.title(),
    }


def payload(segments: int, messages: int) -> dict[str, Any]:
    """A Genesys-shaped internal-message communication."""
    return {
        "state": "disconnected",
        "initialState": "alerting",
        "id": "5c6f1a3e-9d7e-4c1b-8f1e-2b6d5a4c3b2a",
        "segments": [
            {
                "startTime": _ts(i * 60),
                "endTime": _ts(i * 60 + 59),
                "type": "Interact",
                "howEnded": "Disconnect",
                "disconnectType": "peer",
            }
            for i in range(segments)
        ],
        "disconnectType": "peer",
        "connectedTime": _ts(0),
        "disconnectedTime": _ts(segments * 60),
        "provider": "PureCloud",
        "peerId": "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
        "targetUserId": "7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d",
        "sourceUserId": "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b",
        "toAddress": _address("bob.smith"),
        "fromAddress": _address("alice.jones"),
        "messages": [
            {"messageId": f"9b8a7c6d-5e4f-4a3b-8c2d-{i:012d}", "messageTime": _ts(i)}
            for i in range(messages)
        ],
    }


PAYLOADS = {
    "small": payload(1, 1),
    "typical": payload(3, 10),
    "large": payload(3, 10_000),
}


# -- the SDK's entry points ----------------------------------------------------


class _Response:
    """Just enough of a REST response for ``ApiClient.deserialize``."""

    def __init__(self, text: str) -> None:
        self.data = text

    def getheader(self, name: str) -> str | None:
        return "application/json" if name == "Content-Type" else None


_CLIENT = sdk.ApiClient()
_sdk_from_data = _CLIENT._ApiClient__deserialize  # type: ignore[attr-defined]


def operations(data: dict[str, Any]) -> dict[str, dict[str, Callable[[], object]]]:
    """For each operation, a zero-argument callable per library (None: not offered)."""
    text = json.dumps(data)
    ours = InternalMessage.from_dict(data)
    theirs = _sdk_from_data(data, "InternalMessage")
    pyd = peers.PydanticInternalMessage.model_validate(data)
    struct = msgspec.convert(data, peers.StructInternalMessage)
    response = _Response(text)
    return {
        "from_dict": {
            "ours": lambda: InternalMessage.from_dict(data),
            "sdk": lambda: _sdk_from_data(data, "InternalMessage"),
            "pydantic": lambda: peers.PydanticInternalMessage.model_validate(data),
            "msgspec": lambda: msgspec.convert(data, peers.StructInternalMessage),
        },
        "from_json": {
            "ours": lambda: InternalMessage.from_json(text),
            "sdk": lambda: _CLIENT.deserialize(response, "InternalMessage"),
            "pydantic": lambda: peers.PydanticInternalMessage.model_validate_json(text),
            "msgspec": lambda: msgspec.json.decode(text, type=peers.StructInternalMessage),
        },
        "to_dict": {
            "ours": ours.to_dict,
            "sdk": theirs.to_dict,
            "pydantic": pyd.model_dump,
            "msgspec": lambda: msgspec.structs.asdict(struct),
        },
        "to_api_dict": {
            "ours": ours.to_api_dict,
            "pydantic": lambda: pyd.model_dump(by_alias=True, mode="json", exclude_none=True),
            "msgspec": lambda: msgspec.to_builtins(struct),
        },
        "to_api_json": {
            "ours": ours.to_api_json,
            "sdk": theirs.to_json,  # the SDK has only its own JSON form
            "pydantic": lambda: pyd.model_dump_json(by_alias=True, exclude_none=True),
            "msgspec": lambda: msgspec.json.encode(struct),
        },
    }


def check_agreement() -> None:
    """Fail loudly if the libraries disagree about the data being timed."""
    for name, data in PAYLOADS.items():
        ours = InternalMessage.from_dict(data)
        if ours.to_api_dict() != data:
            raise SystemExit(f"{name}: to_api_dict() does not give the payload back")
        if ours.to_dict() != _sdk_from_data(data, "InternalMessage").to_dict():
            raise SystemExit(f"{name}: to_dict() differs from the SDK's")
        dumped = peers.PydanticInternalMessage.model_validate(data).model_dump(
            by_alias=True, mode="json", exclude_none=True
        )
        if InternalMessage.from_dict(dumped) != ours:
            raise SystemExit(f"{name}: the pydantic peer reads the payload differently")


# -- measuring -------------------------------------------------------------------


def median_seconds(
    function: Callable[[], object],
    budget: float,
    repeats: int,
    pick: Callable[[list[float]], float] = statistics.median,
) -> float:
    """Median (or ``pick``) time of one call, over ``repeats`` samples of about ``budget`` seconds each."""
    loops = 1
    while True:  # find a loop count that fills a sample
        start = time.perf_counter()
        for _ in range(loops):
            function()
        elapsed = time.perf_counter() - start
        if elapsed >= budget / 4 or loops >= 1_000_000:
            break
        loops *= 4
    loops = max(1, int(loops * budget / max(elapsed, 1e-9)))
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(loops):
            function()
        samples.append((time.perf_counter() - start) / loops)
    return pick(samples)


def time_operations(quick: bool) -> dict[str, dict[str, dict[str, float]]]:
    """{payload: {operation: {library: seconds}}}."""
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, data in PAYLOADS.items():
        if quick and name == "large":
            continue
        large = name == "large"
        budget = 0.02 if quick else (0.3 if large else 0.1)
        repeats = 3 if quick else (5 if large else 9)
        results[name] = {}
        for operation, libraries in operations(data).items():
            results[name][operation] = {
                library: median_seconds(function, budget, repeats)
                for library, function in libraries.items()
            }
    return results


def import_seconds(module: str, runs: int) -> tuple[float, list[str]]:
    """Median cumulative import time of ``module`` in a fresh interpreter, and what it imported."""
    # As installed packages are used: with their bytecode cached. (Without a
    # cache every module is compiled at every import, which is not what users see.)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-X", "importtime", "-c", f"import {module}"]
    subprocess.run(command, capture_output=True, check=True, env=env)  # writes the cache
    samples = []
    imported: list[str] = []
    for _ in range(runs):
        out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stderr
        rows = [line.split("|") for line in out.splitlines() if line.startswith("import time:")]
        rows = [row for row in rows if len(row) == 3 and row[1].strip().isdigit()]
        imported = [row[2].strip() for row in rows]
        total = next(int(row[1]) for row in reversed(rows) if row[2].strip() == module)
        samples.append(total / 1e6)
    return statistics.median(samples), imported


def memory_per_record(decode: Callable[[], object], count: int) -> float:
    """Bytes held per decoded typical record (tracemalloc, records kept alive)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [decode() for _ in range(count)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return (after - before) / count


def per_message_growth(quick: bool) -> dict[str, float]:
    """Marginal decode cost per message at 10,000 messages over that at 10 messages.

    The marginal cost at 10 messages is the difference of two close timings, so
    this takes the fastest sample (as timeit advises) after a full collection:
    medians here mostly measured when the collector happened to run.
    """
    counts = (10, 1_000) if quick else (10, 10_000)
    base = payload(3, 0)
    decoders: dict[str, Callable[[dict[str, Any]], object]] = {
        "ours": InternalMessage.from_dict,
        "sdk": lambda data: _sdk_from_data(data, "InternalMessage"),
        "pydantic": peers.PydanticInternalMessage.model_validate,
        "msgspec": lambda data: msgspec.convert(data, peers.StructInternalMessage),
    }
    growth = {}
    for library, decode in decoders.items():
        budget = 0.02 if quick else 0.2
        gc.collect()
        empty = median_seconds(lambda decode=decode: decode(base), budget, 7, min)
        marginal = []
        for count in counts:
            data = payload(3, count)
            gc.collect()
            total = median_seconds(lambda decode=decode, data=data: decode(data), budget, 7, min)
            marginal.append((total - empty) / count)
        growth[library] = marginal[1] / marginal[0]
    return growth


# -- reporting --------------------------------------------------------------------


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    """A Markdown table: medians, and ours/peer ratios."""
    lines = [
        "| payload | operation | ours | SDK | pydantic | msgspec | ours/SDK | ours/pydantic | ours/msgspec |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, ops in results.items():
        for operation, times in ops.items():
            ours = times["ours"]
            cells = [_fmt(times.get(library)) for library in LIBRARIES]
            ratios = [
                f"{ours / times[library]:.3g}" if library in times else "n/a"
                for library in LIBRARIES[1:]
            ]
            lines.append(f"| {name} | {operation} | " + " | ".join(cells + ratios) + " |")
    return "\n".join(lines)


def targets(
    results: dict[str, dict[str, dict[str, float]]],
    imports: dict[str, float],
    memory: dict[str, float],
    growth: dict[str, float],
) -> list[tuple[str, float, float, bool]]:
    """(target, measured ratio, limit, met) for each of the issue's targets."""
    typical = results["typical"]

    def ratio(operation: str, peer: str) -> float:
        return typical[operation]["ours"] / typical[operation][peer]

    rows = [
        ("from_dict vs SDK decode", ratio("from_dict", "sdk"), 1 / 100),
        ("from_dict vs pydantic model_validate", ratio("from_dict", "pydantic"), 1 / 2),
        ("to_dict vs SDK to_dict", ratio("to_dict", "sdk"), 1 / 5),
        ("to_dict vs pydantic model_dump", ratio("to_dict", "pydantic"), 1.0),
        ("to_api_dict vs pydantic model_dump(json, alias)", ratio("to_api_dict", "pydantic"), 1.0),
        ("import vs SDK import", imports["ours"] / imports["sdk"], 1 / 100),
        ("memory per record vs SDK", memory["ours"] / memory["sdk"], 1 / 4),
        ("per-message decode cost, 10k vs 10 messages", growth["ours"], 1.5),
    ]
    return [(name, value, limit, value <= limit) for name, value, limit in rows]


def machine() -> str:
    """Where the figures come from."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        if found:
            cpu = found.group(1).strip()
    import importlib.metadata as metadata

    versions = ", ".join(
        f"{package} {metadata.version(package)}"
        for package in (
            "purecloud-internal-message",
            "PureCloudPlatformClientV2",
            "pydantic",
            "msgspec",
        )
    )
    return (
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{cpu}, {os.cpu_count()} cores; {versions}"
    )


def chart(results: dict[str, dict[str, dict[str, float]]], path: Path) -> None:
    """A grouped bar chart of the typical payload's medians (log scale)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    typical = results["typical"]
    operations_ = list(typical)
    width = 0.2
    figure, axes = plt.subplots(figsize=(9, 4.5))
    for index, library in enumerate(LIBRARIES):
        xs = [i + (index - 1.5) * width for i in range(len(operations_))]
        ys = [typical[op].get(library, float("nan")) * 1e6 for op in operations_]
        axes.bar(xs, ys, width, label=library)
    axes.set_xticks(range(len(operations_)), operations_)
    axes.set_yscale("log")
    axes.set_ylabel("µs per call (median, log scale)")
    axes.set_title("Typical record (3 segments, 10 messages)")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def write_docs(report: str) -> None:
    """Put the report between the markers of docs/performance.md."""
    page = DOCS_PAGE.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    head, _, rest = page.partition(start)
    _, _, tail = rest.partition(end)
    DOCS_PAGE.write_text(f"{head}{start}\n{report}\n{end}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="seconds, not minutes (CI)")
    parser.add_argument("--chart", type=Path, help="write a PNG chart here")
    parser.add_argument("--json", type=Path, help="write the raw results here")
    parser.add_argument("--write-docs", action="store_true", help="update docs/performance.md")
    args = parser.parse_args(argv)

    check_agreement()
    results = time_operations(args.quick)
    runs = 1 if args.quick else 5
    ours_import, imported = import_seconds("purecloud_internal_message", runs)
    sdk_import, _ = import_seconds("PureCloudPlatformClientV2", 1 if args.quick else 3)
    imports = {"ours": ours_import, "sdk": sdk_import}
    typical = PAYLOADS["typical"]
    count = 200 if args.quick else 2_000
    memory = {
        "ours": memory_per_record(lambda: InternalMessage.from_dict(typical), count),
        "sdk": memory_per_record(lambda: _sdk_from_data(typical, "InternalMessage"), count // 4),
        "pydantic": memory_per_record(
            lambda: peers.PydanticInternalMessage.model_validate(typical), count
        ),
        "msgspec": memory_per_record(
            lambda: msgspec.convert(typical, peers.StructInternalMessage), count
        ),
    }
    growth = per_message_growth(args.quick)

    lines = [
        f"Machine: {machine()}",
        "",
        table(results),
        "",
        f"Import: ours {_fmt(imports['ours'])}, SDK {_fmt(imports['sdk'])} "
        f"(dateutil imported: {'dateutil' in imported}).",
        "Memory per typical record: "
        + ", ".join(f"{library} {memory[library]:,.0f} B" for library in LIBRARIES)
        + ".",
        "Marginal decode cost per message, 10,000 vs 10 messages: "
        + ", ".join(f"{library} {growth[library]:.2f}x" for library in LIBRARIES)
        + ("" if not args.quick else " (quick mode: 1,000 messages)")
        + ".",
        "",
        "| target (typical record) | measured | limit | |",
        "|---|---|---|---|",
    ]
    for name, value, limit, met in targets(results, imports, memory, growth):
        lines.append(f"| {name} | {value:.3g} | {limit:.3g} | {'PASS' if met else 'MISS'} |")
    report = "\n".join(lines)
    print(report)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"results": results, "imports": imports, "memory": memory, "growth": growth},
                indent=2,
            )
        )
    if args.chart:
        chart(results, args.chart)
    if args.write_docs:
        write_docs(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
