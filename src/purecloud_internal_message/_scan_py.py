r"""Where a JSON value ends, found without building it: the pure-Python scanner.

The document walker (`_stream`) needs to know where each record's text ends,
so that it can parse that text once, and to step over the envelope's values
(the members of a conversation or a page that are not records) without
building them. This module does both on UTF-8 bytes, checking the JSON grammar
of the envelope as it goes (a record's text is checked by its parser, so its end
is found by its brackets: [`record_end`][purecloud_internal_message._scan_py.record_end]),
and nothing else: it never builds a value, never decodes text and never words an
error (the reference parser does, when the walker asks it).
[`Records`][purecloud_internal_message._scan_py.Records] then parses the records
found, one at a time.

`_scan_c` is its compiled twin (`_scan_c.pyx` over `_scan_c.h`), with the same
functions and exactly the same results; `_scan` chooses between them. Both are
tested against each other and against the reference parser.

Positions are byte offsets into ``buf``; only ``buf[pos:end]`` is read, and
``0 <= pos <= end <= len(buf)`` is required. ``final`` says that nothing comes
after ``end`` (the end of the input): without it, text that runs up to ``end``
and could still go on (``[1, 2``, ``"ab``, ``12``, ``tru``) is
[`NEED_MORE`][purecloud_internal_message._scan_py.NEED_MORE]; with it, text cut
short is [`INVALID`][purecloud_internal_message._scan_py.INVALID] (a number
that ends at ``end`` is complete). Bytes of 0x80 and above are taken as they
are inside strings (UTF-8 is checked where the bytes are read) and are invalid
outside them.

The walker also asks it to read the next window
([`read_into`][purecloud_internal_message._scan_py.read_into]), to check that the
bytes it reads are UTF-8
([`utf8_prefix`][purecloud_internal_message._scan_py.utf8_prefix]) and to count
characters for a column ([`chars`][purecloud_internal_message._scan_py.chars]):
here by CPython's decoder, in the compiled twin without building any text.
"""

from __future__ import annotations

import codecs
import re
import sys
from array import array

from ._jsonvalues import JSONTextError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, BinaryIO

__all__ = [
    "ANY_ARRAY",
    "END",
    "ENTITIES",
    "ESCAPED_KEY",
    "INTERNAL_MESSAGES",
    "INVALID",
    "MESSAGES_ARRAY",
    "NEED_MORE",
    "PARTICIPANTS",
    "PARTICIPANTS_ARRAY",
    "STOP",
    "TEXT_STREAM",
    "Records",
    "chars",
    "elements",
    "members",
    "read_into",
    "record_end",
    "skip_ws",
    "utf8_prefix",
    "value_end",
]

#: The text runs up to ``end`` and may go on: read more and ask again.
NEED_MORE = -1
#: The text is not JSON (the reference parser says how, and where).
INVALID = -2

# What members() found, besides NEED_MORE and INVALID.
#: The object ends.
END = 0
#: A key that decides the shape of a document, written without escapes (a bit mask).
PARTICIPANTS = 1
ENTITIES = 2
INTERNAL_MESSAGES = 4
#: A key written with escapes (it may spell one of the above).
ESCAPED_KEY = 8
#: elements(): an element the caller must read itself.
STOP = 16

# The arrays elements() reads.
#: An array whose elements may be any form: a plain object is a record.
ANY_ARRAY = 0
#: An array of participants: a participant without internal messages is skipped.
PARTICIPANTS_ARRAY = 1
#: An array of internal messages: every element is a record.
MESSAGES_ARRAY = 2

_NAMES = {
    b"participants": PARTICIPANTS,
    b"entities": ENTITIES,
    b"internalMessages": INTERNAL_MESSAGES,
}

