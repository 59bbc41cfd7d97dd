"""Finding internal messages in JSON inputs: the package's one walker.

Whatever a support engineer or a pipeline has at hand: one internal message,
an array of them, JSON Lines, Genesys conversation documents
(``participants[].internalMessages[]``) alone, in arrays, one per line or in a
listing page (``{"entities": [...]}``). This module turns an input into a
stream of records (a payload to decode, where it is, and on which line) and
[`NotJSON`][purecloud_internal_message._records.NotJSON] reports, and nothing
else. [`iter_internal_messages`][purecloud_internal_message.iter_internal_messages],
the command line and the Parquet converter all read through it.

What a value is, by its shape (the same rule for a parsed value and for text):

- an array holds any of these forms;
- an object is a conversation when the first of its keys ``participants`` and
  ``entities`` (the latter only when it holds an array) is ``participants``, a
  listing page when it is ``entities``, and an internal message when it has
  neither;
- anything else where a message belongs is a record with a problem.

JSON Lines are read a line at a time; a JSON document is streamed: the text is
read in windows of about a megabyte, the envelope (the arrays, conversations,
participants and pages around the records) is walked here, and each record's
exact text is cut out and parsed on its own by `_jsontext.JSON.parse`, so a record
in a document has exactly the value ``from_json`` gives for its text, memory
holds one window and one record, and the bytes read are real progress. Ends
of values are found with the standard library's compiled scanner (which reads
a superset of JSON); only ``_jsontext`` decides what is JSON, and the
package's reference parser words every error.
"""

from __future__ import annotations

import codecs
import json
import json.decoder
import json.scanner
import re

from ._errors import describe
from ._jsontext import JSON
from ._jsonvalues import JSONTextError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterable, Iterator
    from typing import Any, BinaryIO

__all__ = [
    "NotJSON",
    "Record",
    "find_records",
    "path_steps",
    "read_records",
    "walk_text",
]


_NOT_A_RECORD = "expected an internal message, a conversation or an array of them"
_WHITESPACE = " \t\n\r"
# Patterns that match everywhere (possibly nothing), typed as such for the checker.
_skip_ws: Callable[[str, int], re.Match[str]] = re.compile(r"[ \t\n\r]*").match  # type: ignore[assignment]
_UTF8_BOM = b"\xef\xbb\xbf"
# Reading a document this many bytes at a time (more while one value is larger).
_CHUNK = 1 << 20
_FIRST_CHUNK = 1 << 16
# How close to the end of the window a parse error must be to mean "read more".
_MARGIN = 64
# The reference parser's words for a complete value followed by more text.
_EXTRA_DATA = "extra data after the JSON value"
_UNTERMINATED = "unterminated string"
# An error this close before undecodable input may be the text cut short there.
_CUT = 8


class Record:
    """One internal message found in an input (or a value where one belonged).

    Attributes:
        line: The 1-based line on which the record's value starts (0 for a
            record of a parsed value, which has no lines).
        path: Where the record sits inside its top-level value, in error-path
            form (``participants[0].internalMessages[1]``; ``""`` for the value
            itself).
        data: The payload to decode.
        problem: A structural problem found instead of a payload (a
            ``participants`` that is not an array, say), or None.
    """

    __slots__ = ("_column", "_text", "data", "line", "path", "problem")

    def __init__(self, path: str, data: Any, problem: str | None = None, line: int = 0) -> None:
        self.path = path
        self.data = data
        self.problem = problem
        self.line = line
        self._text: str | None = None  # the record's JSON text, in a document
        self._column = 1  # the column its text starts at

    def line_of(self, path: str) -> int:
        """The line of the value at ``path`` (an error's path, relative to the
        record) where it can be found in the record's text; else the record's line.
        """
        text = self._text
        if text is None or not path or "\n" not in text:
            return self.line
        steps = path_steps(path)
        offset = _offset_of(text, steps) if steps is not None else None
        if offset is None:
            return self.line
        return self.line + text.count("\n", 0, offset)

    def __repr__(self) -> str:
        return (
            f"Record(path={self.path!r}, line={self.line!r}, data={self.data!r},"
            f" problem={self.problem!r})"
        )


