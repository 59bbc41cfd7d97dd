"""A griffe extension for the API reference: each model documented from its field table.

mkdocstrings reads the package with griffe, statically. A model's fields are
class attributes whose value is `field(...)` and its constructor is generated
at import time, so on their own they would render as undocumented attributes
and as `InternalMessage(**kwargs)`. This extension imports the package and, for
every model class, takes the model's field table (`fields(Model)`) to give:

- the class docstring a table of the fields: name, JSON key, type and
  documented enum values, each name linking to the field's entry;
- each field attribute its type, a docstring (description, JSON key, enum
  values) and no `= field(...)` value;
- the class a keyword-only `__init__` signature with annotations, the one the
  runtime constructor has.

It also drops private bases (`_InstanceState`) from every class of the
package, and values computed from private names, so the reference shows only
what users can name.

mkdocs.yml loads it as `extensions: [scripts/griffe_field_table.py]`; the
tests call `field_docstring`, `fields_table` and `load_reference` directly.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import griffe

import purecloud_internal_message as pim
from purecloud_internal_message import enums

__all__ = [
    "PACKAGE",
    "FieldTable",
    "field_docstring",
    "fields_table",
    "load_reference",
    "markdown_text",
]

PACKAGE = pim.__name__

# Characters that would start Markdown syntax (links, emphasis, code, HTML)
# inside a description taken from the API's documentation, as in
# "yyyy-MM-ddTHH:mm:ss[.mmm]Z".
_MARKDOWN_ESCAPES = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "<": "&lt;",
    ">": "&gt;",
    "&": "&amp;",
}


def markdown_text(text: str, *, table_cell: bool = False) -> str:
    """Plain text as Markdown that shows it literally (on one line in a table cell)."""
    escaped = "".join(_MARKDOWN_ESCAPES.get(char, char) for char in text)
    if table_cell:
        escaped = " ".join(escaped.split()).replace("|", "\\|")
    return escaped


def _ref(path: str, title: str | None = None) -> str:
    """An mkdocstrings cross-reference to a documented object."""
    return f"[`{title or path.rsplit('.', 1)[-1]}`][{path}]"


def _public_path(model: type) -> str:
    """Where the reference documents `model`: under the package, as users import it."""
    return f"{PACKAGE}.{model.__name__}"


def _enum_constant(spec: pim.FieldSpec) -> str | None:
    """The name of the `enums` constant holding exactly the field's values, if any."""
    for name in enums.__all__:
        value = enums.__dict__.get(name)  # never the lazily built Literal aliases
        if isinstance(value, tuple) and value == spec.enum:
            return name
    return None


def enum_sentence(spec: pim.FieldSpec) -> str:
    """The documented values of an enum field, as one Markdown sentence ('' if none)."""
    if not spec.enum:
        return ""
    values = ", ".join(f"`{value}`" for value in spec.enum)
    constant = _enum_constant(spec)
    where = f" ({_ref(f'{PACKAGE}.enums.{constant}')})" if constant else ""
    return f"Documented values{where}: {values}; other strings are kept."


def type_markdown(spec: pim.FieldSpec) -> str:
    """The field's type, the SDK's way (`list[Segment]`), nested models linked."""
    if spec.model is None:
        return f"`{spec.swagger_type}`"
    model_ref = _ref(_public_path(spec.model))
    if spec.kind == "list":
        return f"list of {model_ref}"
    return model_ref


def field_docstring(spec: pim.FieldSpec) -> str:
    """The docstring the reference gives a field: description, JSON key, enum values."""
    parts = [markdown_text(spec.doc), f"JSON key: `{spec.key}`."]
    enum = enum_sentence(spec)
    if enum:
        parts.append(enum)
    return "\n\n".join(parts)


