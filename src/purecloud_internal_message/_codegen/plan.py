"""The plan both code generators read: the models in order, the functions, the names.

Everything the emitters (`emit_py`, `emit_cy`) know about the models comes from
here, read from the field tables once:

- which models, in which order (`package_models`, `plan`): the record and every
  model nested in it, in the order first named;
- which functions each model gets (`FUNCTIONS`);
- the names the generated code refers to (`GLOBALS`): the import header of the
  written-out modules and the namespace that `compile_codec` runs a subclass's
  code in, from one table;
- per field: its keys and spellings, its slots, its enum values, what kind of
  value it holds (`FieldPlan`, read through `FieldSpec`'s predicates).

A new field or a new nested model is a change of the field tables only: the
emitters walk what the plan gives them.
"""

from __future__ import annotations

import builtins

from .._fields import models_within, untrackable
from .._model import GENERATED

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from .._fields import FieldSpec
    from .._model import Model

__all__ = [
    "API",
    "FUNCTIONS",
    "GLOBALS",
    "PYTHON",
    "SAME",
    "FieldPlan",
    "Global",
    "ModelPlan",
    "import_lines",
    "namespace",
    "package_models",
    "plan",
]

#: The package the generated modules live in (relative imports start here).
PACKAGE = __name__.rsplit(".", 2)[0]

#: The functions generated for each model, by the name they take on the class (the
#: model base class declares them: it holds their stubs).
FUNCTIONS = GENERATED

# -- the names generated code refers to ---------------------------------------------

_PY = frozenset({"py"})
_CY = frozenset({"cy"})
_BOTH = _PY | _CY


class Global:
    """A name the generated code uses, and where it comes from.

    (A plain class, not a NamedTuple: the package does not import ``typing`` at run time.)
    """

    __slots__ = ("attribute", "module", "name", "targets")

    def __init__(self, name: str, module: str, attribute: str, targets: frozenset[str]) -> None:
        #: The name in the generated code.
        self.name = name
        #: The module it is imported from: absolute, or relative to the package ("."
        #: is the package itself); "builtins" for a builtin's attribute.
        self.module = module
        #: Its name in that module (for "builtins", an attribute path: ``object.__new__``).
        self.attribute = attribute
        #: The generated modules that use it: "py" (``_codecs_py`` and the code
        #: ``compile_codec`` runs), "cy" (``_codecs_c.pyx``).
        self.targets = targets


#: Every name the generated code imports, once.
GLOBALS: tuple[Global, ...] = (
    Global("_datetime", "datetime", "datetime", _BOTH),
    Global("_tracking", ".", "_tracking", _BOTH),
    Global("_careful", "._decode", "decode", _BOTH),
    Global("_load_json", "._decode", "load_json", _BOTH),
    Global("_json", "._jsontext", "JSON", _BOTH),
    Global("_JSONTextError", "._jsonvalues", "JSONTextError", _CY),
    Global("_INT_BOUND", "._limits", "INT_BOUND", _CY),
    Global("_MAX_DEPTH_VALUE", "._limits", "MAX_DEPTH", _CY),
    Global("_UTC", "._timestamps", "UTC", _BOTH),
    Global("_fmt", "._timestamps", "format_timestamp", _BOTH),
    Global("_stored", "._timestamps", "stored_datetime_or_none", _BOTH),
    Global("_fromiso", "._timestamps", "from_canonical", _PY),
    Global("_read_fast", "._timestamps", "read_fast", _PY),
    Global("_zone", "._timestamps", "zone", _CY),
    Global("_BAD_VALUE", "._values", "BAD", _CY),
    Global("_copy_api", "._values", "copy_api", _BOTH),
    Global("_copy_sdk", "._values", "copy_sdk", _BOTH),
    Global("_copy_wire", "._values", "copy_wire", _BOTH),
    Global("_json_copy", "._values", "json_copy", _CY),
    Global("_text_ok", "._values", "text_ok", _PY),
    Global("_unknown", "._values", "unknown_fields", _PY),
    Global("_validate", "._values", "validate", _PY),
    Global("_py", ".", "_codecs_py", _CY),
    Global("_Unfit", "._columns_py", "Unfit", _CY),
    Global("_unknown_text", "._columns_py", "unknown_text", _CY),
    Global("_encode_py", "._columns_py", "encode", _CY),
    Global("_new", "builtins", "object.__new__", _PY),
)


def import_lines(target: str) -> list[str]:
    """The lines that bring ``target``'s names of `GLOBALS` into a written-out module:
    the imports, then (after a blank line) the names given a builtin's attribute.
    """
    imports, assignments = [], []
    for entry in GLOBALS:
        if target not in entry.targets:
            continue
        if entry.module == "builtins":
            assignments.append(f"{entry.name} = {entry.attribute}")
        elif entry.name == entry.attribute:
            imports.append(f"from {entry.module} import {entry.name}")
        else:
            imports.append(f"from {entry.module} import {entry.attribute} as {entry.name}")
    return [*imports, "", *assignments] if assignments else imports


