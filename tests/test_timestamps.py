"""Timestamps: the package's own ISO-8601 grammar, and the API's canonical form written back.

The reader under test is checked against an independent reference reader
(`reference_read`: one strict regular expression per form, then the standard
library), against dateutil's ``isoparse`` where the two grammars overlap, and
against itself (the canonical shortcut against the general reader).
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone, tzinfo
from itertools import product

import dateutil
import pytest
from dateutil.parser import isoparse
from hypothesis import assume, example, given
from hypothesis import strategies as st

from purecloud_internal_message import Segment, ValidationError
from purecloud_internal_message._codegen.plan import namespace
from purecloud_internal_message._timestamps import (
    CANONICAL_MILLIS_GUARD,
    _read,
    format_timestamp,
    from_canonical,
    is_canonical_shape,
    parse_timestamp,
)
from strategies import api_datetimes, api_timestamp

UTC = timezone.utc
DATEUTIL_MAJOR = int(dateutil.__version__.split(".")[0])

# --- The reference reader ----------------------------------------------------
# Written from the grammar on docs/timestamps.md, independently of the reader
# under test (which scans by position): every form is one strict pattern, and
# the standard library does the calendar arithmetic and range checks.

_N = "[0-9]"  # with re.ASCII below, and never \d: only ASCII digits
_COMPLETE_DATES = [
    rf"(?P<Y>{_N}{{4}})-(?P<M>{_N}{{2}})-(?P<D>{_N}{{2}})",
    rf"(?P<Y>{_N}{{4}})(?P<M>{_N}{{2}})(?P<D>{_N}{{2}})",
    rf"(?P<Y>{_N}{{4}})-(?P<O>{_N}{{3}})",
    rf"(?P<Y>{_N}{{4}})(?P<O>{_N}{{3}})",
    rf"(?P<Y>{_N}{{4}})-W(?P<W>{_N}{{2}})-(?P<WD>{_N})",
    rf"(?P<Y>{_N}{{4}})W(?P<W>{_N}{{2}})(?P<WD>{_N})",
]
_REDUCED_DATES = [
    rf"(?P<Y>{_N}{{4}})",
    rf"(?P<Y>{_N}{{4}})-(?P<M>{_N}{{2}})",
    rf"(?P<Y>{_N}{{4}})-W(?P<W>{_N}{{2}})",
    rf"(?P<Y>{_N}{{4}})W(?P<W>{_N}{{2}})",
]
_FRACTION = rf"(?:[.,](?P<f>{_N}+))?"
_TIMES = [
    rf"(?P<h>{_N}{{2}})(?::(?P<mi>{_N}{{2}})(?::(?P<s>{_N}{{2}}){_FRACTION})?)?",
    rf"(?P<h>{_N}{{2}})(?:(?P<mi>{_N}{{2}})(?:(?P<s>{_N}{{2}}){_FRACTION})?)?",
]
_OFFSET = rf"(?:(?P<z>[Zz])|(?P<sign>[+-])(?P<oh>{_N}{{2}})(?::?(?P<om>{_N}{{2}}))?)?"
_REFERENCE_PATTERNS = [re.compile(d, re.ASCII) for d in _REDUCED_DATES] + [
    re.compile(rf"{d}(?:[Tt ]{t}{_OFFSET})?", re.ASCII) for d, t in product(_COMPLETE_DATES, _TIMES)
]


def reference_read(text: str) -> datetime | None:
    """The value of ``text`` under the documented grammar, or None if it is refused."""
    matches = [m for m in (p.fullmatch(text) for p in _REFERENCE_PATTERNS) if m]
    values = {_reference_value(m.groupdict()) for m in matches}
    assert len(values) <= 1, f"the grammar is ambiguous for {text!r}"
    return values.pop() if values else None


def _reference_value(g: dict[str, str | None]) -> datetime | None:
    def num(name: str, default: int = 0) -> int:
        text = g.get(name)
        return default if text is None else int(text)

    try:
        year = num("Y")
        if g.get("O") is not None:
            first = date(year, 1, 1)
            days_in_year = (date(year, 12, 31) - first).days + 1
            if not 1 <= num("O") <= days_in_year:
                return None
            day = first + timedelta(days=num("O") - 1)
        elif g.get("W") is not None:
            day = date.fromisocalendar(year, num("W"), num("WD", 1))
        else:
            day = date(year, num("M", 1), num("D", 1))
        tz: timezone | None = None
        if g.get("z"):
            tz = UTC
        elif g.get("sign"):
            if num("oh") > 23 or num("om") > 59:
                return None
            minutes = num("oh") * 60 + num("om")
            tz = timezone(timedelta(minutes=-minutes if g["sign"] == "-" else minutes))
            tz = UTC if not minutes else tz
        fraction = g.get("f") or ""
        micro = int(fraction[:6].ljust(6, "0"))
        hour, minute, second = num("h"), num("mi"), num("s")
        if hour == 24 and minute == second == 0 and not fraction.strip("0"):
            start = datetime.combine(day, datetime.min.time(), tz)
            value = start + timedelta(days=1)
        else:
            value = datetime(day.year, day.month, day.day, hour, minute, second, micro, tz)
        if tz is not None:
            value.astimezone(UTC)  # must be writable in UTC
    except (ValueError, OverflowError):
        return None
    return value


def ours(text: str) -> datetime | None:
    """What parse_timestamp reads, or None when it refuses (in its own words)."""
    try:
        value, _ = parse_timestamp(text)
    except ValueError as exc:
        assert_own_message(str(exc))
        return None
    return value


def refusal(text: str) -> str | None:
    try:
        parse_timestamp(text)
    except ValueError as exc:
        return str(exc)
    return None


def same_reading(a: datetime | None, b: datetime | None) -> bool:
    """Equal instants (or both None), with the same offset or both naive."""
    if a is None or b is None:
        return a is b
    return a == b and a.utcoffset() == b.utcoffset()


# --- Our own error messages ---------------------------------------------------

_WHAT = (
    r"the (year|month|day|day of the year|week|weekday|hour|minute|second) needs"
    r"|the offset's (hours|minutes) need"
)
_FRAGMENT = r"'.*'(\.\.\.)?"
OWN_MESSAGES = [
    re.compile(p, re.DOTALL)
    for p in [
        "the text is empty",
        rf"({_WHAT}) [1-4] digits?( \(ASCII 0-9\))?, (got {_FRAGMENT}|but the text ends there)",
        r"year 0 is out of range \(the first is year 1\)",
        r"month [0-9]+ is out of range",
        r"day [0-9]+ is out of range: [A-Z][a-z]+ [0-9]+ has (28|29|30|31) days",
        r"day [0-9]+ of the year is out of range: [0-9]+ has 36[56] days",
        r"week [0-9]+ is out of range: [0-9]+ has 5[23] ISO weeks",
        r"weekday [0-9] is out of range \(1 is Monday, 7 is Sunday\)",
        r"(hour|minute|second) [0-9]+ is out of range",
        r"hour 24 is allowed only in 24:00:00 \(the end of the day\)",
        r"the offset's (hours|minutes) [0-9]+ are out of range \(at most (23|59)\)",
        r"the (date|timestamp) is out of range \(after 9999-12-31\)",
        r"timestamp is out of range when converted to UTC",
        rf"expected '-' and the (weekday after the week|day after the month), got {_FRAGMENT}",
        r"a year and month need a '-' between them \(YYYY-MM\)",
        rf"expected '-', 'W', MMDD or DDD after the year, got {_FRAGMENT}",
        rf"unexpected {_FRAGMENT} after the date \(a time needs a full date: "
        r"YYYY-MM-DD, YYYY-DDD or YYYY-Www-D\)",
        rf"expected 'T' or a space between the date and the time, got {_FRAGMENT}",
        r"a fraction is allowed only on the seconds, not on the (hour|minute)",
        rf"expected ':' and the second after the minute, got {_FRAGMENT}",
        r"the fraction after '[.,]' needs at least 1 digit",
        rf"unexpected {_FRAGMENT} after the (time|offset)",
    ]
]


def assert_own_message(message: str) -> None:
    assert any(p.fullmatch(message) for p in OWN_MESSAGES), message


# --- The accepted forms ---------------------------------------------------------

ACCEPTED = [
    # The API's own form, and its microsecond variant.
    ("2024-05-01T12:34:56.789Z", datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=UTC)),
    ("2024-05-01T12:34:56.789123Z", datetime(2024, 5, 1, 12, 34, 56, 789123, tzinfo=UTC)),
    # Precision: down to the hour; fractions of any length, after "." or ",".
    ("2024-05-01T12:34:56Z", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
    ("2024-05-01T12:34Z", datetime(2024, 5, 1, 12, 34, tzinfo=UTC)),
    ("2024-05-01T12Z", datetime(2024, 5, 1, 12, tzinfo=UTC)),
    ("2024-05-01T12:34:56.7Z", datetime(2024, 5, 1, 12, 34, 56, 700000, tzinfo=UTC)),
    ("2024-05-01T12:34:56.123456789Z", datetime(2024, 5, 1, 12, 34, 56, 123456, tzinfo=UTC)),
    ("2024-05-01T12:34:56,5Z", datetime(2024, 5, 1, 12, 34, 56, 500000, tzinfo=UTC)),
    # Offsets: Z or z, ±hh:mm, ±hhmm, ±hh; a zero offset is UTC.
    ("2024-05-01T14:34:56.789+02:00", datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=UTC)),
    ("2024-05-01T07:04:56-05:30", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
    ("2024-05-01T07:04:56-0530", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
    ("2024-05-01T14:34:56+02", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
    ("2024-05-01T12:34:56+00:00", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
    ("2024-05-01T12:34:56-00:00", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
    ("2024-05-01T12:34:56z", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
    ("2024-05-01T23:59:00+23:59", datetime(2024, 5, 1, 0, 0, tzinfo=UTC)),
    # Separators: T, t or a space.
    ("2024-05-01t12:34:56Z", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
    ("2024-05-01 12:34:56Z", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
    # Basic form, for the date and the time independently.
    ("20240501T123456Z", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
    ("20240501T123456.5+0200", datetime(2024, 5, 1, 10, 34, 56, 500000, tzinfo=UTC)),
    ("20240501T12:34:56Z", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
    ("2024-05-01T1234Z", datetime(2024, 5, 1, 12, 34, tzinfo=UTC)),
    # Ordinal and week dates.
    ("2024-122T12:00:00Z", datetime(2024, 5, 1, 12, tzinfo=UTC)),
    ("2024122", datetime(2024, 5, 1)),
    ("2024-366", datetime(2024, 12, 31)),
    ("2024-W18-3T12:00:00Z", datetime(2024, 5, 1, 12, tzinfo=UTC)),
    ("2024W183T120000Z", datetime(2024, 5, 1, 12, tzinfo=UTC)),
    ("2020-W53-7", datetime(2021, 1, 3)),
    ("0001-W01-1", datetime(1, 1, 1)),
    # Reduced dates, alone: the first day.
    ("2024", datetime(2024, 1, 1)),
    ("2024-05", datetime(2024, 5, 1)),
    ("2024-W18", datetime(2024, 4, 29)),
    ("2024W18", datetime(2024, 4, 29)),
    # No offset: naive.
    ("2024-05-01", datetime(2024, 5, 1)),
    ("2024-05-01T12:34:56", datetime(2024, 5, 1, 12, 34, 56)),
    # 24:00 is the end of the day: the next day's midnight.
    ("2024-05-01T24:00:00.000Z", datetime(2024, 5, 2, tzinfo=UTC)),
    ("2024-12-31T24:00", datetime(2025, 1, 1)),
    ("2024-05-01T24:00:00.0000000+02:00", datetime(2024, 5, 1, 22, tzinfo=UTC)),
    # Edges of the calendar and of the range.
    ("2024-02-29T00:00:00.000Z", datetime(2024, 2, 29, tzinfo=UTC)),
    ("2000-02-29", datetime(2000, 2, 29)),
    ("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC)),
    ("0001-01-01T00:00:00-01:00", datetime(1, 1, 1, 1, tzinfo=UTC)),
    ("9999-12-31T23:59:59.999999Z", datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_grammar_forms_are_read(text: str, expected: datetime) -> None:
    value, _ = parse_timestamp(text)
    assert value == expected
    assert (value.tzinfo is None) == (expected.tzinfo is None)
    assert same_reading(reference_read(text), value)
    if value.tzinfo is not None:
        assert type(value.tzinfo) is timezone


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_dateutil_reads_the_accepted_forms_the_same(text: str, expected: datetime) -> None:
    """Every accepted form is one that dateutil, old or new, reads to the same instant."""
    value, _ = parse_timestamp(text)
    assert same_reading(isoparse(text), value)


def test_offsets_are_kept_as_standard_library_timezones() -> None:
    value, _ = parse_timestamp("2024-05-01T14:34:56+02:00")
    assert type(value.tzinfo) is timezone
    assert value.utcoffset() == timedelta(hours=2)
    value, _ = parse_timestamp("2024-05-01T14:34:56-0030")
    assert value.utcoffset() == timedelta(minutes=-30)
    for zero in ("+00:00", "-00:00", "+0000", "+00", "Z", "z"):
        utc, _ = parse_timestamp("2024-05-01T14:34:56" + zero)
        assert utc.tzinfo is UTC


# --- What is refused, and the messages ----------------------------------------

REFUSED = [
    # What int() would take: signs, spaces, underscores, other scripts' digits.
    ("May 1", "the year needs 4 digits, got 'May '"),
    ("2_24-05-01T12:00:00Z", "the year needs 4 digits, got '2_24'"),
    ("+024-05-01T12:00:00Z", "the year needs 4 digits, got '+024'"),
    ("2024-05-01T12:00:00+05:3", "the offset's minutes need 2 digits, got '3'"),
    ("2024-05-01T 1:00:00Z", "the hour needs 2 digits, got ' 1'"),
    ("2024-05-01T12:-1:00Z", "the minute needs 2 digits, got '-1'"),
    ("2024-05-01T12:00:0_Z", "the second needs 2 digits, got '0_'"),
    ("2024-+5-01", "the month needs 2 digits, got '+5'"),
    ("2024-05- 1", "the day needs 2 digits, got ' 1'"),
    ("2024-W1_-3", "the week needs 2 digits, got '1_'"),
    ("2024-W18-+", "the weekday needs 1 digit, got '+'"),
    ("2024-+12", "the day of the year needs 3 digits, got '+12'"),
    ("2024-05-01T12:00:00+_5:00", "the offset's hours need 2 digits, got '_5'"),
    (
        "\uff12\uff10\uff12\uff14-05-01",
        "the year needs 4 digits (ASCII 0-9), got '\uff12\uff10\uff12\uff14'",
    ),
    ("2024-05-01T1٢:00:00Z", "the hour needs 2 digits (ASCII 0-9), got '1٢'"),
    ("2024-05-01T12:00:00.00٣Z", "unexpected '٣Z' after the time"),
    ("2024-05-01T12:00:00²", "unexpected '²' after the time"),
    # Structure.
    ("", "the text is empty"),
    ("2024-05-01T", "the hour needs 2 digits, but the text ends there"),
    ("2024-05-1", "the day needs 2 digits, got '1'"),
    ("2024-5-01", "the month needs 2 digits, got '5-'"),
    ("2024/05/01", "expected '-', 'W', MMDD or DDD after the year, got '/'"),
    ("1714564800", "expected '-', 'W', MMDD or DDD after the year, got '564800'"),
    ("202405", "a year and month need a '-' between them (YYYY-MM)"),
    ("2024-W183", "expected '-' and the weekday after the week, got '3'"),
    ("2024W18-3", "the weekday needs 1 digit, got '-'"),
    (
        "2024-05T12:00",
        "unexpected 'T12:00' after the date (a time needs a full date: "
        "YYYY-MM-DD, YYYY-DDD or YYYY-Www-D)",
    ),
    ("2024-05-01x12:00", "expected 'T' or a space between the date and the time, got 'x12:00'"),
    ("2024-05-01+02:00", "expected 'T' or a space between the date and the time, got '+02:00'"),
    ("2024-050112", "expected 'T' or a space between the date and the time, got '112'"),
    ("2024-05-01T12:0000", "expected ':' and the second after the minute, got '00'"),
    ("2024-05-01T12:00.5", "a fraction is allowed only on the seconds, not on the minute"),
    ("2024-05-01T12,5", "a fraction is allowed only on the seconds, not on the hour"),
    ("2024-05-01T12:00:00.Z", "the fraction after '.' needs at least 1 digit"),
    ("2024-05-01T12:34:56.789Z ", "unexpected ' ' after the offset"),
    ("2024-05-01T12:00:00+05:30:00", "unexpected ':00' after the offset"),
    ("2024-05-01T12:00:00Q", "unexpected 'Q' after the time"),
    (
        "2024-05-01T12:00:00Z" + "x" * 1000,
        "unexpected 'xxxxxxxxxxxxxxxxx'... after the offset",
    ),
    # Ranges.
    ("0000-01-01", "year 0 is out of range (the first is year 1)"),
    ("2024-13-01T00:00:00.000Z", "month 13 is out of range"),
    ("2024-00", "month 0 is out of range"),
    ("2023-02-29T00:00:00.000Z", "day 29 is out of range: February 2023 has 28 days"),
    ("2024-04-31", "day 31 is out of range: April 2024 has 30 days"),
    ("2024-05-00", "day 0 is out of range: May 2024 has 31 days"),
    ("2023-366", "day 366 of the year is out of range: 2023 has 365 days"),
    ("2024-000", "day 0 of the year is out of range: 2024 has 366 days"),
    ("2021-W53-1", "week 53 is out of range: 2021 has 52 ISO weeks"),
    ("2024-W00", "week 0 is out of range: 2024 has 52 ISO weeks"),
    ("2024-W18-8", "weekday 8 is out of range (1 is Monday, 7 is Sunday)"),
    ("2024-05-01T25:00", "hour 25 is out of range"),
    ("2024-05-01T12:60", "minute 60 is out of range"),
    ("2024-05-01T12:34:61.000Z", "second 61 is out of range"),
    ("2024-05-01T23:59:60Z", "second 60 is out of range"),
    ("2024-05-01T24:00:01", "hour 24 is allowed only in 24:00:00 (the end of the day)"),
    ("2024-05-01T24:00:00.0000001", "hour 24 is allowed only in 24:00:00 (the end of the day)"),
    ("2024-05-01T12:34:56+24:00", "the offset's hours 24 are out of range (at most 23)"),
    ("2024-05-01T12:34:56+05:60", "the offset's minutes 60 are out of range (at most 59)"),
    ("9999-12-31T24:00:00Z", "the timestamp is out of range (after 9999-12-31)"),
    ("9999-W52-6", "the date is out of range (after 9999-12-31)"),
    ("0001-01-01T00:00:00+01:00", "timestamp is out of range when converted to UTC"),
    ("9999-12-31T23:00:00-01:00", "timestamp is out of range when converted to UTC"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_other_strings_are_refused_in_our_words(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_timestamp(text)
    assert str(caught.value) == message
    assert_own_message(message)
    assert reference_read(text) is None
    with pytest.raises(ValidationError) as refused:
        Segment.from_dict({"startTime": text})
    assert refused.value.errors[0].message.endswith(f"({message})")


# Forms dateutil 4.0 reads that the grammar deliberately refuses (plainly wrong
# to accept): any character as the date/time separator, which lets an offset or
# digits pass for a time ("2024-05-01+02:00" is 02:00, "2024-050112" is
# February 19th at noon); week 53 of a year with 52 weeks (rolled into the next
# year); and hour 24 with a fraction that is not zero past microseconds.
NARROWED = ["2024-05-01+02:00", "2024-050112", "2024-05-01x12:00", "2021-W53-1"]
NARROWED += ["2024-05-01T24:00:00.0000001"]


@pytest.mark.parametrize("text", NARROWED)
def test_forms_dateutil_reads_but_the_grammar_refuses(text: str) -> None:
    assert ours(text) is None
    assert reference_read(text) is None


# Valid text that dateutil before 4.0 misreads (its int() takes "1 " as 1): the
# basic ordinal date 2024-111 followed by a space reads there as 1 November.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024111 1000", datetime(2024, 4, 20, 10)),
        ("2024001 00", datetime(2024, 1, 1)),
    ],
)
def test_valid_text_old_dateutil_misreads_is_read_right(text: str, expected: datetime) -> None:
    assert same_reading(ours(text), expected)
    assert same_reading(reference_read(text), expected)


# --- Properties ------------------------------------------------------------------

# Arabic-Indic 3, fullwidth 5, Devanagari 5 and a superscript 2: str.isdigit()
# and (but the last) int() take them.
NON_ASCII_DIGITS = "\u0663\uff15\u096b\u00b2"
SUBSTITUTES = ["+", "-", " ", "_", *NON_ASCII_DIGITS]

offset_timestamps = st.builds(
    lambda value, minutes, digits, colon: (
        value.strftime("%Y-%m-%dT%H:%M:%S")
        + (f".{value.microsecond:06d}987"[: digits + 1] if digits else "")
        + ("-" if minutes < 0 else "+")
        + f"{abs(minutes) // 60:02d}{':' if colon else ''}{abs(minutes) % 60:02d}"
    ),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(-23 * 60 - 59, 23 * 60 + 59),
    st.integers(0, 9),
    st.booleans(),
)


@st.composite
def mutated(
    draw: st.DrawFn, texts: st.SearchStrategy[str], substitutes: list[str] = SUBSTITUTES
) -> str:
    """A timestamp with 1 to 3 characters substituted, deleted or doubled."""
    text = draw(texts)
    for _ in range(draw(st.integers(1, 3))):
        if not text:
            break
        # Spread over the whole text (small integers would favour the year).
        i = draw(st.integers(0, 2**16)) % len(text)
        kind = draw(st.sampled_from(["substitute", "delete", "double"]))
        if kind == "substitute":
            text = text[:i] + draw(st.sampled_from(substitutes)) + text[i + 1 :]
        elif kind == "delete":
            text = text[:i] + text[i + 1 :]
        else:
            text = text[:i] + text[i] + text[i:]
    return text


@given(text=mutated(api_datetimes.map(api_timestamp) | offset_timestamps))
@example(text="2_24-05-01T12:00:00Z")
@example(text="+024-05-01T12:00:00Z")
@example(text="2024-05-01T12:00:00+05:3")
@example(text="2024-05-01T 1:00:00Z")
@example(text="2024-05-01T12:00:00.1٣Z")
def test_mutated_timestamps_are_refused_or_read_as_the_reference_reads_them(text: str) -> None:
    assert same_reading(ours(text), reference_read(text))


@st.composite
def grammar_like(draw: st.DrawFn) -> str:
    """Strings assembled from the grammar's pieces, in and out of range, well and ill formed."""

    def digits(width: int) -> str:
        # "1" first: hypothesis favours the first character, and "0000" is no year.
        return draw(st.text("1234567890", min_size=width, max_size=width))

    sep = draw(st.sampled_from(["-", ""]))
    year_text = draw(
        st.sampled_from(["2024", "2021", "2020", "0001", "9999", "0000"])
        | st.text("1234567890", min_size=4, max_size=4)
    )
    date_part = draw(
        st.sampled_from(
            [
                "",
                f"{sep}{digits(2)}",
                f"{sep}{digits(2)}{sep}{digits(2)}",
                f"{sep}{digits(3)}",
                f"{sep}W{digits(2)}",
                f"{sep}W{digits(2)}{sep}{digits(1)}",
            ]
        )
    )
    text = year_text + date_part
    if draw(st.booleans()):
        colon = draw(st.sampled_from([":", ""]))
        time = draw(st.sampled_from(["T", "t", " ", "_", ""])) + digits(2)
        for _ in range(draw(st.integers(0, 2))):
            time += colon + digits(2)
        if draw(st.booleans()):
            time += draw(st.sampled_from([".", ","])) + digits(draw(st.integers(0, 8)))
        offset = draw(
            st.sampled_from(["", "Z", "z", "+", "-"]) | st.text("+-:0123456789Zz", max_size=6)
        )
        if offset in ("+", "-"):
            offset += digits(2) + draw(st.sampled_from(["", ":", "x"])) + digits(2)
        text += time + offset
    return text


