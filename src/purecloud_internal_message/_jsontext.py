r"""JSON text in and out: the same values, errors and bytes on every backend and Python.

Two implementations of the same contract, chosen once at import:

- ``"msgspec"``: msgspec's compiled parser and writer (the ``fast`` extra), used
  when msgspec is installed and compiled speedups are allowed
  (see `purecloud_internal_message._extensions`);
- ``"json"``: the standard library's, otherwise.

Whatever the backend, a text that the compiled parser does not take as it is
(a syntax error, nesting deeper than the stack allows, a lone surrogate escape
msgspec refuses, a number out of range, anything) is parsed again by this
module's own parser, which never recurses and alone decides error messages.
So the value and the [`JSONTextError`][purecloud_internal_message._jsontext.JSONTextError]
are the same on every backend, every Python 3.10-3.13, at any stack depth,
whatever ``sys.set_int_max_str_digits`` the application chose.

What [`parse`][purecloud_internal_message._jsontext.parse] reads:

- a ``str``, or ``bytes``/``bytearray`` in UTF-8 (one leading UTF-8 byte order
  mark is skipped). JSON exchanged between systems must be UTF-8 (RFC 8259,
  section 8.1), msgspec reads nothing else, and one rule is kept for both
  backends: UTF-16 and UTF-32 bytes, and bytes that encode surrogates, are
  refused (``json.loads`` would guess and accept them). A ``str`` that starts
  with U+FEFF is refused, as ``json.loads`` does;
- what ``json.loads`` returns for valid JSON, except that ``NaN`` and
  ``Infinity`` are errors, and numbers with no faithful value become
  [`OutOfRange`][purecloud_internal_message._jsontext.OutOfRange] placeholders.

What [`dumps`][purecloud_internal_message._jsontext.dumps] writes: compact JSON
(``,`` and ``:``), non-ASCII characters as themselves, only the escapes JSON
needs (``\"``, ``\\``, ``\b \f \n \r \t``, ``\u00XX`` for other control
characters and ``\udXXX`` for a lone surrogate, which UTF-8 cannot carry),
ints exactly and floats as Python's ``repr``.

Positions in errors: ``line`` counts ``\n`` only; ``column`` and ``offset``
count characters (code points) of the text; for bytes, of the decoded text
after any byte order mark.
"""

from __future__ import annotations

import re
from math import isfinite, isnan
from typing import cast

from ._extensions import extensions_allowed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = [
    "MAX_INT_DIGITS",
    "Backend",
    "JSONTextError",
    "OutOfRange",
    "backend",
    "dumps",
    "dumps_prepared",
    "parse",
    "parse_reference",
    "wire_float",
]

#: The most digits an integer literal may have and still be read as an int.
#: CPython never lets an application set its int/str digit limit below 640,
#: so every int up to 640 digits can always be converted both ways.
MAX_INT_DIGITS = 640
_INT_BOUND = 10**MAX_INT_DIGITS  # |n| < this  <=>  n has at most 640 digits

# OutOfRange keeps a literal whole up to this many characters, else its head and tail.
_LITERAL_KEEP = 40
_LITERAL_HEAD = 20
_LITERAL_TAIL = 10

_UTF8_BOM = b"\xef\xbb\xbf"


