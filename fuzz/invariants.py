"""The promise every fuzz target and the hostile property test check.

For any input, ``from_dict``/``from_json`` either return a model that every
public operation can handle, or raise ``ValidationError``. So:

- [`outcome`][] runs a decoder and lets only a ``ValidationError`` through as a
  refusal (checking that the error itself can be printed and pickled); any other
  exception propagates, which is what the fuzzer reports as a finding;
- [`check_model`][] runs every public operation on an accepted model: the
  writers, ``repr``, ``==``, ``copy``, ``deepcopy``, pickle, the setters,
  ``replace``, the constructor, ``additional_properties``, and, where they are
  installed, pydantic, Arrow and the JSON Schema; and checks that the API text
  decodes again (in the same mode) to a model that writes the same text.

A broken promise is an ``AssertionError`` (or whatever the failing operation
raised), never swallowed.
"""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from typing import Any

from purecloud_internal_message import Model, ValidationError, fields, replace

__all__ = ["check_error", "check_model", "outcome", "same_outcome"]

_PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)


def outcome(decode: Callable[[], Model]) -> Model | ValidationError:
    """The model ``decode()`` returns, or the ``ValidationError`` it raises
    (after checking it); any other exception goes on up."""
    try:
        model = decode()
    except ValidationError as error:
        check_error(error)
        return error
    assert isinstance(model, Model), f"a decoder returned {type(model).__name__}"
    return model


def check_error(error: ValidationError) -> None:
    """A refusal is reported in usable form: at least one problem, each a path and
    a message, printable (bounded) and picklable."""
    assert error.errors, "a ValidationError names no problem"
    for item in error.errors:
        assert type(item.path) is str and type(item.message) is str, repr(item)
    assert type(str(error)) is str
    repr(error)
    again = pickle.loads(pickle.dumps(error))
    assert [(i.path, i.message) for i in again.errors] == [
        (i.path, i.message) for i in error.errors
    ]


def same_outcome(first: Model | ValidationError, second: Model | ValidationError) -> bool:
    """Whether two decodings agree: the same problems, or models writing the same text."""
    if isinstance(first, ValidationError) or isinstance(second, ValidationError):
        if not (isinstance(first, ValidationError) and isinstance(second, ValidationError)):
            return False
        return [(i.path, i.message) for i in first.errors] == [
            (i.path, i.message) for i in second.errors
        ]
    return type(first) is type(second) and first.to_api_json() == second.to_api_json()


def check_model(model: Model, *, strict: bool, heavy: bool = True) -> None:
    """Run every public operation on ``model`` (accepted by a decoder in ``strict``
    mode) and check that they agree with each other.

    ``heavy`` adds the integrations (pydantic, Arrow, JSON Schema), when installed.
    """
    cls = type(model)

    # -- the writers ---------------------------------------------------------------
    text = model.to_api_json()
    assert type(text) is str
    api = model.to_api_dict()
    sdk = model.to_dict()
    assert json.loads(text) == api, "to_api_json() and to_api_dict() disagree"
    json.loads(model.to_json())
    assert json.loads(model.to_api_json(indent=2)) == api
    shown = repr(model)
    assert shown == model.to_str()
    assert type(model).__str__ is object.__str__  # so str() is repr() (each costs a pformat)
    list(model.__rich_repr__())
    text.encode("utf-8")  # Unicode text: no lone surrogate got through
    shown.encode("utf-8")

    # -- the API text decodes again, in the same mode, to the same text -----------------
    for source in (text, text.encode("utf-8")):
        again = cls.from_json(source, strict=strict)
        assert again.to_api_json() == text, "from_json(to_api_json()) writes other text"
    assert cls.from_dict(api, strict=strict).to_api_json() == text
    from_sdk = cls.from_dict(sdk, strict=strict)
    assert from_sdk == model, "from_dict(to_dict()) is not equal"
    assert from_sdk.to_api_json() == text

    # -- equality, copies, pickle ----------------------------------------------------
    assert model == model  # noqa: PLR0124 - the point
    assert (model != model) is False  # noqa: PLR0124
    assert (model == object()) is False and (model != object()) is True
    assert cls.__hash__ is None  # mutable: not hashable, like the SDK's models
    duplicates = [copy.copy(model), copy.deepcopy(model)]
    duplicates += [pickle.loads(pickle.dumps(model, protocol)) for protocol in _PROTOCOLS]
    for duplicate in duplicates:
        assert type(duplicate) is cls
        assert duplicate == model
        assert duplicate.to_api_json() == text

    # -- setters, replace, the constructor, additional_properties ----------------------
    extra = dict(model.additional_properties)
    known = cls.__model_lookup__
    assert not any(key in known for key in extra), "an unknown field has a field's name"
    values = {spec.name: getattr(model, spec.name) for spec in fields(cls)}
    built = cls(**values)
    built.additional_properties = extra
    assert built == model
    changed = replace(model, **values)
    assert changed == model
    target = copy.copy(model)
    for name, value in values.items():
        setattr(target, name, value)
    target.additional_properties = copy.deepcopy(extra)
    assert target == model
    assert target.to_api_json() == built.to_api_json() == changed.to_api_json()

    if heavy:
        _check_integrations(model, text, api, strict=strict)


def _check_integrations(model: Model, text: str, api: dict[str, Any], *, strict: bool) -> None:
    cls = type(model)
    adapter = _adapter(cls)
    if adapter is not None:
        assert adapter.validate_python(model) is model
        assert json.loads(adapter.dump_json(model)) == api
        validated = adapter.validate_json(text, strict=strict)
        assert validated.to_api_json() == text, "pydantic's JSON parser read other values"
    validator = _schema_validator(cls, strict)
    if validator is not None:
        problems = [error.message for error in validator.iter_errors(api)]
        assert not problems, f"the API form does not match json_schema(strict={strict})"
    arrow = _arrow()
    if arrow is not None:
        table = arrow.to_arrow([model], cls, unit="us")
        (back,) = arrow.from_arrow(table, cls)
        assert back.to_api_json() == text, "Arrow gives back other values"


# -- the optional integrations, loaded once when installed ------------------------------

_ADAPTERS: dict[type, Any] = {}
_VALIDATORS: dict[tuple[type, bool], Any] = {}
_MISSING = object()
_ARROW: Any = None


def _adapter(cls: type[Model]) -> Any:
    if cls not in _ADAPTERS:
        try:
            from pydantic import TypeAdapter
        except ImportError:
            _ADAPTERS[cls] = None
        else:
            _ADAPTERS[cls] = TypeAdapter(cls)
    return _ADAPTERS[cls]


def _schema_validator(cls: type[Model], strict: bool) -> Any:
    key = (cls, strict)
    if key not in _VALIDATORS:
        try:
            import jsonschema
        except ImportError:
            _VALIDATORS[key] = None
        else:
            _VALIDATORS[key] = jsonschema.Draft202012Validator(
                cls.json_schema(strict=strict),
                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
            )
    return _VALIDATORS[key]


def _arrow() -> Any:
    global _ARROW  # noqa: PLW0603 - loaded once
    if _ARROW is None:
        try:
            from purecloud_internal_message import arrow
        except ImportError:
            _ARROW = _MISSING
        else:
            _ARROW = arrow
    return None if _ARROW is _MISSING else _ARROW
