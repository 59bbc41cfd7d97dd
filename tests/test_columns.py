"""The Arrow column encoders: the compiled one (generated into ``_codecs_c``) and its pure
twin (``_columns_py``) build the same buffers, byte for byte, for any model, and the
tables made of them hold what ``to_arrow`` held when it built each column with
``pyarrow.array`` (``arrow_reference``); ``to_parquet`` writes the same file on both paths.
"""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
import zoneinfo
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from unittest import mock

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrow_reference import reference_table
from conftest import COMPILED_EXPECTED, compiled_only
from purecloud_internal_message import (
    Address,
    InternalMessage,
    InternalMessageDetails,
    Model,
    Segment,
    ValidationError,
    _columns,
    _columns_py,
    fields,
)
from purecloud_internal_message._columns_py import LIST, STRUCT, TEXT, TIMESTAMP
from purecloud_internal_message.arrow import (
    UNITS,
    _assembler,
    arrow_schema,
    to_arrow,
    to_parquet,
    unfit_records,
)
from strategies import api_payloads, examples, json_values, texts, unknown_keys

UTC = timezone.utc
#: The encoders this run has: the pure one, and the compiled one unless it is the pure run.
PATHS = [False, True] if COMPILED_EXPECTED else [False]
MODELS = [InternalMessage, Segment, Address, InternalMessageDetails]

# -- models of every kind of value ----------------------------------------------------------

ZONES = [
    None,
    UTC,
    timezone(timedelta(hours=2)),
    timezone(timedelta(hours=-5, minutes=-30)),
    timezone(timedelta(hours=23, minutes=59)),
    timezone(timedelta(seconds=1, microseconds=500)),  # an offset finer than a millisecond
    timezone(-timedelta(microseconds=1)),
]
any_datetimes = st.datetimes(
    min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.sampled_from(ZONES)
)
# Mostly whole milliseconds (what a unit="ms" column holds); any microsecond too.
datetimes = any_datetimes.map(lambda v: v.replace(microsecond=v.microsecond // 1000 * 1000))
datetimes = datetimes | any_datetimes


def _deep(levels: int) -> Any:
    value: Any = []
    for _ in range(levels):
        value = [value]
    return value


#: Values that no unknown field may hold: what the columns cannot write as JSON.
UNWRITABLE = [math.nan, math.inf, 10**700, {1: 2}, "\ud800", _deep(120), {"x": object()}]


@st.composite
def models(draw: st.DrawFn, model: type[Model] = InternalMessage) -> Any:
    """An instance of ``model``: every field absent or any value, nested models and lists
    of them (empty too), unknown fields at every level, now and then one the columns
    cannot hold."""
    values: dict[str, Any] = {}
    for spec in fields(model):
        if draw(st.integers(0, 3)) == 0:
            continue
        if spec.is_text:
            values[spec.name] = draw(texts)
        elif spec.is_timestamp:
            values[spec.name] = draw(datetimes)
        elif spec.is_model:
            values[spec.name] = draw(models(spec.model))  # type: ignore[arg-type]
        else:
            values[spec.name] = draw(st.lists(models(spec.model), max_size=3))  # type: ignore[arg-type]
    instance = model(**values)
    extra = draw(st.integers(0, 5))
    if extra == 0:
        instance.additional_properties = draw(
            st.dictionaries(unknown_keys(model), json_values | datetimes, min_size=1, max_size=2)
        )
    elif extra == 1:
        assert instance.additional_properties == {}  # an empty dict held: no unknown fields
    if draw(st.integers(0, 20)) == 0:
        instance.additional_properties["unwritable"] = draw(st.sampled_from(UNWRITABLE))
    return instance


def encode(compiled: bool, model: type[Model], items: list[Any], unit: str) -> Any:
    """(columns, indexes of the unfit records) of one encoder."""
    builder = _columns.builder(model, unit, compiled=compiled)
    for index, item in enumerate(items):
        assert builder.append(item, index) == builder.rows
    columns, unfit = builder.take()
    assert builder.rows == 0
    return columns, [note for _, note in unfit]


def outcome(compiled: bool, model: type[Model], items: list[Any], unit: str) -> Any:
    """``encode``, or the exception's type and words."""
    try:
        return encode(compiled, model, items, unit)
    except Exception as error:
        return type(error), str(error)


# -- the two encoders agree, and hold what to_arrow held -------------------------------------


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), model=st.sampled_from(MODELS), unit=st.sampled_from(UNITS))
def test_both_encoders_build_the_same_buffers_and_the_tables_of_before(
    data: st.DataObject, model: type[Model], unit: str
) -> None:
    items = data.draw(st.lists(models(model), max_size=6))
    found = [encode(compiled, model, items, unit) for compiled in PATHS]
    assert all(each == found[0] for each in found)
    columns, unfit = found[0]
    # The records left out are those the slow walk (which says where) finds unfit.
    assert unfit == [index for index, _, _ in unfit_records(items, model, unit=unit)]
    table = pa.Table.from_batches([_assembler(model, unit).batch(columns)])
    table.validate(full=True)
    fit = [item for index, item in enumerate(items) if index not in unfit]
    assert table.equals(reference_table(fit, model, unit))