class NotJSON:
    """A line or document that is not JSON text: where, and what the parser said."""

    __slots__ = ("line", "message")

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message

    def __repr__(self) -> str:
        return f"NotJSON(line={self.line!r}, message={self.message!r})"


def _not_json(line: int, message: str, column: int) -> NotJSON:
    return NotJSON(line, f"not JSON: {message} (column {column})")


# -- paths ------------------------------------------------------------------------------


def _index(path: str, index: int) -> str:
    return f"{path}[{index}]"


def _key(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def path_steps(path: str) -> list[str | int] | None:
    """``messages[2].messageTime`` -> ``["messages", 2, "messageTime"]``; None when
    the path cannot be split unambiguously (a key holding ``.`` or ``[``).
    """
    # Compiled on first need (only a bad record in a document needs it): ~10 ms at import.
    step = re.compile(r"\[(\d+)\]|\.?([^.\[]+)").match
    steps: list[str | int] = []
    pos = 0
    while pos < len(path):
        match = step(path, pos)
        if match is None:
            return None
        index, key = match.groups()
        steps.append(int(index) if index is not None else key)
        pos = match.end()
    return steps


# -- the walker over a parsed value -----------------------------------------------------


def _kind(item: dict[Any, Any]) -> str:
    """``"participants"``, ``"entities"`` or ``""``: what decides an object's form."""
    for key, value in item.items():
        if key == "participants" or (key == "entities" and isinstance(value, list)):
            return str(key)
    return ""


def find_records(value: Any, path: str = "") -> Iterator[Record]:
    """Every internal message in a parsed JSON value, in document order.

    Iterative, so nesting depth cannot exhaust the stack.
    """
    pending: list[tuple[str, Any]] = [(path, value)]
    while pending:
        here, item = pending.pop()
        if isinstance(item, list):
            pending.extend(
                (_index(here, index), child) for index, child in reversed(list(enumerate(item)))
            )
        elif not isinstance(item, dict):
            yield Record(here, item, f"{_NOT_A_RECORD}, got {describe(item)}")
        else:
            kind = _kind(item)
            if kind == "participants":
                yield from _conversation_records(item[kind], _key(here, kind))
            elif kind == "entities":
                where = _key(here, kind)
                pending.extend(
                    (_index(where, index), child)
                    for index, child in reversed(list(enumerate(item[kind])))
                )
            else:
                yield Record(here, item)


def _participants_problem(value: Any) -> str:
    return f"expected an array of participants, got {describe(value)}"


def _participant_problem(value: Any) -> str:
    return f"expected a participant object, got {describe(value)}"


def _messages_problem(value: Any) -> str:
    return f"expected an array of internal messages, got {describe(value)}"


def _conversation_records(participants: Any, path: str) -> Iterator[Record]:
    if not isinstance(participants, list):
        yield Record(path, participants, _participants_problem(participants))
        return
    for index, participant in enumerate(participants):
        here = _index(path, index)
        if not isinstance(participant, dict):
            yield Record(here, participant, _participant_problem(participant))
            continue
        messages = participant.get("internalMessages")
        if messages is None:  # a participant on another channel
            continue
        here = _key(here, "internalMessages")
        if not isinstance(messages, list):
            yield Record(here, messages, _messages_problem(messages))
            continue
        for position, message in enumerate(messages):
            yield Record(_index(here, position), message)


# -- reading inputs ---------------------------------------------------------------------


def read_records(
    stream: BinaryIO, *, form: str = "auto", progress: Callable[[int], None] | None = None
) -> Iterator[tuple[int, dict[str, Any]] | Record | NotJSON]:
    """The records of a binary stream, with text that is not JSON reported.

    ``form`` is ``"jsonl"`` (one value per line), ``"json"`` (one document,
    streamed) or ``"auto"``: JSON Lines when the first value is complete on its
    first line, with nothing after it there (no single document can be that
    and go on); otherwise one document. Blank input has no records, except as
    ``"json"``. ``progress`` is called with the number of bytes read, as they
    are. Yields ``(line, payload)``, a bare tuple, for a JSON Lines line that is
    one plain message (the common case, kept to what costs least), a
    [`Record`][purecloud_internal_message._records.Record] for anything else
    found, and [`NotJSON`][purecloud_internal_message._records.NotJSON].
    A read error (``OSError``) propagates.
    """
    if form == "jsonl":
        yield from _json_lines(stream, 0, progress)
        return
    document = _Document(stream, progress)
    yield from document.walk(lines_allowed=form == "auto")
    if document.rest is not None:  # the first value was a line of its own: JSON Lines
        yield from _json_lines(document.rest, document.rest_line, progress)


def walk_text(text: str | bytes | bytearray | BinaryIO) -> Iterator[Record | NotJSON]:
    """The records of one JSON document given as text or as a binary stream
    (read as ``read_records(form="json")`` reads it).
    """
    if isinstance(text, str):
        return _Document(None, None, text).walk(lines_allowed=False)
    if isinstance(text, (bytes, bytearray)):
        import io

        text = io.BytesIO(bytes(text))
    return _Document(text, None).walk(lines_allowed=False)


def _json_lines(
    lines: Iterable[bytes], number: int, progress: Callable[[int], None] | None
) -> Iterator[tuple[int, dict[str, Any]] | Record | NotJSON]:
    """JSON Lines: each line parsed on its own; records by line number.

    The hot path of ``validate``: a line that is one plain message costs one
    parse and a tuple.
    """
    pending = 0
    for raw in lines:
        number += 1
        if progress is not None:
            pending += len(raw)
            if pending >= _CHUNK:
                progress(pending)
                pending = 0
        try:
            value = JSON.parse(raw)
        except JSONTextError as exc:
            if raw.strip():
                yield _not_json(number, exc.message, exc.column)
            continue  # a blank line
        if type(value) is dict and "participants" not in value and "entities" not in value:
            yield (number, value)
            continue
        for record in find_records(value):
            record.line = number
            yield record
    if progress is not None and pending:
        progress(pending)


def _offset_of(text: str, steps: list[str | int]) -> int | None:
    """The offset, in a record's JSON text, of the value at ``steps``; None when
    the steps do not lead to a value (the last occurrence of a repeated key,
    as parsers keep).
    """
    pos = _skip_ws(text, 0).end()
    for step in steps:
        if pos >= len(text):
            return None
        char = text[pos]
        if char == "{" and isinstance(step, str):
            found = None
            pos = _skip_ws(text, pos + 1).end()
            while pos < len(text) and text[pos] == '"':
                key, pos = _scanstring(text, pos + 1, False)
                pos = _skip_ws(text, pos).end() + 1  # the colon
                pos = _skip_ws(text, pos).end()
                if key == step:
                    found = pos
                end = _scan_end(text, pos)
                if end is None:
                    return None
                pos = _skip_ws(text, end).end()
                if pos < len(text) and text[pos] == ",":
                    pos = _skip_ws(text, pos + 1).end()
            if found is None:
                return None
            pos = found
        elif char == "[" and isinstance(step, int):
            pos = _skip_ws(text, pos + 1).end()
            for _ in range(step):
                end = _scan_end(text, pos)
                if end is None:
                    return None
                pos = _skip_ws(text, end).end()
                if pos >= len(text) or text[pos] != ",":
                    return None
                pos = _skip_ws(text, pos + 1).end()
            if pos >= len(text) or text[pos] == "]":
                return None
        else:
            return None
    return pos


# The standard library's compiled scanner, used only to find where a value ends:
# strict=False and the default hooks make it read a superset of JSON (control
# characters in strings, NaN), and _jsontext.JSON.parse then decides.
_scanner: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    json.JSONDecoder(strict=False)  # type: ignore[arg-type]  # typeshed names the class
)
_scanstring: Callable[[str, int, bool], tuple[str, int]] = getattr(  # noqa: B009
    json.decoder, "scanstring"
)


