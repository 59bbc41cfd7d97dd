"""The documented values of the enum fields, as constants and as `Literal` types.

Enum fields are open: the API adds values over time, so a model keeps any
string it is given. These are the values SDK 269.0.0 knows; decoding with
`strict=True` refuses others (matching them case-insensitively, as the SDK
does).

The `Literal` aliases are built on first access, so that importing the
package does not import `typing`. Type checkers see them as written here;
at run time they are equal to the same `Literal[...]` built from the constants.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal, TypeAlias

    InternalMessageState: TypeAlias = Literal["alerting", "connected", "disconnected"]
    """A documented value of `InternalMessage.state` and `.initial_state`."""
    InternalMessageDisconnectType: TypeAlias = Literal["client", "system", "peer", "transfer"]
    """A documented value of `InternalMessage.disconnect_type`."""

__all__ = [
    "INTERNAL_MESSAGE_DISCONNECT_TYPES",
    "INTERNAL_MESSAGE_STATES",
    "InternalMessageDisconnectType",
    "InternalMessageState",
]

INTERNAL_MESSAGE_STATES: tuple[InternalMessageState, ...] = (
    "alerting",
    "connected",
    "disconnected",
)
"""The documented values of `InternalMessage.state` and `.initial_state`."""
INTERNAL_MESSAGE_DISCONNECT_TYPES: tuple[InternalMessageDisconnectType, ...] = (
    "client",
    "system",
    "peer",
    "transfer",
)
"""The documented values of `InternalMessage.disconnect_type`."""

# Each runtime Literal alias is built from its constant, the one list of values.
_LITERAL_VALUES = {
    "InternalMessageState": INTERNAL_MESSAGE_STATES,
    "InternalMessageDisconnectType": INTERNAL_MESSAGE_DISCONNECT_TYPES,
}


def __getattr__(name: str) -> object:
    values = _LITERAL_VALUES.get(name)
    if values is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from typing import Literal

    alias = Literal[values]  # type: ignore[valid-type]
    globals()[name] = alias
    return alias
