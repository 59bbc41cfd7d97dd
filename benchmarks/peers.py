"""The peers' equivalents of the four models: pydantic v2 and msgspec.

Both mirror the field tables: camelCase on the wire, every field optional.
"""

from __future__ import annotations

from datetime import datetime

import msgspec
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class _Pydantic(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class PydanticAddress(_Pydantic):
    name: str | None = None
    name_raw: str | None = None
    address_normalized: str | None = None
    address_raw: str | None = None
    address_displayable: str | None = None


class PydanticSegment(_Pydantic):
    start_time: datetime | None = None
    end_time: datetime | None = None
    type: str | None = None
    how_ended: str | None = None
    disconnect_type: str | None = None


class PydanticDetails(_Pydantic):
    message_id: str | None = None
    message_time: datetime | None = None


class PydanticInternalMessage(_Pydantic):
    state: str | None = None
    initial_state: str | None = None
    id: str | None = None
    segments: list[PydanticSegment] | None = None
    disconnect_type: str | None = None
    connected_time: datetime | None = None
    disconnected_time: datetime | None = None
    provider: str | None = None
    peer_id: str | None = None
    target_user_id: str | None = None
    source_user_id: str | None = None
    to_address: PydanticAddress | None = None
    from_address: PydanticAddress | None = None
    messages: list[PydanticDetails] | None = None


class _Struct(msgspec.Struct, rename="camel", omit_defaults=True):
    pass


class StructAddress(_Struct):
    name: str | None = None
    name_raw: str | None = None
    address_normalized: str | None = None
    address_raw: str | None = None
    address_displayable: str | None = None


class StructSegment(_Struct):
    start_time: datetime | None = None
    end_time: datetime | None = None
    type: str | None = None
    how_ended: str | None = None
    disconnect_type: str | None = None


class StructDetails(_Struct):
    message_id: str | None = None
    message_time: datetime | None = None


class StructInternalMessage(_Struct):
    state: str | None = None
    initial_state: str | None = None
    id: str | None = None
    segments: list[StructSegment] | None = None
    disconnect_type: str | None = None
    connected_time: datetime | None = None
    disconnected_time: datetime | None = None
    provider: str | None = None
    peer_id: str | None = None
    target_user_id: str | None = None
    source_user_id: str | None = None
    to_address: StructAddress | None = None
    from_address: StructAddress | None = None
    messages: list[StructDetails] | None = None
