/*
 * tickbox.c: the ticked options of a row of boxes; tickbox.h states the
 * contract.
 */
#include "tickbox.h"

#include <stdbool.h>
#include <string.h>

#include "ev.h"

static const struct {
    const char *mark;
    bool ticked;
} marks[] = {
    {"☑", true},  {"☒", true},  {"■", true},   {"●", true},   {"√", true},
    {"✔", true},  {"✓", true},  {"[x]", true}, {"[X]", true}, {"[√]", true},
    {"(√)", true}, {"☐", false}, {"□", false}, {"○", false},  {"[ ]", false},
    {"[]", false}, {"( )", false},
};

/* The mark at s[0..n): its length, and whether it is ticked; 0 if none. */
static size_t mark_at(const char *s, size_t n, bool *ticked)
{
    for (size_t i = 0; i < EV_ARRAY_LEN(marks); i++) {
        size_t ml = strlen(marks[i].mark);
        if (n >= ml && memcmp(s, marks[i].mark, ml) == 0) {
            *ticked = marks[i].ticked;
            return ml;
        }
    }
    return 0;
}

static bool blank_span(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
            return false;
    return true;
}

static void put_option(ev_buf *out, const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
        n--;
    if (n == 0)
        return;
    if (out->len)
        ev_buf_putc(out, '\n');
    ev_buf_append(out, s, n);
}

char *tickbox_ticked(const char *text, size_t len)
{
    /* Where the marks are. */
    size_t nmarks = 0, first = len, first_end = len, last_end = 0;
    for (size_t i = 0; i < len;) {
        bool t;
        size_t ml = mark_at(text + i, len - i, &t);
        if (ml) {
            if (nmarks++ == 0) {
                first = i;
                first_end = i + ml;
            }
            last_end = i + ml;
            i += ml;
        } else {
            i++;
        }
    }
    if (nmarks == 0)
        return NULL;
    /* Marks after their options: text first, and nothing after the last
     * mark or the first mark set against its option and apart from what
     * follows ("合格√ 不合格"). */
    bool tight = first > 0 && text[first - 1] != ' ' && first_end < len && text[first_end] == ' ';
    bool postfix = !blank_span(text, first) &&
                   (blank_span(text + last_end, len - last_end) || tight);
    ev_buf out = {0};
    size_t seg = postfix ? 0 : len;   /* start of the option being read */
    bool seg_ticked = false;
    for (size_t i = 0; i < len;) {
        bool t;
        size_t ml = mark_at(text + i, len - i, &t);
        if (!ml) {
            i++;
            continue;
        }
        if (postfix) {
            if (t)
                put_option(&out, text + seg, i - seg);
        } else {
            if (seg < i && seg_ticked)
                put_option(&out, text + seg, i - seg);
            seg_ticked = t;
        }
        i += ml;
        seg = i;
    }
    if (!postfix && seg_ticked && seg < len)
        put_option(&out, text + seg, len - seg);
    if (!out.data)
        return ev_strdup("");
    return ev_buf_steal(&out);
}
