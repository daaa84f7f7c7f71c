/*
 * amount.c: the amount spellings of requirements.md section 6.
 *
 * Two PCRE2 patterns find candidates: a figure with its currency words and
 * multiplier, and an uppercase (大写) spelling. Small C functions turn the
 * captured pieces into exact cents. A candidate without any currency (a
 * bare 2026, 6%) is passed over unless the caller says the text is the
 * value of an amount label.
 */
#include "amount.h"
#include "subject.h"

#include <assert.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>

#include "ev.h"
#include "nfkc.h"

/* Larger values are not amounts of a contract; the bound keeps int64 safe. */
#define MAX_UNITS 10000000000000LL /* 10^13 */

char *ev_amount_format(int64_t cents, char out[EV_AMOUNT_STRLEN])
{
    uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    unsigned frac = (unsigned)(mag % 100);
    int n = snprintf(out, EV_AMOUNT_STRLEN, "%s%llu", cents < 0 ? "-" : "",
                     (unsigned long long)(mag / 100));
    assert(n > 0 && n < EV_AMOUNT_STRLEN - 3);
    if (frac % 10)
        snprintf(out + n, EV_AMOUNT_STRLEN - (size_t)n, ".%02u", frac);
    else if (frac)
        snprintf(out + n, EV_AMOUNT_STRLEN - (size_t)n, ".%u", frac / 10);
    return out;
}

/* ---- patterns ------------------------------------------------------------ */

/* Possessive: a run of spaces is never given back, so no backtracking on it. */
#define SP "[ \\t\\x{A0}\\x{3000}]*+"
#define UP_NONZERO "[壹贰貳叁參叄肆伍陆陸柒捌玖两二]"

enum pattern_id {
    P_FIGURE,     /* (1) currency before, (2) number, (3) multiplier, (4) currency after */
    P_WORDS,      /* (1) currency before, (2) the uppercase spelling */
    P_UNIT_BEFORE, /* a per-period word earlier in the clause */
    P_UNIT_AFTER,  /* /月, per month right after the amount */
    P_RANGE_SEP,   /* between the two ends of a range */
    N_PATTERNS
};

static const char *const patterns[N_PATTERNS] = {
    [P_FIGURE] =
        "(?:([¥￥€]|人民币|(?i:RMB|CNY|USD|HKD|EUR)(?![A-Za-z])|(?i:US|HK)?\\$)" SP
        "(?:[(（](?:小写|大写)?[)）]" SP ")?(?:[:：]" SP ")?(?:[¥￥$]" SP ")?"
        "|(?<![0-9A-Za-z.,_\\-]))"
        /* Bounded repeats: longer figures exceed MAX_UNITS anyway. */
        "([0-9]{1,3}(?:,[0-9]{3}){1,6}(?:\\.[0-9]{1,12})?|[0-9]{1,20}(?:\\.[0-9]{1,12})?)"
        "(?![0-9])(?!" SP "[%‰])"
        "(?:" SP "(万|萬|亿|億|千|(?i:million|mn|m|k|thousand|billion|bn)(?![A-Za-z0-9]))" ")?"
        "(?:" SP "(元|圆|圓|块|美元|港元|港币|欧元|(?i:yuan|RMB|CNY|USD|dollars?)(?![A-Za-z])))?",
    [P_WORDS] =
        "(?:(人民币|(?i:RMB|CNY))" SP ")?(?:[(（]大写[)）]" SP ")?(?:[:：]" SP ")?"
        /* Bounded: the longest real spelling is far shorter, and a long run of
         * numerals without 元 must not cost a quadratic search. */
        "([壹贰貳叁參叄肆伍陆陸柒捌玖两二拾][零〇壹贰貳叁參叄肆伍陆陸柒捌玖两二拾佰仟万萬亿億]{0,40}[元圆圓]"
        "(?:零?" UP_NONZERO "角)?(?:零?" UP_NONZERO "分)?[整正]?)",
    [P_UNIT_BEFORE] =
        "(?:单价|单位价格|每月|每年|每人|每天|每日|每次|每期|每季度?|每平方米|月租金|月租|月费|年费|年租金"
        "|(?i:unit price|per (?:month|year|annum|day|person|hour|quarter|instal+ment)|monthly"
        "|quarterly fee|annual fee))"
        "(?:(?![，。；;\\n\\r]|,(?![0-9]{3})).)*$",
    [P_UNIT_AFTER] =
        SP "(?:[/每]" SP "(?:月|年|天|日|人|次|小时|平方米|㎡|m2)"
        "|(?i:/" SP "(?:month|year|annum|day|person|hour|mo|yr)"
        "|per (?:month|year|annum|day|person|hour|quarter|instal+ment)"
        "|a (?:month|year|quarter)|monthly|quarterly))",
    [P_RANGE_SEP] = SP "(?:至|到|[-~～\\x{2013}\\x{2014}]|(?i:to))" SP,
};

