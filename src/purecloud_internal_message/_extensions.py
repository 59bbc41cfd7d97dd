"""Whether compiled speedups may be used: one switch for all of them.

The package runs entirely in Python when ``PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS``
is set to any non-empty value, or on an interpreter other than CPython (the
compiled codecs use CPython's C API). Otherwise it uses its compiled codecs and,
when installed, a compiled JSON parser and writer (the ``fast`` extra), falling
back to pure Python for whatever is missing. Both paths give identical results.
"""

from __future__ import annotations

import os
import sys

__all__ = ["ENV_VAR", "extensions_allowed"]

#: The environment variable that forces the pure-Python path.
ENV_VAR = "PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS"


def extensions_allowed() -> bool:
    """False when the environment or the interpreter rules compiled speedups out."""
    return not os.environ.get(ENV_VAR) and sys.implementation.name == "cpython"
