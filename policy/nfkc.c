/*
 * nfkc.c: utf8proc behind the two normalisers of nfkc.h.
 *
 * utf8proc refuses a whole string when one byte is invalid, so the input is
 * first rewritten into valid UTF-8 (U+FFFD per bad byte), then mapped.
 */
#include "nfkc.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ev.h"

/* Valid UTF-8 copy of s[0..len): bad bytes -> U+FFFD, U+0000 dropped. */
static void sanitise(ev_buf *out, const char *s, size_t len)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    size_t i = 0;

    while (i < len) {
        utf8proc_int32_t cp;
        size_t rest = len - i;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              rest > 4 ? 4 : (utf8proc_ssize_t)rest, &cp);
        if (n <= 0) {
            ev_buf_append(out, replacement, 3);
            i++;
            continue;
        }
        if (cp != 0)
            ev_buf_append(out, s + i, (size_t)n);
        i += (size_t)n;
    }
    if (!out->data)
        ev_buf_append(out, "", 0);
}

char *ev_utf8_clean(const char *s, size_t len, size_t *out_len)
{
    ev_buf clean = {0};

    assert(s || len == 0);
    sanitise(&clean, s, len);
    if (out_len)
        *out_len = clean.len;
    return ev_buf_steal(&clean);
}

char *ev_utf8_scrub(const char *s, size_t len)
{
    char *copy;
    size_t i = 0;

    assert(s || len == 0);
    if (ev_utf8_valid(s, len))
        return NULL;
    copy = ev_strndup(s, len);
    while (i < len) {
        utf8proc_int32_t cp;
        size_t rest = len - i;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              rest > 4 ? 4 : (utf8proc_ssize_t)rest, &cp);
        if (n > 0) {
            i += (size_t)n;
            continue;
        }
        copy[i++] = 0x1A;
    }
    return copy;
}

/*
 * Characters that NFKC and case folding leave as they are, that are not
 * white space, and that no following character composes with: ASCII
 * (folding lowers its capitals), the CJK unified ideographs and most CJK
 * punctuation. Checked against Unicode 14 (the ranges are stable). Most of
 * a Chinese or English document is made of them, and copying them saves
 * utf8proc's per-character work.
 */
static bool inert(uint32_t cp)
{
    return (cp >= 0x21 && cp < 0x7F) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0x3001 && cp <= 0x3029) || (cp >= 0x3030 && cp <= 0x3035) ||
           cp == 0x3037 || (cp >= 0x303B && cp <= 0x303F);
}

/* The code point at p (valid UTF-8) and its length. */
static uint32_t decode(const unsigned char *p, size_t *n)
{
    if (p[0] < 0x80)
        return *n = 1, p[0];
    if (p[0] < 0xE0)
        return *n = 2, (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
    if (p[0] < 0xF0)
        return *n = 3, (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
    return *n = 4, (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
                   (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
}

static void map_run(ev_buf *out, const char *s, size_t len, utf8proc_option_t options)
{
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                                      &mapped, options);
    if (n < 0)
        /* The input is valid UTF-8 by now: only memory or size can fail. */
        ev_die("utf8proc_map: %s", utf8proc_errmsg(n));
    ev_buf_append(out, mapped, (size_t)n);
    free(mapped);
}

/* Inert runs are copied (ASCII lowered when folding); the rest goes
 * through utf8proc with the character before it, which it might compose
 * with. */
static char *map(const char *s, size_t len, utf8proc_option_t options)
{
    ev_buf clean = {0}, out = {0};
    const unsigned char *p, *end;
    bool fold = (options & UTF8PROC_CASEFOLD) != 0;

    assert(s || len == 0);
    /* Text from the parser is valid UTF-8 without NULs: no copy needed. */
    if (len && ev_utf8_valid(s, len) && !memchr(s, '\0', len)) {
        p = (const unsigned char *)s;
        end = p + len;
    } else {
        sanitise(&clean, s, len);
        p = (const unsigned char *)clean.data;
        end = p + clean.len;
    }
    /* Mostly the same length out as in: one allocation, not a dozen. */
    out.data = ev_grow(NULL, &out.cap, (size_t)(end - p) + 16, 1);
    out.data[0] = '\0';
    while (p < end) {
        const unsigned char *run = p, *last = NULL;
        size_t n = 0;
        while (p < end && inert(decode(p, &n)))
            last = p, p += n;
        if (p < end && last)
            p = last;       /* a composition partner: it goes with the slow run */
        if (p > run) {
            size_t at = out.len;
            ev_buf_append(&out, run, (size_t)(p - run));
            for (size_t i = at; fold && i < out.len; i++)
                if (out.data[i] >= 'A' && out.data[i] <= 'Z')
                    out.data[i] = (char)(out.data[i] + ('a' - 'A'));
        }
        if (p == end)
            break;
        run = p;
        decode(p, &n);
        p += n;
        while (p < end && !inert(decode(p, &n)))
            p += n;
        map_run(&out, (const char *)run, (size_t)(p - run), options);
    }
    ev_buf_free(&clean);
    return ev_buf_steal(&out);
}

char *ev_nfkc(const char *s, size_t len)
{
    return map(s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
}

static int is_space(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return 1;
    default:
        /* Tab, line feed, vertical tab, form feed, carriage return, NEL. */
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x85;
    }
}

char *ev_fold(const char *s, size_t len)
{
    char *folded = map(s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                   UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    size_t in = 0, out = 0, n = strlen(folded);

    /* In place: the key is never longer than the folded text. */
    while (in < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t step;
        unsigned char c = (unsigned char)folded[in];
        if (c < 0x80) {         /* ASCII: no table look-up needed */
            if (!(c == ' ' || (c >= 0x09 && c <= 0x0D)))
                folded[out++] = (char)c;
            in++;
            continue;
        }
        step = utf8proc_iterate((const utf8proc_uint8_t *)folded + in,
                                (utf8proc_ssize_t)(n - in), &cp);
        assert(step > 0);
        if (!is_space(cp)) {
            memmove(folded + out, folded + in, (size_t)step);
            out += (size_t)step;
        }
        in += (size_t)step;
    }
    folded[out] = '\0';
    return folded;
}