_WS = rb"[ \t\n\r]*"
_STRING_BODY = rb'[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*'
_STRING = rb'"' + _STRING_BODY + rb'"'
_NUMBER = rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
_SCALAR = rb"(?:" + _STRING + rb"|" + _NUMBER + rb"|true|false|null)"
# Patterns that match everywhere (possibly nothing), typed as such for the checker.
_ws: Callable[[bytes, int, int], re.Match[bytes]] = re.compile(_WS).match  # type: ignore[assignment]
_string = re.compile(_STRING).match
_string_start: Callable[[bytes, int, int], re.Match[bytes]] = re.compile(  # type: ignore[assignment]
    rb'"' + _STRING_BODY
).match
_escape_start = re.compile(rb"\\(?:u[0-9a-fA-F]{0,3})?").fullmatch
_number = re.compile(rb"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?").match
_key = re.compile(_STRING + _WS + rb":" + _WS).match
# Runs that the general loop below would read one token at a time, read at once (the
# speed of the pure-Python path): array elements that are scalars, each with its
# comma; object members whose values are scalars, each with its comma; and for
# members(), the same but only under keys that cannot be wanted (no escape, none of
# the names above). Each consumes only what the general loop accepts the same way.
# A value a run reads whole: a scalar, or an object or array of scalars (as the
# objects of a record's lists are). Each repetition in these patterns is followed by
# a byte its last item cannot hold, so a run that fails backs off in linear time.
_FLAT_MEMBER = _STRING + _WS + rb":" + _WS + _SCALAR + _WS
_FLAT = (
    rb"(?:" + _SCALAR
    + rb"|\{" + _WS + rb"(?:" + _FLAT_MEMBER + rb"(?:," + _WS + _FLAT_MEMBER + rb")*)?\}"
    + rb"|\[" + _WS + rb"(?:" + _SCALAR + _WS + rb"(?:," + _WS + _SCALAR + _WS + rb")*)?\])"
)  # fmt: skip
_array_run: Callable[[bytes, int, int], re.Match[bytes]] = re.compile(  # type: ignore[assignment]
    rb"(?:" + _FLAT + _WS + rb"," + _WS + rb")*"
).match
_object_run: Callable[[bytes, int, int], re.Match[bytes]] = re.compile(  # type: ignore[assignment]
    rb"(?:" + _STRING + _WS + rb":" + _WS + _FLAT + _WS + rb"," + _WS + rb")*"
).match
_unwanted_run: Callable[[bytes, int, int], re.Match[bytes]] = re.compile(  # type: ignore[assignment]
    rb'(?:(?!"(?:participants|entities|internalMessages)")"[^"\\\x00-\x1f]*"'
    + _WS
    + rb":"
    + _WS
    + _FLAT
    + _WS
    + rb","
    + _WS
    + rb")*"
).match
_LITERALS = {ord("t"): b"true", ord("f"): b"false", ord("n"): b"null"}


# The pure path's shortcut for a whole container: one match of a pattern for values
# nested up to 3 levels (a typical record: the record, its lists, their objects).
# What it does not match (deeper nesting, a value the window cuts, text that is not
# JSON) the general loop reads. It takes possessive quantifiers and atomic groups
# (Python 3.11 on): JSON has one reading, so they match what the plain pattern
# matches, and they fail in linear time, where backtracking through the nested
# repetitions of a cut or broken container costs time polynomial in its size. On 3.10
# the general loop reads everything.
_ATOMIC_WS = rb"[ \t\n\r]*+"
_ATOMIC_SCALAR = (
    rb'(?>"(?:[^"\\\x00-\x1f]++|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*+"'
    rb"|-?+(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?+(?:[eE][-+]?+[0-9]++)?+|true|false|null)"
)


def _containers(value: bytes) -> bytes:
    """A pattern for any JSON value of one more level of nesting than ``value``'s."""
    string = rb'"(?:[^"\\\x00-\x1f]++|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*+"'
    member = string + _ATOMIC_WS + rb":" + _ATOMIC_WS + value + _ATOMIC_WS
    element = value + _ATOMIC_WS
    return (
        rb"(?>" + value + rb"|\{" + _ATOMIC_WS
        + rb"(?:" + member + rb"(?:," + _ATOMIC_WS + member + rb")*+)?+\}"
        rb"|\[" + _ATOMIC_WS
        + rb"(?:" + element + rb"(?:," + _ATOMIC_WS + element + rb")*+)?+\])"
    )  # fmt: skip


_whole: Callable[[bytes, int, int], re.Match[bytes] | None] | None = None


def _whole_container(buf: bytes, pos: int, end: int) -> int:
    """The end of the container at ``pos`` if it is whole, valid and shallow, else -1."""
    global _whole  # noqa: PLW0603 - compiled once, on first use (about 70 ms)
    if _whole is None:
        if sys.version_info < (3, 11):
            return -1
        _whole = re.compile(_containers(_containers(_containers(_ATOMIC_SCALAR)))).match
    match = _whole(buf, pos, end)
    return -1 if match is None else match.end()


