r"""The package's own JSON parser and writer: the reference for values, errors and bytes.

They run only when a backend's compiled parser or writer fails (a syntax error,
nesting deeper than the stack allows, a lone surrogate, a number out of range),
so they are imported on first need: most programs never load them. They never
recurse (an explicit stack instead), and the parser is linear in the text's length.
The backends of [`_jsontext`][purecloud_internal_message._jsontext] are tested
against them; this module imports only the leaf modules, never `_jsontext`.
"""

from __future__ import annotations

import re
from typing import cast

from . import _jsonvalues as rules  # what JSON can hold, worded once
from ._jsonvalues import COMPACT, LITERAL_HEAD, UTF8_BOM, JSONTextError, Style

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["escape_surrogates", "parse_reference", "write_reference"]


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


def _shown(char: str) -> str:
    """A character as messages show it: quoted if printable ASCII, else U+XXXX."""
    return repr(char) if " " <= char <= "~" else f"U+{ord(char):04X}"


def _found(text: str, pos: int) -> str:
    return _shown(text[pos]) if pos < len(text) else "the end of the input"


def parse_reference(text: str | bytes | bytearray) -> Any:
    """Parse JSON text with this module's own parser: the reference for values and errors.

    Returns exactly what ``json.loads`` returns for valid JSON, with
    [`OutOfRange`][purecloud_internal_message._jsonvalues.OutOfRange] for numbers
    that have no faithful value; raises
    [`JSONTextError`][purecloud_internal_message._jsonvalues.JSONTextError]
    otherwise. Never recurses; linear in the text's length.
    """
    if isinstance(text, str):
        return _parse_str(text)
    if isinstance(text, (bytes, bytearray)):
        return _parse_str(_utf8_text(text))
    raise TypeError(f"expected JSON text (str, bytes or bytearray), got {type(text).__name__}")


def _utf8_text(data: bytes | bytearray) -> str:
    start = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
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
    for name in ("NaN", "Infinity"):
        if text.startswith(name, pos):
            return _error(rules.not_a_value(name), text, pos)
    word = _WORD.match(text, pos)
    if word is not None:  # a misspelt literal: show the word, not just its first letter
        shown = word.group()
        if len(shown) > LITERAL_HEAD:
            shown = shown[:LITERAL_HEAD] + "..."
        return _error(f"expected a value, found {shown!r}", text, pos)
    return _error(f"expected a value, found {_found(text, pos)}", text, pos)


def _number(text: str, pos: int) -> tuple[Any, int]:
    match = _NUMBER.match(text, pos)
    if match is None:  # a '-' with no digit after it
        if text.startswith("-Infinity", pos):
            raise _error(rules.not_a_value("-Infinity"), text, pos)
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
        return rules.int_literal(literal), after
    return rules.float_literal(literal), after


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
# With ensure_ascii, as json.dumps: everything but printable ASCII, and '"' and '\'.
_ESCAPED_ASCII = re.compile(r'[^ -~]|["\\]')
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
    code = ord(char)
    if code > 0xFFFF:  # beyond the BMP: a surrogate pair of escapes, as json.dumps writes it
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return _ESCAPES.get(char) or f"\\u{code:04x}"


def _quote(text: str) -> str:
    return '"' + _ESCAPED.sub(_escape, text) + '"'


def _quote_ascii(text: str) -> str:
    return '"' + _ESCAPED_ASCII.sub(_escape, text) + '"'


def escape_surrogates(written: str) -> str:
    r"""Escape the lone surrogates that a writer left in its output.

    Outside strings, JSON text is ASCII; so any surrogate in the output is
    inside a string, where its ``\udXXX`` escape means the same character.
    """
    return _LONE_SURROGATE.sub(_escape, written)


_TEXT, _VALUE, _LEAVE = 0, 1, 2


def write_reference(obj: Any, raw_type: type | None = None, style: Style = COMPACT) -> str:
    """Write ``obj`` as JSON text in ``style`` with this module's own writer.

    Byte-identical to both backends' writers, and to ``json.dumps`` with the same
    options (except that a lone surrogate is always escaped). Accepts plain JSON
    values: exact dict and list, str keys; str, int and float values (subclasses
    written as their base type's value), bool and None; ``raw_type`` instances
    too, written as their bytes. Raises TypeError or ValueError naming the first
    value it cannot write and where it is.
    """
    indent = style.indent
    item_separator = style.item_separator
    key_separator = style.key_separator
    quote = _quote_ascii if style.ensure_ascii else _quote
    out: list[str] = []
    active: set[int] = set()  # the containers being written, to catch a cycle
    # (what, the item or text, where the item is, its nesting level)
    todo: list[tuple[int, Any, Any, int]] = [(_VALUE, obj, None, 0)]
    while todo:
        kind, item, where, level = todo.pop()
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
            out.append(quote(item))
        elif type(item) is list or type(item) is dict:
            if not item:
                out.append("[]" if type(item) is list else "{}")
                continue
            if id(item) in active:
                raise ValueError(rules.located("circular reference", where))
            active.add(id(item))
            todo.append((_LEAVE, id(item), None, 0))
            if indent is None:
                opening, between, closing = "", item_separator, ""
            else:
                opening = "\n" + indent * (level + 1)
                between, closing = item_separator + opening, "\n" + indent * level
            if type(item) is list:
                out.append("[" + opening)
                todo.append((_TEXT, closing + "]", None, 0))
                for index in range(len(item) - 1, -1, -1):
                    todo.append((_VALUE, item[index], (where, index), level + 1))
                    if index:
                        todo.append((_TEXT, between, None, 0))
            else:
                out.append("{" + opening)
                todo.append((_TEXT, closing + "}", None, 0))
                members = list(cast("dict[Any, Any]", item).items())
                for key, _ in members:
                    problem = rules.key_problem(key)
                    if problem is not None:
                        raise TypeError(rules.located(problem, where))
                if style.sort_keys:
                    members.sort(key=_first)
                for index in range(len(members) - 1, -1, -1):
                    key, member = members[index]
                    todo.append((_VALUE, member, (where, key), level + 1))
                    todo.append(
                        (_TEXT, (between if index else "") + quote(key) + key_separator, None, 0)
                    )
        elif isinstance(item, (int, float)):  # exact or a subclass; bool was taken above
            problem = rules.number_problem(item)
            if problem is not None:
                raise ValueError(rules.located(problem, where))
            out.append(float.__repr__(item) if isinstance(item, float) else int.__repr__(item))
        elif isinstance(item, str):  # a str subclass: its text
            out.append(quote(str.__str__(item)))
        elif raw_type is not None and type(item) is raw_type:
            out.append(_raw_text(item))
        else:
            raise TypeError(rules.located(rules.type_problem(item), where))
    return "".join(out)


def _first(member: tuple[str, Any]) -> str:
    return member[0]


def _raw_text(raw: Any) -> str:
    return bytes(raw).decode("utf-8")
