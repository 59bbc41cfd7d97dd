"""Command-line tools the tests run, found the way CI installs them."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest


def installed_tool(name: str) -> str | None:
    """The path of the console script ``name``, or None if it is not installed.

    The running interpreter's own scripts directory comes first: CI runs each
    virtual environment's python without activating it, so a lookup on PATH
    alone would miss the tool and the test would skip instead of running.
    """
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    return shutil.which(name)


def tool_or_skip(name: str, missing: str) -> str:
    """The path of ``name``; else skip, saying ``missing``.

    Where CI installs every extra, conftest.py turns such a skip into a failure.
    """
    path = installed_tool(name)
    if path is None:
        pytest.skip(missing)
    return path