_NUMBER_START = frozenset(b"-0123456789")
_OPENERS = frozenset(b"{[")
_AFTER_ELEMENT = frozenset(b",]")
# What may follow a complete number at the end of the text and still make it longer.
_NUMBER_GOES_ON = frozenset([b"e", b"E", b"e+", b"e-", b"E+", b"E-"])


def _check(buf: bytes, pos: int, end: int) -> None:
    if not 0 <= pos <= end <= len(buf):
        raise ValueError(f"positions out of range: pos={pos}, end={end}, len={len(buf)}")


def _short(final: bool) -> int:
    """The text ends before the value does."""
    return INVALID if final else NEED_MORE


def skip_ws(buf: bytes, pos: int, end: int) -> int:
    """The offset of the first byte at or after ``pos`` that is not JSON whitespace
    (``end`` if there is none).
    """
    _check(buf, pos, end)
    return _ws(buf, pos, end).end()


def _bad_string(buf: bytes, pos: int, end: int, final: bool) -> int:
    """The string at ``pos`` does not end well before ``end``: cut short, or invalid."""
    stop = _string_start(buf, pos, end).end()
    if stop == end or (buf[stop] == 0x5C and _escape_start(buf, stop, end)):  # a backslash
        return _short(final)
    return INVALID  # a control character, or an invalid escape


def _number_end(buf: bytes, pos: int, end: int, final: bool) -> int:
    """The longest number at ``pos``, as the grammar's regular expression reads it."""
    match = _number(buf, pos, end)
    if match is None:  # a '-' and no digit
        return NEED_MORE if not final and pos + 1 == end else INVALID
    after = match.end()
    if final:
        return after
    if after == end:
        return NEED_MORE
    fraction, exponent = match.groups()
    if exponent is None and end - after <= 2:
        rest = buf[after:end]
        if rest in _NUMBER_GOES_ON or (fraction is None and rest == b"."):
            return NEED_MORE
    return after


def _member_key(buf: bytes, pos: int, end: int, final: bool) -> int:
    """A member's key and colon at ``pos``: the offset of its value (whitespace skipped)."""
    if pos >= end:
        return _short(final)
    if buf[pos] != 0x22:
        return INVALID
    match = _key(buf, pos, end)
    if match is not None:
        return match.end()
    string = _string(buf, pos, end)
    if string is None:
        return _bad_string(buf, pos, end, final)
    colon = _ws(buf, string.end(), end).end()
    return _short(final) if colon == end else INVALID


def value_end(buf: bytes, pos: int, end: int, final: bool) -> int:
    """The offset just after the JSON value that starts at ``pos`` (its first byte,
    not whitespace), [`NEED_MORE`][purecloud_internal_message._scan_py.NEED_MORE] or
    [`INVALID`][purecloud_internal_message._scan_py.INVALID]. Iterative: nesting
    costs memory, not stack.
    """
    _check(buf, pos, end)
    objects: list[bool] = []  # the open containers, innermost last: True for an object
    while True:
        # A value starts at pos.
        if pos >= end:
            return _short(final)
        char = buf[pos]
        if char == 0x22:  # "
            match = _string(buf, pos, end)
            if match is None:
                return _bad_string(buf, pos, end, final)
            pos = match.end()
        elif char in _OPENERS and (whole := _whole_container(buf, pos, end)) > 0:
            pos = whole
        elif char == 0x7B:  # {
            pos = _ws(buf, pos + 1, end).end()
            if pos < end and buf[pos] == 0x7D:
                pos += 1
            else:
                objects.append(True)
                pos = _member_key(buf, _object_run(buf, pos, end).end(), end, final)
                if pos < 0:
                    return pos
                continue
        elif char == 0x5B:  # [
            pos = _ws(buf, pos + 1, end).end()
            if pos < end and buf[pos] == 0x5D:
                pos += 1
            else:
                objects.append(False)
                pos = _array_run(buf, pos, end).end()
                continue
        elif char in _NUMBER_START:
            pos = _number_end(buf, pos, end, final)
            if pos < 0:
                return pos
        else:
            literal = _LITERALS.get(char)
            if literal is None:
                return INVALID
            if buf.startswith(literal, pos, end):
                pos += len(literal)
            elif end - pos < len(literal) and literal.startswith(buf[pos:end]):
                return _short(final)
            else:
                return INVALID
        # A value ended at pos: close the containers it ends, then the next one.
        while True:
            if not objects:
                return pos
            pos = _ws(buf, pos, end).end()
            if pos >= end:
                return _short(final)
            char = buf[pos]
            if objects[-1]:
                if char == 0x2C:  # ,
                    pos = _ws(buf, pos + 1, end).end()
                    pos = _member_key(buf, _object_run(buf, pos, end).end(), end, final)
                    if pos < 0:
                        return pos
                    break
                if char != 0x7D:  # }
                    return INVALID
            else:
                if char == 0x2C:
                    pos = _array_run(buf, _ws(buf, pos + 1, end).end(), end).end()
                    break
                if char != 0x5D:  # ]
                    return INVALID
            objects.pop()
            pos += 1


