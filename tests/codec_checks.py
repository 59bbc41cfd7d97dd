"""Comparing what the codecs give, in every detail: for the tests that run both paths."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from purecloud_internal_message import Model, ValidationError

UTC = timezone.utc


def shape(value: Any) -> Any:
    """``value`` with every detail equality ignores made visible: types, tzinfo
    identity, kept timestamp text, unknown fields, key order."""
    if isinstance(value, Model):
        slots = []
        for spec in type(value).__model_fields__:
            slots.append((spec.slot, shape(getattr(value, spec.slot))))
            if spec.text_slot is not None:
                slots.append((spec.text_slot, shape(getattr(value, spec.text_slot))))
        slots.append(("_additional_properties", shape(value._additional_properties)))
        return (type(value), slots)
    if isinstance(value, datetime):
        zone = value.tzinfo
        return (type(value), value.isoformat(), zone is UTC, repr(zone), value.fold)
    if isinstance(value, dict):
        return (type(value), [(shape(key), shape(item)) for key, item in value.items()])
    if isinstance(value, list):
        return (type(value), [shape(item) for item in value])
    if type(value).__name__ == "Raw":  # msgspec.Raw: a float prepared for msgspec's writer
        return (type(value), bytes(value))
    return (type(value), repr(value))


def outcome(function: Any, *args: Any, **kwargs: Any) -> Any:
    """What ``function(*args, **kwargs)`` gives, or the error it raises, as comparable data."""
    try:
        result = function(*args, **kwargs)
    except ValidationError as error:
        return ("ValidationError", [(item.path, item.message) for item in error.errors])
    except Exception as error:
        return (type(error).__name__, str(error))
    return ("ok", shape(result))