@given(text=grammar_like())
@example(text="2024-05-01T24:00:00.000000+00:00")
@example(text="0001-01-01T00:00:00+00:01")
@example(text="9999-12-31T24:00Z")
def test_grammar_like_strings_are_read_as_the_reference_reads_them(text: str) -> None:
    assert same_reading(ours(text), reference_read(text))


@pytest.mark.skipif(
    DATEUTIL_MAJOR < 4,
    reason="dateutil before 4.0 reads digits with int() and misreads even valid text",
)
@given(text=grammar_like() | mutated(api_datetimes.map(api_timestamp) | offset_timestamps))
def test_the_grammar_is_dateutil_4s_but_the_narrowings(text: str) -> None:
    """dateutil 4.0 (strict digits) reads what the grammar accepts, to the same
    value, and refuses what the grammar refuses but the documented narrowings."""
    value = ours(text)
    try:
        theirs: datetime | None = isoparse(text)
    except (ValueError, OverflowError):
        theirs = None
    if value is not None:
        assert same_reading(theirs, value)
    elif theirs is not None:
        message = refusal(text)
        assert message is not None
        assert message.startswith(NARROWING_MESSAGES), (text, theirs, message)


# What the grammar refuses that dateutil 4.0 reads: the narrowings above, and
# instants that cannot be written in UTC (dateutil does not check that).
NARROWING_MESSAGES = (
    "expected 'T' or a space between the date and the time",
    "week 53 is out of range",
    "hour 24 is allowed only in 24:00:00",
    "timestamp is out of range when converted to UTC",
)


