"""Run the fuzz targets for a bounded time, on the compiled and the pure-Python codecs.

    python fuzz/run.py --seconds 48              # every target, both paths (CI's run)
    python fuzz/run.py --minutes 30 --path pure --target from_json,roundtrip

The time given is the total, shared evenly by every (target, path) run. Each run
is a separate process (``fuzz_one.py`` under atheris/libFuzzer), seeded from
``fuzz/corpus/<target>/``; the pure path sets ``PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS=1``
and the compiled path checks that the compiled codecs are really in use. An input
that makes a target fail (an escaped exception, a broken promise, a crash in C, a
timeout, running out of memory) is written to the findings folder, and the exit
status is 1. The summary gives each run's executions. See docs/fuzzing.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = ("from_json", "from_dict", "cli", "roundtrip")
#: Targets that fail at once, to check run.py itself (tests/test_fuzz_harness.py).
CANARIES = ("canary_exception", "canary_crash")
PATHS = ("compiled", "pure")
ENV_VAR = "PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    time_limit = parser.add_mutually_exclusive_group()
    time_limit.add_argument("--seconds", type=float, help="total time (default 60)")
    time_limit.add_argument("--minutes", type=float, help="total time in minutes")
    parser.add_argument(
        "--target", default="all", help=f"comma-separated, from {', '.join(TARGETS)} (default all)"
    )
    parser.add_argument("--path", choices=(*PATHS, "both"), default="both")
    parser.add_argument(
        "--findings",
        type=Path,
        default=HERE / "findings",
        help="where failing inputs are written (default fuzz/findings, not committed)",
    )
    parser.add_argument(
        "--corpus-out",
        type=Path,
        help="keep the corpus each run grows here (<dir>/<target>-<path>); default: discarded",
    )
    parser.add_argument(
        "--python", default=sys.executable, help="the interpreter (another venv's build)"
    )
    parser.add_argument(
        "--asan",
        action="store_true",
        help="preload atheris's AddressSanitizer runtime (an extension built with ASan)",
    )
    parser.add_argument("--max-len", type=int, default=16384, help="largest input in bytes")
    parser.add_argument("--timeout", type=int, default=60, help="seconds one input may take")
    parser.add_argument("--jobs", type=int, default=1, help="runs at the same time")
    args = parser.parse_args(argv)
    if args.minutes is not None:
        args.seconds = args.minutes * 60
    elif args.seconds is None:
        args.seconds = 60.0
    targets = TARGETS if args.target == "all" else tuple(args.target.split(","))
    unknown = [name for name in targets if name not in TARGETS + CANARIES]
    if unknown:
        parser.error(f"unknown target {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    args.targets = targets
    args.paths = PATHS if args.path == "both" else (args.path,)
    return args


def environment(path: str, asan: bool, python: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop(ENV_VAR, None)
    if path == "pure":
        env[ENV_VAR] = "1"
    if asan:
        library = subprocess.run(
            [python, "-c", "import atheris; print(atheris.path())"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        env["LD_PRELOAD"] = os.path.join(library, "asan_with_fuzzer.so")
        # CPython's allocations are never all freed at exit: leaks are not findings.
        env["ASAN_OPTIONS"] = "detect_leaks=0:allocator_may_return_null=1"
    return env


def check_path(python: str, path: str, env: dict[str, str]) -> None:
    """The compiled path must really run the compiled codecs (not fall back quietly)."""
    found = subprocess.run([python, "-c", "import atheris"], check=False, capture_output=True)
    if found.returncode:
        sys.exit(f'run.py: atheris is not installed for {python}: pip install -e ".[fuzz]"')
    result = subprocess.run(
        [python, "-c", "import purecloud_internal_message as p; print(p.ACCELERATED)"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    accelerated = result.stdout.strip()
    wanted = "True" if path == "compiled" else "False"
    if accelerated != wanted:
        sys.exit(
            f"run.py: the {path} path is not available: ACCELERATED is {accelerated or '?'}"
            f" ({result.stderr.strip()[-300:]})"
        )


class Run:
    """One target on one path: a fuzz_one.py process and what it reported."""

    def __init__(self, target: str, path: str, seconds: int, args: argparse.Namespace) -> None:
        self.target, self.path, self.seconds = target, path, seconds
        self.work = Path(tempfile.mkdtemp(prefix=f"pim-fuzz-{target}-{path}-"))
        self.log = self.work / "fuzz.log"
        self.corpus = self.work / "corpus"
        if args.corpus_out is not None:
            self.corpus = args.corpus_out / f"{target}-{path}"
        self.corpus.mkdir(parents=True, exist_ok=True)
        self.prefix = args.findings / f"{target}-{path}-"
        self.env = environment(path, args.asan, args.python)
        seeds = HERE / "corpus" / target
        self.command = [
            args.python,
            str(HERE / "fuzz_one.py"),
            target,
            f"-max_total_time={seconds}",
            f"-timeout={args.timeout}",
            # An input slower than this is written as slow-unit-*: only timeouts count.
            f"-report_slow_units={args.timeout}",
            f"-max_len={args.max_len}",
            "-rss_limit_mb=4096",
            "-print_final_stats=1",
            f"-artifact_prefix={self.prefix}",
            str(self.corpus),  # grown here (libFuzzer writes to the first folder)
        ]
        if seeds.is_dir():
            self.command.append(str(seeds))
        self.process: subprocess.Popen[bytes] | None = None
        self.status: int | None = None
        self.started = 0.0
        self.elapsed = 0.0

    def start(self) -> None:
        self.started = time.monotonic()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=HERE
            )

    def wait(self) -> None:
        assert self.process is not None
        self.status = self.process.wait()
        self.elapsed = time.monotonic() - self.started

    def executions(self) -> int | None:
        text = self.log.read_text(errors="replace")
        found = re.findall(r"stat::number_of_executed_units: (\d+)", text)
        if not found:
            found = re.findall(r"^#(\d+)\s", text, re.MULTILINE)
        return int(found[-1]) if found else None

    def report(self) -> str:
        text = self.log.read_text(errors="replace")
        start = text.find("=== Uncaught Python exception")
        if start < 0:
            start = text.find("==ERROR")
        if start < 0:
            start = max(0, len(text) - 3000)
        return text[start : start + 4000]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.findings = args.findings.resolve()  # the runs work in fuzz/
    if args.corpus_out is not None:
        args.corpus_out = args.corpus_out.resolve()
    args.findings.mkdir(parents=True, exist_ok=True)
    before = set(args.findings.iterdir())
    for path in args.paths:
        check_path(args.python, path, environment(path, args.asan, args.python))
    pairs = [(target, path) for path in args.paths for target in args.targets]
    each = max(1, int(args.seconds * max(1, args.jobs) / len(pairs)))
    runs = [Run(target, path, each, args) for target, path in pairs]
    print(
        f"fuzzing {len(runs)} run(s) of {each} s: {', '.join(args.targets)} on"
        f" {' and '.join(args.paths)} ({args.python})",
        flush=True,
    )
    pending = list(runs)
    active: list[Run] = []
    while pending or active:
        while pending and len(active) < max(1, args.jobs):
            run = pending.pop(0)
            run.start()
            active.append(run)
        active[0].wait()
        done = active.pop(0)
        executions = done.executions()
        verdict = "ok" if done.status == 0 else f"FAILED (exit {done.status})"
        print(
            f"  {done.target:<10} {done.path:<8} {done.elapsed:7.1f} s"
            f" {executions if executions is not None else '?':>10} executions  {verdict}",
            flush=True,
        )
        if done.status != 0:
            print(f"---- {done.log}\n{done.report()}\n----", flush=True)
    found = sorted(
        item
        for item in set(args.findings.iterdir()) - before
        if not item.name.startswith(tuple(f"{t}-{p}-slow-unit-" for t, p in pairs))
    )
    total = sum(run.executions() or 0 for run in runs)
    failed = [run for run in runs if run.status != 0]
    for run in runs:
        if run.status == 0 and args.corpus_out is None:
            shutil.rmtree(run.work, ignore_errors=True)
    print(f"{total} executions in all; {len(failed)} failed run(s), {len(found)} finding(s)")
    for item in found:
        print(f"  {item}  (replay: python fuzz/fuzz_one.py TARGET {item})")
    return 1 if failed or found else 0


if __name__ == "__main__":
    sys.exit(main())