class OutOfRange:
    """A number literal with no faithful Python value, kept in place of the number.

    An integer of more than 640 digits (Python converts those only when the
    application allows it) or a float literal beyond the float range (which
    would become infinity, and JSON has no infinity). The model decoder turns
    it into a validation error naming the literal.

    Attributes:
        text: The literal as written, shortened to its first 20 and last 10
            characters around ``...`` when it is longer than 40.
    """

    __slots__ = ("text",)

    def __init__(self, literal: str) -> None:
        if len(literal) > _LITERAL_KEEP:
            literal = f"{literal[:_LITERAL_HEAD]}...{literal[-_LITERAL_TAIL:]}"
        self.text = literal

    @classmethod
    def from_int(cls, value: int) -> OutOfRange:
        """The placeholder parsing ``value``'s decimal literal gives, for an int of
        more than 640 digits, computed without ``str(value)`` (which obeys the
        application's digit limit).
        """
        magnitude = -value if value < 0 else value
        # The digit count from the bit length, then corrected by one comparison.
        digits = int((magnitude.bit_length() - 1) * 0.30102999566398120) + 1
        if magnitude >= 10**digits:
            digits += 1
        elif magnitude < 10 ** (digits - 1):  # pragma: no cover - float rounding in the estimate
            digits -= 1
        sign = "-" if value < 0 else ""
        if len(sign) + digits <= _LITERAL_KEEP:
            return cls(sign + str(magnitude))
        head = str(magnitude // 10 ** (digits - _LITERAL_HEAD))
        tail = str(magnitude % 10**_LITERAL_TAIL).zfill(_LITERAL_TAIL)
        return cls(f"{(sign + head)[:_LITERAL_HEAD]}...{tail}")

    def __repr__(self) -> str:
        return f"OutOfRange({self.text!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OutOfRange):
            return NotImplemented
        return self.text == other.text

    def __hash__(self) -> int:
        return hash((OutOfRange, self.text))

    def __reduce__(self) -> tuple[Any, ...]:
        return (OutOfRange, (self.text,))


class JSONTextError(ValueError):
    r"""Text that is not JSON: what is wrong and where, in this package's words.

    ``str(error)`` is ``"{message} (line {line}, column {column})"``. The
    message and position are the same on every backend and Python version.

    Attributes:
        message: What is wrong, e.g. ``expected ',' or '}' after an object
            member, found '"'``.
        line: 1-based line (lines end at ``\n``).
        column: 1-based column, in characters.
        offset: 0-based offset into the text, in characters.
    """

    def __init__(self, message: str, line: int, column: int, offset: int) -> None:
        super().__init__(message, line, column, offset)
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset

    def __str__(self) -> str:
        return f"{self.message} (line {self.line}, column {self.column})"


def _error(message: str, text: str, offset: int) -> JSONTextError:
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    return JSONTextError(message, line, column, offset)


# -- the reference parser ----------------------------------------------------------
#
# An explicit stack instead of recursion, so depth costs memory, never stack.
# Every token is matched by a compiled regex from its start offset, so the
# work is linear in the text's length.

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# Patterns that match everywhere (possibly nothing), typed as such for the checker.
_skip: Callable[[str, int], re.Match[str]] = _WHITESPACE.match  # type: ignore[assignment]
_PLAIN_STRING = re.compile(r'"([^"\\\x00-\x1f]*)"')
_plain_run: Callable[[str, int], re.Match[str]] = re.compile(  # type: ignore[assignment]
    r'[^"\\\x00-\x1f]*'
).match
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_HEX = frozenset("0123456789abcdefABCDEF")
_WORD = re.compile(r"[A-Za-z]+")
_DIGITS = frozenset("0123456789")
_SIMPLE_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}
_INFINITIES = (float("inf"), float("-inf"))


def _shown(char: str) -> str:
    """A character as messages show it: quoted if printable ASCII, else U+XXXX."""
    return repr(char) if " " <= char <= "~" else f"U+{ord(char):04X}"


def _found(text: str, pos: int) -> str:
    return _shown(text[pos]) if pos < len(text) else "the end of the input"


def parse_reference(text: str | bytes | bytearray) -> Any:
    """Parse JSON text with this module's own parser: the reference for values and errors.

    Returns exactly what ``json.loads`` returns for valid JSON, with
    [`OutOfRange`][purecloud_internal_message._jsontext.OutOfRange] for numbers
    that have no faithful value; raises
    [`JSONTextError`][purecloud_internal_message._jsontext.JSONTextError]
    otherwise. Never recurses; linear in the text's length.
    """
    if isinstance(text, str):
        return _parse_str(text)
    if isinstance(text, (bytes, bytearray)):
        return _parse_str(_utf8_text(text))
    raise TypeError(f"expected JSON text (str, bytes or bytearray), got {type(text).__name__}")


def _utf8_text(data: bytes | bytearray) -> str:
    start = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    body = memoryview(data)[start:]
    try:
        text = str(body, "utf-8")
    except UnicodeDecodeError as exc:
        good = str(body[: exc.start], "utf-8")
        raise _error(f"invalid UTF-8: byte 0x{body[exc.start]:02x}", good, len(good)) from None
    # No JSON text has NUL among its first two characters; UTF-16 and UTF-32 do.
    nul = text.find("\x00", 0, 2)
    if nul >= 0:
        raise _error("UTF-16 or UTF-32 bytes: JSON bytes must be UTF-8", text, nul)
    return text