# A bracket, a whole string (a backslash escapes the byte after it), or the quote of
# a string that runs to the end.
_brackets = re.compile(rb'[{}\[\]]|"(?:[^"\\]|\\.)*"|"', re.DOTALL).finditer


def _balanced_end(buf: bytes, pos: int, end: int) -> int:
    """Past the bracket that closes the one at ``pos``, counting brackets outside
    strings (``{`` and ``[`` open, ``}`` and ``]`` close, whichever was opened);
    -1 when ``end`` comes first.
    """
    depth = 0
    for match in _brackets(buf, pos, end):
        char = buf[match.start()]
        if char == 0x22:  # "
            if match.end() - match.start() == 1:
                return -1  # a string that runs to the end
        elif char in _OPENERS:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return match.end()
    return -1


def record_end(buf: bytes, pos: int, end: int, final: bool) -> int:
    """Where a record's value at ``pos`` ends, for a caller that parses its text.

    An object that has its closing bracket before ``end`` ends there, found by its
    brackets alone (strings skipped, nothing else checked). So for JSON text, the
    offset is the value's end, as [`value_end`][purecloud_internal_message._scan_py.value_end]
    finds it; for text that is not JSON it is where the brackets close, and parsing
    it fails. Anything else (not an object, or not closed before ``end``) is
    ``value_end``'s answer.

    The compiled twin counts the brackets first, 64 bytes at a time, which is the
    point: a listing page's records are most of its bytes, and their parser checks
    them anyway. Here ``value_end`` comes first (it is the fast way in Python, and
    it agrees on JSON text), and the brackets are counted only when it says INVALID.
    A value ``value_end`` finds whole or cut short has no closing bracket before
    ``end`` for the brackets to find: either way, the answers are the same.
    """
    after = value_end(buf, pos, end, final)
    if after == INVALID and pos < end and buf[pos] == 0x7B:  # {
        closed = _balanced_end(buf, pos, end)
        if closed >= 0:
            return closed
    return after


def members(  # noqa: PLR0917 - positional, as the compiled twin's
    buf: bytes, pos: int, end: int, final: bool, wanted: int, first: int
) -> tuple[int, int, int]:
    """Step over the members of an object up to one whose key is ``wanted``.

    ``pos`` is just after the ``{`` (``first`` true) or just after a ``,``
    between members (``first`` false); ``wanted`` is a mask of
    [`PARTICIPANTS`][purecloud_internal_message._scan_py.PARTICIPANTS],
    [`ENTITIES`][purecloud_internal_message._scan_py.ENTITIES] and
    [`INTERNAL_MESSAGES`][purecloud_internal_message._scan_py.INTERNAL_MESSAGES].
    Every other member is checked and skipped. Returns ``(status, a, b)``:

    - ``(END, after, 0)``: the object ends; ``after`` is just past its ``}``;
    - ``(name, key, value)``: a wanted key (its bit) starts at ``key``, and its
      value at ``value`` (whitespace skipped, not read);
    - ``(ESCAPED_KEY, key, value)``: the same for a key written with escapes,
      which the caller decodes;
    - ``(NEED_MORE, resume, first)`` or ``(INVALID, resume, first)``: the
      members from ``resume`` on could not be read (``first``: whether
      ``resume`` is still just after the ``{``); every member before ``resume``
      has been checked.
    """
    _check(buf, pos, end)
    resume = pos
    while True:
        start = _ws(buf, pos, end).end()
        run = _unwanted_run(buf, start, end).end()
        if run > start:
            pos = resume = start = run
            first = 0
        if start >= end:
            break
        char = buf[start]
        if char == 0x7D and first:  # }
            return (END, start + 1, 0)
        if char != 0x22:
            return (INVALID, resume, first)
        string = _string(buf, start, end)
        if string is None:
            return (_bad_string(buf, start, end, final), resume, first)
        key_end = string.end()
        colon = _ws(buf, key_end, end).end()
        if colon >= end:
            break
        if buf[colon] != 0x3A:  # :
            return (INVALID, resume, first)
        value = _ws(buf, colon + 1, end).end()
        if value >= end:
            break
        raw = buf[start + 1 : key_end - 1]
        if 0x5C in raw:  # a backslash
            return (ESCAPED_KEY, start, value)
        name = _NAMES.get(raw, 0)
        if name & wanted:
            return (name, start, value)
        after = value_end(buf, value, end, final)
        if after < 0:
            return (after, resume, first)
        after = _ws(buf, after, end).end()
        if after >= end:
            break
        char = buf[after]
        if char == 0x2C:  # ,
            pos = resume = _ws(buf, after + 1, end).end()
            first = 0
            continue
        if char == 0x7D:
            return (END, after + 1, 0)
        return (INVALID, resume, first)
    return (_short(final), resume, first)


