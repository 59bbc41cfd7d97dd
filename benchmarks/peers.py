"""The peers' equivalents of the four models: pydantic v2 and msgspec.

Both are built from this package's field tables, so they cannot drift from the
models they are compared with: camelCase on the wire, every field optional.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from pydantic import BaseModel, ConfigDict, create_model
from pydantic.alias_generators import to_camel

from purecloud_internal_message import InternalMessage, Model, fields


class _Pydantic(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


def _annotation(spec: Any, built: dict[type[Model], Any]) -> Any:
    base: Any = {"str": str, "datetime": datetime}.get(spec.kind)
    if spec.kind == "model":
        base = built[spec.model]
    elif spec.kind == "list":
        base = list[built[spec.model]]  # type: ignore[index]
    return base | None


def _build(model: type[Model], built: dict[type[Model], Any], make: Any) -> Any:
    """Build ``model``'s equivalent (nested models first) with ``make(name, specs)``."""
    if model not in built:
        for spec in fields(model):
            if spec.model is not None:
                _build(spec.model, built, make)
        built[model] = make(
            model.__name__, [(spec.name, _annotation(spec, built)) for spec in fields(model)]
        )
    return built[model]


PydanticInternalMessage: Any = _build(
    InternalMessage,
    {},
    lambda name, specs: create_model(
        f"Pydantic{name}", __base__=_Pydantic, **{field: (kind, None) for field, kind in specs}
    ),
)

StructInternalMessage: Any = _build(
    InternalMessage,
    {},
    lambda name, specs: msgspec.defstruct(
        f"Struct{name}",
        [(field, kind, None) for field, kind in specs],
        rename="camel",
        omit_defaults=True,
    ),
)
