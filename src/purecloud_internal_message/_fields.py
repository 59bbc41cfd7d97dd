"""The field table: how a model declares its fields, and what the machinery reads back.

A model declares each field once, as an annotated class attribute whose value
is `field()`:

    class Address(Model):
        name: str | None = field("This will be nameRaw if present ...", default=None)

The annotation is the field's type for type checkers *and* for the runtime: it
is the SDK's own type string (`str`, `datetime`, `Address`,
`list[Segment]`) followed by `| None`. Everything else (properties,
`swagger_types`, `attribute_map`, codecs, JSON Schema, docs pages) is
derived from the `FieldSpec` objects the model class collects.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._model import Model

# The kinds of value a field can hold. Plain strings keep the generated code
# and the error messages readable.
STR = "str"
DATETIME = "datetime"
MODEL = "model"
MODEL_LIST = "list"


class FieldDeclaration:
    """What `field()` returns: the declared facts of one field, before its class exists."""

    __slots__ = ("doc", "enum", "key")

    def __init__(self, doc: str, key: str | None, enum: tuple[str, ...] | None) -> None:
        self.doc = doc
        self.key = key
        self.enum = enum


def field(
    doc: str,
    *,
    key: str | None = None,
    enum: tuple[str, ...] | None = None,
    default: None = None,
) -> Any:
    """Declare a model field.

    Args:
        doc: The field's description (the API's own documentation).
        key: The JSON key; by default the camelCase form of the Python name.
        enum: The values the API documents for an enum field. Enum fields stay
            open: other strings are kept, and only `strict=True` decoding
            refuses them.
        default: Always `None`. It is spelled out at each declaration so that
            type checkers (which read `dataclass_transform` field specifiers
            by their arguments) know every field is optional.
    """
    del default  # every field defaults to None; the parameter exists for type checkers
    return FieldDeclaration(doc, key, enum)


def camel_case(name: str) -> str:
    """`target_user_id` -> `targetUserId`: the API's spelling of a Python name."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class FieldSpec:
    """One row of a model's field table, complete with its resolved type.

    Read a model's rows with [`fields()`][purecloud_internal_message.fields];
    the package builds them from the model's declaration.

    Attributes:
        name (str): The Python attribute name (`peer_id`).
        key (str): The JSON key the API uses (`peerId`).
        swagger_type (str): The type as the SDK writes it in `swagger_types`
            (`str`, `datetime`, `Address`, `list[Segment]`).
        doc (str): The description, as the API documents it.
        enum (tuple[str, ...] | None): The documented enum values, or None for a
            free-form field.
        kind (str): What the field holds: `"str"`, `"datetime"`, `"model"` (one
            nested model) or `"list"` (a list of them).
        model (type[Model] | None): The nested model class of a `"model"` or
            `"list"` field, else None.
        is_text (bool): The field holds a string (`"str"`).
        is_timestamp (bool): The field holds a timestamp (`"datetime"`).
        is_model (bool): The field holds one nested model (`"model"`).
        is_model_list (bool): The field holds a list of nested models (`"list"`).
    """

    __slots__ = (
        "doc",
        "enum",
        "enum_lower",
        "is_model",
        "is_model_list",
        "is_text",
        "is_timestamp",
        "key",
        "kind",
        "model",
        "name",
        "slot",
        "swagger_type",
        "text_slot",
    )

    def __init__(
        self,
        name: str,
        declaration: FieldDeclaration,
        swagger_type: str,
        kind: str,
        model: type[Model] | None,
    ) -> None:
        #: The Python attribute name (`peer_id`).
        self.name = name
        #: The JSON key the API uses (`peerId`).
        self.key = declaration.key or camel_case(name)
        #: The description, as the API documents it.
        self.doc = declaration.doc
        #: The documented enum values, or None for a free-form field.
        self.enum = declaration.enum
        #: The enum values lower-cased: the API matches them case-insensitively.
        self.enum_lower = (
            frozenset(v.lower() for v in declaration.enum) if declaration.enum else None
        )
        #: One of STR, DATETIME, MODEL, MODEL_LIST; read it through the predicates
        #: below, the one place that compares kinds.
        self.kind = kind
        self.is_text = kind == STR
        self.is_timestamp = kind == DATETIME
        self.is_model = kind == MODEL
        self.is_model_list = kind == MODEL_LIST
        #: The nested model class for MODEL and MODEL_LIST fields.
        self.model = model
        #: The type as the SDK writes it in `swagger_types`.
        self.swagger_type = swagger_type
        #: The instance slot that stores the value.
        self.slot = "_" + name
        #: For a timestamp, the slot that keeps the API text it was read from (None
        #: when it was not read from canonical text); None for other fields.
        self.text_slot = self.slot + "_text" if self.is_timestamp else None

    def __repr__(self) -> str:
        return f"FieldSpec({self.name!r}, key={self.key!r}, type={self.swagger_type!r})"


def parse_annotation(annotation: str) -> tuple[str, str, str | None]:
    """Split a field annotation into (swagger type, kind, nested model name).

    Accepts exactly the forms the field table uses: `T | None` or
    `Optional[T]` where T is `str`, `datetime`, a model name or
    `list[Model]`. Anything else is a mistake in a model declaration.
    """
    text = annotation.replace(" ", "")
    if text.startswith("Optional[") and text.endswith("]"):
        text = text[len("Optional[") : -1]
    elif text.endswith("|None"):
        text = text[: -len("|None")]
    else:
        raise TypeError(f"field annotation {annotation!r} must be optional (`T | None`)")
    if text == "str":
        return "str", STR, None
    if text == "datetime":
        return "datetime", DATETIME, None
    if text.startswith(("list[", "List[")) and text.endswith("]"):
        inner = text[5:-1]
        if inner.isidentifier():
            return f"list[{inner}]", MODEL_LIST, inner
    elif text.isidentifier():
        return text, MODEL, text
    raise TypeError(f"unsupported field annotation {annotation!r}")


def models_within(model: type[Model]) -> list[type[Model]]:
    """`model` and every model nested in it, at any depth, in the order first named."""
    found = [model]
    for current in found:  # grows while it is walked
        for spec in current.__model_fields__:
            if spec.model is not None and spec.model not in found:
                found.append(spec.model)
    return found


def untrackable(model: type[Model]) -> bool:
    """Whether every field of `model` holds a string or a datetime.

    An instance of such a model, without unknown fields, holds nothing the
    garbage collector could find a cycle through; the compiled decoders take it
    off the collector's list (see `_tracking`).
    """
    return all(spec.model is None for spec in model.__model_fields__)


def summary(model: type) -> str:
    """The first paragraph of the class's own docstring on one line, reST literals
    (````x````) as Markdown ones (```x```); ``""`` without a docstring.

    What the JSON Schema and the model pages say a model is.
    """
    doc = model.__dict__.get("__doc__")
    if not isinstance(doc, str):
        return ""
    words: list[str] = []
    for line in doc.strip().splitlines():
        if not line.strip():  # a blank line ends the first paragraph
            break
        words += line.split()
    return " ".join(words).replace("``", "`")