def _scan_end(text: str, pos: int) -> int | None:
    """Where the value starting at ``pos`` ends, or None (not a value, or too deep)."""
    try:
        return _scanner(text, pos)[1]
    except (StopIteration, ValueError, RecursionError):
        return None


# -- the walker over a streamed document ------------------------------------------------

# What an open container on the envelope's stack is.
_ANY = 0  # an array whose elements may be any form (top level, entities, nested arrays)
_PARTICIPANTS = 1  # an array of participants
_MESSAGES = 2  # a participant's internalMessages: every element is a record
_UNDECIDED = 3  # an object where any form may be, no deciding key read yet
_CONVERSATION = 4  # an object known to be a conversation
_PAGE = 5  # an object known to be a listing page
_PARTICIPANT = 6  # a participant object
_ARRAYS = (_ANY, _PARTICIPANTS, _MESSAGES)

# What the value about to be read is to its container.
_AS_ANY = 0  # any form: an array, a conversation, a page, a message or a bad record
_AS_PARTICIPANT = 1
_AS_RECORD = 2  # an element of internalMessages
_AS_PARTICIPANTS = 3  # the value of "participants"
_AS_MESSAGES = 4  # the value of "internalMessages"
_AS_NOTHING = 5  # a member value nobody needs: checked and skipped
_ELEMENT = {_ANY: _AS_ANY, _PARTICIPANTS: _AS_PARTICIPANT, _MESSAGES: _AS_RECORD}

