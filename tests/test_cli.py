"""The command line, driven as a user drives it: a subprocess with files, stdin and exit codes."""

from __future__ import annotations

import contextlib
import gc
import inspect
import io
import json
import os
import signal
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from purecloud_internal_message import InternalMessage, __version__, cli
from strategies import examples

ROOT = Path(__file__).resolve().parents[1]
CONVERSATION = ROOT / "examples" / "conversation.json"

GOOD = {
    "id": "c-1",
    "state": "connected",
    "connectedTime": "2024-05-01T12:34:56.789Z",
    "messages": [{"messageId": "m-1", "messageTime": "2024-05-01T12:35:00.000Z"}],
}
BAD_TIME = {"id": "c-2", "messages": [{"messageId": "m-1", "messageTime": "May 1"}]}


def run(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[str]:
    data = stdin.decode() if isinstance(stdin, bytes) else stdin
    result = subprocess.run(
        [sys.executable, "-m", "purecloud_internal_message", *args],
        input=data,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def jsonl(*records: Any) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


# -- the surface --


def test_help_lists_the_commands_and_exit_codes() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "validate" in result.stdout
    assert "normalize" in result.stdout
    assert "exit status" in result.stdout
    assert run("validate", "--help").returncode == 0


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"purecloud-internal-message {__version__}"


_OPENBLAS_PROBE = """
import os, sys
from purecloud_internal_message import cli
sys.argv = ["purecloud-internal-message", "--version"]
try:
    cli.run()
except SystemExit:
    pass
print(os.environ.get("OPENBLAS_NUM_THREADS"))
"""


@pytest.mark.parametrize(("given", "kept"), [(None, "1"), ("3", "3")])
def test_the_program_keeps_openblas_to_one_thread_unless_told(given: str | None, kept: str) -> None:
    """The program (not ``main``, which leaves the caller's process alone) starts
    without OpenBLAS's spinning threads, unless the environment says otherwise."""
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    result = subprocess.run(
        [sys.executable, "-c", _OPENBLAS_PROBE], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.splitlines()[-1] == kept


def test_main_leaves_the_environment_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    with contextlib.redirect_stdout(io.StringIO()), pytest.raises(SystemExit):
        cli.main(["--version"])
    assert "OPENBLAS_NUM_THREADS" not in os.environ


@pytest.mark.parametrize(
    "args", [(), ("validate",), ("frobnicate", "x.json"), ("validate", "--bogus", "-")]
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("purecloud-internal-message")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert __version__ in result.stdout


# -- validate --


def test_valid_object_file(tmp_path: Path) -> None:
    result = run("validate", write(tmp_path / "one.json", json.dumps(GOOD, indent=2)))
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "purecloud-internal-message: 1 record read, 0 invalid"


def test_stdin_array_with_a_bad_record_reports_the_line_of_the_bad_value() -> None:
    text = "[\n" + json.dumps(GOOD) + ",\n\n" + json.dumps(BAD_TIME, indent=2) + "\n]\n"
    bad_line = next(n for n, line in enumerate(text.splitlines(), 1) if '"May 1"' in line)
    result = run("validate", "-", stdin=text)
    assert result.returncode == 1
    (report,) = result.stdout.splitlines()
    assert report.startswith(
        f"<stdin>:{bad_line}: [1].messages[0].messageTime: expected an ISO-8601 timestamp,"
        " got string 'May 1' ("
    )
    assert "2 records read, 1 invalid" in result.stderr


def test_every_bad_record_in_a_document_gets_its_own_line(tmp_path: Path) -> None:
    records = [
        {"id": "bad-0", "state": 0},
        GOOD,
        {"id": "bad-2", "toAddress": "x"},
        GOOD,
        {"id": "bad-4", "segments": [None]},
    ]
    text = json.dumps(records, indent=2)
    lines = text.splitlines()

    def line_of(record_id: str, text: str) -> int:  # the bad value's own line
        start = next(n for n, line in enumerate(lines, 1) if f'"{record_id}"' in line)
        return next(n for n, line in enumerate(lines[start - 1 :], start) if text in line)

    result = run("validate", write(tmp_path / "array.json", text))
    path = tmp_path / "array.json"
    state, address = '"state"', '"toAddress"'
    assert result.stdout.splitlines() == [
        f"{path}:{line_of('bad-0', state)}: [0].state: expected a string, got number 0",
        f"{path}:{line_of('bad-2', address)}: [2].toAddress: expected an object"
        " (Address), got string 'x'",
        f"{path}:{line_of('bad-4', 'null')}: [4].segments[0]: expected an object (Segment),"
        " got null",
    ]


def test_problems_in_a_multi_line_record_point_at_their_own_lines(tmp_path: Path) -> None:
    record = {
        "id": "c-1",
        "state": 5,
        "messages": [
            {"messageId": "m-1", "messageTime": "2024-05-01T12:35:00.000Z"},
            {"messageId": "m-2", "messageTime": "May 1"},
        ],
        "segments": [None],
    }
    text = json.dumps([record], indent=2)
    lines = text.splitlines()
    result = run("validate", write(tmp_path / "one.json", text))
    reported = [line.split(": ")[0].rsplit(":", 1)[1] for line in result.stdout.splitlines()]
    expected = [
        next(n for n, line in enumerate(lines, 1) if needle in line)
        for needle in ('"state"', '"May 1"', "null")
    ]
    assert reported == [str(n) for n in expected]
    assert len(set(reported)) == 3


def test_a_bad_line_deep_in_json_lines(tmp_path: Path) -> None:
    lines = [GOOD] * 4999 + [BAD_TIME] + [GOOD] * 500
    result = run("validate", write(tmp_path / "dump.jsonl", jsonl(*lines)))
    assert result.returncode == 1
    (report,) = result.stdout.splitlines()
    assert report.startswith(f"{tmp_path / 'dump.jsonl'}:5000: messages[0].messageTime: ")
    assert "5500 records read, 1 invalid" in result.stderr


def test_json_lines_detected_without_the_extension_and_blank_lines_keep_numbering(
    tmp_path: Path,
) -> None:
    text = "\n" + json.dumps(GOOD) + "\n\n" + json.dumps({"state": 5}) + "\n"
    result = run("validate", write(tmp_path / "dump.txt", text))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'dump.txt'}:4: state: expected a string, got number 5"
    ]


def conversation_with_bad_message() -> str:
    document = json.loads(CONVERSATION.read_text())
    document["participants"][1]["internalMessages"][0]["state"] = 7
    return json.dumps(document, indent=2)


def bad_message_line(text: str) -> int:
    """The line of participants[1].internalMessages[0].state, found independently."""
    lines = text.splitlines()
    seen = 0
    for number, line in enumerate(lines, 1):
        if '"internalMessages": [' in line:
            seen += 1
        if seen == 2 and '"state": 7' in line:
            return number
    raise AssertionError("fixture changed")


def test_the_example_conversation_is_valid() -> None:
    result = run("validate", str(CONVERSATION))
    assert result.returncode == 0, result.stdout
    assert "2 records read, 0 invalid" in result.stderr


def test_conversation_document_reports_the_line_of_the_nested_message(tmp_path: Path) -> None:
    text = conversation_with_bad_message()
    result = run("validate", write(tmp_path / "conv.json", text))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'conv.json'}:{bad_message_line(text)}:"
        " participants[1].internalMessages[0].state: expected a string, got number 7"
    ]


