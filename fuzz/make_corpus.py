"""Write the seed corpus under fuzz/corpus/ (committed; rerun after changing the seeds here).

The seeds are the example conversation, its internal messages, and payloads
like the tests' (valid, invalid, unknown fields, odd timestamps, limits, JSON
Lines, conversation documents and listing pages). A few dozen small files:
the fuzzer finds the rest.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / "corpus"

TS = "2024-05-01T12:34:56.789Z"

MESSAGES: list[object] = [
    {},
    {"id": "a", "state": "connected", "disconnectType": None, "connectedTime": TS},
    {
        "id": "5c6f1a3e",
        "state": "CONNECTED",
        "segments": [{"startTime": TS, "type": "Interact", "disconnectType": "Client", "q": [1]}],
        "toAddress": {"name": "Bob Smith", "x": {"y": 1.5e300}},
        "fromAddress": {"name": "\u2028\u0000\U0001f600"},
        "messages": [{"messageId": "m-1", "messageTime": "2024-05-01T14:35:00.123456+02:00"}],
        "queueMediaSettings": {"priority": 5, "n": -0.0, "big": 10**40},
        "peer_id": "python spelling",
    },
    {"segments": [None], "connectedTime": "May 1", "messages": {"messageId": 1}},
    {"id": "a", "peerId": "b", "peer_id": "c"},
    {"connectedTime": "20240501T123456,5+0530", "startAlertingTime": "2024-05-01T24:00:00Z"},
    {"disconnectedTime": "0001-01-01T00:00:00+00:01", "startHoldTime": "9999-12-31T23:59:59-00:01"},
    {"x": [[[[["deep"]]]]], "segments": [{"y": {"z": [{}]}}]},
]
RAW_TEXTS: list[bytes] = [
    b'{"id": "\\ud83d\\ude00", "x": "\\u2028", "y": "\\ud800"}',
    b'\xef\xbb\xbf{"id": "bom"}',
    b'{"n": ' + b"9" * 640 + b', "m": 1e400, "f": 1.0000000000000002}',
    b'{"id": "a", "id": "b"}',
    b'{"x": NaN, "y": Infinity}',
    b'{"id": "caf\xe9"}',
    b'{"messages": [{"messageTime": "2024-05-01T12:34:56.789Z", "messageId": null}],'
    b' "extra": [true, false, null, {}]}',
    b"[" * 101 + b"]" * 101,
]


def name(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()[:16]


def write(target: str, items: list[bytes]) -> None:
    folder = CORPUS / target
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for data in items:
        (folder / name(data)).write_bytes(data)


def main() -> None:
    conversation = (ROOT / "examples" / "conversation.json").read_bytes()
    documents = json.loads(conversation)
    example_messages = [
        message
        for participant in documents["participants"]
        for message in participant.get("internalMessages", [])
    ]
    texts = [*(json.dumps(item).encode() for item in [*MESSAGES, *example_messages]), *RAW_TEXTS]
    write("from_json", texts)
    write("roundtrip", [*texts[:6], conversation.replace(b"participants", b"x")])
    jsonl = b"\n".join(json.dumps(item).encode() for item in MESSAGES[:4]) + b"\nnot json\n"
    listing = json.dumps({"entities": [documents, documents], "pageSize": 2}).encode()
    write(
        "cli",
        [
            conversation,
            jsonl,
            listing,
            json.dumps(MESSAGES[1:3]).encode(),
            json.dumps(documents).encode() + b"\n" + json.dumps(MESSAGES[1]).encode() + b"\n",
            b"\n\n",
            b'{"participants": 3}\n{"participants": [{"internalMessages": {}}]}\n42\n',
            b'{"id": "a",\n "x": [1,\n2,]}',
        ],
    )
    # from_dict reads its bytes as choices (hostile.py): any bytes are seeds.
    write("from_dict", [bytes(range(n, n + 48)) for n in range(0, 200, 40)] + texts[:3])


if __name__ == "__main__":
    main()
