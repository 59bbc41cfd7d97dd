"""Run one fuzz target under atheris (libFuzzer).

    python fuzz/fuzz_one.py TARGET [libFuzzer options] [corpus folders or files]

Usually started by ``fuzz/run.py``, which picks the codecs (compiled or pure
Python, through ``PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS``), the seed corpus,
the time and where findings go. Given files instead of folders, libFuzzer runs
each once: how to replay a finding.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
import sys

import atheris

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

with atheris.instrument_imports(include=["purecloud_internal_message"]):
    import purecloud_internal_message

    # Every module now, so that all of them are instrumented (most load lazily).
    for module in pkgutil.iter_modules(purecloud_internal_message.__path__):
        if module.name in ("__main__", "dask", "spark"):  # runs the CLI; heavy imports, not fuzzed
            continue
        # An optional extra may be missing (pyarrow): then that module is not fuzzed.
        with contextlib.suppress(ImportError):
            importlib.import_module(f"purecloud_internal_message.{module.name}")

import targets


def main() -> None:
    every = {**targets.TARGETS, **targets.CANARIES}
    if len(sys.argv) < 2 or sys.argv[1] not in every:
        sys.exit(f"usage: fuzz_one.py {{{','.join(targets.TARGETS)}}} [libFuzzer options]")
    target = every[sys.argv[1]]
    accelerated = purecloud_internal_message.ACCELERATED
    print(f"fuzz_one: {sys.argv[1]}, compiled codecs: {accelerated}", file=sys.stderr, flush=True)
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