# Written anywhere in an object of an array of any form, these may make it a
# conversation or a page (a backslash: a key written with escapes): else it is a record.
_TELLING = (b'"participants"', b'"entities"', b"\\")
# Written anywhere in a participant, these may give it internal messages.
_MESSAGES_TOLD = (b'"internalMessages"', b"\\")
_COMMA = 1
# Not an offset: the element at hand is for the walker to read (see elements()).
_WALKER = -4


def _next(buf: bytes, pos: int, end: int, final: bool, closer: int) -> tuple[int, int]:
    """After a member's value (or an element) at ``pos``: ``(_COMMA, next one)``,
    ``(END, past the closer)``, or ``(INVALID or short, pos)``.
    """
    at = _ws(buf, pos, end).end()
    if at >= end:
        return _short(final), pos
    if buf[at] == closer:
        return END, at + 1
    if buf[at] != 0x2C:  # ,
        return INVALID, pos
    return _COMMA, _ws(buf, at + 1, end).end()


class _State:
    """Where elements() is: the text, the records found, the line feeds counted so far."""

    __slots__ = ("buf", "counted", "end", "final", "lines", "spans")

    def __init__(self, buf: bytes, pos: int, end: int, final: bool) -> None:
        self.buf = buf
        self.end = end
        self.final = final
        self.spans: list[int] = []
        self.counted = pos  # line feeds are counted up to here...
        self.lines = 0  # ...and there are this many from the pos elements() was given

    def add(self, start: int, end: int, element: int, participant: int, inner: int) -> None:
        """A record from ``start`` to ``end`` (see elements() for the rest)."""
        self.lines += self.buf.count(b"\n", self.counted, start)
        self.counted = start
        self.spans += (start, end, self.lines, element, participant, inner)

    def next(self, pos: int, closer: int) -> tuple[int, int]:
        """After a member's value (or an element) at ``pos``: ``(_COMMA, the next
        one)``, ``(END, past the closer)``, or ``(INVALID or short, pos)``.
        """
        return _next(self.buf, pos, self.end, self.final, closer)

    def member(self, pos: int) -> tuple[int, int]:
        """The member whose key starts at ``pos``: its name (a bit,
        [`ESCAPED_KEY`][purecloud_internal_message._scan_py.ESCAPED_KEY] or 0) and
        its value's start; or ``(INVALID or short, 0)``.
        """
        buf, end, final = self.buf, self.end, self.final
        if pos >= end:
            return _short(final), 0
        if buf[pos] != 0x22:
            return INVALID, 0
        string = _string(buf, pos, end)
        if string is None:
            return _bad_string(buf, pos, end, final), 0
        key_end = string.end()
        colon = _ws(buf, key_end, end).end()
        if colon >= end:
            return _short(final), 0
        if buf[colon] != 0x3A:  # :
            return INVALID, 0
        value = _ws(buf, colon + 1, end).end()
        if value >= end:
            return _short(final), 0
        raw = buf[pos + 1 : key_end - 1]
        return (ESCAPED_KEY if 0x5C in raw else _NAMES.get(raw, 0)), value

    def open(self, pos: int, closer: int) -> tuple[int, int]:
        """The object or array whose opener is at ``pos``: ``(_COMMA, where its
        members or elements start)``, ``(END, past its closer)`` when it is empty,
        or ``(short, 0)``.
        """
        pos = _ws(self.buf, pos + 1, self.end).end()
        if pos >= self.end:
            return _short(self.final), 0
        if self.buf[pos] == closer:
            return END, pos + 1
        return _COMMA, pos

    def value_end(self, pos: int) -> int:
        return value_end(self.buf, pos, self.end, self.final)

    def record_end(self, pos: int) -> int:
        return record_end(self.buf, pos, self.end, self.final)


