"""Reading inputs for a conversion: good records out, problems as data, nothing raised.

A conversion (to Parquet, a partition of a Dask job) and the command line must
not stop at the first bad record of a hundred million, and must say where each
one was. [`read_records`][purecloud_internal_message._reader.read_records] tells
an input's form and reads it (JSON Lines with `_jsonlines`, a document with
`_stream`); the [`Reader`][purecloud_internal_message._reader.Reader] decodes
what it finds, yields the valid models, and turns everything else into
[`Problem`][purecloud_internal_message.arrow.Problem] rows that callers write to
an errors file or hand back as data.

Pure Python: no optional dependency is imported here.
"""

from __future__ import annotations

import itertools
import os

from ._errors import ValidationError
from ._jsonlines import read_lines
from ._jsonvalues import path_text
from ._problems import INVALID, NOT_JSON, UNREADABLE, Counts, Problem
from ._shape import NotJSON, Record
from ._stream import Document, line_in

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, BinaryIO

    from ._errors import Loc
    from ._jsonlines import TakeLines
    from ._model import Model
    from ._shape import Plain

__all__ = ["Reader", "read_records", "source_label"]

# Names that make an "auto" input JSON Lines, as on the command line.
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")


def read_records(
    stream: BinaryIO,
    *,
    form: str = "auto",
    progress: Callable[[int], None] | None = None,
    first_line: int = 1,
    take_lines: TakeLines | None = None,
) -> Iterator[int | Plain | Record | NotJSON]:
    """The records of a binary stream, with text that is not JSON reported.

    ``form`` is ``"jsonl"`` (one value per line), ``"json"`` (one document,
    streamed) or ``"auto"``: JSON Lines when the first value is complete on its
    first line, with nothing after it there (no single document can be that
    and go on); otherwise one document. Blank input has no records, except as
    ``"json"``. ``progress`` is called with the number of bytes read, as they
    are. ``first_line`` is the number of the stream's first line, for JSON Lines
    only (a block of a file, numbered as the file's lines). Yields a
    [`Plain`][purecloud_internal_message._shape.Plain] tuple for a plain record
    (a JSON Lines line that is one message, a message the scanner found in a
    document), a [`Record`][purecloud_internal_message._shape.Record] for
    anything else found, and a
    [`NotJSON`][purecloud_internal_message._shape.NotJSON] report; with
    ``take_lines``, JSON Lines lines are offered to it first, and each run it
    takes is yielded as its count (see
    [`read_lines`][purecloud_internal_message._jsonlines.read_lines]).
    A read error (``OSError``) propagates.
    """
    # Iterators handed on, not re-yielded: each generator between the reader and
    # the records costs every record a step.
    if form == "jsonl":
        return read_lines(stream, number=first_line - 1, progress=progress, take=take_lines)
    if first_line != 1:
        raise ValueError("first_line is for JSON Lines (form='jsonl') only")
    document = Document(stream, progress)
    if form == "json":
        return document.walk(lines_allowed=False)
    return itertools.chain(
        document.walk(lines_allowed=True), _lines_after(document, stream, progress, take_lines)
    )


def _lines_after(
    document: Document,
    stream: BinaryIO,
    progress: Callable[[int], None] | None,
    take_lines: TakeLines | None,
) -> Iterator[int | Plain | Record | NotJSON]:
    """After the walk of ``document``: the rest as JSON Lines, if its first value
    was a line of its own.
    """
    if document.rest is not None:
        rest = None if document.drained else stream
        yield from read_lines(
            rest,
            head=document.rest,
            number=document.rest_line,
            progress=progress,
            take=take_lines,
        )


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
        report: Called with each [`Problem`][purecloud_internal_message.arrow.Problem],
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
        take: Callable[[dict[str, Any]], bool] | None = None,
        take_lines: TakeLines | None = None,
    ) -> Iterator[tuple[Model, int, Loc]]:
        """The valid records of one input as (model, line, location in the line's value).

        ``source`` is a path or a binary stream. An input that cannot be opened
        or read is reported (``unreadable``) and has no records; what was read
        before a read error stays read. ``take`` and ``take_lines`` are as in
        [`read_stream`][purecloud_internal_message._reader.Reader.read_stream].
        """
        name = label if label is not None else source_label(source)
        if form == "auto" and name.endswith(_JSONL_SUFFIXES):
            form = "jsonl"
        if not isinstance(source, (str, os.PathLike)):
            yield from self.read_stream(
                source, name, form=form, progress=progress, take=take, take_lines=take_lines
            )
            return
        try:
            stream = open(source, "rb")  # noqa: SIM115 - closed below, after the records
        except OSError as exc:
            self._unreadable(name, exc)
            return
        with stream:
            yield from self.read_stream(
                stream, name, form=form, progress=progress, take=take, take_lines=take_lines
            )

    def read_stream(
        self,
        stream: BinaryIO,
        name: str,
        *,
        form: str = "auto",
        progress: Callable[[int], None] | None = None,
        first_line: int = 1,
        take: Callable[[dict[str, Any]], bool] | None = None,
        take_lines: TakeLines | None = None,
    ) -> Iterator[tuple[Model, int, Loc]]:
        """The valid records of an open binary stream reported under ``name``
        (see [`read`][purecloud_internal_message._reader.Reader.read]); its lines
        are numbered from ``first_line`` (JSON Lines only, as in
        [`read_records`][purecloud_internal_message._reader.read_records]). A read
        error ends the stream's records and is reported (``unreadable``); an error
        of the reporting itself (writing the errors file) propagates.

        ``take(payload)`` is offered each plain record first (a JSON Lines line
        that is one message, a message the scanner found in a document): a
        consumer that can use a valid payload without its model
        (the compiled column encoder) returns True, and the record is counted
        but not yielded; False leaves it to ``from_dict`` as usual.
        ``take_lines(lines, start)`` comes before that, for JSON Lines: it takes
        the records of the lines it can use straight from their text (see
        [`read_lines`][purecloud_internal_message._jsonlines.read_lines]), and
        they are counted too; the lines it leaves are read as above.
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
            for item in read_records(
                stream, form=form, progress=progress, first_line=first_line, take_lines=take_lines
            ):
                if type(item) is int:  # a run of lines take_lines took
                    fast += item
                elif type(item) is tuple:  # a plain record (Plain): the common case
                    fast += 1
                    if take is not None and take(item[1]):
                        continue
                    try:
                        model = from_dict(item[1], strict=strict)
                    except ValidationError as error:
                        counts.invalid += 1
                        line, _, loc, text = item
                        for found in error.errors:
                            where = path_text(loc + found.loc)
                            at = line_in(text, line, found.loc)
                            report(Problem(name, at, INVALID, where, found.message))
                        continue
                    yield model, item[0], item[2]
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
                            where = path_text(item.loc + found.loc)
                            report(Problem(name, item.line, INVALID, where, found.message))
                        continue
                    yield model, item.line, item.loc
                else:  # NotJSON
                    counts.not_json += 1
                    if item.ends_input:  # type: ignore[union-attr]
                        counts.not_json_documents += 1
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

    def unfit(self, name: str, line: int, record_loc: Loc, loc: Loc, message: str) -> None:
        """Report a valid record that the output cannot hold (counted as invalid):
        the problem at ``loc`` inside the record at ``record_loc``.
        """
        self.counts.invalid += 1
        self.problem(Problem(name, line, INVALID, path_text(record_loc + loc), message))


class _ReportFailed(Exception):
    """An error of the reporting (writing the errors file, a closed standard output)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error
