"""Keep the models' field tables in step with the installed Genesys Cloud SDK.

The four field tables (the ``field(...)`` declarations in the class bodies of
``internal_message.py``, ``segment.py``, ``address.py`` and
``internal_message_details.py``) and the enum constants and ``Literal`` aliases
in ``enums.py`` are derived from the models of ``PureCloudPlatformClientV2``
installed in the running environment. From each SDK model the script reads:

- the field names, in order, and their type strings: ``swagger_types``;
- the JSON keys: ``attribute_map``;
- the descriptions: the second line of each property getter's docstring;
- the enum values: the ``allowed_values`` list in each property setter.

Everything else in those modules is ours and is left as it is: module and
class docstrings, comments outside the tables, helper code. Imports are added
for what a new field needs and dropped when nothing uses them any more. The
result is fixed with ``ruff check --fix-only --select I,F401,RUF022`` and
formatted with ``ruff format``, so it is deterministic: a second run, or a run
against an SDK with the same facts, writes nothing. After a rewrite the model
pages in ``docs/`` are regenerated with ``scripts/gen_model_docs.py``.

Usage::

    python scripts/sync_sdk_models.py           # rewrite the tables to match the SDK
    python scripts/sync_sdk_models.py --check   # write nothing; exit 1 naming each difference

Exit status: 0 when the tables match (or were rewritten), 1 when ``--check``
found differences, 2 when the script cannot go on (no SDK, no ruff, a type the
package cannot declare, a model the package does not have).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import importlib.metadata
import importlib.util
import inspect
import keyword
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MODELS",
    "SdkField",
    "SyncError",
    "TableField",
    "main",
    "read_sdk",
    "read_tables",
    "render_field",
]

#: The package's models: class name -> module name, the same in the SDK's
#: ``models`` package and in ours. A nested model the SDK adds must be added
#: here (and written by hand) before the script can use it.
MODELS: dict[str, str] = {
    "InternalMessage": "internal_message",
    "Segment": "segment",
    "Address": "address",
    "InternalMessageDetails": "internal_message_details",
}

#: The repository this script belongs to: the default ``--root``.
DEFAULT_ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "purecloud_internal_message"
DEFAULT_SDK = "PureCloudPlatformClientV2"

#: How long a string literal may be: a line of 100 less the 8 spaces of a
#: field's continuation lines and a trailing comma.
LITERAL_WIDTH = 100 - 8 - 1

EXIT_DIFFERENT = 1
EXIT_ERROR = 2


class SyncError(Exception):
    """The script cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class SdkField:
    """One field of an SDK model, as the SDK defines it."""

    name: str
    key: str
    swagger_type: str
    doc: str
    enum: tuple[str, ...] | None


@dataclass(frozen=True)
class TableField:
    """One ``field(...)`` declaration of our field table, as the source spells it."""

    name: str
    key: str
    swagger_type: str
    #: The description, or None when it is not a plain string literal.
    doc: str | None
    #: The name of the enum constant (``enum=...``), or None.
    enum_constant: str | None
    #: The constant's values, as ``enums.py`` defines them.
    enum: tuple[str, ...] | None


# --------------------------------------------------------------------------
# Reading the SDK


def sdk_version(sdk: str) -> str:
    """The installed version of the SDK package, or its ``__version__``."""
    try:
        return importlib.metadata.version(sdk)
    except importlib.metadata.PackageNotFoundError:
        version = getattr(sys.modules.get(sdk), "__version__", None)
        return str(version) if version else "(version unknown)"


def read_sdk(sdk: str) -> dict[str, list[SdkField]]:
    """The field tables of the SDK's models: class name -> fields, in the SDK's order."""
    return {name: read_sdk_model(sdk, name, module) for name, module in MODELS.items()}


