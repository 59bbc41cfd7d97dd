"""Python object protocols: pickle (also into spawned workers), copy, deepcopy,
__slots__, repr, equality and hashing.
"""

from __future__ import annotations

import copy
import multiprocessing
import os
import pickle
import pprint
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

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
from strategies import api_datetimes, api_payloads, examples, shift_offset

UTC = timezone.utc
MODELS: tuple[type[Model], ...] = (InternalMessage, Segment, Address, InternalMessageDetails)
PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)

PROPERTY = settings(
    max_examples=examples(50), suppress_health_check=[HealthCheck.too_slow], deadline=None
)

# A payload exercising everything at once: every field, an unknown enum value,
# non-canonical and sub-millisecond timestamps, unknown keys at every level.
FULL: dict[str, Any] = {
    "state": "parked",  # not a documented state: kept as it came
    "initialState": "alerting",
    "id": "im-1",
    "segments": [
        {
            "startTime": "2024-05-01T12:34:56+02:00",  # non-canonical: kept with its offset
            "endTime": "2024-05-01T10:40:00.000Z",
            "type": "Interact",
            "howEnded": "hangup",
            "disconnectType": "client",
            "segmentNote": {"nested": [1, {"deep": True}]},
        },
        {"type": "Wrapup", "wrapupCode": None},
    ],
    "disconnectType": "NEW_DISCONNECT_TYPE",
    "connectedTime": "2024-05-01T10:34:56.123Z",
    "disconnectedTime": "2024-05-01T10:40:00.123456Z",
    "provider": "PureCloud",
    "peerId": "peer",
    "targetUserId": "target",
    "sourceUserId": "source",
    "toAddress": {"name": "Alice", "addressRaw": "alice", "addressPrivacy": {"masked": False}},
    "fromAddress": {"name": "Bob"},
    "messages": [{"messageId": "m1", "messageTime": "2024-05-01T10:35:00.000Z", "reactions": []}],
    "futureField": {"a": [1, 2.5, None, "x"]},
}


# -- helpers ------------------------------------------------------------------


def _full() -> InternalMessage:
    # from_dict keeps unknown values by reference, so decode a copy: a test that
    # mutates its model must not change FULL for the tests after it.
    return InternalMessage.from_dict(copy.deepcopy(FULL))


def _containers(value: object) -> list[object]:
    """Every model, list and dict reachable from ``value`` through fields and
    unknown fields (read from the slot, so that walking creates nothing).
    """
    found: list[object] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, Model):
            found.append(item)
            pending.extend(getattr(item, spec.name) for spec in fields(item))
            extra = item._additional_properties
            if extra is not None:
                pending.append(extra)
        elif isinstance(item, list):
            found.append(item)
            pending.extend(item)
        elif isinstance(item, dict):
            found.append(item)
            pending.extend(item.values())
    return found


def _models_within(model: Model) -> list[Model]:
    """``model`` and every model nested in it, in a fixed walk order."""
    found = [model]
    for spec in fields(model):
        value = getattr(model, spec.name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Model):
                found.extend(_models_within(item))
    return found


def _datetimes(model: Model) -> list[datetime]:
    """Every timestamp field value in ``model`` and its nested models, in walk order."""
    return [
        value
        for each in _models_within(model)
        for spec in fields(each)
        if isinstance(value := getattr(each, spec.name), datetime)
    ]


def _unknown_fields(model: Model) -> list[dict[str, Any] | None]:
    """The unknown fields of ``model`` and of every nested model, in walk order."""
    return [each._additional_properties or None for each in _models_within(model)]


def _respell(model: type[Model], payload: dict[str, Any], *, python_names: bool) -> dict[str, Any]:
    """``payload`` with its keys in reverse order at every model level and, with
    ``python_names``, the fields spelled by their Python names (``peer_id``).
    """
    by_key = {spec.key: spec for spec in fields(model)}
    result: dict[str, Any] = {}
    for key, value in reversed(payload.items()):
        spec = by_key.get(key)
        if spec is None:
            result[key] = value
            continue
        new_value = value
        if spec.model is not None and value is not None:
            if spec.kind == "model":
                new_value = _respell(spec.model, value, python_names=python_names)
            else:
                new_value = [
                    _respell(spec.model, item, python_names=python_names) for item in value
                ]
        result[spec.name if python_names else key] = new_value
    return result


def _assert_same_model(again: Model, original: Model) -> None:
    """``again`` is an independent object reading exactly as ``original`` does."""
    assert again is not original
    assert type(again) is type(original)
    assert again == original
    assert again.to_api_dict() == original.to_api_dict()
    assert again.to_dict() == original.to_dict()
    assert repr(again) == repr(original)
    assert _unknown_fields(again) == _unknown_fields(original)
    # datetime == compares instants only: the offset and the awareness must survive too.
    originals = _datetimes(original)
    agains = _datetimes(again)
    assert [value.utcoffset() for value in agains] == [value.utcoffset() for value in originals]
    assert agains == originals