static pcre2_code *compiled[N_PATTERNS];
static pthread_once_t compile_once = PTHREAD_ONCE_INIT;
#define OVEC_PAIRS 6

static void compile_all(void)
{
    for (size_t i = 0; i < N_PATTERNS; i++) {
        int code;
        PCRE2_SIZE where;
        compiled[i] = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED, PCRE2_UTF,
                                    &code, &where, NULL);
        if (!compiled[i]) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(code, msg, sizeof msg);
            /* The patterns are code: one that does not compile is a bug. */
            ev_die("amount pattern %zu at %zu: %s", i, (size_t)where, (const char *)msg);
        }
        /* JIT is an optimisation: without it pcre2_match interprets. */
        (void)pcre2_jit_compile(compiled[i], PCRE2_JIT_COMPLETE);
    }
}

/* The searched text, valid UTF-8 (bad bytes become SUB, offsets kept). */
typedef ev_subject subject;

static void subject_open(subject *s, const char *text, size_t len)
{
    int rc = pthread_once(&compile_once, compile_all);
    if (rc != 0)
        ev_die("pthread_once: error %d", rc);
    ev_subject_open(s, text, len, OVEC_PAIRS);
}

static bool run(const subject *s, enum pattern_id id, size_t lo, size_t hi, uint32_t options)
{
    assert(lo <= hi && hi <= s->len);
    int rc = pcre2_match(compiled[id], (PCRE2_SPTR)s->text, hi, lo,
                         options | PCRE2_NO_UTF_CHECK, s->md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH)
        return false;
    if (rc < 0) {
        PCRE2_UCHAR msg[128];
        pcre2_get_error_message(rc, msg, sizeof msg);
        ev_log(EV_LOG_WARNING, "amount search: %s", (const char *)msg);
        return false;
    }
    return true;
}

/* ---- conversions --------------------------------------------------------- */

/* Does s[0..n) equal one of the NUL-separated words (ASCII case ignored)? */
static bool is_one_of(const char *s, size_t n, const char *words)
{
    for (const char *w = words; *w; w += strlen(w) + 1)
        if (strlen(w) == n && strncasecmp(w, s, n) == 0)
            return true;
    return false;
}

/* The ISO code a currency word names; NULL for none (a bare $ outside English). */
static const char *currency_of(const char *s, size_t n, bool english)
{
    if (is_one_of(s, n, "\xC2\xA5\0\xEF\xBF\xA5\0人民币\0RMB\0CNY\0元\0圆\0圓\0块\0yuan\0"))
        return "CNY";
    if (is_one_of(s, n, "USD\0US$\0美元\0"))
        return "USD";
    if (is_one_of(s, n, "HKD\0HK$\0港元\0港币\0"))
        return "HKD";
    if (is_one_of(s, n, "EUR\0€\0欧元\0"))
        return "EUR";
    if (is_one_of(s, n, "$\0dollar\0dollars\0"))
        return english ? "USD" : NULL;
    return NULL;
}

