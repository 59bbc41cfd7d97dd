"""The SDK's model surface: fields, properties, tables, constructor, equality, repr."""

from __future__ import annotations

import json
import pprint
import re
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import purecloud_internal_message as pim
from purecloud_internal_message import (
    INTERNAL_MESSAGE_DISCONNECT_TYPES,
    INTERNAL_MESSAGE_STATES,
    Address,
    InternalMessage,
    InternalMessageDetails,
    Segment,
    fields,
)

MODELS = [InternalMessage, Segment, Address, InternalMessageDetails]
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "sdk-269-models.md"
UTC = timezone.utc


def _reference_rows() -> dict[str, list[tuple[str, str, str, str, str]]]:
    """The field table of every model, as ../shared/reference/ states it."""
    tables: dict[str, list[tuple[str, str, str, str, str]]] = {}
    current = None
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## (\w+)$", line)
        if heading:
            current = tables.setdefault(heading.group(1), [])
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if current is None or len(cells) != 5 or not cells[0].startswith("`"):
            continue
        name, key, sdk_type, allowed, description = cells
        current.append((name.strip("`"), key.strip("`"), sdk_type.strip("`"), allowed, description))
    return tables


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference is not beside the checkout")
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_fields_are_exactly_the_reference_table(model: type[pim.Model]) -> None:
    rows = _reference_rows()[model.__name__]
    declared = [
        (
            spec.name,
            spec.key,
            spec.swagger_type,
            ", ".join(spec.enum) if spec.enum else "",
            spec.doc,
        )
        for spec in fields(model)
    ]
    assert declared == rows


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_swagger_types_and_attribute_map_equal_the_sdks(model: type[pim.Model]) -> None:
    sdk_models = pytest.importorskip("PureCloudPlatformClientV2.models")
    sdk = getattr(sdk_models, model.__name__)()
    assert model.swagger_types == sdk.swagger_types
    assert model.attribute_map == sdk.attribute_map
    assert list(model.swagger_types) == list(sdk.swagger_types)  # same order too
    instance = model()
    assert instance.swagger_types == sdk.swagger_types
    assert instance.attribute_map == sdk.attribute_map


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_field_is_a_documented_property(model: type[pim.Model]) -> None:
    for spec in fields(model):
        prop = model.__dict__[spec.name]
        assert isinstance(prop, property)
        assert prop.__doc__ == spec.doc
        assert prop.fset is not None


def test_enum_constants_and_literals() -> None:
    assert INTERNAL_MESSAGE_STATES == ("alerting", "connected", "disconnected")
    assert INTERNAL_MESSAGE_DISCONNECT_TYPES == ("client", "system", "peer", "transfer")
    specs = {spec.name: spec for spec in fields(InternalMessage)}
    assert specs["state"].enum == specs["initial_state"].enum == INTERNAL_MESSAGE_STATES
    assert specs["disconnect_type"].enum == INTERNAL_MESSAGE_DISCONNECT_TYPES
    with pytest.raises(AttributeError):
        pim.NoSuchName


def test_type_checker_literals_match_the_constants() -> None:
    """The Literal written out for type checkers lists the same values as the constant."""
    import ast

    source = Path(pim.enums.__file__).read_text(encoding="utf-8")
    literals = {
        node.target.id: tuple(ast.literal_eval(elt) for elt in node.value.slice.elts)  # type: ignore[attr-defined]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and isinstance(node.value, ast.Subscript)
    }
    assert literals == {
        "InternalMessageState": INTERNAL_MESSAGE_STATES,
        "InternalMessageDisconnectType": INTERNAL_MESSAGE_DISCONNECT_TYPES,
    }
    # The runtime aliases (built from the constants) are the ones type checkers read.
    from typing import Literal

    for name, values in literals.items():
        assert getattr(pim, name) == Literal[values]  # type: ignore[valid-type]


