"""Every internal message in a Genesys Cloud document, wherever it sits.

[`iter_internal_messages`][purecloud_internal_message.iter_internal_messages]
walks whatever the conversation APIs and exports hand over: one internal
message, an array of them, a conversation (`participants[].internalMessages[]`),
an array of conversations, or a listing page (`{"entities": [...]}`), as a
parsed JSON value, as JSON text, or streamed from a binary file. It is the
walker the command line and the Parquet converter read with.
"""

from __future__ import annotations

from typing import IO, Any, Literal, overload

from ._errors import ErrorItem, ValidationError
from ._jsonvalues import path_text
from ._shape import NotJSON, find_records
from ._stream import walk_text
from .internal_message import InternalMessage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from ._errors import Loc
    from ._shape import Plain, Record

__all__ = ["iter_internal_messages"]


@overload
def iter_internal_messages(
    document: dict[str, Any] | list[Any] | str | bytes | bytearray | IO[bytes],
    *,
    strict: bool = ...,
    raise_errors: Literal[False] = ...,
) -> Iterator[tuple[str, InternalMessage | ValidationError]]: ...
@overload
def iter_internal_messages(
    document: dict[str, Any] | list[Any] | str | bytes | bytearray | IO[bytes],
    *,
    strict: bool = ...,
    raise_errors: Literal[True],
) -> Iterator[tuple[str, InternalMessage]]: ...
@overload
def iter_internal_messages(
    document: dict[str, Any] | list[Any] | str | bytes | bytearray | IO[bytes],
    *,
    strict: bool = ...,
    raise_errors: bool,
) -> Iterator[tuple[str, InternalMessage | ValidationError]]: ...
def iter_internal_messages(
    document: dict[str, Any] | list[Any] | str | bytes | bytearray | IO[bytes],
    *,
    strict: bool = False,
    raise_errors: bool = False,
) -> Iterator[tuple[str, InternalMessage | ValidationError]]:
    """Every internal message in a document, as `(path, message)`, in document order.

    ```python
    for path, message in iter_internal_messages(conversation):
        if isinstance(message, ValidationError):
            print(message)  # participants[1].internalMessages[0].messageTime: ...
        else:
            print(path, message.state)  # participants[0].internalMessages[0] connected
    ```

    What the document is, is read from its shape: an array holds any of these
    forms; an object is a conversation when the first of its keys
    `participants` and `entities` (an array) is `participants`, a listing
    page when it is `entities`, and one internal message when it has
    neither. Participants without `internalMessages` (calls, chats) are
    skipped.

    The path leads from the top of the document to the message, in the
    spelling of error paths (`entities[3].participants[1].internalMessages[0]`;
    `""` for a document that is one message). A bad record does not stop the
    walk: it is yielded as a
    [`ValidationError`][purecloud_internal_message.ValidationError] whose
    problems are located from the top of the document (each `loc` starts with
    the record's: `("participants", 1, "internalMessages", 0, "messages", 2,
    "messageTime")`, shown as
    `participants[1].internalMessages[0].messages[2].messageTime`), and so
    is a value where a message, a participant or an array of them belongs
    (`participants[2]: expected a participant object, got number 7`).

    Lazy: each record is parsed and decoded when it is yielded, not before,
    and text is read as the walk goes.

    Args:
        document: A parsed JSON value (`dict`, `list`), JSON text (`str`,
            or `bytes`/`bytearray` in UTF-8, a leading byte order mark
            skipped), or a binary stream (a file opened with `"rb"`), read in
            windows of about a megabyte so that memory holds one window and one
            record whatever the document's size. A `str` is always text, never
            a parsed JSON string.
        strict: Decode as `from_dict(strict=True)`: refuse unknown fields and
            enum values outside the documented set.
        raise_errors: Raise the first bad record's `ValidationError` instead of
            yielding it.

    Yields:
        `(path, message)`: an [`InternalMessage`][purecloud_internal_message.InternalMessage],
        or a `ValidationError` for a bad record (only without `raise_errors`).

    Raises:
        ValidationError: Text (or a stream) that is not JSON, when the walk
            reaches the problem (the records before it have been yielded); its
            message is `invalid JSON: ...` with the line and column, as
            [`from_json`][purecloud_internal_message.Model.from_json] says it.
            With `raise_errors`, also the first bad record.
        OSError: Reading the stream failed.
        TypeError: A text stream (opened without `"b"`) was given.
    """
    if isinstance(document, (str, bytes, bytearray)) or hasattr(document, "read"):
        records: Iterator[Plain | Record | NotJSON] = walk_text(document)  # type: ignore[arg-type]
    else:
        records = find_records(document)
    from_dict = InternalMessage.from_dict
    for record in records:
        if isinstance(record, tuple):  # a plain record: (line, payload, loc, text)
            loc, data, problem = record[2], record[1], None
        elif isinstance(record, NotJSON):  # as from_json says it
            where = f"(line {record.line}, column {record.column})"
            raise ValidationError([ErrorItem((), f"invalid JSON: {record.reason} {where}")])
        else:
            loc, data, problem = record.loc, record.data, record.problem
        path = path_text(loc)  # the record's path, yielded: the one text made for it
        if problem is not None:
            error = ValidationError([ErrorItem(loc, problem)])
        else:
            try:
                yield path, from_dict(data, strict=strict)
                continue
            except ValidationError as exc:
                error = prefixed(exc, loc)
        if raise_errors:
            raise error
        yield path, error


def prefixed(error: ValidationError, loc: Loc) -> ValidationError:
    """`error` with every problem's location starting with `loc`."""
    if not loc:
        return error
    return ValidationError(ErrorItem(loc + item.loc, item.message) for item in error.errors)
