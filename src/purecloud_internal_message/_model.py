"""The model base class: turns a class body's field table into a working model.

``ModelMeta`` reads each ``field()`` declaration and its annotation, and gives
the class ``__slots__``, a typed property per field, the SDK's
``swagger_types``/``attribute_map``, and stubs for the codec methods. The codecs
themselves (``__init__``, ``from_dict``, ``to_dict``, ``to_api_dict``,
``_to_api_wire``, ``__eq__``) are generated from the field table (``_codegen``):
the package's own models get theirs, written out ahead of time, when the
package is imported (``_codecs``); any other model class (a subclass) on its
first use.
"""

from __future__ import annotations

import sys
from datetime import datetime
from operator import attrgetter

from . import _tracking
from ._fields import FieldDeclaration, FieldSpec, field, untrackable
from ._fields import parse_annotation as _parse_annotation
from ._jsontext import JSON, check, dumps_checked
from ._jsonvalues import Style
from ._values import json_copy, unknown_fields, validate

# False at run time (importing typing costs milliseconds). Annotated rather than
# assigned a constant: jedi reads `TYPE_CHECKING = False` as always false and then
# ignores the names below, so it could not infer what `from_dict` returns.
TYPE_CHECKING: bool = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from inspect import Signature
    from typing import Any, ClassVar, Type, TypeVar  # noqa: UP035 - Type: see _M

    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic_core import CoreSchema
    from typing_extensions import Self, dataclass_transform

    _T = TypeVar("_T")
    # What the class methods return: an instance of the class they are called on.
    # A bound TypeVar rather than Self, which jedi does not resolve to the subclass,
    # taken as `cls: Type[_M]`: jedi before 0.20 does not read `type[_M]`.
    _M = TypeVar("_M", bound="Model")
else:

    def dataclass_transform(**_kwargs: object) -> object:
        """Runtime no-op: the decorator only informs type checkers."""
        return lambda cls: cls


__all__ = ["GENERATED", "Model", "ModelMeta", "fields", "replace", "use_codecs"]

#: The methods each model class gets generated from its field table (``_codegen``),
#: by the name they take on the class. Until a class has its codec, they are stubs
#: that install it on first call.
GENERATED = (
    "__init__",
    "from_dict",
    "from_json",
    "to_dict",
    "to_api_dict",
    "_to_api_wire",
    "_to_api_json",
    "__eq__",
)


class _FieldsSignature:
    """``__signature__`` of the model classes: the constructor's, from the field table.

    A descriptor on the metaclass, so that it is computed when asked for (by
    ``inspect.signature``, ``help()``, IPython's ``?``) and always matches the
    class's fields, whether or not its codecs are installed yet. None (the tools
    then read ``__init__``) for a class whose constructor is its own.
    """

    def __get__(self, cls: type[Model] | None, metaclass: type | None = None) -> Signature | None:
        if cls is None:  # the metaclass itself
            return None
        from ._introspect import init_signature

        return init_signature(cls)


