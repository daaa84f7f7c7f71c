/*
 * date.h: calendar dates — arithmetic, and finding dates in document text.
 *
 * A date is a proleptic Gregorian calendar date with no time and no zone
 * (requirements.md section 3). ev_date is a plain {y, m, d} triple: it is
 * what people and the JSON read, it compares field by field, and the few
 * operations that need a day count convert on the fly. Valid dates lie in
 * years 1..9999; the arithmetic below saturates at 0001-01-01 and
 * 9999-12-31 rather than leave that range.
 *
 * The finders read the spellings of section 6 ("Dates"): Chinese with Arabic
 * or Chinese numerals, ISO, dots, slashes, English day-first and month-first,
 * ambiguous numeric day/month, compact YYYYMMDD after a label, month-only,
 * two-digit years, blanks and open ends. They expect text already in NFKC
 * (nfkc.h) but also accept full-width digits and separators, so the byte
 * spans they report always index the caller's own text. The spellings are a
 * table of PCRE2 patterns compiled once per process (thread-safe); every
 * function here may be called from any thread.
 */
#ifndef EV_DATE_H
#define EV_DATE_H

#include <stdbool.h>
#include <stddef.h>

#include "ev.h"

typedef struct ev_date {
    int y; /* 1..9999 */
    int m; /* 1..12 */
    int d; /* 1..days in the month */
} ev_date;

/* "YYYY-MM-DD" plus the NUL. */
#define EV_DATE_STRLEN 11

/* ---- calendar ---------------------------------------------------------- */

bool ev_date_is_leap(int y);

/* Days in month m (1..12) of year y; 0 if m is out of range. */
int ev_date_days_in_month(int y, int m);

/* True if (y, m, d) is a real calendar date in years 1..9999. */
bool ev_date_valid(int y, int m, int d);

/* <0, 0, >0 as a is before, equal to, after b. Both must be valid. */
int ev_date_cmp(ev_date a, ev_date b);

/*
 * Add n months (n may be negative), keeping the day of the month and using
 * the target month's last day when that day does not exist there:
 * 2026-10-31 + 4 = 2027-02-28, 2026-03-31 - 1 = 2026-02-28. d must be valid.
 */
ev_date ev_date_add_months(ev_date d, int n);

/* Add n days (n may be negative). d must be valid. */
ev_date ev_date_add_days(ev_date d, long n);

/* Days from a to b (b - a); positive when b is later. */
long ev_date_diff_days(ev_date a, ev_date b);

/* The last day of d's month (for a month-only end: "2021.06" -> 06-30). */
ev_date ev_date_month_end(ev_date d);

/* Write "YYYY-MM-DD" into out. d must be valid. Returns out. */
char *ev_date_format(ev_date d, char out[EV_DATE_STRLEN]);

/*
 * Parse exactly "YYYY-MM-DD" (the --as-of argument and stored fields): ASCII
 * digits, two dashes, nothing before or after, a real calendar date.
 * Returns EV_OK, or EV_EINVAL with a message in err (which may be NULL);
 * *out is written only on success.
 */
ev_code ev_date_parse(const char *s, ev_date *out, ev_error *err);

/* ---- instants in China Standard Time ------------------------------------ */

/* "YYYY-MM-DD HH:MM:SS" plus the NUL. */
#define EV_INSTANT_STRLEN 20

/*
 * The instant `at`, exactly "YYYY-MM-DDTHH:MM:SSZ" (UTC, as a PDF
 * signature's signed_at is stored), in China Standard Time: UTC+8, no
 * daylight saving. The scheme and its signers are Chinese, so a signing
 * is dated by the Beijing calendar: 2026-03-05T17:30:00Z is 2026-03-06
 * 01:30:00. Sets *date to that calendar date and, when `local` is not
 * NULL, writes "YYYY-MM-DD HH:MM:SS" (Beijing time) into it. False, with
 * nothing written, when `at` is not of that form or not a real time.
 */
bool ev_instant_cst(const char *at, ev_date *date, char local[EV_INSTANT_STRLEN]);

/* ---- finding dates in text --------------------------------------------- */

/* Which of two small numbers in a numeric date is the day. */
typedef enum ev_date_order {
    EV_ORDER_UNKNOWN = 0,
    EV_ORDER_DAY_FIRST,   /* 05/03/2026 is 5 March (Chinese and British use) */
    EV_ORDER_MONTH_FIRST  /* 05/03/2026 is May 3 */
} ev_date_order;

