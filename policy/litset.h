/*
 * litset.h: many literal byte strings found in one pass over a text.
 *
 * The field extractor looks for hundreds of label synonyms in every block
 * of a document, and the classifier for hundreds of cues; one memmem per
 * literal per text made that the largest cost of an audit. A litset indexes
 * its strings by their first two bytes, so a scan looks at each position
 * once and compares only the few strings that start there.
 *
 * Built once, a litset is read-only and may be scanned from many threads.
 */
#ifndef EV_LITSET_H
#define EV_LITSET_H

#include <stddef.h>

typedef struct litset litset;

/* Called for each occurrence: the string's index (in order of addition)
 * and the byte offset where it starts. Return non-zero to stop the scan. */
typedef int litset_fn(void *ctx, size_t index, size_t start);

litset *litset_new(void);
/* Add a string (copied). Empty strings are ignored but keep their index. */
size_t litset_add(litset *s, const char *str, size_t len);
/* Length of string `index`. */
size_t litset_len(const litset *s, size_t index);
/* Index the strings; call once, after the last litset_add. */
void litset_build(litset *s);
/* Report every occurrence, overlapping ones included, by increasing start
 * (at one start: one-byte strings first, then the others in order of
 * addition). */
void litset_scan(const litset *s, const char *text, size_t len, litset_fn *fn, void *ctx);
void litset_free(litset *s);

#endif
