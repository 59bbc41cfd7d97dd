"""Hostile input: whatever is accepted can be written back, on both codec paths.

For any input, `from_dict`/`from_json` either return a model that every public
operation can handle, or raise `ValidationError` (issue 16). The structures come
from `fuzz/hostile.py`, the checks from `fuzz/invariants.py` and
`fuzz/targets.py`: the same definitions the coverage-guided fuzzer uses
(docs/fuzzing.md), here driven by hypothesis. Each test runs on the pure-Python
codecs and, when built, the compiled ones, installed on the model classes for the
test's duration.

More examples: `PURECLOUD_HOSTILE_EXAMPLES=2000 python -m pytest tests/test_hostile.py`.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import decimal
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import IMPLEMENTATIONS, Implementation
from purecloud_internal_message import (
    Address,
    InternalMessage,
    Model,
    Segment,
    ValidationError,
)
from purecloud_internal_message._codegen import FUNCTIONS
from purecloud_internal_message._limits import MAX_DEPTH

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fuzz"))

import hostile  # noqa: E402 - from fuzz/, put on the path just above
import invariants  # noqa: E402
import targets  # noqa: E402
from strategies import examples  # noqa: E402

# Scaled like every property test (PURECLOUD_TEST_EXAMPLES_SCALE, tests/strategies.py).
EXAMPLES = int(os.environ.get("PURECLOUD_HOSTILE_EXAMPLES", "0")) or examples(25)
HOSTILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@contextlib.contextmanager
def codecs_installed(module: ModuleType) -> Iterator[None]:
    """The model classes run ``module``'s codecs (the public API included) until exit."""
    saved = {cls: {name: cls.__dict__[name] for name in FUNCTIONS} for cls in module.CODECS}
    try:
        for cls, functions in module.CODECS.items():
            for name in FUNCTIONS:
                function = functions[name]
                # The class methods (from_dict, from_json) as the stubs declare them.
                if isinstance(Model.__model_stubs__[name], classmethod):
                    function = classmethod(function)
                setattr(cls, name, function)
        invariants._ADAPTERS.clear()  # pydantic's validators hold the from_dict they saw
        targets._ADAPTER.clear()
        yield
    finally:
        for cls, methods in saved.items():
            for name, method in methods.items():
                setattr(cls, name, method)
        invariants._ADAPTERS.clear()
        targets._ADAPTER.clear()


@pytest.fixture(params=IMPLEMENTATIONS, ids=lambda impl: impl.name)
def path(request: pytest.FixtureRequest) -> Iterator[ModuleType]:
    """Each codec path in turn, installed on the classes: compiled (when built) and pure."""
    implementation: Implementation = request.param
    module = implementation.load()
    with codecs_installed(module):
        yield module


def test_the_fixture_really_switches_paths(path: ModuleType) -> None:
    functions = path.CODECS[InternalMessage]
    assert InternalMessage.from_dict.__func__ is functions["from_dict"]  # type: ignore[attr-defined]
    assert InternalMessage._to_api_json is functions["_to_api_json"]


class DrawSource:
    """`hostile.Source` over hypothesis's ``data``: shrinks like any strategy."""

    def __init__(self, data: st.DataObject) -> None:
        self._data = data

    def integer(self, low: int, high: int) -> int:
        return self._data.draw(st.integers(low, high))

    def text(self, limit: int) -> str:
        return self._data.draw(
            st.text(st.characters(exclude_categories=()), max_size=limit)  # surrogates too
        )

    def real(self) -> float:
        return self._data.draw(st.floats())

    def raw(self, limit: int) -> bytes:
        return self._data.draw(st.binary(max_size=limit))


class _Fixed:
    """`hostile.Source` that gives the same answers every time."""

    def __init__(self, integer: int, text: str) -> None:
        self._integer, self._text = integer, text

    def integer(self, low: int, high: int) -> int:
        return min(max(self._integer, low), high)

    def text(self, limit: int) -> str:
        return self._text[:limit]

    def real(self) -> float:
        return 0.0

    def raw(self, limit: int) -> bytes:
        return b""


def test_a_model_instance_as_a_value_is_built_from_any_text() -> None:
    # A fuzzer finding (from_dict, compiled): the harness built Address(name=text)
    # from a lone surrogate, which the constructor refuses, and died there itself.
    address = hostile._model_instance(_Fixed(0, "\udee2ab"))
    assert address == Address(name="?ab")


# -- Python structures: from_dict and pydantic --------------------------------------------


@HOSTILE
@given(data=st.data())
def test_hostile_structures(path: ModuleType, data: st.DataObject) -> None:
    model = data.draw(st.sampled_from(hostile.MODELS))
    targets.check_structure(hostile.build_record(DrawSource(data), model), model)


