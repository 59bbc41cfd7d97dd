"""Typed, lossless models of Genesys Cloud internal-message communications.

A small, fast, strict drop-in for the `InternalMessage`, `Segment`,
`Address` and `InternalMessageDetails` models of the Genesys Cloud Python
SDK (`PureCloudPlatformClientV2` 269.0.0).
"""

from __future__ import annotations

from ._collector import collector_paused
from ._errors import ErrorItem, ValidationError
from ._fields import FieldSpec
from ._model import Model, fields, replace
from .address import Address
from .enums import INTERNAL_MESSAGE_DISCONNECT_TYPES, INTERNAL_MESSAGE_STATES
from .internal_message import InternalMessage
from .internal_message_details import InternalMessageDetails
from .segment import Segment

# Last: puts the generated codecs on the model classes above.
from ._codecs import ACCELERATED  # isort: skip

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .documents import iter_internal_messages
    from .enums import InternalMessageDisconnectType, InternalMessageState

__version__ = "0.1.0"

__all__ = [
    "ACCELERATED",
    "INTERNAL_MESSAGE_DISCONNECT_TYPES",
    "INTERNAL_MESSAGE_STATES",
    "Address",
    "ErrorItem",
    "FieldSpec",
    "InternalMessage",
    "InternalMessageDetails",
    "InternalMessageDisconnectType",
    "InternalMessageState",
    "Model",
    "Segment",
    "ValidationError",
    "__version__",
    "collector_paused",
    "fields",
    "iter_internal_messages",
    "replace",
]


def __getattr__(name: str) -> object:
    # The Literal aliases live in .enums and are built on first access, so
    # that importing the package does not import typing.
    if name in ("InternalMessageState", "InternalMessageDisconnectType"):
        from . import enums

        return getattr(enums, name)
    if name == "iter_internal_messages":  # the walker imports json: on first use
        from .documents import iter_internal_messages

        return iter_internal_messages
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
