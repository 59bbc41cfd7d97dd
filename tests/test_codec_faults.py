"""A fast path's own bug shows as a failure, never as a slow success.

``from_dict`` hands what its fast decoder returns None on to the careful
decoder. An exception from the fast decoder is another matter: only the ones it
may meet on irregular input (fromisoformat refusing canonical-shaped text on the
Python path; RecursionError for a caller deep in the stack) go to the careful
decoder as they are. Any other is settled by running the careful decoder: when
the input's own code raised (a time zone's ``utcoffset``), the careful decoder
raises its ValidationError; when it accepts the input, the exception was a bug
of the fast path, and it propagates. The compiled ``to_api_json`` settles its
exceptions the same way, against ``dumps_prepared(self._to_api_wire())``.

The bugs are planted by replacing a name the generated code imports (its
globals, looked up at each call on both paths).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from types import ModuleType
from typing import Any

import pytest

from purecloud_internal_message import InternalMessage, ValidationError, _codecs_py

ZONED = datetime(2024, 5, 1, 14, tzinfo=timezone(timedelta(hours=2)))
# Each place the decoders call _stored (a datetime given in another zone): at the
# top, and in an object inside a list.
RECORDS = [{"connected_time": ZONED}, {"messages": [{"messageTime": ZONED}]}]


class PlantedBug(LookupError):
    """What a planted bug raises: no code of the package raises it on its own."""


def _broken(*args: Any) -> Any:
    raise PlantedBug("a bug in the fast path")


@pytest.mark.parametrize("data", RECORDS)
def test_an_exception_the_fast_path_does_not_expect_propagates(
    codecs: ModuleType, monkeypatch: pytest.MonkeyPatch, data: dict[str, Any]
) -> None:
    from_dict = codecs.CODECS[InternalMessage]["from_dict"]
    expected = from_dict(InternalMessage, data)
    monkeypatch.setattr(codecs, "_stored", _broken)
    with pytest.raises(PlantedBug):
        from_dict(InternalMessage, data)
    monkeypatch.undo()
    assert from_dict(InternalMessage, data) == expected


@pytest.mark.parametrize("data", RECORDS)
def test_a_caller_deep_in_the_stack_gets_the_careful_decoders_result(
    codecs: ModuleType, monkeypatch: pytest.MonkeyPatch, data: dict[str, Any]
) -> None:
    """RecursionError in the fast path (a Python call in it, from a caller near the
    limit) leaves the input to the careful decoder, on both paths."""

    def out_of_stack(*args: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    from_dict = codecs.CODECS[InternalMessage]["from_dict"]
    expected = from_dict(InternalMessage, data)
    monkeypatch.setattr(codecs, "_stored", out_of_stack)
    assert from_dict(InternalMessage, data) == expected


def test_only_the_python_path_expects_value_errors(
    codecs: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the Python path fromisoformat refuses canonical-shaped text that the grammar
    reads (hour 24): the careful decoder decides. The compiled decoder reads that
    text itself and raises no ValueError, so there one is a bug."""
    text = "2024-05-01T24:00:00.000Z"
    from_dict = codecs.CODECS[InternalMessage]["from_dict"]
    message = from_dict(InternalMessage, {"connectedTime": text})
    assert message.connected_time == datetime(2024, 5, 2, tzinfo=timezone.utc)

    def refuses(*args: Any) -> Any:
        raise ValueError("planted")

    monkeypatch.setattr(codecs, "_stored", refuses)
    if codecs is _codecs_py:
        assert from_dict(InternalMessage, RECORDS[0]).connected_time == ZONED
    else:
        with pytest.raises(ValueError, match="planted"):
            from_dict(InternalMessage, RECORDS[0])


class BrokenZone(tzinfo):
    """A time zone whose own code raises."""

    def utcoffset(self, when: datetime | None) -> timedelta:
        raise RuntimeError("the zone's own bug")

    def __repr__(self) -> str:
        return "BrokenZone()"


@pytest.mark.parametrize("spelling", ["connected_time", "connectedTime"])
def test_the_inputs_own_exception_is_a_validation_error(codecs: ModuleType, spelling: str) -> None:
    data = {spelling: datetime(2024, 5, 1, tzinfo=BrokenZone())}
    with pytest.raises(ValidationError, match="RuntimeError: the zone's own bug"):
        codecs.CODECS[InternalMessage]["from_dict"](InternalMessage, data)


def test_the_compiled_writers_own_exception_propagates(
    compiled: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The direct writer fails where the general way succeeds: a bug, raised."""
    message = InternalMessage.from_dict({"id": "a", "extra": [1.5]})
    to_api_json = compiled.CODECS[InternalMessage]["_to_api_json"]
    expected = to_api_json(message)
    real = compiled._copy_wire
    calls: list[object] = []

    def broken_once(value: Any) -> Any:  # the direct writer calls it first
        calls.append(value)
        if len(calls) == 1:
            raise PlantedBug("a bug in the compiled writer")
        return real(value)

    monkeypatch.setattr(compiled, "_copy_wire", broken_once)
    with pytest.raises(PlantedBug):
        to_api_json(message)
    assert len(calls) == 2  # the general way ran, and succeeded
    monkeypatch.undo()
    assert to_api_json(message) == expected


def test_what_the_general_writer_refuses_too_is_its_error(compiled: ModuleType) -> None:
    message = InternalMessage(id="a")
    message.additional_properties["extra"] = float("nan")
    general = _codecs_py.CODECS[InternalMessage]["_to_api_json"]
    with pytest.raises(ValueError) as expected:
        general(message)
    with pytest.raises(ValueError) as caught:
        compiled.CODECS[InternalMessage]["_to_api_json"](message)
    assert str(caught.value) == str(expected.value)