def nest(levels: int, leaf: Any = None) -> Any:
    value: Any = [] if leaf is None else [leaf]
    for _ in range(levels - 1):
        value = [value]
    return value


def cycle() -> list[Any]:
    value: list[Any] = []
    value.append(value)
    return value


UTC = dt.timezone.utc
WIDE = list(range(100_000))

# The list, each one at least once whatever hypothesis draws.
NAMED_STRUCTURES: dict[str, Any] = {
    "depth at the limit": {"x": nest(MAX_DEPTH - 1), "segments": [{"y": nest(MAX_DEPTH - 3)}]},
    "one past the limit": {"x": nest(MAX_DEPTH)},
    "far past the limit": {"x": nest(50_000)},
    "a cycle": {"x": cycle()},
    "100k items": {"x": WIDE, "segments": [{"y": ["\u2028"] * 100_000}]},
    "2,000 segments": {"segments": [{}] * 2_000},
    "640 digits": {"n": 10**640 - 1, "m": -(10**640 - 1)},
    "641 digits": {"n": 10**640},
    "floats": {"x": [5e-324, -0.0, 1e308, 2.2250738585072014e-308]},
    "nan": {"x": float("nan")},
    "lone surrogate value": {"x": "\ud800"},
    "lone surrogate key": {"\udfff": 1},
    "lone surrogate field": {"id": "a\udbff"},
    "NUL and separators": {"x\x00\u2028": "\u2029\x00", "id": "\x00\u2028", "\u2028": {}},
    "str subclass key": {hostile.PlainStr("peerId"): hostile.PlainStr("p")},
    "lying str key": {hostile.LyingStr("peerId"): 1.5},
    "lying str value": {"state": hostile.LyingStr("nonsense")},
    "dict subclass": hostile.PlainDict(id="a", toAddress=hostile.PlainDict(name="b")),
    "lying dict": hostile.LyingDict(id="a"),
    "ordered dict": collections.OrderedDict(id="a", x=collections.OrderedDict(y=1)),
    "list subclass": {"segments": hostile.PlainList([{}]), "x": hostile.PlainList([1])},
    "lying list": {"segments": hostile.LyingList([{}]), "x": hostile.LyingList([1])},
    "tuples": {"segments": ({},), "x": (1, 2)},
    "bytes": {"id": b"a", "x": b"\xff", "y": bytearray(b"a")},
    "decimal": {"x": decimal.Decimal("1.5"), "y": decimal.Decimal("NaN")},
    "int and float subclasses": {"x": hostile.PlainInt(5), "y": hostile.PlainFloat(1.5)},
    "naive datetime": {"connectedTime": dt.datetime(2024, 5, 1), "x": dt.datetime(1, 1, 1)},
    "offset datetime": {
        "connected_time": dt.datetime(2024, 5, 1, tzinfo=dt.timezone(dt.timedelta(hours=14))),
        "x": dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    },
    "datetime past year 9999 in UTC": {
        "connectedTime": dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    },
    "datetime before year 1 in UTC": {
        "x": dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    },
    "broken time zones": {
        "connectedTime": dt.datetime(2024, 5, 1, tzinfo=hostile.Zone(3, 0)),
        "disconnectedTime": dt.datetime(2024, 5, 1, tzinfo=hostile.Zone(4, 0)),
        "x": dt.datetime(2024, 5, 1, tzinfo=hostile.Zone(2, 0)),
    },
    "sub-minute offset": {"connectedTime": dt.datetime(2024, 5, 1, tzinfo=hostile.Zone(5, 61))},
    "date, time, timedelta": {"x": dt.date(2024, 5, 1), "connectedTime": dt.time(1)},
    "odd digits in a timestamp": {"connectedTime": "\u0662024-05-01T12:34:56Z"},
    "models as values": {"toAddress": Address(name="a"), "segments": [Segment()], "x": Address()},
    "a model as the record": InternalMessage(id="a"),
    "non-string keys": {1: 1, None: 2, ("id",): 3, float("nan"): 4},
    "not JSON at all": {"x": {1, 2}, "y": object(), "z": hostile.BadRepr(), "w": complex(1, 2)},
    "not a dict": [{"id": "a"}],
    "a string": '{"id": "a"}',
}


@pytest.mark.parametrize("record", NAMED_STRUCTURES.values(), ids=NAMED_STRUCTURES.keys())
def test_named_hostile_structures(path: ModuleType, record: Any) -> None:
    targets.check_structure(record)


def test_the_promise_is_checked_on_something_accepted_and_refused(path: ModuleType) -> None:
    # The checks above mean something only if some named structures are accepted
    # and some refused.
    accepted = refused = 0
    for record in NAMED_STRUCTURES.values():
        result = invariants.outcome(lambda: InternalMessage.from_dict(record))  # noqa: B023
        accepted += isinstance(result, Model)
        refused += isinstance(result, ValidationError)
    assert accepted >= 15 and refused >= 15


