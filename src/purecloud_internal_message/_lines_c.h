/* JSON Lines straight to Arrow columns: the line route of the compiled encoder.

   A record's line is read once, with the pieces the value-end scanner reads with
   (_jsonbytes_c.h: blanks, where a string ends, strict UTF-8), and its values go into the column buffers
   (_columns_c.h) as they come, with no Python object made. One core for every model,
   driven by the per-model tables that _codegen/emit_columns.py writes into
   _codecs_c.pyx from the plan (pim_line_model: each field's API key, kind, first
   column, nested model and known enum values).

   A fast path, like the fast decoders: it takes only the plain form of a record,
   in which every key is a field's API (camelCase) key at most once, every string
   is unescaped UTF-8 and every value is null or of the field's own JSON type. For
   anything else (an unknown or snake_case key, an escape, a number, a timestamp
   not of the fast form or not fitting the unit, a value the strict rule refuses,
   text that is not JSON) it returns PIM_BAIL and the caller rolls the columns
   back: the line then takes the payload route (parsed, then walked as a dict),
   which decides everything, with the same columns for what both take (the tests
   compare the two routes). Returns 0, PIM_BAIL, or -1 with a Python error set
   (no memory, a batch column past 2 GiB). A hand-written file: after editing it run
   `python scripts/gen_codecs.py` and rebuild. */

#ifndef PIM_LINES_C_H
#define PIM_LINES_C_H

#include "Python.h"
#include <stdint.h>
#include <string.h>
#include "_codecs_c_helpers.h" /* pim_ts_read, pim_ts_utc_micros */
#include "_columns_c.h"
#include "_jsonbytes_c.h"

/* The kinds of field: what its column holds. */
#define PIM_LINE_TEXT 0
#define PIM_LINE_TIMESTAMP 1
#define PIM_LINE_MODEL 2
#define PIM_LINE_LIST 3 /* a list of models */

typedef struct {
    const char *key;            /* the API key */
    Py_ssize_t length;          /* its length in bytes */
    int kind;                   /* PIM_LINE_* */
    Py_ssize_t column;          /* its first column, counted from the model's first */
    int nested;                 /* MODEL, LIST: the nested model's index in the table */
    const char *const *allowed; /* an enum's known values, lower case, NULL last; else NULL */
} pim_line_field;

typedef struct {
    int count;                    /* fields (at most 64: one bit each in a mask) */
    const pim_line_field *fields;
    Py_ssize_t unknown;           /* the column of its unknown fields */
} pim_line_model;

/* The string whose opening quote is at *pos, if plain (no escape, strict UTF-8):
   its bytes in *text and *length, *pos after its closing quote; else PIM_BAIL. */
static inline int pim_line_string(const unsigned char *s, Py_ssize_t *pos, Py_ssize_t end,
                                  const unsigned char **text, Py_ssize_t *length) {
    int escaped = 0, invalid;
    Py_ssize_t chars, n, stop = pim_string_end(s, *pos, end, 1, &escaped);
    if (stop < 0 || escaped) return PIM_BAIL;
    *text = s + *pos + 1;
    n = stop - *pos - 2;
    *length = n;
    *pos = stop;
    if (pim_utf8_prefix(*text, n, 1, &invalid, &chars) != n || invalid) return PIM_BAIL;
    return 0;
}

/* Whether text is one of the enum's known values in any case (the strict rule). */
static int pim_line_known(const char *const *allowed, const unsigned char *text, Py_ssize_t n) {
    for (; *allowed != NULL; allowed++) {
        if (pim_bytes_are(text, n, *allowed)) return 1;
    }
    return 0;
}

/* What pim_line_next returns when the container closes. */
#define PIM_LINE_CLOSED 3

/* After a value in a container: 0 with *pos at the next value (past a ','),
   PIM_LINE_CLOSED with *pos past the closer, or PIM_BAIL. */
static inline int pim_line_next(const unsigned char *s, Py_ssize_t *pos, Py_ssize_t end,
                                unsigned char closer) {
    Py_ssize_t p = pim_skip_ws(s, *pos, end);
    if (p < end && s[p] == ',') {
        *pos = pim_skip_ws(s, p + 1, end);
        return 0;
    }
    if (p < end && s[p] == closer) {
        *pos = p + 1;
        return PIM_LINE_CLOSED;
    }
    return PIM_BAIL;
}

static int pim_line_nulls(pim_cols *cs, const pim_line_model *models, int m, Py_ssize_t b);

/* A null for field f of a model whose first column is b (a null struct has null children). */
static int pim_line_null(pim_cols *cs, const pim_line_model *models, const pim_line_field *f,
                         Py_ssize_t b) {
    if (pim_null(pim_col_at(cs, b + f->column)) < 0) return -1;
    if (f->kind == PIM_LINE_MODEL) return pim_line_nulls(cs, models, f->nested, b + f->column + 1);
    return 0;
}

/* A null in every column of model m, whose first column is b. */
static int pim_line_nulls(pim_cols *cs, const pim_line_model *models, int m, Py_ssize_t b) {
    const pim_line_model *model = &models[m];
    int i;
    for (i = 0; i < model->count; i++) {
        if (pim_line_null(cs, models, &model->fields[i], b) < 0) return -1;
    }
    return pim_null(pim_col_at(cs, b + model->unknown));
}

static int pim_line_object(pim_cols *cs, const pim_line_model *models, int m, Py_ssize_t b,
                           const unsigned char *s, Py_ssize_t *pos, Py_ssize_t end, int strict,
                           int ms);

