"""The Arrow columns of models as ``to_arrow`` built them before the column encoders:
``pyarrow.array`` of each field's values, per column. The test oracle of what a
table holds (tests/test_columns.py compares both encoders with it).
"""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import accumulate
from operator import attrgetter
from typing import Any

import pyarrow as pa

from purecloud_internal_message import Model, fields
from purecloud_internal_message._columns_py import Unfit, unknown_text
from purecloud_internal_message.arrow import arrow_schema

UTC = timezone.utc


def reference_table(items: list[Model], model: type[Model], unit: str) -> pa.Table:
    """The table of ``items``; `Unfit` if one of them holds what the columns cannot."""
    arrays = _columns(model, items, unit, level=1, nullable=False)
    return pa.Table.from_arrays(arrays, schema=arrow_schema(model, unit=unit))


def _columns(
    model: type[Model], items: list[Any], unit: str, *, level: int, nullable: bool
) -> list[pa.Array]:
    arrays: list[pa.Array] = []
    for spec in fields(model):
        get = attrgetter(spec.slot)
        if nullable:
            values = [None if item is None else get(item) for item in items]
        else:
            values = list(map(get, items))
        if spec.is_text:
            arrays.append(pa.array(values, pa.string()))
        elif spec.is_timestamp:
            arrays.append(_timestamps(values, unit))
        elif spec.is_model:
            assert spec.model is not None
            arrays.append(_structs(spec.model, values, unit, level=level + 1))
        else:
            assert spec.model is not None
            arrays.append(_lists(spec.model, values, unit, level=level + 2))
    extras = [None if item is None else item._additional_properties for item in items]
    if not any(extras):
        arrays.append(pa.nulls(len(items), pa.string()))
    else:
        texts = [unknown_text(extra, level) if extra else None for extra in extras]
        arrays.append(pa.array(texts, pa.string()))
    return arrays


def _timestamps(values: list[Any], unit: str) -> pa.Array:
    for value in values:
        if value is not None and value.tzinfo is not UTC and value.tzinfo is not None:
            # pyarrow drops the sub-second part of an offset: hand it UTC instants.
            values = [_utc_wall_time(value) for value in values]
            break
    array = pa.array(values, pa.timestamp("us", tz="UTC"))
    if unit == "us":
        return array
    try:
        return array.cast(pa.timestamp(unit, tz="UTC"))
    except pa.ArrowInvalid:
        raise Unfit from None


def _utc_wall_time(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    offset = value.utcoffset()
    if offset is None:
        return value
    return (value - offset).replace(tzinfo=None)


def _null_mask(values: list[Any]) -> pa.Array | None:
    nulls = [value is None for value in values]
    return pa.array(nulls, pa.bool_()) if True in nulls else None


def _structs(model: type[Model], values: list[Any], unit: str, *, level: int) -> pa.Array:
    mask = _null_mask(values)
    children = _columns(model, values, unit, level=level, nullable=mask is not None)
    struct_fields = list(arrow_schema(model, unit=unit))
    return pa.StructArray.from_arrays(children, fields=struct_fields, mask=mask)


def _lists(model: type[Model], values: list[Any], unit: str, *, level: int) -> pa.Array:
    offsets = pa.array(
        accumulate((len(value) if value else 0 for value in values), initial=0), pa.int32()
    )
    flat = [item for value in values if value for item in value]
    elements = _structs(model, flat, unit, level=level)
    list_type = pa.list_(pa.field("element", elements.type))
    return pa.ListArray.from_arrays(offsets, elements, type=list_type, mask=_null_mask(values))
