"""Arrow: the schema derived from the field tables, and models to tables and back."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purecloud_internal_message import (
    Address,
    InternalMessage,
    InternalMessageDetails,
    Model,
    Segment,
    fields,
)
from purecloud_internal_message import arrow as arrow_module
from purecloud_internal_message._fields import field
from purecloud_internal_message.arrow import (
    UNKNOWN_COLUMN,
    arrow_schema,
    from_arrow,
    records_table,
    to_arrow,
    unfit_records,
)
from strategies import api_payloads, examples, texts

UTC = timezone.utc
NESTED = settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def round_trip(models: list[Any], **kwargs: Any) -> list[Any]:
    return from_arrow(to_arrow(models, **kwargs), kwargs.get("model", InternalMessage))


# -- the schema --


@pytest.mark.parametrize("model", [InternalMessage, Segment, Address, InternalMessageDetails])
@pytest.mark.parametrize("unit", ["ms", "us"])
def test_schema_follows_the_field_table(model: type[Model], unit: str) -> None:
    def check(struct_fields: list[pa.Field], model: type[Model]) -> None:
        specs = fields(model)
        assert [field.name for field in struct_fields] == [
            *(spec.key for spec in specs),
            UNKNOWN_COLUMN,
        ]
        for column, spec in zip(struct_fields, specs, strict=False):
            assert column.nullable
            if spec.kind == "str":
                assert column.type == pa.string()
            elif spec.kind == "datetime":
                assert column.type == pa.timestamp(unit, tz="UTC")
            elif spec.kind == "model":
                assert pa.types.is_struct(column.type)
                check(list(column.type), spec.model)  # type: ignore[arg-type]
            else:
                assert pa.types.is_list(column.type)
                assert column.type.value_field.name == "element"
                check(list(column.type.value_type), spec.model)  # type: ignore[arg-type]
        assert struct_fields[-1].type == pa.string()

    check(list(arrow_schema(model, unit=unit)), model)


def test_schema_defaults_to_internal_messages_in_milliseconds() -> None:
    schema = arrow_schema()
    assert schema == arrow_schema(InternalMessage, unit="ms")
    assert schema.field("connectedTime").type == pa.timestamp("ms", tz="UTC")
    assert schema.field("state").type == pa.string()  # an enum field is a plain string


def test_schema_refuses_what_it_cannot_describe() -> None:
    with pytest.raises(ValueError, match="unit must be 'ms' or 'us', got string 'ns'"):
        arrow_schema(unit="ns")
    with pytest.raises(TypeError, match="takes a model class"):
        arrow_schema(InternalMessage())  # type: ignore[arg-type]

    class Bad(Model):
        other: str | None = field("x", key=UNKNOWN_COLUMN, default=None)

    with pytest.raises(TypeError, match="the column of unknown fields"):
        arrow_schema(Bad)


# -- round trips --


@NESTED
@given(payloads=st.lists(api_payloads(), max_size=4), unit=st.sampled_from(["ms", "us"]))
def test_round_trip_equals_the_originals(payloads: list[dict[str, Any]], unit: str) -> None:
    models = [InternalMessage.from_dict(payload) for payload in payloads]
    table = to_arrow(models, unit=unit)
    assert table.schema == arrow_schema(unit=unit)
    assert table.num_rows == len(models)
    back = from_arrow(table)
    assert back == models
    # Kept timestamp text, unknown fields, empty lists: the same bytes again.
    assert [model.to_api_json() for model in back] == [model.to_api_json() for model in models]
    assert [model.to_dict() for model in back] == [model.to_dict() for model in models]


@NESTED
@given(payload=api_payloads())
def test_nested_models_round_trip_too(payload: dict[str, Any]) -> None:
    message = InternalMessage.from_dict(payload)
    for spec in fields(InternalMessage):
        value = getattr(message, spec.name)
        if spec.kind == "model" and value is not None:
            assert round_trip([value], model=spec.model) == [value]
        if spec.kind == "list" and value:
            assert round_trip(value, model=spec.model) == value


def test_timestamps_are_typed_utc_columns() -> None:
    message = InternalMessage.from_json(
        '{"connectedTime": "2024-05-01T14:34:56.789+02:00",'
        ' "messages": [{"messageTime": "2024-05-01T12:35:00.000Z"}]}'
    )
    table = to_arrow([message])
    connected = table.column("connectedTime")
    assert connected.type == pa.timestamp("ms", tz="UTC")
    assert connected.cast(pa.int64()).to_pylist() == [1714566896789]  # the instant, in UTC
    (back,) = from_arrow(table)
    assert back == message
    assert back.connected_time == datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=UTC)
    assert back.connected_time.tzinfo is UTC  # the standard library's UTC, not zoneinfo's
    assert back.messages[0].message_time.tzinfo is UTC  # type: ignore[index, union-attr]
    # The offset is not kept (Arrow stores instants): the API form is the same,
    # the SDK form names the same instant in UTC.
    assert back.to_api_json() == message.to_api_json()


def test_naive_datetimes_are_taken_as_utc() -> None:
    naive = datetime(2024, 5, 1, 12, 0, 0, 123000)
    (back,) = round_trip([InternalMessage(connected_time=naive)])
    assert back.connected_time == naive.replace(tzinfo=UTC)
    assert back.to_api_json() == InternalMessage(connected_time=naive).to_api_json()


def test_microseconds_need_the_us_unit() -> None:
    fine = datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
    message = InternalMessage(
        id="a", messages=[InternalMessageDetails(), InternalMessageDetails(message_time=fine)]
    )
    (back,) = round_trip([message], unit="us")
    assert back == message
    assert back.to_api_json() == message.to_api_json()
    with pytest.raises(ValueError) as caught:
        to_arrow([InternalMessage(), message])
    assert str(caught.value) == (
        "to_arrow: record 1: messages[1].messageTime: timestamp 2024-05-01T12:00:00.123456Z"
        " has sub-millisecond precision, which a unit='ms' column cannot hold"
        " (convert with unit='us')"
    )


def test_sub_millisecond_check_uses_the_utc_instant() -> None:
    # An offset with microseconds moves the instant off the millisecond grid.
    odd = timezone(timedelta(microseconds=500))
    value = datetime(2024, 5, 1, 12, 0, 0, 0, tzinfo=odd)
    with pytest.raises(ValueError, match=r"connectedTime: timestamp .*\.999500Z"):
        to_arrow([InternalMessage(connected_time=value)])
    (back,) = round_trip([InternalMessage(connected_time=value)], unit="us")
    assert back.connected_time == value


def test_timestamps_at_the_ends_of_the_datetime_range() -> None:
    for value in (
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, 1000, tzinfo=UTC),
    ):
        message = InternalMessage(connected_time=value)
        assert round_trip([message]) == [message]


def test_kept_timestamp_text_writes_the_same_bytes() -> None:
    text = '{"connectedTime":"2024-05-01T12:34:56.000Z","disconnectedTime":"2024-05-01T12:34:56.000001Z"}'
    message = InternalMessage.from_json(text)
    (back,) = round_trip([message], unit="us")
    assert back.to_api_json() == message.to_api_json() == text


def test_null_and_empty_lists_stay_apart() -> None:
    models = [
        InternalMessage(segments=None, messages=[]),
        InternalMessage(segments=[], messages=None),
        InternalMessage(segments=[Segment()], messages=[InternalMessageDetails()]),
    ]
    table = to_arrow(models)
    assert table.column("segments").to_pylist()[:2] == [None, []]
    back = round_trip(models)
    assert back == models
    assert [model.segments for model in back][:2] == [None, []]


def test_empty_strings_and_nulls_stay_apart() -> None:
    models = [
        InternalMessage(id=""),
        InternalMessage(id=None),
        InternalMessage(to_address=Address()),
    ]
    back = round_trip(models)
    assert back == models
    assert back[0].id == "" and back[1].id is None
    assert back[2].to_address == Address() and back[1].to_address is None


def test_enum_values_are_plain_strings_whatever_their_case() -> None:
    models = [InternalMessage(state=state) for state in ("connected", "CONNECTED", "parked")]
    table = to_arrow(models)
    assert table.column("state").to_pylist() == ["connected", "CONNECTED", "parked"]
    assert round_trip(models) == models


def test_no_models_give_an_empty_table_with_the_schema() -> None:
    table = to_arrow([])
    assert table.num_rows == 0 and table.schema == arrow_schema()
    assert from_arrow(table) == []
    assert from_arrow(arrow_schema(unit="us").empty_table()) == []


def test_any_iterable_of_models() -> None:
    models = [InternalMessage(id=str(number)) for number in range(3)]
    assert from_arrow(to_arrow(iter(models))) == models
    assert from_arrow(to_arrow(model for model in models)) == models


# -- unknown fields --


def test_unknown_fields_are_json_text_at_every_level() -> None:
    payload = {
        "id": "x",
        "queueMediaSettings": {"priority": 5, "ratio": 0.1, "big": 10**30, "ok": True},
        "toAddress": {"name": "Bob", "extra": [1, None, "two"]},
        "segments": [{"type": "x", "new": {}}, {"type": "y"}],
        "messages": [{"messageId": "m", "reactions": ["👍"]}],
    }
    message = InternalMessage.from_dict(payload)
    row = to_arrow([message]).to_pylist()[0]
    assert json.loads(row[UNKNOWN_COLUMN]) == {"queueMediaSettings": payload["queueMediaSettings"]}
    assert row[UNKNOWN_COLUMN] == (
        '{"queueMediaSettings":{"priority":5,"ratio":0.1,"big":1000000000000000000000000000000,'
        '"ok":true}}'
    )
    assert row["toAddress"][UNKNOWN_COLUMN] == '{"extra":[1,null,"two"]}'
    assert [segment[UNKNOWN_COLUMN] for segment in row["segments"]] == ['{"new":{}}', None]
    assert row["messages"][0][UNKNOWN_COLUMN] == '{"reactions":["👍"]}'
    assert row["fromAddress"] is None
    (back,) = from_arrow(to_arrow([message]))
    assert back == message
    assert back.to_api_json() == message.to_api_json()


def test_no_unknown_fields_is_null_not_an_empty_object() -> None:
    message = InternalMessage(id="x")
    message.additional_properties = {}
    assert to_arrow([message]).column(UNKNOWN_COLUMN).to_pylist() == [None]


def test_unknown_datetimes_become_api_text_as_in_to_api_json() -> None:
    # A newer SDK's to_dict() puts datetimes in fields this package does not know.
    when = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    message = InternalMessage.from_dict({"id": "x", "future_time": when})
    (back,) = round_trip([message])
    assert back.additional_properties == {"future_time": "2024-05-01T12:00:00.000Z"}
    assert back == InternalMessage.from_json(message.to_api_json())
    assert back.to_api_json() == message.to_api_json()


def test_unknown_values_that_are_not_json_are_refused_with_their_path() -> None:
    message = InternalMessage(to_address=Address())
    message.to_address.additional_properties["x"] = {"y": [object()]}  # type: ignore[union-attr]
    with pytest.raises(ValueError) as caught:
        to_arrow([InternalMessage(), message])
    assert str(caught.value).startswith(
        "to_arrow: record 1: toAddress.x.y[0]: unknown field cannot be written as JSON: "
        "expected a JSON value, got object"
    )
    nan = InternalMessage()
    nan.additional_properties["n"] = float("nan")  # the setter refuses it; the live dict cannot
    with pytest.raises(ValueError, match=r"record 0: n: unknown field cannot be written"):
        to_arrow([nan])


def test_unfit_records_are_located_by_loc() -> None:
    fine = datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
    sub_ms = InternalMessage(
        segments=[Segment(), Segment(start_time=fine)],
        messages=[InternalMessageDetails(message_time=fine)],
    )
    odd = InternalMessage(to_address=Address())
    # Keys that hold the punctuation of paths (put in the live dict: the setter refuses).
    odd.to_address.additional_properties["a.b"] = {"c[0]": [1, object()]}  # type: ignore[union-attr]
    found = list(unfit_records([InternalMessage(), sub_ms, odd], InternalMessage, unit="ms"))
    assert [(index, loc) for index, loc, _ in found] == [
        (1, ("segments", 1, "startTime")),  # the first one per record
        (2, ("toAddress", "a.b", "c[0]", 1)),
    ]
    with pytest.raises(ValueError, match=r"^to_arrow: record 0: toAddress\.a\.b\.c\[0\]\[1\]: "):
        to_arrow([odd])
    assert list(unfit_records([sub_ms], InternalMessage, unit="us")) == []


def test_a_refused_record_is_never_dropped_silently(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the encoder refuses a record in which the search for locations finds
    nothing unfit, that is a bug: it fails rather than losing the record."""
    from purecloud_internal_message._reader import Reader

    fine = datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
    sub_ms = InternalMessage(id="x", connected_time=fine)
    monkeypatch.setattr(arrow_module, "_first_unfit", lambda *args, **kwargs: None)
    with pytest.raises(AssertionError, match="none of its values is unfit"):
        reader = Reader(InternalMessage, strict=False, report=lambda problem: None)
        records_table([(sub_ms, 1, ())], "in.jsonl", InternalMessage, "ms", reader)


