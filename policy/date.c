/*
 * date.c: calendar arithmetic and the date spellings of requirements.md
 * section 6.
 *
 * The spellings are one table of PCRE2 patterns (UTF mode, JIT) compiled
 * once under pthread_once; each row says which capture groups hold the year,
 * month and day and how to read them. A search runs every enabled row and
 * keeps the earliest match (longest at equal starts, then table order); a
 * scan over a long text caches each row's next match so it is not re-run
 * until the scan has passed it. Match data is per call, so concurrent
 * searches share only the read-only compiled patterns.
 *
 * Patterns accept full-width digits and separators as well as ASCII so that
 * spans index the caller's text even when it skipped NFKC.
 */
#include "date.h"
#include "subject.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>

#include "nfkc.h"

/* ---- calendar ---------------------------------------------------------- */

bool ev_date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int ev_date_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && ev_date_is_leap(y) ? 29 : days[m - 1];
}

bool ev_date_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && d >= 1 && d <= ev_date_days_in_month(y, m);
}

int ev_date_cmp(ev_date a, ev_date b)
{
    assert(ev_date_valid(a.y, a.m, a.d) && ev_date_valid(b.y, b.m, b.d));
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    return a.d < b.d ? -1 : a.d > b.d;
}

static const ev_date date_min = {1, 1, 1};
static const ev_date date_max = {9999, 12, 31};

ev_date ev_date_add_months(ev_date d, int n)
{
    assert(ev_date_valid(d.y, d.m, d.d));
    /* Months since 0001-01, in a width that cannot overflow for any int n. */
    long long index = (long long)d.y * 12 + (d.m - 1) + n;
    if (index < 12)
        return date_min;
    if (index > 9999LL * 12 + 11)
        return date_max;
    ev_date r = {(int)(index / 12), (int)(index % 12) + 1, d.d};
    int last = ev_date_days_in_month(r.y, r.m);
    if (r.d > last)
        r.d = last;
    return r;
}

/* Days since 0001-01-01 (day 0). */
static long day_number(ev_date d)
{
    static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    long y = d.y - 1;
    long n = y * 365 + y / 4 - y / 100 + y / 400 + before[d.m - 1] + d.d - 1;
    if (d.m > 2 && ev_date_is_leap(d.y))
        n++;
    return n;
}

static ev_date from_day_number(long n)
{
    /* 146097 days per 400 years: estimate the year, then correct it. */
    ev_date r = {(int)(n * 400 / 146097) + 1, 1, 1};
    if (r.y > 9999)
        r.y = 9999;
    while (r.y > 1 && day_number(r) > n)
        r.y--;
    while (r.y < 9999 && day_number((ev_date){r.y + 1, 1, 1}) <= n)
        r.y++;
    long rest = n - day_number(r);
    while (rest >= ev_date_days_in_month(r.y, r.m)) {
        rest -= ev_date_days_in_month(r.y, r.m);
        r.m++;
    }
    r.d = (int)rest + 1;
    return r;
}

ev_date ev_date_add_days(ev_date d, long n)
{
    assert(ev_date_valid(d.y, d.m, d.d));
    long start = day_number(d);
    if (n < -start)
        return date_min;
    if (n > day_number(date_max) - start)
        return date_max;
    return from_day_number(start + n);
}

long ev_date_diff_days(ev_date a, ev_date b)
{
    assert(ev_date_valid(a.y, a.m, a.d) && ev_date_valid(b.y, b.m, b.d));
    return day_number(b) - day_number(a);
}

ev_date ev_date_month_end(ev_date d)
{
    assert(d.m >= 1 && d.m <= 12);
    d.d = ev_date_days_in_month(d.y, d.m);
    return d;
}

char *ev_date_format(ev_date d, char out[EV_DATE_STRLEN])
{
    assert(ev_date_valid(d.y, d.m, d.d));
    const int parts[3][2] = {{d.y, 4}, {d.m, 2}, {d.d, 2}};
    char *p = out;
    for (int i = 0; i < 3; i++) {
        if (i)
            *p++ = '-';
        for (int k = parts[i][1] - 1, v = parts[i][0]; k >= 0; k--, v /= 10)
            p[k] = (char)('0' + v % 10);
        p += parts[i][1];
    }
    *p = '\0';
    return out;
}

static int ascii_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

