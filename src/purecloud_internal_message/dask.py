r"""Converting blocks of JSON Lines on Dask workers: Parquet out, errors as data.

Needs the ``dask`` extra. A Dask job built on this (the recipe on the guide's
Arrow page) splits each file into blocks of whole lines, as
``fsspec.utils.read_block(..., delimiter=b"\n")`` reads them (and
``dask.bytes.read_bytes`` with it), so that a big file is converted by many
workers. Each worker reads its block once and sends back a few counts: it
decodes the block's lines, turns the records into Arrow columns and writes them
as one Parquet part file, writes the problems to an errors part file, numbered
from the block's first line, and counts the block's lines. From those counts the
job knows where each block starts in its file, and renumbers the few errors rows
of the blocks after a file's first with the file's own lines. Models never cross
a process boundary (a pickled model costs about twice its ``to_api_json`` to
write, and more to read back), and no bad input raises, so one bad line among a
hundred million cannot fail the job.

Why not ``dask.dataframe.to_parquet``: it turns each partition into pandas and
back and stores pandas metadata naming the nested Arrow types as strings, which
neither pandas nor ``dask.dataframe.read_parquet`` can read back without
``dtype_backend="pyarrow"``. Parts written here are plain Arrow-schema Parquet,
as [`to_parquet`][purecloud_internal_message.arrow.to_parquet] writes it;
``dask.dataframe.read_parquet(records_dir, dtype_backend="pyarrow")`` reads them
as a Dask DataFrame.
"""

from __future__ import annotations

import io

import fsspec

from ._errors import describe
from ._jsonlines import lines_of
from ._jsontext import JSON
from ._problems import OpenedOnFirstWrite, Problem, problem_writer
from ._reader import Reader
from .internal_message import InternalMessage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, BinaryIO

    from ._model import Model

__all__ = ["BlockLines", "convert_block", "convert_file_block", "renumber_errors"]

# The least a row group's columns may take by default: smaller ones cost more to write.
_MIN_ROW_GROUP_BYTES = 1 << 20


def convert_block(
    data: bytes,
    records: str,
    errors: str,
    *,
    name: str = "",
    first_line: int = 1,
    model: type[Model] = InternalMessage,
    unit: str = "ms",
    strict: bool = False,
    batch_size: int = 1024,
    row_group_size: int = 32768,
    row_group_bytes: int | None = None,
    compression: str = "zstd",
    storage_options: dict[str, Any] | None = None,
) -> dict[str, int]:
    r"""Convert a block of JSON Lines to a Parquet part and an errors part.

    The block is read as the command line reads JSON Lines (each line any form
    of record the shape rule knows: an internal message, an array of them, a
    conversation, a listing page; blank lines skipped, lines ending at ``\n``, a
    ``\r`` before it ignored), a batch of records at a time: memory holds the
    block, a batch of records and one row group as Arrow columns, at most a
    quarter of the block's size (by default): with what the writer holds, a
    worker needs about twice its block beyond its imports, whatever the
    records.

    Args:
        data: The block: whole lines of one file, as
            ``fsspec.utils.read_block(stream, offset, length, delimiter=b"\n")``
            or ``dask.bytes.read_bytes(urlpath, delimiter=b"\n")`` read them (the
            last line of a file may lack its ``\n``). Bytes that are not UTF-8
            are reported, with their line.
        records: Where to write the Parquet part (a path or URL ``fsspec``
            opens); written even when no record is valid (a file with the schema
            and no rows).
        errors: Where to write the problems as JSON Lines, the rows of
            [`to_parquet`][purecloud_internal_message.arrow.to_parquet]'s errors
            file; written only when there is a problem.
        name: The file the block comes from, as its problems name it.
        first_line: The number the block's first line has in the problems. The
            default, 1, numbers them from the block's start: those of a file's
            first block carry the file's own lines, and
            [`renumber_errors`][purecloud_internal_message.dask.renumber_errors]
            renumbers those of the next blocks once the ``lines`` of the blocks
            before them are known. A job that knows where a block starts in its
            file can pass that line number here instead.
        model: The record's model class.
        unit: The timestamps' unit, ``"ms"`` or ``"us"`` (see
            [`arrow_schema`][purecloud_internal_message.arrow.arrow_schema]).
        strict: Decode with ``strict=True``.
        batch_size: Records decoded before they are turned into Arrow columns.
        row_group_size: Rows per Parquet row group, at most: fewer than
            [`to_parquet`][purecloud_internal_message.arrow.to_parquet]'s default, as
            a block holds fewer records than a file.
        row_group_bytes: Bytes of Arrow columns per row group, at most; None (the
            default) is a quarter of the block's size (at least 1 MiB), so that
            the columns of a row group take a fraction of the block's memory
            (for a 64 MiB block of typical records, groups of about 20,000 rows).
        compression: The Parquet compression codec.
        storage_options: Passed to ``fsspec`` for both outputs (credentials...).

    Returns:
        The [`Counts`][purecloud_internal_message.arrow.Counts] as a dict:
        ``records``, ``written``, ``invalid``, ``not_json``,
        ``not_json_documents`` (always 0 here: lines are JSON Lines), ``unreadable``
        (always 0: the block was read), ``problems``; and ``lines``, the
        block's ``\n`` bytes: the next block of the file starts at line
        ``first_line + lines`` (a block of whole lines ends with its last
        line's ``\n``; only a file's last block may lack it, and nothing comes
        after that). Nothing in the block raises.

    Raises:
        ValueError: ``first_line`` is not a positive int, or a setting is not
            valid (as for ``to_parquet``).
    """
    # The block's own bytes as a stream (shared, not copied), read from its start.
    return convert_file_block(
        io.BytesIO(data),
        0,
        len(data),
        records,
        errors,
        name=name,
        first_line=first_line,
        model=model,
        unit=unit,
        strict=strict,
        batch_size=batch_size,
        row_group_size=row_group_size,
        row_group_bytes=row_group_bytes,
        compression=compression,
        storage_options=storage_options,
    )


