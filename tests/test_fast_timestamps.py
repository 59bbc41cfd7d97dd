"""The fast form's readers against its definition and the general reader.

``_timestamps`` defines the fast form (RFC 3339's date-time: ``FAST_FORM`` and the
rules beside it). Two readers implement it: ``read_fast`` in Python (one variant
per Python version: ``_read_fast_direct`` from 3.11, ``_read_fast_rewritten``
before) and the C reader of ``_codecs_c_helpers.h`` (``read_timestamp`` of the
compiled module, and its UTC integers, ``timestamp_utc_micros``). Every one of
them must give, for every text, what ``fast_form.expected_fast`` says: the general
reader's value, offset and kept text, or None. Texts come from the form's parts
(valid ones at every edge: leap days, month ends, offsets up to ±23:59, fractions
of 0 to 9 digits, years 0001 and 9999), from near misses (each character changed,
the text cut or extended), from numbers out of their ranges, and from the other
forms of the grammar, which the fast readers leave to the general one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from types import ModuleType

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fast_form import expected_fast, reading, utc_micros
from purecloud_internal_message import InternalMessage, Segment, _codecs_py, _timestamps
from purecloud_internal_message._codecs import codec
from purecloud_internal_message._extensions import ENV_VAR
from purecloud_internal_message._timestamps import (
    _read_fast_direct,
    _read_fast_rewritten,
    parse_timestamp,
    read_fast,
    zone,
)
from strategies import examples

UTC = timezone.utc
Reader = Callable[[str], "tuple[datetime, str | None] | None"]


def _readers() -> dict[str, Reader]:
    """Every fast reader that runs here: the chosen Python one, each variant this
    Python can run, and (unless the run is pure Python) the C reader."""
    readers: dict[str, Reader] = {"read_fast": read_fast, "rewritten": _read_fast_rewritten}
    if sys.version_info >= (3, 11):  # 3.10's fromisoformat reads neither "Z" nor ".1"
        readers["direct"] = _read_fast_direct
    if not os.environ.get(ENV_VAR):
        # An ImportError when the compiled module was not built, as in conftest.
        from purecloud_internal_message import _codecs_c

        readers["C"] = _codecs_c.read_timestamp
    return readers


READERS = _readers()


def compiled_module() -> ModuleType | None:
    if "C" not in READERS:
        return None
    from purecloud_internal_message import _codecs_c

    return _codecs_c


def check(text: str) -> tuple[datetime, str | None] | None:
    """Every reader gives what the definition says, sharing the zone instances."""
    expected = expected_fast(text)
    for name, reader in READERS.items():
        got = reader(text)
        assert reading(got) == reading(expected), (name, text, got, expected)
        if got is not None:
            assert got[0] == expected[0]  # type: ignore[index]
            offset = got[0].utcoffset()
            assert offset is not None
            assert got[0].tzinfo is zone(offset // timedelta(minutes=1)), (name, text)
    compiled = compiled_module()
    if compiled is not None:
        micros = compiled.timestamp_utc_micros(text)
        assert micros == (None if expected is None else utc_micros(expected[0])), text
    return expected


# -- the texts -------------------------------------------------------------------

EDGE_DATES = [
    date(1, 1, 1),
    date(1, 12, 31),
    date(9999, 1, 1),
    date(9999, 12, 31),
    date(2000, 2, 29),
    date(2024, 2, 29),
    date(1900, 2, 28),
    date(2023, 2, 28),
    date(2024, 4, 30),
    date(2024, 12, 31),
    date(1970, 1, 1),
]
DIGITS = "0123456789"


def two(number: int) -> str:
    return f"{number:02d}"


HOURS = st.integers(0, 23)


@st.composite
def offsets(draw: st.DrawFn, hours: st.SearchStrategy[int] = HOURS) -> str:
    """``Z``, ``z`` or ``±HH:MM``, ``±HHMM``, ``±HH`` (its minutes from 00 to 59)."""
    spelling = draw(st.sampled_from(["Z", "z", "+HH:MM", "+HHMM", "+HH"]))
    if spelling in ("Z", "z"):
        return spelling
    sign = draw(st.sampled_from("+-"))
    text = sign + two(draw(hours))
    if spelling == "+HH":
        return text
    minute = two(draw(st.integers(0, 59) | st.sampled_from([0, 59])))
    return text + (":" if spelling == "+HH:MM" else "") + minute


@st.composite
def fast_texts(draw: st.DrawFn) -> str:
    """Texts of the fast form's shape, from its parts, on real dates."""
    day = draw(st.dates() | st.sampled_from(EDGE_DATES))
    clock = draw(st.times())
    digits = draw(st.integers(0, 9))
    fraction = "." + draw(st.text(DIGITS, min_size=digits, max_size=digits)) if digits else ""
    return (
        f"{day.year:04d}-{two(day.month)}-{two(day.day)}{draw(st.sampled_from('Tt '))}"
        f"{two(clock.hour)}:{two(clock.minute)}:{two(clock.second)}"
        f"{fraction}{draw(offsets())}"
    )


