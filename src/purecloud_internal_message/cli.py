"""The command line: check and normalize internal-message payloads without writing Python.

``purecloud-internal-message validate FILE...`` decodes every internal message
found in its inputs and names each problem as ``FILE:LINE: PATH: message``;
``normalize FILE...`` writes every valid one as canonical API JSON, one per
line. See ``--help``, or docs/cli.md, for the input forms and exit codes.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from ._errors import ValidationError
from ._records import Batch, NotJSON, Record, read_batches
from .internal_message import InternalMessage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, BinaryIO, TextIO

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_UNUSABLE", "build_parser", "main"]

PROG = "purecloud-internal-message"

#: Every record is valid.
EXIT_OK = 0
#: At least one record is invalid.
EXIT_INVALID = 1
#: A usage error, an unreadable input, or text that is not JSON (wins over 1).
EXIT_UNUSABLE = 2

#: Inputs at least this large get a progress bar when standard error is a terminal.
PROGRESS_THRESHOLD = 32 * 1024 * 1024

_INPUT_HELP = """\
inputs:
  Each FILE (or - for standard input) may hold one internal message, a JSON
  array of them, JSON Lines (one value per line, read as a stream), or Genesys
  conversation documents (objects with participants[].internalMessages[]) -
  alone, in an array, one per line, or in a listing page {"entities": [...]}.
  A file is JSON Lines when its first non-blank line is a complete JSON value
  (or with --format jsonl, or a .jsonl/.ndjson name); otherwise one document.

