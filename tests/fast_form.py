"""What the fast timestamp readers must give for a text, from the definition alone.

``_timestamps`` defines the fast form (its shape, `FAST_FORM`, and the rules beside
it); its value and kept text are what the general reader, ``parse_timestamp``,
gives. The test modules that check the fast paths (the readers themselves, every
site of the generated codecs) take their expectations from here.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from purecloud_internal_message._timestamps import FAST_FORM, parse_timestamp

UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_SHAPE = re.compile(FAST_FORM, re.ASCII)


def expected_fast(text: str) -> tuple[datetime, str | None] | None:
    """The value and kept text of ``text`` if it is of the fast form, else None.

    Of the fast form: the shape of `FAST_FORM`, a date that exists (the general
    reader checks that), and no offset other than zero in year 1 or 9999.
    """
    if _SHAPE.fullmatch(text) is None:
        return None
    try:
        value, kept = parse_timestamp(text)
    except ValueError:
        return None
    if value.utcoffset() and value.year in (1, 9999):
        return None
    return value, kept


def reading(result: tuple[datetime, str | None] | None) -> object:
    """A reader's result with every detail made comparable: the value's fields, its
    offset, whether its zone is the UTC singleton, the zone's type, the kept text."""
    if result is None:
        return None
    value, kept = result
    zone = value.tzinfo
    return (
        type(value),
        value.replace(tzinfo=None),
        value.utcoffset(),
        zone is UTC,
        type(zone),
        kept,
    )


def utc_micros(value: datetime) -> int:
    """The instant of an aware ``value`` in microseconds since 1970-01-01 UTC."""
    return (value - EPOCH) // timedelta(microseconds=1)
