"""The line builder both emitters write their source with, and the generated code they share."""

from __future__ import annotations

__all__ = [
    "FAST_DECODE_DOC",
    "Lines",
    "catch_faults",
    "from_dict_tail",
    "key_loop",
    "settle_fault",
]

#: The docstring of each model's ``fast_decode`` (both modules have one, for the tests).
FAST_DECODE_DOC = (
    '"""The fast path alone: the model, or None for input it leaves to the careful decoder."""'
)


TYPE_CHECKING = False
if TYPE_CHECKING:
    from .plan import ModelPlan


class Lines:
    """Source lines at an indentation level: ``w(line)`` adds one, ``w.text()`` joins them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def __call__(self, line: str) -> None:
        self.lines.append("    " * self.depth + line if line else "")

    def indent(self) -> Lines:
        self.depth += 1
        return self

    def dedent(self) -> None:
        self.depth -= 1

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def catch_faults(w: Lines, expected: str, why: str) -> None:
    """The ``except`` clauses after a fast decoder's ``try``: the ``expected`` exceptions
    (which irregular input can cause, ``why``) leave the input to the careful
    decoder; any other is kept in ``fault``, for `from_dict_tail` to settle.
    """
    w(f"except {expected}:")
    w(f"    pass  # {why}: the careful decoder decides")
    w("except Exception as error:")
    w("    fault = error  # the input's own code (a zone, a dict subclass) raised, or a bug")


def from_dict_tail(w: Lines) -> None:
    """The end of a ``from_dict``: the careful decoder for what the fast one declined,
    with an unexpected exception (``fault``) settled by `settle_fault`."""
    w("if self is None:")
    w.indent()
    w("if fault is None:")
    w("    return _careful(cls, data, strict)")
    settle_fault(w, "_careful(cls, data, strict)")
    w.dedent()
    w("return self")


def settle_fault(w: Lines, general: str) -> None:
    """Lines that settle an exception a fast path did not expect (held in ``fault``)
    by running the general way (``general``), in the generated code of both emitters.

    When the input's own code raised (a time zone's ``utcoffset``, a dict subclass's
    ``items``), the general way meets it too and raises its own error (the careful
    decoder's ValidationError, the writer's error), which is the answer. When the
    general way succeeds, the exception was the fast path's own bug: it is raised,
    rather than hidden as a slow success. ``fault`` is cleared on the way out, so
    that the frame and the exception do not keep each other alive.
    """
    w("try:")
    w(f"    {general}  # the input's own code raised: this raises too")
    w("    raise fault  # it did not: the fast path's own bug, shown as one")
    w("finally:")
    w("    fault = None")


def key_loop(w: Lines, model: ModelPlan, refuse: str) -> None:
    """The compiled fast decoder's loop over the items of a payload ``d``: each field's
    value into ``f<index>``, unknown keys (not in strict mode) copied into ``extra``,
    ``spelling`` updated. ``refuse`` is the statement that leaves the payload to the
    careful decoder: the model decoder and the payload column encoder take the same
    payloads.
    """
    w("for key, value in d.items():")
    w.indent()
    w("if type(key) is not str:")
    w(f"    {refuse}")
    w(f"code = _key_{model.name}(key)")
    w("if code < 0:")
    w("    if strict or not pim_text_ok(key):")
    w(f"        {refuse}")
    w("    copied = _copy(value, level + 1)")
    w("    if copied is _BAD:")
    w(f"        {refuse}")
    w("    if extra is None:")
    w("        extra = {}")
    w("    extra[key] = copied")
    w("    continue")
    # Keys in one spelling only, as the Python path takes them: a mix (and with it
    # a field given twice) is the careful decoder's.
    w("spelling |= code & 3")
    w("if spelling == 3:")
    w(f"    {refuse}")
    w("i = code >> 2")
    for field in model.fields:
        w(f"{'if' if field.index == 0 else 'elif'} i == {field.index}:")
        w(f"    f{field.index} = value")
    w.dedent()