@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(st.lists(models(), max_size=4), max_size=4), unit=st.sampled_from(UNITS))
def test_a_builder_starts_afresh_after_each_take(batches: list[list[Any]], unit: str) -> None:
    for compiled in PATHS:
        builder = _columns.builder(InternalMessage, unit, compiled=compiled)
        for items in batches:
            for index, item in enumerate(items):
                builder.append(item, index)
            columns, unfit = builder.take()
            assert (columns, [note for _, note in unfit]) == encode(
                False, InternalMessage, items, unit
            )


def test_the_layout_is_the_schema_walked_depth_first() -> None:
    for model in MODELS:
        for unit in UNITS:
            kinds = []

            def walk(kind: pa.DataType, kinds: list[int] = kinds) -> None:
                if pa.types.is_string(kind):
                    kinds.append(TEXT)
                elif pa.types.is_timestamp(kind):
                    kinds.append(TIMESTAMP)
                elif pa.types.is_struct(kind):
                    kinds.append(STRUCT)
                    for child in kind:
                        walk(child.type)
                else:
                    kinds.append(LIST)
                    walk(kind.value_type)

            for field in arrow_schema(model, unit=unit):
                walk(field.type)
            layout = _columns_py.layout(model)
            assert [kind for kind, _ in layout] == kinds
            assert len(layout) == _columns_py.width(model)
            assert all(parent < index for index, (_, parent) in enumerate(layout))


@compiled_only
def test_the_compiled_encoder_is_the_one_in_use() -> None:
    assert _columns.COMPILED
    for model in MODELS:
        assert type(_columns.builder(model, "ms")).__name__ == "ColumnBuilder"

    class Sub(InternalMessage):
        pass

    # A class it was not generated for: the pure twin, which encodes any model.
    assert isinstance(_columns.builder(Sub, "ms"), _columns_py.Builder)


# -- instances in states no public API makes: the compiled encoder hands them on --------------


class _Text(str):
    pass


class _Stamp(datetime):
    pass


class _Extra(dict):  # type: ignore[type-arg]
    pass


class _NoOffset(tzinfo):
    def utcoffset(self, value: datetime | None) -> timedelta | None:
        return None


def _set(slot: str, value: Any, target: Any = None) -> InternalMessage:
    message = InternalMessage.from_dict(
        {"id": "m", "segments": [{"type": "Alert"}], "toAddress": {"name": "n"}}
    )
    holder = target(message) if target is not None else message
    object.__setattr__(holder, slot, value)
    return message


def _unset(slot: str) -> InternalMessage:
    message = InternalMessage(id="m")
    object.__delattr__(message, slot)
    return message


def _unset_in() -> InternalMessage:
    message = InternalMessage(to_address=Address(name="n"))
    object.__delattr__(message.to_address, "_name_raw")
    return message