def read_sdk_model(sdk: str, class_name: str, module_name: str) -> list[SdkField]:
    """The fields of one SDK model class, read from its attributes and property code."""
    qualified = f"{sdk}.models.{module_name}"
    try:
        module = importlib.import_module(qualified)
    except ImportError as error:
        raise SyncError(
            f"cannot import {qualified} ({error}): install the SDK to"
            ' compare against (`pip install -e ".[test]"` installs the one the project pins)'
        ) from None
    cls = getattr(module, class_name, None)
    if not isinstance(cls, type):
        raise SyncError(f"{qualified} has no class {class_name}")
    instance = cls()
    types = getattr(instance, "swagger_types", None)
    keys = getattr(instance, "attribute_map", None)
    if not isinstance(types, dict) or not isinstance(keys, dict) or list(types) != list(keys):
        raise SyncError(
            f"{qualified}.{class_name}: swagger_types and attribute_map are not two"
            " dicts naming the same fields in the same order"
        )
    found = []
    for name, swagger_type in types.items():
        prop = inspect.getattr_static(cls, name, None)
        if not isinstance(prop, property):
            raise SyncError(f"{qualified}.{class_name}.{name} is not a property")
        found.append(
            SdkField(
                name=name,
                key=str(keys[name]),
                swagger_type=str(swagger_type),
                doc=_getter_description(prop, class_name, name),
                enum=_setter_allowed_values(prop, class_name, name),
            )
        )
    return found


def _getter_description(prop: property, class_name: str, name: str) -> str:
    # The getter's docstring is "Gets the NAME of this CLASS.", the
    # description, a blank line, then ":return:" and ":rtype:" lines.
    lines = inspect.cleandoc(getattr(prop.fget, "__doc__", None) or "").splitlines()
    end = next((i for i, line in enumerate(lines) if line.startswith(":return:")), None)
    if not lines or lines[0] != f"Gets the {name} of this {class_name}." or end is None:
        raise SyncError(
            f"the SDK's {class_name}.{name} getter docstring is not in the form"
            " 'Gets the NAME of this CLASS.', description, ':return: ...'; cannot read"
            " the description"
        )
    body = lines[1:end]
    while body and not body[-1].strip():
        body.pop()
    return "\n".join(body)


def _setter_allowed_values(prop: property, class_name: str, name: str) -> tuple[str, ...] | None:
    # The setter assigns `allowed_values = [...]` for an enum field; reading its
    # syntax tree finds the list without running the setter.
    if prop.fset is None:
        return None
    try:
        source = textwrap.dedent(inspect.getsource(prop.fset))
    except (OSError, TypeError):
        raise SyncError(
            f"cannot read the source of the SDK's {class_name}.{name} setter, where its"
            " allowed values are listed"
        ) from None
    found = None
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "allowed_values"
        ):
            values = _string_sequence(node.value)
            if values is None or found is not None:
                raise SyncError(
                    f"the SDK's {class_name}.{name} setter lists its allowed values in a"
                    " form this script does not read"
                )
            found = values
    return found or None  # an empty list allows nothing: not an enum to declare


def _string_sequence(node: ast.expr) -> tuple[str, ...] | None:
    if not isinstance(node, ast.List | ast.Tuple):
        return None
    values = []
    for element in node.elts:
        if not (isinstance(element, ast.Constant) and isinstance(element.value, str)):
            return None
        values.append(element.value)
    return tuple(values)


# --------------------------------------------------------------------------
# Reading our field tables (from the source text: the package is not imported,
# so a half-updated tree can still be read and repaired)


def camel_case(name: str) -> str:
    """``target_user_id`` -> ``targetUserId``: the key a field gets without ``key=``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def package_dir(root: Path) -> Path:
    """Where the model modules are under a repository root."""
    return root / "src" / PACKAGE


def read_enum_constants(source: str) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """``enums.py``'s constants: name -> (Literal alias in its annotation, values)."""
    constants: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    for node in ast.parse(source).body:
        if _is_enum_constant(node):
            assert isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
            assert node.value is not None
            values = _string_sequence(node.value)
            assert values is not None
            annotation = node.annotation
            assert isinstance(annotation, ast.Subscript)
            alias = None
            if isinstance(annotation.slice, ast.Tuple) and annotation.slice.elts:
                first = annotation.slice.elts[0]
                alias = first.id if isinstance(first, ast.Name) else None
            constants[node.target.id] = (alias, values)
    return constants


def _is_enum_constant(node: ast.stmt) -> bool:
    # NAME: tuple[Alias, ...] = ("value", ...)
    return (
        isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and isinstance(node.annotation, ast.Subscript)
        and isinstance(node.annotation.value, ast.Name)
        and node.annotation.value.id == "tuple"
        and node.value is not None
        and _string_sequence(node.value) is not None
    )


