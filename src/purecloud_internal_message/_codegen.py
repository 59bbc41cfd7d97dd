"""Per-class generated code: the constructor, the fast decoder and the encoders.

Like ``dataclasses`` and ``attrs``, the hot methods are written out as Python
source from the field table and compiled once, with every field unrolled: no
loop over fields, no per-field function call. Compilation happens on a class's
first use, not at import, so importing the package stays cheap.

The fast decoder takes only the regular case: a plain dict with all keys in one
spelling, exact types, canonical timestamps. Anything else raises ``_Bail`` (or
whatever error the irregular value provokes) and ``from_dict`` hands the input
to the careful decoder in ``_decode``, which either builds the same object or
reports every problem.
"""

from __future__ import annotations

import gc
from datetime import datetime

from . import _decode
from ._fields import DATETIME, MODEL, STR, FieldSpec, models_within
from ._timestamps import (
    CANONICAL_LENGTH,
    CANONICAL_SEPARATORS,
    UTC,
    format_timestamp,
    from_canonical,
)
from ._values import copy_json, validate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ._model import Model

__all__ = ["Codec", "codec"]


class _Bail(Exception):
    """The fast decoder met something irregular: let the careful decoder judge it."""


_BAIL = _Bail()


class Codec:
    """The generated functions of one model class."""

    __slots__ = (
        "decode",
        "decode_strict",
        "eq",
        "from_dict",
        "init",
        "source",
        "to_api_dict",
        "to_dict",
    )

    init: Callable[..., None]
    from_dict: Callable[..., Any]
    decode: Callable[[Any], Any]
    decode_strict: Callable[[Any], Any]
    to_dict: Callable[[Any], dict[str, Any]]
    to_api_dict: Callable[[Any], dict[str, Any]]
    eq: Callable[[Any, object], Any]
    source: str


def codec(cls: type[Model]) -> Codec:
    """The generated functions of ``cls``, compiling them (and installing them
    on the class in place of the stubs) on first use.
    """
    existing: Codec | None = cls.__dict__.get("__model_codec__")
    if existing is None:
        existing = _build(cls)
    return existing


def _build(cls: type[Model]) -> Codec:
    specs = cls.__model_fields__
    namespace: dict[str, Any] = {
        "_Bail": _BAIL,
        "_new": object.__new__,
        "_cls": cls,
        "_datetime": datetime,
        "_UTC": UTC,
        "_fromiso": from_canonical,
        "_fmt": format_timestamp,
        "_careful": _decode.decode,
        "_gc_isenabled": gc.isenabled,
        "_gc_disable": gc.disable,
        "_gc_enable": gc.enable,
        "_validate": validate,
        "_copy_json": copy_json,
    }
    for spec in specs:
        namespace[f"_spec_{spec.name}"] = spec
    for model in models_within(cls):
        name = model.__name__
        namespace[f"_cls_{name}"] = model
        namespace[_keys_name(model, True)] = frozenset(s.key for s in model.__model_fields__)
        namespace[_keys_name(model, False)] = frozenset(s.name for s in model.__model_fields__)
        for spec in model.__model_fields__:
            if spec.enum:
                namespace[f"_enum_{name}_{spec.name}"] = frozenset(spec.enum)
                namespace[f"_enum_{name}_{spec.name}_lower"] = spec.enum_lower

    source = "\n".join(
        [
            _init_source(specs),
            _decode_source(cls, strict=False),
            _decode_source(cls, strict=True),
            _FROM_DICT_SOURCE,
            _to_dict_source(cls),
            _to_api_dict_source(cls),
            _eq_source(specs),
        ]
    )
    exec(compile(source, f"<generated code for {cls.__qualname__}>", "exec"), namespace)

    result = Codec()
    result.init = namespace["__init__"]
    result.decode = namespace["_decode"]
    result.decode_strict = namespace["_decode_strict"]
    result.from_dict = namespace["from_dict"]
    result.to_dict = namespace["to_dict"]
    result.to_api_dict = namespace["to_api_dict"]
    result.eq = namespace["__eq__"]
    result.source = source
    cls.__model_codec__ = result

    # Replace the stubs with the generated functions, so later calls go
    # straight to them; a method the class defines itself is left alone.
    stubs = cls.__model_stubs__
    generated: dict[str, Any] = {
        "__init__": result.init,
        "from_dict": classmethod(result.from_dict),
        "to_dict": result.to_dict,
        "to_api_dict": result.to_api_dict,
        "__eq__": result.eq,
    }
    for name, function in generated.items():
        if cls.__dict__.get(name) is stubs[name]:
            target = function.__func__ if isinstance(function, classmethod) else function
            stub = stubs[name]
            stub_function = stub.__func__ if isinstance(stub, classmethod) else stub
            target.__doc__ = stub_function.__doc__
            target.__qualname__ = f"{cls.__qualname__}.{name}"
            target.__module__ = cls.__module__
            setattr(cls, name, function)
    return result


