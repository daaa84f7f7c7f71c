/* safe.c: escaping for terminal output; see safe.h. */
#include "safe.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Length of the UTF-8 sequence that starts at s, or 0 when s[0..len) does
 * not start with a well-formed one. */
static size_t utf8_seq_len(const unsigned char *s, size_t len)
{
    size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
             : (s[0] & 0xf8) == 0xf0 ? 4 : 0;

    return n && n <= len && ev_utf8_valid((const char *)s, n) ? n : 0;
}

static unsigned utf8_code_point(const unsigned char *s, size_t n)
{
    static const unsigned char lead_mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
    unsigned cp = s[0] & lead_mask[n];

    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (s[i] & 0x3f);
    return cp;
}

/* Code points that change what a terminal shows beyond their own glyph. */
static bool invisible_control(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

void safe_append(ev_buf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        size_t n = utf8_seq_len(p + i, len - i);
        if (n == 0) {
            ev_buf_printf(out, "\\x%02x", p[i]);
            i++;
            continue;
        }
        if (n == 1) {
            switch (p[i]) {
            case '\n': ev_buf_puts(out, "\\n"); break;
            case '\r': ev_buf_puts(out, "\\r"); break;
            case '\t': ev_buf_puts(out, "\\t"); break;
            case '\\': ev_buf_puts(out, "\\\\"); break;
            default:
                if (p[i] < 0x20 || p[i] == 0x7f)
                    ev_buf_printf(out, "\\x%02x", p[i]);
                else
                    ev_buf_putc(out, (char)p[i]);
            }
        } else if (invisible_control(utf8_code_point(p + i, n))) {
            ev_buf_printf(out, "\\u%04x", utf8_code_point(p + i, n));
        } else {
            ev_buf_append(out, p + i, n);
        }
        i += n;
    }
}

char *safe_strdup(const char *s)
{
    ev_buf b = {0};

    if (s)
        safe_append(&b, s, strlen(s));
    return ev_buf_steal(&b);
}

void safe_fputs(const char *s, FILE *f)
{
    char *e;

    if (!s)
        return;
    e = safe_strdup(s);
    fputs(e, f);
    free(e);
}

/* Whether s would print differently escaped. */
static bool needs_escape(const char *s)
{
    char *e = safe_strdup(s);
    bool differs = strcmp(e, s) != 0;

    free(e);
    return differs;
}

/* Rebuild object o with escaped member names, keeping their order. */
static void escape_names(json_t *o)
{
    json_t *copy = json_object(), *value;
    const char *name;

    json_object_foreach(o, name, value) {
        char *e = safe_strdup(name);
        json_object_set(copy, e, value);
        free(e);
    }
    json_object_clear(o);
    json_object_update(o, copy);
    json_decref(copy);
}

void safe_json(json_t *v)
{
    json_t *item;
    const char *name;
    size_t i;
    bool bad_name = false;

    if (json_is_string(v)) {
        if (needs_escape(json_string_value(v))) {
            char *e = safe_strdup(json_string_value(v));
            json_string_set(v, e);
            free(e);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item)
            safe_json(item);
    } else if (json_is_object(v)) {
        json_object_foreach(v, name, item) {
            safe_json(item);
            bad_name = bad_name || needs_escape(name);
        }
        if (bad_name)
            escape_names(v);
    }
}
