"""Checking and copying field values: shared by setters, constructors and encoders."""

from __future__ import annotations

from datetime import datetime

from ._errors import describe
from ._fields import DATETIME, MODEL, STR, FieldSpec
from ._timestamps import check_utc_range

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["copy_json", "validate"]


def validate(owner: type, spec: FieldSpec, value: Any) -> None:
    """Raise TypeError unless ``value`` fits the field; None always fits.

    A datetime that cannot be written in UTC is a ValueError: the API form
    would be unwritable.
    """
    if value is None:
        return
    kind = spec.kind
    if kind == STR:
        ok = isinstance(value, str)
        expected = "str"
    elif kind == DATETIME:
        ok = isinstance(value, datetime)
        expected = "datetime"
        if ok:
            check_utc_range(value)
    elif kind == MODEL:
        assert spec.model is not None
        ok = isinstance(value, spec.model)
        expected = spec.model.__name__
    else:
        assert spec.model is not None
        item_type = spec.model
        ok = isinstance(value, list) and all(isinstance(item, item_type) for item in value)
        expected = f"list[{item_type.__name__}]"
        if isinstance(value, list) and not ok:
            bad = next(item for item in value if not isinstance(item, item_type))
            raise TypeError(
                f"{owner.__name__}.{spec.name} takes {expected} or None; "
                f"it got a list holding {describe(bad)}"
            )
    if not ok:
        raise TypeError(
            f"{owner.__name__}.{spec.name} takes {expected} or None, "
            f"got {type(value).__name__}: {describe(value)}"
        )


def copy_json(value: Any) -> Any:
    """A copy of a JSON value that shares no list or dict with the original."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value