def test_keyword_constructor_sets_fields_and_defaults_the_rest_to_none() -> None:
    when = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    message = InternalMessage(
        id="c1",
        state="connected",
        connected_time=when,
        segments=[Segment(type="Interact")],
        to_address=Address(name="Bob"),
        messages=[InternalMessageDetails(message_id="m1", message_time=when)],
    )
    assert message.id == "c1"
    assert message.connected_time == when
    assert message.segments == [Segment(type="Interact")]
    assert message.peer_id is None
    assert message.disconnect_type is None
    assert message.additional_properties == {}


def test_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="peerID"):
        InternalMessage(peerID="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        InternalMessage("positional")  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("id", 123, "str"),
        ("id", b"bytes", "str"),
        ("state", True, "str"),
        ("connected_time", "2024-05-01T12:00:00.000Z", "datetime"),
        ("connected_time", 1714564800, "datetime"),
        ("to_address", {"name": "Bob"}, "Address"),
        ("to_address", Segment(), "Address"),
        ("segments", Segment(), "list[Segment]"),
        ("segments", (Segment(),), "list[Segment]"),
        ("segments", [Segment(), None], "list[Segment]"),
        ("messages", [Segment()], "list[InternalMessageDetails]"),
    ],
)
def test_setters_and_constructor_check_types(field: str, value: Any, expected: str) -> None:
    message = InternalMessage()
    with pytest.raises(TypeError, match=re.escape(f"InternalMessage.{field} takes {expected}")):
        setattr(message, field, value)
    with pytest.raises(TypeError, match=re.escape(f"InternalMessage.{field} takes {expected}")):
        InternalMessage(**{field: value})
    assert getattr(message, field) is None  # a refused value leaves the field alone


def test_enum_fields_take_none_and_any_string() -> None:
    message = InternalMessage(state="connected")
    message.state = None  # the SDK raises AttributeError here
    assert message.state is None
    message.disconnect_type = "brand_new_reason"  # the SDK stores "outdated_sdk_version"
    assert message.disconnect_type == "brand_new_reason"
    message.initial_state = "CONNECTED"
    assert message.initial_state == "CONNECTED"


def test_setting_a_timestamp_forgets_the_decoded_text() -> None:
    message = InternalMessage.from_dict({"connectedTime": "2024-05-01T12:00:00.000Z"})
    message.connected_time = datetime(2024, 5, 1, 13, 0, 0, 500, tzinfo=UTC)
    assert message.to_api_dict() == {"connectedTime": "2024-05-01T13:00:00.000500Z"}


def test_out_of_range_utc_timestamp_is_refused() -> None:
    from datetime import timedelta

    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))
    with pytest.raises(ValueError, match="out of range"):
        Segment(start_time=early)


def test_equality_and_comparison_with_other_types() -> None:
    one = InternalMessage(id="a", segments=[Segment(type="x")])
    two = InternalMessage(id="a", segments=[Segment(type="x")])
    assert one == two
    assert not one != two  # noqa: SIM202 - __ne__ itself is under test
    two.segments[0].type = "y"  # type: ignore[index]
    assert one != two
    for other in (None, 1, "a", {"id": "a"}, Segment(), object()):
        assert (one == other) is False  # the SDK raises AttributeError
        assert (one != other) is True
    assert InternalMessage() != Segment()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_equality_needs_the_same_class(codecs: ModuleType, model: type[pim.Model]) -> None:
    """An instance of a subclass, with the same fields, is another thing (both ways)."""
    sub = type(f"Sub{model.__name__}", (model,), {"__slots__": ()})
    eq = codecs.CODECS[model]["__eq__"]
    assert eq(model(), model()) is True
    assert eq(model(), sub()) is False
    assert (model() == sub()) is False
    assert (sub() == model()) is False
    assert sub() == sub()


def test_unknown_fields_take_part_in_equality() -> None:
    one = InternalMessage.from_dict({"id": "a", "newField": 1})
    assert one != InternalMessage.from_dict({"id": "a"})
    assert one == InternalMessage.from_dict({"id": "a", "newField": 1})
    assert InternalMessage(id="a") == InternalMessage.from_dict({"id": "a"})
    empty = InternalMessage(id="a")
    assert empty.additional_properties == {}  # created on demand ...
    assert empty == InternalMessage(id="a")  # ... and still equal to one never asked