# What a changed character becomes: digits, the form's own marks, the other forms'
# marks, letters, a control character, other scripts' digits (which int() reads).
CHANGES = "05 9-:.,TtZz+W_/é\x00\u0663\uff15"


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    """A text of the fast form with a character changed, deleted or doubled, or the
    text cut short or extended."""
    text = draw(fast_texts())
    where = draw(st.integers(0, len(text) - 1))
    how = draw(st.sampled_from(["change", "delete", "double", "cut", "extend"]))
    if how == "change":
        return text[:where] + draw(st.sampled_from(CHANGES)) + text[where + 1 :]
    if how == "delete":
        return text[:where] + text[where + 1 :]
    if how == "double":
        return text[:where] + text[where] + text[where:]
    if how == "cut":
        return text[:where]
    return text + draw(st.text(CHANGES, min_size=1, max_size=3))


@st.composite
def out_of_range(draw: st.DrawFn) -> str:
    """The fast form's shape with each number drawn beyond its range too, and
    fractions of 0 to 10 digits."""
    year = draw(st.sampled_from([0, 1, 2, 1999, 2024, 9998, 9999]))
    month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    hour, minute, second = (
        draw(st.integers(0, 25)),
        draw(st.integers(0, 61)),
        draw(st.integers(0, 61)),
    )
    digits = draw(st.integers(0, 10))
    fraction = ("." + draw(st.text(DIGITS, min_size=digits, max_size=digits))) if digits else ""
    if draw(st.booleans()):
        fraction = draw(st.sampled_from([".", ","])) + fraction[1:]
    offset = draw(offsets(hours=st.integers(0, 25)) | st.sampled_from(["", "+23:60", "-00:61"]))
    return (
        f"{year:04d}-{two(month)}-{two(day)}T{two(hour)}:{two(minute)}:{two(second)}"
        f"{fraction}{offset}"
    )


# The other forms of the grammar: valid, and the general reader's, never the fast one's.
OTHER_FORMS = [
    "20240501T123456Z",  # basic date and time
    "2024-05-01T123456Z",  # basic time
    "20240501T12:34:56Z",  # basic date
    "2024-122T12:34:56Z",  # ordinal date
    "2024-W18-3T12:34:56Z",  # week date
    "2024-05-01T12:34Z",  # no seconds
    "2024-05-01T12Z",  # the hour alone
    "2024-05-01T24:00:00Z",  # the end of the day
    "2024-05-01T24:00:00.000Z",
    "2024-05-01T12:34:56,789Z",  # a comma fraction
    "2024-05-01T12:34:56.1234567890Z",  # ten fraction digits
    "2024-05-01T12:34:56",  # naive
    "2024-05-01T12:34:56.789",
    "2024-05-01",
    "0001-01-01T00:30:00+01:00",  # before year 1 in UTC: refused by the general reader
    "0001-01-01T05:00:00+01:00",  # year 1 with an offset: read by the general reader
    "9999-12-31T23:00:00-01:00",  # after 9999 in UTC
    "9999-06-01T00:00:00-01:00",
]

