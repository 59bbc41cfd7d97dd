"""Field values and unknown-field values: checked on the way in, copied on the way out.

Everything a model holds can be written back by every writer. So on the way in
strings must be Unicode text (no lone surrogates: UTF-8, JSON files, HTTP and
Arrow cannot carry them), and the values of unknown fields are copied into
plain JSON types (exact ``dict``, ``list``, ``str``, ``int``, ``float``,
``bool``, None, plus ``datetime`` from a newer SDK's ``to_dict()``), within the
nesting and integer limits of `_limits`. A copy taken on the way in also means
the model never shares a container with the caller's payload.
"""

from __future__ import annotations

from datetime import datetime
from math import isfinite

from ._errors import ErrorItem, describe
from ._fields import FieldSpec
from ._jsontext import JSON
from ._jsonvalues import OutOfRange, key_problem, number_problem, path_text, type_problem
from ._limits import INT_BOUND, MAX_DEPTH, depth_message, int_message
from ._timestamps import format_timestamp, stored_datetime

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from typing import Any

__all__ = [
    "BAD",
    "copy_api",
    "copy_sdk",
    "copy_wire",
    "json_copy",
    "text_ok",
    "text_problem",
    "unknown_fields",
    "validate",
]


class _Bad:
    """The type of [`BAD`][purecloud_internal_message._values.BAD]."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "BAD"


#: What [`json_copy`][purecloud_internal_message._values.json_copy] returns for a
#: value it refuses (None is a valid JSON value, so it cannot be the signal).
BAD: Any = _Bad()


def text_ok(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (holds no lone surrogate)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text_problem(text: str) -> str | None:
    """What is wrong with ``text`` as Unicode text, or None when nothing is."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (
            f"string holds a lone surrogate U+{ord(text[exc.start]):04X}, "
            "which is not Unicode text and cannot be written as UTF-8"
        )
    return None


def validate(owner: type, spec: FieldSpec, value: Any) -> Any:
    """The value to store in ``spec``'s slot, or TypeError/ValueError if it does not fit.

    None always fits. A ``str`` subclass is stored as a plain ``str`` with the same
    text; a datetime that cannot be written in UTC, and a string with a lone
    surrogate, are ValueErrors: the API form could not be written.
    """
    if value is None:
        return None
    if spec.is_text:
        if isinstance(value, str):
            problem = text_problem(value)
            if problem is not None:
                raise ValueError(f"{owner.__name__}.{spec.name}: {problem}")
            return value if type(value) is str else str.__str__(value)
        expected = "str"
    elif spec.is_timestamp:
        if isinstance(value, datetime):
            return stored_datetime(value)
        expected = "datetime"
    elif spec.is_model:
        assert spec.model is not None
        if isinstance(value, spec.model):
            return value
        expected = spec.model.__name__
    else:
        assert spec.model is not None
        item_type = spec.model
        expected = f"list[{item_type.__name__}]"
        if isinstance(value, list):
            for item in value:
                if not isinstance(item, item_type):
                    raise TypeError(
                        f"{owner.__name__}.{spec.name} takes {expected} or None; "
                        f"it got a list holding {describe(item)}"
                    )
            return value
    raise TypeError(
        f"{owner.__name__}.{spec.name} takes {expected} or None, "
        f"got {type(value).__name__}: {describe(value)}"
    )


