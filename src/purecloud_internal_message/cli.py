"""The command line: check, normalize and convert internal-message payloads without Python.

``purecloud-internal-message validate FILE...`` decodes every internal message
found in its inputs and names each problem as ``FILE:LINE: PATH: message``;
``normalize FILE...`` writes every valid one as canonical API JSON, one per
line; ``to-parquet IN... OUT`` writes them to a Parquet file. See ``--help``,
or docs/cli.md, for the input forms, output formats and exit codes.

Problems go to standard output (to standard error for ``normalize``, whose
records are the output), the summary to standard error. Records are found by
the walker behind
[`iter_internal_messages`][purecloud_internal_message.iter_internal_messages]
and reported by `_reader.Reader`, as the Parquet converter reports them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from . import __version__
from ._problems import INVALID, NOT_JSON, UNREADABLE, Counts, Problem, problem_json
from ._reader import Reader
from .internal_message import InternalMessage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TextIO

__all__ = ["EXIT_INTERRUPTED", "EXIT_INVALID", "EXIT_OK", "EXIT_UNUSABLE", "build_parser", "main"]

PROG = "purecloud-internal-message"

#: Every record is valid.
EXIT_OK = 0
#: At least one record is invalid, a line of JSON Lines that is not JSON included
#: (also: standard output was closed early, as Python's documentation recommends
#: for a broken pipe).
EXIT_INVALID = 1
#: The command could not do its job: a usage error, an input that cannot be read,
#: a whole document that is not JSON, or an output that cannot be written (wins
#: over 1).
EXIT_UNUSABLE = 2
#: Interrupted (Ctrl-C): 128 + SIGINT, as shells report it.
EXIT_INTERRUPTED = 130

#: The rows of a Parquet row group unless ``--row-group-size`` says otherwise (as
#: ``to_parquet``'s default).
ROW_GROUP_SIZE = 131072
#: The bytes of Arrow columns a row group holds at most unless ``--row-group-bytes``
#: says otherwise (as ``to_parquet``'s default): what bounds the memory a conversion needs.
ROW_GROUP_BYTES = 64 * 1024 * 1024

#: Inputs at least this large get a progress bar when standard error is a terminal.
PROGRESS_THRESHOLD = 32 * 1024 * 1024

_CLI_EXTRA = f"pip install '{PROG}[cli]'"
_ARROW_EXTRA = f"pip install '{PROG}[arrow]'"

_INPUT_HELP = """\
inputs:
  Each input (- for standard input) may hold one internal message, a JSON array \
of them, JSON Lines (one value per line), or Genesys conversation documents \
(objects with participants[].internalMessages[]) - alone, in an array, one per \
line, or in a listing page {"entities": [...]}. An input is JSON Lines when its \
first value is complete on its first line (or with --format jsonl, or a \
.jsonl/.ndjson/.jsonlines name); otherwise one document, which is streamed.

output formats:
  text    FILE:LINE: PATH: message, in colour on a terminal (unless NO_COLOR is set \
and not empty)
  json    one JSON object per problem: file, line, kind, path, message
  github  GitHub Actions annotations: ::error file=FILE,line=LINE::PATH: message

exit status:
  0    every record is valid
  1    at least one record is invalid (a line of JSON Lines that is not JSON too)
  2    the command could not do its job: usage error, unreadable input, a whole \
document that is not JSON, unwritable output (wins over 1)
  130  interrupted
