"""The `Segment` model: one stretch of activity in a communication's time line."""

from __future__ import annotations

from datetime import datetime

from ._fields import field
from ._model import Model

__all__ = ["Segment"]


class Segment(Model):
    """A segment of a participant's time line: what happened, when, and how it ended."""

    start_time: datetime | None = field(
        "The timestamp when this segment began. Date time is represented as an ISO-8601 string."
        " For example: yyyy-MM-ddTHH:mm:ss[.mmm]Z",
        default=None,
    )
    end_time: datetime | None = field(
        "The timestamp when this segment ended. Date time is represented as an ISO-8601 string."
        " For example: yyyy-MM-ddTHH:mm:ss[.mmm]Z",
        default=None,
    )
    type: str | None = field(
        "The activity taking place for the participant in the segment.", default=None
    )
    how_ended: str | None = field(
        "A description of the event that ended the segment.", default=None
    )
    disconnect_type: str | None = field(
        "A description of the event that disconnected the segment", default=None
    )
