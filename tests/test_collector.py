"""The collector belongs to the application: untouched unless it asks, restored exactly."""

from __future__ import annotations

import gc
import threading

import pytest

from purecloud_internal_message import InternalMessage, collector_paused


def test_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        InternalMessage.from_dict({"id": "a"})
    assert gc.isenabled()


def test_restored_after_an_exception_and_when_nested() -> None:
    with pytest.raises(ZeroDivisionError), collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block found it paused and left it so
        _ = 1 / 0
    assert gc.isenabled()


def test_an_application_that_disabled_it_keeps_it_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_decoding_from_many_threads_never_switches_the_collector() -> None:
    """What issue 10 saw: a sampler thread found the collector off during decodes."""
    stop = threading.Event()
    seen_off = []

    def sample() -> None:
        while not stop.is_set():
            if not gc.isenabled():
                seen_off.append(True)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        for _ in range(3_000):
            InternalMessage.from_dict({"id": "a", "messages": [{"messageId": "m"}], "x": 1})
    finally:
        stop.set()
        sampler.join()
    assert seen_off == []
