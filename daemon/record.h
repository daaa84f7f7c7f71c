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
} record;

record *record_new(const evidence *e);
/* From an object of evidence_to_json's shape (the ledger's rows at start). */
record *record_from_object(const json_t *o);
void record_free(record *r);
/* The evidence record as the evaluator reads it, parsed anew: without the
 * metadata, warnings and notes that only reports show, so that an
 * evaluation over every record costs as little memory as it can. NULL only
 * if the text is damaged. */
evidence *record_evidence(const record *r);
/* The same from a record's text (a copy taken for another thread). */
evidence *record_text_evidence(const char *json);
/* The record as a JSON object, parsed anew (never NULL). */
json_t *record_object(const record *r);
/* The file was renamed: the record names its new path. */
void record_set_path(record *r, const char *path);

#endif
