"""The types a user's checker sees: tests/typing_usage.py under mypy --strict and pyright."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from mypy import api as mypy_api

from tools import tool_or_skip

ROOT = Path(__file__).resolve().parents[1]
USAGE = ROOT / "tests" / "typing_usage.py"

Checker = Callable[..., tuple[str, int]]

# The type checkers run once per CI run, not once per interpreter: CI's static stage runs
# `mypy --strict` and `pyright` over the package and tests/typing_usage.py (pyproject.toml
# says what they check) and then these tests (`-m typecheck`); the suites deselect them.
pytestmark = pytest.mark.typecheck


def run_mypy(*paths: Path) -> tuple[str, int]:
    stdout, stderr, status = mypy_api.run(
        ["--strict", "--config-file", str(ROOT / "pyproject.toml")] + [str(path) for path in paths]
    )
    return stdout + stderr, status


def run_pyright(*paths: Path) -> tuple[str, int]:
    pyright = tool_or_skip("pyright", "pyright is not installed (test extra)")
    result = subprocess.run(
        [pyright, "--pythonpath", sys.executable, *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return result.stdout + result.stderr, result.returncode


BROKEN = """
from datetime import datetime
from typing_extensions import assert_type
from purecloud_internal_message import InternalMessage

message = InternalMessage.from_dict({})
assert_type(message.connected_time, str | None)
message.connected_time = "2024-05-01T12:34:56.789Z"
InternalMessage(connected_time="yesterday")
"""


@pytest.mark.parametrize("checker", [run_mypy, run_pyright])
def test_checkers_catch_wrong_types(checker: Checker, tmp_path: Path) -> None:
    # Guards the usage file against passing vacuously (say, if fields became Any).
    broken = tmp_path / "broken.py"
    broken.write_text(BROKEN)
    output, status = checker(broken)
    assert status != 0
    for line in (7, 8, 9):
        assert f"broken.py:{line}:" in output, output


def test_usage_file_is_valid_python() -> None:
    # It is only ever type-checked, but must still compile (and import cleanly).
    subprocess.run([sys.executable, str(USAGE)], check=True, cwd=ROOT)