def test_listing_page_and_conversations_one_per_line(tmp_path: Path) -> None:
    conversation = json.loads(CONVERSATION.read_text())
    broken = json.loads(conversation_with_bad_message())
    page = {"entities": [conversation, broken], "pageSize": 25, "pageNumber": 1}
    result = run("validate", write(tmp_path / "page.json", json.dumps(page, indent=1)))
    assert result.returncode == 1
    assert "entities[1].participants[1].internalMessages[0].state" in result.stdout
    assert "4 records read, 1 invalid" in result.stderr

    result = run("validate", write(tmp_path / "convs.jsonl", jsonl(conversation, broken)))
    assert result.stdout.startswith(f"{tmp_path / 'convs.jsonl'}:2: participants[1].")


def test_structural_problems_in_a_conversation_are_invalid_records(tmp_path: Path) -> None:
    text = jsonl({"participants": 3}, {"participants": [{"internalMessages": {}}]}, 42)
    result = run("validate", write(tmp_path / "odd.jsonl", text))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'odd.jsonl'}:1: participants: expected an array of participants,"
        " got number 3",
        f"{tmp_path / 'odd.jsonl'}:2: participants[0].internalMessages: expected an array of"
        " internal messages, got object {}",
        f"{tmp_path / 'odd.jsonl'}:3: (root): expected an internal message, a conversation or"
        " an array of them, got number 42",
    ]


def test_strict_passes_through(tmp_path: Path) -> None:
    path = write(tmp_path / "x.json", json.dumps({**GOOD, "state": "parked", "extra": 1}))
    assert run("validate", path).returncode == 0
    result = run("validate", "--strict", path)
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 2
    assert ": state: unknown value" in result.stdout
    assert ": extra: unknown field" in result.stdout