static int64_t multiplier_of(const char *s, size_t n)
{
    if (is_one_of(s, n, "万\0萬\0"))
        return 10000;
    if (is_one_of(s, n, "亿\0億\0"))
        return 100000000;
    if (is_one_of(s, n, "千\0k\0thousand\0"))
        return 1000;
    if (is_one_of(s, n, "m\0mn\0million\0"))
        return 1000000;
    assert(is_one_of(s, n, "bn\0billion\0"));
    return 1000000000;
}

/*
 * Cents of a figure "1,200,000.50" times mult (a power of ten), rounded
 * half up to the cent: only the fraction digits that land on cents and the
 * one after them matter. Returns false above MAX_UNITS.
 */
static bool figure_cents(const char *s, size_t n, int64_t mult, int64_t *cents)
{
    int64_t whole = 0, frac = 0, scale = 100 * mult; /* frac counts 1/scale */
    bool in_frac = false, past_cents = false, round_up = false;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == ',')
            continue;
        if (s[i] == '.') {
            in_frac = true;
            continue;
        }
        assert(s[i] >= '0' && s[i] <= '9');
        int digit = s[i] - '0';
        if (!in_frac) {
            if (whole > MAX_UNITS)
                return false;
            whole = whole * 10 + digit;
        } else if (scale > 1) {
            scale /= 10;
            frac += digit * scale;
        } else if (!past_cents) {
            past_cents = true;
            round_up = digit >= 5;
        }
    }
    if (whole > MAX_UNITS / mult)
        return false;
    *cents = whole * mult * 100 + frac + round_up;
    return *cents <= MAX_UNITS * 100;
}

bool ev_amount_parse_words(const char *s, size_t len, int64_t *cents)
{
    static const struct { utf8proc_int32_t cp; int value; } digits[] = {
        {0x96F6, 0}, {0x3007, 0}, {0x58F9, 1}, {0x8D30, 2}, {0x8CB3, 2}, {0x4E24, 2},
        {0x4E8C, 2}, {0x53C1, 3}, {0x53C3, 3}, {0x53C4, 3}, {0x8086, 4}, {0x4F0D, 5},
        {0x9646, 6}, {0x9678, 6}, {0x67D2, 7}, {0x634C, 8}, {0x7396, 9},
    };
    int64_t big = 0, section = 0, yuan = -1, jiao = 0, fen = 0;
    int digit = -1, last_unit = 4;
    bool casual = false, has_wan = false, done = false;
    size_t i = 0;

    assert(s || len == 0);
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t step = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                 (utf8proc_ssize_t)(len - i), &cp);
        if (step <= 0 || done)
            return false;
        i += (size_t)step;

        int value = -1;
        for (size_t k = 0; k < EV_ARRAY_LEN(digits); k++)
            if (digits[k].cp == cp)
                value = digits[k].value;
        if (value >= 0) {
            if (cp == 0x4E24 || cp == 0x4E8C) /* 两, 二 */
                casual = true;
            if (value == 0) {
                digit = -1; /* 零 marks a skipped place */
                continue;
            }
            if (digit >= 0)
                return false; /* two digits without a unit between */
            digit = value;
            continue;
        }

        int unit = cp == 0x62FE ? 1 : cp == 0x4F70 ? 2 : cp == 0x4EDF ? 3 : 0; /* 拾佰仟 */
        if (unit) {
            if (yuan >= 0 || unit >= last_unit)
                return false;
            if (digit < 0) {
                /* 拾 alone at the start of a section is 10 (拾万); others need a digit. */
                if (unit != 1 || section != 0)
                    return false;
                digit = 1;
            }
            section += digit * (unit == 1 ? 10 : unit == 2 ? 100 : 1000);
            digit = -1;
            last_unit = unit;
            continue;
        }
        if (cp == 0x4E07 || cp == 0x842C || cp == 0x4EBF || cp == 0x5104) { /* 万萬亿億 */
            bool yi = cp == 0x4EBF || cp == 0x5104;
            if (yuan >= 0)
                return false;
            section += digit > 0 ? digit : 0;
            if (yi) {
                if (big + section > MAX_UNITS / 100000000)
                    return false;
                big = (big + section) * 100000000;
            } else {
                if (section == 0)
                    return false;
                big += section * 10000;
            }
            if (big > MAX_UNITS)
                return false;
            has_wan = true;
            section = 0;
            digit = -1;
            last_unit = 4;
            continue;
        }
        if (cp == 0x5143 || cp == 0x5706 || cp == 0x5713) { /* 元圆圓 */
            if (yuan >= 0)
                return false;
            yuan = big + section + (digit > 0 ? digit : 0);
            digit = -1;
            continue;
        }
        if (cp == 0x89D2 || cp == 0x5206) { /* 角分 */
            if (yuan < 0 || digit < 0 || (cp == 0x89D2 && fen))
                return false;
            *(cp == 0x89D2 ? &jiao : &fen) = digit;
            digit = -1;
            continue;
        }
        if (cp == 0x6574 || cp == 0x6B63) { /* 整正 */
            if (yuan < 0)
                return false;
            done = true;
            continue;
        }
        return false;
    }
    if (yuan < 0 || digit >= 0 || yuan > MAX_UNITS || (casual && !has_wan))
        return false;
    *cents = yuan * 100 + jiao * 10 + fen;
    return true;
}