def _pickle_round_trip(model: Model, protocol: int) -> Model:
    again = pickle.loads(pickle.dumps(model, protocol=protocol))
    assert isinstance(again, Model)
    return again


# -- pickle -------------------------------------------------------------------


@PROPERTY
@given(data=st.data(), model=st.sampled_from(MODELS))
def test_pickle_round_trip_every_protocol(data: st.DataObject, model: type[Model]) -> None:
    original = model.from_dict(data.draw(api_payloads(model)))
    for protocol in PROTOCOLS:
        _assert_same_model(_pickle_round_trip(original, protocol), original)


@PROPERTY
@given(
    payload=api_payloads(),
    when=api_datetimes,
    hours=st.integers(-12, 14),
    micro=st.integers(0, 999_999),
)
def test_pickle_keeps_offsets_and_microseconds(
    payload: dict[str, Any], when: datetime, hours: int, micro: int
) -> None:
    # fold=0: the standard library pickles a datetime's fold only from protocol 4 on
    # (and it means nothing with a fixed offset), so it is not the model's to keep.
    when = when.replace(fold=0)
    original = InternalMessage.from_dict(payload)
    original.connected_time = shift_offset(when, hours).replace(microsecond=micro)
    original.disconnected_time = when.replace(tzinfo=None)  # naive: read as UTC
    for protocol in PROTOCOLS:
        again = _pickle_round_trip(original, protocol)
        _assert_same_model(again, original)
        assert again.disconnected_time is not None
        assert again.disconnected_time.tzinfo is None


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pickle_keeps_unknown_fields_enums_and_timestamps(protocol: int) -> None:
    original = _full()
    again = _pickle_round_trip(original, protocol)
    _assert_same_model(again, original)
    assert isinstance(again, InternalMessage)
    assert again.to_api_dict() == {
        **FULL,
        "segments": [
            {**FULL["segments"][0], "startTime": "2024-05-01T10:34:56.000Z"},
            FULL["segments"][1],
        ],
    }
    assert again.state == "parked"
    assert again.disconnect_type == "NEW_DISCONNECT_TYPE"
    assert again.additional_properties == {"futureField": {"a": [1, 2.5, None, "x"]}}
    assert again.segments is not None
    segment = again.segments[0]
    assert segment.additional_properties == {"segmentNote": {"nested": [1, {"deep": True}]}}
    assert again.segments[1].additional_properties == {"wrapupCode": None}
    assert segment.start_time == datetime(
        2024, 5, 1, 12, 34, 56, tzinfo=timezone(timedelta(hours=2))
    )
    assert segment.start_time is not None
    assert segment.start_time.utcoffset() == timedelta(hours=2)
    assert again.to_address is not None
    assert again.to_address.additional_properties == {"addressPrivacy": {"masked": False}}
    assert again.disconnected_time == datetime(2024, 5, 1, 10, 40, 0, 123456, tzinfo=UTC)
    # The unpickled object is as usable as the original: its fields can be set.
    segment.type = "Alert"
    assert original.segments is not None
    assert original.segments[0].type == "Interact"


def test_pickle_keeps_shared_references() -> None:
    segment = Segment(type="Interact")
    original = InternalMessage(segments=[segment, segment])
    for protocol in PROTOCOLS:
        again = pickle.loads(pickle.dumps(original, protocol=protocol))
        assert again.segments is not None
        assert again.segments[0] is again.segments[1]
        assert again.segments[0] is not segment


# -- pickle into spawned worker processes ---------------------------------------


def _worker(job: tuple[Model, str]) -> tuple[Model, dict[str, Any], Model, str, int]:
    """Runs in a spawned child: decode there, return the model, its API form, a
    model decoded from JSON text in the child, the child's repr and its pid.
    """
    model, text = job
    return model, model.to_api_dict(), type(model).from_json(text), repr(model), os.getpid()


