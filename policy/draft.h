/*
 * draft.h: is a document a draft? (requirements.md 7a)
 *
 * A document marked as a draft in its title or first lines (草稿, 征求意见稿,
 * 送审稿, 讨论稿, "draft", "for comment", "not for release": the catalog's
 * `draft` cueset) is not in force: the evaluator never counts it as a
 * current procedure, plan, process or standard. 试行 (trial) is no mark.
 *
 * The first lines are where such a mark stands: the title, the headers and
 * footers, and the first few paragraphs or cells of the body, each only
 * when it is a short line of its own, so a documents procedure that
 * explains how drafts (草稿) are reviewed is not one.
 */
#ifndef EV_DRAFT_H
#define EV_DRAFT_H

#include "catalog.h"
#include "doc.h"
#include "evidence.h"

/* Set the field `draft` of e to the word that marks d a draft ("征求意见稿"),
 * with a note, when there is one; e->title must be set if d has a title. */
void draft_find(const catalog *cat, const doc *d, evidence *e);

#endif