/* ---- finding ------------------------------------------------------------- */

static const ev_amount_opts default_opts;

static bool group_set(const PCRE2_SIZE *ov, int g)
{
    return ov[2 * g] != PCRE2_UNSET;
}

/* Per-period words before the amount in its clause, or right after it. */
static bool is_unit_price(const subject *s, size_t start, size_t end)
{
    size_t lo = start > 240 ? start - 240 : 0;
    /* Start the look-back window on a character boundary. */
    while (lo < start && ((unsigned char)s->text[lo] & 0xC0) == 0x80)
        lo++;
    return run(s, P_UNIT_BEFORE, lo, start, 0) || run(s, P_UNIT_AFTER, end, s->len, PCRE2_ANCHORED);
}

/* Convert the candidate in s->md (pattern id); false to pass it over. */
static bool convert(const subject *s, enum pattern_id id, const ev_amount_opts *opts,
                    ev_amount_match *out)
{
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
    const char *cur = NULL;

    memset(out, 0, sizeof *out);
    out->start = ov[0];
    out->end = ov[1];
    if (group_set(ov, 1)) {
        cur = currency_of(s->text + ov[2], ov[3] - ov[2], opts->english);
        if (!cur)
            return false;
    }
    if (id == P_WORDS) {
        if (!ev_amount_parse_words(s->text + ov[4], ov[5] - ov[4], &out->amount.cents))
            return false;
        out->flags |= EV_AMOUNT_WORDS;
        cur = cur ? cur : "CNY";
    } else {
        int64_t mult = 1;
        if (group_set(ov, 3))
            mult = multiplier_of(s->text + ov[6], ov[7] - ov[6]);
        if (group_set(ov, 4)) {
            const char *after = currency_of(s->text + ov[8], ov[9] - ov[8], opts->english);
            if (!after || (cur && strcmp(cur, after) != 0))
                return false;
            cur = after;
        }
        if (!cur) {
            if (!opts->after_label)
                return false;
            cur = "CNY";
            out->flags |= EV_AMOUNT_NO_CURRENCY;
        }
        if (!figure_cents(s->text + ov[4], ov[5] - ov[4], mult, &out->amount.cents))
            return false;
    }
    memcpy(out->amount.currency, cur, 4);
    if (is_unit_price(s, out->start, out->end))
        out->flags |= EV_AMOUNT_UNIT_PRICE;
    return true;
}

/* Next candidate of one pattern at or after `from` that converts. */
static bool next_of(const subject *s, enum pattern_id id, size_t from, const ev_amount_opts *opts,
                    ev_amount_match *out)
{
    while (from <= s->len && run(s, id, from, s->len, 0)) {
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        size_t after = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
        if (convert(s, id, opts, out))
            return true;
        from = after;
    }
    return false;
}