ev_code ev_date_parse(const char *s, ev_date *out, ev_error *err)
{
    assert(out);
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return ev_fail(err, EV_EINVAL, "date \"%s\" is not YYYY-MM-DD", s ? s : "");
    int y = ascii_digits(s, 4), m = ascii_digits(s + 5, 2), d = ascii_digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0)
        return ev_fail(err, EV_EINVAL, "date \"%s\" is not YYYY-MM-DD", s);
    if (!ev_date_valid(y, m, d))
        return ev_fail(err, EV_EINVAL, "date \"%s\" is not a calendar date", s);
    *out = (ev_date){y, m, d};
    return EV_OK;
}

/* China Standard Time is UTC+8 all year (no daylight saving since 1991). */
#define CST_HOURS 8

bool ev_instant_cst(const char *at, ev_date *date, char local[EV_INSTANT_STRLEN])
{
    char day[EV_DATE_STRLEN];
    ev_date d;
    int h, mi, s;

    assert(date);
    if (!at || strlen(at) != 20 || at[10] != 'T' || at[13] != ':' || at[16] != ':' ||
        at[19] != 'Z')
        return false;
    memcpy(day, at, 10);
    day[10] = '\0';
    h = ascii_digits(at + 11, 2), mi = ascii_digits(at + 14, 2), s = ascii_digits(at + 17, 2);
    if (ev_date_parse(day, &d, NULL) != EV_OK || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        s < 0 || s > 59)
        return false;
    h += CST_HOURS;
    if (h >= 24) {
        h -= 24;
        d = ev_date_add_days(d, 1);
    }
    *date = d;
    if (local) {
        ev_date_format(d, local);
        snprintf(local + 10, EV_INSTANT_STRLEN - 10, " %02d:%02d:%02d", h, mi, s);
    }
    return true;
}

/* ---- the spelling table ------------------------------------------------- */

/* Building blocks. D: one digit, ASCII or full-width. */
#define D "[0-9\\x{FF10}-\\x{FF19}]"
/* Possessive: a run of spaces is never given back, so no backtracking on it. */
#define SP "[ \\t\\x{A0}\\x{3000}]*+"
#define SP1 "[ \\t\\x{A0}\\x{3000}]++"
/* A number must not continue a word, a number or a code such as HT-2026. */
#define LB "(?<![0-9A-Za-z_\\x{FF10}-\\x{FF19}])(?<![A-Za-z]-)"
#define RB "(?!" D ")"
#define DASH "[-\\x{FF0D}]"
#define DOT "[.\\x{FF0E}]"
#define SLASH "[/\\x{FF0F}]"
#define N12 "(" D "{1,2})"
/* Years written without 年 must look like years, or decimals would match. */
#define Y4N "((?:[1\\x{FF11}][9\\x{FF19}]|[2\\x{FF12}][0\\x{FF10}])" D "{2})"
#define MON12 "(0?[1-9]|1[0-2]|[0\\x{FF10}]?[\\x{FF11}-\\x{FF19}]|\\x{FF11}[\\x{FF10}-\\x{FF12}])"
#define CNY "([〇零○OＯ0一二三四五六七八九]{4})"
#define CNN "([一二三四五六七八九十]{1,3})"
#define MONTH_NAME "((?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?" \
    "|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))(?![A-Za-z])"
#define ORD "(?:st|nd|rd|th)?"
#define BLANKCH "[_\\x{FF3F} \\t\\x{A0}\\x{3000}]"

/* How a row's groups are read. */
typedef enum kind {
    K_YMD,     /* year, month, day (day 0 = month-only), digits or 汉字 */
    K_EN,      /* month group is an English name */
    K_AMBIG,   /* two small numbers then a year: day/month order unknown */
    K_BLANK,   /* a form left empty */
    K_OPEN     /* an open end */
} kind;

/* When a row is searched at all. */
typedef enum need { N_ALWAYS, N_LABEL, N_OPEN } need;

typedef struct spelling {
    const char *pattern;
    kind kind;
    need need;
    unsigned char gy, gm, gd; /* capture groups; gd 0: month-only */
} spelling;

