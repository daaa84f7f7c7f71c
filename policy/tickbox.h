/*
 * tickbox.h: a conclusion written as a row of options with boxes, as forms
 * lay it out ("☑同意验收 ☐整改后再验 ☐不同意验收", "■通过 □不通过",
 * "[x] Accepted [ ] Rejected", "合格√ 不合格"). The ticked option is the
 * answer; an unticked one is never read.
 *
 * Ticked marks: ☑ ☒ ■ ● √ ✔ ✓ [x] [X] [√] (√). Unticked: ☐ □ ○ [ ] [] ( ).
 * A mark before its option is the usual layout (the text runs to the next
 * mark); when the text starts with an option and nothing follows the last
 * mark, each mark follows its option instead. Pure, thread-safe.
 */
#ifndef EV_TICKBOX_H
#define EV_TICKBOX_H

#include <stddef.h>

/*
 * The ticked options of text[0..len) (NFKC), each on its own line, as a
 * string the caller frees: "" when the text has boxes but none is ticked.
 * NULL when the text has no box mark at all (read it as it is).
 */
char *tickbox_ticked(const char *text, size_t len);

#endif
