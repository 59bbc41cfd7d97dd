"""The payloads the benchmark decodes and encodes, and the files the command line reads.

Every payload is Genesys-shaped: API keys, API timestamps (``...T12:00:00.000Z``),
valid for this package and for both peers' equivalent models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _ts(second: int) -> str:
    return f"2024-05-01T{12 + second // 3600 % 12:02d}:{second // 60 % 60:02d}:{second % 60:02d}.{second * 7 % 1000:03d}Z"


def _address(name: str) -> dict[str, Any]:
    return {
        "name": name.title(),
        "nameRaw": name,
        "addressNormalized": f"{name}@example.mypurecloud.com",
        "addressRaw": name,
        "addressDisplayable": name.title(),
    }


def payload(segments: int, messages: int) -> dict[str, Any]:
    """An internal-message communication with this many segments and messages.

    ``payload(3, 10)`` is the typical record the targets speak of: 16 objects,
    18 timestamps, about 1.9 kB of JSON.
    """
    return {
        "state": "disconnected",
        "initialState": "alerting",
        "id": "5c6f1a3e-9d7e-4c1b-8f1e-2b6d5a4c3b2a",
        "segments": [
            {
                "startTime": _ts(i * 60),
                "endTime": _ts(i * 60 + 59),
                "type": "Interact",
                "howEnded": "Disconnect",
                "disconnectType": "peer",
            }
            for i in range(segments)
        ],
        "disconnectType": "peer",
        "connectedTime": _ts(0),
        "disconnectedTime": _ts(segments * 60),
        "provider": "PureCloud",
        "peerId": "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
        "targetUserId": "7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d",
        "sourceUserId": "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b",
        "toAddress": _address("bob.smith"),
        "fromAddress": _address("alice.jones"),
        "messages": [
            {"messageId": f"9b8a7c6d-5e4f-4a3b-8c2d-{i:012d}", "messageTime": _ts(i)}
            for i in range(messages)
        ],
    }


def with_unknown_fields(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with fields this package does not know at three levels.

    At the top level (an object and a string), in the second segment and in the
    sixth message (or the last, for shorter records): what a newer API version
    sends. The package keeps them all (``additional_properties``).
    """
    data = json.loads(json.dumps(data))  # a deep copy
    data["queueMediaSettings"] = {"priority": 5, "skills": ["chat", "english"]}
    data["journeyContext"] = "customer-42"
    if data["segments"]:
        data["segments"][min(1, len(data["segments"]) - 1)]["purpose"] = "agent"
    if data["messages"]:
        data["messages"][min(5, len(data["messages"]) - 1)]["messageStatus"] = "delivered"
    return data


def current_api_record() -> dict[str, Any]:
    """A record as the current API sends it: ``startAlertingTime``, and unknown fields.

    The typical record, plus ``startAlertingTime`` (new in SDK 269) and unknown
    fields at the top level, in a segment, in a message and in an address.
    """
    data = with_unknown_fields(payload(3, 10))
    data["startAlertingTime"] = _ts(0)
    data["toAddress"]["addressType"] = "user"
    return data


def large_string_record(size: int) -> dict[str, Any]:
    """The typical record whose ``toAddress.name`` is ``size`` characters long.

    The text is not ASCII (one ``é`` in five characters), so the check that it
    can be written as UTF-8 reads all of it: the slow case.
    """
    data = payload(3, 10)
    data["toAddress"]["name"] = ("abcdé" * (size // 5 + 1))[:size]
    return data


def write_jsonl(path: Path, data: dict[str, Any], lines: int) -> int:
    """Write ``lines`` copies of ``data`` as JSON Lines, each with its own ``id``; the size in bytes.

    The lines differ (the record's ``id`` carries the line number) so that
    nothing downstream can share work between them.
    """
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    marker = data["id"]
    head, _, tail = text.partition(json.dumps(marker))
    head += '"' + marker[:24]
    tail = '"' + tail + "\n"
    with path.open("w", encoding="utf-8") as out:
        chunk: list[str] = []
        for number in range(lines):
            chunk.append(f"{head}{number:012d}{tail}")
            if len(chunk) == 10_000:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
    return path.stat().st_size