def _parse_str(text: str) -> Any:
    end = len(text)
    skip = _skip
    pos = skip(text, 0).end()
    if pos == end:
        raise _error("empty input" if end == 0 else "empty input (only whitespace)", text, pos)
    if text[pos] == "\ufeff":
        raise _error("unexpected byte order mark U+FEFF", text, pos)
    # Open containers, innermost last: [list, None] or [dict, key being read].
    stack: list[list[Any]] = []
    value: Any
    while True:
        # A value starts at pos (whitespace already skipped).
        char = text[pos] if pos < end else ""
        if char == '"':
            value, pos = _string(text, pos)
        elif char == "{":
            pos = skip(text, pos + 1).end()
            if text.startswith("}", pos):
                value, pos = {}, pos + 1
            else:
                key, pos = _key(text, pos, "expected a string key or '}'")
                stack.append([{}, key])
                continue
        elif char == "[":
            pos = skip(text, pos + 1).end()
            if text.startswith("]", pos):
                value, pos = [], pos + 1
            else:
                stack.append([[], None])
                continue
        elif char in _DIGITS or char == "-":
            value, pos = _number(text, pos)
        elif text.startswith("true", pos):
            value, pos = True, pos + 4
        elif text.startswith("false", pos):
            value, pos = False, pos + 5
        elif text.startswith("null", pos):
            value, pos = None, pos + 4
        else:
            raise _bad_value(text, pos)
        # A complete value: store it, closing every container that ends after it.
        while stack:
            frame = stack[-1]
            pos = skip(text, pos).end()
            char = text[pos] if pos < end else ""
            if frame[1] is None:
                frame[0].append(value)
                if char == ",":
                    pos = skip(text, pos + 1).end()
                    if text.startswith("]", pos):
                        raise _error("trailing comma before ']'", text, pos)
                    break
                if char != "]":
                    raise _error(
                        f"expected ',' or ']' after an array element, found {_found(text, pos)}",
                        text,
                        pos,
                    )
            else:
                frame[0][frame[1]] = value
                if char == ",":
                    pos = skip(text, pos + 1).end()
                    if text.startswith("}", pos):
                        raise _error("trailing comma before '}'", text, pos)
                    frame[1], pos = _key(text, pos, "expected a string key after ','")
                    break
                if char != "}":
                    raise _error(
                        f"expected ',' or '}}' after an object member, found {_found(text, pos)}",
                        text,
                        pos,
                    )
            value = stack.pop()[0]
            pos += 1
        else:
            pos = skip(text, pos).end()
            if pos != end:
                raise _error("extra data after the JSON value", text, pos)
            return value


def _key(text: str, pos: int, expected: str) -> tuple[str, int]:
    """An object key and its colon; returns the key and the offset of the value."""
    if not text.startswith('"', pos):
        raise _error(f"{expected}, found {_found(text, pos)}", text, pos)
    key, pos = _string(text, pos)
    pos = _skip(text, pos).end()
    if not text.startswith(":", pos):
        raise _error(f"expected ':' after an object key, found {_found(text, pos)}", text, pos)
    return key, _skip(text, pos + 1).end()


def _bad_value(text: str, pos: int) -> JSONTextError:
    if text.startswith("NaN", pos):
        return _error("NaN is not a JSON value", text, pos)
    if text.startswith("Infinity", pos):
        return _error("Infinity is not a JSON value", text, pos)
    word = _WORD.match(text, pos)
    if word is not None:  # a misspelt literal: show the word, not just its first letter
        shown = word.group()
        if len(shown) > _LITERAL_HEAD:
            shown = shown[:_LITERAL_HEAD] + "..."
        return _error(f"expected a value, found {shown!r}", text, pos)
    return _error(f"expected a value, found {_found(text, pos)}", text, pos)


