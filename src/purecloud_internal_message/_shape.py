"""What an internal message looks like inside a document: the shape rule.

Whatever a support engineer or a pipeline has at hand: one internal message,
an array of them, JSON Lines, Genesys conversation documents
(``participants[].internalMessages[]``) alone, in arrays, one per line or in a
listing page (``{"entities": [...]}``). What a value is, is read from its
shape (the same rule for a parsed value, here, and for streamed text, in
`_stream`):

- an array holds any of these forms;
- an object is a conversation when the first of its keys ``participants`` and
  ``entities`` (the latter only when it holds an array) is ``participants``, a
  listing page when it is ``entities``, and an internal message when it has
  neither;
- anything else where a message belongs is a record with a problem.

The readers (`_jsonlines`, `_stream`) turn inputs into records, each a
[`Plain`][purecloud_internal_message._shape.Plain] tuple or a
[`Record`][purecloud_internal_message._shape.Record], and
[`NotJSON`][purecloud_internal_message._shape.NotJSON] reports, the types of
this module; [`find_records`][purecloud_internal_message._shape.find_records]
walks a value already parsed.
"""

from __future__ import annotations

from ._errors import describe
from ._jsonvalues import path_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from ._errors import Loc

    #: A record read from text, in the readers' hot path: ``(line, payload, loc,
    #: text)``, a plain tuple (the cheapest object Python makes). ``line`` is the
    #: 1-based line its value starts on, ``loc`` where it sits in its top-level
    #: value (as [`Record.loc`][purecloud_internal_message._shape.Record]), and
    #: ``text`` its JSON text when that may span lines (a document's record: see
    #: `_stream.line_in`), else None (a line of JSON Lines). A record with a
    #: structural problem is a `Record`.
    Plain = tuple[int, Any, Loc, bytes | None]

__all__ = [
    "NotJSON",
    "Record",
    "find_records",
    "messages_problem",
    "not_a_record_problem",
    "participant_problem",
    "participants_problem",
]


class Record:
    """One internal message found in an input (or a value where one belonged).

    Attributes:
        line: The 1-based line on which the record's value starts (0 for a
            record of a parsed value, which has no lines).
        loc: Where the record sits inside its top-level value, as an error's
            location (``("participants", 0, "internalMessages", 1)``; ``()`` for
            the value itself).
        data: The payload to decode.
        problem: A structural problem found instead of a payload (a
            ``participants`` that is not an array, say), or None.
    """

    __slots__ = ("data", "line", "loc", "problem")

    def __init__(self, loc: Loc, data: Any, problem: str | None = None, line: int = 0) -> None:
        self.loc = loc
        self.data = data
        self.problem = problem
        self.line = line

    @property
    def path(self) -> str:
        """``loc`` as text (``participants[0].internalMessages[1]``), as error paths are."""
        return path_text(self.loc)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(loc={self.loc!r}, line={self.line!r}, data={self.data!r},"
            f" problem={self.problem!r})"
        )


class NotJSON:
    """A line or document that is not JSON text: where, and what the parser said.

    Attributes:
        line: The 1-based line of the problem.
        column: Its 1-based column, in characters.
        reason: The reference parser's words (``unterminated string``).
        ends_input: Whether the reading of the input ends here (a document, of
            which nothing after the problem can be read), or goes on (a line
            of JSON Lines).
    """

    __slots__ = ("column", "ends_input", "line", "reason")

    def __init__(self, line: int, column: int, reason: str, *, ends_input: bool) -> None:
        self.line = line
        self.column = column
        self.reason = reason
        self.ends_input = ends_input

    @property
    def message(self) -> str:
        """The report: ``not JSON: {reason} (column {column})``."""
        return f"not JSON: {self.reason} (column {self.column})"

    def __repr__(self) -> str:
        return (
            f"NotJSON(line={self.line!r}, column={self.column!r}, reason={self.reason!r},"
            f" ends_input={self.ends_input!r})"
        )


# -- the problems of a value where a record belongs ---------------------------------------


def not_a_record_problem(value: Any) -> str:
    """A value that is neither a message, a conversation, a page nor an array of them."""
    return (
        f"expected an internal message, a conversation or an array of them, got {describe(value)}"
    )


def participants_problem(value: Any) -> str:
    """A conversation's ``participants`` that is not an array."""
    return f"expected an array of participants, got {describe(value)}"


def participant_problem(value: Any) -> str:
    """An element of ``participants`` that is not an object."""
    return f"expected a participant object, got {describe(value)}"


def messages_problem(value: Any) -> str:
    """A participant's ``internalMessages`` that is neither an array nor null."""
    return f"expected an array of internal messages, got {describe(value)}"


# -- the walk over a parsed value ---------------------------------------------------------


def _kind(item: dict[Any, Any]) -> str:
    """``"participants"``, ``"entities"`` or ``""``: what decides an object's form."""
    for key, value in item.items():
        if key == "participants" or (key == "entities" and isinstance(value, list)):
            return str(key)
    return ""


def find_records(value: Any, loc: Loc = ()) -> Iterator[Record]:
    """Every internal message in a parsed JSON value, in document order.

    Iterative, so nesting depth cannot exhaust the stack.
    """
    pending: list[tuple[Loc, Any]] = [(loc, value)]
    while pending:
        here, item = pending.pop()
        if isinstance(item, list):
            pending.extend(
                ((*here, index), child) for index, child in reversed(list(enumerate(item)))
            )
        elif not isinstance(item, dict):
            yield Record(here, item, not_a_record_problem(item))
        else:
            kind = _kind(item)
            if kind == "participants":
                yield from _conversation_records(item[kind], (*here, kind))
            elif kind == "entities":
                pending.extend(
                    ((*here, kind, index), child)
                    for index, child in reversed(list(enumerate(item[kind])))
                )
            else:
                yield Record(here, item)


def _conversation_records(participants: Any, loc: Loc) -> Iterator[Record]:
    if not isinstance(participants, list):
        yield Record(loc, participants, participants_problem(participants))
        return
    for index, participant in enumerate(participants):
        here = (*loc, index)
        if not isinstance(participant, dict):
            yield Record(here, participant, participant_problem(participant))
            continue
        messages = participant.get("internalMessages")
        if messages is None:  # a participant on another channel
            continue
        here = (*here, "internalMessages")
        if not isinstance(messages, list):
            yield Record(here, messages, messages_problem(messages))
            continue
        for position, message in enumerate(messages):
            yield Record((*here, position), message)