static const spelling spellings[] = {
    /* 2026年3月5日, 2026 年 3 月 5 日, 26年3月5日, 2026年3月5号 */
    {LB "(" D "{4}|" D "{2})" SP "年" SP N12 SP "月" SP N12 SP "[日号]", K_YMD, N_ALWAYS, 1, 2, 3},
    /* 2026年3月 */
    {LB "(" D "{4}|" D "{2})" SP "年" SP N12 SP "月", K_YMD, N_ALWAYS, 1, 2, 0},
    /* 二〇二六年三月五日, 二零二六年十二月二十五日 */
    {CNY SP "年" SP CNN SP "月" SP CNN SP "[日号]", K_YMD, N_ALWAYS, 1, 2, 3},
    {CNY SP "年" SP CNN SP "月", K_YMD, N_ALWAYS, 1, 2, 0},
    /* 2026-03-05, 2026-3-5 */
    {LB Y4N DASH N12 DASH N12 RB, K_YMD, N_ALWAYS, 1, 2, 3},
    /* 2026-03 (a resume line), not the start of 2026-03-05 */
    {LB Y4N DASH MON12 RB "(?!" DASH D "{1,2}" RB ")", K_YMD, N_ALWAYS, 1, 2, 0},
    /* 2026.3.5, 2026.03.05, 2026. 3. 5 */
    {LB Y4N DOT SP N12 DOT SP N12 RB, K_YMD, N_ALWAYS, 1, 2, 3},
    /* 2026.03, but not a price such as 2026.10元 */
    {LB Y4N DOT SP MON12 RB "(?!" DOT SP D ")(?!" SP "[元万亿%])", K_YMD, N_ALWAYS, 1, 2, 0},
    /* 2026/03/05, 2026/3/5 */
    {LB Y4N SLASH N12 SLASH N12 RB, K_YMD, N_ALWAYS, 1, 2, 3},
    {LB Y4N SLASH MON12 RB "(?!" SLASH D ")", K_YMD, N_ALWAYS, 1, 2, 0},
    /* 26/3/5: two-digit year first */
    {LB "(" D "{2})" SLASH N12 SLASH N12 RB, K_YMD, N_ALWAYS, 1, 2, 3},
    /* 05/03/2026, 3/5/2026, 05.03.2026: one separator throughout */
    {LB N12 "([-/.])" N12 "\\2" "(" D "{4})" RB, K_AMBIG, N_ALWAYS, 4, 3, 1},
    /* 20260305 after a date label, never inside HT-20260305-01 */
    {"(?<![0-9A-Za-z_\\-/.\\x{FF10}-\\x{FF19}])" Y4N "(" D "{2})(" D "{2})"
     "(?![0-9A-Za-z_\\-\\x{FF10}-\\x{FF19}])", K_YMD, N_LABEL, 1, 2, 3},
    /* 5 March 2026, 5th March 2026, 05 Mar 2026, 5-Mar-2026 */
    {"(?<![0-9A-Za-z])([0-9]{1,2})" ORD "(?:" SP "-" SP "|" SP1 ")" MONTH_NAME "\\.?,?"
     "(?:" SP "-" SP "|" SP1 ")([0-9]{4})(?![0-9])", K_EN, N_ALWAYS, 3, 2, 1},
    /* March 5, 2026, Mar. 5, 2026, March 5th, 2026 */
    {"(?<![A-Za-z])" MONTH_NAME "\\.?" SP1 "([0-9]{1,2})" ORD "(?![0-9A-Za-z])"
     "(?:," SP "|" SP1 ")([0-9]{4})(?![0-9])", K_EN, N_ALWAYS, 3, 1, 2},
    /* March 2026 */
    {"(?<![A-Za-z])" MONTH_NAME "\\.?,?" SP1 "([0-9]{4})(?![0-9])", K_EN, N_ALWAYS, 2, 1, 0},
    /* ____年__月__日, 2026年  月  日, 2026年3月__日: a form not (fully) filled in */
    {"(?:" D "{4}|[_\\x{FF3F}]{1,40})?" BLANKCH "{0,40}年(?:" BLANKCH "{1,40}|" SP D "{1,2}" SP ")月"
     BLANKCH "{1,40}[日号]",
     K_BLANK, N_ALWAYS, 0, 0, 0},
    /* Open ends. 今, 现在, now and present only where a range would end. */
    {"至今|[长長]期|[无無]固定期限|永久|(?i:long[- ]term|indefinite(?:ly)?)", K_OPEN, N_OPEN, 0, 0, 0},
    {"(?:^|[-~\\x{2013}\\x{2014}\\x{2015}\\x{FF5E}至到]|(?i:\\bto|\\buntil|\\btill))" SP
     "\\K(?:今(?![年天日后晚早明])|现在|現在|(?i:present|now)(?![A-Za-z]))", K_OPEN, N_OPEN, 0, 0, 0},
};