@dataclass_transform(kw_only_default=True, field_specifiers=(field,))
class ModelMeta(type):
    """Builds a model class from its field table (see the module docstring)."""

    __signature__ = _FieldsSignature()

    def __new__(
        mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any
    ) -> ModelMeta:
        declarations = {
            key: value for key, value in namespace.items() if isinstance(value, FieldDeclaration)
        }
        inherited: tuple[FieldSpec, ...] = ()
        for base in reversed(bases):
            inherited = getattr(base, "__model_fields__", inherited)
        specs: list[FieldSpec] = []
        if declarations:
            annotations = _namespace_annotations(namespace)
            scope = vars(sys.modules[namespace["__module__"]])
            for attr, declaration in declarations.items():
                del namespace[attr]
                swagger_type, kind, model_name = _parse_annotation(annotations[attr])
                model = scope[model_name] if model_name else None
                specs.append(FieldSpec(attr, declaration, swagger_type, kind, model))
        if "__slots__" not in namespace:
            slots = []
            for spec in specs:
                slots.append(spec.slot)
                if spec.text_slot is not None:
                    slots.append(spec.text_slot)
            namespace["__slots__"] = tuple(slots)
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        all_fields = inherited + tuple(specs)
        cls.__model_fields__ = all_fields  # type: ignore[attr-defined]
        for spec in specs:  # after the table: a property asks whether cls is untrackable
            setattr(cls, spec.name, _make_property(cls, spec))  # type: ignore[arg-type]
        cls.swagger_types = {spec.name: spec.swagger_type for spec in all_fields}  # type: ignore[attr-defined]
        cls.attribute_map = {spec.name: spec.key for spec in all_fields}  # type: ignore[attr-defined]
        # Either spelling finds the field: the API's key or the Python name.
        lookup = {spec.key: spec for spec in all_fields}
        lookup.update((spec.name, spec) for spec in all_fields)
        cls.__model_lookup__ = lookup  # type: ignore[attr-defined]
        # The fields holding nested models, for walks over a record's models.
        cls.__model_nested__ = tuple(  # type: ignore[attr-defined]
            (spec.slot, spec.is_model_list, spec.model)
            for spec in all_fields
            if spec.model is not None
        )
        # Every class gets its own stubs, so a subclass never runs code
        # generated for its parent (which would build parent instances).
        stubs = getattr(cls, "__model_stubs__", None)
        if stubs is not None:
            for method, stub in stubs.items():
                if method not in namespace:
                    setattr(cls, method, stub)
        return cls


def _namespace_annotations(namespace: dict[str, Any]) -> dict[str, str]:
    annotations = namespace.get("__annotations__")
    if annotations is None:  # Python 3.14+: annotations are produced on demand
        annotate = namespace.get("__annotate__") or namespace.get("__annotate_func__")
        annotations = annotate(1) if annotate else {}
    return {
        key: value if isinstance(value, str) else _type_name(value)
        for key, value in annotations.items()
    }


def _type_name(annotation: object) -> str:
    return getattr(annotation, "__name__", None) or str(annotation)


def _make_property(owner: type[Model], spec: FieldSpec) -> property:
    set_slot = getattr(owner, spec.slot).__set__
    # Only instances of an untrackable model can be off the collector's list
    # (_tracking); the value stored may be a str or datetime subclass holding a
    # cycle back, so such a setter puts the instance back first.
    retrack = untrackable(owner)
    if spec.text_slot is not None:
        set_text = getattr(owner, spec.text_slot).__set__

        def set_value(self: Model, value: Any) -> None:
            # What validate returns, as the constructor stores it: a str subclass's
            # text, a datetime at its offset with a standard zone.
            value = validate(owner, spec, value)
            if retrack:
                _tracking.track_again(self)
            set_slot(self, value)
            set_text(self, None)  # the cached API text belongs to the old value

    else:

        def set_value(self: Model, value: Any) -> None:
            value = validate(owner, spec, value)
            if retrack:
                _tracking.track_again(self)
            set_slot(self, value)

    set_value.__name__ = spec.name
    return property(attrgetter(spec.slot), set_value, doc=spec.doc)


def fields(model: type[Model] | Model) -> tuple[FieldSpec, ...]:
    """The field table of a model class or instance, in declaration order."""
    return model.__model_fields__