def test_unreadable_files_exit_2_and_the_others_are_still_checked(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.json", json.dumps(BAD_TIME))
    result = run("validate", str(tmp_path / "missing.json"), str(tmp_path), bad)
    assert result.returncode == 2
    assert f"{tmp_path / 'missing.json'}: cannot read: No such file or directory" in result.stdout
    assert f"{tmp_path}: cannot read: " in result.stdout
    assert f"{bad}:1: messages[0].messageTime" in result.stdout
    assert "1 record read, 1 invalid, 2 unreadable" in result.stderr


def test_text_that_is_not_json_is_reported_at_its_line(tmp_path: Path) -> None:
    text = '{\n  "id": "c-1",\n  "state": "connected"\n  "provider": "x"\n}\n'
    result = run("validate", write(tmp_path / "broken.json", text))
    assert result.returncode == 2
    assert result.stdout == (
        f"{tmp_path / 'broken.json'}:4: not JSON: "
        "expected ',' or '}' after an object member, found '\"' (column 3)\n"
    )


def test_a_line_that_is_not_json_is_a_bad_record(tmp_path: Path) -> None:
    text = jsonl(GOOD, BAD_TIME) + "this is not json\n" + jsonl(GOOD) + '{"x": NaN}\n'
    result = run("validate", write(tmp_path / "mixed.jsonl", text))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split(": ")[0] for line in lines] == [
        f"{tmp_path / 'mixed.jsonl'}:2",
        f"{tmp_path / 'mixed.jsonl'}:3",
        f"{tmp_path / 'mixed.jsonl'}:5",
    ]
    assert lines[2] == f"{tmp_path / 'mixed.jsonl'}:5: not JSON: NaN is not a JSON value (column 7)"
    assert "3 records read, 1 invalid, 2 not JSON" in result.stderr


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"id": "a"}\n{"id": "caf\xe9"}\n')
    result = run("validate", str(path))
    assert result.returncode == 1  # a line: a bad record
    assert result.stdout == f"{path}:2: not JSON: invalid UTF-8: byte 0xe9 (column 12)\n"


def test_empty_input_has_no_records() -> None:
    result = run("validate", "-", stdin="\n\n")
    assert result.returncode == 0
    assert "0 records read, 0 invalid" in result.stderr


def test_format_option_overrides_detection(tmp_path: Path) -> None:
    path = write(tmp_path / "two.json", jsonl(GOOD, GOOD))
    assert run("validate", path).returncode == 0
    result = run("validate", "--format", "json", path)
    assert result.returncode == 2
    assert result.stdout == f"{path}:2: not JSON: extra data after the JSON value (column 1)\n"


def test_deeply_nested_input_is_an_invalid_record_not_a_crash(tmp_path: Path) -> None:
    deep = '{"x": ' * 100_000 + "1" + "}" * 100_000
    path = write(tmp_path / "deep.json", deep)
    for command in ("validate", "normalize"):
        result = run(command, path)
        assert result.returncode == 1
        report = result.stdout if command == "validate" else result.stderr
        assert f"{path}:1: {'.'.join(['x'] * 100)}: nested more than 100 levels deep" in report
        assert "1 record read" in result.stderr
        assert "1 invalid" in result.stderr
    assert run("normalize", path).stdout == ""


def test_nesting_up_to_the_limit_is_normalized(tmp_path: Path) -> None:
    deep = '{"x": ' * 99 + "1" + "}" * 99  # the record and 98 objects inside it
    result = run("normalize", write(tmp_path / "deep.json", deep))
    assert result.returncode == 0
    assert result.stdout == deep.replace(" ", "") + "\n"


# -- normalize --


def test_normalize_writes_canonical_api_json_one_per_line(tmp_path: Path) -> None:
    loose = {
        "id": "c-1",
        "connected_time": "2024-05-01T14:34:56.789+02:00",
        "disconnectType": None,
        "customField": {"a": [1, 2]},
    }
    path = write(tmp_path / "in.json", json.dumps([GOOD, loose, BAD_TIME], indent=2))
    result = run("normalize", path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        InternalMessage.from_dict(GOOD).to_api_json(),
        '{"id":"c-1","connectedTime":"2024-05-01T12:34:56.789Z","customField":{"a":[1,2]}}',
    ]
    assert f"{path}:" in result.stderr  # problems go to stderr: stdout is the data
    assert "[2].messages[0].messageTime" in result.stderr
    assert "3 records read, 2 written, 1 invalid" in result.stderr


def test_normalize_sdk_form() -> None:
    result = run("normalize", "--sdk", str(CONVERSATION))
    assert result.returncode == 0
    document = json.loads(CONVERSATION.read_text())
    expected = [
        InternalMessage.from_dict(message).to_json()
        for participant in document["participants"]
        for message in participant["internalMessages"]
    ]
    assert result.stdout.splitlines() == expected
    first = json.loads(result.stdout.splitlines()[0])
    assert first["connected_time"] == "2024-05-01T12:34:55.244000+00:00"
    assert first["afterCallWorkRequired"] is False  # unknown, kept in its own spelling


