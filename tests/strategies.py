"""Hypothesis strategies for API payloads, derived from the models' field tables."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from purecloud_internal_message import InternalMessage, Model, fields

UTC = timezone.utc

# How many examples each property test draws, relative to its own count: 1 by default.
# CI's matrix runs the suite on the extra interpreters with a fraction (every test
# still runs; the primary interpreter draws them all, on both paths).
_EXAMPLES_SCALE = float(os.environ.get("PURECLOUD_TEST_EXAMPLES_SCALE", "1"))


def examples(count: int) -> int:
    """``count`` examples, scaled by ``PURECLOUD_TEST_EXAMPLES_SCALE`` (at least 10)."""
    return max(10, round(count * _EXAMPLES_SCALE))


# Timestamps the API itself writes: UTC, millisecond precision.
api_datetimes = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda value: value.replace(microsecond=value.microsecond // 1000 * 1000, tzinfo=UTC)
)


def api_timestamp(value: datetime) -> str:
    """The API's own spelling of a UTC millisecond timestamp."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


api_timestamps = api_datetimes.map(api_timestamp)

# Any text at all, including astral characters, escapes and empty strings.
texts = st.text(max_size=12)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | texts
    | st.floats(allow_nan=False, allow_infinity=False)
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=8,
)


def _case_variants(value: str) -> st.SearchStrategy[str]:
    return st.sampled_from([value, value.upper(), value.capitalize()])


def enum_values(values: tuple[str, ...], *, known_only: bool) -> st.SearchStrategy[str]:
    """Documented enum values in any case, and (unless known_only) values the SDK never saw."""
    known = st.sampled_from(values).flatmap(_case_variants)
    if known_only:
        return known
    return known | st.sampled_from(["queued", "parked", "NEW_STATE", "outdated_sdk_version"])


def unknown_keys(model: type[Model]) -> st.SearchStrategy[str]:
    """Keys that are neither spelling of a field of ``model``."""
    known = {spec.key for spec in fields(model)} | {spec.name for spec in fields(model)}
    return st.text(min_size=1, max_size=10).filter(lambda key: key not in known)


@st.composite
def api_payloads(
    draw: st.DrawFn,
    model: type[Model] = InternalMessage,
    *,
    nulls: bool = True,
    unknown: bool = True,
    enum_nulls: bool = True,
    known_enums_only: bool = False,
    max_items: int = 3,
) -> dict[str, Any]:
    """A canonical API payload for ``model``: camelCase keys, canonical timestamps.

    Fields are present or absent at random; with ``nulls`` a present field may
    be null; with ``unknown`` the payload (at every level) may carry keys the
    model does not know.
    """
    payload: dict[str, Any] = {}
    for spec in fields(model):
        if not draw(st.booleans()):
            continue
        if nulls and (spec.enum is None or enum_nulls) and draw(st.integers(0, 5)) == 0:
            payload[spec.key] = None
            continue
        nested = dict(
            nulls=nulls,
            unknown=unknown,
            enum_nulls=enum_nulls,
            known_enums_only=known_enums_only,
            max_items=max_items,
        )
        if spec.kind == "str":
            if spec.enum:
                payload[spec.key] = draw(enum_values(spec.enum, known_only=known_enums_only))
            else:
                payload[spec.key] = draw(texts)
        elif spec.kind == "datetime":
            payload[spec.key] = draw(api_timestamps)
        elif spec.kind == "model":
            assert spec.model is not None
            payload[spec.key] = draw(api_payloads(spec.model, **nested))  # type: ignore[arg-type]
        else:
            assert spec.model is not None
            payload[spec.key] = draw(
                st.lists(api_payloads(spec.model, **nested), max_size=max_items)  # type: ignore[arg-type]
            )
    if unknown:
        extras = draw(st.dictionaries(unknown_keys(model), json_values, max_size=2))
        payload.update(extras)
    return payload


def shift_offset(value: datetime, hours: int) -> datetime:
    """The same instant, written with a UTC offset of ``hours``."""
    return value.astimezone(timezone(timedelta(hours=hours)))
