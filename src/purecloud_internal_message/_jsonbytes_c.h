/* JSON text as bytes: blanks, where a string ends, strict UTF-8.

   The pieces both compiled readers of JSON text use: the value-end scanner
   (_scan_c.h, whose contract _scan_py.py states) and the line route of the Arrow
   encoder (_lines_c.h). Positions are byte offsets into s, of which only
   s[pos:end] is read. A hand-written file: after editing it run
   `python scripts/gen_codecs.py` and rebuild. */
#ifndef PIM_JSONBYTES_C_H
#define PIM_JSONBYTES_C_H

#include <Python.h>
#include <stdint.h>
#include <string.h>

#define PIM_NEED_MORE (-1)
#define PIM_INVALID (-2)

/* Short of the value's end: more may come, unless this is the end of the input. */
#define PIM_SHORT(final) ((final) ? PIM_INVALID : PIM_NEED_MORE)

static inline int pim_is_ws(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static inline int pim_is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline Py_ssize_t pim_skip_ws(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end)
{
    uint64_t word;

    while (pos < end && pim_is_ws(s[pos])) {
        if (s[pos++] == '\n') {
            /* The indentation of pretty-printed text: spaces eight at a time. */
            while (pos + 8 <= end) {
                memcpy(&word, s + pos, 8);
                if (word != 0x2020202020202020ULL) {
                    break;
                }
                pos += 8;
            }
        }
    }
    return pos;
}

/* 1 for the bytes a string holds as they are: not '"', '\\' or a control character. */
#define PIM_ROW_OF_0 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
#define PIM_ROW_OF_1 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char pim_plain[256] = {
    PIM_ROW_OF_0, PIM_ROW_OF_0,                                     /* 0x00-0x1f */
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,                 /* 0x20-0x2f: '"' */
    PIM_ROW_OF_1, PIM_ROW_OF_1,                                     /* 0x30-0x4f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,                 /* 0x50-0x5f: '\\' */
    PIM_ROW_OF_1, PIM_ROW_OF_1,                                     /* 0x60-0x7f */
    PIM_ROW_OF_1, PIM_ROW_OF_1, PIM_ROW_OF_1, PIM_ROW_OF_1,         /* 0x80-0xbf */
    PIM_ROW_OF_1, PIM_ROW_OF_1, PIM_ROW_OF_1, PIM_ROW_OF_1,         /* 0xc0-0xff */
};
#undef PIM_ROW_OF_0
#undef PIM_ROW_OF_1

/* Whether the eight bytes at p are all plain (see pim_plain), tested at once: a
 * byte equal to '"' or '\\', or below 0x20, sets the top bit of its byte in the
 * tests below (the classic "has a zero byte" and "has a byte less than n"). */
static inline int pim_plain_word(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t word, quote, backslash;

    memcpy(&word, p, 8);
    quote = word ^ (ones * '"');
    backslash = word ^ (ones * '\\');
    return (((quote - ones) & ~quote) | ((backslash - ones) & ~backslash)
            | ((word - ones * 0x20) & ~word)) & highs ? 0 : 1;
}

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define PIM_SIXTEEN 1
/* How many of the sixteen bytes at p are plain before the first that is not (16
 * when all are), tested at once. */
