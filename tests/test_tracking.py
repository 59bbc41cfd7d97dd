"""The compiled decoders take atomic instances off the collector's list, and every
public store puts them back first, so a cycle through one is always collected."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from purecloud_internal_message import (
    ACCELERATED,
    Address,
    InternalMessage,
    InternalMessageDetails,
    Model,
    Segment,
)
from purecloud_internal_message._fields import untrackable

PAYLOAD: dict[str, Any] = {
    "id": "m1",
    "toAddress": {"name": "Bob"},
    "fromAddress": {"name": "Ann", "x-unknown": 1},
    "segments": [{"type": "Interact", "startTime": "2024-05-01T12:00:00.000Z"}],
    "messages": [
        {"messageId": "a", "messageTime": "2024-05-01T12:00:00.000Z"},
        {"messageId": "b", "extra": [1, 2]},
    ],
}


class Probe:
    """An object whose death says that the cycle holding it was collected."""

    def __init__(self, target: object) -> None:
        self.target = target


class CycleStr(str):
    """A str subclass with a `__dict__`: a setter keeps the very object it is given."""


class CycleDatetime(datetime):
    """A datetime subclass with a `__dict__`: a field value that can close a cycle."""


def test_which_models_can_be_untracked() -> None:
    assert [
        model.__name__
        for model in (InternalMessage, Segment, Address, InternalMessageDetails)
        if untrackable(model)
    ] == [
        "Segment",
        "Address",
        "InternalMessageDetails",
    ]


@pytest.mark.parametrize("source", ["dict", "json"])
def test_atomic_instances_without_unknown_fields_are_untracked_on_the_compiled_path(
    source: str,
) -> None:
    import json

    message = (
        InternalMessage.from_dict(PAYLOAD)
        if source == "dict"
        else InternalMessage.from_json(json.dumps(PAYLOAD))
    )
    untracked = ACCELERATED  # the pure-Python path cannot untrack anything
    assert gc.is_tracked(message)  # it holds lists and models
    assert gc.is_tracked(message.to_address) is not untracked
    assert gc.is_tracked(message.segments[0]) is not untracked
    assert gc.is_tracked(message.messages[0]) is not untracked
    # Unknown fields are a dict the collector must see into.
    assert gc.is_tracked(message.from_address)
    assert gc.is_tracked(message.messages[1])


def _untracked_segment() -> Segment:
    segment = InternalMessage.from_dict(PAYLOAD).segments[0]
    assert gc.is_tracked(segment) is not ACCELERATED
    return segment


def _cycle_datetime(segment: Segment) -> tuple[CycleDatetime, Probe]:
    value = CycleDatetime(2024, 5, 1, tzinfo=timezone.utc)
    probe = Probe(segment)
    value.probe = probe  # type: ignore[attr-defined]
    return value, probe


def _via_str_setter(segment: Segment) -> Probe:
    value = CycleStr("Interact")
    probe = value.probe = Probe(segment)  # type: ignore[attr-defined]
    segment.type = value
    return probe


def _via_datetime_setter(segment: Segment) -> Probe:
    value, probe = _cycle_datetime(segment)
    segment.start_time = value
    return probe


def _via_additional_properties_getter(segment: Segment) -> Probe:
    probe = Probe(segment)
    segment.additional_properties["p"] = probe
    return probe


def _via_additional_properties_setter(segment: Segment) -> Probe:
    value, probe = _cycle_datetime(segment)  # a JSON value the setter keeps as it is
    segment.additional_properties = {"p": value}
    return probe


def _via_init(segment: Segment) -> Probe:
    value, probe = _cycle_datetime(segment)
    segment.__init__(end_time=value)  # type: ignore[misc]
    return probe


def _via_setstate(segment: Segment) -> Probe:
    value, probe = _cycle_datetime(segment)
    segment.__setstate__({"type": "Interact", "__additional_properties__": {"p": value}})
    return probe


STORES: dict[str, Callable[[Segment], Probe]] = {
    "str setter": _via_str_setter,
    "datetime setter": _via_datetime_setter,
    "additional_properties getter": _via_additional_properties_getter,
    "additional_properties setter": _via_additional_properties_setter,
    "__init__ again": _via_init,
    "__setstate__": _via_setstate,
}


@pytest.mark.parametrize("store", STORES.values(), ids=STORES.keys())
def test_every_public_store_tracks_the_instance_again(store: Callable[[Segment], Probe]) -> None:
    segment = _untracked_segment()
    store(segment)
    assert gc.is_tracked(segment)


@pytest.mark.parametrize("store", STORES.values(), ids=STORES.keys())
def test_a_cycle_through_a_decoded_instance_is_collected(store: Callable[[Segment], Probe]) -> None:
    segment = _untracked_segment()
    alive = weakref.ref(store(segment))
    del segment
    gc.collect()
    assert alive() is None, "the cycle through the segment was not collected"


def test_untracked_instances_behave_like_tracked_ones() -> None:
    decoded = InternalMessage.from_dict(PAYLOAD)
    built = InternalMessage(
        id="m1",
        to_address=Address(name="Bob"),
        segments=[
            Segment(type="Interact", start_time=datetime(2024, 5, 1, 12, tzinfo=timezone.utc))
        ],
    )
    assert decoded.to_address == built.to_address
    assert decoded.segments == built.segments
    segment: Model = decoded.segments[0]
    import copy
    import pickle

    for twin in (copy.copy(segment), copy.deepcopy(segment), pickle.loads(pickle.dumps(segment))):
        assert twin == segment
        assert gc.is_tracked(twin)  # a new instance, made the ordinary way
