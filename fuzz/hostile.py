"""Hostile Python structures for ``from_dict``, built from any source of choices.

One definition serves two drivers: the fuzzer's ``FuzzedDataProvider`` (the
``from_dict`` target) and a hypothesis ``data`` object (tests/test_hostile.py),
each wrapped in a small adapter with the [`Source`][] methods. What it builds:
the models' own keys in both spellings with plausible and implausible values,
nesting at and past the limit, wide lists (up to 100,000 items), integers around
the 640-digit limit, special floats, lone surrogates, NUL, U+2028 and a byte
order mark in keys and values, ``str``/``dict``/``list`` subclasses (some with
lying methods), tuples, bytes, ``Decimal``, datetimes with odd or broken time
zones, cycles, model instances, and objects that are no JSON at all.
"""

from __future__ import annotations

import collections
import datetime as dt
import decimal
import fractions
import types
from typing import Any, Protocol

from purecloud_internal_message import (
    Address,
    InternalMessage,
    InternalMessageDetails,
    Model,
    Segment,
    fields,
)
from purecloud_internal_message._limits import MAX_DEPTH, MAX_INT_DIGITS

__all__ = ["MODELS", "Source", "build", "build_record"]

MODELS: tuple[type[Model], ...] = (InternalMessage, Segment, Address, InternalMessageDetails)

#: Every field key in both spellings, of every model.
KNOWN_KEYS = sorted(
    {name for model in MODELS for spec in fields(model) for name in (spec.key, spec.name)}
)

#: Characters that break naive writers: NUL, line and paragraph separators,
#: a byte order mark, lone surrogates (not Unicode text), a surrogate pair's
#: character, quotes and escapes, controls, a right-to-left mark.
SPECIAL_CHARS = [
    "\x00", "\u2028", "\u2029", "\ufeff", "\ud800", "\udfff", "\udbff\udc00",
    "\U0001f600", '"', "\\", "\n", "\r", "\t", "\x1f", "\x7f", "\u200f", "\ufffe", "\uffff",
]  # fmt: skip

#: Digits that ``str.isdigit`` and ``int()`` take but ISO-8601 does not.
ODD_DIGITS = ["\u0662", "\uff11", "\u00b2", "\u0967", "\U0001d7d9"]

HUGE = 10**MAX_INT_DIGITS
EDGE_INTS = [
    0, 1, -1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, -(2**63) - 1, 2**64, 10**20,
    HUGE - 1, -(HUGE - 1), HUGE, -HUGE, HUGE * 10, 10**4301,
]  # fmt: skip
EDGE_FLOATS = [
    0.0, -0.0, 1.5, 1e16, 1e-7, 1e308, -1e308, 5e-324, 2.2250738585072014e-308,
    float("inf"), float("-inf"), float("nan"), 0.1 + 0.2, 9007199254740993.0,
]  # fmt: skip