static inline int pim_plain_run(const unsigned char *p)
{
    const __m128i bytes = _mm_loadu_si128((const __m128i *)p);
    const __m128i controls = _mm_set1_epi8(0x1f);
    __m128i stops = _mm_or_si128(
        _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\')));
    /* A control character: no more than 0x1f, unsigned. */
    stops = _mm_or_si128(stops, _mm_cmpeq_epi8(_mm_max_epu8(bytes, controls), controls));
    int mask = _mm_movemask_epi8(stops);
    return mask ? __builtin_ctz((unsigned int)mask) : 16;
}
#endif

/* The string whose opening quote is at pos: the offset after its closing quote.
 * Sets *escaped when it holds a backslash. */
static inline Py_ssize_t pim_string_end(
    const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, int final, int *escaped)
{
    Py_ssize_t i;
    unsigned char c;

    pos++;
    for (;;) {
#ifdef PIM_SIXTEEN
        /* Sixteen at a time while sixteen are there: most strings are shorter. */
        while (pos + 16 <= end) {
            int run = pim_plain_run(s + pos);
            pos += run;
            if (run < 16) {
                goto stopped;
            }
        }
#endif
        /* Eight at a time while eight are there: most strings are runs of plain bytes. */
        while (pos + 8 <= end && pim_plain_word(s + pos)) {
            pos += 8;
        }
        while (pos < end && pim_plain[s[pos]]) {
            pos++;
        }
#ifdef PIM_SIXTEEN
    stopped:
#endif
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

/* -- UTF-8 ------------------------------------------------------------------------------ */

static inline int pim_is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Whether the eight bytes at p are all ASCII. */
static inline int pim_ascii_word(const unsigned char *p)
{
    uint64_t word;

    memcpy(&word, p, 8);
    return (word & 0x8080808080808080ULL) == 0;
}

/* The length of the longest prefix of s[0:n] made of whole characters of strict
 * UTF-8, as CPython's strict decoder finds it (no surrogates, no overlong forms,
 * nothing past U+10FFFF), and sets *count to the characters it holds.
 * *invalid is set when what follows is not UTF-8, and cleared when it is a
 * character cut short (never when final): CPython's rule, in which a two-byte
 * start of a surrogate at the very end is cut short too. */
static Py_ssize_t pim_utf8_prefix(
    const unsigned char *s, Py_ssize_t n, int final, int *invalid, Py_ssize_t *count)
{
    Py_ssize_t i = 0, k, need, continuing = 0; /* the bytes that continue whole characters */
    unsigned char c, b, low, high;

    *invalid = 0;
    for (;;) {
#ifdef PIM_SIXTEEN
        /* ASCII 64 bytes at a time: the top bits of four loads, or-ed, then tested. */
        while (i + 64 <= n) {
            const __m128i *p = (const __m128i *)(s + i);
            __m128i tops = _mm_or_si128(
                _mm_or_si128(_mm_loadu_si128(p), _mm_loadu_si128(p + 1)),
                _mm_or_si128(_mm_loadu_si128(p + 2), _mm_loadu_si128(p + 3)));
            if (_mm_movemask_epi8(tops)) {
                break;
            }
            i += 64;
        }
#endif
        while (i + 8 <= n && pim_ascii_word(s + i)) {
            i += 8;
        }
        while (i < n && s[i] < 0x80) {
            i++;
        }
        if (i >= n) {
            break;
        }
        /* The bytes of the character that c starts, and the range of its second byte
         * (no overlong forms, no surrogates, nothing past U+10FFFF). */
        c = s[i];
        low = 0x80;
        high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 2;
        }
        else if (c >= 0xE0 && c <= 0xEF) {
            need = 3;
            low = c == 0xE0 ? 0xA0 : 0x80;
            high = c == 0xED ? 0x9F : 0xBF;
        }
        else if (c >= 0xF0 && c <= 0xF4) {
            need = 4;
            low = c == 0xF0 ? 0x90 : 0x80;
            high = c == 0xF4 ? 0x8F : 0xBF;
        }
        else {
            *invalid = 1; /* a continuation byte, or one that never starts a character */
            break;
        }
        for (k = 1; k < need; k++) {
            if (i + k >= n) {
                *invalid = final; /* cut short by the end */
                goto done;
            }
            b = s[i + k];
            if (k == 1 ? b < low || b > high : !pim_is_continuation(b)) {
                /* CPython's rule: a surrogate's first two bytes at the very end are cut short. */
                *invalid = final || !(c == 0xED && pim_is_continuation(b) && i + 2 == n);
                goto done;
            }
        }
        i += need;
        continuing += need - 1;
    }
done:
    *count = i - continuing;
    return i;
}

#endif /* PIM_JSONBYTES_C_H */