#define N_SPELLINGS EV_ARRAY_LEN(spellings)

/* Patterns the range and term finders use, anchored where they are tried. */
enum aux {
    A_SEP,       /* between the two dates of a range */
    A_YEARLESS,  /* 12月31日: the end of a range without its year */
    A_OPEN,      /* an open end in the end slot */
    A_MARK_BEFORE, /* 自 / from before a start date (matched up to it) */
    A_MARK_AFTER,  /* 起 after a start date */
    A_DUR_CN,    /* 一年, 12个月, 半年 */
    A_DUR_EN,    /* one year, 12 months, twelve (12) months */
    N_AUX
};

static const char *const aux_patterns[N_AUX] = {
    [A_SEP] = SP "(?:起|开始)?" SP "(?:至|到|[-~\\x{FF5E}\\x{FF0D}\\x{2010}-\\x{2015}\\x{2212}]{1,2}"
              "|(?i:to|until|till|through)(?![A-Za-z]))" SP,
    [A_YEARLESS] = N12 SP "月" SP N12 SP "[日号]",
    [A_OPEN] = "至今|今(?![年天日后晚早明])|现在|現在|目前|[长長]期|[无無]固定期限|永久"
               "|(?i:present|now|today|date|long[- ]term|indefinite(?:ly)?)(?![A-Za-z])",
    [A_MARK_BEFORE] = "(?:自|从|從|由|(?i:from|commencing(?: on)?|starting(?: on| from)?"
                      "|beginning(?: on)?|effective(?: from| on)?"
                      "|(?:commence[sd]?|begins?|began|starts?|started) on|with effect from"
                      "|as from))" SP "$",
    [A_MARK_AFTER] = SP "(?:起|开始|起算)",
    [A_DUR_CN] = "(?<![0-9一二两三四五六七八九十〇零])(?:([0-9]{1,3})|([一二两三四五六七八九十]{1,3})|(半))"
                 SP "(?:(个月|個月)|(年)(?!" SP "[0-9]{1,2}" SP "月)(?!度))",
    [A_DUR_EN] = "(?i)(?<![A-Za-z0-9])([0-9]{1,3}|one|two|three|four|five|six|twelve|eighteen"
                 "|twenty-four|thirty-six)(?:" SP "\\([0-9]{1,3}\\))?" SP "-?" SP
                 "(years?|months?)(?![A-Za-z])",
};

static pcre2_code *compiled[N_SPELLINGS];
static pcre2_code *compiled_aux[N_AUX];
static pthread_once_t compile_once = PTHREAD_ONCE_INIT;
/* Enough pairs for the widest row (the ambiguous row has four groups). */
#define OVEC_PAIRS 8

static pcre2_code *compile_one(const char *pattern)
{
    int code;
    PCRE2_SIZE where;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_NO_UTF_CHECK, &code, &where, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        /* The table is code: a pattern that does not compile is a bug. */
        ev_die("date pattern at %zu: %s: %s", (size_t)where, (const char *)msg, pattern);
    }
    /* JIT is an optimisation: without it pcre2_match interprets. */
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    return re;
}

static void compile_all(void)
{
    for (size_t i = 0; i < N_SPELLINGS; i++)
        compiled[i] = compile_one(spellings[i].pattern);
    for (size_t i = 0; i < N_AUX; i++)
        compiled_aux[i] = compile_one(aux_patterns[i]);
}

static void ensure_compiled(void)
{
    int rc = pthread_once(&compile_once, compile_all);
    if (rc != 0)
        ev_die("pthread_once: error %d", rc);
}

/* ---- subject ------------------------------------------------------------ */

/*
 * The text PCRE2 sees: the caller's bytes, or when they are not valid UTF-8
 * a copy with each bad byte replaced by one SUB byte, so offsets still index
 * the caller's text. Matching then skips PCRE2's own (whole-subject) check.
 */
typedef ev_subject subject;

static void subject_open(subject *s, const char *text, size_t len)
{
    ensure_compiled();
    ev_subject_open(s, text, len, OVEC_PAIRS);
}

