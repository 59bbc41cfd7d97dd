"""The peers' equivalents of the four models: pydantic v2 and msgspec.

Both are built from this package's field tables, so they cannot drift from the
models they are compared with: camelCase on the wire, every field optional.
Each is built on first access (``peers.PydanticInternalMessage``,
``peers.StructInternalMessage``), so a script that uses one peer imports only
that peer's library.

One more peer is this package itself as it was when the previous figures were
published: ``bench.py`` extracts it under another name and names its directory
in ``BENCH_PREVIOUS``; ``previous_package()`` loads it.
"""

from __future__ import annotations

import importlib
import os
import sys
from datetime import datetime
from typing import Any

from purecloud_internal_message import InternalMessage, Model, fields


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


def _pydantic() -> Any:
    from pydantic import BaseModel, ConfigDict, create_model
    from pydantic.alias_generators import to_camel

    class _Pydantic(BaseModel):
        model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    return _build(
        InternalMessage,
        {},
        lambda name, specs: create_model(
            f"Pydantic{name}", __base__=_Pydantic, **{field: (kind, None) for field, kind in specs}
        ),
    )


def _msgspec() -> Any:
    import msgspec

    return _build(
        InternalMessage,
        {},
        lambda name, specs: msgspec.defstruct(
            f"Struct{name}",
            [(field, kind, None) for field, kind in specs],
            rename="camel",
            omit_defaults=True,
        ),
    )


#: The name the previous package is extracted under (it uses only relative imports).
PREVIOUS_PACKAGE = "purecloud_internal_message_previous"


def previous_package() -> Any:
    """The package the previous figures came from, or None when ``BENCH_PREVIOUS`` is unset."""
    directory = os.environ.get("BENCH_PREVIOUS")
    if not directory:
        return None
    if directory not in sys.path:
        sys.path.insert(0, directory)
    return importlib.import_module(PREVIOUS_PACKAGE)


_BUILDERS = {"PydanticInternalMessage": _pydantic, "StructInternalMessage": _msgspec}


def __getattr__(name: str) -> Any:
    builder = _BUILDERS.get(name)
    if builder is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = builder()
    globals()[name] = value
    return value