/* Every amount, in order, with range ends marked. */
static size_t scan(const subject *s, const ev_amount_opts *opts, ev_amount_match **out)
{
    ev_amount_match fig, words, *list = NULL;
    size_t n = 0, cap = 0;
    bool has_fig = next_of(s, P_FIGURE, 0, opts, &fig);
    bool has_words = next_of(s, P_WORDS, 0, opts, &words);

    while (has_fig || has_words) {
        bool take_fig = has_fig && (!has_words || fig.start <= words.start);
        ev_amount_match m = take_fig ? fig : words;
        list = ev_grow(list, &cap, n + 1, sizeof *list);
        list[n++] = m;
        /* The two patterns can overlap (120万元 holds 万元); keep them apart. */
        if (has_fig && fig.start < m.end)
            has_fig = next_of(s, P_FIGURE, m.end, opts, &fig);
        if (has_words && words.start < m.end)
            has_words = next_of(s, P_WORDS, m.end, opts, &words);
    }
    for (size_t i = 0; i + 1 < n; i++) {
        if (run(s, P_RANGE_SEP, list[i].end, s->len, PCRE2_ANCHORED) &&
            pcre2_get_ovector_pointer(s->md)[1] == list[i + 1].start) {
            list[i].flags |= EV_AMOUNT_RANGE;
            list[i + 1].flags |= EV_AMOUNT_RANGE;
        }
    }
    *out = list;
    return n;
}

size_t ev_amount_find_all(const char *text, size_t len, const ev_amount_opts *opts,
                          ev_amount_match **out)
{
    subject s;
    assert(out);
    subject_open(&s, text, len);
    size_t n = scan(&s, opts ? opts : &default_opts, out);
    ev_subject_close(&s);
    return n;
}

bool ev_amount_find(const char *text, size_t len, const ev_amount_opts *opts,
                    ev_amount_match *out)
{
    ev_amount_match *all;
    assert(out);
    size_t n = ev_amount_find_all(text, len, opts, &all);
    if (n)
        *out = all[0];
    free(all);
    return n > 0;
}

/* At most max bytes of s[0..n), cut on a character boundary. */
static int clipped(const char *s, size_t n, size_t max)
{
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    return (int)n;
}

/* Does text[lo..at) end with one of the words (ASCII case ignored), then
 * at most a few spaces, colons, dots or '#'? */
static bool word_before(const char *text, size_t lo, size_t at, const char *const *words,
                        size_t nwords)
{
    size_t e = at;
    for (;;) {
        if (e > lo && at - e < 6 && strchr(" :.#", text[e - 1]))
            e--;
        else if (e >= lo + 3 && at - e < 6 && memcmp(text + e - 3, "：", 3) == 0)
            e -= 3;
        else
            break;
    }
    for (size_t k = 0; k < nwords; k++) {
        size_t wl = strlen(words[k]);
        bool latin = ((unsigned char)words[k][0] | 0x20) >= 'a' && ((unsigned char)words[k][0] | 0x20) <= 'z';
        /* a Latin word whole: "casino 5" does not end in "no" */
        if (e - lo >= wl && strncasecmp(text + e - wl, words[k], wl) == 0 &&
            !(latin && e - wl > lo && isalpha((unsigned char)text[e - wl - 1])))
            return true;
    }
    return false;
}

/*
 * A bare figure that numbers something rather than counting money: "SOW
 * No. 1", 编号 12, 第2期, Clause 7.2, a telephone or account number. Only
 * figures without a currency are asked: 第1期款项人民币3万元 is money.
 */
static bool is_reference(const char *text, size_t len, const ev_amount_match *m)
{
    static const char *const before[] = {
        "no",   "nr",  "sow",  "clause", "article", "section", "schedule", "annex", "appendix",
        "tel",  "phone", "fax", "mobile", "account", "a/c", "+",   "编号", "号码", "第",
        "条款", "电话", "传真", "手机",   "账号",    "帐号",    "卡号", "附件", "ref"};
    static const char *const after[] = {"期", "条", "款", "项", "号", "节", "章", "页"};
    size_t lo = m->start > 24 ? m->start - 24 : 0;
    if (word_before(text, lo, m->start, before, EV_ARRAY_LEN(before)))
        return true;
    size_t a = m->end;
    while (a < len && text[a] == ' ')
        a++;
    for (size_t k = 0; k < EV_ARRAY_LEN(after); k++)
        if (len - a >= 3 && memcmp(text + a, after[k], 3) == 0)
            return true;
    return false;
}

