"""The careful decoder: reads any input, collects every problem with its location.

This is the definition of what ``from_dict`` accepts. The generated fast path
(``_codegen``) handles the regular case and hands everything else here; it is
tested to accept nothing this module refuses and to build identical objects.
"""

from __future__ import annotations

from datetime import datetime

from ._errors import ErrorItem, ValidationError, describe
from ._fields import FieldSpec
from ._jsontext import JSON
from ._jsonvalues import JSONTextError, key_problem
from ._timestamps import parse_timestamp, stored_datetime
from ._values import BAD, json_copy, text_problem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._model import Model

__all__ = ["decode", "load_json"]


def load_json(text: Any) -> Any:
    """Parse JSON text for ``from_json``; every failure is a ValidationError."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise ValidationError(
            [ErrorItem((), f"expected JSON text (str or bytes), got {describe(text)}")]
        )
    try:
        return JSON.parse(text)
    except JSONTextError as exc:
        raise ValidationError([ErrorItem((), f"invalid JSON: {exc}")]) from None


def decode(cls: type[Model], data: Any, strict: bool) -> Model:
    """Decode ``data`` into a ``cls`` instance or raise ValidationError listing every problem."""
    errors: list[ErrorItem] = []
    try:
        result = _decode_model(cls, data, [], errors, strict=strict, level=1)
    except Exception as exc:  # pragma: no cover - a last line of defence, not a path we know
        errors.append(ErrorItem((), f"could not decode: {type(exc).__name__}: {exc}"))
    if errors:
        raise ValidationError(errors)
    return result  # type: ignore[return-value]


# The location of the value in hand is ``steps``, one list for the whole decoding:
# each level appends its key or index, changes it as it goes and pops it when done,
# and a tuple of it is made only for a problem. A valid record builds no location.


def _decode_model(
    cls: type[Model],
    data: Any,
    steps: list[str | int],
    errors: list[ErrorItem],
    *,
    strict: bool,
    level: int,
) -> Model | None:
    """A ``cls`` instance from ``data`` (at nesting ``level``, location ``steps``), or
    None with the problems added to ``errors``.
    """
    if not isinstance(data, dict):
        errors.append(
            ErrorItem(tuple(steps), f"expected an object ({cls.__name__}), got {describe(data)}")
        )
        return None
    lookup = cls.__model_lookup__
    start = len(errors)
    values: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    extras: dict[str, Any] = {}
    steps.append("")  # the key in hand
    for key, value in data.items():
        if not isinstance(key, str):
            # Worded by the one rule, as a key inside an unknown field is.
            errors.append(ErrorItem(tuple(steps[:-1]), str(key_problem(key))))
            continue
        if type(key) is not str:
            # A str subclass is its text: its own __hash__ and __eq__ must not hide a
            # field, which would then be kept as an unknown field of the field's name.
            key = str.__str__(key)  # noqa: PLW2901 - the key as text from here on
        steps[-1] = key
        spec = lookup.get(key)
        if spec is None:
            problem = text_problem(key)
            if problem is not None:
                errors.append(
                    ErrorItem(tuple(steps[:-1]), f"object key {describe(key)}: {problem}")
                )
            elif strict:
                errors.append(
                    ErrorItem(
                        tuple(steps), f"unknown field {key!r} of {cls.__name__} (strict mode)"
                    )
                )
            else:
                copied = json_copy(value, level + 1, steps, errors)
                if copied is not BAD:
                    extras[key] = copied
            continue
        if spec.name in spelled:
            errors.append(
                ErrorItem(
                    tuple(steps),
                    f"field {spec.name!r} is given twice, as {spelled[spec.name]!r} and {key!r}",
                )
            )
            continue
        spelled[spec.name] = key
        if value is not None:
            values[spec.name] = _decode_value(
                spec, value, steps, errors, strict=strict, level=level
            )
    steps.pop()
    if len(errors) > start:
        return None
    instance = cls.__new__(cls)
    for spec in cls.__model_fields__:
        value = values.get(spec.name)
        if spec.text_slot is not None:
            parsed, text = value if value is not None else (None, None)
            setattr(instance, spec.slot, parsed)
            setattr(instance, spec.text_slot, text)
        else:
            setattr(instance, spec.slot, value)
    instance._additional_properties = extras or None
    return instance


def _decode_value(
    spec: FieldSpec,
    value: Any,
    steps: list[str | int],
    errors: list[ErrorItem],
    *,
    strict: bool,
    level: int,
) -> Any:
    if spec.is_timestamp:
        return _decode_timestamp(value, steps, errors)
    if spec.is_model:
        assert spec.model is not None
        return _decode_model(spec.model, value, steps, errors, strict=strict, level=level + 1)
    if spec.is_model_list:
        assert spec.model is not None
        if not isinstance(value, list):
            errors.append(
                ErrorItem(
                    tuple(steps),
                    f"expected an array of {spec.model.__name__} objects, got {describe(value)}",
                )
            )
            return None
        model = spec.model
        items: list[Any] = []
        steps.append(0)  # the index in hand
        for index, item in enumerate(value):
            steps[-1] = index
            items.append(_decode_model(model, item, steps, errors, strict=strict, level=level + 2))
        steps.pop()
        return items
    if not isinstance(value, str):
        errors.append(ErrorItem(tuple(steps), f"expected a string, got {describe(value)}"))
        return None
    problem = text_problem(value)
    if problem is not None:
        errors.append(ErrorItem(tuple(steps), problem))
        return None
    if type(value) is not str:
        value = str.__str__(value)
    if strict and spec.enum_lower is not None and value.lower() not in spec.enum_lower:
        assert spec.enum is not None
        errors.append(
            ErrorItem(
                tuple(steps),
                f"unknown value {describe(value)} (strict mode); expected one of "
                f"{', '.join(spec.enum)} (in any case)",
            )
        )
        return None
    return value


def _decode_timestamp(
    value: Any, steps: list[str | int], errors: list[ErrorItem]
) -> tuple[datetime, str | None] | None:
    if isinstance(value, str):
        try:
            return parse_timestamp(value)
        except ValueError as exc:
            errors.append(
                ErrorItem(
                    tuple(steps), f"expected an ISO-8601 timestamp, got {describe(value)} ({exc})"
                )
            )
            return None
    if isinstance(value, datetime):
        try:
            return stored_datetime(value), None
        except ValueError as exc:
            errors.append(ErrorItem(tuple(steps), f"{exc}: {describe(value)}"))
            return None
    errors.append(
        ErrorItem(tuple(steps), f"expected an ISO-8601 timestamp string, got {describe(value)}")
    )
    return None
