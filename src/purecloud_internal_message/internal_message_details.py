"""The ``InternalMessageDetails`` model: one message sent on the communication."""

from __future__ import annotations

from datetime import datetime

from ._fields import ISO_8601_NOTE, field
from ._model import Model

__all__ = ["InternalMessageDetails"]


class InternalMessageDetails(Model):
    """One message of an internal-message communication."""

    message_id: str | None = field("UUID identifying the internal message media.", default=None)
    message_time: datetime | None = field(
        "The time when the message was sent or received." + ISO_8601_NOTE, default=None
    )
