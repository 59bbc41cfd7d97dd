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

from math import isfinite, isnan

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


_INFINITIES = (float("inf"), float("-inf"))
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
            from ._jsonreference import parse_reference  # deferred: needed only here

            return parse_reference(text)

    def dumps_prepared(self, obj: Any) -> str:
        """See [`dumps_prepared`][purecloud_internal_message._jsontext.dumps_prepared]."""
        try:
            return self._encode(obj)
        except Exception:  # too deep, a lone surrogate, or not writable: the reference decides
            from ._jsonreference import write_reference  # deferred: needed only here

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
                from ._jsonreference import escape_surrogates

                written = escape_surrogates(written)
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
        self._decode_bytes = decode = msgspec.json.Decoder().decode
        self._encode_bytes = encode = msgspec.json.Encoder().encode
        raw_type = msgspec.Raw

        # The hot paths as closures straight over msgspec (fewer calls than the
        # methods; same results: a BOM, which msgspec refuses, reaches the
        # reference parser, which skips it).
        def parse(text: str | bytes | bytearray) -> Any:
            # msgspec would also read any buffer (memoryview, mmap): the contract is text.
            if type(text) is str or type(text) is bytes or type(text) is bytearray:
                try:
                    return decode(text)
                except Exception:  # whatever it was, the reference parser has the answer
                    pass
            from ._jsonreference import parse_reference

            return parse_reference(text)

        def dumps_prepared(obj: Any) -> str:
            try:
                return encode(obj).decode("utf-8")
            except Exception:  # too deep, a lone surrogate, not writable: the reference decides
                from ._jsonreference import write_reference

                return write_reference(obj, raw_type)

        self.parse = parse  # type: ignore[method-assign]
        self.dumps_prepared = dumps_prepared  # type: ignore[method-assign]

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
        # The fallback is loaded with the backend, not when a text first needs
        # it: that may be deep in a caller's stack, where an import can fail.
        from . import _jsonreference  # noqa: F401

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
        # Later calls go straight to the backend's functions, also through this
        # module's names for callers that look them up at call time.
        _parse, _dumps = chosen.parse, chosen.dumps
        _dumps_prepared, _wire_float = chosen.dumps_prepared, chosen.wire_float
        globals().update(
            parse=_parse, dumps=_dumps, dumps_prepared=_dumps_prepared, wire_float=_wire_float
        )
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


def parse_reference(text: str | bytes | bytearray) -> Any:
    """Parse JSON text with this package's own parser (see `_jsonreference`)."""
    from ._jsonreference import parse_reference as parse

    return parse(text)


def write_reference(obj: Any, raw_type: type | None = None) -> str:
    """Write ``obj`` with this package's own writer (see `_jsonreference`)."""
    from ._jsonreference import write_reference as write

    return write(obj, raw_type)
