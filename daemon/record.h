/*
 * record.h: a recorded document version as the daemon keeps it in memory.
 *
 * The daemon holds one for every file of the folder, tens of thousands on a
 * large server, while only an evaluation or a socket reply needs the whole
 * evidence record, briefly. So the record is kept as its compact JSON text
 * (evidence_to_json(e, true)), a tenth of the memory of the parsed form,
 * with the two values the event stream needs at hand.
 */
#ifndef EV_RECORD_H
#define EV_RECORD_H

#include <jansson.h>

#include "evidence.h"

typedef struct record {
    char sha256[EV_SHA256_HEX_LEN + 1];
    char *kind;             /* NULL when unclassified or rejected */
    char *json;             /* the evidence record, compact JSON */
    bool read_by_ocr;       /* it holds what OCR read of a scan */
    bool wants_ocr;         /* a scan OCR has not read (evidence_wants_ocr) */
    unsigned refs;
} record;

/*
 * A record is immutable once made and shared by reference: the file table
 * holds one, a running evaluation holds one for each record it reads, so
 * the evaluation thread reads the texts without copying them. References
 * are taken and dropped on the loop thread only; the evaluation thread
 * reads `json` and nothing else.
 */
record *record_new(const evidence *e);
/* From an object of evidence_to_json's shape (the ledger's rows at start). */
record *record_from_object(const json_t *o);
/* The same record under a new path (the file was renamed): a new record. */
record *record_with_path(const record *r, const char *path);
record *record_ref(record *r);
/* Drop a reference; the last one frees the record. NULL is ignored. */
void record_unref(record *r);
/* The evidence record as the evaluator reads it, parsed anew, without the
 * metadata, warnings, notes and sources only reports show. NULL only if the text is
 * damaged. */
evidence *record_evidence(const record *r);
/* The record as a JSON object, parsed anew (never NULL). */
json_t *record_object(const record *r);

#endif
