"""Finding internal messages in JSON inputs, with the line each one starts on.

The command line reads whatever a support engineer or a pipeline has at hand:
one internal message, an array of them, JSON Lines, Genesys conversation
documents (``participants[].internalMessages[]``) alone, in arrays, one per
line or in a listing page (``{"entities": [...]}``). This module turns an
input into a stream of `Record` (a payload to decode and where it is)
and `NotJSON` (text that does not parse), and nothing else.

JSON Lines are read one line at a time, so memory stays constant whatever the
file's size. A JSON document is read whole and parsed with the package's JSON
parser (`_jsontext`, so the same messages everywhere); only when it holds a
problem is it parsed again, by the pure-Python scanner with position tracking,
to find the line on which each bad record starts.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner

from ._errors import describe
from ._jsontext import JSONTextError, parse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, BinaryIO

    Step = str | int
    # Where a value sits inside a JSON document: the keys and indices that lead to it.
    Steps = tuple[Step, ...]

__all__ = ["Batch", "NotJSON", "Record", "find_records", "read_batches", "steps_path"]

_NOT_A_RECORD = "expected an internal message, a conversation or an array of them"


class Record:
    """One internal message found in an input (or a value where one belonged).

    Attributes:
        line: The 1-based line on which the record's value starts; 0 for a
            record in a JSON document until `Batch.locate` finds it
            (which is only worth doing for a bad record).
        path: Where the record sits inside its top-level value, in error-path
            form (``participants[0].internalMessages[1]``; ``""`` for the value
            itself).
        data: The payload to decode.
        problem: A structural problem found instead of a payload (a
            ``participants`` that is not an array, say), or None.
    """

    __slots__ = ("data", "line", "path", "problem", "steps")

    def __init__(self, steps: Steps, data: Any, problem: str | None = None) -> None:
        self.steps = steps
        self.path = steps_path(steps)
        self.data = data
        self.problem = problem
        self.line = 0


class NotJSON:
    """A line or document that is not JSON text: where, and what the parser said."""

    __slots__ = ("line", "message")

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message


def steps_path(steps: Steps) -> str:
    """``("participants", 0, "internalMessages", 1)`` -> ``participants[0].internalMessages[1]``."""
    path = ""
    for step in steps:
        if isinstance(step, int):
            path += f"[{step}]"
        else:
            path = f"{path}.{step}" if path else step
    return path


def find_records(value: Any, steps: Steps = ()) -> Iterator[Record]:
    """Every internal message in a JSON value, by what the value looks like.

    An object with ``participants`` is a conversation; an object with an
    ``entities`` array is a listing page; any other object is an internal
    message; an array holds any of these. Iterative, so nesting depth cannot
    exhaust the stack.
    """
    pending: list[tuple[Steps, Any]] = [(steps, value)]
    while pending:
        here, item = pending.pop()
        if isinstance(item, list):
            pending.extend(
                ((*here, index), child) for index, child in reversed(list(enumerate(item)))
            )
        elif not isinstance(item, dict):
            yield Record(here, item, f"{_NOT_A_RECORD}, got {describe(item)}")
        elif "participants" in item:
            yield from _conversation_records(item["participants"], (*here, "participants"))
        elif isinstance(item.get("entities"), list):
            entities = item["entities"]
            pending.extend(
                ((*here, "entities", index), child)
                for index, child in reversed(list(enumerate(entities)))
            )
        else:
            yield Record(here, item)


def _conversation_records(participants: Any, steps: Steps) -> Iterator[Record]:
    if not isinstance(participants, list):
        yield Record(
            steps, participants, f"expected an array of participants, got {describe(participants)}"
        )
        return
    for index, participant in enumerate(participants):
        here = (*steps, index)
        if not isinstance(participant, dict):
            yield Record(
                here, participant, f"expected a participant object, got {describe(participant)}"
            )
            continue
        messages = participant.get("internalMessages")
        if messages is None:  # a participant on another channel
            continue
        here += ("internalMessages",)
        if not isinstance(messages, list):
            yield Record(
                here, messages, f"expected an array of internal messages, got {describe(messages)}"
            )
            continue
        for position, message in enumerate(messages):
            yield Record((*here, position), message)


class Batch:
    """The records of one top-level value: a JSON Lines line or a whole document."""

    __slots__ = ("_data", "records")

    def __init__(self, records: list[Record], data: bytes | None = None) -> None:
        #: The records, in input order.
        self.records = records
        self._data = data  # the document (UTF-8, known to parse), kept to locate records

    def locate(self, records: list[Record]) -> None:
        """Fill in the start line of each of ``records`` (which belong to this batch).

        A JSON Lines record already knows its line. A document is parsed
        again with positions, once, and only for a batch that has a problem.
        """
        if self._data is None or not records:
            return
        text = self._data.decode("utf-8-sig")  # parse() skips a byte order mark too
        start = len(text) - len(text.lstrip(_JSON_WHITESPACE))
        try:
            root: Any = _parse_with_positions(text, start)
        except RecursionError:  # deeper than the pure-Python parser goes: use the top level
            root = None
        located = sorted(
            ((_position(root, record.steps, start), record) for record in records),
            key=lambda pair: pair[0],
        )
        # Count newlines between consecutive positions: one pass over the text, at C speed.
        line, previous = 1, 0
        for position, record in located:
            line += text.count("\n", previous, position)
            previous = position
            record.line = line


def read_batches(
    stream: BinaryIO, *, form: str = "auto", progress: Callable[[int], None] | None = None
) -> Iterator[Batch | NotJSON]:
    """The records of a binary stream, batch by batch, with text that is not JSON reported.

    ``form`` is ``"jsonl"`` (one value per line, streamed), ``"json"`` (one
    document) or ``"auto"``: JSON Lines when the first non-blank line is a
    complete JSON value by itself (no single document can be that and go on),
    otherwise a document. ``progress`` is called with the number of bytes
    consumed, as they are.
    """
    number = 0
    head: list[bytes] = []  # the lines read to decide, kept for a document
    if form != "json":
        first = None
        for raw in stream:
            number += 1
            head.append(raw)
            if progress is not None:
                progress(len(raw))
            if raw.strip():
                first = raw
                break
        if first is None:  # blank input: an empty JSON Lines file, no records
            return
        if form == "jsonl" or _parses(first):
            yield _line_batch(first, number)
            for raw in stream:
                number += 1
                if progress is not None:
                    progress(len(raw))
                if raw.strip():
                    yield _line_batch(raw, number)
            return
    rest = stream.read()
    if progress is not None:
        progress(len(rest))
    yield _document_batch(b"".join(head) + rest)


def _parses(raw: bytes) -> bool:
    try:
        parse(raw)
    except JSONTextError:
        return False
    return True


def _not_json(line: int, error: JSONTextError) -> NotJSON:
    return NotJSON(line, f"not JSON: {error.message} (column {error.column})")


def _line_batch(raw: bytes, number: int) -> Batch | NotJSON:
    try:
        value = parse(raw)
    except JSONTextError as exc:
        return _not_json(number, exc)
    records = list(find_records(value))
    for record in records:
        record.line = number
    return Batch(records)


def _document_batch(data: bytes) -> Batch | NotJSON:
    try:
        value = parse(data)
    except JSONTextError as exc:
        return _not_json(exc.line, exc)
    return Batch(list(find_records(value)), data)


_JSON_WHITESPACE = " \t\n\r"


class _LocatedDict(dict):  # type: ignore[type-arg]
    """A parsed object that knows the offset of its opening brace."""

    __slots__ = ("start",)
    start: int


class _LocatedList(list):  # type: ignore[type-arg]
    """A parsed array that knows the offset of its opening bracket."""

    __slots__ = ("start",)
    start: int


def _parse_with_positions(text: str, start: int) -> Any:
    """Parse ``text`` (known to be valid JSON) keeping each container's offset."""
    # The json module's pure-Python parser, which CPython has shipped unchanged
    # since 2.7 but does not document (nor does typeshed): the C parser has no
    # hooks to report positions.
    json_object = getattr(json.decoder, "JSONObject")  # noqa: B009
    json_array = getattr(json.decoder, "JSONArray")  # noqa: B009
    make_scanner = getattr(json.scanner, "py_make_scanner")  # noqa: B009
    decoder: Any = json.JSONDecoder()

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        value, end = json_object(s_and_end, *args)
        located = _LocatedDict(value)
        located.start = s_and_end[1] - 1
        return located, end

    def parse_array(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        value, end = json_array(s_and_end, *args)
        located = _LocatedList(value)
        located.start = s_and_end[1] - 1
        return located, end

    # The C scanner ignores these hooks; the pure-Python one calls them.
    decoder.parse_object = parse_object
    decoder.parse_array = parse_array
    value, _ = make_scanner(decoder)(text, start)
    return value


def _position(root: Any, steps: Steps, default: int) -> int:
    """The offset of the deepest located container on the way along ``steps``."""
    if not isinstance(root, (_LocatedDict, _LocatedList)):
        return default
    position = root.start
    node: Any = root
    for step in steps:
        try:
            child: Any = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if not isinstance(child, (_LocatedDict, _LocatedList)):
            break  # a scalar where a container belonged: its parent's line will do
        position = child.start
        node = child
    return position
