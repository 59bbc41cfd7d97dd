"""Which codecs the models run, chosen once at import, and putting them on the classes.

The package's own models have their codecs written out ahead of time: in pure
Python (``_codecs_py``, always there) and, when the package was built with a C
compiler, compiled (``_codecs_c``). The compiled ones are used unless
``PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS`` is set or they are missing (or
stale: built from another ``_codecs_c.pyx`` or C header than the ones
``_codecs_py`` was written out with, which the compiled module checks as it
loads); both give identical results. A model class with no written-out codecs
(a user's subclass) gets pure-Python ones compiled on its first use
(``_codegen.compile_codec``).
"""

from __future__ import annotations

from . import _codecs_py
from ._codegen import FUNCTIONS, Codec, compile_codec
from ._extensions import extensions_allowed
from ._model import use_codecs

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._model import Model

__all__ = ["ACCELERATED", "codec", "install"]


def _select() -> Any:
    if extensions_allowed():
        try:
            from . import _codecs_c
        except ImportError:  # built without a compiler, not for this interpreter, or stale
            pass
        else:
            return _codecs_c
    return _codecs_py


_IMPLEMENTATION = _select()

ACCELERATED: bool = _IMPLEMENTATION is not _codecs_py
"""Whether the compiled codecs are the ones in use (both give identical results)."""


def codec(cls: type[Model]) -> Codec:
    """The codec of ``cls``: its written-out functions, or ones compiled now (once)."""
    existing: Codec | None = cls.__dict__.get("__model_codec__")
    if existing is None:
        written = _IMPLEMENTATION.CODECS.get(cls)
        if written is not None:
            functions = {name: written[name] for name in FUNCTIONS}
            existing = Codec(functions, written["fast_decode"], "")
        else:
            existing = compile_codec(cls)
        install(cls, existing)
    return existing


def install(cls: type[Model], codec: Codec) -> None:
    """Put ``codec``'s functions on ``cls`` in place of the stubs it has.

    A method the class defines itself is left alone. Later calls go straight
    to the generated functions.
    """
    cls.__model_codec__ = codec
    stubs = cls.__model_stubs__
    for name, function in codec.functions.items():
        stub = stubs[name]
        if cls.__dict__.get(name) is not stub:
            continue
        stub_function = stub.__func__ if isinstance(stub, classmethod) else stub
        try:
            function.__doc__ = stub_function.__doc__
            function.__qualname__ = f"{cls.__qualname__}.{name}"
            function.__module__ = cls.__module__
        except (AttributeError, TypeError):  # a compiled function may not take them
            pass
        setattr(cls, name, classmethod(function) if isinstance(stub, classmethod) else function)


use_codecs(codec)
for _cls in _IMPLEMENTATION.CODECS:
    codec(_cls)