"""


class _HelpFormatter(argparse.HelpFormatter):
    """Wraps descriptions and epilogs to the terminal: a run of lines with one
    indentation is a paragraph, except lines that are items of a table
    (a word, two spaces, its meaning), which keep their line.
    """

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap

        out: list[str] = []
        for block in text.split("\n\n"):
            runs: list[tuple[str, list[str]]] = []
            for line in block.splitlines():
                margin = line[: len(line) - len(line.lstrip())]
                in_table = bool(margin) and "  " in line.strip()
                if (
                    runs
                    and runs[-1][0] == margin
                    and not in_table
                    and not runs[-1][1][-1].endswith(":")
                ):
                    runs[-1][1].append(line.strip())
                else:
                    runs.append((margin, [line.strip()]))
            lines: list[str] = []
            for margin, words in runs:
                first = indent + margin
                if len(words) == 1 and "  " in words[0]:  # a table's item: its own line
                    item = words[0]
                    meaning = item.partition("  ")[2]
                    hang = first + " " * (len(item) - len(meaning.lstrip()))
                    lines.extend(
                        textwrap.wrap(item, width, initial_indent=first, subsequent_indent=hang)
                    )
                else:
                    lines.extend(
                        textwrap.wrap(
                            " ".join(words), width, initial_indent=first, subsequent_indent=first
                        )
                    )
            out.append("\n".join(lines))
        return "\n\n".join(out)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with its three commands."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Validate, normalize and convert Genesys Cloud internal-message payloads.",
        epilog=_INPUT_HELP,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--strict",
        action="store_true",
        help="refuse unknown fields and enum values outside the documented set",
    )
    reading.add_argument(
        "--format",
        choices=("auto", "json", "jsonl"),
        default="auto",
        help="how to read the inputs (default: auto, see below)",
    )
    reading.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="a progress bar on standard error (needs the cli extra; default auto: for inputs"
        " of 32 MiB or more on a terminal)",
    )
    reading.add_argument(
        "--output-format",
        choices=("text", "json", "github"),
        default="text",
        help="how problems are written (default: text, see below)",
    )
    reading.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="write the problems only: no summary, no progress bar unless --progress always",
    )
    files = argparse.ArgumentParser(add_help=False)
    files.add_argument("files", nargs="+", metavar="FILE", help="an input file, or - for stdin")

    def command(
        name: str, summary: str, description: str, parents: list[argparse.ArgumentParser]
    ) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            parents=parents,
            help=summary,
            description=description,
            epilog=_INPUT_HELP,
            formatter_class=_HelpFormatter,
        )

    command(
        "validate",
        "check every internal message; print FILE:LINE: PATH: message per problem",
        "Decode every internal message found and write each problem to standard output"
        " (FILE:LINE: PATH: message, or --output-format). A summary goes to standard error.",
        [files, reading],
    )
    normalize = command(
        "normalize",
        "write every valid internal message as canonical API JSON, one per line",
        "Write every valid internal message found to standard output as canonical API JSON,"
        " one per line. Problems and a summary go to standard error.",
        [files, reading],
    )
    normalize.add_argument(
        "--sdk",
        action="store_true",
        help="write the SDK's to_dict() form (Python names, isoformat timestamps) instead",
    )
    to_parquet = command(
        "to-parquet",
        "write every valid internal message to a Parquet file (needs the arrow extra)",
        "Convert the inputs to one Parquet file, OUT, with typed columns that pandas, polars"
        " and DuckDB read as they are. Problems go to standard output as validate writes them,"
        " and to an errors file as JSON Lines; a summary goes to standard error.",
        [reading],
    )
    to_parquet.add_argument("inputs", nargs="+", metavar="IN", help="an input file, or - for stdin")
    to_parquet.add_argument("output", metavar="OUT", help="the Parquet file to write")
    to_parquet.add_argument(
        "--errors",
        metavar="FILE",
        help="where to write the problems as JSON Lines (default: OUT with .errors.jsonl"
        " in place of its suffix)",
    )
    to_parquet.add_argument(
        "--unit",
        choices=("ms", "us"),
        default="ms",
        help="the timestamps' unit (default: ms, as the API writes them; with ms a"
        " sub-millisecond timestamp is a problem)",
    )
    to_parquet.add_argument(
        "--row-group-size",
        type=_positive_int,
        default=ROW_GROUP_SIZE,
        metavar="ROWS",
        help=f"rows per Parquet row group, at most (default: {ROW_GROUP_SIZE})",
    )
    to_parquet.add_argument(
        "--row-group-bytes",
        type=_positive_int,
        default=ROW_GROUP_BYTES,
        metavar="BYTES",
        help="bytes of Arrow columns per row group, at most: a group is written once the"
        " records collected reach ROWS or BYTES, whichever comes first, and memory holds"
        f" about one group (default: {ROW_GROUP_BYTES}, 64 MiB, about 80,000 typical"
        " records; peak memory stays under 200 MB)",
    )
    return parser


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: `sys.argv[1:]`); returns the exit status.

    Never raises for bad input: every problem is reported and counted. A
    reader that goes away (`| head`) ends the run quietly, with status 1 as
    Python's documentation recommends; Ctrl-C ends it with a short note and
    status 130.
    """
    args = build_parser().parse_args(argv)
    try:
        return _Run(args).run()
    except BrokenPipeError:
        # The reader went away: stop quietly. Standard output goes to devnull so
        # that the interpreter's last flush cannot complain either.
        _close_stdout()
        return EXIT_INVALID
    except KeyboardInterrupt:
        with contextlib.suppress(OSError):
            print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def run() -> int:
    """The program: [`main`][purecloud_internal_message.cli.main] in a process of its
    own (the ``purecloud-internal-message`` command and ``python -m``).

    Unlike `main`, which a program may call in its own process, this owns the
    process, and so settles one thing for it: OpenBLAS (loaded with numpy, which
    pyarrow imports) starts a thread per core that spins for a while before it
    sleeps, about 0.1 CPU-seconds at every start, and the commands do no linear
    algebra. ``OPENBLAS_NUM_THREADS=1`` keeps those threads from starting, unless
    the environment already says otherwise.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    return main()


def _close_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests): nothing to do
        pass


class _Run:
    """One invocation: reads the inputs, decodes, reports, counts."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.command: str = args.command
        self.quiet: bool = args.quiet
        # Problems are validate's output; normalize's output is the records.
        report_to = sys.stderr if self.command == "normalize" else sys.stdout
        inputs: list[str] = args.inputs if self.command == "to-parquet" else args.files
        self.inputs = inputs
        self.progress = _progress_bar(args.progress, inputs, quiet=self.quiet)
        self.reporter = _Reporter(report_to, args.output_format, self.progress)

    def run(self) -> int:
        try:
            if self.command == "to-parquet":
                status = self.convert()
                if status is not None:
                    return status
            else:
                self.read()
            sys.stdout.flush()
        finally:
            if self.progress is not None:
                self.progress.close()
        counts = self.counts
        if not self.quiet:
            self.summarize(counts)
        if counts.unreadable or counts.not_json_documents:
            return EXIT_UNUSABLE
        return EXIT_INVALID if counts.invalid or counts.not_json else EXIT_OK

    def read(self) -> None:
        args = self.args
        reader = Reader(InternalMessage, strict=args.strict, report=self.reporter.report)
        self.counts = reader.counts
        advance = self.progress.update if self.progress is not None else None
        normalize = self.command == "normalize"
        write = sys.stdout.write
        sdk: bool = normalize and args.sdk
        for name in self.inputs:
            source, label = _source(name)
            found = reader.read(source, form=args.format, progress=advance, label=label)
            if not normalize:
                for _ in found:
                    pass
            elif sdk:
                for model, _, _ in found:
                    write(model.to_json() + "\n")
                    reader.counts.written += 1
            else:
                for model, _, _ in found:
                    write(model.to_api_json() + "\n")
                    reader.counts.written += 1

    def convert(self) -> int | None:
        """``to-parquet``; an exit status when it could not run, else None."""
        args = self.args
        self.counts = Counts()
        try:
            from .arrow import to_parquet  # the arrow extra
        except ImportError:
            _note(f"to-parquet needs pyarrow, the arrow extra: {_ARROW_EXTRA}")
            return EXIT_UNUSABLE
        output: str = args.output
        errors: str = args.errors or os.path.splitext(output)[0] + ".errors.jsonl"
        sources = [_source(name)[0] for name in self.inputs]
        try:
            self.counts = to_parquet(
                sources,
                output,
                errors=errors,
                unit=args.unit,
                row_group_size=args.row_group_size,
                row_group_bytes=args.row_group_bytes,
                strict=args.strict,
                form=args.format,
                progress=self.progress.update if self.progress is not None else None,
                on_problem=self.reporter.report,
            )
        except BrokenPipeError:
            raise
        except OSError as exc:
            where = exc.filename if exc.filename is not None else output
            # A path is written through a temporary file beside it (".NAME.<hex>.partial"):
            # name the file the user gave, not that one.
            name = os.path.basename(str(where))
            for given in (output, errors):
                if name.startswith(f".{os.path.basename(given)}.") and name.endswith(".partial"):
                    where = given
            _note(f"cannot write {where}: {exc.strerror or exc}")
            return EXIT_UNUSABLE
        self.output = output
        return None

    def summarize(self, counts: Counts) -> None:
        parts = [f"{counts.records} record{'' if counts.records == 1 else 's'} read"]
        if self.command == "normalize":
            parts.append(f"{counts.written} written")
        elif self.command == "to-parquet":
            parts.append(f"{counts.written} written to {self.output}")
        parts.append(f"{counts.invalid} invalid")
        if counts.not_json:
            parts.append(f"{counts.not_json} not JSON")
        if counts.unreadable:
            parts.append(f"{counts.unreadable} unreadable")
        print(f"{PROG}: {', '.join(parts)}", file=sys.stderr)


