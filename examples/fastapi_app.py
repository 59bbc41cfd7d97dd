"""A FastAPI service that takes and returns ``InternalMessage`` directly.

    pip install purecloud-internal-message fastapi uvicorn
    python examples/fastapi_app.py        # then open http://127.0.0.1:8000/docs

``POST /messages/close`` takes an internal message (the API's JSON, or the SDK's
``to_json()`` form) and answers with a copy that is disconnected. A bad payload
gets a 422 naming every problem by its path (``["body", "messages", 2,
"messageTime"]``); the answer is the API's form, unknown fields included; and
``/openapi.json`` documents the message with the package's own JSON Schema.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

from fastapi import Body, FastAPI

from purecloud_internal_message import InternalMessage, replace

app = FastAPI(title="Internal messages")


@app.post("/messages/close", response_model=InternalMessage)
def close(message: Annotated[InternalMessage, Body()]) -> InternalMessage:
    """Disconnect a communication: the same message, disconnected now by the client."""
    if message.state == "disconnected":
        return message
    return replace(
        message,
        state="disconnected",
        disconnect_type="client",
        disconnected_time=datetime.now(timezone.utc),
    )


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app)
