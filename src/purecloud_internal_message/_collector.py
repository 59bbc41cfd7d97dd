"""An explicit opt-in for batch work: the garbage collector paused around a block.

Decoding builds many objects and never a reference cycle, yet each object it
creates counts toward the collector's next run, and a full collection scans
every object the process holds. When a program keeps millions of decoded
records in memory, those scans make each new record cost more than the last.
Pausing the collector while a batch is decoded removes that cost. It is a
process-wide switch, so the package never flips it on its own: only inside
this context manager, which the caller asks for.
"""

from __future__ import annotations

import gc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["collector_paused"]


class collector_paused:  # lower case: used like a function, as contextlib's helpers are
    """Pause Python's cyclic garbage collector for the block; restore its state after.

    For batch work that keeps what it decodes (a list of a million records),
    where it makes decoding faster; when records are streamed and dropped, it
    gains nothing (see the performance page). The compiled decoders already
    leave most instances off the collector's list, so the gain is smaller with
    them than in pure Python. The collector is re-enabled on
    exit only if it was enabled on entry, so nesting is safe and a program that
    had disabled it keeps it disabled.

    The collector is process-wide: while the block runs, other threads run
    without it too, and a `gc.enable()`/`gc.disable()` made by another thread
    meanwhile may be undone on exit. Use it around decoding loops, not around
    code that shares the process with other collector users.

    ```python
    from purecloud_internal_message import InternalMessage, collector_paused

    with collector_paused():
        records = [InternalMessage.from_json(line) for line in ['{"id": "a"}', '{"id": "b"}']]
    ```
    """

    __slots__ = ("_was_enabled",)

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._was_enabled:
            gc.enable()
