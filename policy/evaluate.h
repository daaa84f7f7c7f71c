/*
 * evaluate.h: the requirement evaluator (requirements.md sections 3, 4, 7).
 *
 * evaluate() turns the evidence records of one folder into a status per
 * catalog requirement as of one calendar date. It reads the records only
 * (kind, topic, subtype, fields, checks), never the documents, so the daemon
 * can re-evaluate from its ledger at any as-of date without parsing again.
 *
 * Every figure (4 months, the 12-month window, the 90-day renewal warning,
 * record ages) comes from the <rule> of the requirement in the catalog; the
 * role and content words come from its <check> elements.
 *
 * Result, one object:
 *   {as_of: "YYYY-MM-DD", categories: [id...],
 *    requirements: [{id, clause, title: {zh, en}, status,
 *                    evidence: [{path, sha256, kind, why}], reasons: [...],
 *                    per_category: {id: status}}]}
 * Requirements come in catalog order; per_category is present only for the
 * requirements the catalog marks per-category="yes". Statuses are "met",
 * "partial", "missing", "expired" and "not-applicable"; a per-category
 * requirement takes the worst of its categories in the order
 * missing < expired < partial < met. Evidence is sorted by path; `why` says
 * what the document stands for ("current personnel procedure, version V1.2,
 * effective 2026-01-10"). Reasons are English sentences naming documents by
 * kind, number and path ("service contract HT-2026-014 (contracts/a.docx)
 * signed 2026-03-05 has no acceptance report yet"); a finding of one
 * category starts with "<category>: "; the ones a person must still confirm
 * start with "needs review: " (then the category, if any) and never change a
 * status. Each reason appears once per requirement.
 *
 * The clarifications of requirements.md 7a:
 *   - record.projects: a contract signed before the window and accepted in
 *     it is no project of the window; when it is a category's best, the
 *     category is partial ("... was completed on D within the last year,
 *     but signed on S before it");
 *   - a draft (the record's `draft` field, or a title with a word of the
 *     catalog's `draft` cueset) is not in force: never a current procedure,
 *     plan, process or standard ("draft: not in force"); a draft of another
 *     kind counts, with a review reason to confirm the final version;
 *   - the head is named by a whole role of the head-role check: 负责人,
 *     总经理兼技术负责人 and 总经理(法定代表人) do; 技术负责人, 项目负责人,
 *     质量负责人 and 副总经理 do not;
 *   - a register of confidentiality agreements (the catalog's `register`
 *     cueset and the agreement's strong cues in its title) is never a
 *     signed agreement; it is cited as support;
 *   - a file that was not read (evidence_unread_why) is never evidence; when
 *     a requirement, or one category of it, is not met and lacks a kind of
 *     its catalog evidence (or every alternative of its group), the files
 *     not read whose names match that kind's cues are named with why (see
 *     unread.h), at most 5 and a count of the rest: "no business license
 *     read; 营业执照（副本）.jpg is not read: a scan waiting for OCR (or OCR
 *     is off)" ("... that counts" when records of the kind were read but
 *     none counts).
 *
 * Readings the spec leaves open, decided here:
 *   - management months (4.1) count overlapping entries once;
 *   - a newer procedure not yet in force does not supersede the current one;
 *     a withdrawn newest edition leaves the older ones superseded;
 *   - with organisation names configured, a contract or lease whose party B
 *     is unstated still counts, with a review reason;
 *   - old leases, old projects and expired certificates are named in the
 *     reasons only when nothing current replaces them;
 *   - an electronic signature that does not validate, or a valid one the
 *     file was changed after (covers_whole false), gives every requirement
 *     citing the document a review reason naming its path, its signer and
 *     what is wrong ("needs review: contracts/a.pdf: its electronic
 *     signature by 张伟 does not validate (digest-mismatch)"), and changes
 *     no status: the text was read and counts; what the change was is for
 *     an auditor to judge. An untrusted certificate is not a reason here
 *     (self-issued e-seals are common); the record's notes say it.
 *
 * Categories are reported in catalog order (ids unknown to the catalog after
 * them, sorted), each once, so the declared order does not matter.
 *
 * Pure and deterministic: the same catalog, records (in any order), as-of
 * date, categories and organisation names give byte-identical JSON.
 * Records that were not read (rejected, unparsed, no text) never count.
 * Thread-safe: it shares nothing but the read-only catalog.
 */
#ifndef EV_EVALUATE_H
#define EV_EVALUATE_H

#include <stddef.h>

#include <jansson.h>

#include "catalog.h"
#include "date.h"
#include "evidence.h"

typedef struct eval_params {
    const catalog *cat;
    ev_date as_of;                     /* a valid calendar date */
    const char *const *categories;     /* declared category ids */
    size_t ncategories;
    /*
     * The organisation's names (Chinese, English, former names), used to
     * tell which party of a contract or lease is the organisation. May be
     * empty: party_b is then taken to be the provider / tenant and the
     * reasons say so.
     */
    const char *const *org_names;
    size_t norg_names;
} eval_params;

/*
 * Evaluate every requirement of p->cat as of p->as_of over docs[0..ndocs)
 * (any order; NULL entries are skipped). The caller keeps ownership of the
 * records and owns the returned JSON (json_decref). Never fails: missing or
 * malformed fields lower a status or add a reason, they are not errors.
 */
json_t *evaluate(const eval_params *p, const evidence *const *docs, size_t ndocs);

/*
 * The same, one record at a time, for a caller that holds many records in
 * some compact form and cannot afford them all as evidence at once (the
 * daemon): evaluator_add() copies what the rules read (see evalrec.h), so
 * each record may be freed as soon as it returns. The parameters, and what
 * they point to, must stay valid until evaluator_finish(), which evaluates,
 * frees the evaluator and returns what evaluate() would.
 */
typedef struct evaluator evaluator;

evaluator *evaluator_new(const eval_params *p);
void evaluator_add(evaluator *ev, const evidence *e);
json_t *evaluator_finish(evaluator *ev);

#endif
