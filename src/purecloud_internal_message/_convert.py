"""Reading inputs for a conversion: good records out, problems as data, nothing raised.

A conversion (to Parquet, or a partition of a Dask job) must not stop at the
first bad record of a hundred million, and must say where each one was. This
module reads inputs as the command line's ``validate`` does (the same input
forms, line numbers and paths, through `_records`), yields the valid models,
and turns everything else into [`Problem`][purecloud_internal_message._convert.Problem]
rows that callers write to an errors file or hand back as data.

Pure Python: no optional dependency is imported here.
"""

from __future__ import annotations

import os

from ._errors import ValidationError
from ._records import Record, read_records
from ._values import text_ok

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, BinaryIO

    from ._model import Model

__all__ = ["INVALID", "NOT_JSON", "UNREADABLE", "Counts", "Problem", "Reader", "source_label"]

#: A record that is not a valid payload (or does not fit the output's schema).
INVALID = "invalid"
#: A line or document that is not JSON text.
NOT_JSON = "not-json"
#: An input that cannot be opened or read.
UNREADABLE = "unreadable"

# Names that make an "auto" input JSON Lines, as on the command line.
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")


class Problem:
    """One problem found in the inputs: a row of the errors file.

    Attributes:
        file: The input's name as given (``<stdin>`` for standard input).
        line: The 1-based line of the problem: the line of the offending value
            where it can be found (in a JSON document, a bad field's own line),
            else the line the record starts on; None for an input that could
            not be read.
        kind: ``"invalid"`` (a bad record), ``"not-json"`` (a line or document
            that is not JSON) or ``"unreadable"`` (an input that could not be read).
        path: Where in the line's value the problem is
            (``participants[0].internalMessages[1].messages[2].messageTime``);
            ``""`` for the value as a whole.
        message: What was expected and what was found, in the package's words.
    """

    __slots__ = ("file", "kind", "line", "message", "path")

    def __init__(self, file: str, line: int | None, kind: str, path: str, message: str) -> None:
        # Every text in a row can be written as UTF-8 (a file name from the
        # file system may hold undecodable bytes as lone surrogates).
        self.file = _writable(file)
        self.line = line
        self.kind = kind
        self.path = _writable(path)
        self.message = _writable(message)

    def as_dict(self) -> dict[str, Any]:
        """The row as the errors file holds it (``file``, ``line``, ``kind``, ``path``,
        ``message``).
        """
        return {
            "file": self.file,
            "line": self.line,
            "kind": self.kind,
            "path": self.path,
            "message": self.message,
        }

    def __str__(self) -> str:
        """The problem as ``validate`` prints it: ``FILE:LINE: PATH: message``."""
        if self.kind == UNREADABLE:
            return f"{self.file}: {self.message}"
        if self.kind == NOT_JSON:
            return f"{self.file}:{self.line}: {self.message}"
        return f"{self.file}:{self.line}: {self.path or '(root)'}: {self.message}"

    def __repr__(self) -> str:
        return (
            f"Problem(file={self.file!r}, line={self.line!r}, kind={self.kind!r}, "
            f"path={self.path!r}, message={self.message!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    __hash__ = None  # type: ignore[assignment]


def _writable(text: str) -> str:
    if text_ok(text):
        return text
    # A lone surrogate becomes its \\udXXX escape, which inside a JSON string
    # is the JSON escape for that code unit.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class Counts:
    """What a conversion read and wrote.

    Attributes:
        records: Internal messages found in the inputs (valid or not).
        written: Records written to the output.
        invalid: Records left out because they are invalid (or do not fit the
            output's schema).
        not_json: Lines or documents that are not JSON text.
        unreadable: Inputs that could not be read.
        problems: Rows written to the errors file (a record may have several).
    """

    __slots__ = ("invalid", "not_json", "problems", "records", "unreadable", "written")

    def __init__(self) -> None:
        self.records = 0
        self.written = 0
        self.invalid = 0
        self.not_json = 0
        self.unreadable = 0
        self.problems = 0

    def as_dict(self) -> dict[str, int]:
        """The counts by name."""
        return {name: getattr(self, name) for name in _COUNTS}

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value}" for name, value in self.as_dict().items())
        return f"Counts({inner})"


_COUNTS = ("records", "written", "invalid", "not_json", "unreadable", "problems")


