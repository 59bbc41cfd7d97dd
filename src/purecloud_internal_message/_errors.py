"""The one exception type for bad input, and how problems are described."""

from __future__ import annotations

from ._jsonvalues import OutOfRange, path_text
from ._limits import INT_BOUND

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, TypeAlias

    #: A location in the input, as pydantic's ``loc``: keys and list indexes.
    Loc: TypeAlias = tuple[str | int, ...]

__all__ = ["ErrorItem", "ValidationError"]

# Values in messages are shortened to this many characters: enough to
# recognise the value, never enough to flood a log with a large payload.
_MAX_VALUE_CHARS = 60


class ErrorItem:
    """One problem in the input: where it is and what is wrong.

    ```python
    from purecloud_internal_message import ErrorItem

    item = ErrorItem(("messages", 2, "messageTime"), "expected a string, got number 5")
    assert item.path == "messages[2].messageTime"
    assert str(item) == "messages[2].messageTime: expected a string, got number 5"
    ```

    Attributes:
        loc (tuple[str | int, ...]): Where the problem is, as pydantic's `loc`:
            the keys, in the input's own spelling, and the list indexes that lead
            to it (`("messages", 2, "messageTime")`, `("toAddress", "name")`);
            `()` is the input as a whole.
        message (str): What was expected and what was found.
    """

    __slots__ = ("loc", "message")

    def __init__(self, loc: Loc, message: str) -> None:
        if type(loc) is not tuple:
            raise _not_a_loc(loc)
        for step in loc:
            if type(step) is not str and type(step) is not int:
                raise _not_a_loc(loc)
        self.loc = loc
        self.message = message

    @property
    def path(self) -> str:
        """`loc` as text, in the input's own spelling: `messages[2].messageTime`,
        `toAddress.name`; `""` for the input as a whole. Built when asked for: keys
        holding `.` or `[` are written as they are, so only `loc` is exact.
        """
        return path_text(self.loc)

    def __str__(self) -> str:
        return f"{path_text(self.loc) or '(root)'}: {self.message}"

    def __repr__(self) -> str:
        return f"ErrorItem(loc={self.loc!r}, message={self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ErrorItem):
            return NotImplemented
        return self.loc == other.loc and self.message == other.message

    __hash__ = None  # type: ignore[assignment]  # mutable, like the models

    def __reduce__(self) -> tuple[Any, ...]:
        return (ErrorItem, (self.loc, self.message))


def _not_a_loc(loc: object) -> TypeError:
    return TypeError(
        "ErrorItem takes its location as a tuple of keys (str) and indexes (int), "
        f"got {describe(loc)}"
    )


class ValidationError(ValueError):
    """The input is not a valid payload; `errors` lists every problem found.

    Raised by [`from_dict`][purecloud_internal_message.Model.from_dict] and
    [`from_json`][purecloud_internal_message.Model.from_json], and by nothing
    else: whatever the input, decoding either succeeds or raises this.
    `str(error)` gives one line per problem, `path: message`.

    Attributes:
        errors (list[ErrorItem]): Every problem found, in the order of the input,
            each an [`ErrorItem`][purecloud_internal_message.ErrorItem].
        MAX_LINES (int): `str(error)` names at most this many problems (50), then
            counts the rest; `errors` keeps them all.
    """

    #: ``str(error)`` names at most this many problems, then counts the rest
    #: (``errors`` keeps them all): a payload with 200,000 bad items must not
    #: turn a log line into megabytes.
    MAX_LINES = 50

    def __init__(self, errors: Iterable[ErrorItem]) -> None:
        #: Every problem found, in the order of the input.
        self.errors: list[ErrorItem] = list(errors)
        super().__init__(self.errors)

    def __str__(self) -> str:
        shown = self.errors[: self.MAX_LINES]
        lines = [str(item) for item in shown]
        rest = len(self.errors) - len(shown)
        if rest:
            lines.append(f"... and {rest:,} more problem{'' if rest == 1 else 's'}")
        return "\n".join(lines)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))


def describe(value: object) -> str:
    """Name a value's JSON type and show it shortened: ``number 123``, ``object {'a': 1}``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {value!r}"
    if isinstance(value, OutOfRange):
        return f"number {value.text}"
    if isinstance(value, int) and not -INT_BOUND < value < INT_BOUND:
        # Shown as parsing its literal shows it, whatever the JSON backend read it into
        # (repr() of such an int obeys the application's digit limit).
        return f"number {OutOfRange.from_int(value).text}"
    kind = _JSON_TYPE_NAMES.get(type(value))
    if kind is None:
        for base, name in _JSON_TYPE_NAMES.items():
            if isinstance(value, base):
                kind = name
                break
        else:
            kind = type(value).__name__
    try:
        # Containers through reprlib, which stops at a few levels and items: the
        # full repr of a large or deeply nested value would cost its whole size
        # (or exhaust the stack) only to be shortened below.
        text = _short_repr(value) if isinstance(value, (list, dict, tuple, set)) else repr(value)
    except Exception:  # a hostile __repr__ must not turn a report into a crash
        text = f"<{type(value).__name__}>"
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 3] + "..."
    return f"{kind} {text}"


_JSON_TYPE_NAMES: dict[type, str] = {
    str: "string",
    int: "number",
    float: "number",
    dict: "object",
    list: "array",
}


def _short_repr(value: object) -> str:
    import reprlib  # deferred: only error reports about containers need it

    shortener = reprlib.Repr()
    shortener.maxlevel = 3
    shortener.maxstring = _MAX_VALUE_CHARS
    shortener.maxother = _MAX_VALUE_CHARS
    return shortener.repr(value)