def json_copy(
    value: Any,
    level: int,
    loc: Sequence[str | int] = (),
    errors: list[ErrorItem] | None = None,
    *,
    refuse: bool = False,
) -> Any:
    """A copy of an unknown field's value in plain JSON types, or
    [`BAD`][purecloud_internal_message._values.BAD].

    ``level`` is the nesting level ``value`` would occupy as a container (the
    record is level 1), ``loc`` its location (read only when a problem is found,
    so a caller may pass a list it changes afterwards). Without ``errors`` the
    first problem returns BAD at once; with a list, every problem is appended to
    it with its location, in document order. With ``refuse``, the first problem
    is raised instead, as a TypeError (a type or key JSON has no form for) or a
    ValueError (any other rule), its message ``"path: problem"``.

    Iterative, so no input can exhaust the stack. The location of the value in
    hand is kept as a stack of keys and indexes, made a tuple only for a problem.
    """
    collect = errors is not None
    holder: list[Any] = [None]
    ok = True
    # One frame per open container: its children still to copy, its copy, and the
    # level its children would occupy as containers. steps[i] is the key or index
    # in hand in frames[i] (steps[0], the holder's slot, is not part of the location).
    frames: list[tuple[Iterator[tuple[Any, Any]], Any, int]] = [
        (iter(((0, value),)), holder, level)
    ]
    steps: list[Any] = [0]

    def report(problem: str, error: type[Exception] = ValueError) -> None:
        nonlocal ok
        ok = False
        where = (*loc, *steps[1:])
        if refuse:
            path = path_text(where)
            raise error(f"{path}: {problem}" if path else problem)
        if errors is not None:
            errors.append(ErrorItem(where, problem))

    while frames:
        children, target, depth = frames[-1]
        for slot, child in children:
            steps[-1] = slot
            item = child  # (replaced by its copy below)
            kind = type(item)
            problem: str | None = None
            if kind is str:
                if not item.isascii():
                    problem = text_problem(item)
            elif item is None or kind is bool:
                pass
            elif isinstance(item, (dict, list)):
                if depth > MAX_DEPTH:
                    problem = depth_message()
                elif isinstance(item, list):
                    target[slot] = copied_list = [None] * len(item)
                    frames.append((enumerate(item), copied_list, depth + 1))
                    steps.append(0)
                    break  # the list's items first
                else:
                    # Every key is checked first, reported at the object's location.
                    # (A subclass's members are read once: its items() might change.)
                    members = item.items() if kind is dict else list(item.items())
                    plain = True
                    for key, _ in members:
                        if type(key) is str and (key.isascii() or text_ok(key)):
                            continue
                        plain = False
                        if not isinstance(key, str):
                            report(key_problem(key) or "", TypeError)
                        elif (text := text_problem(key)) is not None:
                            report(f"object key {describe(key)}: {text}")
                        if not ok and not collect:
                            return BAD
                    copied: dict[str, Any] = {}
                    target[slot] = copied
                    frames.append(
                        (iter(members) if plain else _good_members(members), copied, depth + 1)
                    )
                    steps.append("")
                    break  # the object's members first
            elif isinstance(item, (int, float)):  # bool was taken above
                problem = number_problem(item)
                if problem is None and kind is not int and kind is not float:
                    item = float.__float__(item) if isinstance(item, float) else int.__index__(item)
            elif isinstance(item, str):  # a str subclass
                problem = text_problem(item)
                item = str.__str__(item)
            elif kind is OutOfRange:  # a number in JSON text that no int or float can hold
                # A long literal is shortened around "..."; a JSON number has at most one ".".
                head, _, tail = item.text.partition("...")
                if any(char in head + tail for char in ".eE"):
                    problem = f"number {item.text} is out of range"
                else:
                    problem = int_message()
            elif isinstance(item, datetime):  # as a newer SDK's to_dict() writes an unknown field
                try:
                    item = stored_datetime(item)
                except ValueError as exc:
                    problem = f"{exc}: {describe(item)}"
            else:
                report(type_problem(item), TypeError)
                if not collect:
                    return BAD
                continue
            if problem is not None:
                report(problem)
                if not collect:
                    return BAD
                continue
            target[slot] = item
        else:  # the container is copied
            frames.pop()
            steps.pop()
    return holder[0] if ok else BAD


def _good_members(members: Iterable[tuple[Any, Any]]) -> Iterator[tuple[str, Any]]:
    """The members of an object whose keys are text (as plain ``str``), in order: the
    others were reported, and are left out of the copy.
    """
    for key, child in members:
        if isinstance(key, str) and text_problem(key) is None:
            yield (key if type(key) is str else str.__str__(key)), child


def unknown_fields(
    data: dict[Any, Any], known: frozenset[str], other: frozenset[str], level: int
) -> dict[str, Any] | None:
    """The fields of ``data`` that are not ``known``, copied as ``json_copy`` does, in
    their order; None when the fast decoder must leave ``data`` to the careful one.

    ``other`` holds the other spelling's names: one of them among the unknown keys
    means the object mixes spellings. ``level`` is the level of the values.
    """
    found: dict[str, Any] = {}
    for key, value in data.items():
        if key in known:
            continue
        if type(key) is not str or key in other or (not key.isascii() and not text_ok(key)):
            return None
        if type(value) is str:
            if not value.isascii() and not text_ok(value):
                return None
            found[key] = value
        elif value is None or type(value) is bool:
            found[key] = value
        else:
            copied = _quick_copy(value, level)
            if copied is BAD:
                return None
            found[key] = copied
    return found


