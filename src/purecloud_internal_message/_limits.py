"""The limits on what decoding accepts, so that everything accepted can be written back.

Every writer (``to_dict``, ``to_api_json``, ``repr``, ``pickle``, ``copy.deepcopy``,
Arrow) walks nested values, most of them by recursion, and Python's stack is
finite: with the default recursion limit, ``pprint.pformat`` (what ``repr``
uses) manages about 330 levels of nesting at top level and 264 when called 200
frames deep; ``copy.deepcopy`` and ``pickle`` about 400-500. Decoding refuses
anything nested deeper than [`MAX_DEPTH`][purecloud_internal_message._limits.MAX_DEPTH],
which leaves every writer a margin of more than 2.5x even deep inside a web
framework. The limit is counted by the decoder itself, without recursion, so it
does not depend on the caller's stack or on ``sys.getrecursionlimit()``.

Integers are limited for the same reason: Python refuses to turn an ``int`` of
more digits than ``sys.get_int_max_str_digits()`` into text, so a huge number
could be decoded but never written. An application may lower that setting, but
never below 640 digits (``sys.int_info.str_digits_check_threshold``), so 640 is
the most that can always be written. The package never changes the setting.
"""

from __future__ import annotations

__all__ = ["INT_BOUND", "MAX_DEPTH", "MAX_INT_DIGITS", "depth_message", "int_message"]

#: The deepest nesting decoding accepts: the record itself is level 1, a list or
#: object directly inside it level 2, and so on.
MAX_DEPTH = 100

#: The most decimal digits an integer in an unknown field may have.
MAX_INT_DIGITS = 640

#: Integers ``x`` with ``-INT_BOUND < x < INT_BOUND`` have at most ``MAX_INT_DIGITS`` digits.
INT_BOUND = 10**MAX_INT_DIGITS


def depth_message() -> str:
    """What a ValidationError says about a value nested too deeply."""
    return f"nested more than {MAX_DEPTH} levels deep (the limit)"


def int_message() -> str:
    """What a ValidationError says about an integer too long to write back."""
    return f"integer with more than {MAX_INT_DIGITS} digits (the limit)"