EDGES = [
    # Offsets at the ends of their range, and past them.
    "2024-05-01T12:34:56+23:59",
    "2024-05-01T12:34:56-23:59",
    "2024-05-01T12:34:56+2359",
    "2024-05-01T12:34:56-23",
    "2024-05-01T12:34:56+24:00",
    "2024-05-01T12:34:56-24:00",
    "2024-05-01T12:34:56+24",
    "2024-05-01T12:34:56+05:60",
    "2024-05-01T12:34:56+00:00",
    "2024-05-01T12:34:56-00:00",
    "2024-05-01T12:34:56-0000",
    "2024-05-01T12:34:56+00",
    "2024-05-01T12:34:56+05:3",
    "2024-05-01T12:34:56+0530:",
    "2024-05-01T12:34:56+",
    "2024-05-01T12:34:56-",
    # Fractions of 0 to 10 digits.
    "2024-05-01T12:34:56.Z",
    *(f"2024-05-01T12:34:56.{'123456789'[:n]}Z" for n in range(1, 10)),
    "2024-05-01T12:34:56.1234567890Z",
    "2024-05-01T12:34:56.999999999Z",
    "2024-05-01T12:34:56.000000001+02:00",
    # The kept text: exactly what format_timestamp writes, and nothing else.
    "2024-05-01T12:34:56.789Z",
    "2024-05-01T12:34:56.789123Z",
    "2024-05-01T12:34:56.789000Z",
    "2024-05-01T12:34:56.000Z",
    "2024-05-01T12:34:56.000000Z",
    "2024-05-01t12:34:56.789Z",
    "2024-05-01 12:34:56.789Z",
    "2024-05-01T12:34:56.789z",
    "2024-05-01T12:34:56.789+00:00",
    # Calendar edges.
    "2024-02-29T00:00:00Z",
    "2023-02-29T00:00:00Z",
    "2000-02-29T23:59:59Z",
    "1900-02-29T00:00:00Z",
    "2024-04-31T00:00:00Z",
    "2024-12-31T23:59:59.999999999Z",
    "2024-00-10T00:00:00Z",
    "2024-13-10T00:00:00Z",
    "2024-01-00T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:59.999999-00:00",
    "2024-05-01T23:59:60Z",
    "2024-05-01T23:60:00Z",
    "2024-05-01T25:00:00Z",
    # Lengths and characters.
    "",
    "2024-05-01T12:34:56",
    "2024-05-01T12:34:56Z ",
    " 2024-05-01T12:34:56Z",
    "2024-05-01T12:34:56ZZ",
    "2024-05-01T12:34:56.123456789+02:00x",
    "2024-05-01T12:34:56.12345678901+02:00",
    "2024-05-01T1\u0663:34:56Z",
    "\uff12024-05-01T12:34:56Z",
    "2024-05-01T12:34:56.78\u00b2Z",
    "2024-05-01\u00e912:34:56Z",
]


# -- the properties -----------------------------------------------------------------


@settings(max_examples=examples(1000))
@given(text=fast_texts())
@example(text="0001-01-01T00:00:00+01:00")
@example(text="9999-12-31T23:59:59.999999999-23:59")
@example(text="2024-05-01T12:34:56z")
def test_texts_of_the_fast_form_are_read_as_the_general_reader_reads_them(text: str) -> None:
    expected = check(text)
    if not (text[:4] in ("0001", "9999") and text[-1] not in "Zz"):  # the rule beyond the shape
        assert expected is not None, text


@settings(max_examples=examples(1500))
@given(text=near_misses() | out_of_range())
def test_near_misses_are_read_the_same_or_declined_by_every_reader(text: str) -> None:
    check(text)


@pytest.mark.parametrize("text", OTHER_FORMS)
def test_the_other_forms_are_the_general_readers(text: str) -> None:
    assert check(text) is None
    for reader in READERS.values():
        assert reader(text) is None


@pytest.mark.parametrize("text", EDGES, ids=repr)
def test_edges(text: str) -> None:
    check(text)


