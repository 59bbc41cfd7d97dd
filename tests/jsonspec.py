"""What the JSON tests compare with: strict equality of JSON values, the writers' options
as a strategy, and ``json.dumps`` as the specification of every writer's text."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from hypothesis import strategies as st

SEPARATORS = st.tuples(
    st.sampled_from([",", ", ", " ,", "\t,\n"]), st.sampled_from([":", ": ", " : ", "\r:"])
)
#: Keyword arguments of the writers, each present or not.
OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "indent": st.none() | st.integers(0, 3) | st.sampled_from(["", "\t", " \n"]),
        "separators": st.none() | SEPARATORS,
        "sort_keys": st.booleans(),
        "ensure_ascii": st.booleans(),
    },
)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def same(a: Any, b: Any, ordered: bool = True) -> bool:
    """Equality that tells 1, 1.0 and True apart, and -0.0 from 0.0, and (when
    ``ordered``) sees key order. Iterative: the values may be nested 100,000 deep.
    """
    pending = [(a, b)]
    while pending:
        x, y = pending.pop()
        if type(x) is not type(y):
            return False
        if type(x) is float:
            if not (x == y and math.copysign(1.0, x) == math.copysign(1.0, y)):
                return False
        elif type(x) is list:
            if len(x) != len(y):
                return False
            pending.extend(zip(x, y, strict=True))
        elif type(x) is dict:
            if (list(x) != list(y)) if ordered else (sorted(x) != sorted(y)):
                return False
            pending.extend((x[key], y[key]) for key in x)
        elif x != y:
            return False
    return True


def json_dumps(value: Any, options: dict[str, Any], **defaults: Any) -> str:
    """``json.dumps(value)`` with ``defaults`` and then ``options`` (a None option
    leaves the default): the specification of every writer's text, except that a
    lone surrogate is never written raw but as its escape."""
    given = {**defaults, **{name: option for name, option in options.items() if option is not None}}
    written = json.dumps(value, allow_nan=False, **given)
    return _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", written)


def compact_json_dumps(value: Any, options: dict[str, Any]) -> str:
    """[json_dumps][] with the defaults of the package's writers (compact, UTF-8 text)."""
    return json_dumps(value, options, separators=(",", ":"), ensure_ascii=False)
