/*
 * report.h: an evaluation ({as_of, categories, requirements: [...]}) as a
 * person reads it on a terminal: one block per requirement with its status,
 * Chinese and English titles, evidence and reasons; a summary line last.
 * Colour only when `colour` (the caller checks for a terminal). Strings are
 * printed as they are: the caller escapes the evaluation first (safe_json).
 */
#ifndef CTL_REPORT_H
#define CTL_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "catalog.h"

/* Whether stdout is a terminal that wants colour (NO_COLOR unset, TERM not dumb). */
bool report_colour(FILE *f);

/* Evidence lists longer than this are cut there, with a line saying how
 * many more there are; `all` prints them whole. */
#define REPORT_EVIDENCE_SHOWN 10

void report_requirement(FILE *f, const json_t *req, bool colour, bool all);
/* With a note first when no category is declared: then every requirement
 * that depends on one is missing whatever the evidence; the note lists the
 * category ids of `cat` (NULL: it says where they are). */
void report_evaluation(FILE *f, const json_t *evaluation, const catalog *cat, bool colour,
                       bool all);

/* An amount's value with thousands separators and two decimals,
 * "-1,234,567.80"; "0.00" when value is not a number. Returns out. */
#define REPORT_AMOUNT_LEN 32
const char *report_amount_text(const json_t *value, char out[REPORT_AMOUNT_LEN]);

/* 0 when every requirement that applies is met, else 1: the audit's exit. */
int report_exit_status(const json_t *evaluation);

#endif