class Source(Protocol):
    """Where the builder takes its choices from."""

    def integer(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``; ``low`` when the source is exhausted."""
        ...

    def text(self, limit: int) -> str:
        """Any text of at most ``limit`` characters, lone surrogates included."""
        ...

    def real(self) -> float:
        """Any float, NaN and infinities included."""
        ...

    def raw(self, limit: int) -> bytes:
        """Any bytes, at most ``limit``."""
        ...


def pick(source: Source, options: list[Any]) -> Any:
    return options[source.integer(0, len(options) - 1)]


# -- hostile types ------------------------------------------------------------------


class PlainStr(str):
    """A well-behaved ``str`` subclass."""


class LyingStr(str):
    """A ``str`` whose hash, ``==`` and ``str()`` lie about its text."""

    def __hash__(self) -> int:
        return 1

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __str__(self) -> str:
        return "lie"

    def lower(self) -> str:  # type: ignore[override]
        return "connected"


class PlainDict(dict):  # type: ignore[type-arg]
    """A well-behaved ``dict`` subclass."""


_NOT_JSON = object()


class LyingDict(dict):  # type: ignore[type-arg]
    """A ``dict`` whose Python-level methods disagree with its contents."""

    def items(self) -> Any:
        return [("id", 5), ("lie", _NOT_JSON)]

    def keys(self) -> Any:
        return ["lie"]

    def values(self) -> Any:
        return [_NOT_JSON]

    def __iter__(self) -> Any:
        return iter(["lie"])

    def __getitem__(self, key: Any) -> Any:
        raise RuntimeError("LyingDict.__getitem__")

    def get(self, key: Any, default: Any = None) -> Any:
        raise RuntimeError("LyingDict.get")

    def __len__(self) -> int:
        return 10**6


class PlainList(list):  # type: ignore[type-arg]
    """A well-behaved ``list`` subclass."""


class LyingList(list):  # type: ignore[type-arg]
    """A ``list`` whose Python-level methods disagree with its contents."""

    def __iter__(self) -> Any:
        raise RuntimeError("LyingList.__iter__")

    def __len__(self) -> int:
        return 10**6

    def __getitem__(self, index: Any) -> Any:
        raise RuntimeError("LyingList.__getitem__")


class PlainInt(int):
    """An ``int`` subclass with a misleading repr."""

    def __repr__(self) -> str:
        return "PlainInt(?)"


class PlainFloat(float):
    """A ``float`` subclass with a misleading repr."""

    def __repr__(self) -> str:
        return "PlainFloat(?)"


class BadRepr:
    """Not JSON; its repr raises and its equality is ill-behaved."""

    def __repr__(self) -> str:
        raise RuntimeError("BadRepr.__repr__")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("BadRepr.__eq__")

    __hash__ = object.__hash__


class Zone(dt.tzinfo):
    """A time zone with a chosen offset, which may be out of range, of the wrong
    type, an exception, or not a whole number of minutes.

    (Not one whose offset changes from call to call: every writer then writes other
    text, whatever a decoder does, short of replacing the caller's time zone.)
    """

    def __init__(self, mode: int, minutes: int) -> None:
        self.mode = mode
        self.minutes = minutes

    def utcoffset(self, when: dt.datetime | None) -> Any:
        mode = self.mode
        if mode == 0:
            return dt.timedelta(minutes=self.minutes)
        if mode == 1:
            return None
        if mode == 2:
            return dt.timedelta(hours=24, minutes=self.minutes)  # out of range
        if mode == 3:
            raise RuntimeError("Zone.utcoffset")
        if mode == 4:
            return "+05:00"
        return dt.timedelta(seconds=self.minutes, microseconds=7)  # sub-minute offset

    def dst(self, when: dt.datetime | None) -> Any:
        return None

    def tzname(self, when: dt.datetime | None) -> Any:
        return "Zone"

    def __repr__(self) -> str:
        return f"Zone({self.mode}, {self.minutes})"

    def __reduce__(self) -> Any:
        return (Zone, (self.mode, self.minutes))


# -- the builder ----------------------------------------------------------------------


class _Budget:
    """What a structure may still use: nodes, and one expensive thing.

    The expensive thing is a list of 100,000 items or a reference back to an
    ancestor (a cycle), not both: the cycle is copied level after level until the
    nesting limit refuses it, so a cycle holding such a list costs 100 times as
    much, for every check. (Two references back in one cycle would double the paths
    at every level: time exponential in the limit, see docs/fuzzing.md.)
    """

    __slots__ = ("expensive", "nodes")

    def __init__(self, nodes: int) -> None:
        self.nodes = nodes
        self.expensive = 1


def build_record(source: Source, model: type[Model] = InternalMessage, *, nodes: int = 60) -> Any:
    """A top-level input for ``model.from_dict``: usually an object with its keys."""
    budget = _Budget(nodes)
    if source.integer(0, 9) == 0:
        return build(source, budget=budget)
    return _object(source, model, 1, budget, [])


def build(source: Source, *, budget: _Budget | None = None, level: int = 1) -> Any:
    """Any hostile value."""
    return _value(source, level, budget or _Budget(60), [])


def _value(source: Source, level: int, budget: _Budget, ancestors: list[Any]) -> Any:
    budget.nodes -= 1
    if budget.nodes <= 0:
        return _leaf(source)
    kind = source.integer(0, 15)
    if kind <= 5:
        return _leaf(source)
    if kind == 6:
        return _object(source, pick(source, list(MODELS)), level, budget, ancestors)
    if kind == 7:
        return _array(source, level, budget, ancestors)
    if kind == 8:
        return _deep(source, level)
    if kind == 9:
        return _wide(source, budget)
    if kind == 10:
        return _mapping_variant(source, level, budget, ancestors)
    if kind == 11:
        return _sequence_variant(source, level, budget, ancestors)
    if kind == 12 and ancestors and budget.expensive:
        budget.expensive -= 1
        return pick(source, ancestors)  # a cycle
    if kind == 13:
        return _model_instance(source)
    if kind == 14:
        return _timestamp_value(source)
    return _odd(source)


def _leaf(source: Source) -> Any:
    kind = source.integer(0, 9)
    if kind == 0:
        return None
    if kind == 1:
        return bool(source.integer(0, 1))
    if kind == 2:
        return source.integer(-(2**70), 2**70) if source.integer(0, 1) else pick(source, EDGE_INTS)
    if kind == 3:
        return source.real() if source.integer(0, 1) else pick(source, EDGE_FLOATS)
    if kind in (4, 5):
        return source.text(12)
    if kind == 6:
        return _hostile_text(source)
    if kind == 7:
        return _timestamp_text(source)
    if kind == 8:
        return pick(source, ["connected", "CONNECTED", "alerting", "endpoint", "queued", ""])
    return _number_variant(source)


def _hostile_text(source: Source) -> str:
    parts = []
    for _ in range(source.integer(1, 4)):
        if source.integer(0, 1):
            parts.append(pick(source, SPECIAL_CHARS))
        else:
            parts.append(source.text(6))
    return "".join(parts)


def _key(source: Source) -> Any:
    kind = source.integer(0, 7)
    if kind <= 2:
        return pick(source, KNOWN_KEYS)
    if kind == 3:
        return source.text(8)
    if kind == 4:
        return _hostile_text(source)
    if kind == 5:
        return PlainStr(pick(source, KNOWN_KEYS) if source.integer(0, 1) else source.text(6))
    if kind == 6:
        return LyingStr(pick(source, KNOWN_KEYS) if source.integer(0, 1) else source.text(6))
    return pick(source, [1, None, True, 1.5, ("id",), b"id", frozenset(), float("nan")])


def _object(
    source: Source, model: type[Model], level: int, budget: _Budget, ancestors: list[Any]
) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    ancestors = [*ancestors, result]
    specs = fields(model)
    for _ in range(source.integer(0, 6)):
        if budget.nodes <= 0:
            break
        if source.integer(0, 2):
            spec = pick(source, list(specs))
            key: Any = spec.key if source.integer(0, 3) else spec.name
            result[key] = _plausible(source, spec, level, budget, ancestors)
        else:
            result[_key(source)] = _value(source, level + 1, budget, ancestors)
    return result


def _plausible(source: Source, spec: Any, level: int, budget: _Budget, ancestors: list[Any]) -> Any:
    """A value that may well fit the field ``spec``, or sometimes anything."""
    budget.nodes -= 1
    choice = source.integer(0, 7)
    if choice == 0:
        return _value(source, level + 1, budget, ancestors)
    if choice == 1:
        return None
    kind = spec.kind
    if kind == "str":
        if spec.enum and source.integer(0, 1):
            value = pick(source, list(spec.enum))
            return pick(source, [value, value.upper(), value.title(), PlainStr(value)])
        return source.text(10) if source.integer(0, 2) else _hostile_text(source)
    if kind == "datetime":
        return _timestamp_text(source) if source.integer(0, 2) else _timestamp_value(source)
    if kind == "model":
        return _object(source, spec.model, level + 1, budget, ancestors)
    items: list[Any] = []
    holder: Any = items
    for _ in range(source.integer(0, 3)):
        if budget.nodes <= 0:
            break
        items.append(_object(source, spec.model, level + 2, budget, [*ancestors, items]))
    if source.integer(0, 5) == 0:
        holder = pick(source, [tuple(items), PlainList(items), LyingList(items)])
    return holder


def _array(source: Source, level: int, budget: _Budget, ancestors: list[Any]) -> list[Any]:
    result: list[Any] = []
    ancestors = [*ancestors, result]
    for _ in range(source.integer(0, 5)):
        if budget.nodes <= 0:
            break
        result.append(_value(source, level + 1, budget, ancestors))
    return result


def _deep(source: Source, level: int) -> Any:
    """Nesting that ends at, just before or just past the limit (or far past it)."""
    target = MAX_DEPTH + source.integer(-3, 3) if source.integer(0, 5) else 5_000
    levels = max(1, target - level)
    value: Any = _leaf(source) if source.integer(0, 1) else []
    as_objects = source.integer(0, 2)
    for index in range(levels):
        if as_objects == 0:
            value = {"k": value}
        elif as_objects == 1:
            value = [value]
        else:
            value = [value] if index % 2 else {"\u2028": value}
    return value


def _wide(source: Source, budget: _Budget) -> list[Any]:
    size = pick(source, [0, 1, 1000])
    if budget.expensive and source.integer(0, 7) == 0:  # now and then: checks take seconds
        budget.expensive -= 1
        size = 100_000
    item = pick(source, [0, "x", None, {}, [], 1.5, "\u2028"])
    return [item] * size


def _mapping_variant(source: Source, level: int, budget: _Budget, ancestors: list[Any]) -> Any:
    base = _object(source, pick(source, list(MODELS)), level, budget, ancestors)
    kind = source.integer(0, 5)
    if kind == 0:
        return collections.OrderedDict(base)
    if kind == 1:
        return collections.defaultdict(int, base)
    if kind == 2:
        return PlainDict(base)
    if kind == 3:
        return LyingDict(base)
    if kind == 4:
        return types.MappingProxyType(base)
    return collections.UserDict(base)


def _sequence_variant(source: Source, level: int, budget: _Budget, ancestors: list[Any]) -> Any:
    items = _array(source, level, budget, ancestors)
    kind = source.integer(0, 5)
    if kind == 0:
        return tuple(items)
    if kind == 1:
        return PlainList(items)
    if kind == 2:
        return LyingList(items)
    if kind == 3:
        return {item for item in items if type(item) in (str, int, float, bool, type(None))}
    if kind == 4:
        return iter(items)
    return collections.deque(items)


def _number_variant(source: Source) -> Any:
    kind = source.integer(0, 6)
    if kind == 0:
        return PlainInt(pick(source, EDGE_INTS))
    if kind == 1:
        return PlainFloat(pick(source, EDGE_FLOATS))
    if kind == 2:
        return decimal.Decimal(pick(source, ["1.5", "NaN", "sNaN", "-Infinity", "1e999999", "0"]))
    if kind == 3:
        return fractions.Fraction(1, 3)
    if kind == 4:
        return complex(1, 2)
    if kind == 5:
        return source.raw(8) if source.integer(0, 1) else bytearray(source.raw(8))
    return pick(source, [True, False, PlainStr("1"), memoryview(b"ab")])


_ZONES = [dt.timezone.utc, None]


def _timestamp_value(source: Source) -> Any:
    kind = source.integer(0, 5)
    if kind == 0:
        return pick(source, [dt.date(2024, 5, 1), dt.time(12, 0), dt.timedelta(days=1)])
    year = pick(source, [1, 2, 1970, 2024, 9998, 9999])
    when = dt.datetime(year, pick(source, [1, 12]), pick(source, [1, 31]))
    when = when.replace(
        hour=source.integer(0, 23),
        microsecond=pick(source, [0, 1, 999, 1000, 999_999]),
        fold=source.integer(0, 1),
    )
    if kind == 1:
        return when  # naive: taken as UTC
    if kind == 2:
        return when.replace(tzinfo=dt.timezone.utc)
    if kind == 3:
        offset = dt.timedelta(minutes=source.integer(-1439, 1439))
        return when.replace(tzinfo=dt.timezone(offset))
    if kind == 4:
        return when.replace(tzinfo=Zone(source.integer(0, 5), source.integer(-1439, 1439)))
    return pick(source, [dt.datetime.min, dt.datetime.max]).replace(
        tzinfo=pick(source, [dt.timezone.utc, dt.timezone(dt.timedelta(hours=5)), None])
    )


def _timestamp_text(source: Source) -> str:
    """ISO-8601-like text, often valid, often just off."""
    digits = pick(source, ["0"] * 6 + ODD_DIGITS)
    year = pick(
        source, ["2024", "0001", "9999", "0000", "10000", "+2024", "-0001", "2" + digits * 3]
    )
    month = pick(source, ["05", "12", "13", "00", "1", "W18"])
    day = pick(source, ["01", "31", "29", "30", "32", "1"])
    date = pick(source, [f"{year}-{month}-{day}", f"{year}{month}{day}", f"{year}-{month}", year])
    clock = pick(source, ["12:34:56", "00:00:00", "24:00:00", "23:59:60", "12:34", "12", "123456"])
    fraction = pick(
        source, ["", ".789", ",5", ".", "." + "9" * source.integer(1, 30), "." + digits]
    )
    offset = pick(source, ["Z", "z", "+00:00", "-23:59", "+24:00", "+0530", "+05", "", "+05:30:15"])
    sep = pick(source, ["T", "t", " ", "", "  ", "\u2028"])
    text = date if source.integer(0, 6) == 0 else f"{date}{sep}{clock}{fraction}{offset}"
    if source.integer(0, 5) == 0:
        position = source.integer(0, len(text))
        text = text[:position] + _hostile_text(source) + text[position:]
    return text


def _model_instance(source: Source) -> Any:
    kind = source.integer(0, 3)
    if kind == 0:
        # Text a model can hold: its constructor refuses a lone surrogate, rightly,
        # and the point here is a model where a value belongs.
        name = source.text(4).encode("utf-8", "replace").decode("utf-8")
        return Address(name=name)
    if kind == 1:
        return Segment(type="x")
    if kind == 2:
        return InternalMessage(id="a", segments=[Segment()])
    return InternalMessageDetails()


def _odd(source: Source) -> Any:
    return pick(
        source,
        [object(), BadRepr(), frozenset({1}), range(3), ..., NotImplemented, type, print,
         float("nan"), decimal.Decimal("NaN"), b"", bytearray()],
    )  # fmt: skip