def convert_file_block(
    stream: BinaryIO,
    offset: int,
    length: int,
    records: str,
    errors: str,
    *,
    name: str = "",
    first_line: int = 1,
    model: type[Model] = InternalMessage,
    unit: str = "ms",
    strict: bool = False,
    batch_size: int = 1024,
    row_group_size: int = 32768,
    row_group_bytes: int | None = None,
    compression: str = "zstd",
    storage_options: dict[str, Any] | None = None,
) -> dict[str, int]:
    r"""Convert a block of a file, read line by line as it is converted, to a Parquet
    part and an errors part: [`convert_block`][purecloud_internal_message.dask.convert_block]
    of ``fsspec.utils.read_block(stream, offset, length, delimiter=b"\n")``,
    without the block ever in memory whole.

    The block is the same whole lines: from the start of the first line that
    begins after ``offset`` (from the file's start when ``offset`` is 0) to the
    end of the line holding byte ``offset + length`` (the line that ends just
    before it included), or the file's end. The lines are read as they come, a
    buffer at a time, so a worker needs its imports and a row group (at most a
    quarter of ``length`` by default), not the block: about half the memory of
    ``convert_block``, and less CPU (no fresh memory for each block).

    Args:
        stream: The file, open for reading in binary (``fs.open(path, "rb")``);
            it must be seekable. Read from ``offset`` on, and not closed.
        offset: Where the block starts, in bytes (see above).
        length: The block's size, in bytes.
        records: Where to write the Parquet part, as for ``convert_block``.
        errors: Where to write the problems, as for ``convert_block``.
        name: The file the block comes from, as its problems name it.
        first_line: The number the block's first line has in the problems (as
            for ``convert_block``).
        model: The record's model class.
        unit: The timestamps' unit, ``"ms"`` or ``"us"``.
        strict: Decode with ``strict=True``.
        batch_size: Records decoded before they are turned into Arrow columns.
        row_group_size: Rows per Parquet row group, at most.
        row_group_bytes: Bytes of Arrow columns per row group, at most; None (the
            default) is a quarter of ``length`` (at least 1 MiB).
        compression: The Parquet compression codec.
        storage_options: Passed to ``fsspec`` for both outputs.

    Returns:
        The counts, as [`convert_block`][purecloud_internal_message.dask.convert_block]
        returns them (``lines``: the block's ``\n`` bytes).

    Raises:
        ValueError: ``offset`` or ``length`` is negative, or as for ``convert_block``.
        OSError: The stream could not be read; the part files may be incomplete
            (run the task again).
    """
    _check_first_line(first_line)
    for what, number in (("offset", offset), ("length", length)):
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise ValueError(f"{what} must be an int of at least 0, got {describe(number)}")
    if row_group_bytes is None:
        row_group_bytes = max(length // 4, _MIN_ROW_GROUP_BYTES)
    from .arrow import ParquetOutput, ParquetSettings  # the conversion: pyarrow

    settings = ParquetSettings(
        model, unit, batch_size, row_group_size, compression, row_group_bytes=row_group_bytes
    )
    options = storage_options or {}
    # Opened on the first problem, so that a clean block leaves no errors part.
    errors_file: list[Any] = []  # fsspec's OpenFile, kept while the file it opened is open

    def open_errors() -> Any:
        errors_file.append(fsspec.open(errors, "wb", **options))
        return errors_file[0].open()

    problems = OpenedOnFirstWrite(open_errors)
    lines = BlockLines(stream, offset, length)
    try:
        reader = Reader(model, strict=strict, report=problem_writer(problems))
        with (
            fsspec.open(records, "wb", **options) as output,
            ParquetOutput(output, settings, reader) as parquet,
        ):
            # The line and payload routes too, as to_parquet takes them: a worker
            # converts as one process does.
            records_read = reader.read_stream(
                lines,  # type: ignore[arg-type]
                name,
                form="jsonl",
                first_line=first_line,
                take=parquet.taker(name),
                take_lines=parquet.line_taker(name),
            )
            parquet.write(name, records_read)
    except _ReadFailed as failed:  # not a problem of the input: the task failed
        raise failed.error from None
    finally:
        problems.close()
        for opened in errors_file:
            opened.close()
    counts = reader.counts.as_dict()
    # Counted as the lines were read: no task reads the block again to count them,
    # and no pass of its own does (a pass over 64 MiB is a tenth of converting it).
    counts["lines"] = lines.feeds
    return counts


class BlockLines:
    r"""The lines of the block of ``stream`` that ``fsspec.utils.read_block(stream,
    offset, length, delimiter=b"\n")`` reads, as an iterable of ``bytes``, read as
    they are iterated (see
    [`convert_file_block`][purecloud_internal_message.dask.convert_file_block]).
    """

    def __init__(self, stream: BinaryIO, offset: int, length: int) -> None:
        self._stream = stream
        self._offset = offset
        self._stop = offset + length
        #: The line feeds of the lines read so far, counted as they are read.
        self.feeds = 0

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._lines()
        except OSError as exc:  # told from the reader's own read errors (unreadable)
            raise _ReadFailed(exc) from None

    def _lines(self) -> Iterator[bytes]:
        stop = self._stop
        self._stream.seek(self._offset)
        stream = lines_of(self._stream)
        position = self._offset
        if position:  # the line holding byte offset ends the block before
            position += len(next(stream, b""))
        # A block of no bytes at the file's start has no line either (read_block's
        # rule: a delimiter is looked for only past the start).
        if position > stop or stop == 0:
            return
        count, line = 0, b"\n"
        try:
            for line in stream:
                count += 1
                yield line
                position += len(line)
                if position > stop:  # the line holding byte offset + length: the last
                    return
        finally:
            # Every line ends with its feed but a file's last one may not.
            self.feeds = count - (0 if line.endswith(b"\n") else 1)


class _ReadFailed(Exception):
    """Internal: reading the block's file failed (not a bad record)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


def renumber_errors(
    errors: str, first_line: int, *, storage_options: dict[str, Any] | None = None
) -> int:
    """Renumber an errors part as if its block had started at line ``first_line``.

    [`convert_block`][purecloud_internal_message.dask.convert_block] numbers a
    block's problems from the block's first line, as line 1, unless told
    otherwise. Once the lines of the blocks before it in its file are known (the
    ``lines`` each conversion returns), this rewrites the block's errors part with
    the file's own line numbers: ``first_line`` is 1 plus the ``lines`` of those
    blocks, and each row's ``line`` grows by ``first_line - 1``. The rows are
    read and written again through the errors file's own writer, so the part
    stays one problem per line, as ``to_parquet`` writes them. This reads and
    writes the block's errors rows, not the block: on an export, a few rows.

    Args:
        errors: The errors part ``convert_block`` wrote (a path or URL ``fsspec``
            opens), rewritten in place.
        first_line: The number of the block's first line in its file.
        storage_options: Passed to ``fsspec`` (credentials...).

    Returns:
        The number of rows renumbered.

    Raises:
        ValueError: ``first_line`` is not a positive int.
    """
    _check_first_line(first_line)
    options = storage_options or {}
    part: Any = fsspec.open(errors, "rb", **options)  # an OpenFile: one path, no glob
    with part as stream:
        rows = [JSON.parse(line) for line in stream.read().splitlines()]
    shift = first_line - 1
    part = fsspec.open(errors, "wb", **options)
    with part as stream:
        report = problem_writer(stream)
        for row in rows:
            problem = Problem.from_dict(row)
            # A block is read from memory: its problems all have a line (none is
            # "unreadable", the one kind without).
            assert problem.line is not None
            problem.line += shift
            report(problem)
    return len(rows)


def _check_first_line(first_line: object) -> None:
    if not isinstance(first_line, int) or isinstance(first_line, bool) or first_line < 1:
        raise ValueError(f"first_line must be a positive int, got {describe(first_line)}")