def read_tables(root: Path) -> dict[str, list[TableField]]:
    """Our field tables: class name -> fields, in declaration order."""
    enums_path = package_dir(root) / "enums.py"
    constants = read_enum_constants(_read(enums_path))
    tables = {}
    for class_name, module_name in MODELS.items():
        path = package_dir(root) / f"{module_name}.py"
        cls = _find_class(ast.parse(_read(path)), class_name, path)
        table = []
        for node in _field_statements(cls):
            table.append(_table_field(node, constants, path, class_name))
        tables[class_name] = table
    return tables


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise SyncError(f"cannot read {path}: {error.strerror}") from None


def _find_class(tree: ast.Module, class_name: str, path: Path) -> ast.ClassDef:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return node
    raise SyncError(f"{path}: no class {class_name}")


def _is_field(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "field"
    )


def _field_statements(cls: ast.ClassDef) -> list[ast.AnnAssign]:
    return [node for node in cls.body if isinstance(node, ast.AnnAssign) and _is_field(node)]


def _table_field(
    node: ast.AnnAssign,
    constants: dict[str, tuple[str | None, tuple[str, ...]]],
    path: Path,
    class_name: str,
) -> TableField:
    assert isinstance(node.target, ast.Name) and isinstance(node.value, ast.Call)
    name = node.target.id
    annotation = node.annotation
    if (
        isinstance(annotation, ast.BinOp)
        and isinstance(annotation.op, ast.BitOr)
        and isinstance(annotation.right, ast.Constant)
        and annotation.right.value is None
    ):
        swagger_type = ast.unparse(annotation.left)
    else:
        swagger_type = ast.unparse(annotation)  # not `T | None`: shows up as a type difference
    call = node.value
    doc = None
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        doc = call.args[0].value
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    key = camel_case(name)
    if "key" in keywords:
        value = keywords["key"]
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            raise SyncError(f"{path}: {class_name}.{name}: key= must be a string literal")
        key = value.value
    enum_constant = None
    enum = None
    if "enum" in keywords and not (
        isinstance(keywords["enum"], ast.Constant) and keywords["enum"].value is None
    ):
        value = keywords["enum"]
        if not isinstance(value, ast.Name) or value.id not in constants:
            raise SyncError(
                f"{path}: {class_name}.{name}: enum= must name a constant defined in enums.py"
                " as `NAME: tuple[Alias, ...] = (...)`"
            )
        enum_constant = value.id
        enum = constants[value.id][1]
    return TableField(name, key, swagger_type, doc, enum_constant, enum)


# --------------------------------------------------------------------------
# Comparing


def differences(tables: dict[str, list[TableField]], sdk: dict[str, list[SdkField]]) -> list[str]:
    """Every way our tables differ from the SDK's, one line each."""
    found = []
    for class_name in MODELS:
        ours = {field.name: field for field in tables[class_name]}
        theirs = {field.name: field for field in sdk[class_name]}
        for field in sdk[class_name]:
            if field.name not in ours:
                enum = f", enum values {_values(field.enum)}" if field.enum else ""
                found.append(
                    f"{class_name}.{field.name} ({field.key}): field added in the SDK"
                    f" ({field.swagger_type}{enum}): {field.doc!r}"
                )
        for table_field in tables[class_name]:
            where = f"{class_name}.{table_field.name} ({table_field.key})"
            sdk_field = theirs.get(table_field.name)
            if sdk_field is None:
                found.append(f"{where}: field removed: in the table, not in the SDK")
                continue
            found += [f"{where}: {line}" for line in _field_differences(table_field, sdk_field)]
        common = [name for name in ours if name in theirs]
        sdk_order = [name for name in theirs if name in ours]
        if common != sdk_order:
            found.append(f"{class_name}: field order: the SDK's is {', '.join(sdk_order)}")
    return found


def _field_differences(ours: TableField, theirs: SdkField) -> list[str]:
    found = []
    if ours.swagger_type != theirs.swagger_type:
        found.append(f"type: the table has {ours.swagger_type!r}, the SDK {theirs.swagger_type!r}")
    if ours.key != theirs.key:
        found.append(f"JSON key: the table has {ours.key!r}, the SDK {theirs.key!r}")
    if ours.doc is None:
        found.append(f"description: not a plain string in the table; the SDK's is {theirs.doc!r}")
    elif ours.doc != theirs.doc:
        found.append(f"description: the table has {ours.doc!r}, the SDK {theirs.doc!r}")
    our_values = ours.enum or ()
    their_values = theirs.enum or ()
    for value in their_values:
        if value not in our_values:
            found.append(f"enum value added in the SDK: {value!r}")
    for value in our_values:
        if value not in their_values:
            found.append(f"enum value removed: {value!r} (in the table, not in the SDK)")
    if set(our_values) == set(their_values) and our_values != their_values:
        found.append(f"enum values reordered: the SDK's order is {_values(their_values)}")
    return found


