"""The compiled codecs give what the pure-Python ones give: objects, errors and bytes.

Each test takes the ``codecs`` fixture (both implementations, see conftest.py)
or compares the compiled module with the pure one directly.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
from collections import OrderedDict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import purecloud_internal_message as pim
from codec_checks import outcome
from purecloud_internal_message import (
    Address,
    InternalMessage,
    InternalMessageDetails,
    Model,
    Segment,
    _codecs_py,
    _decode,
    _jsontext,
    _jsonvalues,
    _timestamps,
)
from purecloud_internal_message._codegen import FUNCTIONS, digest
from purecloud_internal_message._extensions import ENV_VAR
from strategies import api_payloads, api_timestamp, examples, json_values

MODELS: list[type[Model]] = [InternalMessage, Segment, Address, InternalMessageDetails]
UTC = timezone.utc
TS = "2024-05-01T12:34:56.789Z"
ROOT = Path(__file__).resolve().parents[1]
#: setup.py's switch that makes the build strict (CI sets it).
STRICT_BUILD_VAR = "PURECLOUD_INTERNAL_MESSAGE_STRICT_BUILD"


def decode(codecs: ModuleType, model: type[Model], data: Any, strict: bool) -> Any:
    return codecs.CODECS[model]["from_dict"](model, data, strict=strict)


def encodings(codecs: ModuleType, value: Model) -> dict[str, Any]:
    """Everything ``codecs`` writes for ``value``."""
    functions = codecs.CODECS[type(value)]
    return {
        name: outcome(functions[name], value)
        for name in ("to_dict", "to_api_dict", "_to_api_wire", "_to_api_json")
    }


def assert_same_everywhere(codecs: ModuleType, model: type[Model], data: Any) -> None:
    """Decoding ``data`` (both modes): ``codecs`` gives what the careful decoder, the
    definition, gives, in every detail; encoding the result: what the pure-Python
    codecs write."""
    for strict in (False, True):
        ours = outcome(decode, codecs, model, data, strict)
        reference = outcome(_decode.decode, model, data, strict)
        assert ours == reference, (data, strict)
        if ours[0] == "ok":
            value = decode(codecs, model, data, strict)
            assert encodings(codecs, value) == encodings(_codecs_py, value)
            assert repr(value) == repr(decode(_codecs_py, model, data, strict))


def test_every_function_is_there(codecs: ModuleType) -> None:
    assert set(codecs.CODECS) == set(MODELS)
    for functions in codecs.CODECS.values():
        assert set(functions) == {*FUNCTIONS, "fast_decode"}


def test_the_package_uses_the_compiled_codecs_unless_told_not_to() -> None:
    from conftest import COMPILED_EXPECTED

    assert pim.ACCELERATED is COMPILED_EXPECTED
    if COMPILED_EXPECTED:
        from purecloud_internal_message import _codecs_c

        assert InternalMessage.from_dict.__func__ is _codecs_c.InternalMessage_from_dict  # type: ignore[attr-defined]
        assert InternalMessage.to_dict is _codecs_c.InternalMessage_to_dict


# -- decoding: payloads, SDK dicts, hostile input ----------------------------------------


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
@given(payload=api_payloads())
def test_api_payloads(codecs: ModuleType, payload: dict[str, Any]) -> None:
    assert_same_everywhere(codecs, InternalMessage, payload)


@settings(max_examples=examples(100), suppress_health_check=[HealthCheck.too_slow])
@given(payload=api_payloads(), model=st.sampled_from(MODELS[1:]))
def test_nested_models_on_their_own(codecs: ModuleType, payload: Any, model: Any) -> None:
    for value in [*(payload.get("segments") or [{}])[:1], payload.get("toAddress") or {}]:
        assert_same_everywhere(codecs, model, value)


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
@given(payload=api_payloads())
def test_sdk_dicts(codecs: ModuleType, payload: dict[str, Any]) -> None:
    sdk_form = InternalMessage.from_dict(payload).to_dict()
    assert_same_everywhere(codecs, InternalMessage, sdk_form)


KEYS = [
    *{spec.key for model in MODELS for spec in model.__model_fields__},
    *{spec.name for model in MODELS for spec in model.__model_fields__},
    "x",
    "\ud800",
    "é",
    "\u212a",
]

hostile_leaves = (
    json_values
    | st.sampled_from(
        [
            TS,
            "2024-05-01T12:34:56.789",
            "2024-05-01T12:34:56Z",
            "2024-05-01T12:34:56.789123Z",
            "2024-02-30T12:34:56.789Z",
            "2024-05-01T24:00:00.000Z",
            "0000-05-01T12:34:56.789Z",
            "2024-05-01t12:34:56.789Z",
            "2024-05-01T12:34:56.789z",
            "٢٠٢٤-05-01T12:34:56.789Z",
            "CONNECTED",
            "Peer",
            "\u212aaaa",
            "\ud800",
            "a\udfffb",
            "",
            10**700,
            -(10**640),
            10**640 - 1,
            float("nan"),
            float("inf"),
            1e308,
            2**63,
            -(2**63) - 1,
            True,
        ]
    )
    | st.datetimes(timezones=st.none() | st.just(UTC) | st.timezones())
    | st.builds(lambda: datetime(2024, 5, 1, tzinfo=timezone(timedelta(0))))
    | st.builds(lambda: datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))))
    | st.text(max_size=3).map(type("S", (str,), {}))
    | st.tuples(st.integers())
    | st.binary(max_size=2)
)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(KEYS) | st.text(max_size=4) | st.integers(0, 2)
    return (
        st.lists(children, max_size=4)
        | st.dictionaries(keys, children, max_size=6)
        | st.dictionaries(st.sampled_from(KEYS), children, max_size=4).map(OrderedDict)
    )


hostile = st.recursive(hostile_leaves, _containers, max_leaves=25)


@settings(max_examples=examples(250), suppress_health_check=[HealthCheck.too_slow])
@given(data=hostile)
def test_hostile_input(codecs: ModuleType, data: Any) -> None:
    for model in MODELS:
        assert_same_everywhere(codecs, model, data)


@st.composite
def mutated_payloads(draw: st.DrawFn) -> Any:
    """A payload with one value somewhere replaced by something hostile."""
    payload = draw(api_payloads())
    containers = [payload]
    for container in containers:  # grows while walked
        children = container.values() if isinstance(container, dict) else container
        containers += [child for child in children if isinstance(child, (dict, list))]
    target = draw(st.sampled_from(containers))
    replacement = draw(hostile)
    if isinstance(target, dict):
        key = draw(st.sampled_from([*target, *KEYS]))
        target[key] = replacement
    elif target:
        target[draw(st.integers(0, len(target) - 1))] = replacement
    return payload


@settings(max_examples=examples(200), suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_payloads())
def test_payloads_with_one_hostile_value(codecs: ModuleType, data: Any) -> None:
    assert_same_everywhere(codecs, InternalMessage, data)


@pytest.mark.parametrize(
    "data",
    [
        {"peerId": "a", "peer_id": "b"},
        {"peerId": None, "peer_id": "b"},
        {"peerId": "a", "target_user_id": "t", "x": 1},
        {"toAddress": {"nameRaw": "a", "address_raw": "b", "x": 1}},
        {"segments": [{"startTime": TS, "start_time": TS}]},
        {"id": "a", "x": {"deep": [[[[1.5, None, True, "s", {"k": -1}]]]]}},
        {"id": "\ud800"},
        {"\ud800": 1},
        {"x": "\udc00"},
        {"x": {"\ud800": 1}},
        {"x": {1: 2}},
        {"x": float("nan")},
        {"x": 10**640},
        {"x": -(10**640) + 1},
        {"x": _jsonvalues.OutOfRange("1e999")},
        {"x": datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=2)))},
        {"x": OrderedDict(a=1)},
        {"state": "CONNECTED", "disconnectType": "Peer", "initialState": "ALERTING"},
        {"state": "\u212a"},
        {"state": "parked"},
        {"connectedTime": datetime(2024, 5, 1, 12, tzinfo=UTC)},
        {"connectedTime": datetime(2024, 5, 1, 12)},
        {"connectedTime": datetime(2024, 5, 1, 12, tzinfo=timezone(timedelta(0)))},
        {"connectedTime": "2024-05-01T12:34:56.789123Z"},
        {"connectedTime": "2024-05-01T12:34:56.789000Z"},
        {"connectedTime": "2024-05-01T24:00:00.000Z"},
        {"connectedTime": "2024-02-29T12:34:56.789Z"},
        {"connectedTime": "2023-02-29T12:34:56.789Z"},
        {"connectedTime": "1900-02-29T12:34:56.789Z"},
        {"connectedTime": "2000-02-29T12:34:56.789Z"},
        {"connectedTime": "9999-12-31T23:59:59.999Z"},
        {"connectedTime": "0001-01-01T00:00:00.000Z"},
        {"connectedTime": "2024-05-01T12:34:60.000Z"},
        {"connectedTime": "2024-13-01T12:34:56.789Z"},
        {"connectedTime": "2024-00-01T12:34:56.789Z"},
        {"connectedTime": "2024-05-00T12:34:56.789Z"},
        {"connectedTime": "2024-05-01T12:34:56,789Z"},
        {"connectedTime": "2024-05-01 12:34:56.789Z"},
        {"connectedTime": "2024-05-01T12:34:56.789+00:00"},
        {"segments": ({},)},
        {"segments": [None]},
        {"segments": [OrderedDict()]},
        {"messages": [{"messageId": "m", "reactions": {"up": 2}}], "y": []},
        {"toAddress": {}},
        {"toAddress": {"name": type("S", (str,), {})("x")}},
    ],
)
def test_irregular_input(codecs: ModuleType, data: Any) -> None:
    assert_same_everywhere(codecs, InternalMessage, data)


def test_the_deepest_unknown_values(codecs: ModuleType) -> None:
    from purecloud_internal_message._limits import MAX_DEPTH

    for levels in (MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1):
        value: Any = [1]
        for _ in range(levels - 1):
            value = [value] if levels % 2 else {"k": value}
        assert_same_everywhere(codecs, InternalMessage, {"x": value})
        assert_same_everywhere(codecs, InternalMessage, {"segments": [{"x": value}]})


def test_non_dicts(codecs: ModuleType) -> None:
    for data in (None, [], "x", 1, b"{}", OrderedDict()):
        for model in MODELS:
            assert_same_everywhere(codecs, model, data)


# -- timestamps ----------------------------------------------------------------------------

_MUTATIONS = "0123456789-:.TtZz+, _\u0660W\u00e9"


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    value=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
)
def test_timestamps_of_the_fast_form(
    codecs: ModuleType, data: st.DataObject, value: datetime
) -> None:
    """The canonical form and its mutations: what is of the fast form is read exactly
    as ``read_fast`` reads it (the text kept only when it is the canonical text);
    anything else goes the careful way, on both paths."""
    text = value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    text = f"{value.year:04d}" + text[len(text) - 20 :]
    action = data.draw(st.sampled_from(["none", "none", "replace", "delete", "insert"]))
    position = data.draw(st.integers(0, len(text) - 1))
    char = data.draw(st.sampled_from(_MUTATIONS))
    if action == "replace":
        text = text[:position] + char + text[position + 1 :]
    elif action == "delete":
        text = text[:position] + text[position + 1 :]
    elif action == "insert":
        text = text[:position] + char + text[position:]
    for field in ("connectedTime", "connected_time"):
        try:
            quick = codecs.CODECS[InternalMessage]["fast_decode"]({field: text}, False)
        except ValueError:  # Python's fromisoformat refused it: the careful decoder judges
            quick = None
        fast = _timestamps.read_fast(text)
        if quick is not None:
            assert fast is not None, text
            assert (quick.connected_time, quick._connected_time_text) == fast
            assert quick.connected_time.tzinfo is fast[0].tzinfo
        elif fast is not None:
            pytest.fail(f"{text!r}, of the fast form, left the fast path")
        if action == "none":
            assert fast is not None and fast[1] == text
        assert_same_everywhere(codecs, InternalMessage, {field: text})


any_datetimes = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.none() | st.just(UTC) | st.timezones(),
)


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(any_datetimes, min_size=4, max_size=4))
def test_timestamps_are_written_as_format_timestamp_writes_them(
    codecs: ModuleType, values: list[datetime]
) -> None:
    message = InternalMessage(
        connected_time=values[0],
        segments=[Segment(start_time=values[1], end_time=values[2])],
        messages=[InternalMessageDetails(message_time=values[3])],
    )
    assert encodings(codecs, message) == encodings(_codecs_py, message)
    api = codecs.CODECS[InternalMessage]["to_api_dict"](message)
    assert api["connectedTime"] == _timestamps.format_timestamp(values[0])
    assert api["messages"][0]["messageTime"] == _timestamps.format_timestamp(values[3])


# -- writing JSON ----------------------------------------------------------------------------

# Every character class the writers treat differently.
tricky_text = st.text(
    st.sampled_from(
        [
            *("a", '"', "\\", "/", "\b", "\f", "\n", "\r", "\t", "\x00", "\x1f", "\x7f"),
            *("\x80", "é", "\u00ff", "\u0100", "\u07ff", "\u0800", "\u2028", "\ufeff"),
            *("\uffff", "\U00010000", "\U0001f600", "\U0010ffff"),
        ]
    )
    | st.characters(exclude_categories=["Cs"]),
    max_size=8,
)


@st.composite
def tricky_messages(draw: st.DrawFn) -> InternalMessage:
    payload = draw(api_payloads())
    message = InternalMessage.from_dict(payload)
    message.provider = draw(tricky_text)
    if message.messages:
        message.messages[0].message_id = draw(tricky_text)
    if draw(st.booleans()):
        key = draw(tricky_text.filter(lambda key: key not in KEYS))
        message.additional_properties[key] = draw(json_values)
    return message


def _backends() -> list[Any]:
    """Each JSON backend that ``_jsontext`` offers here (one on the stand-in)."""
    backend = getattr(_jsontext, "backend", None)
    if backend is None:
        return []
    found = []
    for name in ("json", "msgspec"):
        with contextlib.suppress(ImportError):
            found.append(backend(name))
    return found


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
@given(message=tricky_messages())
def test_to_api_json_is_byte_identical(codecs: ModuleType, message: InternalMessage) -> None:
    written = codecs.CODECS[InternalMessage]["_to_api_json"](message)
    assert written == _jsontext.JSON.dumps_prepared(message._to_api_wire())
    assert json.loads(written) == json.loads(json.dumps(message.to_api_dict()))
    for backend in _backends():
        assert written == backend.dumps(message.to_api_dict()), backend.name


def test_what_only_the_general_writer_handles(codecs: ModuleType) -> None:
    """Unusual states are written (or refused) exactly as dumps_prepared(_to_api_wire())."""

    class Sub(Segment):
        pass

    base = InternalMessage.from_dict({"id": "a", "connectedTime": TS, "segments": [{}]})
    cases: list[Any] = []

    def case(change: Any) -> None:
        message = InternalMessage.from_dict(base.to_api_dict())
        change(message)
        cases.append(message)

    case(lambda m: setattr(m, "_provider", 5))
    case(lambda m: setattr(m, "_provider", "\ud800"))
    case(lambda m: setattr(m, "_connected_time_text", ""))
    case(lambda m: setattr(m, "_connected_time_text", 7))
    case(lambda m: setattr(m, "_connected_time", datetime(2024, 1, 1, tzinfo=timezone.max)))
    case(lambda m: setattr(m, "_connected_time", "not a datetime"))
    case(lambda m: setattr(m, "segments", [Sub(type="t")]))
    case(lambda m: setattr(m, "_segments", (Segment(),)))
    case(lambda m: m.additional_properties.update(id="shadows a field"))
    case(lambda m: m.additional_properties.update(x=float("nan")))
    case(lambda m: m.additional_properties.update(x={1: 2}))
    case(lambda m: m.additional_properties.update(x=object()))
    case(lambda m: m.additional_properties.update(x=[1.5, 1e16, -0.0]))
    case(lambda m: m.segments[0].additional_properties.update(y="\ud800"))
    case(lambda m: setattr(m, "_additional_properties", {}))
    case(lambda m: setattr(m, "_additional_properties", [("x", 1)]))
    case(lambda m: delattr(m, "_peer_id"))
    case(lambda m: delattr(m.segments[0], "_additional_properties"))
    for message in cases:
        assert encodings(codecs, message) == encodings(_codecs_py, message)


def test_functions_called_on_other_objects(codecs: ModuleType) -> None:
    """Called unbound on a foreign object or a subclass instance, as the Python ones."""

    class Sub(InternalMessage):
        pass

    sub = Sub(id="s", connected_time=datetime(2024, 1, 1))
    functions = codecs.CODECS[InternalMessage]
    for target in (sub, object(), 42, None, Segment()):
        for name in ("to_dict", "to_api_dict", "_to_api_wire", "_to_api_json"):
            pure = _codecs_py.CODECS[InternalMessage][name]
            assert outcome(functions[name], target) == outcome(pure, target)
    uninitialised = InternalMessage.__new__(InternalMessage)
    assert encodings(codecs, uninitialised) == encodings(_codecs_py, uninitialised)


# -- the compiled module itself ---------------------------------------------------------------


def test_the_compiled_module_matches_the_written_out_python(compiled: ModuleType) -> None:
    assert compiled.SOURCE_DIGEST == _codecs_py.COMPILED_DIGEST


def _run(code: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return result.stdout.strip()


def test_accelerated_flag_in_a_fresh_interpreter(compiled: ModuleType) -> None:
    code = "import purecloud_internal_message as p; print(p.ACCELERATED)"
    assert _run(code) == "True"
    assert _run(code, **{ENV_VAR: "1"}) == "False"


def _package_copy(tmp_path: Path) -> Path:
    """A copy of the installed package (the compiled module included) under ``tmp_path``."""
    import shutil

    package = Path(pim.__file__).parent
    copy = tmp_path / "purecloud_internal_message"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _load_copy(tmp_path: Path) -> list[str]:
    """Import the copy in a fresh interpreter: where from, ACCELERATED and whether the
    compiled scanner is in use, then each compiled module's ImportError if any."""
    report = _run(
        """
        import purecloud_internal_message as p
        from purecloud_internal_message import _scan
        print(p.__file__, p.ACCELERATED, _scan.COMPILED)
        for name in ("_codecs_c", "_scan_c"):
            try:
                __import__(f"purecloud_internal_message.{name}")
            except ImportError as error:
                print(name, error)
        """,
        PYTHONPATH=str(tmp_path),
    )
    return report.splitlines()


