"""pydantic v2 support: a model class as a field type, a ``TypeAdapter`` type or a FastAPI body.

The only module that imports pydantic. [`Model`][purecloud_internal_message.Model]'s
``__get_pydantic_core_schema__`` and ``__get_pydantic_json_schema__`` import it when
pydantic calls them, so ``import purecloud_internal_message`` never loads pydantic.

- **Validation** goes through the package's own decoder: an instance of the class is
  taken as it is; anything else is given to ``from_dict`` (API or SDK spelling, in
  pydantic's JSON mode the values pydantic's parser read). Every problem the decoder
  finds becomes one pydantic error with the problem's own ``loc``
  (``('messages', 2, 'messageTime')``; pydantic puts the field's in front). pydantic's
  strict mode (model config, ``Field(strict=True)``, ``Strict()``,
  ``model_validate(..., strict=True)``) is ``from_dict(strict=True)``: pydantic picks
  the branch of a lax-or-strict schema.
- **Serialization**: the model object itself in Python mode (``model_dump()``), its
  API form (``to_api_dict()``) in JSON mode (``model_dump_json()``, FastAPI responses).
- **JSON Schema**: the package's own
  ([`json_schema`][purecloud_internal_message.Model.json_schema]), each model a named
  definition in pydantic's ``$defs`` (or FastAPI's ``components/schemas``), named and
  referenced by pydantic so that names never clash.
"""

from __future__ import annotations

from pydantic_core import (
    PydanticCustomError,
    PydanticSerializationUnexpectedValue,
    core_schema,
)
from pydantic_core import ValidationError as PydanticValidationError

from ._errors import ValidationError
from ._fields import models_within

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from pydantic import GetJsonSchemaHandler
    from pydantic_core import CoreSchema

    from ._model import Model

__all__ = ["ERROR_TYPE", "core_schema_of", "json_schema_of"]

#: The ``type`` of every pydantic error that reports a problem the decoder found.
ERROR_TYPE = "purecloud_internal_message"


def core_schema_of(cls: type[Model]) -> CoreSchema:
    """The pydantic core schema of ``cls``: validated by the package's decoder, lax or strict."""
    return core_schema.lax_or_strict_schema(
        lax_schema=_validator(cls, strict=False),
        strict_schema=_validator(cls, strict=True),
        serialization=core_schema.plain_serializer_function_ser_schema(
            _serializer(cls), info_arg=True
        ),
        # A named definition, as pydantic's own models are: the JSON Schema refers
        # to it, and pydantic renames the reference when an annotation (Strict())
        # makes a different schema of it.
        ref=_reference(cls, strict=False),
    )


def _reference(model: type[Model], *, strict: bool) -> str:
    # pydantic names a definition after the part between the last dot and the colon,
    # and tells classes of the same name apart by module and then by the number.
    reference = f"{model.__module__}.{model.__qualname__}:{id(model)}"
    return reference + "_strict" if strict else reference


def _validator(cls: type[Model], *, strict: bool) -> CoreSchema:
    from_dict = cls.from_dict

    def validate(value: Any) -> Model:
        if isinstance(value, cls):
            return value
        try:
            return from_dict(value, strict=strict)
        except ValidationError as error:
            raise _pydantic_error(cls, value, error) from None

    return core_schema.no_info_plain_validator_function(validate)


def _pydantic_error(cls: type[Model], data: Any, error: ValidationError) -> PydanticValidationError:
    """``error``'s problems as pydantic errors; pydantic adds the field's own ``loc`` in front."""
    line_errors: list[Any] = []
    for item in error.errors:
        line_errors.append(
            {
                # Given no context, pydantic fills in nothing: the message is final
                # text, braces and all. (A "{message}" template with the text in the
                # context would say it twice in every FastAPI 422 answer.)
                "type": PydanticCustomError(ERROR_TYPE, item.message),  # pyright: ignore[reportArgumentType]
                "loc": item.loc,
                "input": _value_at(data, item.loc),
            }
        )
    return PydanticValidationError.from_exception_data(cls.__name__, line_errors)


def _value_at(data: Any, loc: tuple[str | int, ...]) -> Any:
    """The value at ``loc`` in ``data`` (pydantic's ``input``); None where it cannot be read."""
    try:
        for step in loc:
            data = data[step]
    except Exception:  # a container whose own methods raise (a hostile dict subclass)
        return None
    return data


def _serializer(cls: type[Model]) -> Callable[[Any, Any], Any]:
    def serialize(value: Any, info: Any) -> Any:
        if not isinstance(value, cls):
            # pydantic warns, or in a union tries the next type.
            raise PydanticSerializationUnexpectedValue(
                f"expected {cls.__name__}, got {type(value).__name__}"
            )
        return value.to_api_dict() if info.mode_is_json() else value

    return serialize


def json_schema_of(
    cls: type[Model], schema: CoreSchema, handler: GetJsonSchemaHandler
) -> dict[str, Any]:
    """The JSON Schema of ``cls`` in pydantic's terms: ``cls.json_schema()``'s root, with
    every nested model put in pydantic's definitions and referenced the way pydantic
    references them (its names, its ``ref_template``).

    Strict (``additionalProperties: false``, documented enum values only) where the
    field is marked strict (``Strict()``, ``Field(strict=True)``) and in validation mode;
    a strict model config pydantic does not pass on to JSON Schema generation.
    """
    strict = handler.mode == "validation" and schema.get("strict") is True
    own = cls.json_schema(strict=strict)
    nested = {model.__name__: model for model in models_within(cls)[1:]}
    root_reference = schema.get("ref", _reference(cls, strict=strict))
    # Ask pydantic how it refers to each definition: it picks the name.
    refs = {"#": _json_ref(handler, root_reference)}
    references = {name: _reference(model, strict=strict) for name, model in nested.items()}
    for name, reference in references.items():
        refs[f"#/$defs/{name}"] = _json_ref(handler, reference)
    definitions = own.pop("$defs", {})
    definitions_schemas: list[CoreSchema] = [
        core_schema.any_schema(
            ref=references[name],
            metadata={"pydantic_js_functions": [_fixed(_rewrite_refs(body, refs))]},
        )
        for name, body in definitions.items()
    ]
    if definitions_schemas:
        handler(core_schema.definitions_schema(core_schema.any_schema(), definitions_schemas))
    del own["$schema"]
    return _rewrite_refs(own, refs)  # type: ignore[no-any-return]


def _json_ref(handler: GetJsonSchemaHandler, reference: str) -> str:
    return handler(core_schema.definition_reference_schema(reference))["$ref"]  # type: ignore[no-any-return]


def _fixed(schema: dict[str, Any]) -> Callable[[Any, Any], dict[str, Any]]:
    def json_schema(_core: Any, _handler: Any) -> dict[str, Any]:
        return schema

    return json_schema


def _rewrite_refs(value: Any, refs: dict[str, str]) -> Any:
    """A copy of a schema with its ``$ref``s to ``#`` and ``#/$defs/...`` replaced."""
    if isinstance(value, dict):
        return {
            key: refs.get(item, item) if key == "$ref" else _rewrite_refs(item, refs)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_rewrite_refs(item, refs) for item in value]
    return value