/* Options of a search. A zeroed struct is the conservative default. */
typedef struct ev_date_opts {
    /*
     * The locale cue for 05/03/2026: a Chinese document, or a document
     * whose other dates are day-first (see ev_date_match.order). Without a
     * cue such a date is reported unset with EV_DATE_AMBIGUOUS.
     */
    ev_date_order order;
    /* The text is the value of a date label: read compact 20260305. */
    bool after_label;
    /*
     * Report open ends (至今, 长期, present, ...) as matches. Off by default
     * because 长期 and "now" are ordinary words in prose; the range finder
     * always reads them in the end slot.
     */
    bool open_end;
} ev_date_opts;

/* What a match is, beyond its date. Warnings are the flags ev_date_warning
 * has a sentence for. */
enum {
    EV_DATE_SET = 1u << 0,            /* date holds a valid date */
    EV_DATE_MONTH_ONLY = 1u << 1,     /* month precision; date.d is 1 */
    EV_DATE_TWO_DIGIT_YEAR = 1u << 2, /* 26年3月5日: read as 20YY (warning) */
    EV_DATE_AMBIGUOUS = 1u << 3,      /* 05/03/2026 without a cue: unset (warning) */
    EV_DATE_INVALID = 1u << 4,        /* 2026-02-30: unset (warning) */
    EV_DATE_BLANK = 1u << 5,          /* ____年__月__日: unset, no warning */
    EV_DATE_OPEN = 1u << 6            /* 至今, 长期, present: unset, no warning */
};

typedef struct ev_date_match {
    size_t start, end;   /* byte span in the searched text */
    unsigned flags;      /* EV_DATE_* */
    ev_date date;        /* meaningful only with EV_DATE_SET */
    /*
     * The order this spelling shows, for the caller's locale cue: DAY_FIRST
     * for "5 March 2026" or 25/03/2026, MONTH_FIRST for "March 5, 2026" or
     * 03/25/2026, UNKNOWN for year-first and Chinese spellings.
     */
    ev_date_order order;
} ev_date_match;

/*
 * The sentence for a match's warning, or NULL when it has none (set dates
 * without caveats, blanks and open ends). The most serious flag wins:
 * invalid, ambiguous, two-digit year, month only. Callers that accept month
 * precision (resumes, plan periods) skip the month-only sentence.
 * Static storage.
 */
const char *ev_date_warning(const ev_date_match *m);

/*
 * Find the first date spelling in text[0..len) (earliest start; at one
 * start the longest spelling). Returns true and fills *out, or false when
 * there is none. text may hold any bytes; it need not be NUL-terminated.
 * opts may be NULL for the defaults (here and below).
 */
bool ev_date_find(const char *text, size_t len, const ev_date_opts *opts,
                  ev_date_match *out);

/*
 * Every date spelling in text, in order, none overlapping. *out is an
 * ev_malloc'd array the caller frees (NULL when the count is 0). Returns
 * the count.
 */
size_t ev_date_find_all(const char *text, size_t len, const ev_date_opts *opts,
                        ev_date_match **out);

/* ---- ranges and terms --------------------------------------------------- */

typedef struct ev_date_range {
    size_t start, end;    /* byte span of the whole range or term */
    ev_date_match from;   /* the start date */
    /*
     * The end: a date, an open end (EV_DATE_OPEN), or, for a term stated as
     * a duration, the computed end (from + months - 1 day) with span equal
     * to the duration phrase's.
     */
    ev_date_match to;
    int duration_months;  /* > 0 only for a term stated as a duration */
} ev_date_range;

/*
 * Find the first range in text: two dates joined by 至, 到, -, –, —, ~, "to",
 * "until" (自…起至…止, from … to …), the end possibly without its year
 * (2026年1月1日至12月31日) or open (至今, present); failing that, a term
 * stated as a duration from a marked start in the same sentence
 * (服务期限为一年，自2026年4月1日起; for 12 months from 1 April 2026).
 * Both ends may carry any flags of a single match (month-only, invalid...).
 * Returns true and fills *out, false when there is no range.
 */
bool ev_date_find_range(const char *text, size_t len, const ev_date_opts *opts,
                        ev_date_range *out);

#endif