def _quick_copy(value: Any, level: int) -> Any:
    """[`json_copy`][purecloud_internal_message._values.json_copy] without error
    reports, faster for the small values unknown fields usually hold.

    It recurses (at most ``MAX_DEPTH`` levels): a RecursionError from a caller
    already deep in the stack reaches the fast decoder, which then leaves the
    input to the careful decoder, whose iterative ``json_copy`` decides the same.
    """
    kind = type(value)
    if kind is str:
        return value if value.isascii() or text_ok(value) else BAD
    if kind is int:
        return value if -INT_BOUND < value < INT_BOUND else BAD
    if kind is float:
        return value if isfinite(value) else BAD
    if value is None or kind is bool:
        return value
    if kind is list:
        if level > MAX_DEPTH:
            return BAD
        copied: list[Any] = [None] * len(value)
        for index, item in enumerate(value):
            if type(item) is str and item.isascii():
                copied[index] = item
            else:
                copied[index] = inner = _quick_copy(item, level + 1)
                if inner is BAD:
                    return BAD
        return copied
    if kind is dict:
        if level > MAX_DEPTH:
            return BAD
        result: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is not str or (not key.isascii() and not text_ok(key)):
                return BAD
            if type(item) is str and item.isascii():
                result[key] = item
            else:
                result[key] = inner = _quick_copy(item, level + 1)
                if inner is BAD:
                    return BAD
        return result
    return json_copy(value, level)  # subclasses, datetimes, the unusual: the general way


# -- copies on the way out: a writer never hands out the model's own containers --


class _TooDeep(Exception):
    """Internal: a value nested deeper than stores allow (or a cycle)."""


def _copier(leaf: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def copy(value: Any, level: int) -> Any:
        if isinstance(value, dict):
            if level > MAX_DEPTH:
                raise _TooDeep
            level += 1
            return {
                key: item if type(item) is str else copy(item, level) for key, item in value.items()
            }
        if isinstance(value, list):
            if level > MAX_DEPTH:
                raise _TooDeep
            level += 1
            return [item if type(item) is str else copy(item, level) for item in value]
        return leaf(value)

    def copy_unknown(value: Any) -> Any:
        # Recursion is fastest for what the stores keep; what was put into the live
        # dict afterwards may be deeper, or a cycle: copied without recursion.
        try:
            return copy(value, 1)
        except (_TooDeep, RecursionError):
            return _copy_iteratively(value, leaf)

    return copy_unknown


def _copy_iteratively(value: Any, leaf: Callable[[Any], Any]) -> Any:
    """A copy of ``value`` in which each container is copied once, so that a
    container held twice, or a cycle, is one in the copy too (as ``copy.deepcopy``
    does); the writers then name the cycle where it is."""
    copies: dict[int, Any] = {}
    holder = [value]
    todo: list[tuple[Any, Any, Any]] = [(holder, 0, value)]
    while todo:
        target, slot, item = todo.pop()
        if not isinstance(item, (dict, list)):
            target[slot] = leaf(item)
            continue
        copied = copies.get(id(item))
        if copied is None:
            if isinstance(item, dict):
                copied = copies[id(item)] = dict.fromkeys(item)  # the values follow
                todo.extend((copied, key, child) for key, child in item.items())
            else:
                copied = copies[id(item)] = list(item)  # the items are replaced below
                todo.extend((copied, index, child) for index, child in enumerate(item))
        target[slot] = copied
    return holder[0]


def _api_leaf(value: Any) -> Any:
    return format_timestamp(value) if isinstance(value, datetime) else value


def _keep(value: Any) -> Any:
    return value


#: A copy for ``to_dict()``: datetimes stay datetimes (the SDK form).
copy_sdk = _copier(_keep)
#: A copy for ``to_api_dict()``: datetimes become the API's timestamp text.
copy_api = _copier(_api_leaf)


class _LeftToTheWriter(ValueError):
    """Internal: what ``copy_wire`` does not copy (the model's writer then hands the
    model to ``JSON.dumps``, which writes it or says what is wrong, and where)."""


def copy_wire(value: dict[str, Any]) -> dict[str, Any]:
    """A copy of a model's unknown fields for ``to_api_json()``: as
    [`copy_api`][purecloud_internal_message._values.copy_api], with floats prepared
    for the JSON writer in use.

    The fast way for what the stores keep (exact JSON types, datetimes). Anything
    else (a value the writer refuses, a subclass, nesting deeper than the stores
    allow, a cycle) raises ValueError or TypeError: the caller then writes the
    model through ``JSON.dumps``, which checks everything and words the refusal
    with its path.
    """
    return _copy_wire(value, 1)  # type: ignore[no-any-return]


def _copy_wire(value: Any, level: int) -> Any:
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return value
    if kind is dict:
        if level > MAX_DEPTH:
            raise _LeftToTheWriter
        result = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _LeftToTheWriter
            result[key] = item if type(item) is str else _copy_wire(item, level + 1)
        return result
    if kind is list:
        if level > MAX_DEPTH:
            raise _LeftToTheWriter
        return [item if type(item) is str else _copy_wire(item, level + 1) for item in value]
    if kind is float:
        return JSON.wire_float(value)  # raises for NaN and infinities
    if kind is int:
        if -INT_BOUND < value < INT_BOUND:
            return value
        raise _LeftToTheWriter
    if isinstance(value, datetime):
        return format_timestamp(value)
    raise _LeftToTheWriter
