r"""JSON text in and out: the package's one writer and one parser selector.

Two backends implement the same contract, and [`JSON`][purecloud_internal_message._jsontext.JSON]
is the one in use, chosen on first use:

- ``"msgspec"``: msgspec's compiled parser and writer (the ``fast`` extra), used
  when msgspec is installed and compiled speedups are allowed
  (see `purecloud_internal_message._extensions`);
- ``"json"``: the standard library's, otherwise.

Whatever the backend, a text that the compiled parser does not take as it is
(a syntax error, nesting deeper than the stack allows, a lone surrogate escape
msgspec refuses, a number out of range, anything) is parsed again by the
reference parser (`_jsonreference`), which never recurses and alone decides
error messages. So the value and the
[`JSONTextError`][purecloud_internal_message._jsonvalues.JSONTextError] are the
same on every backend, every Python 3.10-3.13, at any stack depth, whatever
``sys.set_int_max_str_digits`` the application chose.

What ``parse`` reads:

- a ``str``, or ``bytes``/``bytearray`` in UTF-8 (one leading UTF-8 byte order
  mark is skipped). JSON exchanged between systems must be UTF-8 (RFC 8259,
  section 8.1), msgspec reads nothing else, and one rule is kept for both
  backends: UTF-16 and UTF-32 bytes, and bytes that encode surrogates, are
  refused (``json.loads`` would guess and accept them). A ``str`` that starts
  with U+FEFF is refused, as ``json.loads`` does;
- what ``json.loads`` returns for valid JSON, except that ``NaN`` and
  ``Infinity`` are errors, and numbers with no faithful value become
  [`OutOfRange`][purecloud_internal_message._jsonvalues.OutOfRange] placeholders.

What ``dumps`` writes, without options: compact JSON (``,`` and ``:``),
non-ASCII characters as themselves, only the escapes JSON needs (``\"``,
``\\``, ``\b \f \n \r \t``, ``\u00XX`` for other control characters and
``\udXXX`` for a lone surrogate, which UTF-8 cannot carry), ints exactly and
floats as Python's ``repr``. With options (``indent``, ``separators``,
``sort_keys``, ``ensure_ascii``: see [`Style`][purecloud_internal_message._jsonvalues.Style])
exactly what ``json.dumps`` writes with them, a lone surrogate still escaped.
Whatever the options, it writes JSON values only and refuses the rest in the
same words (``_jsonvalues``).

Positions in errors: ``line`` counts ``\n`` only; ``column`` and ``offset``
count characters (code points) of the text; for bytes, of the decoded text
after any byte order mark.
"""

from __future__ import annotations

