/*
 * amount.h: money amounts in contract text (requirements.md section 6,
 * "Amounts").
 *
 * Values are exact: an int64 count of the currency's hundredths (cents,
 * 分), never a double. A spelling with more than two decimal places after
 * its multiplier (1.234567万元) is rounded half up to the cent. Values above
 * 10^13 main units are not read (no contract is that large, and the bound
 * keeps every product within int64).
 *
 * Spellings: figures with a currency before or after (¥1,200,000.00,
 * 1,200,000.00元, 人民币 1,200,000.00 元, RMB 1,200,000, USD 50,000,
 * US$50,000.00), Chinese multipliers (120.5万元, 1.2亿元), English ones
 * (RMB1.2 million, RMB 1.2m, RMB 120k), and the uppercase form of Chinese
 * contracts (人民币壹佰贰拾万元整, 壹拾贰万叁仟肆佰伍拾陆元柒角捌分). The text
 * should be NFKC (nfkc.h): figures are read in ASCII digits. Patterns are
 * PCRE2, compiled once per process; every function is thread-safe.
 */
#ifndef EV_AMOUNT_H
#define EV_AMOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ev_amount {
    int64_t cents;     /* value x 100: 1200000.5 yuan is 120000050 */
    char currency[4];  /* ISO 4217: "CNY", "USD", "HKD", "EUR" */
} ev_amount;

/* "1200000", "1200000.5", "123456.78": the JSON decimal, at most 2 places. */
#define EV_AMOUNT_STRLEN 24
char *ev_amount_format(int64_t cents, char out[EV_AMOUNT_STRLEN]);

typedef struct ev_amount_opts {
    /* The document is in English: a bare "$" means USD. */
    bool english;
    /*
     * The text is the value of an amount label (合同金额, Contract price):
     * a figure without any currency (1200000, 120万) is read as CNY.
     */
    bool after_label;
} ev_amount_opts;

enum {
    EV_AMOUNT_WORDS = 1u << 0,      /* uppercase Chinese spelling (大写) */
    EV_AMOUNT_UNIT_PRICE = 1u << 1, /* 单价, 每月, /月, per month: not a total */
    EV_AMOUNT_RANGE = 1u << 2,      /* one end of 10万元至20万元: not a total */
    EV_AMOUNT_NO_CURRENCY = 1u << 3 /* read as CNY only because of after_label */
};

typedef struct ev_amount_match {
    size_t start, end;   /* byte span in the searched text */
    unsigned flags;      /* EV_AMOUNT_* */
    ev_amount amount;
} ev_amount_match;

/*
 * The first amount in text[0..len). Returns true and fills *out, false when
 * there is none. text may hold any bytes. opts may be NULL for the defaults
 * (here and below).
 */
bool ev_amount_find(const char *text, size_t len, const ev_amount_opts *opts,
                    ev_amount_match *out);

/*
 * Every amount in text, in order. *out is an ev_malloc'd array the caller
 * frees (NULL when the count is 0). Returns the count.
 */
size_t ev_amount_find_all(const char *text, size_t len, const ev_amount_opts *opts,
                          ev_amount_match **out);

/*
 * The value of an uppercase spelling alone ("壹佰贰拾万元整"), without
 * currency words. Returns true and sets *cents, false if s is not one.
 */
bool ev_amount_parse_words(const char *s, size_t len, int64_t *cents);

#define EV_AMOUNT_WARNING_MAX 400

/* What a text says the (contract) amount is. */
typedef struct ev_amount_reading {
    bool found;               /* amount is set */
    ev_amount_match amount;   /* the figure; the words when no figure */
    bool has_figure, has_words;
    ev_amount_match figure;   /* first figure that is not a unit price or range */
    ev_amount_match words;    /* first uppercase spelling likewise */
    bool disagree;            /* figure and words differ (warning says how) */
    unsigned skipped;         /* EV_AMOUNT_UNIT_PRICE / _RANGE: what was passed over */
    char warning[EV_AMOUNT_WARNING_MAX]; /* "" when there is nothing to say */
} ev_amount_reading;

/*
 * Read the contract amount of a paragraph or cell: the first figure and the
 * first uppercase spelling that are neither unit prices nor range ends. When
 * both are present (大写 / 小写) and differ, the figure is kept and warning
 * names both as written. When only unit prices or ranges are present, found
 * is false and skipped says why. Tax words (含税, VAT included) change
 * nothing. Always fills *out.
 */
void ev_amount_read(const char *text, size_t len, const ev_amount_opts *opts,
                    ev_amount_reading *out);

#endif