def test_what_the_edges_give() -> None:
    """A few of the edges spelled out, so that the definition itself is checked."""
    plus = timezone(timedelta(hours=23, minutes=59))
    assert read_fast("2024-05-01T12:34:56+23:59") == (
        datetime(2024, 5, 1, 12, 34, 56, tzinfo=plus),
        None,
    )
    assert read_fast("2024-05-01T12:34:56+24:00") is None
    assert read_fast("2024-05-01T12:34:56.123456789Z") == (
        datetime(2024, 5, 1, 12, 34, 56, 123456, tzinfo=UTC),
        None,
    )
    assert read_fast("2024-05-01T12:34:56.1234567890Z") is None
    assert read_fast("2024-05-01T12:34:56.789123Z")[1] == "2024-05-01T12:34:56.789123Z"  # type: ignore[index]
    assert read_fast("2024-05-01T12:34:56.789000Z")[1] is None  # type: ignore[index]
    assert read_fast("2024-05-01T12:34:56.789Z")[1] == "2024-05-01T12:34:56.789Z"  # type: ignore[index]
    assert read_fast("2024-05-01T12:34:56-00:00")[0].tzinfo is UTC  # type: ignore[index]
    assert read_fast("0001-01-01T05:00:00+01:00") is None  # left to the general reader
    assert read_fast("0001-01-01T05:00:00-00:00") is not None


def test_the_reader_chosen_for_this_python() -> None:
    """3.10's fromisoformat reads neither "Z" nor a fraction of other than 3 or 6
    digits, so it gets the reader that rewrites the text first."""
    if sys.version_info >= (3, 11):
        assert read_fast is _read_fast_direct
    else:
        assert read_fast is _read_fast_rewritten
        with pytest.raises(ValueError):
            datetime.fromisoformat("2024-05-01T12:34:56.1+00:00")


# -- the zones ------------------------------------------------------------------------


def test_zones_are_shared_by_every_reader() -> None:
    """One `timezone` per offset, whatever read the text and however the offset was
    spelled: a million timestamps at +02:00 hold one zone."""
    shared = zone(120)
    assert type(shared) is timezone and shared.utcoffset(None) == timedelta(hours=2)
    assert zone(120) is shared and zone(0) is UTC
    assert zone(-1439) is zone(-1439) and zone(-1439).utcoffset(None) == -timedelta(minutes=1439)
    for text in (
        "2024-05-01T14:00:00+02:00",
        "2024-05-01T14:00:00.5+0200",
        "2024-05-01 14:00:00+02",
    ):
        assert parse_timestamp(text)[0].tzinfo is shared
        for reader in READERS.values():
            assert reader(text)[0].tzinfo is shared  # type: ignore[index]
    for minutes in (1440, -1440, 10**6):
        with pytest.raises(ValueError, match="out of range"):
            zone(minutes)