def test_normalize_round_trips_through_validate(tmp_path: Path) -> None:
    result = run("normalize", str(CONVERSATION))
    again = run("normalize", "-", stdin=result.stdout)
    assert again.stdout == result.stdout
    assert run("validate", "-", stdin=result.stdout).returncode == 0


# -- streaming and progress, in process --


class _LazyLines(io.RawIOBase):
    """A binary stream of ``count`` JSON lines, generated as they are read."""

    def __init__(self, count: int) -> None:
        self._lines = (json.dumps({**GOOD, "id": f"c-{n}"}).encode() + b"\n" for n in range(count))
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while len(self._pending) < len(buffer):
            line = next(self._lines, None)
            if line is None:
                break
            self._pending += line
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


class _Stdin:
    def __init__(self, stream: io.BufferedIOBase) -> None:
        self.buffer = stream


@contextlib.contextmanager
def redirect(stdin: _Stdin, stdout: io.StringIO, stderr: io.StringIO) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = stdin  # type: ignore[assignment]
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            yield
    finally:
        sys.stdin = saved


def test_json_lines_are_streamed_in_constant_memory(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    count = 40_000  # about 6 MB of input
    # A first run outside the measurement: whatever is imported or cached on
    # first use is not per-record memory.
    monkeypatch.setattr(sys, "stdin", _Stdin(io.BufferedReader(_LazyLines(10))))
    assert cli.main(["validate", "-"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", _Stdin(io.BufferedReader(_LazyLines(count))))
    gc.collect()  # garbage from earlier tests is not this run's
    tracemalloc.start()
    try:
        status = cli.main(["validate", "-"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == 0
    assert f"{count} records read, 0 invalid" in capsys.readouterr().err
    assert peak < 1_000_000, f"peak {peak} bytes: the input was held in memory"


def test_progress_bar_when_asked_and_tqdm_is_installed(tmp_path: Path) -> None:
    pytest.importorskip("tqdm")
    path = write(tmp_path / "dump.jsonl", jsonl(*[GOOD] * 100))
    result = run("validate", "--progress", "always", path)
    assert result.returncode == 0
    assert "B/s" in result.stderr or "B [" in result.stderr
    assert "B/s" not in run("validate", path).stderr  # not a terminal: no bar by default


def test_no_progress_bar_and_no_error_without_tqdm(tmp_path: Path) -> None:
    path = write(tmp_path / "dump.jsonl", jsonl(GOOD, GOOD))
    code = (
        "import sys; sys.modules['tqdm'] = None\n"
        "from purecloud_internal_message.cli import main\n"
        f"sys.exit(main(['validate', '--progress', 'always', {path!r}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "purecloud-internal-message: no progress bar: it needs tqdm, the cli extra:"
        " pip install 'purecloud-internal-message[cli]'",
        "purecloud-internal-message: 2 records read, 0 invalid",
    ]


# -- whatever the input, a report and an exit status, never an exception --

_any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["participants", "internalMessages", "entities", "id", "state"])
            | st.text(max_size=3),
            children,
            max_size=3,
        )
    ),
    max_leaves=12,
)
_lines = st.lists(
    _any_json.map(json.dumps) | st.text(max_size=8) | st.just(""),
    max_size=5,
)


@settings(max_examples=examples(150), deadline=None)
@given(lines=_lines, pretty=st.booleans(), command=st.sampled_from(["validate", "normalize"]))
def test_any_input_gets_a_report_and_an_exit_status(
    lines: list[str], pretty: bool, command: str
) -> None:
    text = "\n".join(lines)
    if pretty and lines:  # also as one indented document, when it is one
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(lines[0]), indent=2)
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect(_Stdin(io.BytesIO(text.encode())), stdout, stderr):
        status = cli.main([command, "-"])
    assert status in (0, 1, 2)
    summary = stderr.getvalue().splitlines()[-1]
    assert summary.startswith("purecloud-internal-message: ")
    report = stdout.getvalue() if command == "validate" else stderr.getvalue()
    assert (status == 0) == ("<stdin>:" not in report)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_auto_needs_a_terminal_and_a_large_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("tqdm")
    path = write(tmp_path / "dump.jsonl", jsonl(*[GOOD] * 10))
    size = Path(path).stat().st_size
    monkeypatch.setattr(sys, "stderr", _Terminal())
    monkeypatch.setattr(cli, "PROGRESS_THRESHOLD", size)
    bar = cli._progress_bar("auto", [path])
    assert bar is not None
    bar.close()
    assert cli._progress_bar("auto", ["-"]) is None  # stdin: size unknown
    assert cli._progress_bar("never", [path]) is None
    monkeypatch.setattr(cli, "PROGRESS_THRESHOLD", size + 1)
    assert cli._progress_bar("auto", [path]) is None  # small input
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    monkeypatch.setattr(cli, "PROGRESS_THRESHOLD", 0)
    assert cli._progress_bar("auto", [path]) is None  # not a terminal