def _number(text: str, pos: int) -> tuple[Any, int]:
    match = _NUMBER.match(text, pos)
    if match is None:  # a '-' with no digit after it
        if text.startswith("-Infinity", pos):
            raise _error("-Infinity is not a JSON value", text, pos)
        raise _error("invalid number: expected a digit after '-'", text, pos)
    fraction, exponent = match.groups()
    literal = match.group()
    after = match.end()
    following = text[after : after + 1]
    # What may follow a number never starts with these, so they are number errors.
    if fraction is None and exponent is None:
        if following and following in _DIGITS:
            raise _error("invalid number: leading zero", text, pos)
        if following == ".":
            raise _error("invalid number: expected a digit after '.'", text, pos)
    if exponent is None and following in ("e", "E"):
        raise _error("invalid number: expected a digit in the exponent", text, pos)
    if fraction is None and exponent is None:
        if len(literal) > MAX_INT_DIGITS and len(literal) - (literal[0] == "-") > MAX_INT_DIGITS:
            return OutOfRange(literal), after
        return int(literal), after
    number = float(literal)
    if number in _INFINITIES:
        return OutOfRange(literal), after
    return number, after


def _string(text: str, pos: int) -> tuple[str, int]:
    """The string whose opening quote is at ``pos``, and the offset after its closing quote."""
    plain = _PLAIN_STRING.match(text, pos)
    if plain is not None:
        return plain.group(1), plain.end()
    start = pos
    end = len(text)
    chunks: list[str] = []
    pos += 1
    while True:
        run = _plain_run(text, pos)
        if run.end() > pos:
            chunks.append(run.group())
            pos = run.end()
        if pos >= end:
            raise _error("unterminated string", text, start)
        char = text[pos]
        if char == '"':
            return "".join(chunks), pos + 1
        if char != "\\":
            raise _error(f"control character {_shown(char)} in a string", text, pos)
        escape = text[pos + 1 : pos + 2]
        if escape in _SIMPLE_ESCAPES:
            chunks.append(_SIMPLE_ESCAPES[escape])
            pos += 2
        elif escape == "u":
            code = _hex4(text, pos, start)
            pos += 6
            if 0xD800 <= code <= 0xDBFF and text.startswith("\\u", pos):
                # A high surrogate escape followed by a low one is one character,
                # as in json.loads; anything else leaves it a lone surrogate.
                low = _hex4(text, pos, start)
                if 0xDC00 <= low <= 0xDFFF:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    pos += 6
            chunks.append(chr(code))
        elif not escape:
            raise _error("unterminated string", text, start)
        elif " " <= escape <= "~":
            raise _error(f"invalid escape '\\{escape}'", text, pos)
        else:
            raise _error(f"invalid escape: '\\' followed by {_shown(escape)}", text, pos)


def _hex4(text: str, pos: int, start: int) -> int:
    r"""The code of the ``\uXXXX`` escape at ``pos``."""
    digits = text[pos + 2 : pos + 6]
    if _HEX4.fullmatch(digits):
        return int(digits, 16)
    if len(digits) < 4 and all(char in _HEX for char in digits):  # cut off by the end of the text
        raise _error("unterminated string", text, start)
    raise _error("invalid escape '\\u': expected 4 hex digits", text, pos)


# -- the reference writer ----------------------------------------------------------
#
# Used when a compiled writer fails (nesting deeper than the stack allows, a
# lone surrogate msgspec cannot encode) and to name what is wrong with a value
# that cannot be written. Iterative, like the parser.

_ESCAPED = re.compile(r'[\x00-\x1f"\\\ud800-\udfff]')
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def _quote(text: str) -> str:
    return '"' + _ESCAPED.sub(_escape, text) + '"'


def _escape_surrogates(written: str) -> str:
    r"""Escape the lone surrogates that a writer left in its output.

    Outside strings, JSON text is ASCII; so any surrogate in the output is
    inside a string, where its ``\udXXX`` escape means the same character.
    """
    return _LONE_SURROGATE.sub(_escape, written)


_HOLDER: Any = ("the list _prepare holds the value in",)


def _path(where: Any) -> str:
    """Where a value is, for messages: ``(((None, 'a'), 0), 'b')`` -> ``" (at a[0].b)"``,
    and ``""`` for the value itself.
    """
    steps: list[Any] = []
    while where is not None:
        where, step = where
        if where is _HOLDER:  # the step into _prepare's holder list is not the value's
            break
        steps.append(step)
    path = ""
    for step in reversed(steps):
        path += f"[{step}]" if isinstance(step, int) else (f".{step}" if path else step)
    return f" (at {path})" if steps else ""