# -- source templates ---------------------------------------------------------


def _init_source(specs: tuple[FieldSpec, ...]) -> str:
    params = "".join(f", {spec.name}=None" for spec in specs)
    lines = [f"def __init__(self, *{params}):" if specs else "def __init__(self):"]
    for spec in specs:
        lines.append(
            f"    if {spec.name} is not None: _validate(_cls, _spec_{spec.name}, {spec.name})"
        )
        lines.append(f"    self.{spec.slot} = {spec.name}")
        if spec.kind == DATETIME:
            lines.append(f"    self.{spec.slot}_text = None")
    lines.append("    self._additional_properties = None")
    return "\n".join(lines) + "\n"


def _decode_source(cls: type[Model], *, strict: bool) -> str:
    """The fast decoder: one function with nested models unrolled in place.

    Inlining the nested models (rather than calling their decoders) saves a
    call per nested object, the largest single cost after the field work. A
    nested object must use the same spelling as its parent; a mix goes to the
    careful decoder, which accepts it.
    """
    lines = [
        f"def _decode{'_strict' if strict else ''}(d):",
        "    if type(d) is not dict: raise _Bail",
        "    keys = d.keys()",
    ]
    for api in (True, False):
        lines.append(f"    if keys <= {_keys_name(cls, api)}:")
        body = _model_lines(cls, "d", "self", 0, api=api, strict=strict, top=True)
        lines.extend("        " + line for line in body)
        lines.append("        return self")
    lines.append("    raise _Bail")
    return "\n".join(lines) + "\n"


def _keys_name(model: type[Model], api: bool) -> str:
    return f"_KEYS_{model.__name__}_{'api' if api else 'py'}"


def _model_lines(
    model: type[Model], source: str, target: str, level: int, *, api: bool, strict: bool, top: bool
) -> list[str]:
    """Lines that build ``target`` from the dict ``source`` (keys already checked)."""
    v = f"v{level}"
    get = f"get{level}"
    lines = [
        f"{target} = _new({'_cls' if top else '_cls_' + model.__name__})",
        f"{get} = {source}.get",
    ]
    for spec in model.__model_fields__:
        slot = f"{target}.{spec.slot}"
        lines.append(f"{v} = {get}({spec.key if api else spec.name!r})")
        if spec.kind == STR:
            lines.append(f"if {v} is not None and type({v}) is not str: raise _Bail")
            if strict and spec.enum:
                enum = f"_enum_{model.__name__}_{spec.name}"
                lines.append(
                    f"if {v} is not None and {v} not in {enum} "
                    f"and {v}.lower() not in {enum}_lower: raise _Bail"
                )
            lines.append(f"{slot} = {v}")
        elif spec.kind == DATETIME:
            # Only the canonical shape reaches fromisoformat, which checks the digits.
            lines += [
                f"if {v} is None:",
                f"    {slot} = {slot}_text = None",
                f"elif type({v}) is str:",
                f"    if len({v}) != {CANONICAL_LENGTH} or {v}[-1] != 'Z'"
                f" or {v}[4:20:3] != {CANONICAL_SEPARATORS!r}: raise _Bail",
                f"    {slot} = _fromiso({v})",
                f"    {slot}_text = {v}",
                f"elif type({v}) is _datetime and ({v}.tzinfo is None or {v}.tzinfo is _UTC):",
                f"    {slot} = {v}",
                f"    {slot}_text = None",
                "else:",
                "    raise _Bail",
            ]
        else:
            assert spec.model is not None
            child = f"o{level + 1}"
            check = (
                f"if type({{0}}) is not dict or not {{0}}.keys() <= {_keys_name(spec.model, api)}:"
                " raise _Bail"
            )
            nested = _model_lines(
                spec.model, f"x{level}", child, level + 1, api=api, strict=strict, top=False
            )
            lines.append(f"if {v} is not None:")
            if spec.kind == MODEL:
                lines.append(f"    x{level} = {v}")
                lines.append("    " + check.format(f"x{level}"))
                lines.extend("    " + line for line in nested)
                lines.append(f"    {v} = {child}")
            else:
                lines += [
                    f"    if type({v}) is not list: raise _Bail",
                    # Sized up front: an appended-to list keeps spare capacity
                    # (16 slots for 10 messages), which costs memory per record.
                    f"    items{level} = [None] * len({v})",
                    f"    for i{level}, x{level} in enumerate({v}):",
                    "        " + check.format(f"x{level}"),
                    *("        " + line for line in nested),
                    f"        items{level}[i{level}] = {child}",
                    f"    {v} = items{level}",
                ]
            lines.append(f"{slot} = {v}")
    lines.append(f"{target}._additional_properties = None")
    return lines


