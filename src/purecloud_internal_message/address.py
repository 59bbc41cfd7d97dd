"""The `Address` model: one end of an internal-message communication."""

from __future__ import annotations

from ._fields import field
from ._model import Model

__all__ = ["Address"]


class Address(Model):
    """An address of a participant, as the API reports it."""

    name: str | None = field(
        "This will be nameRaw if present, or a locality lookup of the address field otherwise.",
        default=None,
    )
    name_raw: str | None = field(
        "The name as close to the bits on the wire as possible.", default=None
    )
    address_normalized: str | None = field(
        "The normalized address. This field is acquired from the Address Normalization Table."
        "  The addressRaw could have gone through some transformations, such as only using the"
        " numeric portion, before being run through the Address Normalization Table.",
        default=None,
    )
    address_raw: str | None = field(
        "The address as close to the bits on the wire as possible.", default=None
    )
    address_displayable: str | None = field(
        "The displayable address. This field is acquired from the Address Normalization Table."
        "  The addressRaw could have gone through some transformations, such as only using the"
        " numeric portion, before being run through the Address Normalization Table.",
        default=None,
    )
