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

    from ._shape import Record

__all__ = ["read_lines"]

# Progress is reported in steps of about this many bytes.
_STEP = 1 << 20


def read_lines(
    stream: BinaryIO | None,
    *,
    head: bytes = b"",
    number: int = 0,
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, dict[str, Any]] | Record | NotJSON]:
    """The records of JSON Lines: ``head`` (text already read, and already counted
    as progress), then the lines of ``stream`` (if any); ``number`` is the number of
    the line before the first.

    Yields ``(line, payload)``, a bare tuple, for a line that is one plain message
    (the common case, kept to what costs least), a
    [`Record`][purecloud_internal_message._shape.Record] for anything else found,
    and a [`NotJSON`][purecloud_internal_message._shape.NotJSON] for a line that
    is not JSON. ``progress`` is called with the number of bytes read from
    ``stream``, as they are. A read error (``OSError``) propagates.
    """
    if not head:  # the generator itself, not re-yielded: a step less for every line
        return _read(stream if stream is not None else (), number, progress)
    return _after_head(stream, head, number, progress)


def _after_head(
    stream: BinaryIO | None, head: bytes, number: int, progress: Callable[[int], None] | None
) -> Iterator[tuple[int, dict[str, Any]] | Record | NotJSON]:
    lines = io.BytesIO(head).readlines()  # lines end at b"\n" only, as JSON Lines do
    if stream is not None and not lines[-1].endswith(b"\n"):  # the line goes on
        more = stream.readline()
        if progress is not None and more:
            progress(len(more))
        lines[-1] += more
    number = yield from _read(lines, number, None)
    if stream is not None:
        yield from _read(stream, number, progress)


def _read(
    lines: Iterable[bytes], number: int, progress: Callable[[int], None] | None
) -> Generator[tuple[int, dict[str, Any]] | Record | NotJSON, None, int]:
    pending = 0
    for raw in lines:
        number += 1
        if progress is not None:
            pending += len(raw)
            if pending >= _STEP:
                progress(pending)
                pending = 0
        try:
            value = JSON.parse(raw)
        except JSONTextError as exc:
            if raw.strip():
                yield _not_json(raw, number, exc)
            continue  # a blank line
        if type(value) is dict and "participants" not in value and "entities" not in value:
            yield (number, value)
            continue
        for record in find_records(value):
            record.line = number
            yield record
    if progress is not None and pending:
        progress(pending)
    return number


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
