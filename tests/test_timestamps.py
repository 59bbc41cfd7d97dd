"""Timestamps: every ISO-8601 form isoparse reads, and the API's canonical form written back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from dateutil.parser import isoparse
from hypothesis import given
from hypothesis import strategies as st

from purecloud_internal_message import Segment, ValidationError
from purecloud_internal_message._timestamps import format_timestamp, parse_timestamp
from strategies import api_datetimes, api_timestamp

UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T12:34:56.789Z", datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=UTC)),
        ("2024-05-01T12:34:56Z", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
        ("2024-05-01T12:34:56.7Z", datetime(2024, 5, 1, 12, 34, 56, 700000, tzinfo=UTC)),
        ("2024-05-01T12:34:56.123456789Z", datetime(2024, 5, 1, 12, 34, 56, 123456, tzinfo=UTC)),
        ("2024-05-01T14:34:56.789+02:00", datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=UTC)),
        ("2024-05-01T07:04:56-05:30", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
        ("2024-05-01T12:34:56+00:00", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
        ("2024-05-01T12:34:56,5Z", datetime(2024, 5, 1, 12, 34, 56, 500000, tzinfo=UTC)),
        ("20240501T123456Z", datetime(2024, 5, 1, 12, 34, 56, tzinfo=UTC)),
        ("2024-05-01T24:00:00.000Z", datetime(2024, 5, 2, tzinfo=UTC)),
        ("2024-02-29T00:00:00.000Z", datetime(2024, 2, 29, tzinfo=UTC)),
        ("2024-05-01", datetime(2024, 5, 1)),
        ("2024-05-01T12:34:56", datetime(2024, 5, 1, 12, 34, 56)),
        ("2024-W18-3T12:00:00Z", datetime(2024, 5, 1, 12, tzinfo=UTC)),
    ],
)
def test_iso_forms_are_read(text: str, expected: datetime) -> None:
    value, _ = parse_timestamp(text)
    assert value == expected
    assert (value.tzinfo is None) == (expected.tzinfo is None)
    assert value.utcoffset() == isoparse(text).utcoffset()  # the offset itself is kept


def test_offsets_become_standard_library_timezones() -> None:
    value, _ = parse_timestamp("2024-05-01T14:34:56+02:00")
    assert type(value.tzinfo) is timezone
    assert value.utcoffset() == timedelta(hours=2)
    utc, _ = parse_timestamp("2024-05-01T14:34:56+00:00")
    assert utc.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        "May 1",
        "2024-05-01 is a date",
        "2023-02-29T00:00:00.000Z",  # not a leap year
        "2024-13-01T00:00:00.000Z",
        "2024-05-01T12:34:56.789Z ",
        "2024-05-01T12:34:61.000Z",
        "2024-05-01T12:34:56+25:00",
        "",
        "1714564800",
        "0001-01-01T00:00:00+01:00",  # before year 1 in UTC: unwritable in the API form
    ],
)
def test_other_strings_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(text)
    with pytest.raises(ValidationError):
        Segment.from_dict({"startTime": text})


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
    parsed, _ = parse_timestamp(format_timestamp(aware))
    assert parsed == aware


@given(
    text=st.from_regex(
        r"\A[0-9]{4}-[0-9W]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}[.,][0-9]{3}Z\Z"
    )
)
def test_fast_path_reads_exactly_what_isoparse_reads(text: str) -> None:
    """The canonical-shape shortcut must agree with dateutil on every string of that shape."""
    try:
        expected = isoparse(text)
    except ValueError:
        expected = None
    try:
        got, _ = parse_timestamp(text)
    except ValueError:
        got = None
    assert got == expected


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


def test_dateutil_is_imported_only_for_non_canonical_text() -> None:
    import subprocess
    import sys

    code = (
        "import sys, purecloud_internal_message as p\n"
        "p.Segment.from_dict({'startTime': '2024-05-01T12:00:00.000Z'})\n"
        "print('dateutil' in sys.modules)\n"
        "p.Segment.from_dict({'startTime': '2024-05-01T12:00:00+02:00'})\n"
        "print('dateutil' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