/* The value at *pos of field f (of a model whose first column is b), not null. */
static int pim_line_value(pim_cols *cs, const pim_line_model *models, const pim_line_field *f,
                          Py_ssize_t b, const unsigned char *s, Py_ssize_t *pos, Py_ssize_t end,
                          int strict, int ms) {
    pim_col *c = pim_col_at(cs, b + f->column);
    const unsigned char *text;
    Py_ssize_t n, p = *pos;
    pim_ts ts;
    int r;
    switch (f->kind) {
    case PIM_LINE_TEXT:
    case PIM_LINE_TIMESTAMP:
        if (s[p] != '"' || pim_line_string(s, pos, end, &text, &n)) return PIM_BAIL;
        if (f->kind == PIM_LINE_TEXT) {
            if (strict && f->allowed != NULL && !pim_line_known(f->allowed, text, n)) return PIM_BAIL;
            return pim_put_bytes(c, text, n) < 0 ? -1 : pim_text_end(c);
        }
        /* UNFIT (a sub-millisecond instant in milliseconds) too: the payload route
           tells the reader which value. */
        if (!pim_ts_read(text, n, &ts)) return PIM_BAIL;
        r = pim_stamp(c, pim_ts_utc_micros(&ts), ms);
        return r == PIM_UNFIT ? PIM_BAIL : r;
    case PIM_LINE_MODEL:
        if (s[p] != '{') return PIM_BAIL;
        if (pim_struct(c) < 0) return -1;
        return pim_line_object(cs, models, f->nested, b + f->column + 1, s, pos, end, strict, ms);
    default: /* PIM_LINE_LIST */
        if (s[p] != '[') return PIM_BAIL;
        p = pim_skip_ws(s, p + 1, end);
        if (p < end && s[p] == ']') {
            p++;
        } else {
            for (;;) {
                if (p >= end || s[p] != '{') return PIM_BAIL;
                if (pim_struct(pim_col_at(cs, b + f->column + 1)) < 0) return -1;
                r = pim_line_object(cs, models, f->nested, b + f->column + 2, s, &p, end, strict, ms);
                if (r) return r;
                r = pim_line_next(s, &p, end, ']');
                if (r == PIM_LINE_CLOSED) break;
                if (r) return r;
            }
        }
        *pos = p;
        return pim_list(c, pim_col_length(cs, b + f->column + 1)) < 0 ? -1 : 0;
    }
}

/* The object at *pos ('{') of model m, whose first column is b; *pos after it. */
static int pim_line_object(pim_cols *cs, const pim_line_model *models, int m, Py_ssize_t b,
                           const unsigned char *s, Py_ssize_t *pos, Py_ssize_t end, int strict,
                           int ms) {
    const pim_line_model *model = &models[m];
    const pim_line_field *f;
    const unsigned char *key;
    Py_ssize_t length, p = pim_skip_ws(s, *pos + 1, end);
    uint64_t seen = 0;
    int i, r;
    if (p < end && s[p] == '}') {
        p++;
    } else {
        for (;;) {
            if (p >= end || s[p] != '"' || pim_line_string(s, &p, end, &key, &length)) return PIM_BAIL;
            f = NULL;
            for (i = 0; i < model->count; i++) {
                if (model->fields[i].length == length
                    && memcmp(model->fields[i].key, key, (size_t)length) == 0) {
                    f = &model->fields[i];
                    break;
                }
            }
            /* An unknown key, or a field named twice: the payload route's. */
            if (f == NULL || (seen >> i) & 1) return PIM_BAIL;
            seen |= (uint64_t)1 << i;
            p = pim_skip_ws(s, p, end);
            if (p >= end || s[p] != ':') return PIM_BAIL;
            p = pim_skip_ws(s, p + 1, end);
            if (p >= end) return PIM_BAIL;
            if (s[p] == 'n') {
                if (end - p < 4 || memcmp(s + p, "null", 4) != 0) return PIM_BAIL;
                p += 4;
                r = pim_line_null(cs, models, f, b);
            } else {
                r = pim_line_value(cs, models, f, b, s, &p, end, strict, ms);
            }
            if (r) return r;
            r = pim_line_next(s, &p, end, '}');
            if (r == PIM_LINE_CLOSED) break;
            if (r) return r;
        }
    }
    for (i = 0; i < model->count; i++) { /* the fields not there: nulls */
        if (!((seen >> i) & 1) && pim_line_null(cs, models, &model->fields[i], b) < 0) return -1;
    }
    *pos = p;
    return pim_null(pim_col_at(cs, b + model->unknown)) < 0 ? -1 : 0; /* no unknown field */
}

/* The record of model m that the line s[0:n] holds, appended to the columns (blanks
   around it, a line end included, are allowed): 0, PIM_BAIL or -1. The caller rolls
   the columns back unless 0. */
static int pim_line_record(pim_cols *cs, const pim_line_model *models, int m,
                           const unsigned char *s, Py_ssize_t n, int strict, int ms) {
    Py_ssize_t p = pim_skip_ws(s, 0, n);
    int r;
    if (p >= n || s[p] != '{') return PIM_BAIL;
    r = pim_line_object(cs, models, m, 0, s, &p, n, strict, ms);
    if (r) return r;
    return pim_skip_ws(s, p, n) == n ? 0 : PIM_BAIL;
}

#endif /* PIM_LINES_C_H */