def test_models_are_unhashable() -> None:
    with pytest.raises(TypeError):
        hash(InternalMessage())
    with pytest.raises(TypeError):
        {Segment()}


def test_to_dict_has_every_field_with_nested_dicts_and_datetimes() -> None:
    when = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    message = InternalMessage(id="a", connected_time=when, to_address=Address(name="B"))
    result = message.to_dict()
    assert list(result) == list(InternalMessage.swagger_types)
    assert result["connected_time"] is when
    assert result["to_address"] == {
        "name": "B",
        "name_raw": None,
        "address_normalized": None,
        "address_raw": None,
        "address_displayable": None,
    }
    assert result["segments"] is None


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_to_dict_puts_unknown_fields_after_the_known_ones(
    codecs: ModuleType, model: type[pim.Model]
) -> None:
    record = {"zUnknown": 1, **{spec.key: None for spec in fields(model)}, "aUnknown": 2}
    decoded = codecs.CODECS[model]["from_dict"](model, record)
    keys = list(codecs.CODECS[model]["to_dict"](decoded))
    assert keys == [*model.swagger_types, "zUnknown", "aUnknown"]


def test_repr_and_to_str_are_pformat_of_to_dict() -> None:
    message = InternalMessage.from_dict(
        {"id": "a", "segments": [{"type": "Interact"}], "extra": [1, 2]}
    )
    assert repr(message) == pprint.pformat(message.to_dict())
    assert message.to_str() == repr(message)


def test_to_json_is_the_sdk_form() -> None:
    message = InternalMessage(id="a", connected_time=datetime(2024, 5, 1, tzinfo=UTC))
    decoded = json.loads(message.to_json())
    assert decoded["connected_time"] == "2024-05-01T00:00:00+00:00"
    assert decoded["id"] == "a"
    assert decoded["segments"] is None


def test_additional_properties_setter_checks_keys() -> None:
    message = InternalMessage()
    message.additional_properties = {"newField": 1}
    assert message.to_api_dict() == {"newField": 1}
    for bad in ({"peerId": 1}, {"peer_id": 1}):
        with pytest.raises(ValueError, match="known field"):
            message.additional_properties = bad
    with pytest.raises(TypeError):
        message.additional_properties = {1: "x"}  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        message.additional_properties = ["x"]  # type: ignore[assignment]
    message.additional_properties = None
    assert message.additional_properties == {}


def test_serializers_do_not_share_unknown_values_with_the_model() -> None:
    message = InternalMessage.from_dict({"extra": {"nested": [1]}})
    message.to_dict()["extra"]["nested"].append(2)
    message.to_api_dict()["extra"]["nested"].append(3)
    assert message.additional_properties == {"extra": {"nested": [1]}}


def test_subclass_builds_its_own_instances() -> None:
    class Custom(InternalMessage):
        __slots__ = ()

        def describe(self) -> str:
            return f"custom {self.id}"

    decoded = Custom.from_dict({"id": "x", "segments": [{"type": "Interact"}]})
    assert type(decoded) is Custom
    assert decoded.describe() == "custom x"
    assert type(Custom(id="y")) is Custom
    assert type(InternalMessage.from_dict({"id": "x"})) is InternalMessage
    assert decoded != InternalMessage.from_dict({"id": "x", "segments": [{"type": "Interact"}]})


def test_subclass_with_its_own_init_can_call_super() -> None:
    class Labelled(Segment):
        __slots__ = ("label",)

        def __init__(self, label: str, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.label = label

    segment = Labelled("first", type="Interact")
    assert segment.type == "Interact"
    assert segment.label == "first"


def test_no_runtime_dependency_on_typing_or_dateutil_at_import() -> None:
    import subprocess
    import sys

    code = (
        "import sys, purecloud_internal_message as p; "
        "p.InternalMessage.from_dict({'connectedTime': '2024-05-01T12:00:00.000Z'}); "
        "print(sorted(m for m in ('typing', 'dateutil', 'json', 'pprint') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