# -- in process: the report's formats and the command line's manners --


def main_in_process(
    *args: str, stdin: bytes = b"", stdout: io.StringIO | None = None
) -> tuple[int, str, str]:
    out, err = stdout if stdout is not None else io.StringIO(), io.StringIO()
    with redirect(_Stdin(io.BytesIO(stdin)), out, err):
        status = cli.main(list(args))
    return status, out.getvalue(), err.getvalue()


def test_a_record_with_several_problems_counts_once(tmp_path: Path) -> None:
    record = {"id": 1, "state": 2, "segments": [None, None]}
    status, out, err = main_in_process("validate", write(tmp_path / "x.json", json.dumps(record)))
    assert status == 1
    assert len(out.splitlines()) == 4
    assert "1 record read, 1 invalid" in err
    status, out, err = main_in_process("validate", write(tmp_path / "x.jsonl", jsonl(record, GOOD)))
    assert len(out.splitlines()) == 4
    assert "2 records read, 1 invalid" in err


def test_jsonl_names_force_json_lines(tmp_path: Path) -> None:
    text = json.dumps([GOOD, GOOD], indent=2)  # one document, over several lines
    for name in ("dump.jsonl", "dump.ndjson", "dump.jsonlines"):
        status, out, _ = main_in_process("validate", write(tmp_path / name, text))
        assert status == 1
        assert (
            out.splitlines()[0]
            == f"{tmp_path / name}:1: not JSON: expected a value, found the end of the input"
            " (column 2)"  # the end of the line, just after the '['
        )
    status, out, err = main_in_process("validate", write(tmp_path / "dump.json", text))
    assert (status, out) == (0, "")
    assert "2 records read" in err


def test_byte_order_marks(tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf"
    document = tmp_path / "doc.json"
    document.write_bytes(bom + json.dumps([GOOD, BAD_TIME], indent=2).encode())
    status, out, _ = main_in_process("validate", str(document))
    assert status == 1
    bad_line = next(
        number
        for number, line in enumerate(json.dumps([GOOD, BAD_TIME], indent=2).splitlines(), 1)
        if '"May 1"' in line
    )
    assert out.startswith(f"{document}:{bad_line}: [1].messages[0].messageTime: ")
    lines = tmp_path / "lines.txt"
    lines.write_bytes(bom + jsonl(GOOD, BAD_TIME).encode())
    status, out, _ = main_in_process("validate", str(lines))
    assert status == 1
    assert out.startswith(f"{lines}:2: messages[0].messageTime: ")


def test_a_bad_byte_in_a_document_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'[\n  {"id": "a"},\n  {"id": "caf\xe9"}\n]\n')
    status, out, err = main_in_process("validate", str(path))
    assert status == 2
    assert out == f"{path}:3: not JSON: invalid UTF-8: byte 0xe9 (column 14)\n"
    assert "1 record read, 0 invalid, 1 not JSON" in err


def test_participants_without_internal_messages_are_skipped(tmp_path: Path) -> None:
    conversation = {
        "id": "c",
        "participants": [
            {"id": "p-0", "calls": [{"state": "connected"}]},
            {"id": "p-1", "internalMessages": [GOOD]},
            {"id": "p-2", "internalMessages": None},
            {"id": "p-3", "internalMessages": []},
            {"id": "p-4", "internalMessages": [BAD_TIME]},
        ],
    }
    path = write(tmp_path / "conv.json", json.dumps(conversation, indent=2))
    status, out, err = main_in_process("validate", path)
    assert status == 1
    assert out.startswith(f"{path}:")
    assert ": participants[4].internalMessages[0].messages[0].messageTime: " in out
    assert "2 records read, 1 invalid" in err


def test_output_format_json(tmp_path: Path) -> None:
    path = write(tmp_path / "x.jsonl", jsonl(GOOD, BAD_TIME) + "nope\n")
    status, out, _ = main_in_process("validate", "--output-format", "json", path)
    assert status == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[0]["file"] == path
    assert rows[0]["line"] == 2
    assert rows[0]["kind"] == "invalid"
    assert rows[0]["path"] == "messages[0].messageTime"
    assert rows[0]["message"].startswith("expected an ISO-8601 timestamp")
    assert rows[1] == {
        "file": path,
        "line": 3,
        "kind": "not-json",
        "path": "",
        "message": "not JSON: expected a value, found 'nope' (column 1)",
    }
    status, out, _ = main_in_process(
        "validate", "--output-format", "json", str(tmp_path / "missing.json")
    )
    assert json.loads(out)["line"] is None