def test_a_batch_that_fits_is_not_walked_for_locations(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("unfit records looked for in a batch that fits")

    monkeypatch.setattr(arrow_module, "unfit_records", refused)
    full = {
        "id": "a",
        "connectedTime": "2024-05-01T12:34:56.789Z",
        "toAddress": {"name": "Bob", "x": [1]},
        "segments": [{"type": "Interact", "startTime": "2024-05-01T12:34:56.789Z"}],
        "messages": [{"messageTime": "2024-05-01T12:35:00.000Z"}],
    }
    messages = [InternalMessage.from_dict(payload) for payload in (full, {"id": "x"})]
    assert from_arrow(to_arrow(messages)) == messages


def test_items_must_be_the_model() -> None:
    with pytest.raises(TypeError, match="item 1 is Segment, not InternalMessage"):
        to_arrow([InternalMessage(), Segment()])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="item 0 is dict"):
        to_arrow([{"id": "x"}])  # type: ignore[list-item]

    class Same(InternalMessage):
        pass

    assert from_arrow(to_arrow([Same(id="x")])) == [InternalMessage(id="x")]


# -- tables from elsewhere --


def test_record_batches_are_read_too() -> None:
    models = [InternalMessage(id="x"), InternalMessage(segments=[Segment(type="t")])]
    (batch,) = to_arrow(models).to_batches()
    assert from_arrow(batch) == models
    assert from_arrow(to_arrow(models).slice(1)) == models[1:]


