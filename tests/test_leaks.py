"""Nothing is left behind: decoding irregular and bad input keeps no memory after the call."""

from __future__ import annotations

import contextlib
import gc
import os
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

import purecloud_internal_message
from purecloud_internal_message import InternalMessage, ValidationError

PACKAGE_DIR = os.path.dirname(purecloud_internal_message.__file__)

IRREGULAR: list[Any] = [
    # unknown fields at every level (the fast path collects them)
    {
        "id": "a",
        "queueMediaSettings": {"p": [1, 2]},
        "segments": [{"type": "t", "segmentTags": ["x"]}],
        "toAddress": {"name": "n", "kind": "user"},
        "messages": [{"messageId": "m", "reactions": {"up": 1}}],
    },
    # an offset timestamp and a non-canonical one (the careful decoder reads them)
    {"connectedTime": "2024-05-01T14:34:56.789+02:00", "disconnectedTime": "20240501T123456Z"},
    # Python names, and both spellings mixed
    {"peer_id": "p", "connected_time": "2024-05-01T12:34:56.789Z", "extra_field": True},
    {"peerId": "p", "target_user_id": "t", "x": 1},
    # bad records: a ValidationError each
    {"id": 1, "messages": [{"messageTime": "May 1"}], "x": float("nan")},
    {"segments": [None, {"startTime": 5}], "toAddress": "x"},
]


def _growth(call: Callable[[], object], rounds: int) -> tuple[int, str]:
    """Bytes allocated by ``rounds`` calls that are still held afterwards, and where the
    largest of them were allocated (for the failure message).

    Measured after a first ``rounds // 2`` traced calls, so that whatever is
    built once (caches, lazily imported modules, interned strings) is already
    there: what remains is what each call keeps.
    """
    for _ in range(20):
        call()
    gc.collect()
    tracemalloc.start(10)  # deep enough to reach the package's or this file's frame
    try:
        for _ in range(rounds // 2):
            call()
        gc.collect()
        before = tracemalloc.take_snapshot()
        for _ in range(rounds):
            call()
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    # Only what the package, or this test's calls into it, allocated: tracemalloc
    # sees every thread, and another library's thread (the SDK's config-file
    # watcher, started by the parity tests, re-registers its inotify watches
    # whenever the home directory changes) would otherwise count as ours.
    ours = [
        tracemalloc.Filter(True, f"{PACKAGE_DIR}{os.sep}*", all_frames=True),
        tracemalloc.Filter(True, __file__, all_frames=True),
    ]
    differences = after.filter_traces(ours).compare_to(before.filter_traces(ours), "traceback")
    growth = sum(difference.size_diff for difference in differences)
    where = "\n".join(
        f"{difference.size_diff:+,} B in {difference.count_diff:+,} blocks at\n"
        + "\n".join(difference.traceback.format())
        for difference in differences[:3]
    )
    return growth, where


def _decode_all(decode: Callable[[Any], object], inputs: list[Any]) -> Callable[[], None]:
    def run() -> None:
        for item in inputs:
            with contextlib.suppress(ValidationError):
                decode(item)

    return run


@pytest.mark.parametrize("how", ["from_dict", "from_json"])
def test_irregular_and_bad_input_leaves_nothing_behind(how: str) -> None:
    import json

    if how == "from_dict":
        run = _decode_all(InternalMessage.from_dict, IRREGULAR)
    else:
        texts = [json.dumps(item) for item in IRREGULAR if "x" not in item] + [
            '{"id": 1',
            '{"id": "\\ud800"}',
            '{"x": ' + "[" * 150 + "]" * 150 + "}",
        ]
        run = _decode_all(InternalMessage.from_json, texts)
    # 400 rounds of every input: keeping even one small object (50 bytes) per
    # decode would hold 160 kB, four times the bound; the allocator's own noise is a
    # few kB. (Rounds cost CPU under tracemalloc: 1,000 took 47 s of the suite.)
    growth, where = _growth(run, 400)
    assert growth < 40_000, where
