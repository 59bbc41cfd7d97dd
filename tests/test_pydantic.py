"""pydantic v2: the models as field types and TypeAdapter types, through the package's decoder."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import warnings
from typing import Annotated, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ConfigDict, Field, Strict, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from purecloud_internal_message import (
    Address,
    InternalMessage,
    InternalMessageDetails,
    Model,
    Segment,
    ValidationError,
    fields,
)
from purecloud_internal_message._pydantic import ERROR_TYPE
from strategies import api_payloads, examples, json_values

PAYLOAD: dict[str, Any] = {
    "id": "c-1",
    "state": "connected",
    "connectedTime": "2024-05-01T12:34:56.789Z",
    "toAddress": {"name": "Bob Smith"},
    "segments": [{"type": "Interact", "startTime": "2024-05-01T12:34:56.789Z"}],
    "messages": [{"messageId": "m-1", "messageTime": "2024-05-01T12:35:00.000Z"}],
    "queueMediaSettings": {"priority": 5},
}
BAD: dict[str, Any] = {
    "state": 5,
    "segments": [None],
    "messages": [{}, {}, {"messageTime": "May 1"}],
}


class Envelope(BaseModel):
    message: InternalMessage
    note: str = ""


class StrictEnvelope(BaseModel):
    model_config = ConfigDict(strict=True)
    message: InternalMessage


class TaggedMessage(InternalMessage):
    """A user's subclass."""


def errors_of(call: Any) -> list[dict[str, Any]]:
    with pytest.raises(PydanticValidationError) as caught:
        call()
    return caught.value.errors()  # type: ignore[return-value]


def package_errors(data: Any, *, strict: bool = False) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_dict(data, strict=strict)
    return [(item.path, item.message) for item in caught.value.errors]


def render(loc: tuple[str | int, ...]) -> str:
    """A loc written back as an ErrorItem path."""
    path = ""
    for part in loc:
        path = f"{path}[{part}]" if isinstance(part, int) else f"{path}.{part}" if path else part
    return path


def walk(data: Any, loc: tuple[str | int, ...]) -> Any:
    for part in loc:
        data = data[part]
    return data


# -- importing --