# The collector is paused while a payload is decoded: decoding builds many
# objects and no cycles, and every collection it would trigger scans all the
# objects the process holds, so the cost per message grew with the size of the
# heap (2.8x at 10,000 messages in the benchmark). A caller's gc.disable() stays.
_FROM_DICT_SOURCE = """
def from_dict(cls, data, *, strict=False):
    if _gc_isenabled():
        _gc_disable()
        try:
            return _decode_strict(data) if strict else _decode(data)
        except Exception:
            pass  # irregular input: the careful decoder accepts it or says why not
        finally:
            _gc_enable()
    else:
        try:
            return _decode_strict(data) if strict else _decode(data)
        except Exception:
            pass
    return _careful(cls, data, strict)
"""


def _to_dict_source(cls: type[Model]) -> str:
    """``to_dict``: one dict display per model, nested models built in place."""
    return (
        "def to_dict(self):\n"
        f"    result = {_sdk_dict_expr(cls, 'self', 0)}\n"
        "    extra = self._additional_properties\n"
        "    if extra: result.update(_copy_json(extra))\n"
        "    return result\n"
    )


def _sdk_dict_expr(model: type[Model], var: str, level: int) -> str:
    entries = []
    for spec in model.__model_fields__:
        value = f"{var}.{spec.slot}"
        if spec.model is not None:
            item = f"w{level}"
            nested = _nested_expr(spec.model, item, level + 1, "to_dict", _sdk_dict_expr)
            if spec.kind == MODEL:
                value = f"None if ({item} := {value}) is None else {nested}"
            else:
                value = (
                    f"None if ({item}s := {value}) is None else [{nested} for {item} in {item}s]"
                )
        entries.append(f"{spec.name!r}: {value}")
    return "{" + ", ".join(entries) + "}"


def _nested_expr(
    model: type[Model], var: str, level: int, method: str, build: Callable[..., str]
) -> str:
    """Build a nested model's dict in place, unless it is a subclass (which may
    encode itself differently) or has unknown fields: those call ``method``."""
    return (
        f"({build(model, var, level)} if type({var}) is _cls_{model.__name__}"
        f" and {var}._additional_properties is None else {var}.{method}())"
    )


def _to_api_dict_source(cls: type[Model]) -> str:
    """``to_api_dict``: fields that are None are left out, so statements, not a display."""
    lines = ["def to_api_dict(self):", *_api_lines(cls, "self", "result", 0)]
    lines += [
        "    extra = self._additional_properties",
        "    if extra: result.update(_copy_json(extra))",
        "    return result",
    ]
    return "\n".join(lines) + "\n"


def _api_lines(model: type[Model], var: str, out: str, level: int) -> list[str]:
    v = f"v{level}"
    lines = [f"{out} = {{}}"]
    for spec in model.__model_fields__:
        lines.append(f"{v} = {var}.{spec.slot}")
        if spec.kind == STR:
            lines.append(f"if {v} is not None: {out}[{spec.key!r}] = {v}")
        elif spec.kind == DATETIME:
            lines.append(
                f"if {v} is not None: {out}[{spec.key!r}] = {var}.{spec.slot}_text or _fmt({v})"
            )
        else:
            assert spec.model is not None
            item, child = f"x{level}", f"r{level + 1}"
            nested = [
                f"if type({item}) is not _cls_{spec.model.__name__}"
                f" or {item}._additional_properties is not None:",
                f"    {child} = {item}.to_api_dict()",
                "else:",
                *("    " + line for line in _api_lines(spec.model, item, child, level + 1)),
            ]
            lines.append(f"if {v} is not None:")
            if spec.kind == MODEL:
                lines.append(f"    {item} = {v}")
                lines.extend("    " + line for line in nested)
                lines.append(f"    {out}[{spec.key!r}] = {child}")
            else:
                lines.append(f"    items{level} = []")
                lines.append(f"    for {item} in {v}:")
                lines.extend("        " + line for line in nested)
                lines.append(f"        items{level}.append({child})")
                lines.append(f"    {out}[{spec.key!r}] = items{level}")
    return ["    " + line for line in lines] if level == 0 else lines


def _eq_source(specs: tuple[FieldSpec, ...]) -> str:
    comparisons = [f"self.{spec.slot} == other.{spec.slot}" for spec in specs]
    comparisons.append(
        "(self._additional_properties or None) == (other._additional_properties or None)"
    )
    return (
        "def __eq__(self, other):\n"
        "    if type(other) is not type(self): return NotImplemented\n"
        "    return (" + "\n        and ".join(comparisons) + ")\n"
    )
