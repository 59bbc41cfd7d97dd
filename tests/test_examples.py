"""The examples run, and the conversation example writes back exactly what it read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run_example(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=False, cwd=ROOT
    )


def test_quickstart_runs() -> None:
    result = run_example(str(EXAMPLES / "quickstart.py"))
    assert result.returncode == 0, result.stderr
    assert "segments[0]: expected an object (Segment), got null" in result.stdout


def test_summarize_writes_the_conversation_back_losslessly(tmp_path: Path) -> None:
    source = EXAMPLES / "conversation.json"
    target = tmp_path / "out.json"
    result = run_example(str(EXAMPLES / "summarize.py"), str(source), str(target))
    assert result.returncode == 0, result.stderr
    assert json.loads(target.read_text()) == json.loads(source.read_text())
    assert "Ann Jones -> Bob Smith, 2 message(s)" in result.stdout
    assert "kept unknown fields: afterCallWorkRequired" in result.stdout


def test_summarize_notices_a_lossy_write_back(tmp_path: Path) -> None:
    # The script's own check must be able to fail: a timestamp in another offset is
    # rewritten in UTC, so the document is no longer identical.
    document = json.loads((EXAMPLES / "conversation.json").read_text())
    message = document["participants"][0]["internalMessages"][0]
    message["connectedTime"] = "2024-05-01T14:34:55.244+02:00"
    source = tmp_path / "conversation.json"
    source.write_text(json.dumps(document))
    result = run_example(str(EXAMPLES / "summarize.py"), str(source), str(tmp_path / "o.json"))
    assert result.returncode == 1
    assert "DIFFERENT" in result.stdout


def test_the_conversation_example_is_real_shaped() -> None:
    document = json.loads((EXAMPLES / "conversation.json").read_text())
    assert {"id", "participants", "startTime", "selfUri"} <= set(document)
    entries = [
        entry
        for participant in document["participants"]
        for entry in participant.get("internalMessages", [])
    ]
    assert len(entries) == 2
    assert entries[0]["peerId"] == entries[1]["id"]  # the two legs point at each other
