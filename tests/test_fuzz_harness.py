"""fuzz/run.py fails when a target fails: an escaped exception or a crash in C.

Runs only where atheris (the fuzz extra) is installed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris")

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "fuzz" / "run.py"


def run(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUN), "--findings", str(tmp_path / "findings"), *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize("canary", ["canary_exception", "canary_crash"])
def test_a_failing_target_is_a_finding_and_a_failure(tmp_path: Path, canary: str) -> None:
    result = run(tmp_path, "--target", canary, "--path", "pure", "--seconds", "20")
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = [line for line in result.stdout.splitlines() if line.split()[:2] == [canary, "pure"]]
    assert "FAILED" in line
    assert "1 failed run(s), 1 finding(s)" in result.stdout
    (finding,) = (tmp_path / "findings").iterdir()
    assert finding.name.startswith(f"{canary}-pure-crash-")


def test_a_clean_run_passes_and_counts_executions(tmp_path: Path) -> None:
    result = run(tmp_path, "--target", "from_json", "--path", "both", "--seconds", "4")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failed run(s), 0 finding(s)" in result.stdout
    lines = [line.split() for line in result.stdout.splitlines() if "executions  ok" in line]
    assert [line[:2] for line in lines] == [["from_json", "compiled"], ["from_json", "pure"]]
    assert all(int(line[4]) > 0 for line in lines)