def _messages(state: _State, pos: int, element: int, participant: int) -> int:
    """The array at ``pos``, a participant's internal messages: each element a
    record. The offset after it, or ``NEED_MORE``/``INVALID``.
    """
    inner = 0
    status, pos = state.open(pos, 0x5D)
    if status != _COMMA:
        return pos if status == END else status
    while True:
        after = state.record_end(pos)
        if after < 0:
            return after
        state.add(pos, after, element, participant, inner)
        inner += 1
        status, pos = state.next(after, 0x5D)
        if status == END:
            return pos
        if status < 0:
            return status


def _participant(state: _State, pos: int, element: int, participant: int) -> int:
    """The participant at ``pos``: the offset after it once its internal messages
    (none, null, or arrays) are found; or ``_WALKER`` (a key written with escapes,
    ``internalMessages`` neither an array nor null), or ``NEED_MORE``/``INVALID``.
    """
    buf = state.buf
    whole = _whole_container(buf, pos, state.end)
    if whole > 0 and not any(word in buf[pos:whole] for word in _MESSAGES_TOLD):
        return whole  # no internal messages
    status, pos = state.open(pos, 0x7D)
    if status != _COMMA:
        return pos if status == END else status
    while True:
        name, value = state.member(pos)
        if name < 0:
            return name
        if name == ESCAPED_KEY:
            return _WALKER
        if name == INTERNAL_MESSAGES and buf[value] == 0x5B:  # [
            pos = _messages(state, value, element, participant)
        else:
            pos = state.value_end(value)
            if name == INTERNAL_MESSAGES and pos >= 0 and (pos - value != 4 or buf[value] != 0x6E):
                return _WALKER  # neither an array nor null: a problem the walker words
        if pos < 0:
            return pos
        status, pos = state.next(pos, 0x7D)
        if status == END:
            return pos
        if status < 0:
            return status


def _participants(state: _State, pos: int, element: int) -> int:
    """The array at ``pos``, a conversation's participants: the offset after it, or
    what ``_participant`` says.
    """
    participant = 0
    status, pos = state.open(pos, 0x5D)
    if status != _COMMA:
        return pos if status == END else status
    while True:
        if state.buf[pos] != 0x7B:
            return _WALKER  # not a participant object: a problem the walker words
        after = _participant(state, pos, element, participant)
        participant += 1
        if after < 0:
            return after
        status, pos = state.next(after, 0x5D)
        if status == END:
            return pos
        if status < 0:
            return status
        if pos >= state.end:
            return _short(state.final)


def _any_object(state: _State, start: int, element: int) -> int:
    """The object at ``start`` in an array of any form: the offset after it with its
    records found (itself, if it has neither deciding key; its internal messages,
    if it is a conversation), or ``_WALKER`` (a page, a key written with escapes,
    participants that are not an array of objects...), or ``NEED_MORE``/``INVALID``.
    """
    buf = state.buf
    whole = _whole_container(buf, start, state.end)
    if whole > 0 and not any(word in buf[start:whole] for word in _TELLING):
        state.add(start, whole, element, -1, -1)  # none of the keys that matter is in it
        return whole
    conversation = False
    status, pos = state.open(start, 0x7D)
    if status < 0:
        return status
    while status != END:
        name, value = state.member(pos)
        if name < 0:
            return name
        if name == ESCAPED_KEY or (name == ENTITIES and not conversation and buf[value] == 0x5B):
            return _WALKER  # perhaps a deciding key; or a page
        if name == PARTICIPANTS:
            if buf[value] != 0x5B:
                return _WALKER  # a problem the walker words
            conversation = True
            pos = _participants(state, value, element)
        else:
            pos = state.value_end(value)
        if pos < 0:
            return pos
        status, pos = state.next(pos, 0x7D)
        if status < 0:
            return status
    if not conversation:
        state.add(start, pos, element, -1, -1)
    return pos


