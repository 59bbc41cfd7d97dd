"""What introspection tools see of a model: the constructor's signature, and the
pretty printing of rich and IPython. All of it derived from the field table.

The signature is built when asked for (``inspect`` is not imported with the
package), from the class's fields, so ``inspect.signature``, ``help()`` and IPython's
``?`` show every field with its type from a fresh import on, whichever codecs run.
"""

from __future__ import annotations

from datetime import datetime

from ._fields import FieldSpec

TYPE_CHECKING = False
if TYPE_CHECKING:
    from inspect import Signature
    from typing import Any

    from ._model import Model

__all__ = ["annotation", "init_signature", "repr_pretty", "shown_fields"]


def annotation(spec: FieldSpec) -> Any:
    """The field's type as a runtime object, as its declaration reads: ``str | None``,
    ``datetime | None``, ``Address | None``, ``list[Segment] | None``.
    """
    if spec.is_text:
        return str | None
    if spec.is_timestamp:
        return datetime | None
    assert spec.model is not None
    if spec.is_model:
        return spec.model | None
    return list[spec.model] | None  # type: ignore[name-defined]


def init_signature(cls: type[Model]) -> Signature | None:
    """``cls(...)``'s signature from the field table: every field keyword-only, typed,
    defaulting to None. None when a class in the way defines its own ``__init__``
    (its signature is then the one to show).
    """
    if not _generated_init(cls):
        return None
    from inspect import Parameter, Signature

    return Signature(
        [
            Parameter(spec.name, Parameter.KEYWORD_ONLY, default=None, annotation=annotation(spec))
            for spec in cls.__model_fields__
        ]
    )


def _generated_init(cls: type[Model]) -> bool:
    """Whether ``cls()`` runs the constructor generated from the field table."""
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        if init is getattr(klass, "__model_stubs__", {}).get("__init__"):
            return True
        codec = klass.__dict__.get("__model_codec__")
        return codec is not None and init is codec.functions["__init__"]
    return False


def shown_fields(model: Model) -> list[tuple[str, Any]]:
    """The fields a pretty printer shows: those that are set (not None), by Python
    name, then the unknown fields if there are any.
    """
    shown = []
    for spec in model.__model_fields__:
        value = getattr(model, spec.slot)
        if value is not None:
            shown.append((spec.name, value))
    extra = model._additional_properties
    if extra:
        shown.append(("additional_properties", extra))
    return shown


def repr_pretty(model: Model, printer: Any, cycle: bool) -> None:
    """IPython's pretty printing: ``InternalMessage(id='c-1', to_address=Address(name='Bob'))``,
    broken over lines when it is too long for one.
    """
    name = type(model).__name__
    if cycle:
        printer.text(f"{name}(...)")
        return
    with printer.group(len(name) + 1, f"{name}(", ")"):
        for index, (key, value) in enumerate(shown_fields(model)):
            if index:
                printer.text(",")
                printer.breakable()
            printer.text(f"{key}=")
            printer.pretty(value)