def test_a_stale_build_is_not_used(compiled: ModuleType, tmp_path: Path) -> None:
    copy = _package_copy(tmp_path)
    assert _load_copy(tmp_path) == [f"{copy / '__init__.py'} True True"]  # the copy works
    source = (copy / "_codecs_py.py").read_text(encoding="utf-8")
    stale = source.replace(_codecs_py.COMPILED_DIGEST, "0" * 32)
    assert stale != source
    (copy / "_codecs_py.py").write_text(stale, encoding="utf-8")
    lines = _load_copy(tmp_path)
    assert lines[0] == f"{copy / '__init__.py'} False False"
    assert [line.split()[0] for line in lines[1:]] == ["_codecs_c", "_scan_c"]
    assert all("rebuild" in line for line in lines[1:])


@pytest.mark.parametrize("source", ["_codecs_c_helpers.h", "_scan_c.h", "_scan_c.pyx"])
def test_a_compiled_source_edited_without_a_rebuild_is_not_used(
    compiled: ModuleType, tmp_path: Path, source: str
) -> None:
    """The digest covers every hand-written compiled source too: after an edit, the
    Python codecs written out again (as ``scripts/gen_codecs.py`` does) accept neither
    old build."""
    copy = _package_copy(tmp_path)
    edited = copy / source
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # any edit
    written = (copy / "_codecs_py.py").read_text(encoding="utf-8")
    regenerated = written.replace(_codecs_py.COMPILED_DIGEST, digest.files_digest(copy))
    assert regenerated != written
    (copy / "_codecs_py.py").write_text(regenerated, encoding="utf-8")
    lines = _load_copy(tmp_path)
    assert lines[0] == f"{copy / '__init__.py'} False False"
    assert all("rebuild" in line for line in lines[1:])