UNUSUAL = {
    "a str subclass": lambda: _set("_id", _Text("x")),
    "a datetime subclass": lambda: _set("_connected_time", _Stamp(2024, 5, 1, 12, tzinfo=UTC)),
    "a zone of another type": lambda: _set(
        "_connected_time", datetime(2024, 5, 1, 12, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    ),
    "a zone without an offset": lambda: _set(
        "_connected_time", datetime(2024, 5, 1, 12, tzinfo=_NoOffset())
    ),
    "a lone surrogate": lambda: _set("_id", "\udc80"),
    "a number for a string": lambda: _set("_state", 3),
    "a string for a timestamp": lambda: _set("_connected_time", "2024-05-01T12:00:00.000Z"),
    "a tuple for a list": lambda: _set("_segments", (Segment(type="Hold"),)),
    "a list holding another type": lambda: _set("_segments", [Segment(), 3]),
    "a model of another type": lambda: _set("_to_address", Segment()),
    "an unset slot": lambda: _unset("_provider"),
    "an unset nested slot": _unset_in,
    "unknown fields in a dict subclass": lambda: _set("_additional_properties", _Extra(a=1)),
    "unknown fields that are not a dict": lambda: _set("_additional_properties", [1]),
    "unknown fields deep in a segment": lambda: _set(
        "_additional_properties", {"x": math.nan}, lambda m: m.segments[0]
    ),
}


@pytest.mark.parametrize("case", list(UNUSUAL))
@pytest.mark.parametrize("unit", UNITS)
def test_unusual_states_give_the_pure_encoders_result_or_error(case: str, unit: str) -> None:
    plain = [InternalMessage(id="before"), InternalMessage(id="after", segments=[])]
    items = [plain[0], UNUSUAL[case](), plain[1]]
    found = [outcome(compiled, InternalMessage, items, unit) for compiled in PATHS]
    assert all(each == found[0] for each in found)
    # And a builder that met it goes on as if it had not.
    for compiled in PATHS:
        builder = _columns.builder(InternalMessage, unit, compiled=compiled)
        try:
            builder.extend(items)
            builder.take()
        except Exception:  # the error itself was compared above
            pass
        builder.take()
        builder.extend(plain)
        assert builder.take() == (encode(False, InternalMessage, plain, unit)[0], [])


# -- payloads straight to the columns: the compiled encoder's route without models ------------

#: Values a payload's field may hold instead of what it should: each makes the fast
#: decoder (and so the payload route) step aside, or the careful one refuse it.
ODD_VALUES = st.sampled_from(
    [
        1,
        1.5,
        True,
        [],
        {},
        "\ud800",
        "2024-05-01T12:00:00Z",
        "2024-05-01T12:00:00.1234567-05:30",
        "2024-05-01T12:00:00.123456+01:00",
        "2024-05-01 12:00:00",
        "2024-W18-3T12:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "not a time",
        datetime(2024, 5, 1, 12, tzinfo=UTC),
        datetime(2024, 5, 1, 12, tzinfo=timezone(timedelta(hours=2))),
        [1],
        ["x", {}],
    ]
)


@st.composite
def irregular(
    draw: st.DrawFn,
    value: Any,
    model: type[Model] = InternalMessage,
    python: bool | None = None,
    odds: int | None = None,
) -> Any:
    """``value`` (a payload of ``model``) with its keys in one spelling, the API's or
    Python's, and, ``odds`` times in a hundred, a change at each field: a key in the
    other spelling (now and then both), a value replaced by ``ODD_VALUES``, an enum value
    in another case, an unknown field the columns cannot hold; at every level."""
    if python is None:
        python = draw(st.booleans())
    if odds is None:
        odds = draw(st.sampled_from([0, 0, 2, 10, 50]))
    if type(value) is not dict:
        return value

    def chance() -> bool:
        return odds > 0 and draw(st.integers(1, 100)) <= odds

    out: dict[str, Any] = {}
    for spec in fields(model):
        if spec.key not in value:
            continue
        item = value[spec.key]
        if spec.model is not None and isinstance(item, list):
            item = [draw(irregular(each, spec.model, python, odds)) for each in item]
        elif spec.model is not None:
            item = draw(irregular(item, spec.model, python, odds))
        if chance():
            item = draw(ODD_VALUES)
        elif chance() and isinstance(item, str):
            item = item.swapcase()
        key = spec.name if python != chance() else spec.key
        out[key] = item
        if chance() and chance():
            out[spec.name if key == spec.key else spec.key] = item
    for key, item in value.items():
        if key not in out and all(key != spec.key for spec in fields(model)):
            out[key] = item
    if chance() and chance():
        out["unwritable"] = draw(st.sampled_from(UNWRITABLE))
    return out


def by_payloads(payloads: list[Any], unit: str, strict: bool, *, offer: bool = True) -> Any:
    """((columns, unfit notes, errors), how many the payload route took) of the
    payloads: each offered to ``append_payload`` first (with ``offer``), and what it
    leaves through ``from_dict`` and the compiled encoder's ``append``."""
    builder = _columns.builder(InternalMessage, unit, compiled=True)
    errors = []
    taken = 0
    for index, payload in enumerate(payloads):
        rows = builder.rows
        if offer:
            found = builder.append_payload(payload, strict)
            if found >= 0:
                assert found == builder.rows == rows + 1
                taken += 1
                continue
            assert builder.rows == rows  # nothing was left behind
        try:
            model = InternalMessage.from_dict(payload, strict=strict)
        except ValidationError as error:
            errors.append((index, [(item.path, item.message) for item in error.errors]))
            continue
        builder.append(model, index)
    columns, unfit = builder.take()
    return (columns, [note for _, note in unfit], errors), taken


def by_models(payloads: list[Any], unit: str, strict: bool) -> Any:
    """(columns, unfit notes, errors) of the payloads through their models alone."""
    return by_payloads(payloads, unit, strict, offer=False)[0]


@compiled_only
@settings(max_examples=examples(200), suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    payloads=st.lists(api_payloads(), max_size=4),
    unit=st.sampled_from(UNITS),
    strict=st.booleans(),
)
def test_payloads_straight_to_the_columns_give_what_their_models_give(
    data: st.DataObject, payloads: list[dict[str, Any]], unit: str, strict: bool
) -> None:
    payloads = [data.draw(irregular(payload)) for payload in payloads]
    expected = by_models(payloads, unit, strict)
    found, _ = by_payloads(payloads, unit, strict)
    assert found == expected


@compiled_only
@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.too_slow])
@given(payloads=st.lists(api_payloads(known_enums_only=True), min_size=1, max_size=4))
def test_the_payload_route_takes_the_api_s_own_payloads(payloads: list[dict[str, Any]]) -> None:
    found, taken = by_payloads(payloads, "us", False)
    assert found == by_models(payloads, "us", False)
    assert taken == len(payloads)  # the route is the common case's, not only a fallback