def source_label(source: Any) -> str:
    """The name a source is reported under: the path as given, or a stream's ``name``."""
    if isinstance(source, (str, os.PathLike)):
        return os.fsdecode(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<stream>"


class Reader:
    """Decodes the internal messages of inputs, counting, and reporting each problem.

    Args:
        model: The model class to decode into.
        strict: Decode as ``from_dict(strict=True)``.
        report: Called with each [`Problem`][purecloud_internal_message._convert.Problem],
            in input order.
    """

    def __init__(
        self, model: type[Model], *, strict: bool, report: Callable[[Problem], None]
    ) -> None:
        self.model = model
        self.strict = strict
        self.counts = Counts()
        self._report = report

    def problem(self, problem: Problem) -> None:
        """Count and report one problem."""
        self.counts.problems += 1
        self._report(problem)

    def read(
        self,
        source: str | os.PathLike[str] | BinaryIO,
        *,
        form: str = "auto",
        progress: Callable[[int], None] | None = None,
        label: str | None = None,
    ) -> Iterator[tuple[Model, int, str]]:
        """The valid records of one input as (model, line, path in the line's value).

        ``source`` is a path or a binary stream. An input that cannot be opened
        or read is reported (``unreadable``) and has no records; what was read
        before a read error stays read.
        """
        name = label if label is not None else source_label(source)
        if form == "auto" and name.endswith(_JSONL_SUFFIXES):
            form = "jsonl"
        if not isinstance(source, (str, os.PathLike)):
            yield from self.read_stream(source, name, form=form, progress=progress)
            return
        try:
            stream = open(source, "rb")  # noqa: SIM115 - closed below, after the records
        except OSError as exc:
            self._unreadable(name, exc)
            return
        with stream:
            yield from self.read_stream(stream, name, form=form, progress=progress)

    def read_stream(
        self,
        stream: BinaryIO,
        name: str,
        *,
        form: str = "auto",
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[tuple[Model, int, str]]:
        """The valid records of an open binary stream reported under ``name``
        (see [`read`][purecloud_internal_message._convert.Reader.read]). A read
        error ends the stream's records and is reported (``unreadable``); an error
        of the reporting itself (writing the errors file) propagates.
        """
        counts = self.counts
        from_dict = self.model.from_dict
        strict = self.strict
        fast = 0  # the records of the fast path, counted here and added at the end

        def report(found: Problem) -> None:
            try:
                self.problem(found)
            except OSError as exc:  # told apart from a read error below
                raise _ReportFailed(exc) from None

        try:
            for item in read_records(stream, form=form, progress=progress):
                if type(item) is tuple:  # a JSON Lines line that is one message: the common case
                    fast += 1
                    try:
                        model = from_dict(item[1], strict=strict)
                    except ValidationError as error:
                        counts.invalid += 1
                        for found in error.errors:
                            report(Problem(name, item[0], INVALID, found.path, found.message))
                        continue
                    yield model, item[0], ""
                elif isinstance(item, Record):
                    counts.records += 1
                    if item.problem is not None:
                        counts.invalid += 1
                        report(Problem(name, item.line, INVALID, item.path, item.problem))
                        continue
                    try:
                        model = from_dict(item.data, strict=strict)
                    except ValidationError as error:
                        counts.invalid += 1
                        for found in error.errors:
                            where = join(item.path, found.path)
                            line = item.line_of(found.path)
                            report(Problem(name, line, INVALID, where, found.message))
                        continue
                    yield model, item.line, item.path
                else:  # NotJSON
                    counts.not_json += 1
                    report(Problem(name, item.line, NOT_JSON, "", item.message))  # type: ignore[union-attr]
        except _ReportFailed as failed:  # writing the report failed: not the input's fault
            raise failed.error from None
        except OSError as exc:  # reading the input failed
            self._unreadable(name, exc)
        finally:
            counts.records += fast

    def _unreadable(self, name: str, exc: OSError) -> None:
        self.counts.unreadable += 1
        self.problem(Problem(name, None, UNREADABLE, "", f"cannot read: {exc.strerror or exc}"))

    def unfit(self, name: str, line: int, path: str, message: str) -> None:
        """Report a valid record that the output cannot hold (counted as invalid)."""
        self.counts.invalid += 1
        self.problem(Problem(name, line, INVALID, path, message))


class _ReportFailed(Exception):
    """An error of the reporting (writing the errors file, a closed standard output)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


def join(record_path: str, error_path: str) -> str:
    """A problem's path from the top of the line's value: the record's path, then the error's."""
    if record_path and error_path:
        return f"{record_path}.{error_path}"
    return record_path or error_path
