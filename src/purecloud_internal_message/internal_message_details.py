"""The `InternalMessageDetails` model: one message sent on the communication."""

from __future__ import annotations

from datetime import datetime

from ._fields import field
from ._model import Model

__all__ = ["InternalMessageDetails"]


class InternalMessageDetails(Model):
    """One message of an internal-message communication."""

    message_id: str | None = field("UUID identifying the internal message media.", default=None)
    message_time: datetime | None = field(
        "The time when the message was sent or received."
        " Date time is represented as an ISO-8601 string. For example: yyyy-MM-ddTHH:mm:ss[.mmm]Z",
        default=None,
    )
