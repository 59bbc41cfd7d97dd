# cython: language_level=3, boundscheck=False, wraparound=False
"""Where a JSON value ends, found without building it: the compiled twin of `_scan_py`.

The scanner itself is C, in `_scan_c.h`; this module is its Python face, with
the functions, constants and results of `_scan_py` (which states the contract).
`_scan` chooses between the two.
"""

from cpython cimport array
from cpython.buffer cimport PyBUF_SIMPLE, PyBuffer_Release, PyObject_GetBuffer
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from cpython.mem cimport PyMem_Free
from libc.string cimport memcpy

import array
import io


cdef extern from "Python.h":
    object PyMemoryView_FromMemory(char *mem, Py_ssize_t size, int flags)
    int PyBUF_WRITE


cdef extern from "_scan_c.h":
    const char *pim_scan_source_digest
    Py_ssize_t pim_skip_ws(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end)
    Py_ssize_t pim_value_end(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, int final)
    Py_ssize_t pim_record_end(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, int final)
    int pim_members(
        const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, int final, int wanted,
        int first, Py_ssize_t *a, Py_ssize_t *b)
    ctypedef struct pim_spans:
        Py_ssize_t *items
        Py_ssize_t length
        Py_ssize_t capacity
    ctypedef struct pim_elements_state:
        const unsigned char *s
        Py_ssize_t end
        int final
        pim_spans spans
        Py_ssize_t counted
        Py_ssize_t lines
    int pim_elements(
        pim_elements_state *state, Py_ssize_t pos, int kind, int first, Py_ssize_t *a,
        Py_ssize_t *b)
    Py_ssize_t pim_utf8_prefix(
        const unsigned char *s, Py_ssize_t n, int final, int *invalid, Py_ssize_t *count)
    Py_ssize_t pim_chars(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end)
    int PIM_NEED_MORE, PIM_INVALID, PIM_NO_MEMORY
    int PIM_END, PIM_PARTICIPANTS, PIM_ENTITIES, PIM_INTERNAL_MESSAGES, PIM_ESCAPED_KEY
    int PIM_STOP, PIM_ANY_ARRAY, PIM_PARTICIPANTS_ARRAY, PIM_MESSAGES_ARRAY

from ._codecs_py import COMPILED_DIGEST as _COMPILED_DIGEST
from . import _scan_py
from ._jsonvalues import JSONTextError

# Built from other sources than the written-out codecs record (a stale build): not used.
if _COMPILED_DIGEST != pim_scan_source_digest.decode("ascii"):
    raise ImportError(
        "the compiled scanner was built from other sources than the written-out "
        "Python codecs were generated with: rebuild the package (pip install -e .)"
    )

# The spans' type: signed 64-bit numbers (an array, not a list of ints to allocate).
cdef array.array _NUMBERS = array.array("q")

# The names of _scan_py, with the same values.
NEED_MORE = PIM_NEED_MORE
INVALID = PIM_INVALID
END = PIM_END
PARTICIPANTS = PIM_PARTICIPANTS
ENTITIES = PIM_ENTITIES
INTERNAL_MESSAGES = PIM_INTERNAL_MESSAGES
ESCAPED_KEY = PIM_ESCAPED_KEY
STOP = PIM_STOP
ANY_ARRAY = PIM_ANY_ARRAY
PARTICIPANTS_ARRAY = PIM_PARTICIPANTS_ARRAY
MESSAGES_ARRAY = PIM_MESSAGES_ARRAY
TEXT_STREAM = _scan_py.TEXT_STREAM


cdef inline const unsigned char *_text(bytes buf, Py_ssize_t pos, Py_ssize_t end) except NULL:
    if not 0 <= pos <= end <= len(buf):
        raise ValueError(f"positions out of range: pos={pos}, end={end}, len={len(buf)}")
    return <const unsigned char *> (<char *> buf)


def skip_ws(bytes buf not None, Py_ssize_t pos, Py_ssize_t end):
    """See `_scan_py.skip_ws`."""
    return pim_skip_ws(_text(buf, pos, end), pos, end)


def value_end(bytes buf not None, Py_ssize_t pos, Py_ssize_t end, bint final):
    """See `_scan_py.value_end`."""
    cdef Py_ssize_t result = pim_value_end(_text(buf, pos, end), pos, end, final)
    if result == PIM_NO_MEMORY:
        raise MemoryError()
    return result


def record_end(bytes buf not None, Py_ssize_t pos, Py_ssize_t end, bint final):
    """See `_scan_py.record_end`."""
    cdef Py_ssize_t result = pim_record_end(_text(buf, pos, end), pos, end, final)
    if result == PIM_NO_MEMORY:
        raise MemoryError()
    return result


def members(
    bytes buf not None, Py_ssize_t pos, Py_ssize_t end, bint final, int wanted, int first
):
    """See `_scan_py.members`."""
    cdef Py_ssize_t a = 0, b = 0
    cdef int status = pim_members(_text(buf, pos, end), pos, end, final, wanted, first, &a, &b)
    if status == PIM_NO_MEMORY:
        raise MemoryError()
    return (status, a, b)


