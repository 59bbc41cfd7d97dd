"""Build the optional compiled codecs; everything else is declared in pyproject.toml.

``src/purecloud_internal_message/_codecs_c.pyx`` is generated from the models'
field tables (``scripts/gen_codecs.py``) and includes the hand-written C helpers
of ``_codecs_c_helpers.h`` beside it. Here Cython turns it into C (under
``build/cython``, never committed) and the extension is marked optional: when no
C compiler works, setuptools prints a warning and the package installs in pure
Python, which gives identical results. Nothing is compiled on an interpreter
other than CPython, or when ``PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS`` is set.

The compiler is given the digest of the files it compiles
(``_codegen/digest.py``): the module refuses to load when the written-out Python
codecs were generated from other ones.

With ``PURECLOUD_INTERNAL_MESSAGE_STRICT_BUILD=1`` the extension must build, with
warnings as errors (gcc or clang; ``STRICT_WARNINGS`` below). CI builds so on
every interpreter, for example:

    PURECLOUD_INTERNAL_MESSAGE_STRICT_BUILD=1 python -m pip install -e ".[test]"
"""

from __future__ import annotations

import os
import platform
import runpy
import sys
from pathlib import Path

from setuptools import Extension, setup

NO_EXTENSIONS = "PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS"
STRICT_BUILD = "PURECLOUD_INTERNAL_MESSAGE_STRICT_BUILD"
PACKAGE_DIR = Path("src") / "purecloud_internal_message"

# The warnings a strict build turns into errors. -Wall and -Wextra are the common
# set, plus the ones that catch C mistakes a header like ours can make; all of them
# are clean for Cython 3's output on CPython 3.10-3.13. Not included, because
# Cython's own output trips them (not our code): -Wshadow (its thread-state
# locals), -Wpedantic (function pointers cast to void * in its type slots),
# -Wconversion (its integer conversions).
STRICT_WARNINGS = [
    "-Wall",
    "-Wextra",
    "-Wundef",
    "-Wpointer-arith",
    "-Wvla",
    "-Wstrict-prototypes",
    "-Werror",
]


def extensions() -> list[Extension]:
    """The compiled codecs, unless ruled out (then none: the pure-Python package)."""
    if os.environ.get(NO_EXTENSIONS):
        print(f"{NO_EXTENSIONS} is set: building the pure-Python package only", file=sys.stderr)
        return []
    if platform.python_implementation() != "CPython":
        return []
    from Cython.Build import cythonize

    # Run by path: the package itself cannot be imported before it is built.
    digest = runpy.run_path(str(PACKAGE_DIR / "_codegen" / "digest.py"))
    strict = bool(os.environ.get(STRICT_BUILD))
    # No debug information: it would make the module five times larger.
    flags = [] if os.name == "nt" else ["-g0"]
    if strict:
        flags += STRICT_WARNINGS

    def extension(name: str, depends: tuple[str, ...]) -> Extension:
        return Extension(
            f"purecloud_internal_message.{name}",
            [str(PACKAGE_DIR / f"{name}.pyx")],
            depends=[str(PACKAGE_DIR / file) for file in depends],
            include_dirs=[str(PACKAGE_DIR)],
            # A bare token; the headers spell it as a string.
            define_macros=[("PIM_SOURCE_DIGEST", digest["files_digest"](PACKAGE_DIR))],
            # A compiler failure is a warning: the pure-Python package still installs.
            # Not so in a strict build, which exists to fail.
            optional=not strict,
            extra_compile_args=flags,
        )

    built = cythonize(
        [
            extension("_codecs_c", digest["HEADERS"]),
            # The value-end scanner of the document walker: C in _scan_c.h.
            extension("_scan_c", ("_scan_c.h", "_jsonbytes_c.h")),
        ],
        build_dir="build/cython",
        quiet=True,
    )
    for module in built:
        module.optional = not strict
    return built


setup(ext_modules=extensions())