/*
 * Run re on the subject from offset (limited to the first `end` bytes).
 * Returns true on a match; ovector then holds the groups.
 */
static bool run(const subject *s, const pcre2_code *re, size_t offset, size_t end,
                uint32_t options)
{
    assert(offset <= end && end <= s->len);
    int rc = pcre2_match(re, (PCRE2_SPTR)s->text, end, offset,
                         options | PCRE2_NO_UTF_CHECK, s->md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH)
        return false;
    if (rc < 0) {
        /* Only resource limits remain possible: treat as no match, loudly. */
        PCRE2_UCHAR msg[128];
        pcre2_get_error_message(rc, msg, sizeof msg);
        ev_log(EV_LOG_WARNING, "date search: %s", (const char *)msg);
        return false;
    }
    return true;
}

/* ---- converting a match ------------------------------------------------- */

/*
 * The value of a number written with ASCII or full-width digits, or Chinese
 * numerals: digit by digit (二〇二六 = 2026) unless 十 composes it (十 = 10,
 * 十一 = 11, 二十 = 20, 二十五 = 25). *digits counts the digit characters.
 * Returns -1 for a malformed numeral (十十, 一二十).
 */
static int number_value(const char *s, size_t n, int *digits)
{
    int value = 0, tens = -1, count = 0;
    size_t i = 0;

    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t step = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                 (utf8proc_ssize_t)(n - i), &cp);
        assert(step > 0);
        i += (size_t)step;
        int v;
        if (cp >= '0' && cp <= '9')
            v = cp - '0';
        else if (cp >= 0xFF10 && cp <= 0xFF19)
            v = cp - 0xFF10;
        else if (cp == 0x3007 || cp == 0x96F6 || cp == 0x25CB || cp == 'O' || cp == 0xFF2F)
            v = 0; /* 〇 零 ○ O Ｏ */
        else if (cp == 0x5341) { /* 十 */
            if (tens >= 0 || count > 1)
                return -1;
            tens = count == 1 ? value : 1;
            value = 0;
            count = 0;
            continue;
        } else {
            static const utf8proc_int32_t cn[10] = {0, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                                    0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
            v = -1;
            for (int k = 1; k < 10; k++)
                if (cn[k] == cp)
                    v = k;
            if (cp == 0x4E24) /* 两 */
                v = 2;
            if (v < 0)
                return -1;
        }
        if (value > 99999)
            return -1;
        value = value * 10 + v;
        count++;
        if (digits)
            ++*digits;
    }
    if (tens >= 0) {
        if (count > 1 || tens == 0)
            return -1;
        return tens * 10 + value;
    }
    return count ? value : -1;
}

static int month_by_name(const char *s)
{
    static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    char key[3];
    for (int i = 0; i < 3; i++)
        key[i] = (char)(s[i] | 0x20);
    for (int m = 0; m < 12; m++)
        if (memcmp(names + 3 * m, key, 3) == 0)
            return m + 1;
    return -1;
}

static int group_value(const char *text, const PCRE2_SIZE *ov, int g, int *digits)
{
    assert(ov[2 * g] != PCRE2_UNSET);
    return number_value(text + ov[2 * g], ov[2 * g + 1] - ov[2 * g], digits);
}

