/* subject.c: texts prepared for the PCRE2 finders. */
#include "subject.h"

#include <assert.h>
#include <stdlib.h>

#include "ev.h"
#include "nfkc.h"

void ev_subject_open(ev_subject *s, const char *text, size_t len, uint32_t ovec_pairs)
{
    assert(text || len == 0);
    s->copy = len ? ev_utf8_scrub(text, len) : NULL;
    s->text = s->copy ? s->copy : len ? text : "";
    s->len = len;
    s->md = pcre2_match_data_create(ovec_pairs, NULL);
    if (!s->md)
        ev_die("pcre2_match_data_create: out of memory");
}

void ev_subject_close(ev_subject *s)
{
    pcre2_match_data_free(s->md);
    free(s->copy);
}
