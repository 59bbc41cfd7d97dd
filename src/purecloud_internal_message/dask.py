"""Converting partitions of JSON Lines on Dask workers: Parquet out, errors as data.

Needs the ``dask`` extra. A Dask job built on this (the recipe on the guide's
Arrow page) sends each worker the lines of a partition, as
``dask.bag.read_text(..., include_path=True)`` makes them, and gets back a few
counts: the worker decodes the lines, turns the records into Arrow columns and
writes them as one Parquet part file, and writes the problems to an errors
part file. Models never cross a process boundary (a pickled model costs about
twice its ``to_api_json`` to write, and more to read back), and no bad input
raises, so one bad line among a hundred million cannot fail the job.

Why not ``dask.dataframe.to_parquet``: it turns each partition into pandas and
back and stores pandas metadata naming the nested Arrow types as strings, which
neither pandas nor ``dask.dataframe.read_parquet`` can read back without
``dtype_backend="pyarrow"``. Parts written here are plain Arrow-schema Parquet,
byte for byte what [`to_parquet`][purecloud_internal_message.arrow.to_parquet]
writes; ``dask.dataframe.read_parquet(records_dir, dtype_backend="pyarrow")``
reads them as a Dask DataFrame.
"""

from __future__ import annotations

import io

import fsspec

from ._problems import OpenedOnFirstWrite, problem_writer
from ._reader import Reader
from .internal_message import InternalMessage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

    from ._model import Model

__all__ = ["convert_partition"]


def convert_partition(
    lines: Iterable[str | tuple[str, str]],
    records: str,
    errors: str,
    *,
    model: type[Model] = InternalMessage,
    unit: str = "ms",
    strict: bool = False,
    batch_size: int = 1024,
    row_group_size: int = 131072,
    compression: str = "zstd",
    storage_options: dict[str, Any] | None = None,
) -> dict[str, int]:
    """Convert one partition of JSON Lines to a Parquet part and an errors part.

    Args:
        lines: The partition: ``(line, path)`` pairs, as
            ``dask.bag.read_text(urlpath, include_path=True)`` makes them, or
            bare lines (then reported under the name ``""``). Each line is read
            as the command line reads JSON Lines (an internal message or a
            conversation; blank lines skipped). Line numbers count from the
            partition's first line of each file, so they are the files' own
            when every file is one partition (``read_text`` without
            ``blocksize``). Text read with ``errors="surrogateescape"`` has its
            undecodable bytes reported as not UTF-8.
        records: Where to write the Parquet part (a path or URL ``fsspec``
            opens); written even when no record is valid (a file with the schema
            and no rows).
        errors: Where to write the problems as JSON Lines, the rows of
            [`to_parquet`][purecloud_internal_message.arrow.to_parquet]'s errors
            file; written only when there is a problem.
        model: The record's model class.
        unit: The timestamps' unit, ``"ms"`` or ``"us"`` (see
            [`arrow_schema`][purecloud_internal_message.arrow.arrow_schema]).
        strict: Decode with ``strict=True``.
        batch_size: Records decoded before they are turned into Arrow columns.
        row_group_size: Rows per Parquet row group.
        compression: The Parquet compression codec.
        storage_options: Passed to ``fsspec`` for both outputs (credentials...).

    Returns:
        The [`Counts`][purecloud_internal_message.arrow.Counts] as a dict:
        ``records``, ``written``, ``invalid``, ``not_json``,
        ``not_json_documents`` (always 0 here: lines are JSON Lines), ``unreadable``,
        ``problems``. Nothing in the lines raises.
    """
    from .arrow import ParquetOutput, ParquetSettings  # the conversion: pyarrow

    settings = ParquetSettings(model, unit, batch_size, row_group_size, compression)
    options = storage_options or {}
    # Opened on the first problem, so that a clean partition leaves no errors part.
    errors_file: list[Any] = []  # fsspec's OpenFile, kept while the file it opened is open

    def open_errors() -> Any:
        errors_file.append(fsspec.open(errors, "wb", **options))
        return errors_file[0].open()

    problems = OpenedOnFirstWrite(open_errors)
    try:
        reader = Reader(model, strict=strict, report=problem_writer(problems))
        with (
            fsspec.open(records, "wb", **options) as stream,
            ParquetOutput(stream, settings, reader) as parquet,
        ):
            for name, data in _files(lines):
                parquet.write(name, reader.read_stream(io.BytesIO(data), name, form="jsonl"))
    finally:
        problems.close()
        for opened in errors_file:
            opened.close()
    return reader.counts.as_dict()


def _files(lines: Iterable[str | tuple[str, str]]) -> Iterator[tuple[str, bytes]]:
    """The partition's lines as one text per file, in order: (name, UTF-8 bytes)."""
    name: str | None = None
    chunks: list[str] = []
    for item in lines:
        text, path = item if isinstance(item, tuple) else (item, "")
        if path != name:
            if chunks:
                yield name or "", _encode(chunks)
            name, chunks = path, []
        chunks.append(text if text.endswith("\n") else text + "\n")
    if chunks:
        yield name or "", _encode(chunks)


def _encode(chunks: list[str]) -> bytes:
    text = "".join(chunks)
    try:
        # Bytes that read_text(errors="surrogateescape") could not decode come
        # back as they were, for the reader to report as not UTF-8.
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        # Other lone surrogates (not from surrogateescape): not UTF-8 text either.
        return text.encode("utf-8", "surrogatepass")