def test_compatible_types_are_cast() -> None:
    message = InternalMessage.from_json(
        '{"id":"x","connectedTime":"2024-05-01T12:34:56.789Z","toAddress":{"name":"n"},'
        '"messages":[{"messageTime":"2024-05-01T12:35:00.000Z"}],"q":1}'
    )
    table = to_arrow([message])

    def widen(data_type: pa.DataType) -> pa.DataType:
        if data_type == pa.string():
            return pa.large_string()
        if pa.types.is_timestamp(data_type):
            return pa.timestamp("ns", tz="Europe/Paris")
        if pa.types.is_struct(data_type):
            return pa.struct([pa.field(f.name, widen(f.type)) for f in data_type])
        if pa.types.is_list(data_type):
            return pa.large_list(pa.field("item", widen(data_type.value_type)))
        return data_type

    wide = pa.schema([pa.field(f.name, widen(f.type)) for f in table.schema])
    other = table.cast(wide)
    reordered = other.select(list(reversed(other.column_names)))
    assert from_arrow(reordered) == [message]


def test_tables_with_other_columns_are_refused_in_our_words() -> None:
    table = to_arrow([InternalMessage(id="x")])
    with pytest.raises(ValueError, match=r"not those of InternalMessage \(missing 'id'\)"):
        from_arrow(table.drop_columns(["id"]))
    with pytest.raises(ValueError, match=r"unexpected 'extra'"):
        from_arrow(table.append_column("extra", pa.array([1])))
    wrong = table.set_column(2, "id", pa.array([1]))
    with pytest.raises(ValueError, match="column 'id' is int64, which cannot be read as string"):
        from_arrow(wrong)
    nanos = pa.array([1714566896789000001], pa.timestamp("ns", tz="UTC"))
    with pytest.raises(ValueError, match="column 'connectedTime' is timestamp"):
        from_arrow(table.set_column(6, "connectedTime", nanos))
    with pytest.raises(TypeError, match="takes a pyarrow Table or RecordBatch, got array"):
        from_arrow([])  # type: ignore[call-overload]


