/*
 * subject.h: a text made ready for PCRE2 matching, as the date and amount
 * finders use it: invalid UTF-8 replaced byte for byte (ev_utf8_scrub, so
 * offsets stay the caller's) and match data of its own (a finder runs on
 * many threads at once; the compiled patterns are shared, this is not).
 */
#ifndef EV_SUBJECT_H
#define EV_SUBJECT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ev_subject {
    const char *text;       /* the text, or its scrubbed copy */
    size_t len;
    char *copy;             /* the copy, when the text needed one */
    pcre2_match_data *md;
} ev_subject;

/* `ovec_pairs`: the most capture groups (plus one) a pattern of the caller has. */
void ev_subject_open(ev_subject *s, const char *text, size_t len, uint32_t ovec_pairs);
void ev_subject_close(ev_subject *s);

#endif
