"""The `InternalMessage` model: a participant's internal-message communication."""

from __future__ import annotations

from datetime import datetime

from ._fields import field
from ._model import Model
from .address import Address
from .enums import INTERNAL_MESSAGE_DISCONNECT_TYPES, INTERNAL_MESSAGE_STATES
from .internal_message_details import InternalMessageDetails
from .segment import Segment

__all__ = ["InternalMessage"]


class InternalMessage(Model):
    """An internal-message communication: one entry of a conversation
    participant's `internalMessages`.
    """

    state: str | None = field(
        "The connection state of this communication.", enum=INTERNAL_MESSAGE_STATES, default=None
    )
    initial_state: str | None = field(
        "The initial connection state of this communication.",
        enum=INTERNAL_MESSAGE_STATES,
        default=None,
    )
    id: str | None = field("A globally unique identifier for this communication.", default=None)
    segments: list[Segment] | None = field(
        "The time line of the participant's internal message, divided into activity segments.",
        default=None,
    )
    disconnect_type: str | None = field(
        "System defined string indicating what caused the communication to disconnect."
        " Will be null until the communication disconnects.",
        enum=INTERNAL_MESSAGE_DISCONNECT_TYPES,
        default=None,
    )
    start_alerting_time: datetime | None = field(
        "The timestamp the communication has when it is first put into an alerting state."
        " Date time is represented as an ISO-8601 string. For example: yyyy-MM-ddTHH:mm:ss[.mmm]Z",
        default=None,
    )
    connected_time: datetime | None = field(
        "The timestamp when this communication was connected in the cloud clock."
        " Date time is represented as an ISO-8601 string. For example: yyyy-MM-ddTHH:mm:ss[.mmm]Z",
        default=None,
    )
    disconnected_time: datetime | None = field(
        "The timestamp when this communication disconnected from the conversation in the provider"
        " clock. Date time is represented as an ISO-8601 string."
        " For example: yyyy-MM-ddTHH:mm:ss[.mmm]Z",
        default=None,
    )
    provider: str | None = field("The source provider for the message.", default=None)
    peer_id: str | None = field(
        "The id of the peer communication corresponding to a matching leg for this communication.",
        default=None,
    )
    target_user_id: str | None = field(
        "The user ID for the participant on receiving side of the internal message conversation.",
        default=None,
    )
    source_user_id: str | None = field(
        "The user ID for the participant on sending side of the internal message conversation.",
        default=None,
    )
    to_address: Address | None = field(
        "Address for the participant on receiving side of the internal message communication.",
        default=None,
    )
    from_address: Address | None = field(
        "Address for the participant on the sending side of the internal message communication.",
        default=None,
    )
    messages: list[InternalMessageDetails] | None = field(
        "The messages sent on this communication channel.", default=None
    )
