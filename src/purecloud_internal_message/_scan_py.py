r"""Where a JSON value ends, found without building it: the pure-Python scanner.

The document walker (`_stream`) needs to know where each record's text ends,
so that it can parse that text once, and to step over the envelope's values
(the members of a conversation or a page that are not records) without
building them. This module does both on UTF-8 bytes, checking the JSON grammar
as it goes, and nothing else: it never builds a value, never decodes text and
never words an error (the reference parser does, when the walker asks it).

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
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

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
    "elements",
    "members",
    "skip_ws",
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
_array_run: Callable[[bytes, int, int], re.Match[bytes]] = re.compile(  # type: ignore[assignment]
    rb"(?:" + _SCALAR + _WS + rb"," + _WS + rb")*"
).match
_object_run: Callable[[bytes, int, int], re.Match[bytes]] = re.compile(  # type: ignore[assignment]
    rb"(?:" + _STRING + _WS + rb":" + _WS + _SCALAR + _WS + rb"," + _WS + rb")*"
).match
_unwanted_run: Callable[[bytes, int, int], re.Match[bytes]] = re.compile(  # type: ignore[assignment]
    rb'(?:(?!"(?:participants|entities|internalMessages)")"[^"\\\x00-\x1f]*"'
    + _WS
    + rb":"
    + _WS
    + _SCALAR
    + _WS
    + rb","
    + _WS
    + rb")*"
).match
_LITERALS = {ord("t"): b"true", ord("f"): b"false", ord("n"): b"null"}


def _containers(value: bytes) -> bytes:
    """A pattern for any JSON value of one more level of nesting than ``value``'s."""
    member = _STRING + _WS + rb":" + _WS + value + _WS
    element = value + _WS
    return (
        rb"(?:" + value + rb"|\{" + _WS + rb"(?:" + member + rb"(?:," + _WS + member + rb")*)?\}"
        rb"|\[" + _WS + rb"(?:" + element + rb"(?:," + _WS + element + rb")*)?\])"
    )


# The pure path's shortcut for a whole container: one match of a pattern for values
# nested up to 3 levels (a typical record: the record, its lists, their objects),
# compiled on first use (about 70 ms). What it does not match (deeper nesting, a value
# the window cuts, text that is not JSON) the general loop reads.
_whole: Callable[[bytes, int, int], re.Match[bytes] | None] | None = None


def _whole_container(buf: bytes, pos: int, end: int) -> int:
    """The end of the container at ``pos`` if it is whole, valid and shallow, else -1."""
    global _whole  # noqa: PLW0603 - compiled once, on first use
    if _whole is None:
        _whole = re.compile(_containers(_containers(_containers(_SCALAR)))).match
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


# Which keys make an object one the walker must look into, by the array it is in.
_TELLING = {
    ANY_ARRAY: (b'"participants"', b'"entities"', b"\\"),
    PARTICIPANTS_ARRAY: (b'"internalMessages"', b"\\"),
}


def _plain_object(buf: bytes, pos: int, end: int, final: bool, kind: int) -> int:
    """Whether the object at ``pos`` is one the walker need not look into (see
    [`elements`][purecloud_internal_message._scan_py.elements]): the offset after it
    if so, [`STOP`][purecloud_internal_message._scan_py.STOP] if not, or
    ``NEED_MORE``/``INVALID``.
    """
    whole = _whole_container(buf, pos, end)
    if whole > 0 and not any(word in buf[pos:whole] for word in _TELLING[kind]):
        return whole  # none of the keys that matter is written anywhere in it
    pos = _ws(buf, pos + 1, end).end()
    if pos >= end:
        return _short(final)
    if buf[pos] == 0x7D:  # }
        return pos + 1
    while True:
        if buf[pos] != 0x22:
            return INVALID
        string = _string(buf, pos, end)
        if string is None:
            return _bad_string(buf, pos, end, final)
        key_end = string.end()
        colon = _ws(buf, key_end, end).end()
        if colon >= end:
            return _short(final)
        if buf[colon] != 0x3A:
            return INVALID
        value = _ws(buf, colon + 1, end).end()
        if value >= end:
            return _short(final)
        raw = buf[pos + 1 : key_end - 1]
        if 0x5C in raw:
            return STOP
        name = _NAMES.get(raw, 0)
        if kind == ANY_ARRAY and (
            name == PARTICIPANTS or (name == ENTITIES and buf[value] == 0x5B)
        ):
            return STOP
        messages = kind == PARTICIPANTS_ARRAY and name == INTERNAL_MESSAGES
        if messages and buf[value] != 0x6E:  # a participant's internalMessages, not null
            return STOP
        after = value_end(buf, value, end, final)
        if after < 0:
            return after
        if messages and after - value != 4:  # not null after all
            return STOP
        pos = _ws(buf, after, end).end()
        if pos >= end:
            return _short(final)
        if buf[pos] == 0x7D:
            return pos + 1
        if buf[pos] != 0x2C:
            return INVALID
        pos = _ws(buf, pos + 1, end).end()
        if pos >= end:
            return _short(final)