@given(
    text=st.builds(
        "".join,
        st.tuples(
            *(
                st.just(c) if c in "-T:.Z" else st.sampled_from("0123456789" + "+- _W,٣５")
                for c in "YYYY-MM-DDTHH:MM:SS.mmmZ"
            )
        ),
    )
    | st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3,6}Z\Z")
)
@example(text="2024-05-01T24:00:00.000Z")
@example(text="2024-02-30T00:00:00.000Z")
def test_canonical_shortcut_agrees_with_the_general_reader(text: str) -> None:
    """Strings of the canonical shape are read by fromisoformat; it must agree with `_read`."""
    assume(is_canonical_shape(text))
    try:
        expected: datetime | None = _read(text)
    except ValueError:
        expected = None
    assert same_reading(ours(text), expected)
    try:
        shortcut: datetime | None = from_canonical(text)
    except ValueError:
        shortcut = None
    if shortcut is not None:  # the shortcut may decline, never differ
        assert same_reading(shortcut, expected)
        assert shortcut.tzinfo is UTC


# --- The inline canonical reader of the generated code ----------------------------

# Exactly what the Python emitter writes for a timestamp given as text: the guard
# pasted inline, then a call of the function its globals table names `_fromiso`.
_namespace: dict[str, object] = {"_Bail": LookupError, "_fromiso": namespace()["_fromiso"]}
exec(
    "def read_canonical_millis(v):\n"
    f"    if {CANONICAL_MILLIS_GUARD.format(v='v')}: raise _Bail\n"
    "    return _fromiso(v)\n",
    _namespace,
)
read_canonical_millis = _namespace["read_canonical_millis"]