def elements(  # noqa: PLR0917 - positional, as the compiled twin's
    buf: bytes, pos: int, end: int, final: bool, kind: int, first: int
) -> tuple[int, int, int, array[int]]:
    """Read the elements of an array up to one the walker must read itself.

    ``pos`` is just after the ``[`` (``first`` true) or just after a ``,``
    between elements (``first`` false). ``kind`` says what the elements are:

    - [`MESSAGES_ARRAY`][purecloud_internal_message._scan_py.MESSAGES_ARRAY]:
      every element is a record;
    - [`PARTICIPANTS_ARRAY`][purecloud_internal_message._scan_py.PARTICIPANTS_ARRAY]:
      each element is a participant object, whose ``internalMessages`` (absent,
      null, or arrays: every element a record) are read here;
    - [`ANY_ARRAY`][purecloud_internal_message._scan_py.ANY_ARRAY]: an object
      with neither key that decides (``participants``, ``entities`` holding an
      array) is a record, and a conversation (``participants`` first) has its
      participants read as above.

    Any other element is for the walker: a page, a value of another type, a
    key written with escapes (it may spell a deciding key), a structural problem
    (``participants`` not an array of objects, ``internalMessages`` neither an
    array nor null), text that is not JSON inside an object (the walker reads
    its records up to the problem, then words it) or after an element (the
    walker reads the element, then reports what follows), and an object the
    window cuts (the walker reads it a window at a time: a conversation may be
    long, and memory holds one window and one record).

    A record's text is found by [`record_end`][purecloud_internal_message._scan_py.record_end]
    (an object closed in the window, by its brackets alone): the caller parses
    every span, and a span that does not parse is the document's first text that
    is not JSON (the envelope before it has been checked, and the records before
    it have parsed).

    Returns ``(status, a, count, spans)``. ``count`` is the number of elements
    read from ``pos`` on; ``spans`` holds six numbers a record: its start, its
    end, the line feeds from ``pos`` to its start (counted here, at C speed in the
    compiled twin), the index of its element from ``pos`` on, the index of its
    participant in a conversation's ``participants`` (-1 for an element that is a
    record or a participant), and its index in the participant's
    ``internalMessages`` (-1 for an element that is a record), in an
    ``array("q")`` (no int object a number). Then:

    - ``(END, after, count, spans)``: the array ends; ``after`` is just past its ``]``;
    - ``(STOP, at, count, spans)``: the element at ``at`` is for the walker;
    - ``(NEED_MORE, resume, count, spans)`` or ``(INVALID, resume, count, spans)``:
      the element from ``resume`` on could not be read (``resume`` is ``pos``
      when ``count`` is 0, else just after the last ``,`` and its whitespace).
    """
    _check(buf, pos, end)
    resume = pos
    count = 0
    state = _State(buf, pos, end, final)
    spans = state.spans
    while True:
        status = 0
        start = _ws(buf, pos, end).end()
        if start >= end:
            status = _short(final)
            break
        if buf[start] == 0x5D and first and not count:  # ]
            return (END, start + 1, 0, array("q"))
        # What an element adds is taken back if it turns out to be the walker's.
        kept, counted, lines = len(spans), state.counted, state.lines
        if kind == MESSAGES_ARRAY:
            after = record_end(buf, start, end, final)
            if after >= 0:
                state.add(start, after, count, -1, -1)
        else:
            if buf[start] != 0x7B:  # {
                after = _WALKER
            elif kind == ANY_ARRAY:
                after = _any_object(state, start, count)
            else:
                after = _participant(state, start, count, -1)
            if after in (INVALID, NEED_MORE):
                after = _WALKER  # the walker reads it (see above)
        if after >= 0:
            status, pos = state.next(after, 0x5D)
            if status == INVALID:
                after = _WALKER  # the walker reads it, then reports what follows
        if after < 0 or status < 0:
            del spans[kept:]
            state.counted, state.lines = counted, lines
        if after == _WALKER:
            return (STOP, start, count, array("q", spans))
        if after < 0:
            status = after
            break
        if status < 0:
            break
        count += 1
        if status == END:
            return (END, pos, count, array("q", spans))
        resume = pos
    return (status, resume, count, array("q", spans))