/* Fill *out from row `row`'s match (ovector ov) in text. */
static void convert(const char *text, const PCRE2_SIZE *ov, size_t row,
                    const ev_date_opts *opts, ev_date_match *out)
{
    const spelling *sp = &spellings[row];
    memset(out, 0, sizeof *out);
    out->start = ov[0];
    out->end = ov[1];

    if (sp->kind == K_BLANK) {
        out->flags = EV_DATE_BLANK;
        return;
    }
    if (sp->kind == K_OPEN) {
        out->flags = EV_DATE_OPEN;
        return;
    }

    int ydigits = 0;
    int y = group_value(text, ov, sp->gy, &ydigits);
    int m = sp->kind == K_EN ? month_by_name(text + ov[2 * sp->gm])
                             : group_value(text, ov, sp->gm, NULL);
    int d = sp->gd ? group_value(text, ov, sp->gd, NULL) : 1;

    if (sp->gd == 0)
        out->flags |= EV_DATE_MONTH_ONLY;
    if (sp->kind == K_EN && sp->gd)
        out->order = sp->gd < sp->gm ? EV_ORDER_DAY_FIRST : EV_ORDER_MONTH_FIRST;
    if (ydigits == 2) {
        out->flags |= EV_DATE_TWO_DIGIT_YEAR;
        y += 2000;
    }
    if (sp->kind == K_AMBIG) {
        /* Row layout: gd is the first number, gm the second. */
        int first = d, second = m;
        if (first > 12 && second <= 12)
            out->order = EV_ORDER_DAY_FIRST;
        else if (second > 12 && first <= 12)
            out->order = EV_ORDER_MONTH_FIRST;
        ev_date_order use = out->order != EV_ORDER_UNKNOWN ? out->order
                            : first == second ? EV_ORDER_DAY_FIRST
                                              : opts->order;
        if (use == EV_ORDER_UNKNOWN && first <= 12 && second <= 12) {
            out->flags |= EV_DATE_AMBIGUOUS;
            return;
        }
        d = use == EV_ORDER_MONTH_FIRST ? second : first;
        m = use == EV_ORDER_MONTH_FIRST ? first : second;
    }
    if (y < 0 || m < 0 || d < 0 || !ev_date_valid(y, m, d)) {
        out->flags |= EV_DATE_INVALID;
        return;
    }
    out->date = (ev_date){y, m, d};
    out->flags |= EV_DATE_SET;
}

const char *ev_date_warning(const ev_date_match *m)
{
    assert(m);
    if (m->flags & EV_DATE_INVALID)
        return "not a calendar date";
    if (m->flags & EV_DATE_AMBIGUOUS)
        return "day and month order is ambiguous";
    if (m->flags & EV_DATE_TWO_DIGIT_YEAR)
        return "two-digit year read as 20YY";
    if (m->flags & EV_DATE_MONTH_ONLY)
        return "month only, no day";
    return NULL;
}

/* ---- scanning ----------------------------------------------------------- */

/* Each row's first match at or after the offset it was last run from. */
typedef struct cached {
    bool tried, found;
    size_t from;
    PCRE2_SIZE ov[2 * OVEC_PAIRS];
} cached;

typedef struct scanner {
    subject *subj;
    const ev_date_opts *opts;
    cached rows[N_SPELLINGS];
} scanner;

static bool row_enabled(const ev_date_opts *opts, size_t row)
{
    switch (spellings[row].need) {
    case N_LABEL:
        return opts->after_label;
    case N_OPEN:
        return opts->open_end;
    default:
        return true;
    }
}

/* The first match starting at or after `from`; false when none is left. */
static bool scan_next(scanner *sc, size_t from, ev_date_match *out)
{
    size_t best = N_SPELLINGS;

    for (size_t i = 0; i < N_SPELLINGS; i++) {
        cached *c = &sc->rows[i];
        if (!row_enabled(sc->opts, i))
            continue;
        if (!c->tried || from < c->from || (c->found && c->ov[0] < from)) {
            c->tried = true;
            c->from = from;
            c->found = from <= sc->subj->len &&
                       run(sc->subj, compiled[i], from, sc->subj->len, 0);
            if (c->found)
                memcpy(c->ov, pcre2_get_ovector_pointer(sc->subj->md), sizeof c->ov);
        }
        if (!c->found)
            continue;
        if (best == N_SPELLINGS || c->ov[0] < sc->rows[best].ov[0] ||
            (c->ov[0] == sc->rows[best].ov[0] && c->ov[1] > sc->rows[best].ov[1]))
            best = i;
    }
    if (best == N_SPELLINGS)
        return false;
    convert(sc->subj->text, sc->rows[best].ov, best, sc->opts, out);
    return true;
}

static const ev_date_opts default_opts;

bool ev_date_find(const char *text, size_t len, const ev_date_opts *opts,
                  ev_date_match *out)
{
    subject subj;
    scanner sc = {.subj = &subj, .opts = opts ? opts : &default_opts};
    assert(out);
    subject_open(&subj, text, len);
    bool found = scan_next(&sc, 0, out);
    ev_subject_close(&subj);
    return found;
}

size_t ev_date_find_all(const char *text, size_t len, const ev_date_opts *opts,
                        ev_date_match **out)
{
    subject subj;
    scanner sc = {.subj = &subj, .opts = opts ? opts : &default_opts};
    ev_date_match m, *list = NULL;
    size_t n = 0, cap = 0, from = 0;

    assert(out);
    subject_open(&subj, text, len);
    while (scan_next(&sc, from, &m)) {
        list = ev_grow(list, &cap, n + 1, sizeof *list);
        list[n++] = m;
        /* An empty match cannot occur (every row consumes), but never loop. */
        from = m.end > m.start ? m.end : m.start + 1;
    }
    ev_subject_close(&subj);
    *out = list;
    return n;
}