def _check_scalar(value: Any, where: Any) -> None:
    """Raise if ``value`` (an int or float) cannot be written faithfully."""
    if type(value) is float:
        if not isfinite(value):
            name = "NaN" if isnan(value) else ("Infinity" if value > 0 else "-Infinity")
            raise ValueError(f"{name} is not a JSON value{_path(where)}")
    elif not -_INT_BOUND < value < _INT_BOUND:
        raise ValueError(
            f"an integer of more than {MAX_INT_DIGITS} digits cannot be written{_path(where)}"
        )


def _not_json(value: Any, where: Any) -> TypeError:
    return TypeError(
        "expected a JSON value (dict, list, str, int, float, bool or None), "
        f"got {type(value).__name__}{_path(where)}"
    )


def _check_key(key: Any, where: Any) -> None:
    if type(key) is not str:
        raise TypeError(f"object keys must be str, got {type(key).__name__}{_path(where)}")


_TEXT, _VALUE, _LEAVE = 0, 1, 2


def write_reference(obj: Any, raw_type: type | None = None) -> str:
    """Write ``obj`` as compact JSON with this module's own writer.

    Byte-identical to both backends' writers; accepts plain JSON values only
    (exact types; ``raw_type`` instances too, written as their bytes) and
    raises TypeError or ValueError naming the first value it cannot write.
    """
    out: list[str] = []
    active: set[int] = set()  # the containers being written, to catch a cycle
    todo: list[tuple[int, Any, Any]] = [(_VALUE, obj, None)]
    while todo:
        kind, item, where = todo.pop()
        if kind == _TEXT:
            out.append(item)
            continue
        if kind == _LEAVE:
            active.discard(item)
            continue
        if item is None:
            out.append("null")
        elif item is True:
            out.append("true")
        elif item is False:
            out.append("false")
        elif type(item) is str:
            out.append(_quote(item))
        elif type(item) is int or type(item) is float:
            _check_scalar(item, where)
            out.append(repr(item))
        elif raw_type is not None and type(item) is raw_type:
            out.append(_raw_text(item))
        elif type(item) is list or type(item) is dict:
            if not item:
                out.append("[]" if type(item) is list else "{}")
                continue
            if id(item) in active:
                raise ValueError(f"circular reference{_path(where)}")
            active.add(id(item))
            todo.append((_LEAVE, id(item), None))
            if type(item) is list:
                out.append("[")
                todo.append((_TEXT, "]", None))
                for index in range(len(item) - 1, -1, -1):
                    todo.append((_VALUE, item[index], (where, index)))
                    if index:
                        todo.append((_TEXT, ",", None))
            else:
                out.append("{")
                todo.append((_TEXT, "}", None))
                members = list(cast("dict[Any, Any]", item).items())
                for key, _ in members:
                    _check_key(key, where)
                for index in range(len(members) - 1, -1, -1):
                    key, member = members[index]
                    todo.append((_VALUE, member, (where, key)))
                    todo.append((_TEXT, ("," if index else "") + _quote(key) + ":", None))
        else:
            raise _not_json(item, where)
    return "".join(out)


def _raw_text(raw: Any) -> str:
    return bytes(raw).decode("utf-8")


def _prepare(obj: Any, wire: Callable[[float], Any] | None) -> Any:
    """Check that ``obj`` is plain JSON data
    [`dumps`][purecloud_internal_message._jsontext.dumps] can write, raising what
    the reference writer would; with ``wire``, return a copy with every float
    passed through it. Iterative.
    """
    root = [obj]
    active: set[int] = set()  # the containers on the way down, to catch a cycle
    # A container to check, with its path and the id of the original (the
    # container itself is a copy when copying), or the id of one to leave.
    todo: list[Any] = [(root, _HOLDER, 0)]
    while todo:
        entry = todo.pop()
        if type(entry) is int:
            active.discard(entry)
            continue
        container, where, original = entry
        active.add(original)
        todo.append(original)  # left once everything under it is checked
        if type(container) is dict:
            for key in container:
                _check_key(key, where)
            children: Any = container.items()
        else:
            children = enumerate(container)
        for slot, child in children:
            kind = type(child)
            if kind is str or kind is bool or child is None:
                continue
            if kind is float or kind is int:
                _check_scalar(child, (where, slot))
                if wire is not None and kind is float:
                    container[slot] = wire(child)
            elif kind is list or kind is dict:
                if id(child) in active:
                    raise ValueError(f"circular reference{_path((where, slot))}")
                copy = child
                if wire is not None:
                    copy = container[slot] = child.copy()
                todo.append((copy, (where, slot), id(child)))
            else:
                raise _not_json(child, (where, slot))
    return root[0]


