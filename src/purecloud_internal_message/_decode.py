"""The careful decoder: reads any input, collects every problem with its path.

This is the definition of what ``from_dict`` accepts. The generated fast path
(``_codegen``) handles the regular case and hands everything else here; it is
tested to accept nothing this module refuses and to build identical objects.
"""

from __future__ import annotations

from datetime import datetime
from math import isfinite

from ._errors import ErrorItem, ValidationError, describe, join_path
from ._fields import DATETIME, MODEL, MODEL_LIST, FieldSpec
from ._timestamps import check_utc_range, parse_timestamp

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._model import Model

__all__ = ["decode", "load_json", "parse_json"]

_JSON_SCALARS = (str, int, float, bool, type(None))


def parse_json(text: str | bytes | bytearray) -> Any:
    """``json.loads`` refusing ``NaN`` and ``Infinity`` (a ValueError), which
    Python reads but JSON does not have: writing them back would produce text
    no other parser accepts.
    """
    import json  # deferred: json costs ~8 ms at import

    return json.loads(text, parse_constant=_refuse_constant)


def load_json(text: Any) -> Any:
    """:func:`parse_json`, with every failure turned into a ValidationError."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise ValidationError(
            [ErrorItem("", f"expected JSON text (str or bytes), got {describe(text)}")]
        )
    try:
        return parse_json(text)
    except RecursionError:
        raise ValidationError([ErrorItem("", "invalid JSON: nested too deeply")]) from None
    except ValueError as exc:  # JSONDecodeError, bad UTF-8, too many digits in an int
        raise ValidationError([ErrorItem("", f"invalid JSON: {exc}")]) from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def decode(cls: type[Model], data: Any, strict: bool) -> Model:
    """Decode ``data`` into a ``cls`` instance or raise ValidationError listing every problem."""
    errors: list[ErrorItem] = []
    try:
        result = _decode_model(cls, data, "", strict, errors)
    except RecursionError:
        errors.append(ErrorItem("", "input is nested too deeply"))
    except Exception as exc:  # pragma: no cover - a last line of defence, not a path we know
        errors.append(ErrorItem("", f"could not decode: {type(exc).__name__}: {exc}"))
    if errors:
        raise ValidationError(errors)
    return result  # type: ignore[return-value]


def _decode_model(
    cls: type[Model], data: Any, path: str, strict: bool, errors: list[ErrorItem]
) -> Model | None:
    if not isinstance(data, dict):
        errors.append(ErrorItem(path, f"expected an object ({cls.__name__}), got {describe(data)}"))
        return None
    lookup = cls.__model_lookup__
    start = len(errors)
    values: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    extras: dict[str, Any] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            errors.append(ErrorItem(path, f"object key {describe(key)} is not a string"))
            continue
        here = join_path(path, key)
        spec = lookup.get(key)
        if spec is None:
            if strict:
                errors.append(
                    ErrorItem(here, f"unknown field {key!r} of {cls.__name__} (strict mode)")
                )
            elif _check_json_value(value, here, errors):
                extras[key] = value
            continue
        if spec.name in spelled:
            errors.append(
                ErrorItem(
                    here,
                    f"field {spec.name!r} is given twice, as {spelled[spec.name]!r} and {key!r}",
                )
            )
            continue
        spelled[spec.name] = key
        if value is not None:
            values[spec.name] = _decode_value(spec, value, here, strict, errors)
    if len(errors) > start:
        return None
    instance = cls.__new__(cls)
    for spec in cls.__model_fields__:
        value = values.get(spec.name)
        if spec.kind == DATETIME:
            parsed, text = value if value is not None else (None, None)
            setattr(instance, spec.slot, parsed)
            setattr(instance, spec.slot + "_text", text)
        else:
            setattr(instance, spec.slot, value)
    instance._additional_properties = extras or None
    return instance


def _decode_value(
    spec: FieldSpec, value: Any, path: str, strict: bool, errors: list[ErrorItem]
) -> Any:
    kind = spec.kind
    if kind == DATETIME:
        return _decode_timestamp(value, path, errors)
    if kind == MODEL:
        assert spec.model is not None
        return _decode_model(spec.model, value, path, strict, errors)
    if kind == MODEL_LIST:
        assert spec.model is not None
        if not isinstance(value, list):
            errors.append(
                ErrorItem(
                    path,
                    f"expected an array of {spec.model.__name__} objects, got {describe(value)}",
                )
            )
            return None
        return [
            _decode_model(spec.model, item, f"{path}[{index}]", strict, errors)
            for index, item in enumerate(value)
        ]
    if not isinstance(value, str):
        errors.append(ErrorItem(path, f"expected a string, got {describe(value)}"))
        return None
    if strict and spec.enum_lower is not None and value.lower() not in spec.enum_lower:
        assert spec.enum is not None
        errors.append(
            ErrorItem(
                path,
                f"unknown value {describe(value)} (strict mode); expected one of "
                f"{', '.join(spec.enum)} (in any case)",
            )
        )
        return None
    return value


def _decode_timestamp(
    value: Any, path: str, errors: list[ErrorItem]
) -> tuple[datetime, str | None] | None:
    if isinstance(value, str):
        try:
            return parse_timestamp(value)
        except ValueError as exc:
            errors.append(
                ErrorItem(path, f"expected an ISO-8601 timestamp, got {describe(value)} ({exc})")
            )
            return None
    if isinstance(value, datetime):
        try:
            check_utc_range(value)
        except ValueError as exc:
            errors.append(ErrorItem(path, f"{exc}: {describe(value)}"))
            return None
        return value, None
    errors.append(ErrorItem(path, f"expected an ISO-8601 timestamp string, got {describe(value)}"))
    return None


def _check_json_value(value: Any, path: str, errors: list[ErrorItem]) -> bool:
    """Whether ``value`` is plain JSON data (what an unknown field may hold).

    Iterative, so a deeply nested value cannot exhaust the stack.
    """
    ok = True
    pending = [(value, path)]
    while pending:
        item, here = pending.pop()
        if isinstance(item, float) and not isfinite(item):
            errors.append(ErrorItem(here, f"expected a JSON value, got {describe(item)}"))
            ok = False
            continue
        if isinstance(item, _JSON_SCALARS):
            continue
        if isinstance(item, list):
            pending.extend((child, f"{here}[{index}]") for index, child in enumerate(item))
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str):
                    pending.append((child, join_path(here, key)))
                else:
                    errors.append(ErrorItem(here, f"object key {describe(key)} is not a string"))
                    ok = False
        else:
            errors.append(ErrorItem(here, f"expected a JSON value, got {describe(item)}"))
            ok = False
    return ok