def elements(  # noqa: PLR0917 - positional, as the compiled twin's
    buf: bytes, pos: int, end: int, final: bool, kind: int, first: int
) -> tuple[int, int, int, list[int]]:
    """Read the elements of an array up to one the walker must read itself.

    ``pos`` is just after the ``[`` (``first`` true) or just after a ``,``
    between elements (``first`` false). ``kind`` says what the elements are:

    - [`MESSAGES_ARRAY`][purecloud_internal_message._scan_py.MESSAGES_ARRAY]:
      every element is a record;
    - [`ANY_ARRAY`][purecloud_internal_message._scan_py.ANY_ARRAY]: an object
      with none of the keys that make a conversation or a page (``participants``,
      ``entities`` holding an array, or a key written with escapes) is a record;
      any other element is for the walker;
    - [`PARTICIPANTS_ARRAY`][purecloud_internal_message._scan_py.PARTICIPANTS_ARRAY]:
      an object whose ``internalMessages`` is absent or null is skipped; any
      other element is for the walker.

    Each element read is checked, and followed by its ``,`` or the ``]``.
    Returns ``(status, a, count, spans)``: ``spans`` holds each record's start, end
    and the line feeds from ``pos`` to its start (``[start, end, lines, start, ...]``:
    counted here, in a pass the compiled twin makes at C speed) and ``count`` the
    elements read (records or skipped), from ``pos``:

    - ``(END, after, count, spans)``: the array ends; ``after`` is just past its ``]``;
    - ``(STOP, at, count, spans)``: the element at ``at`` is for the walker
      (its own problems included: it reads the element and reports what follows);
    - ``(NEED_MORE, resume, count, spans)`` or ``(INVALID, resume, count, spans)``:
      the element from ``resume`` on could not be read (``resume`` is ``pos``
      when ``count`` is 0, else just after the last ``,`` and its whitespace).
    """
    _check(buf, pos, end)
    resume = counted = pos
    count = lines = 0
    spans: list[int] = []
    while True:
        start = _ws(buf, pos, end).end()
        if start >= end:
            break
        char = buf[start]
        if char == 0x5D and first and not count:  # ]
            return (END, start + 1, 0, spans)
        if kind == MESSAGES_ARRAY:
            after = value_end(buf, start, end, final)
        elif char == 0x7B:
            after = _plain_object(buf, start, end, final, kind)
        else:
            after = STOP
        if after == STOP:
            return (STOP, start, count, spans)
        if after < 0:
            return (after, resume, count, spans)
        pos = _ws(buf, after, end).end()
        if pos >= end:
            break
        char = buf[pos]
        if char not in _AFTER_ELEMENT:
            return (STOP, start, count, spans)  # the walker reads it, then reports what follows
        if kind != PARTICIPANTS_ARRAY:
            lines += buf.count(b"\n", counted, start)
            counted = start
            spans += (start, after, lines)
        count += 1
        if char == 0x5D:
            return (END, pos + 1, count, spans)
        pos = resume = _ws(buf, pos + 1, end).end()
    return (_short(final), resume, count, spans)
