"""The fuzz targets: each takes the fuzzer's bytes and checks the package's promise.

- ``from_json``: the bytes as JSON text (and as ``str`` when they are UTF-8), both
  modes. Only ``ValidationError`` may escape; the decoder in use (compiled or pure
  fast path with its fallback) must agree with the careful decoder, the
  definition of what is accepted; an accepted model's API text decodes again to
  the same text.
- ``from_dict``: the bytes drive [`hostile.build_record`][] to make a Python
  structure (subclasses, cycles, odd datetimes, ...). The same checks, plus
  pydantic validation, plus every public operation on what is accepted.
- ``cli``: the bytes as an input file of the command line, read as a document
  and as JSON Lines, validated and normalized: the exit status is 0, 1 or 2 and
  every line ``normalize`` writes decodes again to the same text.
- ``roundtrip``: the bytes as JSON text; every accepted model goes through every
  public operation ([`invariants.check_model`][]).

Which codecs run (compiled or pure Python) is the process's choice:
``PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS=1`` for the pure path (run.py sets it).
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Any

from hostile import MODELS, build_record
from invariants import check_model, outcome, same_outcome
from purecloud_internal_message import InternalMessage, Model, ValidationError, cli
from purecloud_internal_message._decode import decode as careful_decode
from purecloud_internal_message._decode import load_json

__all__ = ["TARGETS", "ByteSource"]

_BOM = b"\xef\xbb\xbf"


def _agree(cls: type[Model], data: Any, strict: bool, result: Model | ValidationError) -> None:
    """``result`` (the public decoder's) is what the careful decoder gives."""
    reference = outcome(lambda: careful_decode(cls, data, strict))
    assert same_outcome(result, reference), "the decoder in use and the careful one disagree"
    if isinstance(result, Model):
        assert isinstance(reference, Model)
        assert result == reference
        assert repr(result) == repr(reference)


def _classes(data: bytes) -> list[type[Model]]:
    """``InternalMessage``, and another model by the input's length, so that each
    model is also decoded at the top level (where its nesting starts)."""
    other = MODELS[len(data) % len(MODELS)]
    return [InternalMessage] if other is InternalMessage else [InternalMessage, other]


def _decode_text(
    data: bytes, cls: type[Model] = InternalMessage
) -> dict[bool, Model | ValidationError]:
    """``cls.from_json(data)`` in both modes, checked against parsing and then the
    careful decoder, and against ``bytearray`` input."""
    try:
        parsed = load_json(data)
    except ValidationError as error:
        not_json: ValidationError | None = error
    else:
        not_json = None
    results: dict[bool, Model | ValidationError] = {}
    for strict in (False, True):
        result = outcome(lambda: cls.from_json(data, strict=strict))  # noqa: B023
        if not_json is not None:
            assert isinstance(result, ValidationError), "from_json took text that is not JSON"
            assert same_outcome(result, not_json)
        else:
            _agree(cls, parsed, strict, result)
        mutable = outcome(lambda: cls.from_json(bytearray(data), strict=strict))  # noqa: B023
        assert same_outcome(mutable, result), "from_json(bytearray) and from_json(bytes) disagree"
        results[strict] = result
    _strict_within_lax(results)
    return results


def _strict_within_lax(results: dict[bool, Model | ValidationError]) -> None:
    strict, lax = results[True], results[False]
    if isinstance(strict, Model):
        assert isinstance(lax, Model), "accepted in strict mode, refused in lax mode"
        assert strict.to_api_json() == lax.to_api_json()


def from_json(data: bytes) -> None:
    """The ``from_json`` target."""
    for cls in _classes(data):
        _from_json(data, cls)


def _from_json(data: bytes, cls: type[Model]) -> None:
    results = _decode_text(data, cls)
    for strict, result in results.items():
        if isinstance(result, Model):
            text = result.to_api_json()
            assert cls.from_json(text, strict=strict).to_api_json() == text
    if data.startswith(_BOM):
        return  # bytes may start with a byte order mark, text may not (as json.loads)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    for strict, result in results.items():
        as_text = outcome(lambda: cls.from_json(text, strict=strict))  # noqa: B023
        # Refusals may be worded apart (bytes are checked for UTF-16/32 first).
        if isinstance(as_text, Model) or isinstance(result, Model):
            assert same_outcome(as_text, result), "from_json(str) and from_json(bytes) disagree"


def roundtrip(data: bytes) -> None:
    """The ``roundtrip`` target: every public operation on what is accepted."""
    for cls in _classes(data):
        for strict, result in _decode_text(data, cls).items():
            if isinstance(result, Model):
                check_model(result, strict=strict)


class ByteSource:
    """[`hostile.Source`][] over atheris's ``FuzzedDataProvider``."""

    def __init__(self, data: bytes) -> None:
        import atheris

        self._provider = atheris.FuzzedDataProvider(data)

    def integer(self, low: int, high: int) -> int:
        return self._provider.ConsumeIntInRange(low, high)  # type: ignore[no-any-return]

    def text(self, limit: int) -> str:
        return self._provider.ConsumeUnicode(self.integer(0, limit))  # type: ignore[no-any-return]

    def real(self) -> float:
        return self._provider.ConsumeFloat()  # type: ignore[no-any-return]

    def raw(self, limit: int) -> bytes:
        return self._provider.ConsumeBytes(self.integer(0, limit))  # type: ignore[no-any-return]


def from_dict(data: bytes) -> None:
    """The ``from_dict`` target: hostile Python structures."""
    source = ByteSource(data)
    cls = MODELS[max(0, source.integer(-4, len(MODELS) - 1))]  # InternalMessage mostly
    check_structure(build_record(source, cls), cls)


def check_structure(record: Any, cls: type[Model] = InternalMessage, *, heavy: bool = True) -> None:
    """The promise for one Python structure, in both modes, through ``cls.from_dict``
    and pydantic."""
    results: dict[bool, Model | ValidationError] = {}
    for strict in (False, True):
        result = outcome(lambda: cls.from_dict(record, strict=strict))  # noqa: B023
        _agree(cls, record, strict, result)
        results[strict] = result
        if isinstance(result, Model):
            check_model(result, strict=strict, heavy=heavy)
        if heavy:
            _check_pydantic(cls, record, strict, result)
    _strict_within_lax(results)


def _check_pydantic(
    cls: type[Model], record: Any, strict: bool, result: Model | ValidationError
) -> None:
    try:
        from pydantic import TypeAdapter
        from pydantic import ValidationError as PydanticError
    except ImportError:
        return
    adapter = _ADAPTER.get(cls) or _ADAPTER.setdefault(cls, TypeAdapter(cls))
    try:
        validated = adapter.validate_python(record, strict=strict)
    except PydanticError:
        assert isinstance(result, ValidationError), "pydantic refused what from_dict accepts"
        return
    if isinstance(record, cls):  # taken as it is
        assert validated is record
        return
    assert isinstance(result, Model), "pydantic accepted what from_dict refuses"
    assert validated.to_api_json() == result.to_api_json()


_ADAPTER: dict[type[Model], Any] = {}

# -- the command line ------------------------------------------------------------------

_FOLDER: list[str] = []  # a temporary folder for the input file, made on first use
_RUNS = (
    ["validate", "--format", "auto"],
    ["normalize", "--format", "jsonl"],
    ["normalize", "--strict", "--format", "json"],
    ["normalize", "--sdk", "--format", "auto"],
)


def run_cli(data: bytes, arguments: list[str], name: str = "input.json") -> tuple[int, str]:
    """``cli.main(arguments + [file holding data])``: its exit status and standard output."""
    if not _FOLDER:
        _FOLDER.append(tempfile.mkdtemp(prefix="pim-fuzz-cli-"))
        atexit.register(shutil.rmtree, _FOLDER[0], True)
    path = os.path.join(_FOLDER[0], name)
    with open(path, "wb") as stream:
        stream.write(data)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main([*arguments, "--progress", "never", path])
    return status, out.getvalue()


def cli_target(data: bytes) -> None:
    """The ``cli`` target."""
    for arguments in _RUNS:
        status, output = run_cli(data, list(arguments))
        assert status in (0, 1, 2), f"exit status {status}"
        if arguments[0] != "normalize" or "--sdk" in arguments:
            continue
        strict = "--strict" in arguments
        for line in output.split("\n")[:-1]:  # not splitlines(): U+2028 is no line end in JSON
            model = InternalMessage.from_json(line, strict=strict)
            assert model.to_api_json() == line, "normalize wrote text that decodes differently"


def canary_exception(data: bytes) -> None:
    """Fails on any input but the empty one: shows that run.py reports an escape."""
    if data:
        raise RuntimeError("canary")


def canary_crash(data: bytes) -> None:
    """Crashes the process (a NULL read in C) on any input but the empty one: shows
    that run.py reports a crash in C code."""
    if data:
        import ctypes

        ctypes.string_at(0)


#: The checks of run.py itself (tests/test_fuzz_harness.py); not part of "all".
CANARIES: dict[str, Callable[[bytes], None]] = {
    "canary_exception": canary_exception,
    "canary_crash": canary_crash,
}

TARGETS: dict[str, Callable[[bytes], None]] = {
    "from_json": from_json,
    "from_dict": from_dict,
    "cli": cli_target,
    "roundtrip": roundtrip,
}