def _source(name: str) -> tuple[Any, str]:
    """An input as given on the command line: (path or stream, the name reported)."""
    if name == "-":
        return sys.stdin.buffer, "<stdin>"
    return name, name


def _note(text: str) -> None:
    print(f"{PROG}: {text}", file=sys.stderr)


# -- reporting ----------------------------------------------------------------------------


class _Reporter:
    """Writes each problem in the chosen format, through the progress bar if there is one."""

    def __init__(self, stream: TextIO, form: str, progress: _Progress | None) -> None:
        self._stream = stream
        self._progress = progress
        self._format: Callable[[Problem], str] = {
            "text": _text_colour if form == "text" and _colour(stream) else _text,
            "json": problem_json,
            "github": _github,
        }[form]

    def report(self, problem: Problem) -> None:
        line = self._format(problem)
        if self._progress is not None:
            self._progress.write(line, self._stream)  # keeps the bar intact
        else:
            self._stream.write(line + "\n")


def _colour(stream: TextIO) -> bool:
    """Colour on a terminal, unless NO_COLOR is set and not empty (no-color.org: an
    empty one counts as unset); FORCE_COLOR forces it.
    """
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except ValueError:  # closed
        return False


_BOLD, _RED, _CYAN, _RESET = "\033[1m", "\033[31m", "\033[36m", "\033[0m"


