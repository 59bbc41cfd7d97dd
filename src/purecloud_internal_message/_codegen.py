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

from datetime import datetime

from . import _decode
from ._fields import DATETIME, MODEL, MODEL_LIST, STR, FieldSpec
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
    # Nested models first: the fast decoder calls theirs directly.
    nested = {spec.model for spec in specs if spec.model is not None}
    namespace: dict[str, Any] = {
        "_Bail": _BAIL,
        "_new": object.__new__,
        "_cls": cls,
        "_datetime": datetime,
        "_UTC": UTC,
        "_fromiso": from_canonical,
        "_fmt": format_timestamp,
        "_careful": _decode.decode,
        "_validate": validate,
        "_copy_json": copy_json,
    }
    for model in nested:
        assert model is not None
        namespace[f"_dec_{model.__name__}"] = codec(model).decode
        namespace[f"_dec_{model.__name__}_strict"] = codec(model).decode_strict
    for spec in specs:
        namespace[f"_spec_{spec.name}"] = spec
        if spec.enum:
            namespace[f"_enum_{spec.name}"] = frozenset(spec.enum)
            namespace[f"_enum_lower_{spec.name}"] = spec.enum_lower
    namespace["_API_KEYS"] = frozenset(spec.key for spec in specs)
    namespace["_PY_KEYS"] = frozenset(spec.name for spec in specs)

    source = "\n".join(
        [
            _init_source(specs),
            _decode_source(specs, strict=False),
            _decode_source(specs, strict=True),
            _FROM_DICT_SOURCE,
            _to_dict_source(specs),
            _to_api_dict_source(specs),
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


def _decode_source(specs: tuple[FieldSpec, ...], *, strict: bool) -> str:
    suffix = "_strict" if strict else ""
    lines = [
        f"def _decode{suffix}(d):",
        "    if type(d) is not dict: raise _Bail",
        "    keys = d.keys()",
    ]
    for use_api_keys in (True, False):
        lines.append(f"    if keys <= {'_API_KEYS' if use_api_keys else '_PY_KEYS'}:")
        lines.append("        self = _new(_cls)")
        lines.append("        get = d.get")
        for spec in specs:
            key = spec.key if use_api_keys else spec.name
            lines.extend("        " + line for line in _decode_field(spec, key, suffix, strict))
        lines.append("        self._additional_properties = None")
        lines.append("        return self")
    lines.append("    raise _Bail")
    return "\n".join(lines) + "\n"


def _decode_field(spec: FieldSpec, key: str, suffix: str, strict: bool) -> list[str]:
    slot = spec.slot
    lines = [f"v = get({key!r})"]
    if spec.kind == STR:
        lines.append("if v is not None and type(v) is not str: raise _Bail")
        if strict and spec.enum:
            lines.append(
                f"if v is not None and v not in _enum_{spec.name} "
                f"and v.lower() not in _enum_lower_{spec.name}: raise _Bail"
            )
        lines.append(f"self.{slot} = v")
    elif spec.kind == DATETIME:
        # Only the canonical shape reaches fromisoformat; it checks the digits.
        lines += [
            "if v is None:",
            f"    self.{slot} = self.{slot}_text = None",
            "elif type(v) is str:",
            f"    if len(v) != {CANONICAL_LENGTH} or v[-1] != 'Z'"
            f" or v[4:20:3] != {CANONICAL_SEPARATORS!r}: raise _Bail",
            f"    self.{slot} = _fromiso(v)",
            f"    self.{slot}_text = v",
            "elif type(v) is _datetime and (v.tzinfo is None or v.tzinfo is _UTC):",
            f"    self.{slot} = v",
            f"    self.{slot}_text = None",
            "else:",
            "    raise _Bail",
        ]
    elif spec.kind == MODEL:
        assert spec.model is not None
        lines.append(f"if v is not None: v = _dec_{spec.model.__name__}{suffix}(v)")
        lines.append(f"self.{slot} = v")
    else:
        assert spec.kind == MODEL_LIST and spec.model is not None
        lines += [
            "if v is not None:",
            "    if type(v) is not list: raise _Bail",
            f"    v = [_dec_{spec.model.__name__}{suffix}(x) for x in v]",
            f"self.{slot} = v",
        ]
    return lines


_FROM_DICT_SOURCE = """
def from_dict(cls, data, *, strict=False):
    try:
        return _decode_strict(data) if strict else _decode(data)
    except Exception:
        pass  # irregular input: the careful decoder accepts it or says why not
    return _careful(cls, data, strict)
"""


def _to_dict_source(specs: tuple[FieldSpec, ...]) -> str:
    lines = ["def to_dict(self):"]
    entries = []
    for index, spec in enumerate(specs):
        if spec.kind == MODEL:
            lines.append(f"    v{index} = self.{spec.slot}")
            entries.append(f"{spec.name!r}: None if v{index} is None else v{index}.to_dict()")
        elif spec.kind == MODEL_LIST:
            lines.append(f"    v{index} = self.{spec.slot}")
            entries.append(
                f"{spec.name!r}: None if v{index} is None else [x.to_dict() for x in v{index}]"
            )
        else:
            entries.append(f"{spec.name!r}: self.{spec.slot}")
    lines.append("    result = {" + ", ".join(entries) + "}")
    lines += [
        "    extra = self._additional_properties",
        "    if extra: result.update(_copy_json(extra))",
        "    return result",
    ]
    return "\n".join(lines) + "\n"


def _to_api_dict_source(specs: tuple[FieldSpec, ...]) -> str:
    lines = ["def to_api_dict(self):", "    result = {}"]
    for spec in specs:
        lines.append(f"    v = self.{spec.slot}")
        if spec.kind == STR:
            value = "v"
        elif spec.kind == DATETIME:
            value = f"self.{spec.slot}_text or _fmt(v)"
        elif spec.kind == MODEL:
            value = "v.to_api_dict()"
        else:
            value = "[x.to_api_dict() for x in v]"
        lines.append(f"    if v is not None: result[{spec.key!r}] = {value}")
    lines += [
        "    extra = self._additional_properties",
        "    if extra: result.update(_copy_json(extra))",
        "    return result",
    ]
    return "\n".join(lines) + "\n"


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