# -- the backends --------------------------------------------------------------------


class Backend:
    """One implementation of the JSON text functions (tests compare them in one process).

    Attributes:
        name: ``"msgspec"`` or ``"json"``.
    """

    name = ""
    _raw_type: type | None = None
    # What dumps passes floats through: nothing when they can be written as they are.
    _wire: Callable[[float], Any] | None = None

    def parse(self, text: str | bytes | bytearray) -> Any:
        """See [`parse`][purecloud_internal_message._jsontext.parse]."""
        try:
            return self._decode(text)
        except Exception:  # whatever it was, the reference parser has the answer
            return parse_reference(text)

    def dumps_prepared(self, obj: Any) -> str:
        """See [`dumps_prepared`][purecloud_internal_message._jsontext.dumps_prepared]."""
        try:
            return self._encode(obj)
        except Exception:  # too deep, a lone surrogate, or not writable: the reference decides
            return write_reference(obj, self._raw_type)

    def dumps(self, obj: Any) -> str:
        """See [`dumps`][purecloud_internal_message._jsontext.dumps]."""
        return self.dumps_prepared(_prepare(obj, self._wire))

    def wire_float(self, value: float) -> Any:
        """See [`wire_float`][purecloud_internal_message._jsontext.wire_float]."""
        raise NotImplementedError

    def _decode(self, text: str | bytes | bytearray) -> Any:
        raise NotImplementedError

    def _encode(self, obj: Any) -> str:
        raise NotImplementedError


class _StdlibBackend(Backend):
    name = "json"

    def __init__(self) -> None:
        import json  # deferred: only this backend needs it (~6 ms at import)

        # Built once: json.loads and json.dumps build a new one per call when
        # given options.
        decoder = json.JSONDecoder(
            parse_constant=_refuse_constant, parse_int=_stdlib_int, parse_float=_stdlib_float
        )
        self._decode_str = decoder.decode
        encoder = json.JSONEncoder(
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
            # A cycle ends in RecursionError instead; the reference writer names it.
            check_circular=False,
        )
        self._encode_any = encoder.encode

    def wire_float(self, value: float) -> Any:
        """See [`wire_float`][purecloud_internal_message._jsontext.wire_float]."""
        _check_scalar(value, None)
        return value

    def _decode(self, text: str | bytes | bytearray) -> Any:
        if not isinstance(text, str):
            if text.startswith(_UTF8_BOM):
                text = text[len(_UTF8_BOM) :]
            text = text.decode("utf-8")
        return self._decode_str(text)

    def _encode(self, obj: Any) -> str:
        written: str = self._encode_any(obj)
        if not written.isascii():
            try:
                written.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate, written raw
                written = _escape_surrogates(written)
        return written


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)  # never shown: the reference parser words it


def _stdlib_int(literal: str) -> Any:
    # int() obeys the application's digit limit, which is never below 640.
    if len(literal) > MAX_INT_DIGITS and len(literal) - (literal[0] == "-") > MAX_INT_DIGITS:
        return OutOfRange(literal)
    return int(literal)


def _stdlib_float(literal: str) -> Any:
    number = float(literal)
    return OutOfRange(literal) if number in _INFINITIES else number


class _MsgspecBackend(Backend):
    name = "msgspec"

    def __init__(self) -> None:
        import msgspec  # the fast extra

        self._raw = msgspec.Raw
        self._raw_type = msgspec.Raw
        self._wire = self.wire_float
        self._decode_bytes = msgspec.json.Decoder().decode
        self._encode_bytes = msgspec.json.Encoder().encode

    def wire_float(self, value: float) -> Any:
        """See [`wire_float`][purecloud_internal_message._jsontext.wire_float]."""
        _check_scalar(value, None)
        # msgspec spells exponents its own way (1e16); repr's spelling is the contract.
        return self._raw(float.__repr__(value).encode())

    def _decode(self, text: str | bytes | bytearray) -> Any:
        if not isinstance(text, str) and text.startswith(_UTF8_BOM):
            return self._decode_bytes(memoryview(text)[len(_UTF8_BOM) :])
        return self._decode_bytes(text)

    def _encode(self, obj: Any) -> str:
        return self._encode_bytes(obj).decode("utf-8")


