/*
 * ocrtext.h: repair of the text Tesseract reads from Chinese scans.
 *
 * Tesseract (chi_sim, 5.3) returns text a reader of the page would not
 * write: spaces inside Chinese words (注册信 息, 名 称), half-width
 * punctuation spaced like words (合同编号 : XH, 委托单位 (盖章)), letters
 * for digits inside numbers (2O26, 0l07, HT-2O26-O1O7), Latin O or an Arabic
 * 0 for the numeral 〇 of a year (二O二六年), the letter Y for ¥ before an
 * amount. This module undoes what can be undone without knowing the
 * document, so that the classifier and the field readers, which read the
 * text after ev_nfkc (nfkc.h), see what they see in a DOCX.
 *
 * What is repaired, and why it is safe:
 *
 *  1. Spaces. A run of one or two spaces (U+0020 or U+3000) is dropped
 *     when both neighbours are CJK (a Han ideograph, CJK punctuation such
 *     as 、。〇《》【】, or a full-width form such as ，：（）), or when one
 *     neighbour is CJK and the other is one of ( ) : ; , ! ? (what OCR
 *     prints for the full-width mark), or between two such marks with CJK
 *     on either side of the pair (单位 (盖章) : 江南). Chinese puts no
 *     spaces between words, so no reading is lost; English text has no CJK
 *     neighbour and is never touched; spaces between a digit or a Latin letter and Han
 *     are kept (the date and amount finders allow them, and 1088号 vs
 *     "1088 号" means the same). Three or more spaces are a gap between
 *     columns of the page (a label and its value in a form, Tesseract's
 *     preserve_interword_spaces) and are kept, so a label is not glued to
 *     its value. Two columns that OCR separates by a single space (有限公司
 *     乙方(盖章)) are joined like a word; the labels the field readers
 *     look for are still there.
 *
 *  2. Digits. In a run of ASCII letters and digits (a word: bounded by
 *     anything else, such as - . / : , or a space), O o 〇 ○ become 0 and
 *     l I become 1 when
 *       a. the word is only digits and such letters, with at least as many
 *          digits as letters (2O26, O1O7, l5 but not IO, I, lO), or
 *       b. one or two such letters stand between two digits inside the word
 *          (CNITSEC2O24CISP -> 2024, CISP0l873 -> 01873);
 *     a word of letters O/o alone becomes zeros when a comma or a point
 *     joins it to a number (386,OOO.OO). A | between two digits is a 1.
 *     No English word is made of these letters with a digit inside or with
 *     more digits than letters, so English text keeps its reading; Roman
 *     numerals (I, II, IV) have no digits and are kept, I-9 and I.2 too.
 *     The cost: an identifier that really has an O, l or I between digits
 *     (SN2O19) loses it; numbering schemes avoid those letters for the
 *     reason OCR confuses them. Keep the text as read for showing (extract
 *     --text) and read fields from the repaired text.
 *
 *  3. Credit codes. An 18-character word that is not a valid unified social
 *     credit code (ident.h) and becomes one when O o→0, I l |→1, S→5, Z→2
 *     (the letters GB 32100 leaves out because they look like digits) is
 *     replaced by the valid one. The check character vouches for the change.
 *
 *  4. The 〇 of a year. Four characters before 年, each a Chinese numeral
 *     (〇一二三四五六七八九) or a look-alike of 〇 (O o 0 ○ ◯ Ｏ), with at
 *     least two real numerals other than 〇 and no fifth numeral in front:
 *     the look-alikes become 〇 (二O二六年 -> 二〇二六年). A 〇 between two
 *     ASCII digits is a 0 (rule 2). 〇 is kept everywhere else.
 *
 *  5. Yuan. The letter Y directly before an amount written with thousands
 *     separators or two decimals (Y386,000.00, Y42,000), and not after a
 *     letter or digit, is ¥. After Y or ¥, points between groups of three
 *     digits followed by two decimals (Y386.000.00, as OCR reads a comma)
 *     are thousands separators and become commas; anywhere else points are
 *     kept (an IP address, a version, a European decimal).
 *
 *  6. The day of a date. 目 after 月 and a day number (3月20目, 3月 20目)
 *     is 日: no date ends in 目. Before 录 标 的 前 (目录, 目标, 目的, 目前)
 *     it is kept.
 *
 * What is not repaired (there is no safe rule): characters OCR read as
 * other characters (信 息 -> 信 妃, 贰 -> 需), Latin letters for 年/月/日 that
 * chi_sim+eng produces (2019 44.04 FA 16 A2; use chi_sim alone), a numeral
 * dropped or added (二O〇二六年 stays five numerals long), labels broken
 * across lines, line order of columns. Full-width to half-width is
 * ev_nfkc's job and is not done here; the output keeps whatever widths the
 * input had.
 *
 * Pure function, thread-safe. Any bytes are accepted: an invalid UTF-8
 * sequence becomes U+FFFD, one per byte, and U+0000 is dropped (as nfkc.h).
 */
#ifndef EV_OCRTEXT_H
#define EV_OCRTEXT_H

#include <stddef.h>

/*
 * The repaired text of text[0..len) (text may be NULL when len is 0):
 * malloc'd, NUL-terminated, valid UTF-8, never longer than 3 * len + 1
 * bytes; *out_len (if out_len is non-NULL) receives its length. Lines and
 * everything not named above are kept byte for byte. Aborts only when
 * memory runs out (ev.h). Release with free().
 */
char *ev_ocr_repair(const char *text, size_t len, size_t *out_len);

#endif