def _with_unknown(text: str | None, where: str = "top") -> pa.Table:
    row = to_arrow([InternalMessage(id="x", messages=[InternalMessageDetails()])]).to_pylist()[0]
    if where == "top":
        row[UNKNOWN_COLUMN] = text
    else:
        row["messages"][0][UNKNOWN_COLUMN] = text
    return pa.Table.from_pylist([row], schema=arrow_schema())


def test_unknown_column_must_hold_a_json_object_of_unknown_fields() -> None:
    assert from_arrow(_with_unknown('{"a":[1]}'))[0].additional_properties == {"a": [1]}
    cases = {
        "{": r"row 0: additionalProperties: not JSON: ",
        "[1]": r"row 0: additionalProperties: expected a JSON object, got array \[1\]",
        '{"id":"y"}': r"row 0: additionalProperties: holds 'id', which is a field of InternalMessage",
        '{"peer_id":"y"}': r"holds 'peer_id', which is a field of InternalMessage",
        "NaN": r"row 0: additionalProperties: not JSON",
    }
    for text, message in cases.items():
        with pytest.raises(ValueError, match=message):
            from_arrow(_with_unknown(text))
    with pytest.raises(
        ValueError, match=r"row 0: messages\[0\]\.additionalProperties: expected a JSON object"
    ):
        from_arrow(_with_unknown('"x"', where="messages"))
    row = to_arrow([InternalMessage(id="x", to_address=Address())]).to_pylist()[0]
    row["toAddress"][UNKNOWN_COLUMN] = "[]"
    with pytest.raises(
        ValueError, match=r"^from_arrow: row 0: toAddress\.additionalProperties: expected a JSON"
    ):
        from_arrow(pa.Table.from_pylist([row], schema=arrow_schema()))


