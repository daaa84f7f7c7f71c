/*
 * ocrtext.c: the repairs of ocrtext.h, as passes over the text's code points.
 *
 * The text is decoded once into an array of code points; each pass rewrites
 * code points in place (a repair never changes their number), except the
 * last, which drops spaces while encoding the result.
 */
#include "ocrtext.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ev.h"
#include "ident.h"
#include "nfkc.h"

#define CREDIT_LEN 18
#define IDEOGRAPHIC_ZERO 0x3007 /* 〇 */
#define WHITE_CIRCLE 0x25CB     /* ○, what OCR often gives for 〇 */

typedef struct cps {
    uint32_t *c;
    size_t n;
} cps;

/* Code points of s[0..len): invalid bytes become U+FFFD, NULs are dropped. */
static cps decode(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    char *clean = ev_utf8_clean(s, len, &n);
    cps t = {ev_malloc((n + 1) * sizeof(uint32_t)), 0};

    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t step = utf8proc_iterate((const utf8proc_uint8_t *)clean + i,
                                                 (utf8proc_ssize_t)(n - i), &cp);
        assert(step > 0);
        t.c[t.n++] = (uint32_t)cp;
        i += (size_t)step;
    }
    free(clean);
    return t;
}

static bool is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(uint32_t c)
{
    return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_han(uint32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* Han, CJK punctuation (not the ideographic space) and full-width forms. */
static bool is_cjk(uint32_t c)
{
    return is_han(c) || (c >= 0x3001 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6);
}

/* What OCR prints for a full-width mark in Chinese text. */
static bool is_narrow_mark(uint32_t c)
{
    return c == '(' || c == ')' || c == ':' || c == ';' || c == ',' || c == '!' || c == '?';
}

static bool is_space(uint32_t c)
{
    return c == ' ' || c == 0x3000;
}

/* The digit a letter inside a number stands for, or 0 if it is none. */
static uint32_t lookalike_digit(uint32_t c)
{
    switch (c) {
    case 'O':
    case 'o':
    case IDEOGRAPHIC_ZERO:
    case WHITE_CIRCLE:
        return '0';
    case 'l':
    case 'I':
        return '1';
    default:
        return 0;
    }
}

/* Rule 3: an 18-character word that the look-alike letters GB 32100
 * leaves out turn into a valid credit code. */
static void repair_credit_codes(cps *t)
{
    size_t i = 0;

    while (i < t->n) {
        size_t j = i;
        while (j < t->n && (is_alnum(t->c[j]) || t->c[j] == '|'))
            j++;
        if (j - i == CREDIT_LEN) {
            char orig[CREDIT_LEN + 1], fixed[CREDIT_LEN + 1];
            for (size_t k = 0; k < CREDIT_LEN; k++) {
                char ch = (char)t->c[i + k];
                orig[k] = ch;
                fixed[k] = ch == 'O' || ch == 'o'               ? '0'
                           : ch == 'I' || ch == 'l' || ch == '|' ? '1'
                           : ch == 'S'                           ? '5'
                           : ch == 'Z'                           ? '2'
                                                                 : ch;
            }
            orig[CREDIT_LEN] = fixed[CREDIT_LEN] = '\0';
            if (strcmp(orig, fixed) != 0 &&
                ev_credit_code_check(orig, CREDIT_LEN, NULL) != EV_CREDIT_OK &&
                ev_credit_code_check(fixed, CREDIT_LEN, NULL) == EV_CREDIT_OK)
                for (size_t k = 0; k < CREDIT_LEN; k++)
                    t->c[i + k] = (uint32_t)(unsigned char)fixed[k];
        }
        i = j > i ? j : i + 1;
    }
}

static bool is_chinese_numeral(uint32_t c)
{
    static const uint32_t numerals[] = {IDEOGRAPHIC_ZERO, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                        0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    for (size_t i = 0; i < EV_ARRAY_LEN(numerals); i++)
        if (c == numerals[i])
            return true;
    return false;
}

static bool is_zero_lookalike(uint32_t c)
{
    return c == 'O' || c == 'o' || c == '0' || c == WHITE_CIRCLE || c == 0x25EF /* ◯ */ ||
           c == 0xFF2F /* Ｏ */ || c == 0xFF10 /* ０ */;
}

/* Rule 4: the 〇 of a year written in Chinese numerals. */
static void repair_year_zero(cps *t)
{
    for (size_t i = 4; i < t->n; i++) {
        if (t->c[i] != 0x5E74 /* 年 */)
            continue;
        size_t real = 0, start = i - 4;
        bool year = true;
        for (size_t k = start; k < i && year; k++) {
            uint32_t c = t->c[k];
            if (is_chinese_numeral(c))
                real += c != IDEOGRAPHIC_ZERO;
            else
                year = is_zero_lookalike(c);
        }
        if (start > 0 && (is_chinese_numeral(t->c[start - 1]) || is_zero_lookalike(t->c[start - 1])))
            continue; /* five numerals: one was added, and which is unknown */
        if (!year || real < 2)
            continue;
        for (size_t k = start; k < i; k++)
            if (is_zero_lookalike(t->c[k]))
                t->c[k] = IDEOGRAPHIC_ZERO;
    }
}

static bool is_word_char(uint32_t c)
{
    return is_alnum(c) || c == IDEOGRAPHIC_ZERO || c == WHITE_CIRCLE;
}

/* Rule 2 inside one word t->c[i..j). */
static void repair_word_digits(cps *t, size_t i, size_t j)
{
    size_t digits = 0, lookalikes = 0, others = 0;

    for (size_t k = i; k < j; k++) {
        if (is_digit(t->c[k]))
            digits++;
        else if (lookalike_digit(t->c[k]))
            lookalikes++;
        else
            others++;
    }
    if (lookalikes == 0)
        return;
    if (others == 0 && digits >= 1 && digits >= lookalikes) {
        for (size_t k = i; k < j; k++)
            if (lookalike_digit(t->c[k]))
                t->c[k] = lookalike_digit(t->c[k]);
        return;
    }
    /* One or two look-alikes between two digits of a longer word. */
    for (size_t k = i + 1; k < j; k++) {
        size_t m = k;
        while (m < j && lookalike_digit(t->c[m]))
            m++;
        if (m > k && m - k <= 2 && m < j && is_digit(t->c[k - 1]) && is_digit(t->c[m]))
            for (size_t q = k; q < m; q++)
                t->c[q] = lookalike_digit(t->c[q]);
        k = m > k ? m : k;
    }
}

/* A word of O/o only, joined by a comma or point to a digit: 386,OOO.OO. */
static bool zeros_in_number(const cps *t, size_t i, size_t j)
{
    for (size_t k = i; k < j; k++)
        if (t->c[k] != 'O' && t->c[k] != 'o')
            return false;
    if (i >= 2 && (t->c[i - 1] == ',' || t->c[i - 1] == '.') && is_digit(t->c[i - 2]))
        return true;
    return j + 1 < t->n && (t->c[j] == ',' || t->c[j] == '.') && is_digit(t->c[j + 1]);
}

/* Rule 2 over the text, words left to right so 386,OOO.OO resolves. */
static void repair_digits(cps *t)
{
    size_t i = 0;

    while (i < t->n) {
        if (!is_word_char(t->c[i])) {
            if (t->c[i] == '|' && i > 0 && i + 1 < t->n && is_digit(t->c[i - 1]) &&
                is_digit(t->c[i + 1]))
                t->c[i] = '1';
            i++;
            continue;
        }
        size_t j = i;
        while (j < t->n && is_word_char(t->c[j]))
            j++;
        if (zeros_in_number(t, i, j))
            for (size_t k = i; k < j; k++)
                t->c[k] = '0';
        else
            repair_word_digits(t, i, j);
        i = j;
    }
}

/*
 * Length of the amount figure at t->c[i..], or 0: digits with thousands
 * separators (42,000) or two decimals (386.00), not followed by more. When
 * OCR read the separators as points (386.000.00: groups of three, then two
 * decimals), *points_are_commas is set.
 */
static size_t amount_figure(const cps *t, size_t i, bool *points_are_commas)
{
    size_t k = i, lead = 0, groups = 0;
    uint32_t sep = 0;
    bool decimals = false;

    *points_are_commas = false;
    while (k < t->n && is_digit(t->c[k]))
        k++, lead++;
    if (lead == 0)
        return 0;
    while (lead <= 3 && k + 3 < t->n && (t->c[k] == ',' || t->c[k] == '.') &&
           (!sep || t->c[k] == sep) && is_digit(t->c[k + 1]) && is_digit(t->c[k + 2]) &&
           is_digit(t->c[k + 3]) && (k + 4 == t->n || !is_digit(t->c[k + 4])))
        sep = t->c[k], k += 4, groups++;
    if (k + 2 < t->n && t->c[k] == '.' && is_digit(t->c[k + 1]) && is_digit(t->c[k + 2]))
        k += 3, decimals = true;
    if (k < t->n && is_alnum(t->c[k]))
        return 0;
    if (sep == '.') {
        /* 386.000 alone is a decimal number; only a following .dd says the
         * points were separators. */
        if (!decimals)
            return 0;
        *points_are_commas = true;
    }
    return groups || decimals ? k - i : 0;
}

/* Rule 5: Y386,000.00 is ¥386,000.00 (and Y386.000.00 too). */
static void repair_yuan(cps *t)
{
    for (size_t i = 0; i + 1 < t->n; i++) {
        uint32_t c = t->c[i];
        bool points;
        if (c != 'Y' && c != 0xA5 && c != 0xFFE5)
            continue;
        if (i > 0 && is_alnum(t->c[i - 1]))
            continue;
        size_t n = amount_figure(t, i + 1, &points);
        if (!n)
            continue;
        t->c[i] = c == 'Y' ? 0xA5 /* ¥ */ : c;
        /* The last point is the decimal one; the others separate thousands. */
        for (size_t k = i + 1; points && k < i + 1 + n - 3; k++)
            if (t->c[k] == '.')
                t->c[k] = ',';
    }
}

/* Rule 6: 3月20目 is 3月20日 (目 ends no date; 目录, 目标, 目的, 目前 are
 * words it starts, so it is kept before their second character). */
static void repair_day(cps *t)
{
    static const uint32_t words[] = {0x5F55 /* 录 */, 0x6807 /* 标 */, 0x7684 /* 的 */,
                                     0x524D /* 前 */};
    for (size_t i = 2; i < t->n; i++) {
        if (t->c[i] != 0x76EE /* 目 */)
            continue;
        size_t k = i;
        if (is_space(t->c[k - 1]))
            k--;
        size_t digits = 0;
        while (k > 0 && digits < 3 && is_digit(t->c[k - 1]))
            k--, digits++;
        if (digits > 0 && k > 0 && is_space(t->c[k - 1]))
            k--;
        if (digits == 0 || digits > 2 || k == 0 || t->c[k - 1] != 0x6708 /* 月 */)
            continue;
        bool word = false;
        for (size_t w = 0; i + 1 < t->n && w < EV_ARRAY_LEN(words); w++)
            word |= t->c[i + 1] == words[w];
        if (!word)
            t->c[i] = 0x65E5; /* 日 */
    }
}

/* Rule 1: may the spaces between t->c[i - 1] and t->c[j] go? */
static bool spaces_droppable(const cps *t, size_t i, size_t j)
{
    if (i == 0 || j >= t->n || j - i > 2)
        return false;
    uint32_t a = t->c[i - 1], b = t->c[j];
    if (is_cjk(a) && (is_cjk(b) || is_narrow_mark(b)))
        return true;
    if (is_narrow_mark(a) && is_cjk(b))
        return true;
    /* 单位 (盖章) : 江南: two marks, Chinese on either side of the pair */
    return is_narrow_mark(a) && is_narrow_mark(b) &&
           ((i >= 2 && is_cjk(t->c[i - 2])) || (j + 1 < t->n && is_cjk(t->c[j + 1])));
}

char *ev_ocr_repair(const char *text, size_t len, size_t *out_len)
{
    assert(text || len == 0);
    cps t = decode(text, len);
    ev_buf out = {0};

    repair_credit_codes(&t);
    repair_year_zero(&t);
    repair_digits(&t);
    repair_yuan(&t);
    repair_day(&t);
    for (size_t i = 0; i < t.n;) {
        if (is_space(t.c[i])) {
            size_t j = i;
            while (j < t.n && is_space(t.c[j]))
                j++;
            if (spaces_droppable(&t, i, j)) {
                i = j;
                continue;
            }
        }
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t w = utf8proc_encode_char((utf8proc_int32_t)t.c[i], enc);
        assert(w > 0);
        ev_buf_append(&out, enc, (size_t)w);
        i++;
    }
    if (!out.data)
        ev_buf_append(&out, "", 0);
    free(t.c);
    if (out_len)
        *out_len = out.len;
    return ev_buf_steal(&out);
}