def fields_table(model: type[pim.Model]) -> str:
    """A Markdown table of the model's fields (name, JSON key, type and documented
    values), for the end of its class docstring; each name links to the field's
    entry, which has the description."""
    owner = _public_path(model)
    lines = [
        "Its fields, in declaration order: each is optional (None when absent) and"
        " taken by keyword by the constructor. The JSON key is the API's name for the"
        " field; `from_dict` reads either.",
        "",
        "| Field | JSON key | Type |",
        "| --- | --- | --- |",
    ]
    for spec in pim.fields(model):
        type_cell = type_markdown(spec)
        if spec.enum:
            type_cell += ": " + ", ".join(f"`{value}`" for value in spec.enum)
        lines.append(f"| {_ref(f'{owner}.{spec.name}', spec.name)} | `{spec.key}` | {type_cell} |")
    return "\n".join(lines)


def _runtime_model(cls: griffe.Class) -> type[pim.Model] | None:
    """The model class that `cls` describes, when it is one with fields."""
    try:
        module = importlib.import_module(cls.module.path)
    except ImportError:
        return None
    obj = getattr(module, cls.name, None)
    if (
        isinstance(obj, type)
        and issubclass(obj, pim.Model)
        and obj.__module__ == cls.module.path
        and obj.__qualname__ == cls.name
        and pim.fields(obj)
    ):
        return obj
    return None


def _is_private(name: str) -> bool:
    return name.rsplit(".", 1)[-1].startswith("_")


def _hide_private_bases(cls: griffe.Class) -> None:
    cls.bases = [base for base in cls.bases if not _is_private(str(base))]


def _names_in(value: str | griffe.Expr) -> list[str]:
    if isinstance(value, str):
        return []
    return [str(part) for part in value.iterate(flat=True) if isinstance(part, griffe.ExprName)]


def _document_fields(cls: griffe.Class, model: type[pim.Model]) -> None:
    specs = pim.fields(model)
    annotations: dict[str, str | griffe.Expr] = {}
    for spec in specs:
        attr = cls.members.get(spec.name)
        if not isinstance(attr, griffe.Attribute):  # declared on a base class
            attr = griffe.Attribute(spec.name, annotation=f"{spec.swagger_type} | None")
            cls.set_member(spec.name, attr)
        attr.value = None  # not the `field(...)` declaration: the instance holds the value
        attr.labels = {"instance-attribute"}
        attr.docstring = griffe.Docstring(field_docstring(spec), parent=attr)
        annotations[spec.name] = attr.annotation or f"{spec.swagger_type} | None"

    # The constructor users call: the runtime signature's parameters, typed
    # from the field table.
    parameters = [griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)]
    for name, parameter in inspect.signature(model).parameters.items():
        parameters.append(
            griffe.Parameter(
                name,
                annotation=annotations.get(name),
                kind=griffe.ParameterKind(parameter.kind.description),
                default=None if parameter.default is inspect.Parameter.empty else "None",
            )
        )
    cls.set_member(
        "__init__",
        griffe.Function("__init__", parameters=griffe.Parameters(*parameters), returns="None"),
    )

    table = fields_table(model)
    if cls.docstring is None:
        cls.docstring = griffe.Docstring(table, parent=cls)
    else:
        cls.docstring.value = f"{cls.docstring.value.rstrip()}\n\n{table}"


class FieldTable(griffe.Extension):
    """Documents each model from its field table, and hides private names."""

    def on_attribute_instance(self, *, attr: griffe.Attribute, **kwargs: Any) -> None:
        # A value computed from private names (`ACCELERATED = _IMPLEMENTATION
        # is not _codecs_py`) says nothing to a user: show the type alone.
        if (
            attr.path.startswith(PACKAGE + ".")
            and attr.value is not None
            and any(_is_private(name) for name in _names_in(attr.value))
        ):
            attr.value = None

    def on_class_members(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        if cls.path != PACKAGE and not cls.path.startswith(PACKAGE + "."):
            return
        _hide_private_bases(cls)
        model = _runtime_model(cls)
        if model is not None:
            _document_fields(cls, model)


def load_reference(search_paths: list[str]) -> griffe.Module:
    """The package as the reference sees it: loaded statically, this extension applied."""
    loader_extensions = griffe.load_extensions(FieldTable)
    package = griffe.load(
        PACKAGE, search_paths=search_paths, extensions=loader_extensions, resolve_aliases=True
    )
    assert isinstance(package, griffe.Module)
    return package
