"""What a user's type checker sees: checked by mypy --strict and pyright, never run by pytest.

Each ``assert_type`` states a type the package promises. Each line marked
``# type: ignore[code]`` is an error the checker must report: mypy's
``warn_unused_ignores`` (part of ``--strict``) and pyright's
``reportUnnecessaryTypeIgnoreComment`` fail the check if it stops being one.
"""

# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

from datetime import datetime, timezone
from typing import IO, Any

from pydantic import BaseModel, TypeAdapter
from typing_extensions import assert_type

from purecloud_internal_message import (
    INTERNAL_MESSAGE_STATES,
    Address,
    FieldSpec,
    InternalMessage,
    InternalMessageDetails,
    InternalMessageState,
    Model,
    Segment,
    ValidationError,
    fields,
    iter_internal_messages,
    replace,
)


class TaggedMessage(InternalMessage):
    """A user's subclass: the class methods return it, not the parent."""


def decoding(payload: dict[str, Any], text: str) -> None:
    message = InternalMessage.from_dict(payload)
    assert_type(message, InternalMessage)
    assert_type(InternalMessage.from_dict(payload, strict=True), InternalMessage)
    assert_type(InternalMessage.from_json(text), InternalMessage)
    assert_type(InternalMessage.from_json(text.encode()), InternalMessage)
    assert_type(TaggedMessage.from_dict(payload), TaggedMessage)
    assert_type(TaggedMessage.from_json(text), TaggedMessage)
    assert_type(Segment.from_dict(payload), Segment)
    InternalMessage.from_dict(payload, True)  # type: ignore[call-arg]  # strict is keyword-only


def field_types(message: InternalMessage) -> None:
    assert_type(message.id, str | None)
    assert_type(message.state, str | None)
    assert_type(message.connected_time, datetime | None)
    assert_type(message.segments, list[Segment] | None)
    assert_type(message.to_address, Address | None)
    assert_type(message.messages, list[InternalMessageDetails] | None)
    if message.segments:
        assert_type(message.segments[0].start_time, datetime | None)
    if message.messages:
        assert_type(message.messages[0].message_time, datetime | None)
    if message.to_address:
        assert_type(message.to_address.name_raw, str | None)
    assert_type(message.additional_properties, dict[str, Any])


def assignments(message: InternalMessage) -> None:
    message.connected_time = datetime(2024, 5, 1, tzinfo=timezone.utc)
    message.connected_time = None
    message.segments = [Segment(type="interact")]
    message.connected_time = "2024-05-01T12:34:56.789Z"  # type: ignore[assignment]
    message.segments = [Address()]  # type: ignore[list-item]
    message.to_address = Segment()  # type: ignore[assignment]
    message.state = 3  # type: ignore[assignment]
    message.no_such_field = "x"  # type: ignore[attr-defined]


def construction() -> None:
    message = InternalMessage(
        id="c-1",
        state="connected",
        connected_time=datetime(2024, 5, 1, tzinfo=timezone.utc),
        to_address=Address(name="Bob"),
        messages=[InternalMessageDetails(message_id="m-1")],
    )
    assert_type(message, InternalMessage)
    assert_type(TaggedMessage(id="x"), TaggedMessage)
    InternalMessage(connected_time="2024-05-01")  # type: ignore[arg-type]
    InternalMessage(segments=[{"type": "interact"}])  # type: ignore[list-item]
    InternalMessage(no_such_field=1)  # type: ignore[call-arg]
    InternalMessage("c-1")  # type: ignore[call-arg]  # keyword-only, as in the SDK's generated code


def serializing(message: InternalMessage) -> None:
    assert_type(message.to_dict(), dict[str, Any])
    assert_type(message.to_api_dict(), dict[str, Any])
    assert_type(message.to_json(), str)
    assert_type(message.to_api_json(indent=2), str)
    assert_type(message.to_str(), str)
    assert_type(InternalMessage.json_schema(strict=True), dict[str, Any])
    assert_type(InternalMessage.swagger_types, dict[str, str])
    assert_type(InternalMessage.attribute_map, dict[str, str])
    assert_type(message == message, bool)


def the_rest(model: type[Model], error: ValidationError) -> None:
    assert_type(fields(model), tuple[FieldSpec, ...])
    assert_type(fields(InternalMessage)[0].key, str)
    assert_type(error.errors[0].loc, tuple[str | int, ...])
    assert_type(error.errors[0].path, str)
    assert_type(error.errors[0].message, str)
    state: InternalMessageState = "connected"
    assert state in INTERNAL_MESSAGE_STATES
    wrong: InternalMessageState = "parked"  # type: ignore[assignment]
    del wrong


def copies(message: InternalMessage, tagged: TaggedMessage) -> None:
    assert_type(replace(message, state="disconnected"), InternalMessage)
    assert_type(replace(tagged, id="x"), TaggedMessage)
    assert_type(message.__replace__(id="x"), InternalMessage)
    replace({"id": "x"}, id="y")  # type: ignore[type-var]


class Envelope(BaseModel):
    """A user's pydantic model with a message field."""

    message: InternalMessage
    previous: list[Segment] = []


def with_pydantic(message: InternalMessage, text: str) -> None:
    envelope = Envelope(message=message)
    assert_type(envelope.message, InternalMessage)
    assert_type(Envelope.model_validate_json(text).message.connected_time, datetime | None)
    assert_type(TypeAdapter(InternalMessage).validate_json(text), InternalMessage)
    Envelope(message=Segment())  # type: ignore[arg-type]


def walking(conversation: dict[str, Any], stream: IO[bytes]) -> None:
    for path, found in iter_internal_messages(conversation):
        assert_type(path, str)
        assert_type(found, InternalMessage | ValidationError)
    for _, message in iter_internal_messages(stream, raise_errors=True):
        assert_type(message, InternalMessage)
    iter_internal_messages(conversation, raise_errors=True)
    iter_internal_messages(3)  # type: ignore[call-overload]