_BACKENDS: dict[str, Backend] = {}


def backend(name: str) -> Backend:
    """The [`Backend`][purecloud_internal_message._jsontext.Backend] called ``name``
    (``"msgspec"``, which needs msgspec installed, or ``"json"``), built once.
    """
    found = _BACKENDS.get(name)
    if found is None:
        if name == "json":
            found = _StdlibBackend()
        elif name == "msgspec":
            found = _MsgspecBackend()
        else:
            raise ValueError(f"unknown JSON backend {name!r}")
        _BACKENDS[name] = found
    return found


def _choose() -> Backend:
    if extensions_allowed():
        try:
            return backend("msgspec")
        except ImportError:
            pass
    return backend("json")


# The backend is chosen on first use, not at import: importing msgspec costs
# about 12 ms, which a program that never reads or writes JSON text should not pay.
_ACTIVE: Backend | None = None


def _active() -> Backend:
    """The backend in use, chosen (once) on first call."""
    global _ACTIVE, _parse, _dumps, _dumps_prepared, _wire_float  # noqa: PLW0603 - set once
    chosen = _ACTIVE
    if chosen is None:
        chosen = _choose()
        # Later calls go straight to the backend's methods.
        _parse, _dumps = chosen.parse, chosen.dumps
        _dumps_prepared, _wire_float = chosen.dumps_prepared, chosen.wire_float
        _ACTIVE = chosen
    return chosen


def _parse(text: str | bytes | bytearray) -> Any:
    return _active().parse(text)


def _dumps(obj: Any) -> str:
    return _active().dumps(obj)


def _dumps_prepared(obj: Any) -> str:
    return _active().dumps_prepared(obj)


def _wire_float(value: float) -> Any:
    return _active().wire_float(value)


def __getattr__(name: str) -> Any:
    if name == "BACKEND":  # "msgspec" or "json": the backend in use
        return _active().name
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parse(text: str | bytes | bytearray) -> Any:
    """Parse JSON text: ``json.loads``'s values, this package's errors.

    Returns dict, list, str, int, float, bool or None, exactly as ``json.loads``
    would, except that a number with no faithful value (an int of more than
    640 digits, a float beyond the float range) becomes an
    [`OutOfRange`][purecloud_internal_message._jsontext.OutOfRange]. With the
    msgspec backend, ints of 641 digits up to the application's digit limit
    come back as ints.

    Raises:
        JSONTextError: the text is not JSON (including ``NaN``/``Infinity``,
            bytes that are not UTF-8, a ``str`` starting with U+FEFF).
        TypeError: ``text`` is not str, bytes or bytearray.
    """
    return _parse(text)


def dumps(obj: Any) -> str:
    """Write a plain JSON value as compact API JSON (see the module's documentation).

    ``obj`` is made of dict (str keys), list, str, int, float, bool and None,
    exact types only. Raises ValueError for NaN, infinities, ints of more than
    640 digits and cycles, and TypeError for anything else, naming where.
    """
    return _dumps(obj)


def dumps_prepared(obj: Any) -> str:
    """[`dumps`][purecloud_internal_message._jsontext.dumps] without the check-and-copy
    pass: the fast entry point for values built by this package.

    Precondition: ``obj`` is what ``dumps`` accepts, except that every float
    in it has gone through
    [`wire_float`][purecloud_internal_message._jsontext.wire_float]. Then the
    output is exactly ``dumps``'s.
    """
    return _dumps_prepared(obj)


def wire_float(value: float) -> Any:
    """What a float must become before
    [`dumps_prepared`][purecloud_internal_message._jsontext.dumps_prepared]:
    the float itself on the ``json`` backend, its ``repr`` as ``msgspec.Raw`` on
    the ``msgspec`` one. Raises ValueError for NaN and infinities.
    """
    return _wire_float(value)
