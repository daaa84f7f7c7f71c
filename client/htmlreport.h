/*
 * htmlreport.h: an evaluation as one HTML page that people read on screen
 * and print on A4, for those who do not run evidenced (management, the
 * consultant, the assessor).
 *
 * The page is self-contained: inline CSS, no script, no image, no font or
 * link outside it, so it opens the same from a mail attachment, a USB key
 * or an archive in ten years. In order: a cover (organisation, declared
 * categories, as-of date, ledger head, signing key, signed checkpoint), a
 * summary table of every requirement, what to do next for each one not
 * met, one section per requirement (clause, wording, per-category
 * statuses, evidence with its key fields, signers, SHA-256 and first
 * sighting, reasons), and an index of every document. Statuses are a word
 * and a border style as well as a colour, so a black-and-white print
 * tells them apart. Print CSS: A4, each section on new pages, the as-of
 * date and page numbers in the page margins.
 *
 * Input, the shape of the daemon's status reply (architecture.md, README):
 *   {as_of, categories, requirements: [...], documents: [...records],
 *    organisation: [names]?, watch | folder?,
 *    ledger: {seq, hash, key}?, first_seen: {sha256: ts}?,
 *    checkpoint?, vkey?, progress?}
 * Members marked ? may be absent: an offline audit has no ledger, so no
 * head, key or first sighting, and the page says so. `checkpoint` is the
 * signed note's text (a string), or an object whose "text" member is;
 * `vkey` the verifier key's text; `progress` the daemon's (a scan still
 * running, files left out are said on the cover).
 *
 * Every string of the input is untrusted (file names and field values come
 * from documents anyone may drop): each is made printable as the terminal
 * output makes it (ev_buf_put_escaped: control and bidi characters shown
 * as escapes) and then HTML-escaped, in text and attributes alike, and the
 * strings the print CSS repeats in the page margins are CSS-escaped.
 *
 * "What to do next" is derived, not written per requirement: the document
 * kinds the catalog accepts for the requirement that no cited document is
 * of, the evaluation's findings (per-category ones only for the categories
 * not met), and its "needs review" reasons as things a person must confirm.
 *
 * The same input gives the same bytes: nothing depends on the clock or the
 * machine.
 */
#ifndef CTL_HTMLREPORT_H
#define CTL_HTMLREPORT_H

#include <stdbool.h>

#include <jansson.h>

#include "catalog.h"
#include "ev.h"

/* Which language the page's own words and the requirement wording are in;
 * the evaluation's reasons are English whatever this says. */
typedef enum htmlreport_lang {
    HTMLREPORT_ZH = 1,
    HTMLREPORT_EN = 2,
    HTMLREPORT_BOTH = HTMLREPORT_ZH | HTMLREPORT_EN
} htmlreport_lang;

/* "zh", "en" or "both"; false for anything else. */
bool htmlreport_lang_parse(const char *text, htmlreport_lang *out);

/*
 * Append the page for `report` (the shape above) to out. `cat` names kinds,
 * categories and topics and gives the evidence each requirement accepts;
 * it should be the catalog the evaluation was made with. Never fails:
 * members missing or of the wrong type are shown as unknown.
 */
void htmlreport_write(ev_buf *out, const json_t *report, const catalog *cat,
                      htmlreport_lang lang);

#endif