def _inline(text: str) -> datetime | None:
    try:
        return read_canonical_millis(text)
    except (LookupError, ValueError):
        return None


@given(
    text=api_datetimes.map(api_timestamp)
    | mutated(api_datetimes.map(api_timestamp))
    | mutated(api_datetimes.map(api_timestamp), substitutes=[*SUBSTITUTES, *"0123456789zZT,:."])
    | mutated(api_datetimes.map(api_timestamp).map(lambda t: t[:-1] + "+00:00"))
    | st.builds(
        "".join,
        st.tuples(
            *(
                st.just(c) if c in "-T:." else st.sampled_from("0123456789+- _W,Z٣")
                for c in "YYYY-MM-DDTHH:MM:SS.mmmZ"
            )
        ),
    )
    | st.from_regex(r"\A[0-9]{4}[-W0-9][0-9W]{2,3}[-0-9]{0,3}[T ][0-9:.,]{6,16}[Z+0-9:]{0,6}\Z")
)
@example(text="2024-05-01 12:00:00.000Z")
@example(text="2024-05-01T12:00:00,000Z")
@example(text="2024-W18-3T12:00:00.000Z")
@example(text="20240501T120000.0000000Z")
@example(text="2024-05-01T24:00:00.000Z")
@example(text="2024-05-01T12:00:00.0000Z")
@example(text="2024-05-01T12:00:00.000+00:00")
@example(text="2024-05-01T12:00:00.0000")  # 24 characters, but naive
@example(text="2024-05-01T12:00:00.000z")
def test_inline_canonical_reader_accepts_exactly_the_kept_millisecond_form(text: str) -> None:
    try:
        value, kept = parse_timestamp(text)
    except ValueError:
        value, kept = None, None
    canonical = kept == text and len(text) == 24
    inline = _inline(text)
    assert (inline is not None) == canonical, text
    if inline is not None:
        assert inline == value
        assert inline.tzinfo is UTC


