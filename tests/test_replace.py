"""replace() and Model.__replace__ (copy.replace on Python 3.13): validated changed copies."""

from __future__ import annotations

import copy
import sys
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from purecloud_internal_message import (
    Address,
    InternalMessage,
    InternalMessageDetails,
    Segment,
    fields,
    replace,
)
from strategies import api_payloads, examples

WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
PAYLOAD = {
    "id": "c-1",
    "state": "connected",
    "connectedTime": "2024-05-01T12:34:56.789Z",
    "disconnectedTime": "2024-05-01T12:40:00.000Z",
    "toAddress": {"name": "Bob", "extra": [1]},
    "segments": [{"type": "Interact"}],
    "queueMediaSettings": {"priority": [5]},
}


def test_replace_changes_a_copy_and_leaves_the_original() -> None:
    original = InternalMessage.from_dict(PAYLOAD)
    before = original.to_api_json()
    changed = replace(original, state="disconnected", disconnect_type="client")
    assert type(changed) is InternalMessage and changed is not original
    assert (changed.state, changed.disconnect_type) == ("disconnected", "client")
    assert original.to_api_json() == before
    for spec in fields(InternalMessage):
        if spec.name not in ("state", "disconnect_type"):
            assert getattr(changed, spec.name) == getattr(original, spec.name)
    assert changed.additional_properties == original.additional_properties


def test_none_clears_a_field() -> None:
    original = InternalMessage.from_dict(PAYLOAD)
    assert replace(original, to_address=None).to_address is None


def test_no_changes_is_an_equal_copy() -> None:
    original = InternalMessage.from_dict(PAYLOAD)
    same = replace(original)
    assert same == original and same is not original
    assert same.to_api_json() == original.to_api_json()


def test_unchanged_fields_are_shared_and_unknown_fields_copied() -> None:
    original = InternalMessage.from_dict(PAYLOAD)
    changed = replace(original, id="c-2")
    assert changed.to_address is original.to_address  # as dataclasses.replace shares them
    assert changed.segments is original.segments
    changed.additional_properties["queueMediaSettings"]["priority"].append(6)
    changed.additional_properties["new"] = True
    assert original.additional_properties == {"queueMediaSettings": {"priority": [5]}}


def test_a_changed_timestamp_drops_the_text_it_was_read_from() -> None:
    original = InternalMessage.from_dict(PAYLOAD)
    # The text a timestamp was read from is kept, to be written back as it was.
    assert original._connected_time_text == "2024-05-01T12:34:56.789Z"  # type: ignore[attr-defined]
    kept = replace(original, state="disconnected")
    assert kept._connected_time_text == "2024-05-01T12:34:56.789Z"  # type: ignore[attr-defined]
    changed = replace(original, connected_time=WHEN)
    assert changed._connected_time_text is None  # type: ignore[attr-defined]
    assert changed.to_api_dict()["connectedTime"] == "2024-05-01T12:00:00.000Z"
    assert changed.to_api_json() == replace(original, connected_time=WHEN).to_api_json()
    assert changed.to_api_dict()["disconnectedTime"] == "2024-05-01T12:40:00.000Z"


def test_a_value_of_the_wrong_type_is_a_type_error_naming_the_field() -> None:
    original = InternalMessage.from_dict(PAYLOAD)
    with pytest.raises(TypeError, match=r"InternalMessage\.connected_time takes datetime"):
        replace(original, connected_time="2024-05-01T12:00:00Z")
    with pytest.raises(TypeError, match=r"InternalMessage\.segments takes list\[Segment\]"):
        replace(original, segments=[Address()])
    with pytest.raises(ValueError, match=r"InternalMessage\.id: string holds a lone surrogate"):
        replace(original, id="\ud800")


def test_an_unknown_name_is_a_type_error() -> None:
    original = InternalMessage.from_dict(PAYLOAD)
    with pytest.raises(TypeError, match="InternalMessage has no field 'colour'"):
        replace(original, colour="red")
    with pytest.raises(
        TypeError, match=r"no field 'connectedTime' \(its Python name is 'connected_time'\)"
    ):
        replace(original, connectedTime=WHEN)
    with pytest.raises(TypeError, match="no field 'additional_properties'"):
        replace(original, additional_properties={})
    # Nothing is checked half-way: the bad name is found before any value.
    with pytest.raises(TypeError, match="no field 'colour'"):
        replace(original, id=5, colour="red")


def test_replace_takes_only_models() -> None:
    with pytest.raises(TypeError, match="replace\\(\\) takes a model, got dict"):
        replace({"id": "x"}, id="y")  # type: ignore[type-var]


def test_a_subclass_gets_a_copy_of_its_own_class() -> None:
    class Tagged(Segment):
        """A user's subclass."""

    copied = replace(Tagged(type="Interact"), type="Alert")
    assert type(copied) is Tagged and copied.type == "Alert"


@pytest.mark.skipif(sys.version_info < (3, 13), reason="copy.replace is new in Python 3.13")
def test_copy_replace_uses_it() -> None:
    original = InternalMessage.from_dict(PAYLOAD)
    changed = copy.replace(original, state="disconnected")  # type: ignore[attr-defined]
    assert changed == replace(original, state="disconnected")
    with pytest.raises(TypeError, match="no field 'colour'"):
        copy.replace(original, colour="red")  # type: ignore[attr-defined]


def test_replace_calls_the_method_a_subclass_overrides() -> None:
    class Audited(InternalMessageDetails):
        def __replace__(self, /, **changes: Any) -> Audited:
            changes.setdefault("message_id", "audited")
            return super().__replace__(**changes)

    assert replace(Audited(), message_time=WHEN).message_id == "audited"


values = st.one_of(
    st.none(),
    st.text(max_size=3),
    st.just("\udc80"),
    st.integers(),
    st.just(WHEN),
    st.builds(Address),
    st.builds(Segment),
    st.lists(st.sampled_from([Segment(), InternalMessageDetails(), Address(), "x"]), max_size=2),
)


def outcome(call: Any) -> Any:
    try:
        return call()
    except (TypeError, ValueError) as error:
        return type(error), str(error)


@settings(max_examples=examples(300))
@given(
    payload=api_payloads(),
    name=st.sampled_from([spec.name for spec in fields(InternalMessage)]),
    value=values,
)
def test_a_change_is_checked_as_the_setter_and_constructor_check_it(
    payload: dict[str, Any], name: str, value: Any
) -> None:
    original = InternalMessage.from_dict(payload)

    def assign() -> InternalMessage:
        target = copy.copy(original)
        setattr(target, name, value)
        return target

    by_setter = outcome(assign)
    by_constructor = outcome(lambda: InternalMessage(**{name: value}))
    by_replace = outcome(lambda: replace(original, **{name: value}))
    if isinstance(by_setter, InternalMessage):
        assert by_replace == by_setter
        assert by_replace.to_api_json() == by_setter.to_api_json()
        assert getattr(by_constructor, name) == getattr(by_replace, name)
    else:
        assert by_replace == by_setter == by_constructor