def _values(values: tuple[str, ...] | None) -> str:
    return ", ".join(repr(value) for value in values or ())


# --------------------------------------------------------------------------
# Planning: the enum constants and the annotations the SDK's fields need


@dataclass
class EnumConstant:
    """An enum constant of ``enums.py`` and the fields that use it."""

    name: str
    alias: str
    values: tuple[str, ...]
    fields: list[tuple[str, str]]  # (class name, field name)


def plan_enums(
    tables: dict[str, list[TableField]], sdk: dict[str, list[SdkField]], old_aliases: dict[str, str]
) -> dict[str, EnumConstant]:
    """The enum constants the SDK's fields need, in order of first use.

    A field keeps the constant it has; a field that gains an enum gets a new
    constant named after it. Fields sharing a constant must keep sharing the
    same values.
    """
    plan: dict[str, EnumConstant] = {}
    for class_name in MODELS:
        ours = {field.name: field for field in tables[class_name]}
        for field in sdk[class_name]:
            if field.enum is None:
                continue
            current = ours.get(field.name)
            name = current.enum_constant if current and current.enum_constant else None
            if name is None:
                name = _constant_name(class_name, field.name)
            entry = plan.get(name)
            if entry is None:
                alias = old_aliases.get(name) or _alias_name(class_name, field.name)
                plan[name] = EnumConstant(name, alias, field.enum, [(class_name, field.name)])
            elif entry.values != field.enum:
                first = ".".join(entry.fields[0])
                raise SyncError(
                    f"{first} and {class_name}.{field.name} share the enum constant {name},"
                    f" but the SDK now allows different values ({_values(entry.values)} and"
                    f" {_values(field.enum)}): give {class_name}.{field.name} its own constant"
                    " in enums.py (and in its field's enum=), then run the script again"
                )
            else:
                entry.fields.append((class_name, field.name))
    aliases: dict[str, str] = {}
    for constant in plan.values():
        other = aliases.setdefault(constant.alias, constant.name)
        if other != constant.name:
            raise SyncError(
                f"the enum constants {other} and {constant.name} would both have the"
                f" Literal alias {constant.alias}; rename one in enums.py"
            )
    return plan


def _constant_name(class_name: str, field_name: str) -> str:
    # InternalMessage.disconnect_type -> INTERNAL_MESSAGE_DISCONNECT_TYPES
    words = re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).upper() + "_" + field_name.upper()
    if words.endswith(("S", "X", "CH", "SH")):
        return words + "ES"
    if words.endswith("Y") and words[-2:-1] not in "AEIOU":
        return words[:-1] + "IES"
    return words + "S"


def _alias_name(class_name: str, field_name: str) -> str:
    # InternalMessage.disconnect_type -> InternalMessageDisconnectType
    return class_name + "".join(part[:1].upper() + part[1:] for part in field_name.split("_"))


def annotation(class_name: str, field: SdkField) -> str:
    """The field's annotation: the SDK's type string and ``| None``.

    Raises:
        SyncError: for a type the package cannot declare, or a model it does not have.
    """
    swagger_type = field.swagger_type
    where = f"the SDK's {class_name}.{field.name} ({field.key})"
    if not field.name.isidentifier() or keyword.iskeyword(field.name) or field.name[0] == "_":
        raise SyncError(f"{where}: {field.name!r} cannot be declared as a field name")
    if swagger_type in ("str", "datetime"):
        return f"{swagger_type} | None"
    match = re.fullmatch(r"list\[(\w+)\]", swagger_type)
    nested = match.group(1) if match else swagger_type
    if nested in MODELS:
        return f"{swagger_type} | None"
    if re.fullmatch(r"[A-Z]\w*", nested):
        raise SyncError(
            f"{where} has type {swagger_type!r}, and the package has no {nested} model:"
            f" write src/{PACKAGE}/<module>.py for {nested} and add it to MODELS in"
            " scripts/sync_sdk_models.py, then run the script again"
        )
    raise SyncError(
        f"{where} has type {swagger_type!r}; the package declares only str, datetime,"
        " a model and list[model] fields: add support for it by hand first"
    )


