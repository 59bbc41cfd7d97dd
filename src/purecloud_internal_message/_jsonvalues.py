"""What JSON can hold: the contract types and the rules every JSON module shares.

A leaf module: it imports only [`_limits`][purecloud_internal_message._limits] and
the standard library, so that the selector (`_jsontext`), the reference parser and
writer (`_jsonreference`) and the value copier (`_values`) all take their types,
rules and wording from here, and none of them needs another.

The rules are worded once, as problems: the writers raise them with where they
are (``"a[0].b: NaN is not a JSON value"``), the copier reports them as a
``ValidationError`` item at that path.
"""

from __future__ import annotations

from math import isfinite, isnan

from ._limits import INT_BOUND, MAX_INT_DIGITS, int_message

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

__all__ = [
    "COMPACT",
    "UTF8_BOM",
    "JSONTextError",
    "OutOfRange",
    "Style",
    "float_literal",
    "int_literal",
    "key_problem",
    "located",
    "not_a_value",
    "number_problem",
    "path_text",
    "type_problem",
]

#: The byte order mark that UTF-8 bytes may start with (skipped once by the parsers).
UTF8_BOM = b"\xef\xbb\xbf"

# OutOfRange keeps a literal whole up to this many characters, else its head and tail.
_LITERAL_KEEP = 40
#: How many characters of a long literal or word messages show before ``...``.
LITERAL_HEAD = 20
_LITERAL_TAIL = 10


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
            literal = f"{literal[:LITERAL_HEAD]}...{literal[-_LITERAL_TAIL:]}"
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
        head = str(magnitude // 10 ** (digits - LITERAL_HEAD))
        tail = str(magnitude % 10**_LITERAL_TAIL).zfill(_LITERAL_TAIL)
        return cls(f"{(sign + head)[:LITERAL_HEAD]}...{tail}")

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


# -- number literals, as both parsers read them ---------------------------------------


def int_literal(literal: str) -> int | OutOfRange:
    """The value of an integer literal: an int, or OutOfRange beyond 640 digits
    (``int()`` obeys the application's digit limit, which is never below 640)."""
    if len(literal) > MAX_INT_DIGITS and len(literal) - (literal[0] == "-") > MAX_INT_DIGITS:
        return OutOfRange(literal)
    return int(literal)


def float_literal(literal: str) -> float | OutOfRange:
    """The value of a number literal with a fraction or an exponent: a float, or
    OutOfRange beyond the float range (JSON has no infinity)."""
    number = float(literal)
    return number if isfinite(number) else OutOfRange(literal)


# -- what a JSON value may be, worded once ---------------------------------------------


def not_a_value(name: str) -> str:
    """What is said of ``NaN``, ``Infinity`` or ``-Infinity``, as text or as a float."""
    return f"{name} is not a JSON value"


def number_problem(value: int | float) -> str | None:
    """Why an int or float (a subclass too, not bool) cannot be a JSON number, or None."""
    if isinstance(value, float):
        if isfinite(value):
            return None
        return not_a_value("NaN" if isnan(value) else "Infinity" if value > 0 else "-Infinity")
    return None if -INT_BOUND < value < INT_BOUND else int_message()


def key_problem(key: object) -> str | None:
    """Why ``key`` cannot be written as an object key, or None (an exact ``str``).

    A ``str`` subclass is refused too: its own ``__eq__`` and ``__hash__`` may let
    a dict hold two keys of the same text, which would be written twice.
    """
    if type(key) is str:
        return None
    if isinstance(key, str):
        return f"object key of type {type(key).__name__} (a str subclass) is not a plain str"
    return f"object key of type {type(key).__name__} is not a string"


def type_problem(value: object) -> str:
    """What is said of a value of a type that JSON has no form for."""
    return f"expected a JSON value, got {type(value).__name__}"


def located(problem: str, where: Any) -> str:
    """``problem`` prefixed with where it is, as validation errors show it
    (``"a[0].b: problem"``); ``where`` is None for the value itself, else
    ``(where of the container, key or index)``.
    """
    steps: list[Any] = []
    while where is not None:
        where, step = where
        steps.append(step)
    path = path_text(reversed(steps))
    return f"{path}: {problem}" if path else problem


def path_text(loc: Iterable[str | int]) -> str:
    """A location as validation errors show it: ``("messages", 2, "messageTime")`` ->
    ``messages[2].messageTime``; ``""`` for the value itself.

    Keys are written as they are (a key holding ``.`` or ``[`` is not escaped):
    the text is for people; the location itself is the exact form.
    """
    path = ""
    for step in loc:
        if isinstance(step, int):
            path = f"{path}[{step}]"
        elif path:
            path = f"{path}.{step}"
        else:
            path = step
    return path


# -- how JSON text is laid out ----------------------------------------------------------

_WHITESPACE = " \t\n\r"
_OPTIONS = ("ensure_ascii", "indent", "separators", "sort_keys")


class Style:
    r"""How a writer lays out JSON text: the options of ``json.dumps`` that keep it JSON.

    The default is the package's compact form: no whitespace, non-ASCII characters
    as themselves, keys in their order.

    Attributes:
        indent: What each nesting level is indented by (each member then on a
            line of its own), or None for one line.
        item_separator: What separates array items and object members (``","``
            and JSON whitespace).
        key_separator: What separates a key from its value (``":"`` and JSON
            whitespace).
        sort_keys: Whether object members are written in the order of their keys.
        ensure_ascii: Whether every character beyond ASCII is written as a
            ``\uXXXX`` escape (as ``json.dumps`` does by default).
    """

    __slots__ = (
        "_encoder",
        "ensure_ascii",
        "indent",
        "item_separator",
        "key_separator",
        "sort_keys",
    )

    def __init__(
        self,
        indent: int | str | None = None,
        separators: tuple[str, str] | list[str] | None = None,
        sort_keys: bool = False,
        ensure_ascii: bool = False,
    ) -> None:
        self.indent = _indent(indent)
        self.item_separator, self.key_separator = (
            (",", ":") if separators is None else _separators(separators)
        )
        self.sort_keys = _flag("sort_keys", sort_keys)
        self.ensure_ascii = _flag("ensure_ascii", ensure_ascii)
        # The writer's (converter, encoder) for this style, kept by the writer
        # (`_jsontext`): a style it writes in often (to_json's) builds it once.
        self._encoder: tuple[Any, Any] | None = None

    @classmethod
    def of(cls, options: dict[str, Any]) -> Style:
        """The style ``options`` (keyword arguments of a writer) ask for.

        Raises:
            TypeError: a keyword that is not one of ``indent``, ``separators``,
                ``sort_keys`` and ``ensure_ascii`` (``default``, ``cls`` and
                ``allow_nan`` included: only JSON values are written, and only
                as JSON), or an option of the wrong type.
            ValueError: an option that would make the text something other than
                JSON (an indent or a separator that is not JSON whitespace and its
                ``,`` or ``:``).
        """
        for name in options:
            if name not in _OPTIONS:
                raise TypeError(
                    f"unexpected keyword argument {name!r}: JSON text takes only "
                    "indent, separators, sort_keys and ensure_ascii"
                )
        return cls(**options)

    @property
    def compact(self) -> bool:
        """Whether this is the default style (what every writer writes without options)."""
        return (
            self.indent is None
            and self.item_separator == ","
            and self.key_separator == ":"
            and not self.sort_keys
            and not self.ensure_ascii
        )


def _indent(indent: object) -> str | None:
    if indent is None:
        return None
    if type(indent) is int:
        if indent < 0:
            raise ValueError(f"indent must be at least 0, got {indent}")
        return " " * indent
    if type(indent) is str:
        if indent.strip(_WHITESPACE):
            raise ValueError(f"indent must be JSON whitespace, got {indent!r}")
        return indent
    raise TypeError(f"indent takes an int, a str or None, got {type(indent).__name__}")


def _separators(separators: object) -> tuple[str, str]:
    if not isinstance(separators, (tuple, list)) or len(separators) != 2:
        raise TypeError(
            f"separators takes a pair of str (item, key), got {type(separators).__name__}"
        )
    item, key = separators
    for given, mark in ((item, ","), (key, ":")):
        if type(given) is not str:
            raise TypeError(f"separators takes a pair of str, got {type(given).__name__}")
        if given.strip(_WHITESPACE) != mark:
            raise ValueError(f"separator {given!r} must be {mark!r} with JSON whitespace around it")
    return item, key


def _flag(name: str, value: object) -> bool:
    if type(value) is not bool:
        raise TypeError(f"{name} takes True or False, got {type(value).__name__}")
    return value


#: The package's compact form, which every writer writes without options.
COMPACT = Style()