def _text(problem: Problem) -> str:
    return str(problem)


def _text_colour(problem: Problem) -> str:
    if problem.kind == UNREADABLE:
        return f"{_BOLD}{problem.file}:{_RESET} {_RED}{problem.message}{_RESET}"
    where = f"{_BOLD}{problem.file}:{problem.line}:{_RESET}"
    if problem.kind == NOT_JSON:
        return f"{where} {_RED}{problem.message}{_RESET}"
    return f"{where} {_CYAN}{problem.path or '(root)'}{_RESET}: {problem.message}"


def _github(problem: Problem) -> str:
    """A GitHub Actions workflow command: ``::error file=F,line=L::message``."""
    place = f"file={_github_property(problem.file)}"
    if problem.line is not None:
        place += f",line={problem.line}"
    if problem.kind == INVALID:
        text = f"{problem.path or '(root)'}: {problem.message}"
    else:
        text = problem.message
    return f"::error {place}::{_github_data(text)}"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


# -- progress -----------------------------------------------------------------------------


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
        self._pending = 0
        self._bar.close()


def _progress_bar(mode: str, files: list[str], *, quiet: bool = False) -> _Progress | None:
    """The bar ``--progress`` asks for, if it can be shown (``always`` says why not)."""
    if mode == "never" or (mode == "auto" and quiet):
        return None
    total = _total_size(files)
    if mode == "auto" and not (
        sys.stderr.isatty() and total is not None and total >= PROGRESS_THRESHOLD
    ):
        return None
    try:
        from tqdm import tqdm  # the optional "cli" extra
    except ImportError:
        if mode == "always":
            _note(f"no progress bar: it needs tqdm, the cli extra: {_CLI_EXTRA}")
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