def test_pickle_into_spawned_worker_processes() -> None:
    import json

    payloads: list[tuple[type[Model], dict[str, Any]]] = [
        (InternalMessage, FULL),
        (InternalMessage, {}),
        (InternalMessage, {"id": "x", "segments": [], "connectedTime": "2024-05-01T10:34:56Z"}),
        (Segment, FULL["segments"][0]),
        (Address, FULL["toAddress"]),
        (InternalMessageDetails, {"messageId": "m", "messageTime": "2024-05-01T12:00:00-05:00"}),
    ]
    models = [model.from_dict(payload) for model, payload in payloads]
    jobs = [
        (model, json.dumps(payload)) for model, (_, payload) in zip(models, payloads, strict=True)
    ]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as executor:
        results = list(executor.map(_worker, jobs, timeout=60))
    assert len(results) == len(models)
    assert {pid for *_, pid in results}.isdisjoint({os.getpid()})  # really elsewhere
    for original, (back, api_dict, decoded, child_repr, _) in zip(models, results, strict=True):
        _assert_same_model(back, original)
        assert api_dict == original.to_api_dict()
        _assert_same_model(decoded, original)  # a new model, built in the child
        assert child_repr == repr(original)


# -- copy.copy ------------------------------------------------------------------


@PROPERTY
@given(payload=api_payloads())
def test_copy_is_a_shallow_copy(payload: dict[str, Any]) -> None:
    original = InternalMessage.from_dict(payload)
    before = original.to_api_dict()
    shallow = copy.copy(original)
    assert shallow is not original
    assert type(shallow) is InternalMessage
    assert shallow == original
    assert shallow.to_api_dict() == before
    assert repr(shallow) == repr(original)
    # Shallow, in the standard Python sense: nested models and lists are shared.
    for spec in fields(InternalMessage):
        value = getattr(original, spec.name)
        if isinstance(value, (Model, list)):
            assert getattr(shallow, spec.name) is value
    # The copy itself is a distinct object: setting its fields leaves the original alone.
    shallow.id = "changed" if original.id != "changed" else "changed again"
    shallow.segments = None if original.segments is not None else []
    assert shallow != original
    assert original.to_api_dict() == before


def test_copy_shares_the_unknown_fields_dict() -> None:
    # copy.copy goes through __getstate__/__setstate__, which pass the unknown-field
    # dict along as it is: the copy shares it, like every other nested container.
    original = _full()
    shallow = copy.copy(original)
    assert shallow.additional_properties is original.additional_properties
    assert original.segments is not None
    assert shallow.segments is original.segments
    assert shallow.segments[0].additional_properties is original.segments[0].additional_properties
    # A model with no unknown fields gives its copy none either (no shared empty dict).
    bare = InternalMessage(id="a")
    assert bare.additional_properties == {}
    bare_copy = copy.copy(bare)
    bare_copy.additional_properties["newField"] = 1
    assert bare.additional_properties == {}


@pytest.mark.parametrize("model", MODELS)
def test_copy_of_every_model(model: type[Model]) -> None:
    payload = {spec.key: None for spec in fields(model)} | {"unknownKey": [1]}
    original = model.from_dict(payload)
    shallow = copy.copy(original)
    assert shallow is not original
    assert type(shallow) is model
    assert shallow == original
    assert shallow.additional_properties == {"unknownKey": [1]}


# -- copy.deepcopy --------------------------------------------------------------


@PROPERTY
@given(payload=api_payloads())
def test_deepcopy_shares_no_container(payload: dict[str, Any]) -> None:
    original = InternalMessage.from_dict(payload)
    before = original.to_api_dict()
    deep = copy.deepcopy(original)
    _assert_same_model(deep, original)
    originals = _containers(original)
    copies = _containers(deep)
    assert len(copies) == len(originals)
    assert {id(item) for item in originals}.isdisjoint(id(item) for item in copies)
    assert original.to_api_dict() == before


def test_deepcopy_mutations_leave_the_original_alone() -> None:
    original = _full()
    before = original.to_api_dict()
    before_repr = repr(original)
    deep = copy.deepcopy(original)
    assert deep.segments is not None
    segment = deep.segments[0]
    segment.type = "Alert"
    segment.start_time = datetime(2030, 1, 1, tzinfo=UTC)
    segment.additional_properties["segmentNote"]["nested"].append(2)
    segment.additional_properties["added"] = True
    deep.segments.append(Segment(type="Extra"))
    assert deep.to_address is not None
    deep.to_address.name = "Carol"
    deep.additional_properties["futureField"]["a"].clear()
    assert deep.messages is not None
    deep.messages[0].additional_properties["reactions"].append("+1")
    assert deep != original
    assert original.to_api_dict() == before
    assert repr(original) == before_repr


def test_deepcopy_keeps_shared_references_within_the_copy() -> None:
    segment = Segment(type="Interact")
    original = InternalMessage(segments=[segment, segment])
    deep = copy.deepcopy(original)
    assert deep.segments is not None
    assert deep.segments[0] is deep.segments[1]
    assert deep.segments[0] is not segment