class _InstanceState:
    """The per-instance state every model has besides its fields.

    Declared on a plain base so that type checkers, which treat the
    ``ModelMeta`` classes as dataclasses, do not take it for a field.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        _additional_properties: dict[str, Any] | None


class Model(_InstanceState, metaclass=ModelMeta):
    """Base class of the models: the SDK's model surface plus lossless, validated codecs.

    Every model takes its fields as keyword arguments (all optional, None by
    default) and checks their types on assignment. What each model holds is
    its field table, [`fields()`][purecloud_internal_message.fields].

    Attributes:
        swagger_types (dict[str, str]): The SDK's table of
            `{python name: type string}`, as `PureCloudPlatformClientV2` has it.
        attribute_map (dict[str, str]): The SDK's table of `{python name: JSON key}`.
    """

    __slots__ = ("_additional_properties",)

    if TYPE_CHECKING:
        #: The SDK's ``{python name: type string}`` table.
        swagger_types: ClassVar[dict[str, str]]
        #: The SDK's ``{python name: JSON key}`` table.
        attribute_map: ClassVar[dict[str, str]]
        __model_fields__: ClassVar[tuple[FieldSpec, ...]]
        __model_lookup__: ClassVar[dict[str, FieldSpec]]
        __model_nested__: ClassVar[tuple[tuple[str, bool, type[Model]], ...]]
        __model_stubs__: ClassVar[dict[str, Any]]
        __model_codec__: ClassVar[Any]

    __hash__ = None  # type: ignore[assignment]  # mutable: equal models may change apart

    # -- the codec methods: stubs that generate the class's code on first call --

    def __init__(self, **kwargs: Any) -> None:
        _codec(type(self))["__init__"](self, **kwargs)

    @classmethod
    def from_dict(cls: Type[_M], data: Any, *, strict: bool = False) -> _M:  # noqa: UP006
        """Decode a payload: the API form (camelCase keys, ISO-8601 strings) or the
        SDK's `to_dict()` form (Python names, datetimes), in any mix.

        Unknown keys are kept in
        [`additional_properties`][purecloud_internal_message.Model.additional_properties];
        with `strict=True` they, and enum values outside the documented set, are errors.

        Raises:
            ValidationError: naming every problem with its path. Nothing else is
                raised, whatever `data` is.
        """
        return _codec(cls)["from_dict"](cls, data, strict=strict)  # type: ignore[no-any-return]

    def to_dict(self) -> dict[str, Any]:
        """The SDK's dict form: every field by Python name, nested models as dicts,
        timestamps as `datetime`; unknown fields kept as they came.
        """
        return _codec(type(self))["to_dict"](self)  # type: ignore[no-any-return]

    def to_api_dict(self) -> dict[str, Any]:
        """The API's own form: camelCase keys, None fields left out, timestamps as
        UTC `YYYY-MM-DDTHH:MM:SS.mmmZ` strings; unknown fields kept as they came.
        """
        return _codec(type(self))["to_api_dict"](self)  # type: ignore[no-any-return]

    def _to_api_wire(self) -> dict[str, Any]:
        """`to_api_dict()` prepared for the JSON writer (what `to_api_json` writes)."""
        return _codec(type(self))["_to_api_wire"](self)  # type: ignore[no-any-return]

    def _to_api_json(self) -> str:
        """``to_api_json()`` without options (the compiled codecs write it directly)."""
        return _codec(type(self))["_to_api_json"](self)  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        """Equal to a model of the same class with equal fields and unknown fields;
        anything else (an SDK model included) is unequal, never an error.
        """
        return _codec(type(self))["__eq__"](self, other)  # type: ignore[no-any-return]

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    # -- the rest of the surface, shared by all models --

    @classmethod
    def from_json(
        cls: Type[_M],  # noqa: UP006
        text: str | bytes | bytearray,
        *,
        strict: bool = False,
    ) -> _M:
        """Decode JSON text (see [`from_dict`][purecloud_internal_message.Model.from_dict]).
        Text that is not JSON is a `ValidationError` too.
        """
        return _codec(cls)["from_json"](cls, text, strict=strict)  # type: ignore[no-any-return]

    @classmethod
    def json_schema(cls, *, strict: bool = False) -> dict[str, Any]:
        """A JSON Schema (draft 2020-12) of the model's API form.

        Nested models sit under `$defs` and timestamps are `date-time`
        strings; every field may be absent or null. With `strict=True` enum
        fields must hold a documented value (in any case) and unknown
        properties are refused, as `from_dict(strict=True)` decides.
        """
        from ._schema import json_schema  # deferred: only schema users pay for it

        return json_schema(cls, strict=strict)

    def to_json(self, **options: Any) -> str:
        r"""The SDK's JSON: [`to_dict()`][purecloud_internal_message.Model.to_dict] with
        timestamps as `isoformat()`.

        Byte-for-byte what the SDK's `to_json()` writes (`json.dumps`'s defaults:
        ASCII with `\u` escapes, `", "` and `": "`). The options are `json.dumps`'s
        that keep the text JSON: `indent`, `separators`, `sort_keys` and
        `ensure_ascii`.

        Raises:
            ValueError: an unknown field holds what JSON cannot (NaN, an infinity,
                an integer of more than 640 digits, a cycle), named with its path.
            TypeError: an unknown field holds a type JSON has no form for, or a
                key that is not a `str`; an option other than the four.
        """
        if options:
            options.setdefault("ensure_ascii", True)
            if options.get("separators") is None:  # json.dumps's, which depend on indent
                indented = options.get("indent") is not None
                options["separators"] = (",", ": ") if indented else (", ", ": ")
            style = Style.of(options)
        else:
            options, style = _SDK_OPTIONS, _SDK_STYLE
        if _unknown_fields_writable(self):
            return dumps_checked(self.to_dict(), _isoformat, style)
        return JSON.dumps(self.to_dict(), _isoformat, **options)  # refuses, naming the path

    def to_api_json(self, **options: Any) -> str:
        r"""[`to_api_dict()`][purecloud_internal_message.Model.to_api_dict] as compact
        JSON text, or laid out by the options of `json.dumps` that keep the text
        JSON: `indent`, `separators`, `sort_keys` and `ensure_ascii` (for example
        `indent=2`). A lone surrogate in an unknown field is written as its
        `\udXXX` escape.

        Raises:
            ValueError: an unknown field holds what JSON cannot (NaN, an infinity,
                an integer of more than 640 digits, a cycle), named with its path.
            TypeError: an unknown field holds a type JSON has no form for, or a
                key that is not a `str`; an option other than the four.
        """
        if not options:
            try:
                return self._to_api_json()
            except (TypeError, ValueError, RecursionError):
                pass  # refused, or too unusual for the fast writer: JSON.dumps decides and says
        return JSON.dumps(self.to_api_dict(), **options)

    def to_str(self) -> str:
        """`pprint.pformat(self.to_dict())`, as in the SDK."""
        from pprint import pformat  # deferred: pprint costs ~15 ms at import

        return pformat(self.to_dict())

    def __repr__(self) -> str:
        return self.to_str()

    def __rich_repr__(self) -> Iterator[tuple[str, Any]]:
        """Pretty printing by rich: `InternalMessage(id='c-1', ...)`, the fields that
        are set (and the unknown ones) by Python name.
        """
        from ._introspect import shown_fields  # deferred, as for every tool-only module

        yield from shown_fields(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's pretty printing, as rich's (`repr()` stays the SDK's)."""
        from ._introspect import repr_pretty

        repr_pretty(self, printer, cycle)

    def __replace__(self, /, **changes: Any) -> Self:
        """A copy with some fields changed: what `copy.replace` (Python 3.13) and
        [`replace`][purecloud_internal_message.replace] return.

        Each change is checked as the constructor checks it. Unchanged fields are
        shared with the original (nested models and lists included), as
        `dataclasses.replace` shares them; the unknown fields are copied. A changed
        timestamp loses the original text the API form keeps for unchanged ones.

        Raises:
            TypeError: a name that is not a field's Python name, or a value of the
                wrong type (naming the field).
            ValueError: a value the API form cannot hold (a string with a lone
                surrogate, a datetime outside the years 1-9999 in UTC).
        """
        cls = type(self)
        lookup = cls.__model_lookup__
        for name in changes:
            spec = lookup.get(name)
            if spec is None or spec.name != name:
                hint = f" (its Python name is {spec.name!r})" if spec is not None else ""
                raise TypeError(f"{cls.__name__} has no field {name!r}{hint}")
        copy = cls.__new__(cls)
        for spec in cls.__model_fields__:
            if spec.name in changes:
                value = changes[spec.name]
                setattr(copy, spec.slot, None if value is None else validate(cls, spec, value))
                if spec.text_slot is not None:
                    setattr(copy, spec.text_slot, None)
            else:
                setattr(copy, spec.slot, getattr(self, spec.slot))
                if spec.text_slot is not None:
                    setattr(copy, spec.text_slot, getattr(self, spec.text_slot))
        extra = self._additional_properties
        copy._additional_properties = _stored_unknown(cls, extra) if extra else None
        return copy

    # -- pydantic: imported when pydantic asks, never with the package --

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """How pydantic validates and serializes the model as a field type: through
        `from_dict`, to the model (Python mode) or its API form (JSON mode).
        """
        from ._pydantic import core_schema_of

        return core_schema_of(cls)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        """The model's [`json_schema`][purecloud_internal_message.Model.json_schema] in
        pydantic's (and FastAPI's) schema, nested models as named definitions.
        """
        from ._pydantic import json_schema_of

        return json_schema_of(cls, schema, handler)

    @property
    def additional_properties(self) -> dict[str, Any]:
        """Fields the model does not know, by their original key, with their
        original values. Written back by every serializer.
        """
        extra = self._additional_properties
        if extra is None:  # created on demand: most records have none
            _tracking.track_again(self)  # the caller may put anything in it
            extra = self._additional_properties = {}
        return extra

    @additional_properties.setter
    def additional_properties(self, value: dict[str, Any] | None) -> None:
        """Store a copy of `value` in plain JSON types, checked as decoding checks
        unknown fields (the record's own level counts as level 1).

        Raises:
            TypeError: `value` is not a dict or None; a key is not a `str`; a value
                is of a type JSON has no form for.
            ValueError: a key is a field's name (either spelling); a value is NaN
                or an infinity, an integer of more than 640 digits, nested more
                than 100 levels deep, or holds a lone surrogate (in a key too).
                The message names the key and the rule.
        """
        stored = _stored_unknown(type(self), value)
        _tracking.track_again(self)
        self._additional_properties = stored

    def __copy__(self) -> Self:
        """A shallow copy (`copy.copy`): fields, nested models and lists, and the dict
        of unknown fields shared with the original, as `dataclasses`' copies share
        theirs. Nothing new is stored, so nothing is checked (pickling and
        `copy.deepcopy` go through `__setstate__`, which checks what it stores).
        """
        cls = type(self)
        copy = cls.__new__(cls)
        for spec in cls.__model_fields__:
            setattr(copy, spec.slot, getattr(self, spec.slot))
            if spec.text_slot is not None:
                setattr(copy, spec.text_slot, getattr(self, spec.text_slot))
        # An empty dict is not shared: the getter made it on demand for this instance.
        copy._additional_properties = self._additional_properties or None
        return copy

    def __getstate__(self) -> dict[str, Any]:
        state = {spec.name: getattr(self, spec.slot) for spec in self.__model_fields__}
        if self._additional_properties:
            state["__additional_properties__"] = self._additional_properties
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Checked as the constructor and the additional_properties setter check,
        # all before anything is stored: a state that cannot be written is refused.
        cls = type(self)
        get = state.get
        values = []
        for spec in cls.__model_fields__:
            value = get(spec.name)
            # An ASCII str in a text field is what validate() would return (most values).
            if value is not None and not (type(value) is str and spec.is_text and value.isascii()):
                value = validate(cls, spec, value)
            values.append(value)
        extra = get("__additional_properties__")
        if extra is not None:
            extra = _stored_unknown(cls, extra)
        _tracking.track_again(self)
        for spec, value in zip(cls.__model_fields__, values, strict=True):
            setattr(self, spec.slot, value)
            if spec.text_slot is not None:
                setattr(self, spec.text_slot, None)
        self._additional_properties = extra or None


