"""The measuring part of the benchmark, for one of the package's two paths.

``bench.py`` runs this script once per path in a child process: with
``PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS=1`` for the pure-Python path, and
without it for the accelerated one when that is built. It prints its results
as JSON on standard output. Every comparison with a peer is made here, in one
process, so both sides of a ratio ran under the same conditions.

    python benchmarks/measure.py --files FILES.json [--quick]   # FILES.json: written by bench.py
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import msgspec
import PureCloudPlatformClientV2 as sdk

import peers
import purecloud_internal_message as package
from payloads import payload, with_unknown_fields
from purecloud_internal_message import InternalMessage, Model, collector_paused, fields
from timing import best_child, clock, compare, import_seconds, marginal_growth, run_child

HERE = Path(__file__).resolve().parent
#: The operations the A/A rows time twice each (see noise_floor).
NOISE_OPERATIONS = ("from_dict", "from_json", "to_dict", "to_api_dict")
Pydantic: Any = peers.PydanticInternalMessage
Struct: Any = peers.StructInternalMessage


PREVIOUS = peers.previous_package()


def log(message: str) -> None:
    """Progress, on standard error (standard output is the JSON result)."""
    path = os.environ.get("BENCH_PATH", "?")
    print(f"  [{path}, {clock():.1f} s CPU] {message}", file=sys.stderr, flush=True)


# -- the SDK's entry points ----------------------------------------------------


class _Response:
    """Just enough of a REST response for ``ApiClient.deserialize``."""

    def __init__(self, text: str) -> None:
        self.data = text

    def getheader(self, name: str) -> str | None:
        return "application/json" if name == "Content-Type" else None


_CLIENT = sdk.ApiClient()
_sdk_from_data = _CLIENT._ApiClient__deserialize  # type: ignore[attr-defined]


def sdk_from_dict(data: dict[str, Any]) -> Any:
    """The SDK's decoder, as it runs on every API response."""
    return _sdk_from_data(data, "InternalMessage")


def construct(cls: type[Model], values: dict[str, Any]) -> Model:
    """Build a model with its keyword constructor from a ``to_dict()``-form dict."""
    arguments: dict[str, Any] = {}
    for spec in fields(cls):
        value = values.get(spec.name)
        if value is not None and spec.kind == "model":
            value = construct(spec.model, value)  # type: ignore[arg-type]
        elif value is not None and spec.kind == "list":
            value = [construct(spec.model, item) for item in value]  # type: ignore[arg-type]
        arguments[spec.name] = value
    return cls(**arguments)


# -- agreement: the libraries must read the data alike ----------------------------


