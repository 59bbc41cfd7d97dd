"""Documents streamed: each record's text found without building it, and parsed once.

A JSON document (one message, an array, a conversation, a listing page, any
nesting of them: the shape rule of `_shape`) is read in windows of about a
megabyte of bytes, as they come. The envelope around the records (the arrays,
conversations, participants and pages) is walked here; the scanner (`_scan`,
compiled or pure Python) steps over the envelope's other values without building
them, checking them as JSON as it goes, and finds where each record's text ends
by its brackets alone; and each record's exact bytes are parsed once, by the
active JSON backend (`_jsontext.JSON.parse`), which checks them. So a record in a
document has exactly the value ``from_json`` gives for its text (and its
grammar is checked once, by that parser), memory holds one window and one
record, and the bytes read are real progress.

Text that is not JSON ends the walk with a
[`NotJSON`][purecloud_internal_message._shape.NotJSON] report in the reference
parser's words, at the position parsing the whole document gives: the walker
hands the reference parser the rest of the window, behind a few characters that
put it in the walker's state (a record's text that does not parse holds the
document's first such text: the envelope before it has been checked, and the
records before it parsed). UTF-8 is checked as the bytes are read, by the
scanner, which counts their characters too: no window is decoded. Lines are
counted in bytes, columns in characters, and columns only for a report (a window
keeps its count of characters, so that dropping what was walked counts only what
is kept).

A record comes as the plain tuple ``(line, payload, loc, text)`` (see
[`Plain`][purecloud_internal_message._shape.Plain]), or as a
[`Record`][purecloud_internal_message._shape.Record] when it has a structural
problem. [`line_in`][purecloud_internal_message._stream.line_in] finds the line
of a value inside a record's text, so that a problem deep in a pretty-printed
record points at its own line.
"""

from __future__ import annotations

import re

