"""Whether the garbage collector watches a model instance.

The collector scans every object that can hold references, and the time it
spends grows with how many of them a program keeps: a decoded record of 10,000
messages is 10,000 objects for each collection to walk while it is alive. An
instance that holds only strings, datetimes and None can never be part of a
reference cycle, so the compiled decoders take such instances (of the models
whose fields are all strings and timestamps, decoded without unknown fields) off
the collector's list, as CPython does for tuples and dicts of atomic values and
msgspec for its Structs.

Every public way of storing into an existing instance (a property setter,
`additional_properties`, `__init__` called again, `__setstate__`) puts it back on
the list first, through [track_again][]: after that it may hold a container, and
a cycle through it must stay collectable. Until the compiled codecs load, nothing
is ever untracked and `track_again` does nothing.
"""

from __future__ import annotations


def _nothing_untracked(model: object, /) -> None:
    """Nothing is untracked without the compiled codecs: nothing to do."""


#: Put ``model`` back under the collector's watch if a compiled decoder took it
#: off. Replaced by the compiled module's function when it loads; looked up on
#: this module at each call for that reason.
track_again = _nothing_untracked
