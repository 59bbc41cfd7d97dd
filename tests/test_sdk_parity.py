"""Parity with PureCloudPlatformClientV2 269.0.0: same to_dict() and to_json() for what it decodes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from purecloud_internal_message import InternalMessage, Segment
from strategies import api_payloads, examples

sdk = pytest.importorskip("PureCloudPlatformClientV2")


class _Response:
    """Just enough of a REST response for ApiClient.deserialize."""

    def __init__(self, text: str) -> None:
        self.data = text

    def getheader(self, name: str) -> str | None:
        return "application/json" if name == "Content-Type" else None


@pytest.fixture(scope="module")
def client() -> Any:
    return sdk.ApiClient()


def sdk_decode(client: Any, payload: Any, model: str = "InternalMessage") -> Any:
    return client.deserialize(_Response(json.dumps(payload)), model)


PARITY = settings(
    max_examples=examples(150),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


# The SDK cannot take null for an enum field, nor keep unknown keys or enum
# values: parity is promised for the payloads it decodes faithfully.
@PARITY
@given(payload=api_payloads(unknown=False, enum_nulls=False, known_enums_only=True))
def test_to_dict_and_to_json_equal_the_sdks(client: Any, payload: dict[str, Any]) -> None:
    theirs = sdk_decode(client, payload)
    ours = InternalMessage.from_dict(payload)
    assert ours.to_dict() == theirs.to_dict()
    assert ours.to_json() == theirs.to_json()
    assert repr(InternalMessage.from_dict(payload)) == repr(ours)


@PARITY
@given(payload=api_payloads(unknown=False, enum_nulls=False, known_enums_only=True))
def test_from_sdk_to_dict_form(client: Any, payload: dict[str, Any]) -> None:
    theirs = sdk_decode(client, payload)
    assert InternalMessage.from_dict(theirs.to_dict()) == InternalMessage.from_dict(payload)


def test_offsets_and_fractions_match_the_sdk(client: Any) -> None:
    payload = {
        "startTime": "2024-05-01T14:00:00+02:00",
        "endTime": "2024-05-01T12:00:00.1234567Z",
        "type": "Interact",
    }
    theirs = sdk_decode(client, payload, "Segment")
    ours = Segment.from_dict(payload)
    assert ours.to_dict() == theirs.to_dict()
    assert ours.to_json() == theirs.to_json()


def test_where_the_sdk_crashes_we_do_not(client: Any) -> None:
    payload = {"id": "a", "disconnectType": None}
    with pytest.raises(AttributeError):
        sdk_decode(client, payload)
    assert InternalMessage.from_dict(payload).disconnect_type is None
    with pytest.raises(AttributeError):
        _ = sdk.models.InternalMessage() == None  # noqa: E711
    assert (InternalMessage() == None) is False  # noqa: E711


def test_comparing_with_an_sdk_model_is_false_not_an_error(client: Any) -> None:
    payload = {"id": "a", "state": "connected"}
    theirs = sdk_decode(client, payload)
    ours = InternalMessage.from_dict(payload)
    assert (ours == theirs) is False
    assert (ours != theirs) is True
    assert ours.to_dict() == theirs.to_dict()  # how to compare them, as the docs say
    # The other way round is the SDK's own __eq__, which reads other.__dict__:
    # documented as a difference, not ours to fix.
    with pytest.raises(AttributeError):
        _ = theirs == ours


def test_from_the_sdks_to_dict_equals_from_the_api_payload(client: Any) -> None:
    payload = {
        "id": "a",
        "startAlertingTime": "2024-05-01T11:59:58.000Z",
        "connectedTime": "2024-05-01T12:00:00.123Z",
        "segments": [{"startTime": "2024-05-01T12:00:00.000Z", "type": "Interact"}],
    }
    theirs = sdk_decode(client, payload).to_dict()
    assert theirs["start_alerting_time"] is not None  # SDK 269 knows the field
    assert InternalMessage.from_dict(theirs) == InternalMessage.from_dict(payload)
    assert (
        InternalMessage.from_dict(theirs).to_api_json()
        == InternalMessage.from_dict(payload).to_api_json()
    )


def test_where_the_sdk_loses_data_we_keep_it(client: Any) -> None:
    payload = {"state": "parked", "newField": 1}
    theirs = sdk_decode(client, payload)
    assert theirs.state == "outdated_sdk_version"
    assert "newField" not in theirs.to_dict()
    ours = InternalMessage.from_dict(payload)
    assert ours.state == "parked"
    assert ours.to_dict()["newField"] == 1