def test_the_digest_covers_every_file_the_module_is_built_from() -> None:
    """Each file the extensions' .pyx files and headers include from the package is a
    compiled source, and the written-out codecs record the digest of them all as they are."""
    import re

    package = ROOT / "src" / "purecloud_internal_message"
    included = {"_codecs_c.pyx", "_scan_c.pyx"}
    pending = ["_codecs_c.pyx", "_scan_c.pyx"]
    while pending:
        text = (package / pending.pop()).read_text(encoding="utf-8")
        names = re.findall(r'cdef extern from "([^"]+)"|^\s*include "([^"]+)"', text, re.M)
        names += [(name, "") for name in re.findall(r'^\s*#\s*include "([^"]+)"', text, re.M)]
        for name in {first or second for first, second in names}:
            if (package / name).exists() and name not in included:
                included.add(name)
                pending.append(name)
    assert included == set(digest.COMPILED_SOURCES)
    assert digest.files_digest(package) == _codecs_py.COMPILED_DIGEST


def test_threads_share_the_compiled_codecs_from_first_use(compiled: ModuleType) -> None:
    """Eight threads decode and encode one corpus at once, starting in a fresh
    interpreter (first use included), and agree with one thread."""
    report = _run(
        """
        import json, random, sys, threading
        sys.setswitchinterval(1e-6)
        import purecloud_internal_message as pim
        from purecloud_internal_message import InternalMessage

        rng = random.Random(7)
        def timestamp():
            return f"20{rng.randint(10, 30)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T12:34:56.{rng.randint(0, 999):03d}Z"
        corpus = []
        for n in range(80):
            corpus.append({
                "id": f"c-{n}", "state": rng.choice(["connected", "PARKED", None]),
                "connectedTime": timestamp(),
                "segments": [{"startTime": timestamp(), "type": "t", "extra": [n, 1.5]}
                             for _ in range(rng.randint(0, 3))],
                "toAddress": {"name": "é" * rng.randint(0, 3), "nameRaw": '"q"\\n'},
                "messages": [{"messageId": f"m{i}", "messageTime": timestamp()}
                             for i in range(rng.randint(0, 5))],
                "x": {"y": [None, True, n]},
            })
        texts = [json.dumps(p) for p in corpus]

        def work(barrier, out):
            barrier.wait()
            for _ in range(3):
                for text in texts:
                    message = InternalMessage.from_json(text)
                    again = InternalMessage.from_dict(message.to_dict(), strict=False)
                    out.append((repr(message), message.to_api_json(), again.to_api_json(),
                                message.to_api_dict() == again.to_api_dict()))

        barrier = threading.Barrier(8)
        results = [[] for _ in range(8)]
        threads = [threading.Thread(target=work, args=(barrier, out)) for out in results]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        alone = []
        work(threading.Barrier(1), alone)
        print(pim.ACCELERATED, all(out == alone for out in results), len(alone))
        """,
    )
    assert report == f"True True {3 * 80}"