from ._jsontext import JSON
from ._jsonvalues import JSONTextError
from ._scan import (
    Records,
    chars,
    elements,
    members,
    read_into,
    skip_ws,
    utf8_prefix,
    value_end,
)
from ._scan_py import (
    ANY_ARRAY,
    END,
    ENTITIES,
    ESCAPED_KEY,
    INTERNAL_MESSAGES,
    INVALID,
    MESSAGES_ARRAY,
    PARTICIPANTS,
    PARTICIPANTS_ARRAY,
    STOP,
)
from ._shape import (
    NotJSON,
    Record,
    messages_problem,
    not_a_record_problem,
    participant_problem,
    participants_problem,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterator
    from typing import Any, BinaryIO

    from ._errors import Loc
    from ._shape import Plain

__all__ = ["Document", "line_in", "walk_text"]

_UTF8_BOM = b"\xef\xbb\xbf"
# Reading a document this many bytes at a time (more while one value is larger).
_CHUNK = 1 << 20
# A little at first: JSON Lines are told by their first line.
_FIRST_CHUNK = 1 << 16
# How close to the end of the window a parse error must be to mean "read more".
_MARGIN = 64
# An error this close before undecodable input may be the text cut short there.
_CUT = 8
# The reference parser's words for a string the text ends in.
_UNTERMINATED = "unterminated string"
_UTF16 = "UTF-16 or UTF-32 bytes: JSON bytes must be UTF-8"
# Patterns that match everywhere (possibly nothing), typed as such for the checker.
_skip_blanks: Callable[[bytes, int], re.Match[bytes]] = re.compile(rb"[ \t\r]*").match  # type: ignore[assignment]


def line_in(text: bytes | None, line: int, loc: Loc) -> int:
    """The line of the value at ``loc`` (an error's location) in a record's ``text``.

    ``line`` is the text's first line; it is the answer when the value cannot be
    found there, and for a record without its text (None), which is on one line.
    """
    if not loc or text is None or b"\n" not in text:
        return line
    try:
        offset = _offset_of(text, loc)
    except JSONTextError:  # a key the parser refuses (lone surrogates in a str's text)
        offset = None
    if offset is None:
        return line
    return line + text.count(b"\n", 0, offset)


def _offset_of(text: bytes, loc: Loc) -> int | None:
    """The offset, in a record's JSON text, of the value at ``loc``; None when the
    location does not lead to a value. Under a repeated key, the last occurrence:
    the one parsers keep.
    """
    end = len(text)
    pos = skip_ws(text, 0, end)
    for step in loc:
        if pos >= end:
            return None
        char = text[pos]
        if char == 0x7B and isinstance(step, str):  # {
            found = None
            pos = skip_ws(text, pos + 1, end)
            while pos < end and text[pos] == 0x22:
                key_end = value_end(text, pos, end, True)
                if key_end < 0:
                    return None
                key = JSON.parse(text[pos:key_end])
                pos = skip_ws(text, skip_ws(text, key_end, end) + 1, end)  # past the colon
                if key == step:
                    found = pos
                after = value_end(text, pos, end, True) if pos < end else INVALID
                if after < 0:
                    return None
                pos = skip_ws(text, after, end)
                if pos < end and text[pos] == 0x2C:  # ,
                    pos = skip_ws(text, pos + 1, end)
            if found is None:
                return None
            pos = found
        elif char == 0x5B and isinstance(step, int):  # [
            pos = skip_ws(text, pos + 1, end)
            for _ in range(step):
                after = value_end(text, pos, end, True) if pos < end else INVALID
                if after < 0:
                    return None
                pos = skip_ws(text, after, end)
                if pos >= end or text[pos] != 0x2C:
                    return None
                pos = skip_ws(text, pos + 1, end)
            if pos >= end or text[pos] == 0x5D:
                return None
        else:
            return None
    return pos


# -- the walker ---------------------------------------------------------------------------

# What an open container on the envelope's stack is.
_ANY = 0  # an array whose elements may be any form (top level, entities, nested arrays)
_PARTICIPANTS = 1  # an array of participants
_MESSAGES = 2  # an array of internal messages
_UNDECIDED = 3  # an object that may be a message, a conversation or a page
_CONVERSATION = 4  # an object known to be a conversation
_PAGE = 5  # an object known to be a listing page
_PARTICIPANT = 6  # a participant object
_ARRAYS = (_ANY, _PARTICIPANTS, _MESSAGES)
# How the scanner reads each kind of array.
_SCANNED_AS = {_ANY: ANY_ARRAY, _PARTICIPANTS: PARTICIPANTS_ARRAY, _MESSAGES: MESSAGES_ARRAY}
# The keys that matter in each kind of object, as the scanner's mask.
_WANTED = {
    _UNDECIDED: PARTICIPANTS | ENTITIES,
    _CONVERSATION: PARTICIPANTS,
    _PAGE: ENTITIES,
    _PARTICIPANT: INTERNAL_MESSAGES,
}
_KEYS = {PARTICIPANTS: "participants", ENTITIES: "entities", INTERNAL_MESSAGES: "internalMessages"}
_KEY_BITS = {name: bit for bit, name in _KEYS.items()}

# What the value about to be read is to its container.
_AS_ANY = 0  # any form: an array, a conversation, a page, a message or a bad record
_AS_PARTICIPANT = 1
_AS_RECORD = 2  # an element of internalMessages
_AS_PARTICIPANTS = 3  # the value of "participants"
_AS_MESSAGES = 4  # the value of "internalMessages"
_AS_NOTHING = 5  # a member value nobody needs: checked and skipped
# The array a value in a role opens, and what its elements are.
_ARRAY_OF = {_AS_ANY: _ANY, _AS_PARTICIPANTS: _PARTICIPANTS, _AS_MESSAGES: _MESSAGES}
_ELEMENT = {_ANY: _AS_ANY, _PARTICIPANTS: _AS_PARTICIPANT, _MESSAGES: _AS_RECORD}
# The roles in which an object is walked into (the others make it a record).
_OBJECT_ROLES = (_AS_ANY, _AS_PARTICIPANT)
_PROBLEMS: dict[int, Callable[[Any], str]] = {
    _AS_ANY: not_a_record_problem,
    _AS_PARTICIPANT: participant_problem,
    _AS_PARTICIPANTS: participants_problem,
    _AS_MESSAGES: messages_problem,
}

# Where the walker is, for the reference parser's benefit (see _skeleton).
_VALUE = 0  # a value starts at pos
_NEXT = 1  # after a value inside the innermost container (or after the top value)
_KEY = 2  # a member starts at pos, just after the '{'
_NEXT_KEY = 3  # a member starts at pos, after a ','


class _Failed(Exception):
    """The document stops here: text that is not JSON."""

    def __init__(self, report: NotJSON) -> None:
        super().__init__(report.reason)
        self.report = report


class Document:
    """One JSON document, streamed through a window of bytes.

    Positions are offsets into ``buf``, the window. Reading more drops what has
    been walked, except from ``mark`` on: the start of an object that may yet be
    a message (its text would be the record's).

    Args:
        stream: A binary stream to read, or None.
        progress: Called with the number of bytes read, as they are.
        data: The whole text as bytes, instead of a stream.
        surrogates: ``data`` is a ``str``'s encoding with lone surrogates passed
            through (``"surrogatepass"``), which the text may hold.
    """

    def __init__(
        self,
        stream: BinaryIO | None,
        progress: Callable[[int], None] | None = None,
        data: bytes = b"",
        *,
        surrogates: bool = False,
    ) -> None:
        self._stream = stream
        self._progress = progress
        self._surrogates = surrogates
        self.buf = b""
        self.eof = stream is None  # no more text will come
        #: Whether the stream has given all it had (the text may end before, at
        #: bytes that are not UTF-8).
        self.drained = stream is None
        self._first = not surrogates  # a str's U+FEFF is not a byte order mark to skip
        self._pending = b""  # the start of a character the last read cut short
        self._bad: int | None = None  # where undecodable bytes start (the window ends there)
        self._bad_byte = 0
        self._raw_tail = b""  # the bytes from the undecodable one on
        self._counted = (0, 1)  # a position in the window and its line number
        self._column0 = 0  # the characters on buf[0]'s line before it
        self._window_chars = 0  # the characters buf holds
        self._ascii = True  # whether every byte taken so far was ASCII
        self._end = 0  # where the value _record read last ends
        self.mark = -1
        #: For JSON Lines after the first line: the rest of what was read, and that
        #: line's number.
        self.rest: bytes | None = None
        self.rest_line = 0
        if stream is None:
            self._take(data, 0, final=True)

    # -- the window --

    def _take(self, window: bytes, start: int, *, final: bool) -> None:
        """Make ``window`` the window, up to its first bytes that are not UTF-8: its
        bytes before ``start`` are the last window's, the rest are new (the start
        of a character the last read cut short, then what was read).
        """
        if self._first:  # (start is 0: nothing was read before)
            self._first = False
            if window.startswith(_UTF8_BOM):  # skipped, as parse() skips it
                window = window[len(_UTF8_BOM) :]
        size = len(window) - start
        if self._surrogates:  # a str's text, whole: no check, and counted once
            count = size if window.isascii() else chars(window, start, len(window))
        else:  # (no isascii() first: the check reads ASCII as fast, and counts)
            end, invalid, count = utf8_prefix(window, start, final)
            if invalid:
                self._bad = end
                self._bad_byte = window[end]
                self._raw_tail = window[end:]
                self.eof = True
                window = window[:end]
            elif end < len(window):
                self._pending = window[end:]
                window = window[:end]
        if count < size:  # (the start of a character cut short is not ASCII either)
            self._ascii = False
        self.buf = window
        self._window_chars += count

    def _refill(self, pos: int) -> int:
        """Read more; returns ``pos`` in the new window."""
        assert self._stream is not None
        cut = pos if self.mark < 0 else min(pos, self.mark)
        if cut > _CHUNK // 4:  # drop what has been walked (not worth it for a little)
            buf = self.buf
            counted_pos, counted_line = self._counted
            if counted_pos > cut:
                counted_line -= buf.count(b"\n", cut, counted_pos)
            else:
                counted_line += buf.count(b"\n", counted_pos, cut)
            self._counted = (0, counted_line)
            # The characters kept are counted, not those dropped: a document may
            # be one long line, and what is kept is about a record.
            kept = self._chars(cut, len(buf))
            newline = buf.rfind(b"\n", 0, cut)
            if newline >= 0:
                self._column0 = self._chars(newline + 1, cut)
            else:
                self._column0 += self._window_chars - kept
            self._window_chars = kept
            if self.mark >= 0:
                self.mark -= cut
            pos -= cut
        else:
            cut = 0
        # At least as much as the window holds: a long value costs linear time.
        size = _FIRST_CHUNK if self._first else max(_CHUNK, len(self.buf) - cut)
        head: bytes | memoryview = memoryview(self.buf)[cut:] if cut else self.buf
        start = len(head)
        if self._pending:
            head = b"".join((head, self._pending))
            self._pending = b""
        window, count = read_into(head, self._stream, size)
        if self._progress is not None and count:
            self._progress(count)
        if not count:
            self.eof = self.drained = True
        self._take(window, start, final=not count)
        return pos

    @property
    def _final(self) -> bool:
        """Whether the text ends where the window does: for good, not at bytes that
        are not UTF-8 (before those, text that could go on is a problem of the bytes).
        """
        return self.eof and self._bad is None

    def _more(self, pos: int) -> int:
        """Read more for the text from ``pos``, which could go on; at bytes that are
        not UTF-8, report them.
        """
        if self.eof:
            raise self._report(self._bad or 0, f"invalid UTF-8: byte 0x{self._bad_byte:02x}")
        return self._refill(pos)

    def _ws(self, pos: int) -> int:
        """Skip whitespace from ``pos``: the position of the next byte, or the end."""
        while True:
            pos = skip_ws(self.buf, pos, len(self.buf))
            if pos < len(self.buf) or self.eof:
                return pos
            pos = self._refill(pos)

    def _peek(self, pos: int) -> int:
        return self.buf[pos] if pos < len(self.buf) else -1

    def line(self, pos: int) -> int:
        """The line number of ``pos`` (counted on from the last position asked about)."""
        counted_pos, counted_line = self._counted
        if pos >= counted_pos:
            counted_line += self.buf.count(b"\n", counted_pos, pos)
        else:
            counted_line -= self.buf.count(b"\n", pos, counted_pos)
        self._counted = (pos, counted_line)
        return counted_line

    def column(self, pos: int) -> int:
        """The 1-based column of ``pos``, in characters."""
        newline = self.buf.rfind(b"\n", 0, pos)
        if newline >= 0:
            return self._chars(newline + 1, pos) + 1
        return self._column0 + self._chars(0, pos) + 1

    def _chars(self, start: int, end: int) -> int:
        """How many characters ``buf[start:end]`` holds."""
        return end - start if self._ascii else chars(self.buf, start, end)

    def _text(self, data: bytes) -> str:
        return data.decode("utf-8", "surrogatepass" if self._surrogates else "strict")

    # -- reports --

    def _report(self, pos: int, reason: str) -> _Failed:
        """Not JSON at ``pos``."""
        return _Failed(NotJSON(self.line(pos), self.column(pos), reason, ends_input=True))

    def _report_in(self, pos: int, text: str, offset: int, reason: str) -> _Failed:
        """Not JSON at character ``offset`` of ``text``, the window's text from
        ``pos``; unless undecodable bytes came first, or cut the text short where
        the parser found it wanting.
        """
        if self._bad is not None and (offset >= len(text) - _CUT or reason == _UNTERMINATED):
            return self._report(self._bad, f"invalid UTF-8: byte 0x{self._bad_byte:02x}")
        line = self.line(pos) + text.count("\n", 0, offset)
        newline = text.rfind("\n", 0, offset)
        column = offset - newline if newline >= 0 else self.column(pos) + offset
        return _Failed(NotJSON(line, column, reason, ends_input=True))

    def _fail(self, pos: int, skeleton: str) -> _Failed:
        """The reference parser's report on the text from ``pos``, read in the state
        ``skeleton`` leaves it in (the open containers, then what was just read),
        so that its words and position are those of parsing the whole document.
        """
        from ._jsonreference import parse_reference  # deferred: text that is not JSON

        while True:
            text = self._text(self.buf[pos:])
            try:
                parse_reference(skeleton + text)
            except JSONTextError as exc:
                offset = max(exc.offset - len(skeleton), 0)
                if not self.eof and (offset >= len(text) - _MARGIN or exc.message == _UNTERMINATED):
                    pos = self._refill(pos)
                    continue
                return self._report_in(pos, text, offset, exc.message)
            if self.eof:  # pragma: no cover - the walker reads what the parser reads
                return self._report_in(pos, text, len(text), "expected more")
            pos = self._refill(pos)

    @staticmethod
    def _skeleton(stack: list[list[Any]], state: int) -> str:
        """A text that leaves the reference parser in the walker's state.

        A value just read is ``0 ``: the space keeps what follows from going on
        with it, as ``0.`` or ``0e`` would.
        """
        if not stack:
            return "0 " if state == _NEXT else ""
        inside = "".join("[" if frame[0] in _ARRAYS else '{"":' for frame in stack[:-1])
        frame = stack[-1]
        if frame[0] in _ARRAYS:
            if state == _VALUE:
                return inside + ("[0," if frame[2] else "[")
            return inside + "[0 "  # after an element
        if state == _VALUE:
            return inside + '{"":'
        if state == _KEY:
            return inside + "{"
        if state == _NEXT_KEY:
            return inside + '{"":0,'
        return inside + '{"":0 '  # after a member

    # -- values --

    def _scan(self, pos: int, stack: list[list[Any]]) -> tuple[int, int]:
        """The value starting at ``pos``: where it starts and ends, in the window as
        it is afterwards (reading more may move it).
        """
        while True:
            end = value_end(self.buf, pos, len(self.buf), self._final)
            if end >= 0:
                if (
                    end < len(self.buf)
                    and self.buf[end] in _NUMBER_GOES_ON
                    and (self.buf[pos] in _NUMBER_START)
                ):
                    # 01, 1.x, 1ex: the number is wrong, not what follows it.
                    raise self._fail(pos, self._skeleton(stack, _VALUE))
                return pos, end
            if end == INVALID:
                raise self._fail(pos, self._skeleton(stack, _VALUE))
            pos = self._more(pos)

    def _parse(self, pos: int, text: bytes) -> Any:
        """``parse(text)`` of the record text at ``pos``."""
        try:
            return self._parse_text(text)
        except JSONTextError as exc:  # pragma: no cover - the scanner has checked it
            raise self._report_in(pos, self._text(text), exc.offset, exc.message) from None

    def _parse_text(self, text: bytes) -> Any:
        if self._surrogates and not text.isascii():  # a str's text: lone surrogates pass
            return JSON.parse(self._text(text))
        return JSON.parse(text)

    def _record(
        self, pos: int, loc: Loc, problem: Callable[[Any], str] | None, stack: list[list[Any]]
    ) -> Plain | Record:
        """The record whose value starts at ``pos``, parsed from its own text."""
        pos, end = self._scan(pos, stack)
        self._end = end
        return self._record_of(pos, self.buf[pos:end], loc, problem)

    def _record_of(
        self, pos: int, text: bytes, loc: Loc, problem: Callable[[Any], str] | None
    ) -> Plain | Record:
        """The record of ``text`` at ``pos``: a plain one, or with the problem that
        ``problem`` (if given: where no message can be) words."""
        data = self._parse(pos, text)
        if problem is not None:
            return Record(loc, data, problem(data), self.line(pos))
        return (self.line(pos), data, loc, text)

    def _member(self, stack: list[list[Any]], pos: int, first: int) -> tuple[int, int, Loc]:
        """The next member of the innermost object that matters, from ``pos`` (just
        after its ``{``, or after a ``,``): ``(pos, role, loc)`` of its value, or
        ``(pos, -1, ())`` when the object ends first (``pos`` just past its ``}``).
        """
        frame = stack[-1]
        kind = frame[0]
        while True:
            status, where, value = members(
                self.buf, pos, len(self.buf), self._final, _WANTED[kind], first
            )
            if status >= 0:
                break
            if status == INVALID:
                raise self._fail(where, self._skeleton(stack, _KEY if value else _NEXT_KEY))
            pos = self._more(where)
            first = value
        if status == END:
            return where, -1, ()
        if status == ESCAPED_KEY:
            colon = self.buf.rindex(b":", where, value)
            key: str = JSON.parse(self.buf[where:colon])
            status = _KEY_BITS.get(key, 0) & _WANTED[kind]
            if not status:
                return value, _AS_NOTHING, ()
        else:
            key = _KEYS[status]
        if status == PARTICIPANTS:
            role = _AS_PARTICIPANTS
        elif status == INTERNAL_MESSAGES:
            role = _AS_MESSAGES
        elif self.buf[value] == 0x5B:  # entities, an array
            role = _AS_ANY
        else:
            return value, _AS_NOTHING, ()
        if kind == _UNDECIDED:  # decided: a conversation or a page, not a message
            frame[0] = _CONVERSATION if role == _AS_PARTICIPANTS else _PAGE
            self.mark = -1
        return value, role, (*frame[1], key)

    # -- the walk --

    def walk(self, *, lines_allowed: bool) -> Iterator[Plain | Record | NotJSON]:
        """The records of the document; at the first text that is not JSON, a
        report and the end. With ``lines_allowed``, a first value alone on its
        first line makes the input JSON Lines: the rest is left in ``rest``.
        """
        try:
            while len(self.buf) < 2 and not self.eof:
                self._refill(0)
            # No JSON text has NUL among its first two characters; UTF-16 and UTF-32 have.
            nul = self.buf.find(b"\x00", 0, 2) if not self._surrogates else -1
            if nul >= 0:
                raise self._report(nul, _UTF16)
            pos = self._ws(0)
            if pos >= len(self.buf):
                if lines_allowed and self._bad is None:
                    return  # blank input: JSON Lines without a line
                raise self._fail(0, "")
            first_line = self.line(pos)
            end = yield from self._value_at(pos)
            if lines_allowed and self.line(end) == first_line:
                after = self._line_end(end)
                if after is not None:  # JSON Lines: the rest is read line by line
                    self.rest = self.buf[after:] + self._pending + self._raw_tail
                    self.rest_line = first_line
                    return
            end = self._ws(end)
            if end < len(self.buf) or self._bad is not None:
                raise self._fail(end, self._skeleton([], _NEXT))
        except _Failed as failed:
            yield failed.report

    def _line_end(self, pos: int) -> int | None:
        """After the newline ending ``pos``'s line if only blanks come before it
        (or the input ends); else None.
        """
        while True:
            end = _skip_blanks(self.buf, pos).end()
            if end < len(self.buf):
                return end + 1 if self.buf[end] == 0x0A else None
            if self.eof:
                return end if self._bad is None else None
            pos = self._refill(pos)

    def _value_at(self, pos: int) -> Generator[Plain | Record, None, int]:
        """Walk the top value, which starts at ``pos``; returns the position after it.

        An explicit stack of the open containers, ``[kind, loc, index]`` (index:
        of an array's element being read, the number read before it), so that no
        nesting exhausts Python's stack. The elements of an array are read by the
        scanner's ``elements`` as far as it can (the records among them parsed
        here, in a tight loop: the hot path of a listing page); the walk reads
        the rest.
        """
        stack: list[list[Any]] = []
        role = _AS_ANY
        loc: Loc = ()
        first = -1  # 1 or 0: the elements of the innermost array from pos, after '[' or ','
        while True:
            if first >= 0:
                frame = stack[-1]
                status, at, count, spans = elements(
                    self.buf, pos, len(self.buf), self._final, _SCANNED_AS[frame[0]], first
                )
                if spans:
                    line = self.line(pos)
                    parse = self._parse_text if self._surrogates else JSON.parse
                    records = Records(self.buf, spans, frame[1], frame[2], line, parse)
                    try:
                        yield from records
                    except JSONTextError:  # its brackets close, but it is not JSON
                        # The first text of the document that is not JSON is in it
                        # (see elements()). The parser is put where a value is
                        # expected: what it says about the record's text does not
                        # depend on the containers around it.
                        raise self._fail(records.at, self._skeleton(stack, _VALUE)) from None
                    # Lines are counted on from the last record's start.
                    self._counted = (spans[-6], line + spans[-4])
                frame[2] += count
                if status == STOP:  # an element for the walk
                    first = -1
                    pos = at
                    loc = (*frame[1], frame[2])
                    role = _ELEMENT[frame[0]]
                    continue
                if status == INVALID:
                    raise self._fail(at, self._skeleton(stack, _VALUE))
                if status != END:  # more to read
                    if count:
                        first = 0
                    pos = self._more(at)
                    continue
                first = -1
                stack.pop()
                pos = at
            else:
                # A value starts at pos (whitespace skipped), in the role its container gives.
                char = self._peek(pos)
                if role == _AS_RECORD:
                    yield self._record(pos, loc, None, stack)
                    pos = self._end
                elif role == _AS_NOTHING:
                    pos = self._scan(pos, stack)[1]
                elif char == 0x5B and role in _ARRAY_OF:  # [
                    stack.append([_ARRAY_OF[role], loc, 0])
                    pos += 1
                    first = 1
                    continue
                elif char == 0x7B and role in _OBJECT_ROLES:  # {
                    stack.append([_UNDECIDED if role == _AS_ANY else _PARTICIPANT, loc, 0])
                    if role == _AS_ANY:
                        self.mark = pos
                    pos, role, loc = self._member(stack, pos + 1, 1)
                    if role >= 0:
                        continue
                    record = self._closed(stack, pos)
                    if record is not None:
                        yield record
                elif role == _AS_MESSAGES and char == 0x6E:  # null: no internal messages
                    # The scanner takes only the literal null here: anything else
                    # starting with "n" is not JSON, and fails there.
                    pos = self._scan(pos, stack)[1]
                elif char < 0 or char not in _VALUE_START:
                    raise self._fail(pos, self._skeleton(stack, _VALUE))
                else:
                    yield self._record(pos, loc, _PROBLEMS[role], stack)
                    pos = self._end
            # After a value: the next one in its container, or the container's end.
            while True:
                if not stack:
                    return pos
                frame = stack[-1]
                pos = self._ws(pos)
                char = self._peek(pos)
                if frame[0] in _ARRAYS:
                    if char == 0x2C:  # ,
                        frame[2] += 1
                        pos += 1
                        first = 0
                        break
                    if char != 0x5D:  # ]
                        raise self._fail(pos, self._skeleton(stack, _NEXT))
                    stack.pop()
                    pos += 1
                    continue
                if char == 0x2C:
                    pos, role, loc = self._member(stack, pos + 1, 0)
                    if role >= 0:
                        break
                elif char == 0x7D:  # }
                    pos += 1
                else:
                    raise self._fail(pos, self._skeleton(stack, _NEXT))
                record = self._closed(stack, pos)
                if record is not None:
                    yield record

    def _closed(self, stack: list[list[Any]], end: int) -> Plain | Record | None:
        """The innermost object ended at ``end``: the record it is, if it had
        neither deciding key.
        """
        frame = stack.pop()
        if frame[0] != _UNDECIDED:
            return None
        start, self.mark = self.mark, -1
        return self._record_of(start, self.buf[start:end], frame[1], None)


_VALUE_START = frozenset(b'"-0123456789tfn{[')
_NUMBER_START = frozenset(b"-0123456789")
# What cannot follow a number: the reference parser calls the number wrong.
_NUMBER_GOES_ON = frozenset(b"0123456789.eE")


def walk_text(text: str | bytes | bytearray | BinaryIO) -> Iterator[Plain | Record | NotJSON]:
    """The records of one JSON document given as text or as a binary stream
    (read as ``read_records(form="json")`` reads it).
    """
    if isinstance(text, str):
        data = text.encode("utf-8", "surrogatepass")
        return Document(None, data=data, surrogates=True).walk(lines_allowed=False)
    if isinstance(text, (bytes, bytearray)):
        return Document(None, data=bytes(text)).walk(lines_allowed=False)
    return Document(text).walk(lines_allowed=False)
