/*
 * nfkc.h: Unicode normalisation of document text (utf8proc).
 *
 * Documents mix full-width and half-width forms (２０２６, ＨＴ－２０２６,
 * （）), compatibility ideographs and stray invalid bytes. Everything the
 * policy library compares or parses first goes through one of these two
 * functions so that every module sees the same text.
 *
 * Both functions accept any bytes: an invalid UTF-8 sequence (including an
 * encoded surrogate or an overlong form) becomes U+FFFD, one replacement per
 * offending byte, and U+0000 is dropped so the result is a complete C string.
 * Neither fails on input; they abort only when memory runs out (ev.h).
 * The result is malloc'd and NUL-terminated; release it with free().
 */
#ifndef EV_NFKC_H
#define EV_NFKC_H

#include <stddef.h>

/*
 * NFKC of s[0..len). s may be NULL when len is 0. The result is what fields
 * store and what the date/amount finders read: full-width digits, letters
 * and punctuation become ASCII, U+3000 becomes a space.
 */
char *ev_nfkc(const char *s, size_t len);

/*
 * A matching key: NFKC, Unicode case folding, default-ignorable code points
 * removed (zero-width spaces, soft hyphens) and every white-space code point
 * removed. Two names or numbers "are the same" when their keys are equal
 * bytes; the key is never shown to people.
 */
char *ev_fold(const char *s, size_t len);

/*
 * s[0..len) made valid UTF-8 by the rules above (U+FFFD per bad byte,
 * U+0000 dropped), nothing else changed, for modules that walk code points
 * themselves. *out_len (if non-NULL) receives its length.
 */
char *ev_utf8_clean(const char *s, size_t len, size_t *out_len);

/*
 * For searches that report byte offsets into the caller's text: NULL when
 * s[0..len) is already valid UTF-8, otherwise a malloc'd copy of the same
 * length in which every byte of an invalid sequence is replaced by 0x1A
 * (SUB), so offsets into the copy are offsets into s. Release with free().
 */
char *ev_utf8_scrub(const char *s, size_t len);

#endif