def test_output_format_github(tmp_path: Path) -> None:
    path = write(tmp_path / "a,b:c.jsonl", jsonl(GOOD, {"id": "x", "state": 5}) + "{\n")
    status, out, _ = main_in_process("validate", "--output-format", "github", path)
    assert status == 1
    name = path.replace(":", "%3A").replace(",", "%2C")
    assert out.splitlines() == [
        f"::error file={name},line=2::state: expected a string, got number 5",
        f"::error file={name},line=3::not JSON: expected a string key or '}}', found the end"
        " of the input (column 2)",
    ]
    status, out, _ = main_in_process("normalize", "--output-format", "github", path)
    assert out == InternalMessage.from_dict(GOOD).to_api_json() + "\n"


def test_github_annotations_escape_newlines_and_percent() -> None:
    problem = cli.Problem("f.json", 3, "invalid", "x", "50%\nand more\r")
    assert cli._github(problem) == "::error file=f.json,line=3::x: 50%25%0Aand more%0D"


def test_quiet_leaves_only_the_problems(tmp_path: Path) -> None:
    path = write(tmp_path / "x.jsonl", jsonl(GOOD, BAD_TIME))
    status, out, err = main_in_process("validate", "-q", path)
    assert (status, err) == (1, "")
    assert out.startswith(f"{path}:2: ")
    status, out, err = main_in_process("normalize", "--quiet", path)
    assert status == 1
    assert out == InternalMessage.from_dict(GOOD).to_api_json() + "\n"
    assert err.startswith(f"{path}:2: ")
    assert "records read" not in err


class _TerminalOut(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal_unless_no_color(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "x.jsonl", jsonl(BAD_TIME) + "{\n")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    _, out, _ = main_in_process("validate", path, stdout=_TerminalOut())
    assert out.startswith(f"\033[1m{path}:1:\033[0m \033[36mmessages[0].messageTime\033[0m: ")
    assert f"\033[1m{path}:2:\033[0m \033[31mnot JSON: " in out
    _, plain, _ = main_in_process("validate", path)  # not a terminal
    assert "\033" not in plain
    _, json_out, _ = main_in_process(
        "validate", "--output-format", "json", path, stdout=_TerminalOut()
    )
    assert "\033" not in json_out
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = main_in_process("validate", path, stdout=_TerminalOut())
    assert "\033" not in out
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, out, _ = main_in_process("validate", path)
    assert "\033[1m" in out


def test_problems_are_written_through_the_progress_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("tqdm")
    written: list[tuple[str, Any]] = []
    monkeypatch.setattr(
        cli._Progress, "write", lambda self, line, file: written.append((line, file))
    )
    path = write(tmp_path / "x.jsonl", jsonl(GOOD, BAD_TIME))
    status, out, _ = main_in_process("validate", "--progress", "always", path)
    assert status == 1
    assert out == ""  # nothing around the bar
    ((line, _),) = written
    assert line.startswith(f"{path}:2: messages[0].messageTime")


def test_a_document_is_streamed_with_real_progress_in_flat_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation = json.loads(CONVERSATION.read_text())
    page = {"entities": [conversation] * 2000, "pageSize": 2000}  # about 7 MB
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page))
    size = path.stat().st_size
    steps: list[int] = []

    class Bar:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def update(self, count: int) -> None:
            steps.append(count)

        def close(self) -> None:
            pass

        def write(self, line: str, file: Any) -> None:
            pass

    monkeypatch.setattr(cli, "_progress_bar", lambda *args, **kwargs: cli._Progress(Bar()))
    monkeypatch.setattr(cli._Progress, "_STEP", 1)
    assert main_in_process("validate", str(path))[0] == 0  # imports and caches, outside
    steps.clear()
    gc.collect()  # garbage from earlier tests is not this run's
    tracemalloc.start()
    try:
        status, _, err = main_in_process("validate", str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == 0
    assert "4000 records read, 0 invalid" in err
    assert sum(steps) == size
    assert len(steps) >= size // (1 << 20)  # read a window at a time, as it goes
    assert peak < 5_000_000, f"peak {peak} bytes for {size}: the document was held in memory"


def test_progress_always_says_why_there_is_no_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    path = write(tmp_path / "x.jsonl", jsonl(GOOD))
    status, _, err = main_in_process("validate", "--progress", "always", path)
    assert status == 0
    assert "no progress bar: it needs tqdm, the cli extra" in err
    assert main_in_process("validate", path)[2].count("\n") == 1  # auto: no note


def test_subcommand_help_is_wrapped_to_the_terminal() -> None:
    for command in ("validate", "normalize", "to-parquet"):
        result = subprocess.run(
            [sys.executable, "-m", "purecloud_internal_message", command, "--help"],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "COLUMNS": "60"},
        )
        assert result.returncode == 0
        rest = result.stdout.partition("\n\n")[2]  # argparse wraps the usage itself
        long = [line for line in rest.splitlines() if len(line) > 60]
        assert not long, long
        assert "2    the command could not do its job" in result.stdout