def test_slot_layout_is_read_from_the_classes(compiled: ModuleType) -> None:
    """Instances made by the compiled decoder are ordinary instances of the classes."""
    message = compiled.InternalMessage_from_dict(
        InternalMessage, {"id": "a", "connectedTime": TS, "toAddress": {"name": "n"}, "x": 1}
    )
    assert type(message) is InternalMessage
    assert not hasattr(message, "__dict__")
    assert message.id == "a"
    assert message.to_address.name == "n"
    assert message.additional_properties == {"x": 1}
    assert message._connected_time_text == TS
    assert message.connected_time == datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=UTC)
    assert message.connected_time.tzinfo is _timestamps.UTC
    message.id = "b"  # an ordinary instance: the setters work on it
    message.connected_time = datetime(2024, 1, 1)
    assert message._connected_time_text is None


def test_strict_mode_in_the_compiled_decoder(compiled: ModuleType) -> None:
    fast = compiled.CODECS[InternalMessage]["fast_decode"]
    assert fast({"state": "CONNECTED", "disconnectType": "Transfer"}, True) is not None
    assert fast({"state": "parked"}, True) is None
    assert fast({"state": "parked"}, False) is not None
    assert fast({"x": 1}, True) is None
    assert fast({"segments": [{"x": 1}]}, True) is None
    assert fast({"segments": [{"x": 1}]}, False) is not None


