/*
 * fields.h: the field extractor (requirements.md, section 6).
 *
 * Reads the document model of one file and fills the evidence record with
 * normalised field values under the spec's field names, the catalog checks
 * the text satisfies, and short English notes on how values were found.
 *
 * Where values come from, in the spec's order of trust:
 *   - a catalog label and its value: after the label in the same paragraph
 *     (`签订日期：2026年3月5日`, `Date of signing: 5 March 2026`), in the
 *     next cell of the row, or in the cell below when the right neighbour is
 *     empty or is itself a label; dates and amounts also in prose
 *     (`服务期限为一年，自2026年4月1日起`, `本合同总金额为人民币…`); a
 *     field with a value pattern (numbers, versions, the credit code) also
 *     without a colon (`Version 2.0`), the pattern vouching for the value;
 *   - the signature block at the end of the body (甲方（盖章）… 日期：…);
 *   - headers and footers (a procedure's control block);
 *   - the newest row of a revision-history table (a table titled with a
 *     version and a date column, two versioned rows or more) for version,
 *     effective_on and approved_by: it yields to any statement of the
 *     current value, and its column titles give nothing of their own;
 *   - a term in prose no label introduces (本协议自D起生效，为期3年) for
 *     start_on and end_on, and a title that opens with its number
 *     (QMS-002: Document Control) for doc_number.
 * An enum written as a row of boxes (☑同意验收 ☐不同意验收) is its ticked
 * option (tickbox.h). Labels spaced out to fill a cell (版　　本) are read
 * as written together.
 * A value stated twice with different values: a value only its pattern
 * vouches for yields to any other; then the body wins over the signature
 * block, which wins over headers and footers; then a label with a colon or
 * cell over prose, an earlier catalog label over a later one, the first
 * statement over later ones. A differing value from another place, or the
 * same label stated twice, leaves a note naming the conflict.
 *
 * Labels, label synonyms, value patterns, enum cues, category cues, the
 * placeholder and withdrawn word lists all come from the catalog: adding a
 * synonym to catalog.xml is enough for it to be read. What stays in code is
 * which fields each kind carries (the per-kind lists of sections 4 and 6)
 * and the grammar around labels (colons, brackets, role notes).
 *
 * Values: strings NFKC with spaces collapsed, closing punctuation dropped,
 * placeholders (____, XXX, 【 】, [Name], N/A, /) left unset; dates
 * "YYYY-MM-DD"; amount {"value": yuan, "currency": ISO 4217}; area_sqm a
 * number; service_category a category id plus service_categories [ids]
 * (first = service_category); experience [{from, to, employer, role}] with
 * to null for 至今 / present; attendees [names]; withdrawn true for a
 * procedure marked 作废 / obsolete in its title or control block.
 * doc_number, contract_ref and cert_number are kept as written (labels such
 * as No. / 编号 in front removed); comparison keys are ident.h's business.
 *
 * Electronic signatures (PDF, d->signatures) come first for signing dates:
 * the latest signature poppler found "valid" (whatever its certificate's
 * status, which is noted: Chinese e-seals are often self-issued) gives
 * signed_on of a contract, agreement or lease, as its time's calendar date
 * in China Standard Time (UTC+8: the scheme and the signers are Chinese),
 * over any date the text states; a different one in the text is noted. An
 * acceptance report keeps a labelled completed_on (acceptance may precede
 * the signing of its report; a difference is noted) and takes the
 * signature's date only when no label gives one.
 *
 * Fallbacks, each with a note: signed_on from the latest date of the
 * signature block, else effective_on; completed_on of an acceptance report
 * from the signature block; held_on / issued_on of records and reports
 * from the latest date in the text; a plan period from a year in the title.
 *
 * Sources: every value taken from a place in the text also says where,
 * in e->sources: {field: {block, start, end, text}}, block the index in
 * d->blocks, start and end a byte span of that block's text after NFKC
 * with runs of spaces made one (and spaced-out Han labels joined: 版　本
 * is 版本), from the start of the label's sentence to the end of the
 * value, and text that span (a long one with " ... " in its middle), so
 * that a reviewer sees "from 'The total Contract Price ... is RMB
 * 268,000.00'". Values derived from others (fallbacks, the service
 * category, experience) have none.
 *
 * Notes are short English sentences the evaluator may copy into reasons:
 * fallbacks ("signed_on taken from the signature block (its latest date)",
 * "signed_on not stated; effective_on used"), conflicts ("doc_number:
 * conflicting values A (body) and B (header or footer); A kept"), date and
 * amount warnings (month only, ambiguous order, 大写/小写 disagreement),
 * open ends, undecided service categories.
 *
 * Work is bounded for untrusted documents: labels are searched in headers
 * and footers, the first 2 MiB of body text and the last 256 body blocks;
 * a value is at most 4 KiB of text; each field reads at most 64 labels per
 * rank. Every pass is linear or n log n in the number of blocks.
 */
#ifndef EV_FIELDS_H
#define EV_FIELDS_H

#include "catalog.h"
#include "doc.h"
#include "evidence.h"

/*
 * Extract the fields of `d` into `e`. The caller holds a loaded catalog and
 * a parsed document, and has set e->kind (a kind id of `cat`; NULL or an
 * unknown id extracts the title only) and, when known, e->topic,
 * e->subtype, e->language and e->title. Adds members to e->fields, strings
 * "<requirement-id>:<check-id>" to e->checks for every check of every
 * requirement whose evidence includes this kind (and topic) that matches
 * the text, and sentences to e->notes. Never fails; thread-safe over one
 * catalog (it allocates its own match data).
 */
void fields_extract(const catalog *cat, const doc *d, evidence *e);

#endif
