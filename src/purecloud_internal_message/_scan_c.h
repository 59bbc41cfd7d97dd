/*
 * Where a JSON value ends, found without building it: the compiled scanner.
 *
 * The C twin of _scan_py.py, which states the contract; the results are the
 * same, byte for byte, and the tests compare them. _scan_c.pyx is the thin
 * Python face over these functions. Positions are byte offsets into s, of which
 * only s[pos:end] is read; the caller checks 0 <= pos <= end <= len.
 */
#ifndef PIM_SCAN_C_H
#define PIM_SCAN_C_H

#include <Python.h>
#include <string.h>

#define PIM_NEED_MORE (-1)
#define PIM_INVALID (-2)
#define PIM_NO_MEMORY (-3)

#define PIM_END 0
#define PIM_PARTICIPANTS 1
#define PIM_ENTITIES 2
#define PIM_INTERNAL_MESSAGES 4
#define PIM_ESCAPED_KEY 8
#define PIM_STOP 16

/* The arrays elements() reads. */
#define PIM_ANY_ARRAY 0
#define PIM_PARTICIPANTS_ARRAY 1
#define PIM_MESSAGES_ARRAY 2

/* Short of the value's end: more may come, unless this is the end of the input. */
#define PIM_SHORT(final) ((final) ? PIM_INVALID : PIM_NEED_MORE)

