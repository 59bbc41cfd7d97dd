"""Every shell session the README and docs/ show is run, and prints what the page shows.

A session is a ```console block: lines starting with `$ ` are commands, the others what
they print (standard output and standard error, as a terminal shows them). The test
runs each block's commands in one bash, in order (so `$ echo $?` shows the status of the
command before it), on files it makes as the page describes them, and compares the
whole output with the page's, with temporary paths and timings normalised. A session
that is deliberately not run says why on the line before its fence, as Python blocks do
(`<!-- not run: ... -->`, see test_doc_examples.py).

The commands run with the environment of the test run, less
PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS: a session shows what a reader's shell shows
after the README's install, where the compiled codecs are in use.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from purecloud_internal_message._extensions import ENV_VAR

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CONVERSATION = json.loads((ROOT / "examples" / "conversation.json").read_text(encoding="utf-8"))

FENCE = re.compile(r"^(?P<indent> *)```(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)
NOT_RUN = re.compile(r"<!-- not run: (?P<reason>\S.*?) -->")
PROMPT = "$ "


@dataclass(frozen=True)
class Session:
    """One ```console block: where it is, its commands and what it shows."""

    page: Path
    line: int
    body: str
    not_run: str | None

    @property
    def commands(self) -> list[str]:
        return [line[len(PROMPT) :] for line in self.body.splitlines() if line.startswith(PROMPT)]

    @property
    def shown(self) -> str:
        """What the page shows the commands print."""
        return "".join(
            line + "\n" for line in self.body.splitlines() if not line.startswith(PROMPT)
        )

    def __str__(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def sessions(page: Path) -> list[Session]:
    text = page.read_text(encoding="utf-8")
    found = []
    for fence in FENCE.finditer(text):
        if fence["info"].strip().split(" ")[0] != "console":
            continue
        before = text[: fence.start()].rstrip("\n").rsplit("\n", 1)[-1]
        reason = NOT_RUN.fullmatch(before.strip())
        line = text.count("\n", 0, fence.start()) + 1
        body = re.sub(rf"^{fence['indent']}", "", fence["body"], flags=re.M)
        found.append(Session(page, line, body, reason["reason"] if reason else None))
    return found


SESSIONS = [session for page in PAGES for session in sessions(page)]


def normalise(text: str, *, cwd: Path | None = None) -> str:
    """Output as compared: temporary paths and timings masked, trailing blanks dropped."""
    if cwd is not None:
        text = text.replace(f"{cwd}/", "")
    text = re.sub(r"/tmp/[^\s'\"]+", "/tmp/...", text)
    text = re.sub(r"\b\d+(?:\.\d+)?(?: ?(?:s|ms|seconds|minutes))\b", "<time>", text)
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n") + "\n"


def run(session: Session, cwd: Path, environment: dict[str, str]) -> str:
    """The session's commands, run in one bash; everything they write."""
    script = "\n".join(session.commands) + "\n"
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", script],
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        timeout=300,
    )
    return result.stdout


def base_environment() -> dict[str, str]:
    """The test run's environment, the running interpreter's scripts first on PATH
    (`python` and `purecloud-internal-message` are this installation's)."""
    environment = {key: value for key, value in os.environ.items() if key != ENV_VAR}
    scripts = str(Path(sys.executable).parent)
    environment["PATH"] = os.pathsep.join([scripts, environment.get("PATH", "")])
    environment.pop("NO_COLOR", None)
    environment.pop("FORCE_COLOR", None)
    environment["COLUMNS"] = "100"
    return environment


# -- the files each page's sessions work on --------------------------------------------


def conversation(number: int) -> dict[str, Any]:
    """The example conversation, with ids of its own."""
    document = copy.deepcopy(CONVERSATION)
    document["id"] = f"{number:08d}-5e4a-4b6c-9d8e-0f1a2b3c4d5e"
    for participant in document["participants"]:
        for message in participant.get("internalMessages") or ():
            message["id"] = message["id"][:-4] + f"{number:04d}"
    return document


def export_page() -> dict[str, Any]:
    """`export.json`: a listing page of 25 conversations (50 internal messages), as the
    conversation APIs return them, with one bad timestamp in the eighth."""
    entities = [conversation(number) for number in range(25)]
    bad = entities[7]["participants"][1]["internalMessages"][0]
    bad["messages"] += [
        {
            "messageId": "9d1e2f3a-0004-4b5c-8d6e-7f8a9b0c1d2e",
            "messageTime": "2024-05-01T12:38:00.000Z",
        },
        {
            "messageId": "9d1e2f3a-0005-4b5c-8d6e-7f8a9b0c1d2e",
            "messageTime": "2024-13-01T00:00:00Z",
        },
    ]
    return {"entities": entities, "pageSize": 25, "pageNumber": 1, "total": 25, "pageCount": 1}


def dump_lines() -> list[str]:
    """`dump.jsonl`: 120 internal messages, one per line; line 88 lost a comma."""
    messages = [
        message
        for number in range(60)
        for participant in conversation(number)["participants"]
        for message in participant["internalMessages"]
    ]
    lines = [json.dumps(message) for message in messages]
    broken = lines[87]
    comma = broken.index(', "id"')
    lines[87] = broken[:comma] + broken[comma + 1 :]
    return lines


def cli_files(folder: Path) -> None:
    (folder / "export.json").write_text(json.dumps(export_page(), indent=2) + "\n")
    (folder / "dump.jsonl").write_text("".join(line + "\n" for line in dump_lines()))


def sdk_227(folder: Path) -> Path:
    """A stand-in for PureCloudPlatformClientV2 227.0.0 installed in `folder`: the pinned
    SDK's four models less `startAlertingTime`, the one key 227 lacks
    (docs/sdk-differences.md), made as test_sync_sdk_models.py makes its fake SDKs."""
    import test_sync_sdk_models as sync_tests

    tables = sync_tests.our_tables()
    tables["InternalMessage"] = [
        field for field in tables["InternalMessage"] if field.name != "start_alerting_time"
    ]
    sync_tests.write_fake_sdk(folder, tables)
    package = folder / "PureCloudPlatformClientV2"
    (folder / "fakesdk").rename(package)
    (package / "__init__.py").write_text('__version__ = "227.0.0"\n')
    metadata = folder / "PureCloudPlatformClientV2-227.0.0.dist-info"
    metadata.mkdir()
    (metadata / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: PureCloudPlatformClientV2\nVersion: 227.0.0\n"
    )
    return folder


def setup(session: Session, folder: Path) -> tuple[Path, dict[str, str]]:
    """Where the session runs, and its environment: on files made in `folder` as its
    page describes them, or at the root of the checkout."""
    environment = base_environment()
    page = session.page.name
    if page == "cli.md":
        cli_files(folder)
        return folder, environment
    if page == "sdk-updates.md" and "PureCloudPlatformClientV2 227.0.0" in session.shown:
        environment["PYTHONPATH"] = str(sdk_227(folder))
        return ROOT, environment
    if page in ("README.md", "sdk-updates.md"):
        return ROOT, environment
    raise AssertionError(f"{session}: say in setup() what this session runs on")


@pytest.mark.parametrize("session", [s for s in SESSIONS if s.not_run is None], ids=str)
def test_session_prints_what_the_page_shows(session: Session, tmp_path: Path) -> None:
    cwd, environment = setup(session, tmp_path)
    output = run(session, cwd, environment)
    assert normalise(output, cwd=cwd) == normalise(session.shown), (
        f"{session}: the commands print\n{output}"
    )


def test_the_pages_show_sessions() -> None:
    pages = {session.page.name for session in SESSIONS}
    assert pages >= {"README.md", "cli.md", "sdk-updates.md"}
    assert all(session.commands for session in SESSIONS)
    assert not [str(session) for session in SESSIONS if session.not_run], "left out"


def test_every_block_with_a_prompt_is_a_session() -> None:
    # A command shown with its output in a ```text block would not be run.
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for fence in FENCE.finditer(text):
            if fence["info"].strip().startswith("console"):
                continue
            prompts = [line for line in fence["body"].splitlines() if line.startswith(PROMPT)]
            assert not prompts, f"{page.name}: {prompts[0]!r} in a ```{fence['info']} block"


def test_normalise_masks_paths_and_timings(tmp_path: Path) -> None:
    assert normalise(f"wrote {tmp_path}/out.json\n", cwd=tmp_path) == "wrote out.json\n"
    assert normalise("wrote /tmp/tmpab12cd/out.json") == normalise("wrote /tmp/x/y.json")
    assert normalise("12 passed in 3.52s  \n\n") == "12 passed in <time>\n"
    assert normalise("took 250 ms") == normalise("took 7 ms")


def test_the_files_are_as_the_pages_describe_them() -> None:
    page = export_page()
    assert len(page["entities"]) == 25  # type: ignore[arg-type]
    lines = dump_lines()
    assert len(lines) == 120
    for number, line in enumerate(lines, 1):
        if number == 88:
            with pytest.raises(json.JSONDecodeError):
                json.loads(line)
        else:
            json.loads(line)


def test_a_wrong_output_is_seen(tmp_path: Path) -> None:
    session = Session(ROOT / "README.md", 1, "$ echo one\ntwo\n", None)
    assert normalise(run(session, tmp_path, base_environment())) != normalise(session.shown)
    assert shutil.which("bash")