def test_a_datetime_given_in_another_zone_type_is_stored_with_the_shared_zone() -> None:
    """An SDK's or zoneinfo's datetime gets the zone that text at its offset gets."""
    from zoneinfo import ZoneInfo

    from purecloud_internal_message._timestamps import stored_datetime

    paris = datetime(2024, 5, 1, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert stored_datetime(paris).tzinfo is zone(120)
    west = datetime(2024, 1, 1, 7, 0, tzinfo=ZoneInfo("America/New_York"))
    assert stored_datetime(west).tzinfo is zone(-300)
    # An offset with seconds (Paris' local mean time in 1890) keeps a zone of its own.
    old = stored_datetime(datetime(1890, 1, 1, tzinfo=ZoneInfo("Europe/Paris")))
    assert old.utcoffset() == timedelta(minutes=9, seconds=21)


def test_the_decoders_store_the_shared_zones(codecs: ModuleType) -> None:
    from_dict = codecs.CODECS[InternalMessage]["from_dict"]
    data = {
        "connectedTime": "2024-05-01T14:00:00+02:00",
        "segments": [{"startTime": "2024-05-01T14:00:00.123+0200"}],
        "messages": [{"messageTime": "2024-05-01T14:00:00,5+02:00"}],  # the general reader's
    }
    message = from_dict(InternalMessage, data)
    assert message.connected_time.tzinfo is zone(120)
    assert message.segments[0].start_time.tzinfo is zone(120)
    assert message.messages[0].message_time.tzinfo is zone(120)


# -- UTC integers (the C core without a datetime) ------------------------------------------


def test_utc_micros_of_the_c_core() -> None:
    compiled = compiled_module()
    if compiled is None:
        pytest.skip(f"{ENV_VAR} is set: the pure-Python run")
    micros = compiled.timestamp_utc_micros
    assert micros("1970-01-01T00:00:00Z") == 0
    assert micros("1970-01-01T00:00:00.000001Z") == 1
    assert micros("1969-12-31T23:59:59.999999Z") == -1
    assert micros("1970-01-01T02:00:00+02:00") == 0
    assert micros("1970-01-01T00:00:00-00:01") == 60_000_000
    assert micros("2024-05-01T12:34:56.789Z") == 1_714_566_896_789_000
    assert micros("0001-01-01T00:00:00Z") == -62_135_596_800_000_000
    assert micros("9999-12-31T23:59:59.999999999Z") == 253_402_300_799_999_999
    for declined in ("2024-05-01T24:00:00Z", "20240501T123456Z", "2024-05-01", "x", ""):
        assert micros(declined) is None
    for not_text in (None, 1, b"1970-01-01T00:00:00Z"):
        assert micros(not_text) is None


# -- the readers without the C datetime ------------------------------------------------


def test_the_python_readers_without_the_c_datetime() -> None:
    """Where datetime is pure Python (PyPy; CPython without _datetime) its
    fromisoformat reads numbers with int(): the shape check must keep the readers
    exact there too."""
    texts = [*EDGES, *OTHER_FORMS, "2024-05-01T12:34:56.7+02:00", "2024-05-01t12:34:56.1234567z"]
    code = f"""
import sys
sys.modules["_datetime"] = None  # the pure-Python datetime, as on PyPy
from datetime import datetime
assert datetime.fromisoformat("+024-05-01").year == 24  # lax, as the test assumes
sys.path.insert(0, {os.path.dirname(__file__)!r})
from fast_form import expected_fast, reading
from purecloud_internal_message import _timestamps
readers = [_timestamps.read_fast, _timestamps._read_fast_rewritten]
if sys.version_info >= (3, 11):
    readers.append(_timestamps._read_fast_direct)
for text in {texts!r}:
    for reader in readers:
        assert reading(reader(text)) == reading(expected_fast(text)), (reader, text)
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stdout.split() == ["ok"], out.stderr


# -- through the models --------------------------------------------------------------------


@settings(max_examples=examples(200))
@given(text=fast_texts() | near_misses())
def test_the_fast_path_stores_what_the_careful_decoder_stores(text: str) -> None:
    """Every timestamp field, on both codec paths: what the fast form reads, the
    fast decoder stores (value, zone and kept text), as the careful decoder would."""
    from codec_checks import outcome, shape
    from purecloud_internal_message import _decode

    data = {
        "connectedTime": text,
        "segments": [{"startTime": text}],
        "messages": [{"messageTime": text}],
    }
    careful = outcome(_decode.decode, InternalMessage, data, False)
    fast = expected_fast(text)
    implementations = [_codecs_py]
    compiled = compiled_module()
    if compiled is not None:
        implementations.append(compiled)
    for codecs in implementations:
        try:
            quick = codecs.CODECS[InternalMessage]["fast_decode"](data, False)
        except ValueError:  # fromisoformat refusing canonical-shaped text (hour 24)
            assert codecs is _codecs_py
            quick = None
        if fast is None:
            assert quick is None, (codecs.__name__, text)
            continue
        assert quick is not None, (codecs.__name__, text)
        assert careful == ("ok", shape(quick))
        assert (quick.connected_time, quick._connected_time_text) == fast
        assert quick.connected_time.tzinfo is fast[0].tzinfo


def test_the_docs_example_takes_the_fast_path() -> None:
    """docs/timestamps.md's first example, now read by the fast path."""
    text = "2024-05-01T14:34:56.789+02:00"
    assert codec(Segment).fast_decode({"startTime": text}, False) is not None
    assert _timestamps.read_fast(text) is not None