def nested_models(sdk: dict[str, list[SdkField]]) -> dict[str, list[str]]:
    """class name -> the models its fields hold, checking there is no cycle.

    A model module imports the models it holds when it is imported, so a
    model that holds itself, or one that holds it, cannot be declared.
    """
    graph = {}
    for class_name, table in sdk.items():
        names = []
        for field in table:
            annotation(class_name, field)  # refuses what cannot be declared
            nested = field.swagger_type.removeprefix("list[").removesuffix("]")
            if nested in MODELS and nested not in names:
                names.append(nested)
        graph[class_name] = names
    for start in graph:
        cycle = _cycle_from(graph, start)
        if cycle:
            raise SyncError(
                f"the SDK's models refer to each other in a cycle ({' -> '.join(cycle)}); the"
                " package's models cannot (each imports the ones it holds when it is imported)"
            )
    return graph


def _cycle_from(graph: dict[str, list[str]], start: str) -> list[str] | None:
    # The graph is a handful of models: trying every simple path is enough.
    paths = [[start]]
    while paths:
        path = paths.pop()
        for child in graph[path[-1]]:
            if child == start:
                return [*path, child]
            if child not in path:
                paths.append([*path, child])
    return None


# --------------------------------------------------------------------------
# Rendering


def string_literal(text: str) -> str:
    """A double-quoted Python literal of ``text``, in ASCII.

    Anything but printable ASCII is escaped: ruff's lint rules refuse
    look-alike characters (RUF001), and a raw line separator would split the
    line it is on.
    """
    return '"' + "".join(_escape(char) for char in text) + '"'


def _escape(char: str) -> str:
    code = ord(char)
    if char in ('"', "\\"):
        return "\\" + char
    if 0x20 <= code < 0x7F:
        return char
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def description_chunks(text: str, width: int = LITERAL_WIDTH) -> list[str]:
    """``text`` cut at spaces into pieces whose literals fit ``width`` columns.

    A piece ends at a sentence's end when one falls in its second half, so the
    source reads well; otherwise it holds as many words as fit. Each piece
    after the first starts with the spaces it was cut at, so the pieces join
    back into exactly ``text``.
    """
    tokens = re.findall(r"\s*\S+|\s+", text) or [""]
    chunks: list[list[str]] = [[tokens[0]]]
    for token in tokens[1:]:
        current = chunks[-1]
        if len(string_literal("".join([*current, token]))) <= width:
            current.append(token)
            continue
        cut = len(current)
        for index in range(len(current) - 1, 0, -1):
            if len(string_literal("".join(current[:index]))) < width // 2:
                break
            if current[index - 1].endswith("."):
                cut = index
                break
        chunks[-1:] = [current[:cut], [*current[cut:], token]]
    return ["".join(chunk) for chunk in chunks]


def render_field(class_name: str, field: SdkField, enum_constant: str | None) -> str:
    """One declaration of the field table, on one line (``ruff format`` wraps it)."""
    doc = " ".join(string_literal(chunk) for chunk in description_chunks(field.doc))
    arguments = [doc]
    if field.key != camel_case(field.name):
        arguments.append(f"key={string_literal(field.key)}")
    if enum_constant:
        arguments.append(f"enum={enum_constant}")
    arguments.append("default=None")
    return f"    {field.name}: {annotation(class_name, field)} = field({', '.join(arguments)})"


def _field_ref(fields: list[tuple[str, str]]) -> str:
    # `InternalMessage.state` and `.initial_state` (Markdown, for the API reference)
    parts = []
    previous = None
    for class_name, name in fields:
        parts.append(f"`.{name}`" if class_name == previous else f"`{class_name}.{name}`")
        previous = class_name
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def render_model_module(
    source: str,
    path: Path,
    class_name: str,
    fields: list[SdkField],
    enum_of: dict[str, str],
) -> str:
    """``source`` with the class's field table replaced and the imports it needs added."""
    tree = ast.parse(source)
    cls = _find_class(tree, class_name, path)
    statements = _field_statements(cls)
    if not statements:
        raise SyncError(f"{path}: class {class_name} has no `name: T | None = field(...)` table")
    first = cls.body.index(statements[0])
    last = cls.body.index(statements[-1])
    if cls.body[first : last + 1] != statements:
        raise SyncError(
            f"{path}: class {class_name} has other statements among its field declarations;"
            " move them before or after the table"
        )
    lines = source_lines(source)
    start = statements[0].lineno - 1
    end = _end_line(statements[-1])
    for number in range(start, end):
        if lines[number].lstrip().startswith("#"):
            raise SyncError(
                f"{path}:{number + 1}: a comment inside the field table of {class_name}"
                " would be lost; move it before or after the table"
            )
    table = [render_field(class_name, field, enum_of.get(field.name)) + "\n" for field in fields]
    lines[start:end] = table
    return _add_imports("".join(lines), _needed_imports(fields, enum_of))