def test_importing_and_using_the_package_does_not_import_pydantic() -> None:
    code = (
        "import sys, purecloud_internal_message as p\n"
        'm = p.InternalMessage.from_json(\'{"id": "x"}\')\n'
        "p.InternalMessage.json_schema(); m.to_api_json(); repr(m); p.replace(m, id='y')\n"
        "print(sorted(n for n in sys.modules if n.startswith(('pydantic', 'fastapi'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# -- validation --


def test_a_field_takes_the_api_form_the_sdk_form_json_and_instances() -> None:
    expected = InternalMessage.from_dict(PAYLOAD)
    assert Envelope(message=PAYLOAD).message == expected  # type: ignore[arg-type]
    assert Envelope.model_validate({"message": PAYLOAD}).message == expected
    assert Envelope.model_validate({"message": expected.to_dict()}).message == expected
    text = json.dumps({"message": PAYLOAD})
    assert Envelope.model_validate_json(text).message == expected
    sdk_text = json.dumps({"message": json.loads(expected.to_json())})
    assert Envelope.model_validate_json(sdk_text).message == expected
    # An instance is taken as it is, as pydantic takes its own models.
    assert Envelope(message=expected).message is expected


def test_arbitrary_types_allowed_changes_nothing() -> None:
    # The old workaround (instances only) is no longer needed, and does no harm.
    class Loose(BaseModel):
        model_config = ConfigDict(arbitrary_types_allowed=True)
        message: InternalMessage

    loose = Loose.model_validate_json(json.dumps({"message": PAYLOAD}))
    assert loose.message == InternalMessage.from_dict(PAYLOAD)
    assert "InternalMessage" in Loose.model_json_schema()["$defs"]


def test_a_type_adapter_validates_python_and_json() -> None:
    adapter = TypeAdapter(InternalMessage)
    expected = InternalMessage.from_dict(PAYLOAD)
    assert adapter.validate_python(PAYLOAD) == expected
    assert adapter.validate_json(json.dumps(PAYLOAD)) == expected
    assert adapter.validate_json(json.dumps(PAYLOAD).encode()) == expected
    assert TypeAdapter(list[Segment]).validate_python([{"type": "Interact"}]) == [
        Segment(type="Interact")
    ]


def test_a_subclass_field_builds_the_subclass() -> None:
    class Holder(BaseModel):
        message: TaggedMessage

    message = Holder.model_validate({"message": PAYLOAD}).message
    assert type(message) is TaggedMessage
    assert message.to_api_dict() == InternalMessage.from_dict(PAYLOAD).to_api_dict()


def test_every_problem_is_a_pydantic_error_with_the_inner_path() -> None:
    errors = errors_of(lambda: Envelope.model_validate({"message": BAD}))
    assert [(error["loc"], error["input"]) for error in errors] == [
        (("message", "state"), 5),
        (("message", "segments", 0), None),
        (("message", "messages", 2, "messageTime"), "May 1"),
    ]
    assert [error["msg"] for error in errors] == [message for _, message in package_errors(BAD)]
    assert {error["type"] for error in errors} == {ERROR_TYPE}


def test_json_input_reports_the_same_problems() -> None:
    python = errors_of(lambda: Envelope.model_validate({"message": BAD}))
    from_json = errors_of(lambda: Envelope.model_validate_json(json.dumps({"message": BAD})))
    assert from_json == python


def test_a_value_that_is_no_object_is_one_error_at_the_field() -> None:
    errors = errors_of(lambda: Envelope.model_validate({"message": "hello"}))
    assert errors == [
        {
            "type": ERROR_TYPE,
            "loc": ("message",),
            "msg": "expected an object (InternalMessage), got string 'hello'",
            "input": "hello",
        }
    ]
    # Nor is a model of another class an InternalMessage.
    errors = errors_of(lambda: Envelope(message=Segment()))  # type: ignore[arg-type]
    assert errors[0]["loc"] == ("message",)
    assert errors[0]["msg"].startswith("expected an object (InternalMessage), got Segment")


def test_messages_are_final_text_never_a_template() -> None:
    # The value shows up in the message with its braces; nothing is substituted.
    data = {"state": {"x": "{message}"}}
    errors = errors_of(lambda: TypeAdapter(InternalMessage).validate_python(data))
    assert errors[0]["msg"] == package_errors(data)[0][1]
    assert "{'x': '{message}'}" in errors[0]["msg"]


def test_errors_in_lists_of_models_carry_the_index() -> None:
    errors = errors_of(
        lambda: TypeAdapter(list[InternalMessage]).validate_python([PAYLOAD, {"segments": "x"}])
    )
    assert [error["loc"] for error in errors] == [(1, "segments")]


# -- the location of a problem --


def _nan() -> float:
    return float("nan")  # a new object each time: found by identity below


@pytest.mark.parametrize(
    ("make", "locs"),
    [
        # An unknown key holding a dot beside the key and the member it seems to name.
        (lambda: {"a.b": _nan(), "a": {"b": _nan()}}, [("a.b",), ("a", "b")]),
        (lambda: {"a": {"b": _nan()}, "a.b": _nan()}, [("a", "b"), ("a.b",)]),
        (lambda: {"a.b": {"c": _nan()}, "a": {"b.c": _nan()}}, [("a.b", "c"), ("a", "b.c")]),
        # Brackets and digits: a key is never an index.
        (lambda: {"a[0]": _nan(), "a": [_nan()]}, [("a[0]",), ("a", 0)]),
        (lambda: {"x[1]": [0, _nan()]}, [("x[1]", 1)]),
        (lambda: {"a": {"[0]": _nan(), "0": _nan()}}, [("a", "[0]"), ("a", "0")]),
        (lambda: {"]": {"": _nan()}, "": {"": _nan()}}, [("]", ""), ("", "")]),
        (lambda: {"a.": [[_nan()]], ".": _nan()}, [("a.", 0, 0), (".",)]),
    ],
)
def test_the_loc_is_the_decoders_whatever_the_keys_hold(
    make: Any, locs: list[tuple[str | int, ...]]
) -> None:
    data = make()
    assert [item.loc for item in _package_items(data)] == locs
    errors = errors_of(lambda: Envelope.model_validate({"message": data}))
    assert [error["loc"] for error in errors] == [("message", *loc) for loc in locs]
    for error, loc in zip(errors, locs, strict=True):
        assert error["input"] is walk(data, loc)
        assert error["msg"] == "NaN is not a JSON value"


def test_the_loc_of_each_kind_of_problem() -> None:
    data = {
        "id": 5,  # a field
        "toAddress": {"name": 5},  # a field of a nested model
        "segments": [{}, 7],  # a list item
        "x": {"y": [1, {"z": _nan()}]},  # an unknown field's value, in lists and objects
        "peerId": "p",
        "peer_id": "p",  # the same field in its other spelling
        1: "a",  # a key that is not a string: the object's problem
    }
    expected = [
        ("id",),
        ("toAddress", "name"),
        ("segments", 1),
        ("x", "y", 1, "z"),
        ("peer_id",),
        (),
    ]
    assert [item.loc for item in _package_items(data)] == expected
    errors = errors_of(lambda: TypeAdapter(InternalMessage).validate_python(data))
    assert [error["loc"] for error in errors] == expected
    assert errors[-1]["input"] is data  # the root's problem: the input as a whole
    assert errors[3]["input"] is data["x"]["y"][1]["z"]  # type: ignore[index]
    assert errors[4]["input"] == "p"


def _package_items(data: Any) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        InternalMessage.from_dict(data)
    return caught.value.errors


# Keys made of the path's own punctuation, to trip a reader that splits on it.
tricky_keys = st.text(alphabet="a.[]0 ", min_size=0, max_size=4)
tricky_values = st.recursive(
    st.integers() | st.just(math.nan),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(tricky_keys, children, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=examples(300))
@given(payload=api_payloads(), extra=st.dictionaries(tricky_keys, tricky_values, max_size=3))
def test_every_error_leads_to_the_value_it_reports(
    payload: dict[str, Any], extra: dict[str, Any]
) -> None:
    # NaN is no JSON value: each one in an unknown field is a problem of its own.
    data = {**payload, **{"x-" + key: value for key, value in extra.items()}}
    try:
        InternalMessage.from_dict(data)
    except ValidationError as error:
        expected = [(item.path, item.message) for item in error.errors]
        locs = [item.loc for item in error.errors]
    else:
        return
    errors = errors_of(lambda: TypeAdapter(InternalMessage).validate_python(data))
    assert [(render(e["loc"]), e["msg"]) for e in errors] == expected
    assert [e["loc"] for e in errors] == locs
    for found in errors:
        value = walk(data, found["loc"])
        assert value is found["input"]


def corrupt(value: Any, draw: st.DrawFn) -> Any:
    """``value`` with some of its parts replaced by any JSON value."""
    if draw(st.integers(0, 6)) == 0:
        return draw(json_values)
    if isinstance(value, dict):
        return {key: corrupt(item, draw) for key, item in value.items()}
    if isinstance(value, list):
        return [corrupt(item, draw) for item in value]
    return value


@st.composite
def corrupted_payloads(draw: st.DrawFn) -> dict[str, Any]:
    return {key: corrupt(value, draw) for key, value in draw(api_payloads()).items()}


@settings(max_examples=examples(300))
@given(data=corrupted_payloads(), strict=st.booleans())
def test_pydantic_accepts_and_refuses_exactly_what_from_dict_does(
    data: dict[str, Any], strict: bool
) -> None:
    adapter = TypeAdapter(InternalMessage)
    try:
        expected = InternalMessage.from_dict(data, strict=strict)
    except ValidationError as error:
        problems = [(item.path, item.message) for item in error.errors]
        errors = errors_of(lambda: adapter.validate_python(data, strict=strict))
        assert [(render(e["loc"]), e["msg"]) for e in errors] == problems
        for found in errors:
            assert walk(data, found["loc"]) is found["input"]
    else:
        assert adapter.validate_python(data, strict=strict) == expected
        assert adapter.validate_json(json.dumps(data), strict=strict) == expected


# -- strict mode --

STRICT_ONLY = {"id": "c-1", "state": "queued", "unknownKey": 1}


def test_lax_validation_keeps_unknown_fields_and_values() -> None:
    message = Envelope.model_validate({"message": STRICT_ONLY}).message
    assert message.additional_properties == {"unknownKey": 1}
    assert message.state == "queued"


@pytest.mark.parametrize(
    "validate",
    [
        pytest.param(lambda d: StrictEnvelope.model_validate({"message": d}).message, id="config"),
        pytest.param(
            lambda d: StrictEnvelope.model_validate_json(json.dumps({"message": d})).message,
            id="config-json",
        ),
        pytest.param(
            lambda d: Envelope.model_validate({"message": d}, strict=True).message,
            id="model_validate",
        ),
        pytest.param(
            lambda d: Envelope.model_validate_json(json.dumps({"message": d}), strict=True).message,
            id="model_validate_json",
        ),
        pytest.param(
            lambda d: TypeAdapter(InternalMessage).validate_python(d, strict=True), id="adapter"
        ),
        pytest.param(
            lambda d: TypeAdapter(Annotated[InternalMessage, Strict()]).validate_python(d),
            id="Strict()",
        ),
        pytest.param(
            lambda d: TypeAdapter(Annotated[InternalMessage, Field(strict=True)]).validate_python(
                d
            ),
            id="Field(strict=True)",
        ),
    ],
)
def test_pydantic_strict_mode_is_the_decoders_strict_mode(validate: Any) -> None:
    errors = errors_of(lambda: validate(STRICT_ONLY))
    locs = [e["loc"][1:] if e["loc"][:1] == ("message",) else e["loc"] for e in errors]
    assert [(render(loc), e["msg"]) for loc, e in zip(locs, errors, strict=True)] == package_errors(
        STRICT_ONLY, strict=True
    )
    assert validate({"id": "c-1", "state": "CONNECTED"}).state == "CONNECTED"


def test_strict_mode_takes_an_instance_as_it_is() -> None:
    message = InternalMessage.from_dict(STRICT_ONLY)
    assert StrictEnvelope(message=message).message is message


# -- serialization --


def test_python_mode_dumps_the_model_and_json_mode_its_api_form() -> None:
    envelope = Envelope.model_validate({"message": PAYLOAD})
    assert envelope.model_dump()["message"] is envelope.message
    assert envelope.model_dump(mode="json")["message"] == envelope.message.to_api_dict()
    assert json.loads(envelope.model_dump_json())["message"] == json.loads(
        envelope.message.to_api_json()
    )
    adapter = TypeAdapter(InternalMessage)
    assert json.loads(adapter.dump_json(envelope.message)) == envelope.message.to_api_dict()


@settings(max_examples=examples(100))
@given(payload=api_payloads())
def test_json_round_trip_through_pydantic_is_lossless(payload: dict[str, Any]) -> None:
    envelope = Envelope.model_validate({"message": payload})
    again = Envelope.model_validate_json(envelope.model_dump_json())
    assert again.message == envelope.message
    assert again.message.to_api_json() == envelope.message.to_api_json()


def test_a_value_of_another_type_is_pydantics_warning_not_a_crash() -> None:
    envelope = Envelope.model_construct(message={"id": "x"})  # skips validation
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = envelope.model_dump_json()
    assert json.loads(text)["message"] == {"id": "x"}
    assert any("expected InternalMessage, got dict" in str(w.message) for w in caught)


def test_a_union_serializes_each_model_as_its_own_class() -> None:
    class Either(BaseModel):
        value: InternalMessage | Segment

    either = Either(value=Segment(type="Interact"))
    assert type(either.value) is Segment  # validated as the Segment it is
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert json.loads(either.model_dump_json()) == {"value": {"type": "Interact"}}
        assert either.model_dump()["value"] is either.value


# -- JSON Schema --


def inline(schema: Any, defs: dict[str, Any], prefix: str) -> Any:
    """``schema`` with every ``$ref`` into ``defs`` replaced by what it names."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return inline(defs[schema["$ref"].removeprefix(prefix)], defs, prefix)
        return {key: inline(value, defs, prefix) for key, value in schema.items()}
    if isinstance(schema, list):
        return [inline(item, defs, prefix) for item in schema]
    return schema


def own_schema(model: type[Model], *, strict: bool = False) -> Any:
    """The package's own schema of ``model``, every reference resolved."""
    schema = model.json_schema(strict=strict)
    defs = schema.pop("$defs", {})
    del schema["$schema"]
    return inline(schema, defs, "#/$defs/")


def pydantic_property(
    schema: dict[str, Any], name: str, prefix: str = "#/$defs/"
) -> dict[str, Any]:
    return inline(schema["properties"][name], schema.get("$defs", {}), prefix)  # type: ignore[no-any-return]


@pytest.mark.parametrize("mode", ["validation", "serialization"])
def test_the_json_schema_is_the_packages_own_with_its_definitions_merged(mode: Any) -> None:
    schema = Envelope.model_json_schema(mode=mode)
    Draft202012Validator.check_schema(schema)
    assert schema["properties"]["message"] == {"$ref": "#/$defs/InternalMessage"}
    assert set(schema["$defs"]) == {
        "InternalMessage",
        "Segment",
        "Address",
        "InternalMessageDetails",
    }
    assert pydantic_property(schema, "message") == own_schema(InternalMessage)
    for model in (Segment, Address, InternalMessageDetails):
        node = schema["$defs"][model.__name__]
        assert node["title"] == model.__name__
        assert list(node["properties"]) == [spec.key for spec in fields(model)]


def test_definitions_are_named_apart_from_other_classes_of_the_same_name() -> None:
    class Address(BaseModel):  # a user's model that shares a name with one of ours
        street: str

    class Segment(BaseModel):
        number: int

    class Mixed(BaseModel):
        home: Address
        message: InternalMessage
        part: Segment

    for mode in ("validation", "serialization"):
        schema = Mixed.model_json_schema(mode=mode)  # type: ignore[arg-type]
        Draft202012Validator.check_schema(schema)
        assert pydantic_property(schema, "message") == own_schema(InternalMessage)
        assert pydantic_property(schema, "home")["required"] == ["street"]
        assert pydantic_property(schema, "part")["required"] == ["number"]
        validator = Draft202012Validator(schema)
        good = {"home": {"street": "Main"}, "message": PAYLOAD, "part": {"number": 1}}
        assert validator.is_valid(good)
        assert not validator.is_valid({**good, "home": {"name": "Bob"}})
        assert not validator.is_valid({**good, "message": {"toAddress": {"name": 5}}})


def test_a_model_used_directly_and_nested_shares_one_definition() -> None:
    class Both(BaseModel):
        address: Address
        message: InternalMessage

    schema = Both.model_json_schema()
    assert schema["properties"]["address"] == {"$ref": "#/$defs/Address"}
    assert set(schema["$defs"]) == {
        "InternalMessage",
        "Segment",
        "Address",
        "InternalMessageDetails",
    }
    assert pydantic_property(schema, "address") == own_schema(Address)


def test_a_strict_field_has_the_strict_schema_when_validating() -> None:
    class Marked(BaseModel):
        message: Annotated[InternalMessage, Strict()]

    validation = Marked.model_json_schema(mode="validation")
    assert pydantic_property(validation, "message") == own_schema(InternalMessage, strict=True)
    # What is written out is the API form, unknown fields and values included.
    serialization = Marked.model_json_schema(mode="serialization")
    assert pydantic_property(serialization, "message") == own_schema(InternalMessage)


def test_lax_and_strict_uses_get_separate_definitions() -> None:
    class Marked(BaseModel):
        lax: InternalMessage
        strict: Annotated[InternalMessage, Strict()]

    schema = Marked.model_json_schema()
    Draft202012Validator.check_schema(schema)
    assert pydantic_property(schema, "lax") == own_schema(InternalMessage)
    assert pydantic_property(schema, "strict") == own_schema(InternalMessage, strict=True)
    validator = Draft202012Validator(schema)
    assert validator.is_valid({"lax": STRICT_ONLY, "strict": {"id": "c-1"}})
    assert not validator.is_valid({"lax": STRICT_ONLY, "strict": STRICT_ONLY})


@settings(max_examples=examples(100))
@given(payload=api_payloads())
def test_payloads_are_valid_under_pydantics_schema(payload: dict[str, Any]) -> None:
    schema = Envelope.model_json_schema()
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert validator.is_valid({"message": payload})


def test_a_type_adapter_has_the_schema_too() -> None:
    # At the top, pydantic writes the root definition in place, as for its own models.
    schema = TypeAdapter(InternalMessage).json_schema()
    own = InternalMessage.json_schema()
    del own["$schema"]
    assert schema == own


class _RaisingDict(dict):  # type: ignore[type-arg]
    """A dict subclass whose own item access raises (found by the fuzzer)."""

    def __getitem__(self, key: Any) -> Any:
        raise RuntimeError("no")

    def __contains__(self, key: object) -> bool:
        raise RuntimeError("no")


def test_a_hostile_container_still_gives_a_pydantic_error() -> None:
    # Locating the bad value read the data through the container's own methods,
    # and their RuntimeError escaped from validate_python.
    data = _RaisingDict(id=5)
    with pytest.raises(PydanticValidationError) as caught:
        TypeAdapter(InternalMessage).validate_python(data)
    (error,) = caught.value.errors()
    assert error["loc"] == ("id",)
    assert error["msg"] == "expected a string, got number 5"
    assert error["input"] is None  # where the value cannot be read