/* Is the amount introduced as a total (合计, 总价, total)? */
static bool total_before(const char *text, const ev_amount_match *m)
{
    static const char *const words[] = {"合计", "总计", "共计", "总价", "总额", "总金额",
                                        "total", "in total", "total price", "total amount",
                                        "contract price", "合同金额", "合同总价"};
    size_t lo = m->start > 40 ? m->start - 40 : 0;
    size_t at = m->start;
    /* the currency word in front belongs to the amount */
    static const char *const cur[] = {"人民币", "rmb", "cny", "usd", "¥"};
    for (size_t k = 0; k < EV_ARRAY_LEN(cur); k++) {
        size_t cl = strlen(cur[k]);
        if (at >= lo + cl && strncasecmp(text + at - cl, cur[k], cl) == 0)
            at -= cl;
    }
    while (at > lo && text[at - 1] == ' ')
        at--;
    return word_before(text, lo, at, words, EV_ARRAY_LEN(words));
}

/* How strongly a figure claims to be the amount: a currency, then a total. */
static int claim(const char *text, const ev_amount_match *m)
{
    return (m->flags & EV_AMOUNT_NO_CURRENCY ? 0 : 2) + (total_before(text, m) ? 1 : 0);
}

void ev_amount_read(const char *text, size_t len, const ev_amount_opts *opts,
                    ev_amount_reading *out)
{
    ev_amount_match *all;
    size_t n = ev_amount_find_all(text, len, opts, &all);

    assert(out);
    memset(out, 0, sizeof *out);
    /* Of the figures, one with a currency over a bare number, then one
     * named a total; the first of equals. A bare number that numbers
     * something (No. 1, 第2期) is no amount at all. */
    int best_claim = -1;
    for (size_t i = 0; i < n; i++) {
        unsigned skip = all[i].flags & (EV_AMOUNT_UNIT_PRICE | EV_AMOUNT_RANGE);
        if (skip) {
            out->skipped |= skip;
            continue;
        }
        bool words = all[i].flags & EV_AMOUNT_WORDS;
        if (words && !out->has_words) {
            out->has_words = true;
            out->words = all[i];
        } else if (!words) {
            if ((all[i].flags & EV_AMOUNT_NO_CURRENCY) && is_reference(text, len, &all[i]))
                continue;
            int c = claim(text, &all[i]);
            if (c > best_claim) {
                best_claim = c;
                out->has_figure = true;
                out->figure = all[i];
            }
        }
    }
    free(all);
    if (!out->has_figure && !out->has_words)
        return;
    out->found = true;
    out->amount = out->has_figure ? out->figure : out->words;
    if (!out->has_figure || !out->has_words)
        return;
    const ev_amount *f = &out->figure.amount, *w = &out->words.amount;
    if (f->cents == w->cents && strcmp(f->currency, w->currency) == 0)
        return;
    out->disagree = true;
    char fv[EV_AMOUNT_STRLEN], wv[EV_AMOUNT_STRLEN];
    const char *fs = text + out->figure.start, *ws = text + out->words.start;
    size_t fn = out->figure.end - out->figure.start, wn = out->words.end - out->words.start;
    /* Quotes are clipped so that the whole sentence fits the buffer. */
    snprintf(out->warning, sizeof out->warning,
             "amount in figures \"%.*s\" (%s %s) and in words \"%.*s\" (%s %s) disagree;"
             " the figure is kept",
             clipped(fs, fn, 120), fs, ev_amount_format(f->cents, fv), f->currency,
             clipped(ws, wn, 120), ws, ev_amount_format(w->cents, wv), w->currency);
}
