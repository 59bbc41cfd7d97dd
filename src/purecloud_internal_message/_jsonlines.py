"""JSON Lines: one value a line, each parsed on its own, with exact line numbers.

Each line may hold any form of the shape rule (`_shape`): one internal message,
an array, a conversation, a listing page. Blank lines are skipped and keep the
numbering. A line that is not JSON is reported and the others are still read.

The hot path of ``validate``: a line that is one plain message costs one
parse and a tuple.
"""

from __future__ import annotations

import io

from ._jsontext import JSON
from ._jsonvalues import JSONTextError
from ._shape import NotJSON, find_records

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterable, Iterator
    from typing import Any, BinaryIO

    from ._shape import Plain, Record

    #: What consumes lines straight from their text (see `read_lines`).
    TakeLines = Callable[[list[bytes], int], int]

__all__ = ["read_lines"]

# A taker is handed lines in lists of about this many bytes.
_CHUNK = 1 << 16
# Progress is reported in steps of about this many bytes.
_STEP = 1 << 20


def read_lines(
    stream: BinaryIO | None,
    *,
    head: bytes = b"",
    number: int = 0,
    progress: Callable[[int], None] | None = None,
    take: TakeLines | None = None,
) -> Iterator[int | Plain | Record | NotJSON]:
    """The records of JSON Lines: ``head`` (text already read, and already counted
    as progress), then the lines of ``stream`` (if any); ``number`` is the number of
    the line before the first.

    Yields a [`Plain`][purecloud_internal_message._shape.Plain] tuple ``(line,
    payload, (), None)`` for a line that is one plain message (the common case,
    kept to what costs least), a
    [`Record`][purecloud_internal_message._shape.Record] for anything else found,
    and a [`NotJSON`][purecloud_internal_message._shape.NotJSON] for a line that
    is not JSON. ``progress`` is called with the number of bytes read from
    ``stream``, as they are. A read error (``OSError``) propagates.

    ``take(lines, start)``, if given, is offered the lines first, a list at a
    time: it consumes the records of ``lines[start:]`` it can use straight from
    their text, up to the first one it leaves, and returns that one's index
    (``len(lines)`` when it took them all). Each run of lines taken is yielded as
    its count, an ``int``; a line left is read as above.
    """
    if not head:  # the generator itself, not re-yielded: a step less for every line
        return _read(stream, number, progress, take)
    return _after_head(stream, head, number, progress, take)


def _after_head(
    stream: BinaryIO | None,
    head: bytes,
    number: int,
    progress: Callable[[int], None] | None,
    take: TakeLines | None,
) -> Generator[int | Plain | Record | NotJSON, None, int]:
    lines = io.BytesIO(head).readlines()  # lines end at b"\n" only, as JSON Lines do
    if stream is not None and not lines[-1].endswith(b"\n"):  # the line goes on
        more = stream.readline()
        if progress is not None and more:
            progress(len(more))
        lines[-1] += more
    if take is None:
        number = yield from _each(lines, number)
    else:
        number = yield from _taking((lines,), number, take)
    return (yield from _read(stream, number, progress, take))


def _read(
    stream: BinaryIO | None,
    number: int,
    progress: Callable[[int], None] | None,
    take: TakeLines | None,
) -> Generator[int | Plain | Record | NotJSON, None, int]:
    if stream is None:
        return number
    lines = lines_of(stream)
    if progress is not None:
        lines = _counted(lines, progress)
    if take is not None:
        return (yield from _taking(_lists(lines), number, take))
    # A line at a time: so that a live stream (a pipe) is reported on as it comes.
    return (yield from _each(lines, number))


def _each(lines: Iterable[bytes], number: int) -> Generator[Plain | Record | NotJSON, None, int]:
    """The records of ``lines``, numbered from the one after ``number``; returns the
    number of the last."""
    for raw in lines:
        number += 1
        try:
            value = JSON.parse(raw)
        except JSONTextError as exc:
            if raw.strip():
                yield _not_json(raw, number, exc)
            continue  # a blank line
        if type(value) is dict and "participants" not in value and "entities" not in value:
            yield (number, value, (), None)
            continue
        for record in find_records(value):
            record.line = number
            yield record
    return number


def _taking(
    lists: Iterable[list[bytes]], number: int, take: TakeLines
) -> Generator[int | Plain | Record | NotJSON, None, int]:
    """The records of the lists of lines, each list offered to ``take`` first: a run
    it takes is yielded as its count, a line it leaves is read by `_each`."""
    for lines in lists:
        index = 0
        count = len(lines)
        while index < count:
            stop = take(lines, index)
            if stop > index:
                yield stop - index
                number += stop - index
                index = stop
            else:
                number = yield from _each((lines[index],), number)
                index += 1
    return number


def _lists(lines: Iterable[bytes]) -> Iterator[list[bytes]]:
    """``lines`` in lists of about `_CHUNK` bytes."""
    held: list[bytes] = []
    size = 0
    for raw in lines:
        held.append(raw)
        size += len(raw)
        if size >= _CHUNK:
            yield held
            held = []
            size = 0
    if held:
        yield held


def _counted(lines: Iterable[bytes], progress: Callable[[int], None]) -> Iterator[bytes]:
    """``lines``, counted as progress in steps of about `_STEP` bytes."""
    pending = 0
    for raw in lines:
        pending += len(raw)
        if pending >= _STEP:
            progress(pending)
            pending = 0
        yield raw
    if pending:
        progress(pending)


def lines_of(stream: BinaryIO) -> Iterator[bytes]:
    """The lines of a binary stream (each with its line feed), read a buffer at a time.

    The standard library's buffered files and ``BytesIO`` split lines in C, from
    their buffer, and are read as they are. Any other stream is read through a
    buffer of its own, by its ``read`` alone: some split lines slowly, and
    fsspec's files for object storage read a block of theirs (megabytes) for
    each ``readline``. The stream is not closed. An iterable of lines without
    ``read`` (``dask.BlockLines``) is iterated as it is.
    """
    if isinstance(stream, (io.BufferedReader, io.BytesIO)) or not hasattr(stream, "read"):
        return iter(stream)
    return iter(io.BufferedReader(_ReadOnly(stream), _BUFFER))


# The buffer other streams are read through.
_BUFFER = 1 << 16


class _ReadOnly(io.RawIOBase):
    """A binary stream seen through its ``read`` alone (for ``io.BufferedReader``)."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        return size


def _not_json(raw: bytes, number: int, error: JSONTextError) -> NotJSON:
    """The report on a line that is not JSON, worded as the reference parser words
    the line without its end: a line that ends inside a string is an unterminated
    string, not a string holding a line feed.
    """
    cut = 2 if raw.endswith(b"\r\n") else 1 if raw.endswith(b"\n") else 0
    if cut:
        try:
            JSON.parse(raw[: len(raw) - cut])
        except JSONTextError as exc:
            error = exc
    return NotJSON(number, error.column, error.message, ends_input=False)