# -- __slots__ ------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_models_have_slots_and_no_instance_dict(model: type[Model]) -> None:
    instance = model.from_dict({"unknownKey": 1})
    assert not hasattr(instance, "__dict__")
    for klass in model.__mro__[:-1]:  # every class but object declares __slots__
        assert "__slots__" in vars(klass), klass
    with pytest.raises(AttributeError):
        instance.not_a_field = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        instance.unknownKey = 2  # type: ignore[attr-defined]  # unknown fields live elsewhere
    camel_keys = [spec.key for spec in fields(model) if spec.key != spec.name]
    assert camel_keys  # every model has a camelCase key
    for key in camel_keys:  # the API spelling is not an attribute either
        with pytest.raises(AttributeError):
            setattr(instance, key, None)
    # The declared fields are still settable.
    setattr(instance, fields(model)[0].name, None)
    assert instance.additional_properties == {"unknownKey": 1}


# -- repr -----------------------------------------------------------------------


@PROPERTY
@given(data=st.data(), model=st.sampled_from(MODELS))
def test_repr_is_pformat_of_to_dict(data: st.DataObject, model: type[Model]) -> None:
    instance = model.from_dict(data.draw(api_payloads(model)))
    text = repr(instance)
    assert text == pprint.pformat(instance.to_dict())
    assert instance.to_str() == text
    assert repr(instance) == text  # stable: repr changes nothing it reads
    assert repr(_pickle_round_trip(instance, pickle.HIGHEST_PROTOCOL)) == text
    assert repr(_pickle_round_trip(instance, 0)) == text


@PROPERTY
@given(payload=api_payloads(), python_names=st.booleans())
def test_repr_ignores_key_order_and_spelling(payload: dict[str, Any], python_names: bool) -> None:
    original = InternalMessage.from_dict(payload)
    respelled = _respell(InternalMessage, payload, python_names=python_names)
    other = InternalMessage.from_dict(respelled)
    assert other == original
    assert repr(other) == repr(original)


def test_repr_of_the_full_record() -> None:
    one = _full()
    other = InternalMessage.from_dict(_respell(InternalMessage, FULL, python_names=True))
    assert repr(one) == repr(other) == pprint.pformat(one.to_dict())
    assert "'state': 'parked'" in repr(one)
    assert "'futureField': {'a': [1, 2.5, None, 'x']}" in repr(one)
    for protocol in PROTOCOLS:
        assert repr(pickle.loads(pickle.dumps(one, protocol=protocol))) == repr(one)


# -- equality and hashing -------------------------------------------------------


def _changed(model: Model, name: str) -> object:
    """A value for field ``name`` of ``model`` that differs from the current one."""
    spec = next(spec for spec in fields(model) if spec.name == name)
    current = getattr(model, name)
    if current is not None:
        return None
    if spec.kind == "str":
        return "a new value"
    if spec.kind == "datetime":
        return datetime(2024, 5, 1, tzinfo=UTC)
    assert spec.model is not None
    return spec.model() if spec.kind == "model" else []


@PROPERTY
@given(data=st.data(), model=st.sampled_from(MODELS))
def test_equality_follows_the_payload(data: st.DataObject, model: type[Model]) -> None:
    payload = data.draw(api_payloads(model))
    one = model.from_dict(payload)
    other = model.from_dict(copy.deepcopy(payload))
    assert one == other
    assert not one != other  # noqa: SIM202 - != is tested on its own
    assert other == one

    name = data.draw(st.sampled_from([spec.name for spec in fields(model)]))
    setattr(other, name, _changed(other, name))
    assert one != other
    assert not one == other  # noqa: SIM201 - == is tested on its own
    assert other != one

    third = model.from_dict(payload)
    third.additional_properties["surelyNotAField!"] = 1
    assert one != third
    assert not one == third  # noqa: SIM201


@pytest.mark.parametrize("model", MODELS)
def test_comparing_with_other_objects_is_false(model: type[Model]) -> None:
    instance = model()
    others: list[object] = [None, 0, "", {}, [], instance.to_dict(), instance.to_api_dict()]
    others += [cls() for cls in MODELS if cls is not model]
    for other in others:
        assert (instance == other) is False
        assert (other == instance) is False
        assert (instance != other) is True
        assert (other != instance) is True
    assert instance.__eq__(object()) is False  # never NotImplemented: see the SDK parity test
    assert (instance == model()) is True
    assert (instance != model()) is False


@pytest.mark.parametrize("model", MODELS)
def test_models_are_unhashable(model: type[Model]) -> None:
    instance = model()
    assert model.__hash__ is None
    with pytest.raises(TypeError, match="unhashable"):
        hash(instance)
    with pytest.raises(TypeError):
        {instance}
    with pytest.raises(TypeError):
        {instance: 1}