# The stubs of the generated methods, replaced on each class by its codec's functions.
Model.__model_stubs__ = {name: Model.__dict__[name] for name in GENERATED}


def replace(model: _M, /, **changes: Any) -> _M:
    """A copy of `model` with `changes` (fields by Python name), checked as the
    constructor checks them: `copy.replace` for any Python version.

    The same as `model.__replace__(**changes)`: unchanged fields are shared with
    the original (nested models and lists included), as `dataclasses.replace`
    shares them; the unknown fields are copied; a changed timestamp loses the
    original text the API form keeps for unchanged ones.

    Raises:
        TypeError: `model` is not a model, a name is not a field's, or a value
            has the wrong type.
        ValueError: a value the API form cannot hold.
    """
    if not isinstance(model, Model):
        raise TypeError(f"replace() takes a model, got {type(model).__name__}")
    return model.__replace__(**changes)


#: What gives a model class its codec (an object with the generated functions by
#: name as ``functions``), installing it on the class. ``_codecs`` provides it when the
#: package loads, through `use_codecs`: the codecs import the model classes, so this
#: module, which every model class imports, must not import them.
_codec_of: Callable[[type[Model]], Any] | None = None


def use_codecs(codec_of: Callable[[type[Model]], Any]) -> None:
    """Make ``codec_of`` what gives model classes their codecs (``_codecs`` calls it once)."""
    global _codec_of  # noqa: PLW0603 - set once, as the package loads
    _codec_of = codec_of


