"""Build the optional compiled codecs; everything else is declared in pyproject.toml.

``src/purecloud_internal_message/_codecs_c.pyx`` is generated from the models'
field tables (``scripts/gen_codecs.py``). Here Cython turns it into C (under
``build/cython``, never committed) and the extension is marked optional: when no
C compiler works, setuptools prints a warning and the package installs in pure
Python, which gives identical results. Nothing is compiled on an interpreter
other than CPython, or when ``PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS`` is set.
"""

from __future__ import annotations

import os
import platform
import sys

from setuptools import Extension, setup

NO_EXTENSIONS = "PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS"


def extensions() -> list[Extension]:
    """The compiled codecs, unless ruled out (then none: the pure-Python package)."""
    if os.environ.get(NO_EXTENSIONS):
        print(f"{NO_EXTENSIONS} is set: building the pure-Python package only", file=sys.stderr)
        return []
    if platform.python_implementation() != "CPython":
        return []
    from Cython.Build import cythonize

    extension = Extension(
        "purecloud_internal_message._codecs_c",
        ["src/purecloud_internal_message/_codecs_c.pyx"],
        optional=True,  # a compiler failure is a warning: the pure-Python package still installs
        # No debug information: it would make the module five times larger.
        extra_compile_args=[] if os.name == "nt" else ["-g0"],
    )
    # The value-end scanner of the document walker: C in _scan_c.h, its face in _scan_c.pyx.
    scanner = Extension(
        "purecloud_internal_message._scan_c",
        ["src/purecloud_internal_message/_scan_c.pyx"],
        include_dirs=["src/purecloud_internal_message"],
        depends=["src/purecloud_internal_message/_scan_c.h"],
        optional=True,
        extra_compile_args=extension.extra_compile_args,
    )
    built = cythonize([extension, scanner], build_dir="build/cython", quiet=True)
    for module in built:
        module.optional = True
    return built


setup(ext_modules=extensions())
