/*
 * classify.h: which kind of evidence a document is (requirements.md, section 5).
 *
 * The cues are catalog data; this module applies them in the order the spec
 * fixes: the title first, then body cues (including table cells), with the
 * document's header and metadata title as weak title sources only.
 *
 *   - Kinds are tried in catalog order. A strong cue in the title decides
 *     alone unless one of the kind's negative cues applies; the first kind
 *     so decided wins.
 *   - Without a strong cue, a kind needs two medium cues, or one medium and
 *     two weak ones; the kind with most medium (then weak) cues wins, and a
 *     tie is `other` with a reason.
 *   - A document without body text (a scan pasted into it, perhaps under a
 *     header) is classified from its file name and metadata title alone,
 *     with the reason "image only: needs review".
 *
 * The title is the first heading or short paragraph among the first blocks
 * of the body; when a later one of the first three such blocks carries a
 * strong cue and the first does not (a cover page that starts with the
 * company name), that one is the title. Text is compared after NFKC; Latin
 * text case-insensitively. Only the first 256 KiB of text is read (some
 * forty pages: titles and the cues that decide come early).
 *
 * Thread safety: classify_doc() may run on many threads at once over one
 * catalog; it allocates its own match data.
 */
#ifndef EV_CLASSIFY_H
#define EV_CLASSIFY_H

#include <stddef.h>

#include "catalog.h"
#include "doc.h"

typedef struct classify_result {
    const char *kind;       /* a kind id of the catalog; "other" when undecided */
    const char *topic;      /* topic id for kinds with topics, else NULL */
    const char *subtype;    /* subtype id when the kind has subtypes, else NULL */
    const char *language;   /* "zh" or "en" */
    char *title;            /* the title read (NFKC, spaces collapsed), or NULL */
    char **why;             /* the cues that decided: "title: 技术服务合同", "body: 甲方+乙方" */
    size_t nwhy;
    char **reasons;         /* undecided, tied, image only, no topic: for people */
    size_t nreasons;
} classify_result;

/*
 * Classify `d`, named `file_name` (a path or base name; may be NULL), with
 * the cues of `cat`. Fills *out, which the caller releases with
 * classify_result_free(); the id strings in it belong to `cat`, which must
 * outlive the result. Never fails: an undecided document is `other`.
 */
void classify_doc(const catalog *cat, const doc *d, const char *file_name,
                  classify_result *out);

void classify_result_free(classify_result *r);

#endif
