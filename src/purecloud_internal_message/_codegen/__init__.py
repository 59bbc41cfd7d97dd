"""The codecs' source code, generated from the field tables: one plan, two emitters.

Like ``dataclasses`` and ``attrs``, the hot functions (the constructor, the fast
decoder, the encoders, ``==``) are written out as source from the field table,
with every field unrolled and nested models inlined: no loop over fields, no
call per nested object. One plan (`plan`: the models in order, the functions,
the names generated code imports, the facts of each field) drives two emitters:

- `emit_py` writes the pure-Python codecs, ``_codecs_py.py``;
- `emit_cy` writes the compiled ones as Cython, ``_codecs_c.pyx``, which
  includes the hand-written C helpers of ``_codecs_c_helpers.h``; the package
  build compiles them when a C compiler is there (``setup.py``).

For the package's own models both are written ahead of time by
``scripts/gen_codecs.py`` (real files: tracebacks, coverage and editors see
them; CI checks they have not drifted). A model class without written-out code
(a user's subclass) gets the pure-Python source compiled on its first use by
[`compile_codec`][purecloud_internal_message._codegen.compile_codec].

The fast decoders take the regular case and return None for anything else,
which ``from_dict`` hands to the careful decoder (``_decode``), the definition
of what is valid. An exception a fast path does not expect is never taken for
"irregular input": ``from_dict`` (and the compiled ``to_api_json``) runs the
general way, and raises the exception when that succeeds (`lines.settle_fault`).
"""

from __future__ import annotations

from .plan import FUNCTIONS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .._model import Model

__all__ = ["FUNCTIONS", "Codec", "compile_codec"]


class Codec:
    """The generated functions of one model class, by their names on the class,
    plus ``fast_decode(data, strict)`` (the fast path alone, for tests) and the source.
    """

    __slots__ = ("fast_decode", "functions", "source")

    def __init__(self, functions: dict[str, Any], fast_decode: Any, source: str) -> None:
        self.functions = functions
        self.fast_decode = fast_decode
        self.source = source


def compile_codec(cls: type[Model]) -> Codec:
    """Compile the codec of a class that has no written-out code (a subclass)."""
    import linecache

    from . import emit_py, plan

    models = plan.plan([cls], ref=lambda model, index: f"_M{index}")
    source = emit_py.constants(models) + emit_py.class_source(models[0], "codec")
    namespace = plan.namespace()
    namespace.update((model.ref, model.cls) for model in models)
    filename = f"<generated codec of {cls.__module__}.{cls.__qualname__}>"
    # Registered like attrs does, so that tracebacks and pdb show the real lines.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    functions = {name: namespace[f"codec_{name.strip('_')}"] for name in FUNCTIONS}
    return Codec(functions, namespace["codec_fast_decode"], source)
