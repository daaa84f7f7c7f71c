/*
 * nfkc.c: utf8proc behind the two normalisers of nfkc.h.
 *
 * utf8proc refuses a whole string when one byte is invalid, so the input is
 * first rewritten into valid UTF-8 (U+FFFD per bad byte), then mapped.
 */
#include "nfkc.h"

#include <assert.h>
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

static char *map(const char *s, size_t len, utf8proc_option_t options)
{
    ev_buf clean = {0};
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t n;

    assert(s || len == 0);
    sanitise(&clean, s, len);
    n = utf8proc_map((const utf8proc_uint8_t *)(clean.data ? clean.data : ""),
                     (utf8proc_ssize_t)clean.len, &mapped, options);
    ev_buf_free(&clean);
    if (n < 0)
        /* The input is valid UTF-8 by now: only memory or size can fail. */
        ev_die("utf8proc_map: %s", utf8proc_errmsg(n));
    return (char *)mapped;
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
        utf8proc_ssize_t step = utf8proc_iterate((const utf8proc_uint8_t *)folded + in,
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