@given(value=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_the_canonical_text_of_every_datetime_is_read_back(
    compiled: ModuleType, value: datetime
) -> None:
    value = value.replace(microsecond=value.microsecond // 1000 * 1000)
    text = f"{value.year:04d}" + api_timestamp(value)[-20:]
    message = compiled.CODECS[InternalMessage]["fast_decode"]({"connectedTime": text}, False)
    assert message is not None
    assert message.connected_time == value.replace(tzinfo=UTC)
    assert_same_everywhere(compiled, InternalMessage, {"connectedTime": text})


def test_sizes_beyond_the_stack_buffer(codecs: ModuleType) -> None:
    """Output longer than the writer's first buffer, and long strings."""
    big = {
        "id": "é" * 5000,
        "messages": [{"messageId": "m" * 100, "messageTime": TS} for _ in range(300)],
        "x": {"k": ["\U0001f600" * 1000]},
    }
    assert_same_everywhere(codecs, InternalMessage, big)


def test_without_a_compiler_the_pure_python_package_installs(
    compiled: ModuleType, tmp_path: Path
) -> None:
    """The build's fallback: a compiler that fails is a warning, and the wheel holds the
    pure-Python package, which imports with ``ACCELERATED`` false. (About 30 seconds:
    pip builds in an isolated environment.)"""
    import shutil
    import zipfile

    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, project)
    shutil.copytree(
        ROOT / "src" / "purecloud_internal_message",
        project / "src" / "purecloud_internal_message",
        ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.c"),
    )
    # Neither switch of the build: not the pure-Python one (nothing would be compiled)
    # nor CI's strict one (which makes a failed compile an error, on purpose).
    environment = {k: v for k, v in os.environ.items() if k not in (ENV_VAR, STRICT_BUILD_VAR)}
    environment["CC"] = "/bin/false"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", "wheels", "./project"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    for extension in ("_codecs_c", "_scan_c"):
        failed = f'building extension "purecloud_internal_message.{extension}" failed'
        assert failed in build.stdout + build.stderr
    (wheel,) = (tmp_path / "wheels").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "purecloud_internal_message/py.typed" in names
    assert "purecloud_internal_message/_codecs_py.py" in names
    assert not [name for name in names if name.endswith((".so", ".pyd", ".pyx", ".c"))]
    assert not [name for name in names if name.startswith("tests")]
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-t", str(target), str(wheel)],
        check=True,
        env=environment,
    )
    code = "import purecloud_internal_message as p; print(p.__file__, p.ACCELERATED)"
    installed = _run(code, PYTHONPATH=str(target))
    assert installed == f"{target / 'purecloud_internal_message' / '__init__.py'} False"


def test_python_code_that_changes_the_model_while_it_is_written(codecs: ModuleType) -> None:
    """A time zone whose ``utcoffset()`` rewrites the model being written: the
    compiled writers hold their own references, and write what Python writes."""
    from datetime import tzinfo

    def build() -> InternalMessage:
        class Meddling(tzinfo):
            def __repr__(self) -> str:
                return "Meddling()"

            def utcoffset(self, dt: datetime | None) -> timedelta:
                message._connected_time = None  # the last reference but the writer's
                message._segments = None
                message._to_address = None
                message._additional_properties = {"late": [1.5]}
                return timedelta(hours=1)

        message = InternalMessage.from_dict(
            {"id": "a", "segments": [{"type": "t"}], "toAddress": {"name": "n"}, "x": 1}
        )
        message._connected_time = datetime(2024, 1, 1, tzinfo=Meddling())
        message._connected_time_text = None
        return message

    for name in ("to_dict", "to_api_dict", "_to_api_wire", "_to_api_json"):
        ours = outcome(codecs.CODECS[InternalMessage][name], build())
        assert ours == outcome(_codecs_py.CODECS[InternalMessage][name], build())