/* ---- ranges and terms --------------------------------------------------- */

/*
 * The end of a range starting at `at`: a date, a year-less date, an open
 * end. sc is a scanner of its own, so that both it and the caller's scan of
 * start dates only move forward (a scan that moves back re-runs its rows).
 */
static bool range_end(scanner *sc, size_t at, const ev_date_match *from, ev_date_match *out)
{
    subject *s = sc->subj;
    ev_date_match m;

    if (scan_next(sc, at, &m) && m.start == at && !(m.flags & (EV_DATE_BLANK | EV_DATE_OPEN))) {
        *out = m;
        return true;
    }
    if ((from->flags & EV_DATE_SET) && !(from->flags & EV_DATE_MONTH_ONLY) &&
        run(s, compiled_aux[A_YEARLESS], at, s->len, PCRE2_ANCHORED)) {
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        int mo = group_value(s->text, ov, 1, NULL), d = group_value(s->text, ov, 2, NULL);
        memset(out, 0, sizeof *out);
        out->start = ov[0];
        out->end = ov[1];
        int y = from->date.y;
        /* 12月1日至1月31日 crosses into the next year. */
        if (mo > 0 && (mo < from->date.m || (mo == from->date.m && d < from->date.d)))
            y++;
        if (ev_date_valid(y, mo, d)) {
            out->date = (ev_date){y, mo, d};
            out->flags = EV_DATE_SET;
        } else {
            out->flags = EV_DATE_INVALID;
        }
        return true;
    }
    if (run(s, compiled_aux[A_OPEN], at, s->len, PCRE2_ANCHORED)) {
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        memset(out, 0, sizeof *out);
        out->start = ov[0];
        out->end = ov[1];
        out->flags = EV_DATE_OPEN;
        return true;
    }
    return false;
}

/* How far from its start date a term's duration and mark may be, in bytes. */
#define TERM_WINDOW 160

/* Length of the sentence stop (。！？；;!? or a line break) at p, or 0. */
static size_t stop_at(const char *p, size_t avail)
{
    static const char *const stops[] = {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F",
                                        "\xEF\xBC\x9B", ";", "!", "?", "\n", "\r"};
    for (size_t i = 0; i < EV_ARRAY_LEN(stops); i++) {
        size_t n = strlen(stops[i]);
        if (avail >= n && memcmp(p, stops[i], n) == 0)
            return n;
    }
    return 0;
}

/*
 * Bounds of the sentence around [start, end), at most TERM_WINDOW bytes on
 * either side so that a text of many dates costs linear time. Both bounds
 * fall on character boundaries.
 */
static void sentence(const subject *s, size_t start, size_t end, size_t *lo, size_t *hi)
{
    size_t floor = start > TERM_WINDOW ? start - TERM_WINDOW : 0;
    size_t ceil = s->len - end > TERM_WINDOW ? end + TERM_WINDOW : s->len;

    while (floor < start && ((unsigned char)s->text[floor] & 0xC0) == 0x80)
        floor++;
    while (ceil > end && ceil < s->len && ((unsigned char)s->text[ceil] & 0xC0) == 0x80)
        ceil--;
    *lo = floor;
    for (size_t i = floor; i < start;) {
        size_t n = stop_at(s->text + i, start - i);
        i += n ? n : 1;
        if (n)
            *lo = i;
    }
    *hi = ceil;
    for (size_t i = end; i < ceil; i++) {
        if (stop_at(s->text + i, ceil - i)) {
            *hi = i;
            break;
        }
    }
}

static int english_count(const char *s, size_t n)
{
    static const struct { const char *word; int value; } words[] = {
        {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6},
        {"twelve", 12}, {"eighteen", 18}, {"twenty-four", 24}, {"thirty-six", 36},
    };
    if (s[0] >= '0' && s[0] <= '9')
        return number_value(s, n, NULL);
    for (size_t i = 0; i < EV_ARRAY_LEN(words); i++)
        if (strlen(words[i].word) == n && strncasecmp(words[i].word, s, n) == 0)
            return words[i].value;
    return -1;
}