def _codec(cls: type[Model]) -> dict[str, Any]:
    """The generated functions of `cls` (a stub's first call installs them)."""
    assert _codec_of is not None, "the package's __init__ loads _codecs"
    return _codec_of(cls).functions  # type: ignore[no-any-return]


def _isoformat(value: object) -> Any:
    """What the SDK's `sanitize_for_serialization` does to a datetime (for `to_json`)."""
    return value.isoformat() if isinstance(value, datetime) else NotImplemented


def _unknown_fields_writable(model: Model) -> bool:
    """Whether ``model.to_dict()`` can be written without the writer's check pass.

    Every store checks what it keeps (constructor, setters, decoding, the
    ``additional_properties`` setter, ``replace``, ``__setstate__``), so the known
    fields hold only what JSON can. Two things can hold more: the dict of unknown
    fields, which the getter hands out live, and a ``to_dict`` other than the
    generated one (a subclass's). So each model whose own ``to_dict`` the
    generated code calls (the record, subclasses, models with unknown fields)
    must have the generated one, and every dict of unknown fields must pass the
    writer's check.
    """
    if not _encodes_as_generated(type(model)):
        return False
    pending: list[Any] = [model]
    while pending:
        item = pending.pop()
        extra = item._additional_properties
        if extra:
            try:
                check(extra, _isoformat)
            except (TypeError, ValueError):
                return False
        for slot, is_list, nested in type(item).__model_nested__:
            value = getattr(item, slot)
            if value is None:
                continue
            deeper = bool(nested.__model_nested__)
            for child in value if is_list else (value,):
                if type(child) is not nested or child._additional_properties is not None:
                    if not _encodes_as_generated(type(child)):
                        return False
                    pending.append(child)
                elif deeper:
                    pending.append(child)
    return True