def elements(
    bytes buf not None, Py_ssize_t pos, Py_ssize_t end, bint final, int kind, int first
):
    """See `_scan_py.elements`."""
    cdef pim_elements_state state
    cdef Py_ssize_t a = 0, b = 0, i
    cdef int status
    cdef array.array spans
    state.s = _text(buf, pos, end)
    state.end = end
    state.final = final
    state.spans.items = NULL
    state.spans.length = 0
    state.spans.capacity = 0
    state.counted = pos
    state.lines = 0
    try:
        status = pim_elements(&state, pos, kind, first, &a, &b)
        if status == PIM_NO_MEMORY:
            raise MemoryError()
        spans = array.clone(_NUMBERS, state.spans.length, zero=False)
        for i in range(state.spans.length):
            spans.data.as_longlongs[i] = state.spans.items[i]
    finally:
        PyMem_Free(state.spans.items)
    return (status, a, b, spans)


def utf8_prefix(bytes buf not None, Py_ssize_t start, bint final):
    """See `_scan_py.utf8_prefix`."""
    cdef int invalid = 0
    cdef Py_ssize_t count = 0, length
    cdef const unsigned char *s = _text(buf, start, len(buf))
    length = pim_utf8_prefix(s + start, len(buf) - start, final, &invalid, &count)
    return (start + length, bool(invalid), count)


# The streams read straight into a new window: the standard library's, whose readinto
# fills the buffer it is given and keeps no hold of it.
_READ_INTO = (io.BufferedReader, io.BytesIO, io.FileIO)


def read_into(head not None, stream, Py_ssize_t size):
    """See `_scan_py.read_into`."""
    cdef Py_buffer kept
    cdef Py_ssize_t length, got
    cdef bytes window
    cdef char *at
    if type(stream) not in _READ_INTO:
        return _scan_py.read_into(head, stream, size)
    if size < 0:
        raise ValueError(f"size must not be negative, got {size}")
    # A new bytes object, filled before anyone else sees it (as CPython's own
    # BufferedReader.read fills one through its raw stream's readinto).
    PyObject_GetBuffer(head, &kept, PyBUF_SIMPLE)
    try:
        length = kept.len
        window = PyBytes_FromStringAndSize(NULL, length + size)
        at = PyBytes_AS_STRING(window)
        memcpy(at, kept.buf, length)
    finally:
        PyBuffer_Release(&kept)
    view = PyMemoryView_FromMemory(at + length, size, PyBUF_WRITE)
    try:
        read = stream.readinto(view)
    finally:
        view.release()
    got = 0 if read is None else read  # (None: a non-blocking stream with nothing yet)
    if not 0 <= got <= size:
        raise OSError(f"readinto returned {got} for a buffer of {size} bytes")
    if got < size:
        window = window[: length + got]
    return (window, got)


def chars(bytes buf not None, Py_ssize_t pos, Py_ssize_t end):
    """See `_scan_py.chars`."""
    return pim_chars(_text(buf, pos, end), pos, end)


cdef class Records:
    """See `_scan_py.Records`."""

    cdef bytes buf
    cdef array.array spans
    cdef tuple where
    cdef Py_ssize_t index, line, next
    cdef object parse
    cdef public Py_ssize_t at

    def __init__(
        self, bytes buf not None, array.array spans not None, tuple where not None, Py_ssize_t index,
        Py_ssize_t line, parse
    ):
        if spans.typecode != _NUMBERS.typecode or len(spans) % 6:
            raise ValueError("spans come as an array('q'), six numbers a record")
        self.buf = buf
        self.spans = spans
        self.where = where
        self.index = index
        self.line = line
        self.parse = parse
        self.next = 0
        self.at = -1

    def __iter__(self):
        return self

    def __next__(self):
        cdef Py_ssize_t i = self.next, start, end, lines, element, participant, inner
        cdef long long *span
        if i >= len(self.spans):
            raise StopIteration
        self.next = i + 6
        span = self.spans.data.as_longlongs + i
        start = <Py_ssize_t> span[0]
        end = <Py_ssize_t> span[1]
        lines = <Py_ssize_t> span[2]
        element = <Py_ssize_t> span[3]
        participant = <Py_ssize_t> span[4]
        inner = <Py_ssize_t> span[5]
        if not 0 <= start <= end <= len(self.buf):
            raise ValueError(f"a span out of range: {start}, {end}")
        text = PyBytes_FromStringAndSize(PyBytes_AS_STRING(self.buf) + start, end - start)
        try:
            data = self.parse(text)
        except JSONTextError:
            self.next = len(self.spans)
            self.at = start
            raise
        if inner < 0:
            loc = self.where + (self.index + element,)
        elif participant < 0:
            loc = self.where + (self.index + element, "internalMessages", inner)
        else:
            loc = self.where + (
                self.index + element, "participants", participant, "internalMessages", inner
            )
        return (self.line + lines, data, loc, text)
