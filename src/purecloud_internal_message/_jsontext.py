"""TEMPORARY stand-in for the jsontext branch: the interface only, on the stdlib."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

BACKEND = "json"


class OutOfRange:
    """A number literal that no Python number can hold exactly enough to write back."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class JSONTextError(ValueError):
    """Text that is not JSON."""

    def __init__(self, message: str, line: int = 1, column: int = 1, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset

    def __str__(self) -> str:
        return f"{self.message} (line {self.line}, column {self.column})"


def _refuse(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def parse(text: str | bytes | bytearray) -> Any:
    """Parse JSON text."""
    import json

    try:
        return json.loads(text, parse_constant=_refuse)
    except json.JSONDecodeError as exc:
        raise JSONTextError(exc.msg, exc.lineno, exc.colno, exc.pos) from None
    except RecursionError:
        raise JSONTextError("nested too deeply") from None
    except ValueError as exc:
        raise JSONTextError(str(exc)) from None


def wire_float(value: float) -> Any:
    """A float as the writer wants it."""
    return value


def dumps_prepared(obj: Any) -> str:
    """Compact API JSON."""
    import json

    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


dumps = dumps_prepared
