"""Threads: decoding and encoding one corpus from 8 threads at once gives what one thread gives.

Run in a fresh interpreter, so that first use (anything built or cached lazily:
codecs of a subclass, dateutil, the JSON backend) happens inside the race.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import json, random, sys, threading
    import purecloud_internal_message as pim

    class Tagged(pim.InternalMessage):  # a subclass: its codec is compiled on first use
        pass

    rng = random.Random(15)
    def ts():
        return "2024-05-%02dT%02d:%02d:%02d.%03dZ" % (
            rng.randint(1, 31), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
            rng.randint(0, 999))
    payloads = [
        {
            "id": f"c-{n}", "state": rng.choice(["connected", "PARKED", None]),
            "startAlertingTime": ts(), "connectedTime": ts(),
            "segments": [{"startTime": ts(), "type": "Interact"} for _ in range(n % 4)],
            "toAddress": {"name": "n\u00e9", **({"kind": n} if n % 3 else {})},
            "messages": [{"messageId": f"m{k}", "messageTime": ts()} for k in range(n % 7)],
            **({"extra": [n, {"deep": [None, 1.5]}]} if n % 2 else {}),
        }
        for n in range(40)
    ]
    payloads += [
        {"connectedTime": "2024-05-01T14:00:00+02:00", "peer_id": "p", "x": [1, {"y": None}]},
        {"id": 1, "messages": [{"messageTime": "May 1"}]},
        {"segments": [{"startTime": "20240501T120000Z", "new": True}]},
    ]
    texts = [json.dumps(p) for p in payloads]

    def work():
        out = []
        for model in (pim.InternalMessage, Tagged):
            for payload, text in zip(payloads, texts):
                for decode, data in ((model.from_dict, payload), (model.from_json, text)):
                    try:
                        m = decode(data)
                    except pim.ValidationError as error:
                        out.append(("error", [(e.path, e.message) for e in error.errors]))
                    else:
                        out.append((type(m).__name__, m.to_api_json(), m.to_json(), repr(m)))
        return out

    barrier = threading.Barrier(8)
    results = [None] * 8

    def run(index):
        barrier.wait()
        results[index] = [work() for _ in range(2)]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    alone = work()
    assert all(result == [alone, alone] for result in results), "a thread saw something else"
    print("ok", len(alone))
    """
)


def test_eight_threads_agree_with_one_from_first_use() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok ")
