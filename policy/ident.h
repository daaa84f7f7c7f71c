/*
 * ident.h: identifiers — document and contract numbers, and the unified
 * social credit code (统一社会信用代码, GB 32100-2015).
 *
 * Two numbers are "the same" when their keys are equal (requirements.md
 * section 7): NFKC, upper-case, no white space, and none of the labels a
 * cell or paragraph puts in front (No., NO:, 编号, 合同编号：, Contract No.).
 * Pure functions, thread-safe.
 */
#ifndef EV_IDENT_H
#define EV_IDENT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The comparison key of s[0..len): labels stripped (repeatedly: "合同编号：
 * No. HT-2026-018"), closing punctuation at the end dropped, every white
 * space removed, letters upper-cased. "No. ht - 2026 - 018。" gives
 * "HT-2026-018". The result is malloc'd (free()); it is "" when nothing but
 * labels was there. Any bytes are accepted (see nfkc.h).
 */
char *ev_ident_key(const char *s, size_t len);

/* True when a and b have equal keys and the key is not empty. */
bool ev_ident_same(const char *a, size_t alen, const char *b, size_t blen);

/* What is wrong with a credit code, for the reasons of legal.entity. */
typedef enum ev_credit_status {
    EV_CREDIT_OK = 0,
    EV_CREDIT_LENGTH,  /* not 18 characters */
    EV_CREDIT_CHARSET, /* a character outside 0-9 and A-Z without I O S V Z */
    EV_CREDIT_CHECK    /* the 18th character is not the check character */
} ev_credit_status;

/*
 * Check a unified social credit code. The text is NFKC'd and surrounding
 * white space ignored; letters must be capitals, as the standard prints
 * them. When expected is non-NULL it receives the check character the
 * first 17 characters call for (or '\0' if they cannot have one).
 */
ev_credit_status ev_credit_code_check(const char *s, size_t len, char *expected);

/* A sentence for a status ("check character is 1, expected X" needs the
 * caller's own words; this names the class). Static storage. */
const char *ev_credit_status_name(ev_credit_status status);

#endif
