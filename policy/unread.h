/*
 * unread.h: the files of a folder that were not read, and which of them a
 * missing kind of evidence may be.
 *
 * A file whose text was not read (evidence_unread_why: rejected, only
 * hashed, or without any text, whatever the cause) is never evidence: only
 * its name would say what it is, and a name can say anything
 * (requirements.md 7a). But when a requirement lacks a kind of evidence, a
 * person wants to hear that 营业执照（副本）.jpg is in the folder and why
 * it was not read. An unread_set keeps each such file and answers, for a
 * kind (with a procedure topic or a subtype), the files whose names match.
 *
 * A name matches with the catalog's own cues, read as the classifier reads
 * the name of a document without text: the file name without its folder
 * and extension, '_' as a space; the kind's strong cues match and its
 * negative cues do not; a topic's words match too, and so do the cues of a
 * subtype other than the kind's default one.
 *
 * Bounded work for huge folders: names are prepared for matching once, when
 * the first question is asked (never, when every requirement is met); a
 * (kind, topic, subtype) is matched against the names once per set,
 * whatever the number of requirements and categories that ask (the answer
 * is kept), so the work is linear in the files not read, times the kinds
 * of evidence missing (at most the catalog's evidence entries). Each file
 * costs its path, its phrase and its prepared name.
 *
 * Not thread-safe: one set belongs to one evaluation.
 */
#ifndef EV_UNREAD_H
#define EV_UNREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "evidence.h"

typedef struct unread_set unread_set;

/* The files whose names match one kind, in path order. */
typedef struct unread_match {
    const size_t *idx;      /* indices of the set: unread_path(), unread_why() */
    size_t n;
} unread_match;

/* An empty set matched with the catalog's cues; `cat` must outlive it. */
unread_set *unread_new(const catalog *cat);
void unread_free(unread_set *u);

/* Keep e (its path, why it was not read, its name) when it was not read;
 * false, keeping nothing, when it was read. No file may be added after the
 * first unread_matching(). */
bool unread_add(unread_set *u, const evidence *e);

size_t unread_count(const unread_set *u);
/* The path as valid UTF-8, and the phrase of evidence_unread_why(). */
const char *unread_path(const unread_set *u, size_t i);
const char *unread_why(const unread_set *u, size_t i);

/*
 * The files whose names match `kind` (and `topic` and `subtype`, either
 * NULL for any). The answer belongs to the set and stays valid until
 * unread_free().
 */
const unread_match *unread_matching(unread_set *u, const cat_kind *kind,
                                    const cat_topic *topic, const cat_subtype *subtype);

#endif