def _plain(value: Any) -> bool:
    """Whether ``value`` is dicts, lists, strings, numbers, datetimes and None only."""
    if isinstance(value, dict):
        return all(isinstance(key, str) and _plain(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    return value is None or isinstance(value, (str, int, float, datetime))


def check_agreement(payloads: dict[str, dict[str, Any]]) -> None:
    """Stop if the libraries disagree about the data being timed."""
    for name, data in payloads.items():
        ours = InternalMessage.from_dict(data)
        if ours.to_api_dict() != data:
            raise SystemExit(f"{name}: to_api_dict() does not give the payload back")
        sdk_dict = sdk_from_dict(data).to_dict()
        if ours.to_dict() != sdk_dict:
            raise SystemExit(f"{name}: to_dict() differs from the SDK's")
        if InternalMessage.from_json(json.dumps(data)) != ours:
            raise SystemExit(f"{name}: from_json() and from_dict() differ")
        for label, other in (
            ("built by the constructor", construct(InternalMessage, sdk_dict)),
            ("decoded from the SDK's to_dict()", InternalMessage.from_dict(sdk_dict)),
        ):
            if other.to_api_json() != ours.to_api_json():
                raise SystemExit(f"{name}: a record {label} writes other API JSON")
        dumped = Pydantic.model_validate(data).model_dump(
            by_alias=True, mode="json", exclude_none=True
        )
        if InternalMessage.from_dict(dumped) != ours:
            raise SystemExit(f"{name}: the pydantic peer reads the payload differently")
        if InternalMessage.from_dict(msgspec.to_builtins(msgspec.convert(data, Struct))) != ours:
            raise SystemExit(f"{name}: the msgspec peer reads the payload differently")
        for operation in (
            "to_dict",
            "to_api_dict",
        ):  # each peer's result is plain data, all the way down
            for library, function in operations(data)[operation].items():
                if not _plain(function()):
                    raise SystemExit(f"{name}: {library}'s {operation} leaves objects inside")
    unknown = with_unknown_fields(payload(3, 10))
    if InternalMessage.from_dict(unknown).to_api_dict() != unknown:
        raise SystemExit("the unknown fields are not all kept")


# -- operations, side by side -------------------------------------------------------


def operations(data: dict[str, Any]) -> dict[str, dict[str, Callable[[], object]]]:
    """For each operation, a zero-argument callable per library (absent: not offered)."""
    text = json.dumps(data)
    ours = InternalMessage.from_dict(data)
    theirs = sdk_from_dict(data)
    built = construct(InternalMessage, theirs.to_dict())
    from_sdk_form = InternalMessage.from_dict(theirs.to_dict())
    pyd = Pydantic.model_validate(data)
    struct = msgspec.convert(data, Struct)
    response = _Response(text)
    pydantic_json = lambda: pyd.model_dump_json(by_alias=True, exclude_none=True)  # noqa: E731
    msgspec_json = lambda: msgspec.json.encode(struct)  # noqa: E731
    table = {
        "from_dict": {
            "ours": lambda: InternalMessage.from_dict(data),
            "sdk": lambda: sdk_from_dict(data),
            "pydantic": lambda: Pydantic.model_validate(data),
            "msgspec": lambda: msgspec.convert(data, Struct),
        },
        "from_json": {
            "ours": lambda: InternalMessage.from_json(text),
            "sdk": lambda: _CLIENT.deserialize(response, "InternalMessage"),
            "pydantic": lambda: Pydantic.model_validate_json(text),
            "msgspec": lambda: msgspec.json.decode(text, type=Struct),
        },
        "to_dict": {  # every peer deep: nested models become dicts too
            "ours": ours.to_dict,
            "sdk": theirs.to_dict,
            "pydantic": pyd.model_dump,
            "msgspec": lambda: msgspec.to_builtins(struct, builtin_types=(datetime,)),
        },
        "to_api_dict": {
            "ours": ours.to_api_dict,
            "pydantic": lambda: pyd.model_dump(by_alias=True, mode="json", exclude_none=True),
            "msgspec": lambda: msgspec.to_builtins(struct),
        },
        "to_api_json": {  # decoded from API JSON: the timestamps' text is kept
            "ours": ours.to_api_json,
            "sdk": theirs.to_json,  # the SDK has only its own JSON form
            "pydantic": pydantic_json,
            "msgspec": msgspec_json,
        },
        "to_api_json, built by constructor": {
            "ours": built.to_api_json,
            "pydantic": pydantic_json,
            "msgspec": msgspec_json,
        },
        "to_api_json, from SDK to_dict()": {
            "ours": from_sdk_form.to_api_json,
            "pydantic": pydantic_json,
            "msgspec": msgspec_json,
        },
    }
    if PREVIOUS is not None:  # the previous figures' package, measured now
        old_class = PREVIOUS.InternalMessage
        old = old_class.from_dict(data)
        table["from_dict"]["before"] = lambda: old_class.from_dict(data)
        table["from_json"]["before"] = lambda: old_class.from_json(text)
        table["to_dict"]["before"] = old.to_dict
        table["to_api_dict"]["before"] = old.to_api_dict
        table["to_api_json"]["before"] = old.to_api_json
    return table


def settle(quick: bool) -> None:
    """A full collection before a measurement, so none is pending from the last one.

    Left out in quick mode: this process's heap (the SDK's) makes each take ~0.1 s.
    """
    if not quick:
        gc.collect()


def time_operations(quick: bool) -> dict[str, dict[str, dict[str, Any]]]:
    """{payload: {operation: {library: timing}}}, each row's libraries sampled in turn."""
    budget, rounds = (0.003, 3) if quick else (0.05, 9)
    results: dict[str, dict[str, dict[str, Any]]] = {}
    for name, data in (("small", payload(1, 1)), ("typical", payload(3, 10))):
        results[name] = {}
        for operation, functions in operations(data).items():
            settle(quick)
            timings = compare(functions, budget, rounds)
            results[name][operation] = {lib: t.as_dict() for lib, t in timings.items()}
    return results


def time_unknown_fields(quick: bool) -> dict[str, Any]:
    """from_dict of the typical record with and without unknown fields at three levels."""
    plain = payload(3, 10)
    unknown = with_unknown_fields(plain)
    budget, rounds = (0.005, 5) if quick else (0.05, 15)
    timings = compare(
        {
            "ours, plain": lambda: InternalMessage.from_dict(plain),
            "ours, unknown": lambda: InternalMessage.from_dict(unknown),
            "pydantic, plain": lambda: Pydantic.model_validate(plain),
            "pydantic, unknown": lambda: Pydantic.model_validate(unknown),
        },
        budget,
        rounds,
    )
    return {name: t.as_dict() for name, t in timings.items()}


def noise_floor(quick: bool) -> dict[str, Any]:
    """A/A: each of two functions timed as if it were two libraries, so ideally a ratio of 1.

    How far these ratios stray from 1 is the resolution of the method on this
    machine, in this run.
    """
    functions = {
        name: table["ours"]
        for name, table in operations(payload(3, 10)).items()
        if name in NOISE_OPERATIONS
    }
    budget, rounds = (0.003, 3) if quick else (0.05, 9)
    timings = compare(
        {f"{name} {copy}": function for name, function in functions.items() for copy in "AB"},
        budget,
        rounds,
    )
    return {name: t.as_dict() for name, t in timings.items()}


def time_large_record(quick: bool) -> dict[str, Any]:
    """The five operations on a 10,000-message record, with the collector on and paused.

    What the old "large payload" rows really measured: the garbage collector's
    work during one long call. This process holds the SDK's ~270,000 objects,
    which every full collection scans. Medians: collections are part of the cost.
    The SDK is left out (a quarter of a second per decode).
    """
    data = payload(3, 1_000 if quick else 10_000)
    budget, rounds = (0.004, 3) if quick else (0.2, 5)
    results: dict[str, Any] = {"messages": len(data["messages"]), "tracked": len(gc.get_objects())}
    for operation, all_functions in operations(data).items():
        if "," in operation:  # the variants of to_api_json belong to the typical record
            continue
        functions = {lib: f for lib, f in all_functions.items() if lib != "sdk"}
        paused_functions = {lib: f for lib, f in functions.items() if lib != "before"}
        settle(quick)
        on = compare(functions, budget, rounds)
        with collector_paused():  # (before paused it inside each decode anyway)
            paused = compare(paused_functions, budget, rounds)
        results[operation] = {
            "on": {lib: t.as_dict() for lib, t in on.items()},
            "paused": {lib: t.as_dict() for lib, t in paused.items()},
        }
    return results


def per_message_growth(quick: bool) -> dict[str, Any]:
    """Marginal decode cost per message at 10,000 messages over that at 10, collector on.

    In this process (which holds the SDK's heap) for every library, and in a
    fresh interpreter for this package and the peers that import quickly.
    """
    counts = (10, 1_000) if quick else (10, 10_000)
    decoders: dict[str, Callable[[dict[str, Any]], object]] = {
        "ours": InternalMessage.from_dict,
        "sdk": sdk_from_dict,
        "pydantic": Pydantic.model_validate,
        "msgspec": lambda data: msgspec.convert(data, Struct),
    }
    budget = 0.01 if quick else 0.2
    growth: dict[str, Any] = {"counts": counts, "here": {}, "fresh": {}}
    for library, decode in decoders.items():
        settle(quick)
        growth["here"][library] = marginal_growth(decode, lambda n: payload(3, n), counts, budget)
    for library in ("ours", "pydantic", "msgspec"):
        growth["fresh"][library] = worker("growth", library, int(quick))
    return growth


# -- memory ------------------------------------------------------------------------------


def memory_per_record(decode: Callable[[], object], count: int) -> float:
    """Bytes held per decoded record (tracemalloc; the records kept alive)."""
    decode()  # first-call work (lazy imports, caches) is not per-record memory
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [decode() for _ in range(count)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return (after - before) / count


def memory(quick: bool) -> dict[str, dict[str, float]]:
    """Per typical record: decoded from a dict (its strings shared with the dict)
    and from JSON text (the record owns its strings)."""
    data = payload(3, 10)
    text = json.dumps(data)
    response = _Response(text)
    count = 100 if quick else 2_000
    gc.collect()  # no garbage left over whose collection mid-measurement would count
    return {
        "dict": {
            "ours": memory_per_record(lambda: InternalMessage.from_dict(data), count),
            "sdk": memory_per_record(lambda: sdk_from_dict(data), count // 2),
            "pydantic": memory_per_record(lambda: Pydantic.model_validate(data), count),
            "msgspec": memory_per_record(lambda: msgspec.convert(data, Struct), count),
        },
        "json": {
            "ours": memory_per_record(lambda: InternalMessage.from_json(text), count),
            "sdk": memory_per_record(
                lambda: _CLIENT.deserialize(response, "InternalMessage"), count // 2
            ),
            "pydantic": memory_per_record(lambda: Pydantic.model_validate_json(text), count),
            "msgspec": memory_per_record(lambda: msgspec.json.decode(text, type=Struct), count),
        },
    }


# -- fresh processes: the collector, sizes, the command line -------------------------------


def worker(*arguments: object) -> Any:
    """Run worker.py in a fresh interpreter (this path's environment) and read its JSON."""
    command = [sys.executable, str(HERE / "worker.py"), *map(str, arguments)]
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def collector(quick: bool) -> dict[str, Any]:
    """Decoding typical records kept in a list and streamed, collector on and paused.

    Each (library, situation, mode) runs in a fresh interpreter that imports
    only that library (and this package, whose field tables build the peers),
    so no other heap is scanned; the figure is the least CPU time of
    ``repeats`` runs. Quick mode runs a library's four cases in one interpreter.
    """
    count = 2_000 if quick else 100_000
    repeats = 1 if quick else 3
    cases = [
        f"{situation},{mode}" for situation in ("kept", "streamed") for mode in ("on", "paused")
    ]
    libraries = ["ours", "pydantic", "msgspec"] + (["before"] if PREVIOUS is not None else [])
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {case: {} for case in cases}
    for _ in range(repeats):
        for library in libraries:
            for batch in [cases] if quick else [[case] for case in cases]:
                for case, run in zip(
                    batch, worker("collector", library, count, *batch), strict=True
                ):
                    runs[case].setdefault(library, []).append(run)
    results: dict[str, Any] = {"count": count}
    for case, row in runs.items():
        best = {
            library: min(values, key=lambda run: run["seconds"]) for library, values in row.items()
        }
        results[case.replace(",", ", ")] = {
            lib: run["seconds"] / count for lib, run in best.items()
        }
        results[case.replace(",", ", ") + ", collector"] = {
            lib: run["collector"] / count for lib, run in best.items()
        }
    return results


def sizes(quick: bool) -> dict[str, Any]:
    """A record with many segments, a record with a long string: time and peak memory at two sizes."""
    pairs = {
        "segments": (500, 5_000) if quick else (10_000, 100_000),
        "string": (500_000, 5_000_000) if quick else (5_000_000, 50_000_000),
    }
    return {
        kind: [worker("size", kind, size, 1 if quick else 3) for size in pair]
        for kind, pair in pairs.items()
    }


def command_line(files: dict[str, Any], quick: bool) -> dict[str, Any]:
    """The command line on JSON Lines files: against 10-line peer scripts, and by file size."""
    ours = shutil.which("purecloud-internal-message", path=str(Path(sys.executable).parent))
    ours_command = [ours] if ours else [sys.executable, "-m", "purecloud_internal_message"]
    tools = {
        "ours": [*ours_command, "validate"],
        "pydantic": [sys.executable, str(HERE / "validate_pydantic.py")],
        "msgspec": [sys.executable, str(HERE / "validate_msgspec.py")],
    }
    repeats = 1 if quick else 3
    versus: dict[str, Any] = {"lines": files["typical"]["lines"]}
    for label, key in (("file", "typical"), ("startup", "one")):
        runs = best_child(
            {name: [*command, files[key]["path"]] for name, command in tools.items()}, repeats
        )
        versus[label] = {name: run.as_dict() for name, run in runs.items()}
    growth = []
    for entry in files["current"]:
        log(f"validate on {entry['lines']:,} lines")
        run = run_child([*tools["ours"], entry["path"]])
        if run.status != 0:
            raise SystemExit(f"validate {entry['path']} exited with status {run.status}")
        growth.append({"lines": entry["lines"], "bytes": entry["bytes"], **run.as_dict()})
    floor = run_child(["true"]).max_rss  # the launcher's own peak, below which nothing shows
    return {"versus": versus, "by_size": growth, "rss_floor": floor}


def main() -> None:
    """Measure everything for the path this interpreter runs; print JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=Path, required=True, help="bench.py's files.json")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    files = json.loads(args.files.read_text())
    quick = args.quick

    from purecloud_internal_message import _jsontext

    result: dict[str, Any] = {
        "accelerated": package.ACCELERATED,
        "json_backend": _jsontext.JSON.backend.name,
        "tracked_objects": len(gc.get_objects()),
    }
    check_agreement({"small": payload(1, 1), "typical": payload(3, 10)})
    log("operations")
    result["operations"] = time_operations(quick)
    log("unknown fields, and the method's noise")
    result["unknown_fields"] = time_unknown_fields(quick)
    result["noise"] = noise_floor(quick)
    log("large record, collector on and paused")
    result["large_record"] = time_large_record(quick)
    log("per-message cost")
    result["growth"] = per_message_growth(quick)
    log("memory per record")
    result["memory"] = memory(quick)
    log("import time")
    seconds, imported = import_seconds("purecloud_internal_message", 3 if quick else 9)
    result["import"] = {"seconds": seconds, "dateutil": "dateutil" in imported}
    log("collector: kept and streamed records")
    result["collector"] = collector(quick)
    log("sizes: segments and strings")
    result["sizes"] = sizes(quick)
    log("command line")
    result["command_line"] = command_line(files, quick)
    result["cpu_seconds"] = clock()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