def namespace() -> dict[str, Any]:
    """The Python target's names of `GLOBALS`, for code that ``compile_codec`` runs."""
    import importlib

    found: dict[str, Any] = {}
    for entry in GLOBALS:
        if "py" not in entry.targets:
            continue
        if entry.module == "builtins":
            value: Any = builtins
            for part in entry.attribute.split("."):
                value = getattr(value, part)
        else:
            module = importlib.import_module(entry.module, PACKAGE)
            value = getattr(module, entry.attribute, None)
            if value is None:  # a submodule not imported yet
                value = importlib.import_module(f"{module.__name__}.{entry.attribute}")
        found[entry.name] = value
    return found


# -- the models and their fields --------------------------------------------------------

#: How a key text names its field: in both spellings (the API key is the Python
#: name), as the API key only, or as the Python name only.
SAME, API, PYTHON = 0, 1, 2


class FieldPlan:
    """One field as the emitters see it."""

    __slots__ = (
        "enum",
        "enum_lower",
        "index",
        "is_model",
        "is_model_list",
        "is_text",
        "is_timestamp",
        "key",
        "name",
        "nested",
        "slot",
        "spec",
        "spellings",
        "text_slot",
    )

    def __init__(self, spec: FieldSpec, index: int) -> None:
        self.spec = spec
        #: Its position in the model's field table.
        self.index = index
        self.name = spec.name
        self.key = spec.key
        self.slot = spec.slot
        #: The slot of a timestamp's kept API text; None for other fields.
        self.text_slot = spec.text_slot
        self.is_text = spec.is_text
        self.is_timestamp = spec.is_timestamp
        self.is_model = spec.is_model
        self.is_model_list = spec.is_model_list
        #: The documented enum values as declared, or None.
        self.enum = spec.enum
        #: The enum values lower-cased and sorted, or None.
        self.enum_lower = sorted(spec.enum_lower) if spec.enum_lower else None
        #: Each text that names the field, with how (`SAME`, `API`, `PYTHON`).
        self.spellings: tuple[tuple[str, int], ...] = (
            ((spec.key, SAME),) if spec.key == spec.name else ((spec.key, API), (spec.name, PYTHON))
        )
        #: The plan of the nested model (model and list fields), else None.
        self.nested: ModelPlan | None = None


class ModelPlan:
    """One model as the emitters see it."""

    __slots__ = (
        "api_keys",
        "api_only",
        "cls",
        "fields",
        "module",
        "name",
        "python_names",
        "python_only",
        "ref",
        "untrackable",
    )

    def __init__(self, cls: type[Model], ref: str) -> None:
        self.cls = cls
        self.name = cls.__name__
        #: The name generated code gives the class.
        self.ref = ref
        #: Where the class is imported from, relative to the package.
        self.module = cls.__module__.removeprefix(PACKAGE)
        specs = cls.__model_fields__
        self.fields = tuple(FieldPlan(spec, index) for index, spec in enumerate(specs))
        self.api_keys = sorted(field.key for field in self.fields)
        self.python_names = sorted(field.name for field in self.fields)
        # Keys of one spelling that are not also keys of the other: their presence
        # means an object mixes spellings (the careful decoder's case).
        self.api_only = sorted(set(self.api_keys) - set(self.python_names))
        self.python_only = sorted(set(self.python_names) - set(self.api_keys))
        #: Whether its instances hold only strings and datetimes (see ``_tracking``).
        self.untrackable = untrackable(cls)


def written_ref(model: type[Model], index: int) -> str:
    """The name of a model class in the written-out modules."""
    return f"_M_{model.__name__}"


def plan(
    models: list[type[Model]], ref: Callable[[type[Model], int], str] = written_ref
) -> list[ModelPlan]:
    """``models`` and every model nested in them, in the order first named, planned;
    ``ref`` names each class in the generated code.
    """
    every: list[type[Model]] = []
    for model in models:
        every += [nested for nested in models_within(model) if nested not in every]
    plans = {model: ModelPlan(model, ref(model, index)) for index, model in enumerate(every)}
    for planned in plans.values():
        for field in planned.fields:
            if field.spec.model is not None:
                field.nested = plans[field.spec.model]
    return [plans[model] for model in every]


def package_models() -> list[type[Model]]:
    """The package's models in the written-out modules' order: the record, then every
    model within it, in the order first named.
    """
    from ..internal_message import InternalMessage

    return models_within(InternalMessage)
