/*
 * version.h: versions of controlled documents, and their order
 * (requirements.md section 4, "Version order").
 *
 * A version is read as a sequence of elements, each a number or a letter:
 * "V2.1" is (2, 1), "A/0" is (A, 0), "Rev. 10" is (10), "第2版" is (2).
 * Labels and decorations around it (V, Ver., Version, Rev., Revision, Issue,
 * 版本, 版本号, 版次, 修订号, 第…版) are dropped; full-width forms are read
 * as ASCII. Pure functions, thread-safe.
 */
#ifndef EV_VERSION_H
#define EV_VERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EV_VERSION_MAX_PARTS 8

typedef struct ev_version_part {
    bool letter;     /* a letter (value 'A'..'Z') rather than a number */
    uint32_t value;  /* the number, or the upper-case letter */
} ev_version_part;

typedef struct ev_version {
    int count; /* 1..EV_VERSION_MAX_PARTS */
    ev_version_part part[EV_VERSION_MAX_PARTS];
} ev_version;

/*
 * Parse s[0..len). Returns true and fills *out; false when the text is not a
 * version ("draft", "最新", an empty cell, more than EV_VERSION_MAX_PARTS
 * elements, a number above 10^9, two letters in a row). The caller then
 * orders by effective date and says the version did not parse.
 */
bool ev_version_parse(const char *s, size_t len, ev_version *out);

/*
 * <0, 0, >0 as a is older than, the same as, newer than b. Elements compare
 * in order; a missing element counts as 0 against a number (1.0 = 1.0.0 <
 * 1.0.1) and as lower than any letter; a number is lower than a letter at
 * the same place (1 < A), a convention for mixed schemes.
 */
int ev_version_cmp(const ev_version *a, const ev_version *b);

#endif
