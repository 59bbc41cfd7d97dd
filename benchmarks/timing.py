"""How the benchmark measures, on a shared machine.

The machine the figures come from has two cores that other people's test runs
use at the same time. So:

- in-process timings are CPU time of the measuring thread (``time.thread_time``):
  the time other processes hold the CPU is not counted, as it would be in
  wall-clock time, nor is the work of other threads: the SDK's ``ApiClient``
  starts a file watcher on the home directory (recursively), whose thread wakes
  whenever anyone's pip writes to ``~/.cache``, and ``time.process_time`` would
  count that too;
- the libraries compared in one row are sampled in turn, round after round, so
  that a busy minute slows all of them rather than one;
- each sample is a loop of calls lasting about ``budget`` seconds, and the
  figure is the fastest sample (``min``: the run least disturbed) or, where the
  garbage collector's occasional work is part of what is measured, the median;
- a child process (the command line, a 10-line script) is timed by its own
  user + system CPU time and peak resident memory, read with ``os.wait4`` by a
  small launcher (see ``run_child``), and the figure is its least CPU time of
  the runs made.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

clock = time.thread_time


class CollectorClock:
    """CPU time spent in the garbage collector, from ``gc.callbacks``.

    The benchmark's processes register one (a callback costs well under a
    microsecond per collection, for every library alike), so each figure can say
    how much of it was the collector's.
    """

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = clock()
        else:
            self.seconds += clock() - self._start
            self.collections[info["generation"]] += 1


COLLECTOR = CollectorClock()
gc.callbacks.append(COLLECTOR)


def loops_for(function: Callable[[], object], budget: float) -> int:
    """How many calls of ``function`` fill about ``budget`` seconds of CPU."""
    loops = 1
    while True:
        start = clock()
        for _ in range(loops):
            function()
        elapsed = clock() - start
        if elapsed >= budget / 4 or loops >= 1_000_000:
            break
        loops *= 4
    return max(1, round(loops * budget / max(elapsed, 1e-9)))


def sample(function: Callable[[], object], loops: int) -> tuple[float, float]:
    """CPU seconds per call over ``loops`` calls, and how much of it the collector took."""
    collector = COLLECTOR.seconds
    start = clock()
    for _ in range(loops):
        function()
    return (clock() - start) / loops, (COLLECTOR.seconds - collector) / loops


@dataclass
class Timing:
    """Seconds per call: the fastest sample, the median, how many samples, and the
    collector's share of the median sample."""

    best: float
    median: float
    samples: int
    collector: float

    def as_dict(self) -> dict[str, float]:
        """For --json."""
        return {
            "best": self.best,
            "median": self.median,
            "samples": self.samples,
            "collector": self.collector,
        }


def compare(
    functions: Mapping[str, Callable[[], object]], budget: float, rounds: int
) -> dict[str, Timing]:
    """Time each function, sampling them in turn for ``rounds`` rounds."""
    loops = {name: loops_for(function, budget) for name, function in functions.items()}
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            samples[name].append(sample(function, loops[name]))
    timings = {}
    for name, values in samples.items():
        ordered = sorted(values)
        middle = ordered[len(ordered) // 2]  # the median sample (upper, for an even count)
        timings[name] = Timing(
            ordered[0][0], statistics.median(v[0] for v in values), len(values), middle[1]
        )
    return timings


def marginal_growth(
    decode: Callable[[Any], object],
    make: Callable[[int], Any],
    counts: tuple[int, int],
    budget: float,
) -> dict[str, Any]:
    """How the marginal cost of one more item grows from ``counts[0]`` to ``counts[1]`` items.

    ``make(n)`` builds an input with n items. The marginal cost at the small
    count is the difference of two close timings, so it uses fastest samples
    (of seven); the collector's share is read from the median samples, and the
    ratio is also given with the collector's time taken out.
    """
    sizes = (0, *counts)
    inputs = {n: make(n) for n in sizes}
    timings = compare(
        {str(n): (lambda data=data: decode(data)) for n, data in inputs.items()}, budget, 7
    )
    best = [(timings[str(n)].best - timings["0"].best) / n for n in counts]
    own = [t.median - t.collector for t in (timings[str(n)] for n in sizes)]
    without = [(own[i + 1] - own[0]) / n for i, n in enumerate(counts)]
    return {
        "counts": counts,
        "ratio": best[1] / best[0],
        "marginal": best,
        "ratio_without_collector": without[1] / without[0],
        "collector_per_item": timings[str(counts[1])].collector / counts[1],
    }


def import_seconds(module: str, runs: int, warm: bool = True) -> tuple[float, list[str]]:
    """Least cumulative import time of ``module`` in a fresh interpreter, and what it imported.

    As installed packages are used: with their bytecode cached (without a cache
    every module is compiled at every import, which is not what users see). A
    first run writes the cache unless ``warm`` is False.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-X", "importtime", "-c", f"import {module}"]
    if warm:
        subprocess.run(command, capture_output=True, check=True, env=env)
    samples = []
    imported: list[str] = []
    for _ in range(runs):
        out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stderr
        rows = [line.split("|") for line in out.splitlines() if line.startswith("import time:")]
        rows = [row for row in rows if len(row) == 3 and row[1].strip().isdigit()]
        imported = [row[2].strip() for row in rows]
        total = next(int(row[1]) for row in reversed(rows) if row[2].strip() == module)
        samples.append(total / 1e6)
    return min(samples), imported


@dataclass
class ChildRun:
    """One child process: its CPU and wall seconds, peak resident memory, exit status."""

    cpu: float
    wall: float
    max_rss: int  # bytes
    status: int

    def as_dict(self) -> dict[str, float]:
        """For --json."""
        return {"cpu": self.cpu, "wall": self.wall, "max_rss": self.max_rss, "status": self.status}


# A small launcher between this process and the measured one. Linux counts the
# memory a process had before it called exec into its peak resident size, and a
# child forked from this process (which may hold the SDK's 250 MB) starts with
# all of it; forked from a bare interpreter (about 10 MB), the measured
# program's own peak is what shows.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    log = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


def run_child(
    command: Sequence[str], env: Mapping[str, str] | None = None, log: str | None = None
) -> ChildRun:
    """Run ``command`` and measure it alone, through the launcher; its output (standard
    output and error) goes to the file ``log``, or is discarded."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-S", "-c", _LAUNCHER, log or os.devnull, *command],
        capture_output=True,
        text=True,
        check=True,
        env=dict(env) if env is not None else None,
    )
    wall = time.perf_counter() - start
    status, cpu, max_rss = out.stdout.split()
    return ChildRun(
        cpu=float(cpu),
        wall=wall,
        max_rss=int(max_rss) * 1024,  # kilobytes on Linux
        status=int(status),
    )


def best_child(
    commands: Mapping[str, Sequence[str]], repeats: int, env: Mapping[str, str] | None = None
) -> dict[str, ChildRun]:
    """Run each command ``repeats`` times in turn; keep each one's fastest (by CPU) run."""
    best: dict[str, ChildRun] = {}
    for _ in range(repeats):
        for name, command in commands.items():
            run = run_child(command, env)
            if run.status != 0:
                raise SystemExit(f"{name}: {' '.join(command)} exited with status {run.status}")
            if name not in best or run.cpu < best[name].cpu:
                best[name] = run
    return best