# States of the walk.
_VALUE = 0  # a value starts at pos
_FIRST = 1  # after "[" or "{" (whitespace skipped)
_NEXT = 2  # after a value inside the innermost container (or after the top value)
_KEY = 3  # a member's key starts at pos

_VALUE_START = frozenset('"-0123456789tfn{[')


class _Failed(Exception):
    """The document stops here: text that is not JSON."""

    def __init__(self, report: NotJSON) -> None:
        super().__init__(report.message)
        self.report = report


class _Document:
    """One JSON document streamed through a window of decoded text.

    Positions are offsets into ``text``, the window. Refilling it drops what
    has been walked, except from ``mark`` on: the start of an object that may
    yet be a message (its text would be the record's).
    """

    def __init__(
        self,
        stream: BinaryIO | None,
        progress: Callable[[int], None] | None,
        text: str | None = None,
    ) -> None:
        self._stream = stream
        self._progress = progress
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = text if text is not None else ""
        self.eof = stream is None  # no more text will come
        self._drained = stream is None  # the stream has given all it had
        self._counted = (0, 1)  # a position in the window and its line number
        self._column0 = 0  # the column of text[0] on its line, less one
        self._bad: tuple[int, int] | None = None  # (position, byte) of undecodable input
        self._raw_tail = b""  # the bytes from the undecodable one on
        self._first = True
        self._dropped = 0  # characters dropped from the window's start so far
        self._end = 0  # where the value _record read last ends
        self.mark = -1
        #: For JSON Lines after the first line: the remaining lines, and that line's number.
        self.rest: Iterable[bytes] | None = None
        self.rest_line = 0

    # -- the window --

    def _refill(self, pos: int) -> int:
        """Read more text; returns ``pos`` in the new window."""
        assert self._stream is not None
        cut = pos if self.mark < 0 else min(pos, self.mark)
        if cut > _CHUNK // 4:  # drop what has been walked (not worth it for a little)
            counted_pos, counted_line = self._counted
            if counted_pos > cut:
                counted_line -= self.text.count("\n", cut, counted_pos)
            else:
                counted_line += self.text.count("\n", counted_pos, cut)
            self._counted = (0, counted_line)
            newline = self.text.rfind("\n", 0, cut)
            self._column0 = cut - newline - 1 if newline >= 0 else self._column0 + cut
            self.text = self.text[cut:]
            self._dropped += cut
            if self.mark >= 0:
                self.mark -= cut
            pos -= cut
        # At least as much as the window holds: a long value costs linear time.
        # A little at first: JSON Lines are told by their first line.
        data = self._stream.read(_FIRST_CHUNK if self._first else max(_CHUNK, len(self.text)))
        if isinstance(data, str):
            raise TypeError("expected a binary stream (opened with 'rb'), got a text stream")
        if self._progress is not None and data:
            self._progress(len(data))
        if self._first:
            self._first = False
            if data.startswith(_UTF8_BOM):  # skipped, as parse() skips it
                data = data[len(_UTF8_BOM) :]
        try:
            if data:
                self.text += self._decoder.decode(data)
            else:
                self.eof = self._drained = True
                self.text += self._decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raw = bytes(exc.object)
            self.text += raw[: exc.start].decode("utf-8")
            self._bad = (len(self.text), raw[exc.start])
            self._raw_tail = raw[exc.start :]
            self.eof = True
        return pos

    def _ws(self, pos: int) -> int:
        """Skip whitespace from ``pos``: the position of the next character, or the end."""
        while True:
            pos = _skip_ws(self.text, pos).end()
            if pos < len(self.text) or self.eof:
                return pos
            pos = self._refill(pos)

    def _peek(self, pos: int) -> str:
        return self.text[pos] if pos < len(self.text) else ""

    def line(self, pos: int) -> int:
        """The line number of ``pos`` (counted on from the last position asked about)."""
        counted_pos, counted_line = self._counted
        if pos >= counted_pos:
            counted_line += self.text.count("\n", counted_pos, pos)
        else:
            counted_line -= self.text.count("\n", pos, counted_pos)
        self._counted = (pos, counted_line)
        return counted_line

    def column(self, pos: int) -> int:
        newline = self.text.rfind("\n", 0, pos)
        return pos - newline if newline >= 0 else self._column0 + pos + 1

    # -- reports --

    def _report(self, pos: int, message: str) -> _Failed:
        """Not JSON at ``pos``, unless undecodable bytes came first (or cut the
        text short where the parser found it wanting).
        """
        bad = self._bad
        if bad is not None and (pos >= bad[0] - _CUT or message == _UNTERMINATED):
            pos, message = bad[0], f"invalid UTF-8: byte 0x{bad[1]:02x}"
        return _Failed(_not_json(self.line(pos), message, self.column(pos)))

    def _fail(self, pos: int, skeleton: str) -> _Failed:
        """The reference parser's report on the text from ``pos``, read in the state
        ``skeleton`` leaves it in (the open containers, then what was just read),
        so that its words and position are those of parsing the whole document.
        """
        while True:
            try:
                parse_reference(skeleton + self.text[pos:])
            except JSONTextError as exc:
                where = pos + max(exc.offset - len(skeleton), 0)
                if not self.eof and (
                    where >= len(self.text) - _MARGIN or exc.message == _UNTERMINATED
                ):
                    pos = self._refill(pos)
                    continue
                return self._report(where, exc.message)
            if self.eof:  # pragma: no cover - the walker reads what the parser reads
                return self._report(len(self.text), "expected more")
            pos = self._refill(pos)

    def _skeleton(self, stack: list[list[Any]], state: int) -> str:
        """A text that leaves the reference parser in the walker's state."""
        if not stack:
            return "0" if state == _NEXT else ""
        inside = "".join("[" if frame[0] in _ARRAYS else '{"":' for frame in stack[:-1])
        frame = stack[-1]
        if frame[0] in _ARRAYS:
            if state == _VALUE:
                return inside + ("[0," if frame[2] else "[")
            return inside + "[0"  # after an element
        if state == _VALUE:
            return inside + '{"":'
        if state == _KEY:
            return inside + ('{"":0,' if frame[2] else "{")
        if state == _NEXT:
            return inside + '{"":0'
        return inside + '{""'  # a colon expected

    # -- values --

    def _span(self, pos: int) -> tuple[int, int, str]:
        """The value starting at ``pos``: where it starts and ends (in the window as
        it is afterwards: reading more may move it), and its text.
        """
        while True:
            try:
                end = _scanner(self.text, pos)[1]
            except json.JSONDecodeError as exc:
                if not self.eof and (
                    exc.pos >= len(self.text) - _MARGIN or exc.msg.startswith("Unterminated string")
                ):
                    pos = self._refill(pos)
                    continue
                break  # the reference parser words it
            except StopIteration as exc:
                if not self.eof and exc.value >= len(self.text) - _MARGIN:
                    pos = self._refill(pos)
                    continue
                break
            except (ValueError, RecursionError):  # a huge int, deep nesting
                break
            if end < len(self.text) - _MARGIN or self.eof or self.text[end - 1] in '"]}':
                return pos, end, self.text[pos:end]
            pos = self._refill(pos)  # a number (0.5 read as 0) may go on in the next read
        return self._reference_span(pos)

    def _reference_span(self, pos: int) -> tuple[int, int, str]:
        while True:
            try:
                parse_reference(self.text[pos:])
            except JSONTextError as exc:
                if exc.message == _EXTRA_DATA:
                    text = self.text[pos : pos + exc.offset].rstrip(_WHITESPACE)
                    return pos, pos + len(text), text
                where = pos + exc.offset
                if not self.eof and (
                    where >= len(self.text) - _MARGIN or exc.message == _UNTERMINATED
                ):
                    pos = self._refill(pos)
                    continue
                raise self._report(where, exc.message) from None
            if self.eof:
                text = self.text[pos:].rstrip(_WHITESPACE)
                return pos, pos + len(text), text
            pos = self._refill(pos)

    def _parse(self, pos: int, text: str) -> Any:
        """``parse(text)`` of the text at ``pos``; not JSON reported where it is."""
        try:
            return JSON.parse(text)
        except JSONTextError as exc:
            raise self._report(pos + exc.offset, exc.message) from None

    def _record(self, pos: int, path: str, problem: Callable[[Any], str] | None) -> Record:
        """The record whose value starts at ``pos``, parsed from its own text."""
        pos, end, text = self._span(pos)
        self._end = end
        return self._record_of(pos, text, path, problem)

    def _record_of(
        self, pos: int, text: str, path: str, problem: Callable[[Any], str] | None
    ) -> Record:
        data = self._parse(pos, text)
        record = Record(path, data, None if problem is None else problem(data), self.line(pos))
        record._text = text
        return record

    def _check_members(self, start: int, end: int) -> None:
        """Check the members of the object at ``start`` read up to ``end`` (skipped
        unchecked while the object might have been a message, checked whole then).
        """
        body = self.text[start + 1 : end].rstrip(_WHITESPACE)
        if body.endswith(","):
            body = body[:-1]
        try:
            JSON.parse("{" + body + "}")
        except JSONTextError as exc:
            raise self._report(start + exc.offset, exc.message) from None

    # -- the walk --

    def walk(self, *, lines_allowed: bool) -> Iterator[Record | NotJSON]:
        """The records of the document; at the first text that is not JSON, a
        report and the end. With ``lines_allowed``, a first value alone on its
        first line makes the input JSON Lines: the rest is left in ``rest``.
        """
        try:
            yield from self._walk(lines_allowed)
        except _Failed as failed:
            yield failed.report

    def _walk(self, lines_allowed: bool) -> Iterator[Record]:
        while len(self.text) < 2 and not self.eof:
            self._refill(0)
        nul = self.text.find("\x00", 0, 2) if self._stream is not None else -1
        if nul >= 0:  # no JSON text has NUL among its first two characters; UTF-16 has
            raise self._report(nul, "UTF-16 or UTF-32 bytes: JSON bytes must be UTF-8")
        pos = self._ws(0)
        if pos >= len(self.text):
            if lines_allowed and self._bad is None:
                return  # blank input: JSON Lines without a line
            raise self._fail(0, "")
        first_line = self.line(pos)
        end = yield from self._value_at(pos)
        if lines_allowed and self.line(end) == first_line:
            after = self._line_end(end)
            if after is not None:  # JSON Lines: the rest is read line by line
                head = self.text[after:].encode("utf-8") + self._decoder.getstate()[0]
                self.rest = _chain_lines(
                    head + self._raw_tail, None if self._drained else self._stream
                )
                self.rest_line = first_line
                return
        end = self._ws(end)
        if end < len(self.text) or self._bad is not None:
            raise self._fail(end, "0")

    def _line_end(self, pos: int) -> int | None:
        """After the newline ending ``pos``'s line if only blanks come before it
        (or the input ends); else None.
        """
        while True:
            end = _skip_blanks(self.text, pos).end()
            if end < len(self.text):
                return end + 1 if self.text[end] == "\n" else None
            if self.eof:
                return end if self._bad is None else None
            pos = self._refill(pos)

    def _value_at(self, pos: int) -> Generator[Record, None, int]:
        """Walk the top value, which starts at ``pos``; returns the position after it.

        An explicit stack of the open containers, ``[kind, path, count]`` (count:
        elements or members read), so that no nesting exhausts Python's stack.
        """
        stack: list[list[Any]] = []
        state = _VALUE
        role = _AS_ANY
        path = ""
        while True:
            if state == _VALUE:
                char = self._peek(pos)
                if char not in _VALUE_START:
                    raise self._fail(pos, self._skeleton(stack, _VALUE))
                if role == _AS_RECORD:
                    yield self._record(pos, path, None)
                    pos = self._end
                elif role == _AS_NOTHING:
                    pos, end, text = self._span(pos)
                    if stack[-1][0] != _UNDECIDED:  # an undecided object is checked whole
                        self._parse(pos, text)
                    pos = end
                elif char == "[" and role in (_AS_ANY, _AS_PARTICIPANTS, _AS_MESSAGES):
                    kind = (
                        _ANY
                        if role == _AS_ANY
                        else _PARTICIPANTS
                        if role == _AS_PARTICIPANTS
                        else _MESSAGES
                    )
                    stack.append([kind, path, 0])
                    pos = self._ws(pos + 1)
                    state = _FIRST
                    continue
                elif char == "{" and role in (_AS_ANY, _AS_PARTICIPANT):
                    stack.append([_UNDECIDED if role == _AS_ANY else _PARTICIPANT, path, 0])
                    if role == _AS_ANY:
                        self.mark = pos
                    pos = self._ws(pos + 1)
                    state = _FIRST
                    continue
                elif role == _AS_MESSAGES and char == "n":
                    pos, end, text = self._span(pos)
                    if self._parse(pos, text) is None:  # null: no internal messages
                        pos = end
                    else:
                        yield self._record_of(pos, text, path, _messages_problem)
                        pos = end
                else:
                    problem = _PROBLEMS[role]
                    yield self._record(pos, path, problem)
                    pos = self._end
                state = _NEXT
            elif state == _FIRST:
                frame = stack[-1]
                char = self._peek(pos)
                if frame[0] in _ARRAYS:
                    if char == "]":
                        stack.pop()
                        pos += 1
                        state = _NEXT
                        continue
                    frame[2] = 1
                    path = _index(frame[1], 0)
                    role = _ELEMENT[frame[0]]
                    state = _VALUE
                    continue
                if char == "}":
                    stack.pop()
                    pos += 1
                    if frame[0] == _UNDECIDED:
                        yield self._closed(pos, frame[1])
                    state = _NEXT
                    continue
                state = _KEY
            elif state == _KEY:
                frame = stack[-1]
                if self._peek(pos) != '"':
                    raise self._fail(pos, self._skeleton(stack, _KEY))
                key_pos, end, text = self._span(pos)
                key = self._parse(key_pos, text)
                key_at = key_pos + self._dropped  # reading more below may move it
                if type(key) is not str:  # pragma: no cover - a '"' starts a string
                    raise self._fail(pos, self._skeleton(stack, _KEY))
                frame[2] += 1
                pos = self._ws(end)
                if self._peek(pos) != ":":
                    raise self._fail(pos, self._skeleton(stack, -1))
                value_pos = self._ws(pos + 1)
                kind = frame[0]
                role = _AS_NOTHING
                if key == "participants" and kind in (_UNDECIDED, _CONVERSATION):
                    role = _AS_PARTICIPANTS
                elif key == "entities" and kind in (_UNDECIDED, _PAGE):
                    if self._peek(value_pos) == "[":
                        role = _AS_ANY
                elif key == "internalMessages" and kind == _PARTICIPANT:
                    role = _AS_MESSAGES
                if role != _AS_NOTHING and kind == _UNDECIDED:
                    # Decided: a conversation or a page, not a message. What was
                    # skipped of it is checked now, and its text need not be kept.
                    self._check_members(self.mark, key_at - self._dropped)
                    frame[0] = _CONVERSATION if role == _AS_PARTICIPANTS else _PAGE
                    self.mark = -1
                path = _key(frame[1], key)
                pos = value_pos
                state = _VALUE
            else:  # _NEXT
                if not stack:
                    return pos
                frame = stack[-1]
                pos = self._ws(pos)
                char = self._peek(pos)
                if char == ",":
                    pos = self._ws(pos + 1)
                    if frame[0] in _ARRAYS:
                        path = _index(frame[1], frame[2])
                        frame[2] += 1
                        role = _ELEMENT[frame[0]]
                        state = _VALUE
                    else:
                        state = _KEY
                    continue
                if char != ("]" if frame[0] in _ARRAYS else "}"):
                    raise self._fail(pos, self._skeleton(stack, _NEXT))
                stack.pop()
                pos += 1
                if frame[0] == _UNDECIDED:
                    yield self._closed(pos, frame[1])

    def _closed(self, end: int, path: str) -> Record:
        """An object with neither deciding key ended at ``end``: a message."""
        start, self.mark = self.mark, -1
        return self._record_of(start, self.text[start:end], path, None)


_PROBLEMS: dict[int, Callable[[Any], str] | None] = {
    _AS_ANY: lambda value: f"{_NOT_A_RECORD}, got {describe(value)}",
    _AS_PARTICIPANT: _participant_problem,
    _AS_PARTICIPANTS: _participants_problem,
    _AS_MESSAGES: _messages_problem,
}
_skip_blanks: Callable[[str, int], re.Match[str]] = re.compile(r"[ \t\r]*").match  # type: ignore[assignment]


def parse_reference(text: str) -> Any:
    """The package's reference parser (imported on first need)."""
    from ._jsonreference import parse_reference as reference

    return reference(text)


def _chain_lines(head: bytes, stream: BinaryIO | None) -> Iterable[bytes]:
    """The lines of ``head`` and then of ``stream``, a line split between them joined."""
    import io
    import itertools

    lines = io.BytesIO(head).readlines()  # the rest of the first read: small
    if stream is None:
        return lines
    if lines and not lines[-1].endswith(b"\n"):
        lines[-1] += stream.readline()
    return itertools.chain(lines, stream)  # at C speed: the lines of a large file go through