def test_rows_that_are_not_valid_records_are_refused_with_their_path() -> None:
    deep = "[" * 120 + "]" * 120
    with pytest.raises(ValueError) as caught:
        from_arrow(_with_unknown('{"a":' + deep + "}"))
    assert str(caught.value).startswith("from_arrow: row 0 is not a valid InternalMessage:\na")
    assert "nested more than 100 levels deep" in str(caught.value)


def test_values_python_cannot_hold_are_refused_by_row() -> None:
    far = pa.array([None, 300_000_000_000_000], pa.timestamp("ms", tz="UTC"))  # year ~11400
    table = pa.Table.from_pylist([{}, {}], schema=arrow_schema()).set_column(
        6, "connectedTime", far
    )
    with pytest.raises(
        ValueError, match="row 1: connectedTime: timestamp outside the years 1-9999"
    ):
        from_arrow(table)


@settings(max_examples=examples(100), deadline=None)
@given(value=texts)
def test_any_text_round_trips(value: str) -> None:
    message = InternalMessage(id=value, to_address=Address(name=value))
    assert round_trip([message]) == [message]


zones = st.none() | st.sampled_from(
    [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))]
)
any_datetimes = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=zones
)


@NESTED
@given(
    connected=any_datetimes,
    segment_start=st.none() | any_datetimes,
    unknown=st.none() | any_datetimes,
)
def test_what_holds_for_any_datetime(
    connected: datetime, segment_start: datetime | None, unknown: datetime | None
) -> None:
    message = InternalMessage(
        connected_time=connected, segments=[Segment(start_time=segment_start)]
    )
    if unknown is not None:
        message.additional_properties = {"futureTime": unknown}
    (back,) = round_trip([message], unit="us")
    # The API form is the same, byte for byte, and decodes to what came back.
    assert back.to_api_json() == message.to_api_json()
    assert back == InternalMessage.from_json(message.to_api_json())
    # Timestamps come back as the same instants, in the standard library's UTC.
    assert back.connected_time.tzinfo is UTC  # type: ignore[union-attr]
    # And the models are equal unless a naive datetime (now aware) or a datetime
    # in an unknown field (now text) changed type.
    all_aware = connected.tzinfo is not None and (segment_start is None or segment_start.tzinfo)
    assert (back == message) == bool(all_aware and unknown is None)


def test_importing_the_package_imports_no_optional_dependency() -> None:
    import subprocess
    import sys

    code = (
        "import sys, purecloud_internal_message;"
        "print(sorted(m for m in ('pyarrow', 'dask', 'pandas', 'fsspec') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