static inline int pim_is_ws(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static inline int pim_is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static inline int pim_is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline Py_ssize_t pim_skip_ws(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end)
{
    while (pos < end && pim_is_ws(s[pos])) {
        pos++;
    }
    return pos;
}

/* The string whose opening quote is at pos: the offset after its closing quote.
 * Sets *escaped when it holds a backslash. */
static Py_ssize_t pim_string_end(
    const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, int final, int *escaped)
{
    Py_ssize_t i;
    unsigned char c;

    pos++;
    for (;;) {
        while (pos < end) {
            c = s[pos];
            if (c == '"' || c == '\\' || c < 0x20) {
                break;
            }
            pos++;
        }
        if (pos >= end) {
            return PIM_SHORT(final);
        }
        c = s[pos];
        if (c == '"') {
            return pos + 1;
        }
        if (c < 0x20) {
            return PIM_INVALID; /* a control character */
        }
        *escaped = 1;
        if (pos + 1 >= end) {
            return PIM_SHORT(final);
        }
        switch (s[pos + 1]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
            pos += 2;
            break;
        case 'u':
            for (i = 2; i < 6; i++) {
                if (pos + i >= end) {
                    return PIM_SHORT(final);
                }
                if (!pim_is_hex(s[pos + i])) {
                    return PIM_INVALID;
                }
            }
            pos += 6;
            break;
        default:
            return PIM_INVALID;
        }
    }
}

/* The longest number at pos, as the grammar's regular expression
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? reads it: a fraction or an
 * exponent is taken only whole. Reaching end, it may go on (unless final). */
static Py_ssize_t pim_number_end(
    const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, int final)
{
    Py_ssize_t p = pos, q;

    if (s[p] == '-') {
        p++;
        if (p >= end) {
            return PIM_SHORT(final);
        }
    }
    if (s[p] == '0') {
        p++;
    }
    else if (s[p] >= '1' && s[p] <= '9') {
        p++;
        while (p < end && pim_is_digit(s[p])) {
            p++;
        }
    }
    else {
        return PIM_INVALID;
    }
    if (p >= end) {
        return final ? p : PIM_NEED_MORE;
    }
    if (s[p] == '.') {
        if (p + 1 >= end) {
            return final ? p : PIM_NEED_MORE;
        }
        if (!pim_is_digit(s[p + 1])) {
            return p;
        }
        p += 2;
        while (p < end && pim_is_digit(s[p])) {
            p++;
        }
        if (p >= end) {
            return final ? p : PIM_NEED_MORE;
        }
    }
    if (s[p] == 'e' || s[p] == 'E') {
        q = p + 1;
        if (q < end && (s[q] == '+' || s[q] == '-')) {
            q++;
        }
        if (q >= end) {
            return final ? p : PIM_NEED_MORE;
        }
        if (!pim_is_digit(s[q])) {
            return p;
        }
        q++;
        while (q < end && pim_is_digit(s[q])) {
            q++;
        }
        if (q >= end) {
            return final ? q : PIM_NEED_MORE;
        }
        return q;
    }
    return p;
}

static Py_ssize_t pim_literal_end(
    const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, int final, const char *word,
    Py_ssize_t length)
{
    Py_ssize_t i;

    for (i = 0; i < length; i++) {
        if (pos + i >= end) {
            return PIM_SHORT(final);
        }
        if (s[pos + i] != (unsigned char)word[i]) {
            return PIM_INVALID;
        }
    }
    return pos + length;
}

/* The open containers of pim_value_end: '{' or '[' each, innermost last. On the
 * C stack up to a depth that real records never reach, on the heap beyond. */
typedef struct {
    unsigned char *items;
    Py_ssize_t depth;
    Py_ssize_t capacity;
    unsigned char local[64];
} pim_stack;

static int pim_push(pim_stack *stack, unsigned char kind)
{
    unsigned char *grown;

    if (stack->depth == stack->capacity) {
        if (stack->items == stack->local) {
            grown = (unsigned char *)PyMem_Malloc((size_t)stack->capacity * 2);
            if (grown != NULL) {
                memcpy(grown, stack->local, (size_t)stack->capacity);
            }
        }
        else {
            grown = (unsigned char *)PyMem_Realloc(stack->items, (size_t)stack->capacity * 2);
        }
        if (grown == NULL) {
            return -1;
        }
        stack->items = grown;
        stack->capacity *= 2;
    }
    stack->items[stack->depth++] = kind;
    return 0;
}

static Py_ssize_t pim_value_end(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, int final)
{
    pim_stack stack;
    Py_ssize_t result;
    int escaped = 0;
    unsigned char c;

    stack.items = stack.local;
    stack.depth = 0;
    stack.capacity = (Py_ssize_t)sizeof(stack.local);

value: /* a value starts at pos */
    if (pos >= end) {
        goto short_of_end;
    }
    switch (s[pos]) {
    case '"':
        pos = pim_string_end(s, pos, end, final, &escaped);
        if (pos < 0) {
            result = pos;
            goto done;
        }
        break;
    case '{':
        pos = pim_skip_ws(s, pos + 1, end);
        if (pos < end && s[pos] == '}') {
            pos++;
            break;
        }
        if (pim_push(&stack, '{') < 0) {
            result = PIM_NO_MEMORY;
            goto done;
        }
        goto key;
    case '[':
        pos = pim_skip_ws(s, pos + 1, end);
        if (pos < end && s[pos] == ']') {
            pos++;
            break;
        }
        if (pim_push(&stack, '[') < 0) {
            result = PIM_NO_MEMORY;
            goto done;
        }
        goto value;
    case 't':
        pos = pim_literal_end(s, pos, end, final, "true", 4);
        break;
    case 'f':
        pos = pim_literal_end(s, pos, end, final, "false", 5);
        break;
    case 'n':
        pos = pim_literal_end(s, pos, end, final, "null", 4);
        break;
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        pos = pim_number_end(s, pos, end, final);
        break;
    default:
        result = PIM_INVALID;
        goto done;
    }
    if (pos < 0) {
        result = pos;
        goto done;
    }

after: /* a value ended at pos */
    if (stack.depth == 0) {
        result = pos;
        goto done;
    }
    pos = pim_skip_ws(s, pos, end);
    if (pos >= end) {
        goto short_of_end;
    }
    c = s[pos];
    if (stack.items[stack.depth - 1] == '{') {
        if (c == ',') {
            pos = pim_skip_ws(s, pos + 1, end);
            goto key;
        }
        if (c != '}') {
            result = PIM_INVALID;
            goto done;
        }
    }
    else {
        if (c == ',') {
            pos = pim_skip_ws(s, pos + 1, end);
            goto value;
        }
        if (c != ']') {
            result = PIM_INVALID;
            goto done;
        }
    }
    stack.depth--;
    pos++;
    goto after;

key: /* a member's key starts at pos */
    if (pos >= end) {
        goto short_of_end;
    }
    if (s[pos] != '"') {
        result = PIM_INVALID;
        goto done;
    }
    pos = pim_string_end(s, pos, end, final, &escaped);
    if (pos < 0) {
        result = pos;
        goto done;
    }
    pos = pim_skip_ws(s, pos, end);
    if (pos >= end) {
        goto short_of_end;
    }
    if (s[pos] != ':') {
        result = PIM_INVALID;
        goto done;
    }
    pos = pim_skip_ws(s, pos + 1, end);
    goto value;

short_of_end:
    result = PIM_SHORT(final);

done:
    if (stack.items != stack.local) {
        PyMem_Free(stack.items);
    }
    return result;
}

/* The name of a key written without escapes, as a bit (0 for any other key). */
static inline int pim_key_name(const unsigned char *key, Py_ssize_t length)
{
    if (length == 12 && memcmp(key, "participants", 12) == 0) {
        return PIM_PARTICIPANTS;
    }
    if (length == 8 && memcmp(key, "entities", 8) == 0) {
        return PIM_ENTITIES;
    }
    if (length == 16 && memcmp(key, "internalMessages", 16) == 0) {
        return PIM_INTERNAL_MESSAGES;
    }
    return 0;
}

/* members() of _scan_py: the status, with (a, b) in *a and *b. */
static int pim_members(
    const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, int final, int wanted, int first,
    Py_ssize_t *a, Py_ssize_t *b)
{
    Py_ssize_t resume = pos, start, key_end, colon, value, after;
    int escaped, name;

    for (;;) {
        start = pim_skip_ws(s, pos, end);
        if (start >= end) {
            break;
        }
        if (s[start] == '}' && first) {
            *a = start + 1;
            *b = 0;
            return PIM_END;
        }
        if (s[start] != '"') {
            *a = resume;
            *b = first;
            return PIM_INVALID;
        }
        escaped = 0;
        key_end = pim_string_end(s, start, end, final, &escaped);
        if (key_end < 0) {
            *a = resume;
            *b = first;
            return (int)key_end;
        }
        colon = pim_skip_ws(s, key_end, end);
        if (colon >= end) {
            break;
        }
        if (s[colon] != ':') {
            *a = resume;
            *b = first;
            return PIM_INVALID;
        }
        value = pim_skip_ws(s, colon + 1, end);
        if (value >= end) {
            break;
        }
        if (escaped) {
            *a = start;
            *b = value;
            return PIM_ESCAPED_KEY;
        }
        name = pim_key_name(s + start + 1, key_end - start - 2);
        if (name & wanted) {
            *a = start;
            *b = value;
            return name;
        }
        after = pim_value_end(s, value, end, final);
        if (after < 0) {
            *a = resume;
            *b = first;
            return (int)after;
        }
        after = pim_skip_ws(s, after, end);
        if (after >= end) {
            break;
        }
        if (s[after] == ',') {
            pos = resume = pim_skip_ws(s, after + 1, end);
            first = 0;
            continue;
        }
        if (s[after] == '}') {
            *a = after + 1;
            *b = 0;
            return PIM_END;
        }
        *a = resume;
        *b = first;
        return PIM_INVALID;
    }
    *a = resume;
    *b = first;
    return PIM_SHORT(final);
}

/* Whether the object at pos ('{') is one the walker need not look into (see
 * elements() of _scan_py): the offset after it if so, PIM_STOP if not, or
 * PIM_NEED_MORE / PIM_INVALID. */
static Py_ssize_t pim_plain_object(
    const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, int final, int kind)
{
    Py_ssize_t key_end, colon, value, after;
    int escaped, name, messages;

    pos = pim_skip_ws(s, pos + 1, end);
    if (pos >= end) {
        return PIM_SHORT(final);
    }
    if (s[pos] == '}') {
        return pos + 1;
    }
    for (;;) {
        if (s[pos] != '"') {
            return PIM_INVALID;
        }
        escaped = 0;
        key_end = pim_string_end(s, pos, end, final, &escaped);
        if (key_end < 0) {
            return key_end;
        }
        colon = pim_skip_ws(s, key_end, end);
        if (colon >= end) {
            return PIM_SHORT(final);
        }
        if (s[colon] != ':') {
            return PIM_INVALID;
        }
        value = pim_skip_ws(s, colon + 1, end);
        if (value >= end) {
            return PIM_SHORT(final);
        }
        if (escaped) {
            return PIM_STOP;
        }
        name = pim_key_name(s + pos + 1, key_end - pos - 2);
        if (kind == PIM_ANY_ARRAY
            && (name == PIM_PARTICIPANTS || (name == PIM_ENTITIES && s[value] == '['))) {
            return PIM_STOP;
        }
        messages = kind == PIM_PARTICIPANTS_ARRAY && name == PIM_INTERNAL_MESSAGES;
        if (messages && s[value] != 'n') {
            return PIM_STOP; /* a participant's internalMessages, not null */
        }
        after = pim_value_end(s, value, end, final);
        if (after < 0) {
            return after;
        }
        if (messages && after - value != 4) {
            return PIM_STOP; /* not null after all */
        }
        pos = pim_skip_ws(s, after, end);
        if (pos >= end) {
            return PIM_SHORT(final);
        }
        if (s[pos] == '}') {
            return pos + 1;
        }
        if (s[pos] != ',') {
            return PIM_INVALID;
        }
        pos = pim_skip_ws(s, pos + 1, end);
        if (pos >= end) {
            return PIM_SHORT(final);
        }
    }
}

/* Called by pim_elements with each record's start and end, and the line feeds
 * from the pos it was given up to the start; nonzero stops it (an error). */
typedef int (*pim_span_sink)(void *context, Py_ssize_t start, Py_ssize_t end, Py_ssize_t lines);

static inline Py_ssize_t pim_count_lines(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end)
{
    Py_ssize_t count = 0;

    for (; pos < end; pos++) {
        count += s[pos] == '\n';
    }
    return count;
}

/* elements() of _scan_py: the status, with (a, b) in *a and *b, each record
 * given to sink. */
static int pim_elements(
    const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, int final, int kind, int first,
    Py_ssize_t *a, Py_ssize_t *b, pim_span_sink sink, void *context)
{
    Py_ssize_t resume = pos, count = 0, counted = pos, lines = 0, start, after;
    int status = 0;

    for (;;) {
        start = pim_skip_ws(s, pos, end);
        if (start >= end) {
            status = PIM_SHORT(final);
            break;
        }
        if (s[start] == ']' && first && count == 0) {
            *a = start + 1;
            *b = 0;
            return PIM_END;
        }
        if (kind == PIM_MESSAGES_ARRAY) {
            after = pim_value_end(s, start, end, final);
        }
        else if (s[start] == '{') {
            after = pim_plain_object(s, start, end, final, kind);
        }
        else {
            after = PIM_STOP;
        }
        if (after == PIM_STOP) {
            *a = start;
            *b = count;
            return PIM_STOP;
        }
        if (after < 0) {
            status = (int)after;
            break;
        }
        pos = pim_skip_ws(s, after, end);
        if (pos >= end) {
            status = PIM_SHORT(final);
            break;
        }
        if (s[pos] != ',' && s[pos] != ']') {
            /* Left to the walker, which reads the element and then reports what follows. */
            *a = start;
            *b = count;
            return PIM_STOP;
        }
        if (kind != PIM_PARTICIPANTS_ARRAY) {
            lines += pim_count_lines(s, counted, start);
            counted = start;
            if (sink(context, start, after, lines) != 0) {
                return PIM_NO_MEMORY;
            }
        }
        count++;
        if (s[pos] == ']') {
            *a = pos + 1;
            *b = count;
            return PIM_END;
        }
        pos = resume = pim_skip_ws(s, pos + 1, end);
    }
    /* Short, or invalid: the elements before resume stand; the one from resume
     * on is read again (count says how many came before it). */
    *a = resume;
    *b = count;
    return status;
}

#endif /* PIM_SCAN_C_H */
