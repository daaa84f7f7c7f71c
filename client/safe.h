/*
 * safe.h: strings from the daemon, from documents and from file names made
 * safe to print on a terminal. A file name with a newline would forge a
 * line of the report; ESC sequences (\033[8m hides text) would rewrite it.
 * Every string the human output prints passes through here; --json output
 * is JSON-escaped by jansson and does not.
 *
 * The escapes are ev_buf_put_escaped()'s (ev.h): the log writes file
 * names the same way.
 */
#ifndef CTL_SAFE_H
#define CTL_SAFE_H

#include <stdio.h>

#include <jansson.h>

#include "ev.h"

/* s escaped, in a string the caller frees; "" for NULL. */
char *safe_strdup(const char *s);

/* Write s escaped to f; nothing for NULL. */
void safe_fputs(const char *s, FILE *f);

/* Escape, in place, every string value and member name in v, so that the
 * human printers can print what they find in a reply as it is. */
void safe_json(json_t *v);

#endif
