/*
 * evalrec.h: what the evaluator reads of one evidence record, packed.
 *
 * The daemon evaluates every record of a folder at once, tens of thousands
 * on a large server. As jansson trees they take about 2 KiB each, mostly
 * hash tables and small blocks; an evalrec copies only what the rules read
 * into one allocation of about a third of that, so a caller can let each
 * tree go as soon as its evalrec is made.
 *
 * Kept: path (as valid UTF-8: a file name in a legacy encoding comes out
 * NFKC with U+FFFD for each invalid byte, since the evaluation's JSON must
 * be UTF-8), sha256, kind, topic, subtype, title, the check ids, every
 * string field, every string of a list field (service_categories), a
 * resume's experience entries, the withdrawn mark, each electronic
 * signature's signer, status and whole-file coverage (signatures without a
 * status string are dropped), and, for a scan read by OCR, the engine's
 * confidence. A scan read with a confidence under EVALREC_OCR_FLOOR keeps
 * its kind but no field and no check: at that confidence some characters
 * are surely wrong, and one wrong digit makes another date, so such values
 * must not decide a status on their own. So with each field whose
 * source (the block it was read from) OCR read under the floor. Left out: metadata,
 * warnings, notes, why, and fields of other shapes (amounts).
 *
 * Immutable once made; evalrec_free() releases it whole.
 */
#ifndef EV_EVALREC_H
#define EV_EVALREC_H

#include <stdbool.h>
#include <stddef.h>

#include "evidence.h"

#define EVALREC_OCR_FLOOR 70

typedef struct evalrec_field {
    const char *name, *value;
    bool listed;    /* one string of a list field; else a string field */
} evalrec_field;

/* One entry of a resume's `experience`; any member may be NULL. */
typedef struct evalrec_job {
    const char *from, *to, *role;
} evalrec_job;

/* One electronic signature of a PDF, as its record states it. */
typedef struct evalrec_sig {
    const char *signer;     /* NULL when its certificate names no one */
    const char *status;     /* "valid", "digest-mismatch", ... (doc.h) */
    bool covers_whole;      /* false: changed after signing, or not established */
} evalrec_sig;

typedef struct evalrec {
    const char *path, *sha256, *kind;
    const char *topic, *subtype, *title;    /* NULL when the record has none */
    const evalrec_field *fields;            /* in the record's order */
    size_t nfields;
    const char *const *checks;
    size_t nchecks;
    const evalrec_job *jobs;
    size_t njobs;
    const evalrec_sig *sigs;                /* in the record's order */
    size_t nsigs;
    bool withdrawn;   /* the `withdrawn` field is true or a non-empty string */
    int ocr_confidence;     /* read by OCR: the engine's, 0..100; -1: not a scan */
    bool ocr_dropped;       /* read by OCR under the floor: fields and checks left out */
    unsigned ocr_doubtful;  /* fields OCR read under the floor, left out one by one */
} evalrec;

/* The evalrec of a counting record: NULL when e has no kind or was not
 * read (evidence_unread_why: rejected, unparsed, no text), since those
 * never count. */
evalrec *evalrec_new(const evidence *e);

/* A copy of `path` that is valid UTF-8: the path itself when it is, else
 * its NFKC with U+FFFD for each invalid byte. The caller frees it. */
char *evalrec_path(const char *path);
void evalrec_free(evalrec *r);

/* A string field; NULL when unset or not a string. */
const char *evalrec_str(const evalrec *r, const char *name);

/* Whether the list field `name` holds the string `value`; with value NULL,
 * whether it holds any string. */
bool evalrec_listed(const evalrec *r, const char *name, const char *value);

#endif
