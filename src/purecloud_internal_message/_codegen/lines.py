"""The line builder both emitters write their source with, and the generated code they share."""

from __future__ import annotations

__all__ = ["FAST_DECODE_DOC", "Lines", "settle_fault"]

#: The docstring of each model's ``fast_decode`` (both modules have one, for the tests).
FAST_DECODE_DOC = (
    '"""The fast path alone: the model, or None for input it leaves to the careful decoder."""'
)


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