@compiled_only
def test_a_bug_in_the_payload_route_fails_instead_of_falling_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only a nesting too deep sends a payload back to the model route by exception:
    any other exception is a bug of the route, raised, with nothing appended."""
    from purecloud_internal_message import _codecs_c

    builder = _columns.builder(InternalMessage, "ms", compiled=True)
    payload = {"id": "a", "interactionId": {"x": [1, 2]}}  # an unknown field: copied
    assert builder.append_payload(payload, False) == 1

    def planted(value: Any, level: int) -> str:
        raise LookupError("planted")

    monkeypatch.setattr(_codecs_c, "_unknown_text", planted)
    with pytest.raises(LookupError, match="planted"):
        builder.append_payload({**payload, "id": "b"}, False)
    assert builder.rows == 1  # the partial row was rolled back

    def too_deep(value: Any, level: int) -> str:
        raise RecursionError

    monkeypatch.setattr(_codecs_c, "_unknown_text", too_deep)
    assert builder.append_payload({**payload, "id": "c"}, False) == -1
    assert builder.rows == 1


@compiled_only
def test_a_failed_merge_of_the_pure_twin_s_columns_leaves_no_half_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A record the compiled encoder leaves to the pure one is merged column by
    column; if a later column fails (past 2 GiB, memory), the earlier ones are
    rolled back with it."""
    from datetime import datetime, timezone

    from purecloud_internal_message import _codecs_c

    class Stamp(datetime):  # not a datetime exactly: the compiled encoder leaves it
        pass

    odd = InternalMessage(id="a")
    odd._connected_time = Stamp(2024, 5, 1, tzinfo=timezone.utc)
    pure = _codecs_c._encode_py
    monkeypatch.setattr(
        _codecs_c,
        "_encode_py",
        lambda *args: [*pure(*args)[:-1], None],  # the last one bad
    )
    builder = _columns.builder(InternalMessage, "ms", compiled=True)
    with pytest.raises(TypeError):
        builder.append(odd)
    monkeypatch.undo()
    builder.append(InternalMessage(id="b"))
    columns, unfit = builder.take()
    expected = _columns.builder(InternalMessage, "ms", compiled=False)
    expected.append(InternalMessage(id="b"))
    assert (columns, unfit) == expected.take()


def test_the_pure_encoder_has_no_payload_route() -> None:
    """The pure path keeps the model route (``ParquetOutput.taker`` gives None)."""
    assert not hasattr(_columns.builder(InternalMessage, "ms", compiled=False), "append_payload")


# -- the files ------------------------------------------------------------------------------

