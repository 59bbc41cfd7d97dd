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
#include <stdint.h>
#include <string.h>
#include "_jsonbytes_c.h" /* blanks, strings, UTF-8 */

/* The digest of the files the compiled extensions are built from, which setup.py
   passes as -DPIM_SOURCE_DIGEST=<hex> (_codegen/digest.py): _scan_c.pyx refuses to
   load when it differs from _codecs_py.COMPILED_DIGEST, so that a scanner edited
   without a rebuild is not used. */
#define PIM_SCAN_STRING_(token) #token
#define PIM_SCAN_STRING(token) PIM_SCAN_STRING_(token)
#ifdef PIM_SOURCE_DIGEST
static const char *const pim_scan_source_digest = PIM_SCAN_STRING(PIM_SOURCE_DIGEST);
#else
static const char *const pim_scan_source_digest = "";
#endif

#define PIM_NO_MEMORY (-3)
/* Not an offset: the element at hand is for the walker to read (see elements()). */
#define PIM_WALKER (-4)

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

static inline int pim_is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

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
    case '[':
        c = s[pos];
        pos = pim_skip_ws(s, pos + 1, end);
        if (pos < end && s[pos] == (c == '{' ? '}' : ']')) {
            pos++; /* empty */
            break;
        }
        if (pim_push(&stack, c) < 0) {
            result = PIM_NO_MEMORY;
            goto done;
        }
        if (c == '{') {
            goto key;
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

/* -- a record's end, found by its brackets ------------------------------------------------ */

/* Brackets read one byte at a time from pos to end, on from *depth (the brackets
 * open) and *string (1 inside a string, 2 there just after a backslash, else 0): the
 * offset past the bracket that closes the first, or -1 when end comes first. A
 * backslash in a string escapes the byte after it, whatever it is. */
static Py_ssize_t pim_brackets(
    const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, Py_ssize_t *depth, int *string)
{
    unsigned char c;

    for (; pos < end; pos++) {
        c = s[pos];
        if (*string) {
            *string = *string == 2 ? 1 : c == '\\' ? 2 : c != '"';
        }
        else if (c == '"') {
            *string = 1;
        }
        else if ((c | 0x20) == '{') { /* '{' or '[' (0x5b) */
            ++*depth;
        }
        else if ((c | 0x20) == '}' && --*depth == 0) { /* '}' or ']' (0x5d) */
            return pos + 1;
        }
    }
    return -1;
}

#ifdef PIM_SIXTEEN
/* The bits of the sixteen bytes at p equal to c. */
#define PIM_BITS(bytes, c) ((uint64_t)(unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8((bytes), _mm_set1_epi8(c))))

/* Where each of the 64 bytes at p is a quote, an opener or a closer, and whether any
 * is a backslash. */
static inline void pim_block(
    const unsigned char *p, uint64_t *quotes, int *backslash, uint64_t *openers,
    uint64_t *closers)
{
    __m128i backslashes = _mm_setzero_si128();
    int k;

    *quotes = *openers = *closers = 0;
    for (k = 0; k < 64; k += 16) {
        const __m128i bytes = _mm_loadu_si128((const __m128i *)(p + k));
        const __m128i folded = _mm_or_si128(bytes, _mm_set1_epi8(0x20)); /* [ -> {, ] -> } */
        *quotes |= PIM_BITS(bytes, '"') << k;
        *openers |= PIM_BITS(folded, '{') << k;
        *closers |= PIM_BITS(folded, '}') << k;
        backslashes = _mm_or_si128(backslashes, _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\')));
    }
    *backslash = _mm_movemask_epi8(backslashes) != 0;
}
#undef PIM_BITS
#endif

/* Where the object at pos ('{') ends if its text is JSON: past the bracket that
 * closes it, strings skipped (pim_brackets' rule); -1 when end comes first. Nothing
 * else is checked: the caller parses the text, which checks it all. With SSE2, 64
 * bytes at a time (simdjson's idea): the bits inside strings are the running
 * parity of the quotes, and only the brackets outside them are read one by one. A
 * block with a backslash (rare, and it may escape a quote) is read a byte at a
 * time, as is the tail. */
static Py_ssize_t pim_balanced_end(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end)
{
    Py_ssize_t depth = 0;
    int string = 0;
#ifdef PIM_SIXTEEN
    uint64_t quotes, openers, closers, inside, brackets, bit;
    Py_ssize_t after;
    int backslash;

    for (; pos + 64 <= end; pos += 64) {
        pim_block(s + pos, &quotes, &backslash, &openers, &closers);
        if (backslash || string == 2) {
            after = pim_brackets(s, pos, pos + 64, &depth, &string);
            if (after >= 0) {
                return after;
            }
            continue;
        }
        /* Bit i: an odd number of quotes up to i, so inside a string (or its opening quote). */
        inside = quotes ^ (quotes << 1);
        inside ^= inside << 2;
        inside ^= inside << 4;
        inside ^= inside << 8;
        inside ^= inside << 16;
        inside ^= inside << 32;
        if (string) {
            inside = ~inside;
        }
        string = (int)(inside >> 63);
        openers &= ~inside;
        closers &= ~inside;
        /* (Counting the block's brackets first, to skip it whole, costs more than
         * this: a record's blocks hold a few each.) */
        for (brackets = openers | closers; brackets; brackets ^= bit) {
            bit = brackets & (0 - brackets);
            if (openers & bit) {
                depth++;
            }
            else if (--depth == 0) {
                return pos + __builtin_ctzll(bit) + 1;
            }
        }
    }
#endif
    return pim_brackets(s, pos, end, &depth, &string);
}

/* Where a record at pos ends: the object's end by its brackets when it has one before
 * end, else what pim_value_end says (so a value the window cuts, or that is not an
 * object, is read as any other). record_end() of _scan_py. */
static Py_ssize_t pim_record_end(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, int final)
{
    Py_ssize_t after = pos < end && s[pos] == '{' ? pim_balanced_end(s, pos, end) : -1;

    return after >= 0 ? after : pim_value_end(s, pos, end, final);
}

/* The records elements() finds: six numbers each (see _scan_py.elements). */
#define PIM_SPAN 6
typedef struct {
    Py_ssize_t *items;
    Py_ssize_t length;
    Py_ssize_t capacity;
} pim_spans;

/* Where elements() is: the records found, and the line feeds counted so far. */
typedef struct {
    const unsigned char *s;
    Py_ssize_t end;
    int final;
    pim_spans spans;
    Py_ssize_t counted; /* line feeds are counted up to here... */
    Py_ssize_t lines;   /* ...and there are this many from the pos elements() was given */
} pim_elements_state;

/* After a member's value (or an element) at *pos: PIM_COMMA with *pos at the next
 * one (whitespace skipped), PIM_END with *pos past the closer, or PIM_INVALID /
 * short. */
#define PIM_COMMA 1

/* The line feeds in s[pos:end]: memchr finds the first (a minified document has
 * none); the rest are counted sixteen bytes at a time with SSE2 (a pretty-printed
 * document has one every few bytes), else one at a time. */
static Py_ssize_t pim_count_lines(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end)
{
    const unsigned char *first;
    Py_ssize_t count = 0;

    if (pos >= end) {
        return 0;
    }
    first = (const unsigned char *)memchr(s + pos, '\n', (size_t)(end - pos));
    if (first == NULL) {
        return 0;
    }
    pos = first - s;
#ifdef PIM_SIXTEEN
    {
        const __m128i feeds = _mm_set1_epi8('\n');

        for (; pos + 16 <= end; pos += 16) {
            const __m128i bytes = _mm_loadu_si128((const __m128i *)(s + pos));
            count += __builtin_popcount((unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, feeds)));
        }
    }
#endif
    for (; pos < end; pos++) {
        count += s[pos] == '\n';
    }
    return count;
}

/* A record from start to end: element of the array elements() reads, participant
 * (or -1) and index in internalMessages (or -1). Nonzero: out of memory. */
static int pim_add_span(
    pim_elements_state *state, Py_ssize_t start, Py_ssize_t end, Py_ssize_t element,
    Py_ssize_t participant, Py_ssize_t inner)
{
    pim_spans *spans = &state->spans;
    Py_ssize_t *grown, *item;

    state->lines += pim_count_lines(state->s, state->counted, start);
    state->counted = start;
    if (spans->length + PIM_SPAN > spans->capacity) {
        grown = (Py_ssize_t *)PyMem_Realloc(
            spans->items, (size_t)(spans->capacity * 2 + 16 * PIM_SPAN) * sizeof(Py_ssize_t));
        if (grown == NULL) {
            return -1;
        }
        spans->items = grown;
        spans->capacity = spans->capacity * 2 + 16 * PIM_SPAN;
    }
    item = spans->items + spans->length;
    item[0] = start;
    item[1] = end;
    item[2] = state->lines;
    item[3] = element;
    item[4] = participant;
    item[5] = inner;
    spans->length += PIM_SPAN;
    return 0;
}

static int pim_next(pim_elements_state *state, Py_ssize_t *pos, unsigned char closer)
{
    Py_ssize_t p = pim_skip_ws(state->s, *pos, state->end);

    if (p >= state->end) {
        return PIM_SHORT(state->final);
    }
    if (state->s[p] == closer) {
        *pos = p + 1;
        return PIM_END;
    }
    if (state->s[p] != ',') {
        return PIM_INVALID;
    }
    *pos = pim_skip_ws(state->s, p + 1, state->end);
    return PIM_COMMA;
}

/* The member whose key starts at pos: its name (a bit, PIM_ESCAPED_KEY or 0) with
 * its value's start in *value, or PIM_INVALID / short. */
static int pim_member(pim_elements_state *state, Py_ssize_t pos, Py_ssize_t *value)
{
    const unsigned char *s = state->s;
    Py_ssize_t end = state->end, key_end, colon;
    int escaped = 0;

    if (pos >= end) {
        return PIM_SHORT(state->final);
    }
    if (s[pos] != '"') {
        return PIM_INVALID;
    }
    key_end = pim_string_end(s, pos, end, state->final, &escaped);
    if (key_end < 0) {
        return (int)key_end;
    }
    colon = pim_skip_ws(s, key_end, end);
    if (colon >= end) {
        return PIM_SHORT(state->final);
    }
    if (s[colon] != ':') {
        return PIM_INVALID;
    }
    *value = pim_skip_ws(s, colon + 1, end);
    if (*value >= end) {
        return PIM_SHORT(state->final);
    }
    return escaped ? PIM_ESCAPED_KEY : pim_key_name(s + pos + 1, key_end - pos - 2);
}

/* The object or array whose opener is at pos: PIM_COMMA with *at where its members
 * or elements start (whitespace skipped), PIM_END with *at past its closer (it is
 * empty), or short. */
static int pim_open(pim_elements_state *state, Py_ssize_t pos, unsigned char closer, Py_ssize_t *at)
{
    pos = pim_skip_ws(state->s, pos + 1, state->end);
    if (pos >= state->end) {
        return PIM_SHORT(state->final);
    }
    if (state->s[pos] == closer) {
        *at = pos + 1;
        return PIM_END;
    }
    *at = pos;
    return PIM_COMMA;
}

/* The array at pos ('['), a participant's internal messages: each element a
 * record. The offset after it, or PIM_NEED_MORE / PIM_INVALID / PIM_NO_MEMORY. */
static Py_ssize_t pim_messages(
    pim_elements_state *state, Py_ssize_t pos, Py_ssize_t element, Py_ssize_t participant)
{
    Py_ssize_t inner = 0, after;
    int status;

    status = pim_open(state, pos, ']', &pos);
    if (status != PIM_COMMA) {
        return status == PIM_END ? pos : status;
    }
    for (;;) {
        after = pim_record_end(state->s, pos, state->end, state->final);
        if (after < 0) {
            return after;
        }
        if (pim_add_span(state, pos, after, element, participant, inner++) < 0) {
            return PIM_NO_MEMORY;
        }
        pos = after;
        status = pim_next(state, &pos, ']');
        if (status == PIM_END) {
            return pos;
        }
        if (status < 0) {
            return status;
        }
    }
}

/* The participant at pos ('{'): the offset after it once its internal messages
 * (none, null, or arrays) are in the spans; or PIM_WALKER (a key written with
 * escapes, internalMessages neither an array nor null), or PIM_NEED_MORE /
 * PIM_INVALID / PIM_NO_MEMORY. */
static Py_ssize_t pim_participant(
    pim_elements_state *state, Py_ssize_t pos, Py_ssize_t element, Py_ssize_t participant)
{
    const unsigned char *s = state->s;
    Py_ssize_t value = 0, start;
    int name, status;

    status = pim_open(state, pos, '}', &pos);
    if (status != PIM_COMMA) {
        return status == PIM_END ? pos : status;
    }
    for (;;) {
        name = pim_member(state, pos, &value);
        if (name < 0) {
            return name;
        }
        if (name == PIM_ESCAPED_KEY) {
            return PIM_WALKER;
        }
        if (name == PIM_INTERNAL_MESSAGES && s[value] == '[') {
            pos = pim_messages(state, value, element, participant);
        }
        else {
            start = value;
            pos = pim_value_end(s, value, state->end, state->final);
            if (name == PIM_INTERNAL_MESSAGES && pos >= 0 && (pos - start != 4 || s[start] != 'n')) {
                return PIM_WALKER; /* neither an array nor null: a problem the walker words */
            }
        }
        if (pos < 0) {
            return pos;
        }
        status = pim_next(state, &pos, '}');
        if (status == PIM_END) {
            return pos;
        }
        if (status < 0) {
            return status;
        }
    }
}

/* The array at pos ('['), a conversation's participants, element of the array
 * elements() reads: the offset after it, or what pim_participant says. */
static Py_ssize_t pim_participants(pim_elements_state *state, Py_ssize_t pos, Py_ssize_t element)
{
    Py_ssize_t participant = 0, after;
    int status;

    status = pim_open(state, pos, ']', &pos);
    if (status != PIM_COMMA) {
        return status == PIM_END ? pos : status;
    }
    for (;;) {
        if (state->s[pos] != '{') {
            return PIM_WALKER; /* not a participant object: a problem the walker words */
        }
        after = pim_participant(state, pos, element, participant++);
        if (after < 0) {
            return after;
        }
        pos = after;
        status = pim_next(state, &pos, ']');
        if (status == PIM_END) {
            return pos;
        }
        if (status < 0) {
            return status;
        }
        if (pos >= state->end) {
            return PIM_SHORT(state->final);
        }
    }
}

/* The object at pos ('{') in an array of any form, element of it: the offset
 * after it with its records in the spans (itself, if it has neither deciding key;
 * its internal messages, if it is a conversation), or PIM_WALKER (a page, a key
 * written with escapes, participants that are not an array of objects...), or
 * PIM_NEED_MORE / PIM_INVALID / PIM_NO_MEMORY. */
static Py_ssize_t pim_any_object(pim_elements_state *state, Py_ssize_t start, Py_ssize_t element)
{
    const unsigned char *s = state->s;
    Py_ssize_t pos, value = 0;
    int name, status, conversation = 0;

    status = pim_open(state, start, '}', &pos);
    if (status < 0) {
        return status;
    }
    while (status != PIM_END) {
        name = pim_member(state, pos, &value);
        if (name < 0) {
            return name;
        }
        if (name == PIM_ESCAPED_KEY || (name == PIM_ENTITIES && !conversation && s[value] == '[')) {
            return PIM_WALKER; /* perhaps a deciding key; or a page */
        }
        if (name == PIM_PARTICIPANTS) {
            if (s[value] != '[') {
                return PIM_WALKER; /* a problem the walker words */
            }
            conversation = 1;
            pos = pim_participants(state, value, element);
        }
        else {
            pos = pim_value_end(s, value, state->end, state->final);
        }
        if (pos < 0) {
            return pos;
        }
        status = pim_next(state, &pos, '}');
        if (status < 0) {
            return status;
        }
    }
    if (!conversation && pim_add_span(state, start, pos, element, -1, -1) < 0) {
        return PIM_NO_MEMORY;
    }
    return pos;
}

/* elements() of _scan_py: the status, with (a, b) in *a and *b; the spans in
 * state->spans. */
static int pim_elements(
    pim_elements_state *state, Py_ssize_t pos, int kind, int first, Py_ssize_t *a,
    Py_ssize_t *b)
{
    const unsigned char *s = state->s;
    Py_ssize_t end = state->end, resume = pos, count = 0, start, after, kept, counted, lines;
    int status;

    for (;;) {
        status = 0;
        start = pim_skip_ws(s, pos, end);
        if (start >= end) {
            status = PIM_SHORT(state->final);
            break;
        }
        if (s[start] == ']' && first && count == 0) {
            *a = start + 1;
            *b = 0;
            return PIM_END;
        }
        /* What an element adds is taken back if it turns out to be the walker's. */
        kept = state->spans.length;
        counted = state->counted;
        lines = state->lines;
        if (kind == PIM_MESSAGES_ARRAY) {
            after = pim_record_end(s, start, end, state->final);
            if (after >= 0 && pim_add_span(state, start, after, count, -1, -1) < 0) {
                return PIM_NO_MEMORY;
            }
        }
        else {
            if (s[start] != '{') {
                after = PIM_WALKER;
            }
            else if (kind == PIM_ANY_ARRAY) {
                after = pim_any_object(state, start, count);
            }
            else {
                after = pim_participant(state, start, count, -1);
            }
            if (after == PIM_INVALID || after == PIM_NEED_MORE) {
                /* The walker reads it: the records before the problem, then the problem;
                 * or, for an object the window cuts, its members a window at a time
                 * (a conversation may be long; memory holds one window and one record). */
                after = PIM_WALKER;
            }
        }
        if (after == PIM_NO_MEMORY) {
            return PIM_NO_MEMORY;
        }
        if (after >= 0) {
            pos = after;
            status = pim_next(state, &pos, ']');
            if (status == PIM_INVALID) {
                after = PIM_WALKER; /* the walker reads it, then reports what follows */
            }
        }
        if (after < 0 || status < 0) {
            state->spans.length = kept;
            state->counted = counted;
            state->lines = lines;
        }
        if (after == PIM_WALKER) {
            *a = start;
            *b = count;
            return PIM_STOP;
        }
        if (after < 0) {
            status = (int)after;
            break;
        }
        if (status < 0) {
            break;
        }
        count++;
        if (status == PIM_END) {
            *a = pos;
            *b = count;
            return PIM_END;
        }
        resume = pos;
    }
    /* Short, or invalid: the elements before resume stand; the one from resume on
     * is read again (count says how many came before it). */
    *a = resume;
    *b = count;
    return status;
}

/* How many characters s[pos:end], whole characters of UTF-8, holds: its bytes that
 * do not continue a character. Those that do (10xxxxxx) are counted eight at a
 * time, in eight one-byte counters added up every 255 words, before they can
 * overflow. */
static Py_ssize_t pim_chars(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end)
{
    const uint64_t highs = 0x8080808080808080ULL, bytes = 0x00FF00FF00FF00FFULL;
    Py_ssize_t continuing = 0, length = end - pos, words;
    uint64_t word, counters;

    while (pos + 8 <= end) {
        counters = 0;
        for (words = 0; words < 255 && pos + 8 <= end; words++, pos += 8) {
            memcpy(&word, s + pos, 8);
            /* The top bit of each byte 10xxxxxx (bit 7 set, bit 6 clear), moved to its bottom. */
            counters += (word & ~(word << 1) & highs) >> 7;
        }
        /* Four sums of two counters each, then their sum in the top sixteen bits. */
        counters = (counters & bytes) + ((counters >> 8) & bytes);
        continuing += (Py_ssize_t)((counters * 0x0001000100010001ULL) >> 48);
    }
    for (; pos < end; pos++) {
        continuing += (s[pos] & 0xC0) == 0x80;
    }
    return length - continuing;
}

#endif /* PIM_SCAN_C_H */
