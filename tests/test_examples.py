"""The examples run as their docstrings say, their install lines bring what they import,
and the conversation example writes back exactly what it read.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, from PyPI (the test extra)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PROGRAMS = sorted(EXAMPLES.glob("*.py"))
EXTRAS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "optional-dependencies"
]
INSTALL = re.compile(r'^ {4}python -m pip install -e (?:\.|"\.\[(?P<extras>[\w,-]+)\]")$', re.M)
RUN = re.compile(r"^ {4}(?P<command>python examples/\S+\.py(?: [^#\n]*)?)", re.M)
#: Servers: started as their docstring says by their own test (test_fastapi_example.py).
SERVERS = {"fastapi_app.py"}


def docstring(program: Path) -> str:
    return ast.get_docstring(ast.parse(program.read_text(encoding="utf-8"))) or ""


def _requirement_name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]).lower()


def _third_party_imports(program: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(program.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module.split(".")[0])
    return {
        module
        for module in modules
        if module not in sys.stdlib_module_names and module != "purecloud_internal_message"
    }


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda program: program.name)
def test_the_install_line_brings_what_the_example_imports(program: Path) -> None:
    # Each example says how to install it from a checkout, with the extra it needs.
    (install,) = INSTALL.finditer(docstring(program))
    extras = install["extras"].split(",") if install["extras"] else []
    brought = {_requirement_name(req) for extra in extras for req in EXTRAS[extra]}
    distributions = importlib.metadata.packages_distributions()
    for module in _third_party_imports(program):
        names = {_requirement_name(name) for name in distributions.get(module, [module])}
        assert names & brought, f"{program.name} imports {module}, which {install[0]!r} lacks"


@pytest.mark.parametrize(
    "program", [p for p in PROGRAMS if p.name not in SERVERS], ids=lambda program: program.name
)
def test_the_example_runs_as_its_docstring_says(program: Path) -> None:
    commands = [found["command"] for found in RUN.finditer(docstring(program))]
    assert commands, f"{program.name}'s docstring does not say how to run it"
    for command in commands:
        python, *arguments = shlex.split(command)
        assert python == "python"
        result = run_example(*arguments)
        assert result.returncode == 0, f"{command}:\n{result.stderr}"
        assert result.stdout, command


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