/*
 * The first duration phrase in [lo, hi) outside [skip_lo, skip_hi), in
 * months; 0 when none. The phrase's bytes go to span_lo and span_hi.
 */
static int duration(const subject *s, size_t lo, size_t hi, size_t skip_lo, size_t skip_hi,
                    size_t *span_lo, size_t *span_hi)
{
    for (int which = A_DUR_CN; which <= A_DUR_EN; which++) {
        size_t at = lo;
        while (at < hi && run(s, compiled_aux[which], at, hi, 0)) {
            const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
            int count;
            bool years;
            at = ov[1];
            if (ov[1] > skip_lo && ov[0] < skip_hi)
                continue;
            if (which == A_DUR_CN) {
                if (ov[6] != PCRE2_UNSET)
                    count = -2; /* 半: half a year */
                else if (ov[2] != PCRE2_UNSET)
                    count = group_value(s->text, ov, 1, NULL);
                else
                    count = group_value(s->text, ov, 2, NULL);
                years = ov[10] != PCRE2_UNSET;
                if (count == -2) {
                    if (!years)
                        continue;
                    count = 6;
                    years = false;
                }
            } else {
                count = english_count(s->text + ov[2], ov[3] - ov[2]);
                years = (s->text[ov[4]] | 0x20) == 'y';
            }
            int months = years ? count * 12 : count;
            if (count <= 0 || months > 1200)
                continue;
            *span_lo = ov[0];
            *span_hi = ov[1];
            return months;
        }
    }
    return 0;
}

/* A term: a marked start date and a duration in its sentence. */
static bool find_term(scanner *sc, ev_date_range *out)
{
    subject *s = sc->subj;
    ev_date_match m;
    size_t from = 0;

    while (scan_next(sc, from, &m)) {
        from = m.end;
        if ((m.flags & (EV_DATE_SET | EV_DATE_MONTH_ONLY)) != EV_DATE_SET)
            continue;
        size_t lo, hi;
        sentence(s, m.start, m.end, &lo, &hi);
        bool marked = run(s, compiled_aux[A_MARK_BEFORE], lo, m.start, 0) ||
                      run(s, compiled_aux[A_MARK_AFTER], m.end, hi, PCRE2_ANCHORED);
        if (!marked)
            continue;
        size_t dlo, dhi;
        int months = duration(s, lo, hi, m.start, m.end, &dlo, &dhi);
        if (!months)
            continue;
        memset(out, 0, sizeof *out);
        out->from = m;
        out->to.start = dlo;
        out->to.end = dhi;
        out->to.flags = EV_DATE_SET;
        out->to.date = ev_date_add_days(ev_date_add_months(m.date, months), -1);
        out->duration_months = months;
        out->start = dlo < m.start ? dlo : m.start;
        out->end = dhi > m.end ? dhi : m.end;
        return true;
    }
    return false;
}

bool ev_date_find_range(const char *text, size_t len, const ev_date_opts *opts,
                        ev_date_range *out)
{
    subject subj;
    ev_date_opts scan_opts = opts ? *opts : default_opts;
    scanner sc = {.subj = &subj, .opts = &scan_opts};
    scanner ends = {.subj = &subj, .opts = &scan_opts};
    ev_date_match m;
    size_t from = 0;
    bool found = false;

    assert(out);
    /* Open ends are read only in the end slot, never as a start. */
    scan_opts.open_end = false;
    subject_open(&subj, text, len);
    while (!found && scan_next(&sc, from, &m)) {
        from = m.end;
        if (m.flags & EV_DATE_BLANK)
            continue;
        if (!run(&subj, compiled_aux[A_SEP], m.end, subj.len, PCRE2_ANCHORED))
            continue;
        size_t at = pcre2_get_ovector_pointer(subj.md)[1];
        ev_date_match end;
        if (at == m.end || !range_end(&ends, at, &m, &end))
            continue;
        memset(out, 0, sizeof *out);
        out->from = m;
        out->to = end;
        out->start = m.start;
        out->end = end.end;
        found = true;
    }
    if (!found) {
        /* A fresh scan from the start: the first one has reached the end. */
        scanner term = {.subj = &subj, .opts = &scan_opts};
        found = find_term(&term, out);
    }
    ev_subject_close(&subj);
    return found;
}
