"""Arrow columns of models: the encoder in use, and the pyarrow arrays of its buffers.

Two encoders turn records into the buffers of Arrow columns (see `_columns_py`
for the layout): the compiled one, generated into ``_codecs_c`` for the
package's models, and its pure-Python twin, for every model. The compiled one
is used when the compiled codecs are (``ACCELERATED``) and it knows the model;
both give equal columns. This module picks one
([`builder`][purecloud_internal_message._columns.builder]) and hands what it
gives to pyarrow without a copy, ``Array.from_buffers`` per column
([`Assembler`][purecloud_internal_message._columns.Assembler]): no value passes
through Python on the way, and neither pandas nor ``pyarrow.compute`` is
imported (``pyarrow.array`` of a list would import pandas).
"""

from __future__ import annotations

import pyarrow as pa

from . import _columns_py
from ._codecs import ACCELERATED
from ._columns_py import Unfit

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

    from ._columns_py import Column
    from ._model import Model

__all__ = ["COMPILED", "Assembler", "Unfit", "builder"]


def _compiled_builders() -> Any:  # the ColumnBuilder class; the compiled module has no stub
    if ACCELERATED:
        from . import _codecs_c

        module: Any = _codecs_c  # no stub: the extension's names are not known to mypy
        return module.ColumnBuilder
    return None


_COMPILED_BUILDER = _compiled_builders()

#: Whether the compiled encoder is the one in use (for the package's models).
COMPILED: bool = _COMPILED_BUILDER is not None


def builder(model: type[Model], unit: str, *, compiled: bool | None = None) -> Any:
    """A column builder of ``model`` records: ``append(item, note)``, ``extend(items)``,
    ``rows`` and ``take()`` (see `_columns_py.Builder`).

    The compiled one when it is in use and knows ``model`` (``compiled=False``
    asks for the pure twin, ``True`` insists on the compiled one: for tests).
    """
    if compiled is None:
        compiled = COMPILED and _COMPILED_BUILDER.knows(model)
    if compiled:
        return _COMPILED_BUILDER(model, unit)
    return _columns_py.Builder(model, unit)


class Assembler:
    """The arrays of a schema's columns from an encoder's buffers, without copying them.

    Built once per schema: a function per column, in the layout's order, each
    taking the buffers of its column (and its children's).
    """

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self._top = [_node(field.type) for field in schema]

    def arrays(self, columns: list[Column]) -> list[pa.Array]:
        """The schema's top-level arrays of ``columns`` (a builder's ``take()``)."""
        feed = iter(columns)
        arrays = [node(feed) for node in self._top]
        if next(feed, None) is not None:
            raise AssertionError("the encoder gave more columns than the schema has")
        return arrays

    def batch(self, columns: list[Column]) -> pa.RecordBatch:
        """The record batch of ``columns``."""
        return pa.RecordBatch.from_arrays(self.arrays(columns), schema=self.schema)


def _buffer(data: bytes | None) -> pa.Buffer | None:
    return None if data is None else pa.py_buffer(data)


def _node(kind: pa.DataType) -> Callable[[Iterator[Column]], pa.Array]:
    """The function that makes the array of a ``kind`` column from the columns that
    follow in the layout (it takes its own and its children's)."""
    if pa.types.is_string(kind):

        def node(feed: Iterator[Column]) -> pa.Array:
            length, nulls, valid, values, data = next(feed)
            buffers = [_buffer(valid), _buffer(values), _buffer(data)]
            return pa.Array.from_buffers(kind, length, buffers, nulls)

    elif pa.types.is_timestamp(kind):

        def node(feed: Iterator[Column]) -> pa.Array:
            length, nulls, valid, values, _ = next(feed)
            return pa.Array.from_buffers(kind, length, [_buffer(valid), _buffer(values)], nulls)

    elif pa.types.is_struct(kind):
        children = [_node(field.type) for field in kind]

        def node(feed: Iterator[Column]) -> pa.Array:
            length, nulls, valid, _, _ = next(feed)
            inner = [child(feed) for child in children]
            return pa.Array.from_buffers(kind, length, [_buffer(valid)], nulls, children=inner)

    elif pa.types.is_list(kind):
        element = _node(kind.value_type)

        def node(feed: Iterator[Column]) -> pa.Array:
            length, nulls, valid, values, _ = next(feed)
            inner = [element(feed)]
            buffers = [_buffer(valid), _buffer(values)]
            return pa.Array.from_buffers(kind, length, buffers, nulls, children=inner)

    else:  # pragma: no cover - arrow_schema makes no other type
        raise TypeError(f"no column of type {kind}")
    return node
