"""The value-end scanner in use: compiled (`_scan_c`) or pure Python (`_scan_py`).

The compiled one is used unless ``PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS`` is
set, the interpreter is not CPython, or it was not built (it is optional at
build time); both give the same results. Everything else takes the scanner's
functions from here, and its statuses (plain numbers, the same in both) from
`_scan_py`.
"""

from __future__ import annotations

from . import _scan_py
from ._extensions import extensions_allowed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._scan_py import (
        Records,
        chars,
        elements,
        members,
        read_into,
        record_end,
        skip_ws,
        utf8_prefix,
        value_end,
    )

__all__ = [
    "COMPILED",
    "Records",
    "chars",
    "elements",
    "members",
    "read_into",
    "record_end",
    "skip_ws",
    "utf8_prefix",
    "value_end",
]


def _select() -> Any:  # a module; the compiled one has no stub
    if extensions_allowed():
        try:
            from . import _scan_c
        except ImportError:  # built without a compiler, or not for this interpreter
            pass
        else:
            return _scan_c
    return _scan_py


_IMPLEMENTATION = _select()

#: Whether the compiled scanner is the one in use.
COMPILED: bool = _IMPLEMENTATION is not _scan_py

if not TYPE_CHECKING:
    elements = _IMPLEMENTATION.elements
    Records = _IMPLEMENTATION.Records
    record_end = _IMPLEMENTATION.record_end
    read_into = _IMPLEMENTATION.read_into
    members = _IMPLEMENTATION.members
    skip_ws = _IMPLEMENTATION.skip_ws
    value_end = _IMPLEMENTATION.value_end
    chars = _IMPLEMENTATION.chars
    utf8_prefix = _IMPLEMENTATION.utf8_prefix