def _encodes_as_generated(cls: type) -> bool:
    """Whether ``cls`` is a model class whose ``to_dict`` is its generated one."""
    codec = cls.__dict__.get("__model_codec__") if isinstance(cls, ModelMeta) else None
    return codec is not None and cls.to_dict is codec.functions["to_dict"]  # type: ignore[attr-defined]


#: ``to_json()``'s options without the caller's: ``json.dumps``'s defaults, as the SDK's.
_SDK_OPTIONS: dict[str, Any] = {"ensure_ascii": True, "separators": (", ", ": ")}
_SDK_STYLE = Style.of(_SDK_OPTIONS)

_NOTHING: frozenset[str] = frozenset()


def _stored_unknown(cls: type[Model], value: Any) -> dict[str, Any] | None:
    """What a store keeps of `value` as the unknown fields of a `cls` instance: None,
    or a copy in plain JSON types; TypeError or ValueError naming the key and the
    rule for what decoding would refuse there, or for a key that is a field's name.
    """
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError(f"additional_properties takes a dict or None, got {type(value).__name__}")
    # The fast decoder's copy first (its values sit at level 2); what it finds
    # irregular, the careful copy decides, and words.
    copied = unknown_fields(value, _NOTHING, _NOTHING, 2)
    if copied is None:
        try:
            copied = json_copy(value, 1, refuse=True)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"additional_properties: {exc}") from None
    known = cls.__model_lookup__
    for key in copied:
        if key in known:
            raise ValueError(f"{key!r} is a known field of {cls.__name__}, not an additional one")
    return copied