from ._extensions import extensions_allowed
from ._jsonvalues import (
    UTF8_BOM,
    Style,
    float_literal,
    int_literal,
    key_problem,
    located,
    not_a_value,
    number_problem,
    type_problem,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["JSON", "Backend", "backend", "check", "dumps_checked"]


def _prepare(
    obj: Any,
    wire: Callable[[float], Any] | None,
    convert: Callable[[Any], Any] | None,
    copying: bool,
) -> Any:
    """Check that ``obj`` is made of JSON values the writers can write, raising what
    the reference writer would, and return it ready for them. Iterative.

    ``convert`` (if given) turns a value that is not JSON into its replacement (a
    str), or returns NotImplemented. Without ``copying`` it returns ``obj`` itself,
    in which ``convert`` must take every value that is not JSON (the caller's
    encoder calls it again, as ``default``). With ``copying``, a copy (containers
    copied, subclasses of str, int and float as their base type) in which every
    float has gone through ``wire`` (if given) and every value that is not JSON
    through ``convert``.
    """
    holder = [obj]
    active: set[int] = set()  # the containers on the way down, to catch a cycle
    # A container to check, where it is, and the id of the original (the
    # container itself is a copy when copying); or the id of one to leave.
    todo: list[Any] = [(holder, None, id(holder))]
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
                if type(key) is not str:
                    raise TypeError(located(key_problem(key) or "", where))
            children: Any = container.items()
        else:
            children = enumerate(container)
        for slot, child in children:
            kind = type(child)
            if kind is str or kind is bool or child is None:
                continue
            if kind is list or kind is dict:
                here = (where, slot) if container is not holder else None
                if id(child) in active:
                    raise ValueError(located("circular reference", here))
                copy = child
                if copying:
                    copy = container[slot] = child.copy()
                todo.append((copy, here, id(child)))
            elif isinstance(child, (int, float)):  # exact or a subclass; bool was taken above
                problem = number_problem(child)
                if problem is not None:
                    here = (where, slot) if container is not holder else None
                    raise ValueError(located(problem, here))
                if not copying:
                    continue
                if isinstance(child, float):
                    if wire is not None:
                        container[slot] = wire(float.__float__(child))
                    elif kind is not float:
                        container[slot] = float.__float__(child)
                elif kind is not int:
                    container[slot] = int.__index__(child)
            elif isinstance(child, str):  # a subclass: its text
                if copying:
                    container[slot] = str.__str__(child)
            elif convert is None or (replaced := convert(child)) is NotImplemented:
                here = (where, slot) if container is not holder else None
                raise TypeError(located(type_problem(child), here))
            elif copying:
                container[slot] = replaced
    return holder[0]


def check(obj: Any, convert: Callable[[Any], Any] | None = None) -> None:
    """Raise what [`JSON.dumps`][purecloud_internal_message._jsontext.Backend.dumps]
    would raise for ``obj`` and ``convert`` (its paths relative to ``obj``); nothing
    when it would write it."""
    _prepare(obj, None, convert, False)


def dumps_checked(obj: Any, convert: Callable[[Any], Any] | None, style: Style) -> str:
    """What [`JSON.dumps`][purecloud_internal_message._jsontext.Backend.dumps] writes
    for ``obj`` and ``convert`` in ``style``, without its check pass: for an ``obj``
    known to pass [`check`][purecloud_internal_message._jsontext.check] (a model's
    known fields, which every store checks, and unknown fields checked just now).

    The compact style is the exception: the backend writes it, and its floats are
    prepared (so the value is walked, and checked, once more) for the text to be
    the backend's own, byte for byte.
    """
    if style.compact:  # the backend's writer, whose floats need preparing
        return JSON.dumps(obj, convert)
    return _write_styled(obj, style, convert)


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
        """Parse JSON text: ``json.loads``'s values, this package's errors.

        Returns dict, list, str, int, float, bool or None, exactly as
        ``json.loads`` would, except that a number with no faithful value (an int
        of more than 640 digits, a float beyond the float range) becomes an
        [`OutOfRange`][purecloud_internal_message._jsonvalues.OutOfRange]. With
        the msgspec backend, ints of 641 digits up to the application's digit
        limit come back as ints.

        Raises:
            JSONTextError: the text is not JSON (including ``NaN``/``Infinity``,
                bytes that are not UTF-8, a ``str`` starting with U+FEFF).
            TypeError: ``text`` is not str, bytes or bytearray.
        """
        try:
            return self._decode(text)
        except Exception:  # whatever it was, the reference parser has the answer
            from ._jsonreference import parse_reference  # deferred: needed only here

            return parse_reference(text)

    def dumps(
        self, obj: Any, convert: Callable[[Any], Any] | None = None, /, **options: Any
    ) -> str:
        """Write ``obj``, a JSON value, as JSON text (see the module's documentation).

        ``obj`` is made of dict (exact ``str`` keys), list (both exact types), str,
        int, float (subclasses written as their base type's value), bool and None.
        ``convert`` (for the package's own writers) turns any other value into
        the str to write, or returns NotImplemented. ``options`` are those of
        [`Style`][purecloud_internal_message._jsonvalues.Style].

        Raises:
            ValueError: NaN, infinities, ints of more than 640 digits, cycles,
                naming where they are (``"a[0].b: NaN is not a JSON value"``); an
                option that would not write JSON.
            TypeError: any other type, a key that is not an exact ``str``, naming
                where; an option that is not one of the four, or of the wrong type.
        """
        if options:
            style = Style.of(options)
            if not style.compact:
                return _write_styled(_prepare(obj, None, convert, False), style, convert)
        wire = self._wire
        return self.dumps_prepared(
            _prepare(obj, wire, convert, wire is not None or convert is not None)
        )

    def dumps_prepared(self, obj: Any) -> str:
        """[`dumps`][purecloud_internal_message._jsontext.Backend.dumps] without options
        and without the check-and-copy pass: the fast entry point for values built
        by this package.

        Precondition: ``obj`` is what ``dumps`` accepts, except that every float
        in it has gone through
        [`wire_float`][purecloud_internal_message._jsontext.Backend.wire_float].
        Then the output is exactly ``dumps``'s.
        """
        try:
            return self._encode(obj)
        except Exception:  # too deep, a lone surrogate, or not writable: the reference decides
            from ._jsonreference import write_reference  # deferred: needed only here

            return write_reference(obj, self._raw_type)

    def wire_float(self, value: float) -> Any:
        """What a float must become before
        [`dumps_prepared`][purecloud_internal_message._jsontext.Backend.dumps_prepared]:
        the float itself on the ``json`` backend, its ``repr`` as ``msgspec.Raw``
        on the ``msgspec`` one. Raises ValueError for NaN and infinities.
        """
        raise NotImplementedError

    def _decode(self, text: str | bytes | bytearray) -> Any:
        raise NotImplementedError

    def _encode(self, obj: Any) -> str:
        raise NotImplementedError


def _check_float(value: float) -> None:
    problem = number_problem(value)
    if problem is not None:
        raise ValueError(problem)


class _StdlibBackend(Backend):
    name = "json"

    def __init__(self) -> None:
        import json  # deferred: only this backend needs it (~6 ms at import)

        # Built once: json.loads and json.dumps build a new one per call when
        # given options.
        decoder = json.JSONDecoder(
            parse_constant=_refuse_constant, parse_int=int_literal, parse_float=float_literal
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
        _check_float(value)
        return value

    def _decode(self, text: str | bytes | bytearray) -> Any:
        if not isinstance(text, str):
            if text.startswith(UTF8_BOM):
                text = text[len(UTF8_BOM) :]
            text = text.decode("utf-8")
        return self._decode_str(text)

    def _encode(self, obj: Any) -> str:
        return _surrogates_escaped(self._encode_any(obj))


def _refuse_constant(name: str) -> Any:
    raise ValueError(not_a_value(name))  # never shown: the reference parser words it


def _surrogates_escaped(written: str) -> str:
    """``written`` with any lone surrogate (which the standard library writes raw,
    and UTF-8 cannot carry) as its escape."""
    if not written.isascii():
        try:
            written.encode("utf-8")
        except UnicodeEncodeError:
            from ._jsonreference import escape_surrogates

            return escape_surrogates(written)
    return written


def _write_styled(obj: Any, style: Style, convert: Callable[[Any], Any] | None) -> str:
    """Checked JSON values (but for those ``convert`` turns into text) in ``style``:
    the standard library's encoder with the same options, or the reference writer
    where it fails (too deep for its recursion, a value ``convert`` refuses)."""
    built = style._encoder
    if built is None or built[0] is not convert:
        import json  # deferred, as in the stdlib backend

        built = style._encoder = (
            convert,
            json.JSONEncoder(
                ensure_ascii=style.ensure_ascii,
                separators=(style.item_separator, style.key_separator),
                indent=style.indent,
                sort_keys=style.sort_keys,
                allow_nan=False,
                check_circular=False,
                default=convert,
            ),
        )
    try:
        written: str = built[1].encode(obj)
    except Exception:  # the reference writer has no stack to run out of, and words refusals
        from ._jsonreference import write_reference

        if convert is not None:
            obj = _prepare(obj, None, convert, True)
        return write_reference(obj, None, style)
    return written if style.ensure_ascii else _surrogates_escaped(written)


class _MsgspecBackend(Backend):
    name = "msgspec"

    def __init__(self) -> None:
        import msgspec  # the fast extra

        self._raw = raw_type = self._raw_type = msgspec.Raw
        self._wire = self.wire_float
        decode = msgspec.json.Decoder().decode
        encode = msgspec.json.Encoder().encode

        # The hot paths as closures straight over msgspec (fewer calls than
        # methods). A BOM, which msgspec refuses, reaches the reference parser,
        # which skips it.
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
        _check_float(value)
        # msgspec spells exponents its own way (1e16); repr's spelling is the contract.
        return self._raw(float.__repr__(value).encode())


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


# -- the selector ----------------------------------------------------------------------


class _Selector:
    """The functions of the backend in use, as attributes.

    The backend is chosen when any of them is first called (or ``backend`` first
    asked for), not at import: importing msgspec costs 10-25 ms, which a program
    that never reads or writes JSON text should not pay. From then on each is
    the backend's own function, one attribute lookup away from every caller
    (including the generated and compiled codecs, which hold this object from
    import on). No ``__getattr__``: it would keep Python from specializing the
    lookup, which then costs more than the wrapper call it replaces.
    """

    __slots__ = ("_backend", "dumps", "dumps_prepared", "parse", "wire_float")

    if TYPE_CHECKING:
        _backend: Backend | None
        parse: Callable[[str | bytes | bytearray], Any]
        dumps: Callable[..., str]
        dumps_prepared: Callable[[Any], str]
        wire_float: Callable[[float], Any]

    def __init__(self) -> None:
        self._backend = None
        for name in ("dumps", "dumps_prepared", "parse", "wire_float"):
            setattr(self, name, self._first_call(name))

    def _first_call(self, name: str) -> Callable[..., Any]:
        def choose_then_call(*args: Any, **kwargs: Any) -> Any:
            return getattr(self.backend, name)(*args, **kwargs)

        return choose_then_call

    @property
    def backend(self) -> Backend:
        """The backend in use (its ``name`` says which), chosen on first use."""
        chosen = self._backend
        if chosen is None:
            chosen = _choose()
            self.use(chosen)
        return chosen

    def use(self, chosen: Backend) -> None:
        """Make ``chosen`` the backend in use (the tests run both in one process)."""
        self._backend = chosen
        self.parse = chosen.parse
        self.dumps = chosen.dumps
        self.dumps_prepared = chosen.dumps_prepared
        self.wire_float = chosen.wire_float


#: The JSON text functions of the backend in use: ``JSON.parse(text)``,
#: ``JSON.dumps(value, **options)``, ``JSON.dumps_prepared(value)``,
#: ``JSON.wire_float(x)``, and ``JSON.backend`` (its ``name`` says which).
JSON = _Selector()