# -- JSON text: from_json, then every operation ----------------------------------------------


@st.composite
def timestamp_texts(draw: st.DrawFn) -> str:
    return hostile._timestamp_text(DrawSource(draw(st.data())))


_keys = st.one_of(
    st.sampled_from(hostile.KNOWN_KEYS),
    st.text(st.characters(exclude_categories=()), max_size=6),
    st.sampled_from(hostile.SPECIAL_CHARS),
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    # json.dumps cannot write the 4,302-digit one (Python's own digit limit).
    st.sampled_from([value for value in hostile.EDGE_INTS if value < 10**4000]),
    st.integers(),
    st.sampled_from(hostile.EDGE_FLOATS),
    st.floats(),
    st.text(st.characters(exclude_categories=()), max_size=8),
    st.sampled_from(hostile.SPECIAL_CHARS),
    timestamp_texts(),
)
_json_like = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_keys, children, max_size=4),
    max_leaves=16,
)


@st.composite
def json_texts(draw: st.DrawFn) -> bytes:
    """JSON text with hostile content: known and unknown keys, escapes, edge numbers,
    nesting around the limit, spelled by ``json.dumps`` (lone surrogates as escapes,
    NaN as a bare word), sometimes cut or patched."""
    record: dict[str, Any] = draw(st.dictionaries(_keys, _json_like, max_size=6))
    if draw(st.integers(0, 4)) == 0:
        levels = draw(st.integers(MAX_DEPTH - 3, MAX_DEPTH + 1))
        record[draw(_keys)] = nest(levels)
    text = json.dumps(record, ensure_ascii=draw(st.booleans()), indent=draw(st.none() | st.just(1)))
    data = text.encode("utf-8", "surrogatepass")
    change = draw(st.integers(0, 5))
    if change == 0:
        data = data[: draw(st.integers(0, len(data)))]
    elif change == 1:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=4)) + data[at:]
    return data


@HOSTILE
@given(data=json_texts())
def test_hostile_json_text(path: ModuleType, data: bytes) -> None:
    targets.from_json(data)
    targets.roundtrip(data)


@HOSTILE
@given(data=st.binary(max_size=64))
def test_any_bytes(path: ModuleType, data: bytes) -> None:
    targets.from_json(data)


# -- the seed corpus and the command line --------------------------------------------------

CORPUS = ROOT / "fuzz" / "corpus"


def seeds(target: str) -> list[Path]:
    return sorted((CORPUS / target).iterdir())


def test_the_seed_corpus_is_there() -> None:
    for target in targets.TARGETS:
        assert len(seeds(target)) >= 5, target


@pytest.mark.parametrize("target", ["from_json", "roundtrip", "from_dict"])
def test_every_seed_keeps_the_promise(path: ModuleType, target: str) -> None:
    for seed in seeds(target):
        data = seed.read_bytes()
        if target == "from_dict":
            targets.check_structure(hostile.build_record(_ReplaySource(data)))
        else:
            targets.TARGETS[target](data)


class _ReplaySource:
    """A deterministic `hostile.Source` over bytes, for the seeds (no atheris needed)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def _take(self, count: int) -> bytes:
        chunk = self._data[self._at : self._at + count]
        self._at += count
        return chunk

    def integer(self, low: int, high: int) -> int:
        span = high - low
        if span <= 0:
            return low
        chunk = self._take((span.bit_length() + 7) // 8)
        return low + int.from_bytes(chunk, "little") % (span + 1) if chunk else low

    def text(self, limit: int) -> str:
        return self._take(self.integer(0, limit)).decode("utf-8", "surrogateescape")

    def real(self) -> float:
        return float(self.integer(-(2**53), 2**53)) / 7

    def raw(self, limit: int) -> bytes:
        return self._take(self.integer(0, limit))


def test_the_command_line_on_every_seed_and_hostile_file(path: ModuleType) -> None:
    inputs = [seed.read_bytes() for seed in seeds("cli")]
    inputs += [
        b"\xff\xfe{\x00}\x00",  # UTF-16
        b'{"id": "\\ud800"}\n{"id": "a\xe2\x80\xa8b"}\n',
        b'{"id": "a"}\r\n{"x": ' + b"[" * 200 + b"]" * 200 + b"}\n",
        b'{"n": ' + b"9" * 700 + b"}",
        b"\x00\x00\x00",
        b'[{"id": "a"}, 1, null, "x", [], {"participants": [{"internalMessages": [null]}]}]',
    ]
    for data in inputs:
        targets.cli_target(data)
