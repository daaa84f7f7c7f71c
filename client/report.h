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

/* Whether stdout is a terminal that wants colour (NO_COLOR unset, TERM not dumb). */
bool report_colour(FILE *f);

void report_requirement(FILE *f, const json_t *req, bool colour);
void report_evaluation(FILE *f, const json_t *evaluation, bool colour);

/* 0 when every requirement that applies is met, else 1: the audit's exit. */
int report_exit_status(const json_t *evaluation);

#endif