exit status:
  0  every record is valid
  1  at least one record is invalid
  2  usage error, unreadable input, or text that is not JSON (wins over 1)
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with its two commands."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Validate and normalize Genesys Cloud internal-message payloads.",
        epilog=_INPUT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("files", nargs="+", metavar="FILE", help="an input file, or - for stdin")
    common.add_argument(
        "--strict",
        action="store_true",
        help="refuse unknown fields and enum values outside the documented set",
    )
    common.add_argument(
        "--format",
        choices=("auto", "json", "jsonl"),
        default="auto",
        help="how to read the inputs (default: auto, see below)",
    )
    common.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="show a progress bar on stderr (needs tqdm; auto: for large inputs on a terminal)",
    )

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            parents=[common],
            help=summary,
            description=description,
            epilog=_INPUT_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    validate = command(
        "validate",
        "check every internal message; print FILE:LINE: PATH: message per problem",
        "Decode every internal message found and print each problem to standard output as"
        " FILE:LINE: PATH: message. A summary goes to standard error.",
    )
    validate.set_defaults(sdk=False)
    normalize = command(
        "normalize",
        "write every valid internal message as canonical API JSON, one per line",
        "Write every valid internal message found to standard output as canonical API JSON,"
        " one per line. Problems and a summary go to standard error.",
    )
    normalize.add_argument(
        "--sdk",
        action="store_true",
        help="write the SDK's to_dict() form (Python names, isoformat timestamps) instead",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return _Run(args).run()
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130


class _Run:
    """One invocation: reads the inputs, decodes, reports, counts."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.files: list[str] = args.files
        self.strict: bool = args.strict
        self.form: str = args.format
        self.normalize = args.command == "normalize"
        self.sdk: bool = args.sdk
        # Diagnostics are validate's output; normalize's output is the records.
        self.report_to: TextIO = sys.stderr if self.normalize else sys.stdout
        self.progress = _progress_bar(args.progress, self.files)
        self.records = self.invalid = self.written = self.not_json = self.unreadable = 0

    def run(self) -> int:
        try:
            for name in self.files:
                self.read(name)
        finally:
            if self.progress is not None:
                self.progress.close()
        sys.stdout.flush()
        self.summarize()
        if self.not_json or self.unreadable:
            return EXIT_UNUSABLE
        return EXIT_INVALID if self.invalid else EXIT_OK

    def read(self, name: str) -> None:
        label = "<stdin>" if name == "-" else name
        form = self.form
        if form == "auto" and name.endswith((".jsonl", ".ndjson", ".jsonlines")):
            form = "jsonl"
        try:
            if name == "-":
                self.read_stream(label, sys.stdin.buffer, form)
            else:
                with open(name, "rb") as stream:
                    self.read_stream(label, stream, form)
        except OSError as exc:
            self.unreadable += 1
            self.report(f"{label}: cannot read: {exc.strerror or exc}")

    def read_stream(self, label: str, stream: BinaryIO, form: str) -> None:
        advance = self.progress.update if self.progress is not None else None
        for batch in read_batches(stream, form=form, progress=advance):
            if isinstance(batch, NotJSON):
                self.not_json += 1
                self.report(f"{label}:{batch.line}: {batch.message}")
            else:
                self.check(label, batch)

    def check(self, label: str, batch: Batch) -> None:
        bad: list[tuple[Record, list[tuple[str, str]]]] = []
        for record in batch.records:
            self.records += 1
            problems = self.decode(record)
            if problems:
                bad.append((record, problems))
        if not bad:
            return
        self.invalid += len(bad)
        batch.locate([record for record, _ in bad])
        for record, problems in bad:
            for path, message in problems:
                self.report(f"{label}:{record.line}: {path or '(root)'}: {message}")

    def decode(self, record: Record) -> list[tuple[str, str]]:
        """The record's problems as (path, message); writes it out when normalizing."""
        if record.problem is not None:
            return [(record.path, record.problem)]
        try:
            message = InternalMessage.from_dict(record.data, strict=self.strict)
        except ValidationError as error:
            return [(_join(record.path, item.path), item.message) for item in error.errors]
        if self.normalize:
            text = message.to_json() if self.sdk else message.to_api_json()
            sys.stdout.write(text + "\n")
            self.written += 1
        return []

    def report(self, line: str) -> None:
        if self.progress is not None and self.report_to is sys.stderr:
            self.progress.write(line, file=sys.stderr)  # keeps the bar intact
        else:
            print(line, file=self.report_to)

    def summarize(self) -> None:
        parts = [f"{self.records} record{'' if self.records == 1 else 's'} read"]
        if self.normalize:
            parts.append(f"{self.written} written")
        parts.append(f"{self.invalid} invalid")
        if self.not_json:
            parts.append(f"{self.not_json} not JSON")
        if self.unreadable:
            parts.append(f"{self.unreadable} unreadable")
        print(f"{PROG}: {', '.join(parts)}", file=sys.stderr)


def _join(record_path: str, error_path: str) -> str:
    if record_path and error_path:
        return f"{record_path}.{error_path}"
    return record_path or error_path


class _Progress:
    """A tqdm bar over input bytes, updated in steps so that per-line cost stays low."""

    _STEP = 1 << 20

    def __init__(self, bar: Any) -> None:
        self._bar = bar
        self._pending = 0

    def update(self, count: int) -> None:
        self._pending += count
        if self._pending >= self._STEP:
            self._bar.update(self._pending)
            self._pending = 0

    def write(self, line: str, file: TextIO) -> None:
        self._bar.write(line, file=file)

    def close(self) -> None:
        self._bar.update(self._pending)
        self._bar.close()


def _progress_bar(mode: str, files: list[str]) -> _Progress | None:
    if mode == "never":
        return None
    total = _total_size(files)
    if mode == "auto" and not (
        sys.stderr.isatty() and total is not None and total >= PROGRESS_THRESHOLD
    ):
        return None
    try:
        from tqdm import tqdm  # the optional "cli" extra
    except ImportError:
        return None
    bar: Callable[..., Any] = tqdm
    return _Progress(bar(total=total, unit="B", unit_scale=True, file=sys.stderr, leave=False))


def _total_size(files: list[str]) -> int | None:
    """The inputs' total size, or None when one of them (stdin, a pipe) has none."""
    total = 0
    for name in files:
        if name == "-":
            return None
        try:
            total += os.stat(name).st_size
        except OSError:
            continue  # reported as unreadable when its turn comes
    return total