def source_lines(source: str) -> list[str]:
    """``source`` cut into lines as Python counts them (``str.splitlines`` also cuts
    at form feeds and Unicode separators, which would shift the line numbers).
    """
    return re.findall(r"[^\n]*\n|[^\n]+\Z", source)


def _end_line(node: ast.stmt) -> int:
    assert node.end_lineno is not None
    return node.end_lineno


def _needed_imports(fields: list[SdkField], enum_of: dict[str, str]) -> list[tuple[str, str]]:
    needed = [("._fields", "field")]
    for field in fields:
        nested = field.swagger_type.removeprefix("list[").removesuffix("]")
        if field.swagger_type == "datetime":
            needed.append(("datetime", "datetime"))
        elif nested in MODELS:
            needed.append(("." + MODELS[nested], nested))
        if field.name in enum_of:
            needed.append((".enums", enum_of[field.name]))
    return needed


def _add_imports(source: str, needed: list[tuple[str, str]]) -> str:
    # Add `from MODULE import NAME` for each missing name after the last
    # top-level import; ruff then merges and sorts them, and drops the unused.
    tree = ast.parse(source)
    imported = set()
    last_import = 0
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            imported |= {(module, alias.asname or alias.name) for alias in node.names}
        if isinstance(node, ast.Import | ast.ImportFrom):
            last_import = _end_line(node)
    missing = []
    for module, name in needed:
        line = f"from {module} import {name}\n"
        if (module, name) not in imported and line not in missing:
            missing.append(line)
    lines = source_lines(source)
    lines[last_import:last_import] = missing
    return "".join(lines)


def render_enums_module(source: str, path: Path, plan: dict[str, EnumConstant]) -> str:
    """``enums.py`` with its Literal aliases, ``__all__``, constants and
    ``_LITERAL_VALUES`` rewritten from ``plan``; the rest kept.
    """
    if not plan:
        raise SyncError("the SDK's models have no enum field left; edit enums.py by hand")
    tree = ast.parse(source)
    lines = source_lines(source)
    constants = [node for node in tree.body if _is_enum_constant(node)]
    block = next(
        (
            node
            for node in tree.body
            if isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING"
        ),
        None,
    )
    aliases = [
        node
        for node in (block.body if block else [])
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.annotation, ast.Name)
        and node.annotation.id == "TypeAlias"
    ]
    exports = _module_assignment(tree, "__all__")
    literal_values = _module_assignment(tree, "_LITERAL_VALUES")
    if not (constants and aliases and block and exports and literal_values):
        raise SyncError(
            f"{path}: expected the Literal aliases in an `if TYPE_CHECKING:` block, `__all__`,"
            " the constants (`NAME: tuple[Alias, ...] = (...)`) and `_LITERAL_VALUES`"
        )
    _require_together(tree.body, constants, path, "the enum constants")
    _require_together(block.body, aliases, path, "the Literal aliases")
    # Each statement's docstring (the string after it, which griffe shows in the
    # API reference) belongs to it.
    aliases_end = _end_with_docstring(block.body, aliases[-1])
    constants_end = _end_with_docstring(tree.body, constants[-1])

    old_names = {_target(node) for node in constants} | {_target(node) for node in aliases}
    new_names = {c.name for c in plan.values()} | {c.alias for c in plan.values()}
    assert isinstance(exports, ast.Assign)
    old_exports = _string_sequence(exports.value)
    if old_exports is None:
        raise SyncError(f"{path}: __all__ must be a list of string literals")
    exported = sorted((set(old_exports) - old_names) | new_names, key=_export_order)

    alias_text = ""
    constant_text = ""
    for constant in plan.values():
        used_by = _field_ref(constant.fields)
        alias_text += (
            f"    {constant.alias}: TypeAlias = Literal"
            f"[{', '.join(string_literal(value) for value in constant.values)}]\n"
            f'    """A documented value of {used_by}."""\n'
        )
        constant_text += (
            f"{constant.name}: tuple[{constant.alias}, ...] = (\n"
            + "".join(f"    {string_literal(value)},\n" for value in constant.values)
            + ")\n"
            + f'"""The documented values of {used_by}."""\n'
        )
    export_text = "__all__ = [\n" + "".join(f'    "{name}",\n' for name in exported) + "]\n"
    mapping_text = (
        "_LITERAL_VALUES = {\n"
        + "".join(f'    "{c.alias}": {c.name},\n' for c in plan.values())
        + "}\n"
    )
    replacements = [
        (_start_line(lines, aliases[0]), aliases_end, alias_text),
        (_start_line(lines, constants[0]), constants_end, constant_text),
        (exports.lineno - 1, _end_line(exports), export_text),
        (literal_values.lineno - 1, _end_line(literal_values), mapping_text),
    ]
    for start, end, text in sorted(replacements, reverse=True):
        lines[start:end] = [text]
    return "".join(lines)