# -- a closed standard output, Ctrl-C --


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_stdout_ends_the_run_quietly_in_process(tmp_path: Path) -> None:
    path = write(tmp_path / "x.jsonl", jsonl(GOOD, GOOD, BAD_TIME))
    for command in ("normalize", "validate"):
        status, _, err = main_in_process(command, path, stdout=_ClosedPipe())
        assert (status, err) == (1, "")


def test_normalize_into_head_is_quiet(tmp_path: Path) -> None:
    path = write(tmp_path / "big.jsonl", jsonl(*[GOOD] * 20_000))  # far more than a pipe holds
    process = subprocess.Popen(
        [sys.executable, "-m", "purecloud_internal_message", "normalize", path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    err = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait() == 1
    assert json.loads(first)["id"] == "c-1"
    assert err == ""


def test_ctrl_c_exits_130_with_a_note(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.Reader, "read", interrupted)
    status, out, err = main_in_process("validate", write(tmp_path / "x.json", "{}"))
    assert (status, out) == (130, "")
    assert err == "purecloud-internal-message: interrupted\n"


def test_ctrl_c_in_a_real_process() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "purecloud_internal_message",
            "validate",
            "--progress",
            "always",
            "-",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stderr is not None
    process.stdin.write(b'{"id": "a"}\n')
    process.stdin.flush()
    process.stderr.read(1)  # the bar is drawn: the command is reading
    process.send_signal(signal.SIGINT)
    err = process.stderr.read().decode()
    assert process.wait() == 130
    assert "interrupted" in err
    assert "Traceback" not in err
    process.stdin.close()


# -- to-parquet --


def test_to_parquet_converts_and_reports_like_validate(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    source = write(tmp_path / "in.jsonl", jsonl(GOOD, BAD_TIME, GOOD))
    out = tmp_path / "messages.parquet"
    status, stdout, err = main_in_process("to-parquet", source, str(CONVERSATION), str(out))
    assert status == 1
    assert stdout.startswith(f"{source}:2: messages[0].messageTime: ")
    assert f"5 records read, 4 written to {out}, 1 invalid" in err
    assert pq.read_table(out).num_rows == 4
    errors = tmp_path / "messages.errors.jsonl"
    assert json.loads(errors.read_text())["line"] == 2

    status, stdout, _ = main_in_process(
        "to-parquet",
        "--errors",
        str(tmp_path / "e.jsonl"),
        "--unit",
        "us",
        "--output-format",
        "json",
        "-q",
        source,
        str(out),
    )
    assert status == 1
    assert json.loads(stdout)["kind"] == "invalid"
    assert (tmp_path / "e.jsonl").exists()
    assert str(pq.read_table(out).schema.field("connectedTime").type) == "timestamp[us, tz=UTC]"


def test_to_parquet_exits_2_when_it_cannot_write(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    source = write(tmp_path / "in.jsonl", jsonl(GOOD))
    status, _, err = main_in_process("to-parquet", source, str(tmp_path / "no" / "out.parquet"))
    assert status == 2
    assert f"cannot write {tmp_path / 'no'}" in err
    assert "Traceback" not in err


def test_to_parquet_without_pyarrow_names_the_extra(tmp_path: Path) -> None:
    source = write(tmp_path / "in.jsonl", jsonl(GOOD))
    code = (
        "import sys; sys.modules['pyarrow'] = None\n"
        "from purecloud_internal_message.cli import main\n"
        f"sys.exit(main(['to-parquet', {source!r}, {str(tmp_path / 'out.parquet')!r}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stderr == (
        "purecloud-internal-message: to-parquet needs pyarrow, the arrow extra:"
        " pip install 'purecloud-internal-message[arrow]'\n"
    )
    assert not (tmp_path / "out.parquet").exists()


# -- exit status: 1 for bad records (lines that are not JSON too), 2 when the job fails --


def test_a_document_that_is_not_json_exits_2_after_the_records_before_it(tmp_path: Path) -> None:
    text = "[\n" + json.dumps(BAD_TIME) + ",\n" + json.dumps(GOOD) + " oops]\n"
    status, out, err = main_in_process("validate", write(tmp_path / "doc.json", text))
    assert status == 2  # wins over the invalid record before it
    assert [line.split(": ")[1] for line in out.splitlines()] == [
        "[0].messages[0].messageTime",
        "not JSON",
    ]
    assert "2 records read, 1 invalid, 1 not JSON" in err


def test_exit_status_of_lines_documents_and_inputs_together(tmp_path: Path) -> None:
    lines = write(tmp_path / "a.jsonl", jsonl(GOOD) + "{broken\n")
    clean = write(tmp_path / "b.jsonl", jsonl(GOOD))
    document = write(tmp_path / "c.json", "[" + json.dumps(GOOD) + ",]")
    assert main_in_process("validate", clean)[0] == 0
    assert main_in_process("validate", lines, clean)[0] == 1
    assert main_in_process("validate", lines, document)[0] == 2
    assert main_in_process("validate", lines, str(tmp_path / "missing.jsonl"))[0] == 2


def test_help_states_the_exit_statuses() -> None:
    text = " ".join(cli.build_parser().format_help().split())  # as wrapped to any width
    assert "1 at least one record is invalid (a line of JSON Lines that is not JSON too)" in text
    assert (
        "2 the command could not do its job: usage error, unreadable input, a whole document"
        " that is not JSON, unwritable output (wins over 1)"
    ) in text


# -- the two the audit planted --


def test_github_annotations_of_an_unreadable_input_name_no_line(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.json")
    status, out, _ = main_in_process("validate", "--output-format", "github", missing)
    assert status == 2
    assert out == f"::error file={missing}::cannot read: No such file or directory\n"


def test_an_empty_no_color_leaves_colour_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no-color.org: only a NO_COLOR that is set and not empty turns colour off.
    path = write(tmp_path / "x.jsonl", jsonl(BAD_TIME))
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("NO_COLOR", "")
    _, out, _ = main_in_process("validate", path, stdout=_TerminalOut())
    assert out.startswith(f"\033[1m{path}:1:\033[0m ")


def test_problems_as_json_are_written_by_the_package_writer(tmp_path: Path) -> None:
    from purecloud_internal_message._jsontext import JSON

    path = write(tmp_path / "x.jsonl", jsonl(BAD_TIME))
    _, out, _ = main_in_process("validate", "--output-format", "json", path)
    (line,) = out.splitlines()
    assert line == JSON.dumps(json.loads(line))  # compact: the one writer's form


# -- to-parquet's errors file and row groups --


def test_to_parquet_leaves_no_errors_file_after_a_clean_run(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out, errors = tmp_path / "m.parquet", tmp_path / "m.errors.jsonl"
    bad = write(tmp_path / "bad.jsonl", jsonl(GOOD, BAD_TIME))
    assert main_in_process("to-parquet", "-q", bad, str(out))[0] == 1
    assert json.loads(errors.read_text())["line"] == 2
    # A later clean run: the file that claimed problems goes, as no problem was found.
    good = write(tmp_path / "good.jsonl", jsonl(GOOD))
    assert main_in_process("to-parquet", "-q", good, str(out))[0] == 0
    assert not errors.exists()
    assert pq.read_table(out).num_rows == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "good.jsonl", "m.parquet"]


@pytest.mark.parametrize(
    ("option", "value", "records", "groups", "parameter", "default"),
    [
        ("--row-group-size", "3", 7, [3, 3, 1], "row_group_size", cli.ROW_GROUP_SIZE),
        # Two batches (1,024 and 976 rows): a bound of one byte ends a group at each.
        ("--row-group-bytes", "1", 2000, [1024, 976], "row_group_bytes", cli.ROW_GROUP_BYTES),
    ],
)
def test_to_parquet_row_group_bounds(
    tmp_path: Path,
    option: str,
    value: str,
    records: int,
    groups: list[int],
    parameter: str,
    default: int,
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from purecloud_internal_message.arrow import to_parquet

    source = write(tmp_path / "x.jsonl", jsonl(*[GOOD] * records))
    out = tmp_path / "m.parquet"
    assert main_in_process("to-parquet", option, value, source, str(out))[0] == 0
    metadata = pq.ParquetFile(out).metadata
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == groups
    assert inspect.signature(to_parquet).parameters[parameter].default == default
    assert f"(default: {default}" in " ".join(run("to-parquet", "--help").stdout.split())
    for bad in ("0", "-5", "many"):
        result = run("to-parquet", option, bad, source, str(out))
        assert result.returncode == 2
        assert "expected a positive integer" in result.stderr
