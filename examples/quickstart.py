"""The README's example: API JSON in, a typed object, the SDK's dict and the API's JSON out.

From a checkout of the repository:

    python -m pip install -e .
    python examples/quickstart.py
"""

from purecloud_internal_message import InternalMessage, ValidationError

API_JSON = """
{
  "id": "5c6f1a3e-9d7e-4c1b-8f1e-2b6d5a4c3b2a",
  "state": "connected",
  "initialState": "alerting",
  "disconnectType": null,
  "connectedTime": "2024-05-01T12:34:56.789Z",
  "provider": "PureCloud",
  "toAddress": {"name": "Bob Smith", "addressRaw": "bob"},
  "segments": [{"startTime": "2024-05-01T12:34:56.789Z", "type": "Interact"}],
  "messages": [{"messageId": "m-1", "messageTime": "2024-05-01T12:35:00.000Z"}],
  "queueMediaSettings": {"priority": 5}
}
"""

message = InternalMessage.from_json(API_JSON)
print(message.state, message.connected_time, message.to_address.name)  # type: ignore[union-attr]
print(message.to_dict()["messages"])  # the SDK's form: Python names, datetimes
print(message.to_api_json())  # the API's form: unknown fields kept
assert InternalMessage.from_json(message.to_api_json()) == message

try:
    InternalMessage.from_dict({"segments": [None], "connectedTime": "May 1"})
except ValidationError as error:
    print(error)