def _module_assignment(tree: ast.Module, name: str) -> ast.Assign | None:
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == name
        ):
            return node
    return None


def _target(node: ast.stmt) -> str:
    assert isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    return node.target.id


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _require_together(body: list[ast.stmt], group: list[ast.stmt], path: Path, what: str) -> None:
    # Together but for each one's docstring.
    first = body.index(group[0])
    last = body.index(group[-1])
    if [node for node in body[first : last + 1] if not _is_docstring(node)] != group:
        raise SyncError(f"{path}: {what} must stand together, with nothing else among them")


def _end_with_docstring(body: list[ast.stmt], node: ast.stmt) -> int:
    """The last line of `node`, or of the docstring right after it."""
    index = body.index(node)
    if index + 1 < len(body) and _is_docstring(body[index + 1]):
        return _end_line(body[index + 1])
    return _end_line(node)


def _start_line(lines: list[str], node: ast.stmt) -> int:
    # A statement's `#:` documentation comments belong to it.
    start = node.lineno - 1
    while start > 0 and lines[start - 1].lstrip().startswith("#:"):
        start -= 1
    return start


def _export_order(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: SCREAMING_CASE, then CamelCase, then the rest.
    if name.isupper():
        return (0, name)
    return (1 if name[:1].isupper() else 2, name)


# --------------------------------------------------------------------------
# Formatting with ruff


def _ruff() -> list[str]:
    if importlib.util.find_spec("ruff") is not None:
        return [sys.executable, "-m", "ruff"]
    found = shutil.which("ruff")
    if found:
        return [found]
    raise SyncError(
        "ruff is needed to format the rewritten modules and was not found:"
        " `pip install ruff` (it is in the test extra)"
    )


def ruff_finish(text: str, path: Path, root: Path) -> str:
    """``text`` (the new content of ``path``) with its imports fixed, then formatted,
    using the repository's ruff settings.
    """
    steps = (
        ["check", "--fix-only", "--select", "I,F401,RUF022", "--quiet"],
        ["format", "--quiet"],
    )
    for step in steps:
        result = subprocess.run(
            [*_ruff(), *step, "--stdin-filename", str(path.resolve()), "-"],
            input=text,
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=root,
            check=False,
        )
        if result.returncode != 0:
            raise SyncError(f"`ruff {step[0]}` failed on the new {path}:\n{result.stderr.strip()}")
        text = result.stdout
    return text


# --------------------------------------------------------------------------
# The command


def rendered_files(
    root: Path, tables: dict[str, list[TableField]], sdk: dict[str, list[SdkField]]
) -> dict[Path, tuple[str, str]]:
    """path -> (current text, text matching the SDK) for every file the script owns."""
    nested_models(sdk)  # refuses types and cycles that cannot be declared
    enums_path = package_dir(root) / "enums.py"
    enums_source = _read(enums_path)
    old_aliases = {
        name: alias for name, (alias, _) in read_enum_constants(enums_source).items() if alias
    }
    plan = plan_enums(tables, sdk, old_aliases)
    constant_of = {field: c.name for c in plan.values() for field in c.fields}
    files = {}
    for class_name, module_name in MODELS.items():
        path = package_dir(root) / f"{module_name}.py"
        source = _read(path)
        enum_of = {
            name: constant for (owner, name), constant in constant_of.items() if owner == class_name
        }
        text = render_model_module(source, path, class_name, sdk[class_name], enum_of)
        files[path] = (source, ruff_finish(text, path, root))
    text = render_enums_module(enums_source, enums_path, plan)
    files[enums_path] = (enums_source, ruff_finish(text, enums_path, root))
    return files


def export_notes(root: Path, old_enums: str, new_enums: str) -> list[str]:
    """What the package's ``__init__.py`` (hand-written) may need after the enum
    constants and aliases changed.
    """

    def names(source: str) -> set[str]:
        constants = read_enum_constants(source)
        return set(constants) | {alias for alias, _ in constants.values() if alias}

    old, new = names(old_enums), names(new_enums)
    init = _read(package_dir(root) / "__init__.py")
    notes = []
    for name in sorted(new - old):
        if not re.search(rf"\b{name}\b", init):
            notes.append(
                f"enums.py has the new {name}; export it from __init__.py if it should be public"
            )
    for name in sorted(old - new):
        if re.search(rf"\b{name}\b", init):
            notes.append(
                f"enums.py no longer has {name}, but __init__.py names it: remove it there"
            )
    return notes


def regenerate_pages(root: Path) -> None:
    """Rewrite what derives from the field tables, with the tree's own scripts (those it
    has): the written-out codecs (``scripts/gen_codecs.py``) and the model pages in
    ``docs/`` (``scripts/gen_model_docs.py``), from the package as it now is.
    """
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(root / "src"), environment.get("PYTHONPATH")])
    )
    for name, options in (
        ("gen_codecs.py", []),
        ("gen_model_docs.py", ["--docs-dir", str(root / "docs")]),
    ):
        script = root / "scripts" / name
        if not script.exists():
            continue
        result = subprocess.run(
            [sys.executable, str(script), *options],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=environment,
            check=False,
        )
        print(result.stdout, end="")
        if result.returncode != 0:
            raise SyncError(
                f"the tables were rewritten, but scripts/{name} failed:\n{result.stderr}"
            )