ODD_TIMESTAMPS = st.sampled_from(
    [
        "2024-05-01T12:00:00Z",
        "2024-05-01T14:00:00.123+02:00",
        "2024-05-01T12:00:00.123456Z",
        "2024-05-01T12:00:00.123000Z",
        "2024-05-01 12:00:00",
        "2024-05-01T12:00:00.1234567-05:30",
    ]
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A line of JSON Lines: a record (some of its timestamps spelled otherwise), a
    conversation, or something that is not a valid record."""
    payload = draw(api_payloads())
    for key in ("connectedTime", "startAlertingTime"):
        if draw(st.booleans()):
            payload[key] = draw(ODD_TIMESTAMPS)
    for segment in payload.get("segments") or []:
        if isinstance(segment, dict) and draw(st.booleans()):
            segment["startTime"] = draw(ODD_TIMESTAMPS)
    form = draw(st.integers(0, 5))
    if form == 0:
        return json.dumps({"participants": [{"internalMessages": [payload, payload]}]})
    if form == 1:
        return draw(st.sampled_from(["", "{", "[]", '{"id": 1}', '"x"', "null"]))
    return json.dumps(payload)


def _convert(data: bytes, compiled: bool, **settings: Any) -> tuple[bytes, bytes, Any]:
    output, errors = io.BytesIO(), io.BytesIO()
    with mock.patch.object(_columns, "COMPILED", compiled):
        counts = to_parquet([io.BytesIO(data)], output, errors=errors, form="jsonl", **settings)
    return output.getvalue(), errors.getvalue(), counts.as_dict()


@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(documents(), max_size=10),
    unit=st.sampled_from(UNITS),
    batch_size=st.integers(1, 4),
    row_group_size=st.integers(1, 7),
)
def test_to_parquet_writes_the_same_file_with_either_encoder(
    lines: list[str], unit: str, batch_size: int, row_group_size: int
) -> None:
    data = "".join(line + "\n" for line in lines).encode()
    settings = {"unit": unit, "batch_size": batch_size, "row_group_size": row_group_size}
    found = [_convert(data, compiled, **settings) for compiled in PATHS]
    assert all(each == found[0] for each in found)
    parquet, _, counts = found[0]
    table = pq.read_table(io.BytesIO(parquet))
    assert table.num_rows == counts["written"]
    groups = pq.ParquetFile(io.BytesIO(parquet)).metadata
    sizes = [groups.row_group(i).num_rows for i in range(groups.num_row_groups)]
    assert all(size == row_group_size for size in sizes[:-1])
    assert sum(sizes) == table.num_rows


@compiled_only
def test_both_paths_write_the_same_files_for_the_realistic_mix(tmp_path: Path) -> None:
    """The whole conversion in a process of each path (decoders and encoders), on the
    benchmark's realistic mix: the same Parquet file and errors file, byte for byte."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import realistic

    export = realistic.write_jsonl(tmp_path / "export", 3_000, seed=11, shard=1_200, jobs=1)
    script = (
        "import sys; from purecloud_internal_message.arrow import to_parquet;"
        "print(to_parquet(sys.argv[3:], sys.argv[1], errors=sys.argv[2], batch_size=500,"
        " row_group_size=1100))"
    )
    outputs = []
    for pure in (False, True):
        env = {
            k: v for k, v in os.environ.items() if k != "PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS"
        }
        if pure:
            env["PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS"] = "1"
        out = tmp_path / ("pure" if pure else "compiled")
        out.mkdir()
        subprocess.run(
            [
                sys.executable,
                "-c",
                script,
                str(out / "r.parquet"),
                str(out / "e.jsonl"),
                *export.files,
            ],
            check=True,
            env=env,
        )
        outputs.append(((out / "r.parquet").read_bytes(), (out / "e.jsonl").read_bytes()))
    assert outputs[0] == outputs[1]
    assert pq.read_table(io.BytesIO(outputs[0][0])).num_rows == export.good


def test_to_arrow_is_one_chunk_up_to_its_chunk_size() -> None:
    items = [InternalMessage(id=str(number)) for number in range(5)]
    with mock.patch("purecloud_internal_message.arrow._CHUNK_ROWS", 2):
        table = to_arrow(items)
    assert table.column("id").num_chunks == 3
    assert table.equals(to_arrow(items))
    assert to_arrow(items).column("id").num_chunks == 1
    assert to_arrow([]).num_rows == 0