class Records:
    """The records of the spans ``elements`` found, each parsed from its text when it
    is asked for (memory holds the window and one record).

    Each is the tuple ``(line, payload, loc, text)`` (`_shape.Plain`): ``text``
    is ``buf[start:end]``, ``payload`` is ``parse(text)``, ``line`` is ``line``
    plus the line feeds before it, and ``loc`` is ``where`` followed by its
    element's index (``index`` plus its index from the span), then
    ``"participants"`` and its participant's index, then ``"internalMessages"``
    and its own index, where those are not -1. A text that ``parse`` refuses
    (a ``JSONTextError``: see ``record_end``) ends the records with that error,
    and its start is left in ``at``.
    """

    __slots__ = ("at", "buf", "index", "line", "parse", "records", "spans", "where")

    def __init__(  # noqa: PLR0917 - positional, as the compiled twin's
        self,
        buf: bytes,
        spans: array[int],
        where: tuple[str | int, ...],
        index: int,
        line: int,
        parse: Callable[[bytes], Any],
    ) -> None:
        self.buf = buf
        self.spans = spans
        self.where = where
        self.index = index
        self.line = line
        self.parse = parse
        #: The start of the text that did not parse (-1 while none has failed).
        self.at = -1
        # One pass, as the compiled twin's (an iterator): iterated again, it goes on.
        self.records = self._records()

    def __iter__(self) -> Iterator[tuple[int, Any, tuple[str | int, ...], bytes]]:
        return self.records

    def _records(self) -> Iterator[tuple[int, Any, tuple[str | int, ...], bytes]]:
        buf, where, index, line, parse = self.buf, self.where, self.index, self.line, self.parse
        numbers = iter(self.spans)  # six numbers a record, taken six at a time
        for start, end, lines, element, participant, inner in zip(
            numbers, numbers, numbers, numbers, numbers, numbers, strict=True
        ):
            text = buf[start:end]
            try:
                data = parse(text)
            except JSONTextError:
                self.at = start
                raise
            if inner < 0:
                loc = (*where, index + element)
            elif participant < 0:
                loc = (*where, index + element, "internalMessages", inner)
            else:
                loc = (
                    *where,
                    index + element,
                    "participants",
                    participant,
                    "internalMessages",
                    inner,
                )
            yield (line + lines, data, loc, text)


# -- UTF-8 --------------------------------------------------------------------------------


def utf8_prefix(buf: bytes, start: int, final: bool) -> tuple[int, bool, int]:
    """How much of ``buf[start:]`` is whole characters of strict UTF-8, and why the
    rest is not.

    Returns ``(end, invalid, count)``: ``buf[start:end]`` decodes, to ``count``
    characters, and ``invalid`` says that the bytes from ``end`` on are not
    UTF-8 (else they are a character cut short, or nothing). Without ``final``
    more bytes may come, so a character cut short by the end is not invalid;
    CPython's strict decoder decides what is, and the compiled twin gives the
    same answers without building the text.
    """
    _check(buf, start, len(buf))
    piece = memoryview(buf)[start:]  # (not a copy of the window)
    try:
        text, length = codecs.utf_8_decode(piece, "strict", final)
    except UnicodeDecodeError as exc:
        return start + exc.start, True, len(str(piece[: exc.start], "utf-8"))
    return start + length, False, len(text)


#: What reading a document from a text stream says.
TEXT_STREAM = "expected a binary stream (opened with 'rb'), got a text stream"


def read_into(head: bytes | memoryview, stream: BinaryIO, size: int) -> tuple[bytes, int]:
    """``head`` and then what one ``read(size)`` of ``stream`` gives, as one new
    ``bytes``, and how many bytes were read (0: the stream has ended).

    The document walker's next window: what it keeps of the last one, then more.
    The compiled twin reads the standard library's binary streams (buffered and
    raw files, ``BytesIO``) straight into the new window, with ``readinto``: one
    copy of every byte less. A text stream is refused (``TypeError``).
    """
    data = stream.read(size)
    if isinstance(data, str):
        raise TypeError(TEXT_STREAM)
    if not data:  # (None: a non-blocking stream with nothing yet, read as the end)
        return bytes(head), 0
    return b"".join((head, data)), len(data)


def chars(buf: bytes, pos: int, end: int) -> int:
    """How many characters ``buf[pos:end]`` holds, which is whole characters of
    UTF-8 (lone surrogates allowed: a ``str``'s text encoded with ``"surrogatepass"``).
    """
    _check(buf, pos, end)
    piece = buf[pos:end]
    return len(piece) if piece.isascii() else len(piece.decode("utf-8", "surrogatepass"))