def main(argv: list[str] | None = None) -> int:
    """Rewrite the field tables to match the SDK, or with ``--check`` report how they differ."""
    parser = argparse.ArgumentParser(
        description="Derive the models' field tables from the installed Genesys Cloud SDK."
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; name every difference and exit 1 if there is any",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=DEFAULT_ROOT,
        help=f"the repository to read and rewrite (default: {DEFAULT_ROOT})",
    )
    parser.add_argument(
        "--sdk-module",
        default=DEFAULT_SDK,
        help=f"the SDK's top-level module, holding models.<name> (default: {DEFAULT_SDK})",
    )
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    try:
        return _run(root, args.sdk_module, check=args.check)
    except SyncError as error:
        print(f"sync_sdk_models: error: {error}", file=sys.stderr)
        return EXIT_ERROR


def _run(root: Path, sdk_module: str, *, check: bool) -> int:
    _ruff()  # fail early and clearly without ruff
    tables = read_tables(root)
    sdk = read_sdk(sdk_module)
    sdk_name = f"{sdk_module} {sdk_version(sdk_module)}"
    found = differences(tables, sdk)
    if check:
        if found:
            print(f"The field tables differ from {sdk_name}:")
            for line in found:
                print(f"  {line}")
            try:
                rendered_files(root, tables, sdk)
            except SyncError as error:
                print(f"The rewrite would stop here: {error}")
            print(
                f"{len(found)} difference(s). Run `python scripts/sync_sdk_models.py` to"
                " rewrite the tables, then review the diff (see docs/sdk-updates.md)."
            )
            return EXIT_DIFFERENT
        stale = [
            path for path, (old, new) in rendered_files(root, tables, sdk).items() if old != new
        ]
        if stale:
            for path in stale:
                print(
                    f"{path.relative_to(root)}: the table matches {sdk_name}, but the module"
                    " is not in the script's form"
                )
            print("Run `python scripts/sync_sdk_models.py` to rewrite it.")
            return EXIT_DIFFERENT
        print(f"The field tables match {sdk_name}.")
        return 0

    files = rendered_files(root, tables, sdk)  # everything is rendered before anything is written
    written = []
    for path, (old, new) in files.items():
        if old != new:
            path.write_text(new, encoding="utf-8", newline="\n")
            written.append(path)
    if not written:
        print(f"The field tables match {sdk_name}; nothing written.")
        return 0
    for line in found:
        print(f"  {line}")
    for path in written:
        print(f"rewrote {path.relative_to(root)}")
    enums_path = package_dir(root) / "enums.py"
    for note in export_notes(root, *files[enums_path]):
        print(f"note: {note}")
    regenerate_pages(root)
    print(
        f"The field tables now match {sdk_name}. Review the diff (`git diff`), then run the tests."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
