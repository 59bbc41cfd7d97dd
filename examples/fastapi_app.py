"""A FastAPI service that takes and returns `InternalMessage` directly.

From a checkout of the repository (the `fastapi` extra brings FastAPI, uvicorn and
fastapi-offline):

    python -m pip install -e ".[fastapi]"
    python examples/fastapi_app.py        # then open http://127.0.0.1:8000/docs

`--port` and `--host` choose where it listens (default 127.0.0.1:8000).

`POST /messages/close` takes an internal message (the API's JSON, or the SDK's
`to_json()` form) and answers with a copy that is disconnected. A bad payload
gets a 422 naming every problem by its path (`["body", "messages", 2,
"messageTime"]`); the answer is the API's form, unknown fields included; and
`/openapi.json` documents the message with the package's own JSON Schema.

The interactive documentation at `/docs` (Swagger UI) works without a network:
`FastAPIOffline` is FastAPI with that page's script, style and icon served by the app
itself, from the fastapi-offline package, where plain `FastAPI()` loads them from a
CDN. ReDoc (`/redoc`) is switched off, because its page still loads a logo from
Redocly's servers. Everything else is plain FastAPI.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from typing import Annotated

from fastapi import Body
from fastapi_offline import FastAPIOffline

from purecloud_internal_message import InternalMessage, replace

app = FastAPIOffline(title="Internal messages", redoc_url=None)


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


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="Serve the example on HOST:PORT.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    uvicorn.run(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