def test_the_shortcuts_stay_strict_without_the_c_datetime() -> None:
    """Where fromisoformat is pure Python (PyPy; CPython without _datetime), it reads
    numbers with int(): the shortcuts must not let "+024" or other digits through."""
    code = """
import sys
sys.modules["_datetime"] = None  # the pure-Python datetime, as on PyPy
from datetime import datetime
import purecloud_internal_message as p
from purecloud_internal_message._codegen.plan import namespace as generated_namespace
from purecloud_internal_message._timestamps import CANONICAL_MILLIS_GUARD, parse_timestamp
assert datetime.fromisoformat("+024-05-01").year == 24  # lax, as the test assumes
namespace = {"_fromiso": generated_namespace()["_fromiso"]}
exec("def read(v):\\n    if " + CANONICAL_MILLIS_GUARD.format(v="v") + ": return None\\n"
     "    return _fromiso(v)\\n", namespace)
for bad in ["+024-05-01T12:00:00.000Z", "2024-05-01T1\\u0662:00:00.000Z",
            "2024-05-01T12:00:00.1_2Z", "2024-05-01T12:00:00.\\u0663\\u0663\\u0663Z"]:
    for read in (parse_timestamp, namespace["read"]):
        try:
            read(bad)
        except ValueError:
            pass
        else:
            raise AssertionError(bad)
    try:
        p.Segment.from_dict({"startTime": bad})
    except p.ValidationError:
        pass
    else:
        raise AssertionError(bad)
good = "2024-05-01T12:34:56.789Z"
assert parse_timestamp(good) == (namespace["read"](good), good)
assert parse_timestamp("2024-05-01T24:00:00.000Z")[1] is None
assert p.Segment.from_dict({"startTime": good}).to_api_dict() == {"startTime": good}
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stdout.split() == ["ok"], out.stderr


# --- Writing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=UTC), "2024-05-01T12:34:56.789Z"),
        (datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC), "2024-05-01T12:34:56.000Z"),
        (datetime(2024, 5, 1, 12, 34, 56, 789123, tzinfo=UTC), "2024-05-01T12:34:56.789123Z"),
        (datetime(2024, 5, 1, 12, 34, 56, 1, tzinfo=UTC), "2024-05-01T12:34:56.000001Z"),
        (datetime(2024, 5, 1, 12, 34, 56), "2024-05-01T12:34:56.000Z"),  # naive is UTC
        (
            datetime(2024, 5, 1, 0, 30, tzinfo=timezone(timedelta(hours=2))),
            "2024-04-30T22:30:00.000Z",
        ),
        (
            datetime(2024, 2, 29, 23, 0, tzinfo=timezone(timedelta(hours=-1))),
            "2024-03-01T00:00:00.000Z",
        ),
        (datetime(5, 1, 2, tzinfo=UTC), "0005-01-02T00:00:00.000Z"),
        (datetime(9999, 12, 31, 23, 59, 59, 999999), "9999-12-31T23:59:59.999999Z"),
    ],
)
def test_api_form_is_utc_with_millis_or_micros(value: datetime, expected: str) -> None:
    assert format_timestamp(value) == expected
    assert Segment(start_time=value).to_api_dict() == {"startTime": expected}


def reference_format(value: datetime) -> str:
    """The API form, written the plain way."""
    offset = value.utcoffset()
    if offset:
        value = (value - offset).replace(tzinfo=None)
    digits = 6 if value.microsecond % 1000 else 3
    fraction = f"{value.microsecond:06d}"[:digits]
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{fraction}Z"
    )


class _OddZone(tzinfo):
    """A fixed offset that is not a `timezone` (as dateutil's and zoneinfo's are not)."""

    def __init__(self, offset: timedelta) -> None:
        self._offset = offset

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._offset

    def dst(self, dt: datetime | None) -> None:
        return None


@given(
    value=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    minutes=st.none() | st.integers(-23 * 60 - 59, 23 * 60 + 59),
    odd=st.booleans(),
)
def test_format_matches_the_plain_writer(value: datetime, minutes: int | None, odd: bool) -> None:
    if minutes is not None:
        offset = timedelta(minutes=minutes)
        value = value.replace(tzinfo=_OddZone(offset) if odd else timezone(offset))
    assert format_timestamp(value) == reference_format(value)


@given(value=api_datetimes)
def test_canonical_text_round_trips_and_is_kept(value: datetime) -> None:
    text = api_timestamp(value)
    parsed, kept = parse_timestamp(text)
    assert parsed == value
    assert kept == text
    assert format_timestamp(parsed) == text


@given(
    value=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    hours=st.integers(-23, 23),
)
def test_any_instant_survives_format_then_parse(value: datetime, hours: int) -> None:
    aware = value.replace(tzinfo=timezone(timedelta(hours=hours)))
    text = format_timestamp(aware)
    parsed, kept = parse_timestamp(text)
    assert parsed == aware
    assert kept == text


@given(micros=st.integers(0, 999_999))
def test_more_than_six_digits_are_cut_to_micros(micros: int) -> None:
    text = f"2024-05-01T12:00:00.{micros:06d}987Z"
    value, kept = parse_timestamp(text)
    assert value.microsecond == micros
    assert kept is None
    assert Segment.from_dict({"startTime": text}).to_api_dict()["startTime"] == format_timestamp(
        value
    )


def test_six_digit_text_with_whole_millis_is_written_with_three() -> None:
    assert Segment.from_dict({"startTime": "2024-05-01T12:00:00.123000Z"}).to_api_dict() == {
        "startTime": "2024-05-01T12:00:00.123Z"
    }
    assert Segment.from_dict({"startTime": "2024-05-01T12:00:00.123456Z"}).to_api_dict() == {
        "startTime": "2024-05-01T12:00:00.123456Z"
    }


def test_dateutil_is_never_imported() -> None:
    """Every form is read by the package itself: dateutil is not needed at run time."""
    code = (
        "import sys, purecloud_internal_message as p\n"
        "for text in ['2024-05-01T12:00:00.000Z', '2024-05-01T12:00:00+02:00',\n"
        "             '2024-W18-3', '2024-122T12', '20240501T1200,5Z', 'May 1']:\n"
        "    try:\n"
        "        p.Segment.from_dict({'startTime': text}).to_api_dict()\n"
        "    except p.ValidationError:\n"
        "        pass\n"
        "print('dateutil' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]
