"""JSON Schema (draft 2020-12) of a model's API form, derived from the field table.

The schema describes what ``from_dict`` accepts in the API's spelling
(camelCase keys): every field may be absent or null, timestamps are
``date-time`` strings, nested models are ``$ref``s into ``$defs``, and a list
of models refuses a null item. Without ``strict`` unknown properties are
allowed (the models keep them); with ``strict`` they are refused and enum
fields must hold a documented value in any case, as ``from_dict(strict=True)``
decides.
"""

from __future__ import annotations

from ._fields import FieldSpec, models_within, summary

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._model import Model

__all__ = ["DIALECT", "enum_pattern", "json_schema"]

#: The ``$schema`` of every generated schema.
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(model: type[Model], *, strict: bool = False) -> dict[str, Any]:
    """The schema of ``model``'s API form, with every nested model under ``$defs``."""
    defs = {
        nested.__name__: _object_schema(nested, model, strict)
        for nested in models_within(model)[1:]  # the first is the model itself
    }
    schema: dict[str, Any] = {"$schema": DIALECT, **_object_schema(model, model, strict)}
    if defs:
        schema["$defs"] = defs
    return schema


def _object_schema(model: type[Model], root: type[Model], strict: bool) -> dict[str, Any]:
    return {
        "title": model.__name__,
        "description": summary(model),
        "type": "object",
        "properties": {
            spec.key: _field_schema(spec, root, strict) for spec in model.__model_fields__
        },
        "additionalProperties": not strict,
    }


def _field_schema(spec: FieldSpec, root: type[Model], strict: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"description": spec.doc}
    if spec.is_text:
        schema["type"] = ["string", "null"]
        if spec.enum is not None:
            schema["examples"] = list(spec.enum)
            if strict:
                # JSON Schema's "enum" is case-sensitive; the API's enums are not.
                schema["pattern"] = enum_pattern(spec.enum)
    elif spec.is_timestamp:
        schema["type"] = ["string", "null"]
        schema["format"] = "date-time"
    elif spec.is_model:
        assert spec.model is not None
        schema["anyOf"] = [{"$ref": _ref(spec.model, root)}, {"type": "null"}]
    elif spec.is_model_list:
        assert spec.model is not None
        schema["type"] = ["array", "null"]
        schema["items"] = {"$ref": _ref(spec.model, root)}
    else:  # pragma: no cover - parse_annotation admits no other kind
        raise AssertionError(spec.kind)
    return schema


def _ref(model: type[Model], root: type[Model]) -> str:
    return "#" if model is root else f"#/$defs/{model.__name__}"


def enum_pattern(values: tuple[str, ...]) -> str:
    r"""A regular expression matching exactly ``values``, in any letter case.

    Written for both ECMA-262 (the dialect JSON Schema names) and Python's
    ``re``: no inline flags, and ``(?![\s\S])`` instead of ``$``, which in
    Python also matches before a final newline.
    """
    alternatives = "|".join("".join(_any_case(char) for char in value) for value in values)
    return f"^(?:{alternatives})(?![\\s\\S])"


def _any_case(char: str) -> str:
    lower, upper = char.lower(), char.upper()
    if lower != upper and len(lower) == len(upper) == 1:
        return f"[{lower}{upper}]"
    return _escape(char)


def _escape(char: str) -> str:
    return "\\" + char if char in "\\^$.|?*+()[]{}/-" else char
