"""Load a Genesys Cloud conversation document, summarize its internal messages, write it back.

From a checkout of the repository:

    python -m pip install -e .
    python examples/summarize.py examples/conversation.json

A second argument names the output file (by default, one in a new temporary folder).

``iter_internal_messages`` finds every ``participants[].internalMessages[]`` entry
and decodes it into an ``InternalMessage``, with its path in the document; the
summary shows who wrote to whom, when, and how the communication ended. The
document is then written back with each entry re-encoded by ``to_api_dict()``:
fields the models do not know (here ``afterCallWorkRequired``) survive, so the
output parses to exactly the input.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from purecloud_internal_message import InternalMessage, iter_internal_messages

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else HERE / "conversation.json"
    target = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp()) / source.name
    document = json.loads(source.read_text(encoding="utf-8"))

    print(f"conversation {document['id']} ({document.get('name', 'unnamed')})")
    # raise_errors: this script wants the whole conversation valid, or to stop.
    for path, message in iter_internal_messages(document, raise_errors=True):
        # path is "participants[P].internalMessages[M]": put the entry back re-encoded.
        found = re.fullmatch(r"participants\[(\d+)\]\.internalMessages\[(\d+)\]", path)
        assert found is not None, path
        participant = document["participants"][int(found[1])]
        participant["internalMessages"][int(found[2])] = message.to_api_dict()
        summarize(participant.get("name", participant["id"]), message)

    target.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    same = json.loads(target.read_text(encoding="utf-8")) == json.loads(source.read_text("utf-8"))
    print(f"written back to {target}: {'identical to' if same else 'DIFFERENT from'} the input")
    return 0 if same else 1


def summarize(who: str, message: InternalMessage) -> None:
    sender = message.from_address.name if message.from_address else message.source_user_id
    receiver = message.to_address.name if message.to_address else message.target_user_id
    print(f"  {who}: {message.state} ({message.disconnect_type or 'still open'})")
    print(f"    {sender} -> {receiver}, {len(message.messages or [])} message(s)")
    if message.connected_time and message.disconnected_time:
        print(f"    open for {message.disconnected_time - message.connected_time}")
    for segment in message.segments or []:
        start, end = clock(segment.start_time), clock(segment.end_time)
        print(f"    segment {segment.type}: {start} to {end}")
    if message.additional_properties:
        print(f"    kept unknown fields: {', '.join(sorted(message.additional_properties))}")


def clock(moment: datetime | None) -> str:
    return f"{moment:%H:%M:%S}" if moment else "?"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
