/* Unit tests for policy/date: arithmetic, every spelling of the Dates table,
 * ranges and terms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"

static ev_date D(int y, int m, int d)
{
    return (ev_date){y, m, d};
}

static void assert_date(ev_date got, const char *want)
{
    char buf[EV_DATE_STRLEN];
    assert_string_equal(ev_date_format(got, buf), want);
}

/* ---- calendar ---------------------------------------------------------- */

static void test_validity(void **state)
{
    (void)state;
    assert_true(ev_date_valid(2028, 2, 29));
    assert_false(ev_date_valid(2026, 2, 29));
    assert_true(ev_date_valid(2000, 2, 29));
    assert_false(ev_date_valid(2100, 2, 29));
    assert_false(ev_date_valid(2026, 2, 30));
    assert_false(ev_date_valid(2026, 4, 31));
    assert_false(ev_date_valid(2026, 13, 1));
    assert_false(ev_date_valid(2026, 0, 1));
    assert_false(ev_date_valid(2026, 1, 0));
    assert_false(ev_date_valid(0, 1, 1));
    assert_false(ev_date_valid(10000, 1, 1));
    assert_int_equal(ev_date_days_in_month(2028, 2), 29);
    assert_int_equal(ev_date_days_in_month(2026, 12), 31);
}

static void test_add_months_clamps(void **state)
{
    (void)state;
    assert_date(ev_date_add_months(D(2026, 10, 31), 4), "2027-02-28");
    assert_date(ev_date_add_months(D(2026, 3, 31), -1), "2026-02-28");
    assert_date(ev_date_add_months(D(2027, 10, 31), 4), "2028-02-29");
    assert_date(ev_date_add_months(D(2028, 2, 29), 12), "2029-02-28");
    assert_date(ev_date_add_months(D(2028, 2, 29), -48), "2024-02-29");
    assert_date(ev_date_add_months(D(2026, 1, 15), -1), "2025-12-15");
    assert_date(ev_date_add_months(D(2026, 12, 31), 1), "2027-01-31");
    assert_date(ev_date_add_months(D(2026, 5, 31), -12), "2025-05-31");
    assert_date(ev_date_add_months(D(2026, 5, 31), 0), "2026-05-31");
    assert_date(ev_date_add_months(D(9999, 12, 1), 1), "9999-12-31");
    assert_date(ev_date_add_months(D(1, 1, 5), -1), "0001-01-01");
    assert_date(ev_date_add_months(D(2026, 1, 1), 2147483647), "9999-12-31");
}

static void test_add_days(void **state)
{
    (void)state;
    assert_date(ev_date_add_days(D(2027, 4, 1), -1), "2027-03-31");
    assert_date(ev_date_add_days(D(2028, 2, 28), 1), "2028-02-29");
    assert_date(ev_date_add_days(D(2026, 2, 28), 1), "2026-03-01");
    assert_date(ev_date_add_days(D(2026, 12, 31), 1), "2027-01-01");
    assert_date(ev_date_add_days(D(2026, 1, 1), 365), "2027-01-01");
    assert_date(ev_date_add_days(D(2028, 1, 1), 365), "2028-12-31");
    assert_date(ev_date_add_days(D(2000, 3, 1), -1), "2000-02-29");
    assert_date(ev_date_add_days(D(1900, 3, 1), -1), "1900-02-28");
    assert_date(ev_date_add_days(D(1, 1, 1), 0), "0001-01-01");
    assert_date(ev_date_add_days(D(1, 1, 1), -1), "0001-01-01");
    assert_date(ev_date_add_days(D(9999, 12, 31), 5), "9999-12-31");
    assert_int_equal(ev_date_diff_days(D(2026, 1, 1), D(2027, 1, 1)), 365);
    assert_int_equal(ev_date_diff_days(D(2028, 1, 1), D(2029, 1, 1)), 366);
    assert_int_equal(ev_date_diff_days(D(2026, 3, 5), D(2026, 3, 1)), -4);
}

static void test_day_numbers_round_trip(void **state)
{
    (void)state;
    /* Every day of 1999..2101 in order: add_days(+1) walks the calendar. */
    ev_date d = D(1999, 1, 1);
    for (int i = 0; i < 37000; i++) {
        ev_date next = ev_date_add_days(d, 1);
        assert_true(ev_date_valid(next.y, next.m, next.d));
        assert_int_equal(ev_date_cmp(d, next), -1);
        assert_int_equal(ev_date_diff_days(d, next), 1);
        if (d.d < ev_date_days_in_month(d.y, d.m))
            assert_true(next.y == d.y && next.m == d.m && next.d == d.d + 1);
        else
            assert_int_equal(next.d, 1);
        d = next;
    }
}

static void test_cmp(void **state)
{
    (void)state;
    assert_int_equal(ev_date_cmp(D(2026, 3, 5), D(2026, 3, 5)), 0);
    assert_true(ev_date_cmp(D(2026, 3, 5), D(2026, 3, 6)) < 0);
    assert_true(ev_date_cmp(D(2026, 4, 1), D(2026, 3, 31)) > 0);
    assert_true(ev_date_cmp(D(2025, 12, 31), D(2026, 1, 1)) < 0);
    /* the section 3 window: as_of - 12 months < d <= as_of */
    ev_date as_of = D(2026, 3, 31), lo = ev_date_add_months(as_of, -12);
    assert_date(lo, "2025-03-31");
    assert_false(ev_date_cmp(lo, D(2025, 3, 31)) < 0);
    assert_true(ev_date_cmp(lo, D(2025, 4, 1)) < 0);
}

static void test_month_end(void **state)
{
    (void)state;
    assert_date(ev_date_month_end(D(2021, 6, 1)), "2021-06-30");
    assert_date(ev_date_month_end(D(2028, 2, 1)), "2028-02-29");
    assert_date(ev_date_month_end(D(2026, 2, 1)), "2026-02-28");
}

static void test_format_and_parse(void **state)
{
    (void)state;
    ev_date d;
    ev_error err = {0};
    assert_date(D(987, 7, 4), "0987-07-04");
    assert_int_equal(ev_date_parse("2026-03-05", &d, NULL), EV_OK);
    assert_date(d, "2026-03-05");
    assert_int_equal(ev_date_parse("2028-02-29", &d, NULL), EV_OK);
    const char *bad[] = {"2026-02-29", "2026-3-5", "2026/03/05", " 2026-03-05",
                         "2026-03-05 ", "2026-13-01", "2026-00-10", "2026-03-00",
                         "20260305", "", "2026-03-0x", "+026-03-05", "2026-03-05x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = D(1, 1, 1);
        assert_int_equal(ev_date_parse(bad[i], &d, &err), EV_EINVAL);
        assert_date(d, "0001-01-01");
    }
    assert_int_equal(ev_date_parse(NULL, &d, NULL), EV_EINVAL);
    assert_int_equal(err.code, EV_EINVAL);
    assert_true(strlen(err.message) > 0);
}

/* A signing instant is dated by the Beijing calendar (UTC+8), across a day,
 * a month and a year end; anything but the stored form is refused. */
static void test_instant_cst(void **state)
{
    (void)state;
    ev_date d;
    char local[EV_INSTANT_STRLEN];
    const struct {
        const char *at, *date, *local;
    } ok[] = {
        {"2026-03-05T02:00:00Z", "2026-03-05", "2026-03-05 10:00:00"},
        {"2026-03-05T15:59:59Z", "2026-03-05", "2026-03-05 23:59:59"},
        {"2026-03-05T17:30:00Z", "2026-03-06", "2026-03-06 01:30:00"},
        {"2026-02-28T16:00:00Z", "2026-03-01", "2026-03-01 00:00:00"},
        {"2026-12-31T23:00:00Z", "2027-01-01", "2027-01-01 07:00:00"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_true(ev_instant_cst(ok[i].at, &d, local));
        assert_date(d, ok[i].date);
        assert_string_equal(local, ok[i].local);
    }
    assert_true(ev_instant_cst("2028-02-28T16:00:00Z", &d, NULL));
    assert_date(d, "2028-02-29");
    const char *bad[] = {"2026-03-05T02:00:00", "2026-03-05 02:00:00Z", "2026-03-05T24:00:00Z",
                         "2026-02-29T02:00:00Z", "2026-03-05T02:60:00Z", "2026-03-05T02:00:00+08",
                         "", "2026-03-05", "2026-03-05T0x:00:00Z"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = D(1, 1, 1);
        assert_false(ev_instant_cst(bad[i], &d, local));
        assert_date(d, "0001-01-01");
    }
    assert_false(ev_instant_cst(NULL, &d, NULL));
}

/* ---- single dates -------------------------------------------------------- */

static ev_date_match find(const char *text, const ev_date_opts *opts)
{
    ev_date_match m;
    assert_true(ev_date_find(text, strlen(text), opts, &m));
    return m;
}

/* text holds exactly one date spelling; its span is `want_span` (NULL: all). */
static void expect(const char *text, const char *want, unsigned flags, const char *span)
{
    ev_date_match m = find(text, NULL);
    if (want) {
        assert_true(m.flags & EV_DATE_SET);
        assert_date(m.date, want);
    } else {
        assert_false(m.flags & EV_DATE_SET);
    }
    assert_int_equal(m.flags & ~(unsigned)EV_DATE_SET, flags);
    const char *s = span ? span : text;
    const char *at = strstr(text, s);
    assert_non_null(at);
    assert_int_equal(m.start, (size_t)(at - text));
    assert_int_equal(m.end, m.start + strlen(s));
}

static void test_chinese_arabic(void **state)
{
    (void)state;
    expect("2026年3月5日", "2026-03-05", 0, NULL);
    expect("2026 年 3 月 5 日", "2026-03-05", 0, NULL);
    expect("2026年03月05日", "2026-03-05", 0, NULL);
    expect("２０２６年３月５日", "2026-03-05", 0, NULL);
    expect("2026年3月5号", "2026-03-05", 0, NULL);
    expect("签订日期：2026年3月5日。", "2026-03-05", 0, "2026年3月5日");
}

static void test_iso_dots_slashes(void **state)
{
    (void)state;
    expect("2026-03-05", "2026-03-05", 0, NULL);
    expect("2026-3-5", "2026-03-05", 0, NULL);
    expect("2026.3.5", "2026-03-05", 0, NULL);
    expect("2026.03.05", "2026-03-05", 0, NULL);
    expect("2026. 3. 5", "2026-03-05", 0, NULL);
    expect("2026/03/05", "2026-03-05", 0, NULL);
    expect("2026/3/5", "2026-03-05", 0, NULL);
    expect("２０２６－０３－０５", "2026-03-05", 0, NULL);
    expect("Date: 2026-03-05 14:30", "2026-03-05", 0, "2026-03-05");
}

static void test_chinese_numerals(void **state)
{
    (void)state;
    expect("二〇二六年三月五日", "2026-03-05", 0, NULL);
    expect("二零二六年三月五日", "2026-03-05", 0, NULL);
    expect("二〇二六年十二月二十五日", "2026-12-25", 0, NULL);
    expect("二〇二六年三月三十一日", "2026-03-31", 0, NULL);
    expect("二○二六年十月十日", "2026-10-10", 0, NULL);
    expect("二O二六年十一月二十日", "2026-11-20", 0, NULL);
    expect("二〇二六年三月三十二日", NULL, EV_DATE_INVALID, NULL);
    expect("二〇二六年二月三十日", NULL, EV_DATE_INVALID, NULL);
}

static void test_english(void **state)
{
    (void)state;
    ev_date_match m;
    expect("5 March 2026", "2026-03-05", 0, NULL);
    expect("5th March 2026", "2026-03-05", 0, NULL);
    expect("05 Mar 2026", "2026-03-05", 0, NULL);
    expect("5-Mar-2026", "2026-03-05", 0, NULL);
    expect("21st September 2026", "2026-09-21", 0, NULL);
    expect("March 5, 2026", "2026-03-05", 0, NULL);
    expect("Mar. 5, 2026", "2026-03-05", 0, NULL);
    expect("March 5th, 2026", "2026-03-05", 0, NULL);
    expect("Signed on SEPT 30, 2026 in Shanghai", "2026-09-30", 0, "SEPT 30, 2026");
    m = find("5 March 2026", NULL);
    assert_int_equal(m.order, EV_ORDER_DAY_FIRST);
    m = find("March 5, 2026", NULL);
    assert_int_equal(m.order, EV_ORDER_MONTH_FIRST);
    m = find("2026-03-05", NULL);
    assert_int_equal(m.order, EV_ORDER_UNKNOWN);
    expect("30 February 2026", NULL, EV_DATE_INVALID, NULL);
}

static void test_ambiguous(void **state)
{
    (void)state;
    expect("05/03/2026", NULL, EV_DATE_AMBIGUOUS, NULL);
    expect("3/5/2026", NULL, EV_DATE_AMBIGUOUS, NULL);
    expect("25/03/2026", "2026-03-25", 0, NULL);
    expect("03/25/2026", "2026-03-25", 0, NULL);
    expect("05/05/2026", "2026-05-05", 0, NULL);
    expect("25/13/2026", NULL, EV_DATE_INVALID, NULL);

    ev_date_opts day_first = {.order = EV_ORDER_DAY_FIRST};
    ev_date_opts month_first = {.order = EV_ORDER_MONTH_FIRST};
    ev_date_match m = find("05/03/2026", &day_first);
    assert_true(m.flags & EV_DATE_SET);
    assert_date(m.date, "2026-03-05");
    assert_int_equal(m.order, EV_ORDER_UNKNOWN);
    m = find("05/03/2026", &month_first);
    assert_date(m.date, "2026-05-03");
    m = find("3/5/2026", &day_first);
    assert_date(m.date, "2026-05-03");
    /* A clear order beats the cue, and reports itself. */
    m = find("03/25/2026", &day_first);
    assert_date(m.date, "2026-03-25");
    assert_int_equal(m.order, EV_ORDER_MONTH_FIRST);
    m = find("25.03.2026", NULL);
    assert_date(m.date, "2026-03-25");
    assert_int_equal(m.order, EV_ORDER_DAY_FIRST);
    /* mixed separators are not a date */
    assert_false(ev_date_find("05/03.2026", 10, NULL, &m));
}

static void test_compact(void **state)
{
    (void)state;
    ev_date_match m;
    ev_date_opts label = {.after_label = true};
    assert_false(ev_date_find("20260305", 8, NULL, &m));
    m = find("20260305", &label);
    assert_date(m.date, "2026-03-05");
    m = find(" 20260305 ", &label);
    assert_int_equal(m.start, 1);
    assert_int_equal(m.end, 9);
    const char *inside[] = {"HT-20260305-01", "HT20260305", "20260305-01", "No.20260305",
                            "202603051", "120260305"};
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++)
        assert_false(ev_date_find(inside[i], strlen(inside[i]), &label, &m));
    m = find("20260230", &label);
    assert_int_equal(m.flags, EV_DATE_INVALID);
}

static void test_month_only(void **state)
{
    (void)state;
    expect("2026年3月", "2026-03-01", EV_DATE_MONTH_ONLY, NULL);
    expect("2026.03", "2026-03-01", EV_DATE_MONTH_ONLY, NULL);
    expect("March 2026", "2026-03-01", EV_DATE_MONTH_ONLY, NULL);
    expect("2019-07", "2019-07-01", EV_DATE_MONTH_ONLY, NULL);
    expect("2019/07", "2019-07-01", EV_DATE_MONTH_ONLY, NULL);
    expect("二〇二六年三月", "2026-03-01", EV_DATE_MONTH_ONLY, NULL);
    expect("2026年3月份", "2026-03-01", EV_DATE_MONTH_ONLY, "2026年3月");
    expect("2026年13月", NULL, EV_DATE_MONTH_ONLY | EV_DATE_INVALID, NULL);
    ev_date_match m;
    /* prices, versions, numbers and document codes are not months */
    const char *not_dates[] = {"2026.10元", "1200.50", "V2026.1", "HT-2026-018",
                               "2026.13", "共2026.5万元", "QM-2026-03"};
    for (size_t i = 0; i < sizeof not_dates / sizeof not_dates[0]; i++)
        assert_false(ev_date_find(not_dates[i], strlen(not_dates[i]), NULL, &m));
}

static void test_two_digit_year(void **state)
{
    (void)state;
    expect("26年3月5日", "2026-03-05", EV_DATE_TWO_DIGIT_YEAR, NULL);
    expect("26/3/5", "2026-03-05", EV_DATE_TWO_DIGIT_YEAR, NULL);
    expect("26年3月", "2026-03-01", EV_DATE_TWO_DIGIT_YEAR | EV_DATE_MONTH_ONLY, NULL);
    ev_date_match m = find("26年3月5日", NULL);
    assert_string_equal(ev_date_warning(&m), "two-digit year read as 20YY");
}

static void test_invalid_and_leap(void **state)
{
    (void)state;
    expect("2026-02-30", NULL, EV_DATE_INVALID, NULL);
    expect("2026年2月29日", NULL, EV_DATE_INVALID, NULL);
    expect("2028年2月29日", "2028-02-29", 0, NULL);
    expect("2028-02-29", "2028-02-29", 0, NULL);
    expect("2026/04/31", NULL, EV_DATE_INVALID, NULL);
    expect("2026.13.01", NULL, EV_DATE_INVALID, NULL);
    expect("2026年0月1日", NULL, EV_DATE_INVALID, NULL);
    ev_date_match m = find("2026-02-30", NULL);
    assert_string_equal(ev_date_warning(&m), "not a calendar date");
    m = find("05/03/2026", NULL);
    assert_string_equal(ev_date_warning(&m), "day and month order is ambiguous");
    m = find("2026-03-05", NULL);
    assert_null(ev_date_warning(&m));
}

static void test_blank(void **state)
{
    (void)state;
    ev_date_match m = find("日期：____年__月__日", NULL);
    assert_int_equal(m.flags, EV_DATE_BLANK);
    assert_null(ev_date_warning(&m));
    m = find("  年  月  日", NULL);
    assert_int_equal(m.flags, EV_DATE_BLANK);
    m = find("＿＿＿＿年＿＿月＿＿日", NULL);
    assert_int_equal(m.flags, EV_DATE_BLANK);
    m = find("2026年   月   日", NULL);
    assert_int_equal(m.flags, EV_DATE_BLANK);
    m = find("2026年3月___日", NULL);
    assert_int_equal(m.flags, EV_DATE_BLANK);
    m = find("2026年3月 5日", NULL);
    assert_int_equal(m.flags, EV_DATE_SET);
    assert_null(ev_date_warning(&m));
}

static void test_open_end(void **state)
{
    (void)state;
    ev_date_opts open = {.open_end = true};
    ev_date_match m;
    const char *open_words[] = {"至今", "今", "现在", "present", "Present", "now",
                                "长期", "无固定期限", "营业期限：长期", "long-term"};
    for (size_t i = 0; i < sizeof open_words / sizeof open_words[0]; i++) {
        m = find(open_words[i], &open);
        assert_int_equal(m.flags, EV_DATE_OPEN);
        assert_null(ev_date_warning(&m));
        assert_false(ev_date_find(open_words[i], strlen(open_words[i]), NULL, &m));
    }
    /* in prose, 今年 and "now" are not open ends */
    const char *prose[] = {"今年的计划", "we now agree", "the present agreement"};
    for (size_t i = 0; i < sizeof prose / sizeof prose[0]; i++)
        assert_false(ev_date_find(prose[i], strlen(prose[i]), &open, &m));
}

static void test_no_date(void **state)
{
    (void)state;
    ev_date_match m;
    const char *none[] = {"", "合同金额：1,200,000.00元", "V1.2", "第3条", "12个月",
                          "Tel 021-12345678", "1.2.3", "May we agree"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        assert_false(ev_date_find(none[i], strlen(none[i]), NULL, &m));
    assert_false(ev_date_find(NULL, 0, NULL, &m));
}

static void test_hostile_bytes(void **state)
{
    (void)state;
    /* invalid UTF-8 around a date: the span still indexes the caller's text */
    const char text[] = "\xff\xfe 2026\xe5\xb9\xb4" "3\xe6\x9c\x88" "5\xe6\x97\xa5 \x80";
    ev_date_match m = find(text, NULL);
    assert_date(m.date, "2026-03-05");
    assert_int_equal(m.start, 3);
    char buf[1024];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (char)((i * 131 + 7) & 0xFF);
    ev_date_match *all;
    size_t n = ev_date_find_all(buf, sizeof buf, NULL, &all);
    free(all);
    (void)n;
}

static void test_find_all(void **state)
{
    (void)state;
    const char *text = "甲方（盖章）日期：2026年3月5日\n乙方（盖章）日期：2026年3月8日\n"
                       "附件 2026-02-30；____年__月__日";
    ev_date_match *all;
    size_t n = ev_date_find_all(text, strlen(text), NULL, &all);
    assert_int_equal(n, 4);
    assert_date(all[0].date, "2026-03-05");
    assert_date(all[1].date, "2026-03-08");
    assert_int_equal(all[2].flags, EV_DATE_INVALID);
    assert_int_equal(all[3].flags, EV_DATE_BLANK);
    for (size_t i = 1; i < n; i++)
        assert_true(all[i].start >= all[i - 1].end);
    free(all);

    const char *resume = "2015.09-2019.06 某大学 计算机科学\n2019.07-至今 青云网安 工程师\n"
                         "March 2012 – May 2015";
    ev_date_opts open = {.open_end = true};
    n = ev_date_find_all(resume, strlen(resume), &open, &all);
    assert_int_equal(n, 6);
    assert_date(all[0].date, "2015-09-01");
    assert_date(all[1].date, "2019-06-01");
    assert_date(all[2].date, "2019-07-01");
    assert_int_equal(all[3].flags, EV_DATE_OPEN);
    assert_date(all[4].date, "2012-03-01");
    assert_date(all[5].date, "2015-05-01");
    free(all);

    assert_int_equal(ev_date_find_all("none here", 9, NULL, &all), 0);
    assert_null(all);
}

static void test_many_dates_scale(void **state)
{
    (void)state;
    /* 2000 dates in one text: the cached scan keeps this linear enough. */
    size_t count = 2000, len = 0;
    char *text = malloc(count * 16 + 1);
    for (size_t i = 0; i < count; i++) {
        memcpy(text + len, "x 2026-03-05 y ", 15);
        len += 15;
    }
    ev_date_match *all;
    assert_int_equal(ev_date_find_all(text, len, NULL, &all), count);
    assert_int_equal(all[count - 1].start, (count - 1) * 15 + 2);
    free(all);
    free(text);
}

/* A text of `reps` copies of unit after prefix, followed by suffix. */
static char *repeat(const char *prefix, const char *unit, size_t reps, const char *suffix)
{
    size_t pl = strlen(prefix), ul = strlen(unit), sl = strlen(suffix);
    char *t = malloc(pl + ul * reps + sl + 1);
    memcpy(t, prefix, pl);
    for (size_t i = 0; i < reps; i++)
        memcpy(t + pl + i * ul, unit, ul);
    memcpy(t + pl + ul * reps, suffix, sl + 1);
    return t;
}

static void test_long_runs(void **state)
{
    (void)state;
    ev_date_match m;
    ev_date_range r;
    /* long runs of what the patterns repeat do not stop the search */
    char *t = repeat("", " ", 65536, "2026年3月5日");
    m = find(t, NULL);
    assert_int_equal(m.start, 65536);
    free(t);
    t = repeat("2026年3月5日", " ", 65536, "至2026年12月31日");
    assert_true(ev_date_find_range(t, strlen(t), NULL, &r));
    assert_date(r.to.date, "2026-12-31");
    free(t);
    t = repeat("", "_", 65536, "年__月__日");
    m = find(t, NULL);
    assert_int_equal(m.flags, EV_DATE_BLANK);
    free(t);
    t = repeat("", "12/", 20000, "");
    ev_date_match *all;
    assert_true(ev_date_find_all(t, strlen(t), NULL, &all) > 0);
    free(all);
    free(t);
    /* thousands of marked starts with no duration near any of them */
    t = repeat("一年", "自2026年4月1日起 ", 3000, "");
    assert_true(ev_date_find_range(t, strlen(t), NULL, &r));
    assert_int_equal(r.from.start, strlen("一年自"));
    free(t);
    t = repeat("", "自2026年4月1日起 ", 3000, "");
    assert_false(ev_date_find_range(t, strlen(t), NULL, &r));
    free(t);
}

/* Many threads search at once, the first of them compiling the table. */
static void *search_many(void *arg)
{
    const char *text = arg;
    for (int i = 0; i < 200; i++) {
        ev_date_match *all;
        size_t n = ev_date_find_all(text, strlen(text), NULL, &all);
        bool ok = n == 3 && all[2].date.d == 31;
        free(all);
        if (!ok)
            return (void *)1;
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    static const char text[] = "2026年3月5日，5 March 2026；2026/12/31";
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, search_many, (void *)text), 0);
    for (int i = 0; i < 4; i++) {
        void *ret;
        assert_int_equal(pthread_join(th[i], &ret), 0);
        assert_null(ret);
    }
}

/* Chinese numerals as a document writes them: 二〇二六, 十二, 二十五. */
static void cn_number(char *out, int v, bool digit_by_digit)
{
    static const char *const d[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    char tmp[8];
    out[0] = '\0';
    if (digit_by_digit) {
        snprintf(tmp, sizeof tmp, "%d", v);
        for (char *p = tmp; *p; p++)
            strcat(out, d[*p - '0']);
        return;
    }
    if (v >= 20)
        strcat(out, d[v / 10]);
    if (v >= 10)
        strcat(out, "十");
    if (v % 10 || v < 10)
        strcat(out, d[v % 10]);
}

static void test_round_trip_every_day(void **state)
{
    (void)state;
    static const char *const months[] = {"January", "February", "March", "April", "May", "June",
                                         "July", "August", "September", "October", "November",
                                         "December"};
    ev_date_opts day_first = {.order = EV_ORDER_DAY_FIRST};
    char text[160], want[EV_DATE_STRLEN];
    /* Every day of five years, leap year included, in nine spellings. */
    for (ev_date d = D(2024, 1, 1); d.y < 2029; d = ev_date_add_days(d, 1)) {
        char y[32], m[16], dd[16];
        cn_number(y, d.y, true);
        cn_number(m, d.m, false);
        cn_number(dd, d.d, false);
        ev_date_format(d, want);
        for (int k = 0; k < 9; k++) {
            switch (k) {
            case 0: snprintf(text, sizeof text, "于%d年%d月%d日签订", d.y, d.m, d.d); break;
            case 1: snprintf(text, sizeof text, "日期：%s", want); break;
            case 2: snprintf(text, sizeof text, "%d.%d.%d", d.y, d.m, d.d); break;
            case 3: snprintf(text, sizeof text, "%d/%02d/%02d", d.y, d.m, d.d); break;
            case 4: snprintf(text, sizeof text, "%s年%s月%s日", y, m, dd); break;
            case 5: snprintf(text, sizeof text, "on %d %s %d,", d.d, months[d.m - 1], d.y); break;
            case 6: snprintf(text, sizeof text, "%.3s. %d, %d", months[d.m - 1], d.d, d.y); break;
            case 7: snprintf(text, sizeof text, "%02d/%02d/%d", d.d, d.m, d.y); break;
            default: snprintf(text, sizeof text, "%d-%d-%d", d.y, d.m, d.d); break;
            }
            ev_date_match got;
            if (!ev_date_find(text, strlen(text), &day_first, &got) ||
                got.flags != EV_DATE_SET || ev_date_cmp(got.date, d) != 0)
                fail_msg("\"%s\" is not read as %s", text, want);
        }
    }
}

/* ---- ranges and terms ---------------------------------------------------- */

static ev_date_range range(const char *text)
{
    ev_date_range r;
    assert_true(ev_date_find_range(text, strlen(text), NULL, &r));
    return r;
}

static void expect_range(const char *text, const char *from, const char *to)
{
    ev_date_range r = range(text);
    assert_true(r.from.flags & EV_DATE_SET);
    assert_date(r.from.date, from);
    assert_true(r.to.flags & EV_DATE_SET);
    assert_date(r.to.date, to);
    assert_int_equal(r.duration_months, 0);
    assert_true(r.start <= r.from.start && r.to.end <= r.end && r.from.end <= r.to.start);
}

static void test_ranges(void **state)
{
    (void)state;
    expect_range("自2026年1月1日起至2026年12月31日止", "2026-01-01", "2026-12-31");
    expect_range("2026年1月1日至2026年12月31日", "2026-01-01", "2026-12-31");
    expect_range("2026.1.1-2026.12.31", "2026-01-01", "2026-12-31");
    expect_range("2026.1.1—2026.12.31", "2026-01-01", "2026-12-31");
    expect_range("2026/01/01 ~ 2026/12/31", "2026-01-01", "2026-12-31");
    expect_range("from 1 January 2026 to 31 December 2026", "2026-01-01", "2026-12-31");
    expect_range("1 January 2026 – 31 December 2026", "2026-01-01", "2026-12-31");
    expect_range("服务期限：2026年1月1日至12月31日", "2026-01-01", "2026-12-31");
    expect_range("2026年12月1日至1月31日", "2026-12-01", "2027-01-31");
    expect_range("有效期：2026年5月20日至2029年5月19日", "2026-05-20", "2029-05-19");
    expect_range("2026-01-01 to 2026-06-30", "2026-01-01", "2026-06-30");
    expect_range("２０２６年１月１日至２０２６年１２月３１日", "2026-01-01", "2026-12-31");

    ev_date_range r = range("自2026年1月1日起至2026年12月31日止");
    assert_int_equal(r.start, strlen("自"));
}

static void test_range_open_and_month(void **state)
{
    (void)state;
    ev_date_range r = range("营业期限：2021年6月8日至长期");
    assert_date(r.from.date, "2021-06-08");
    assert_int_equal(r.to.flags, EV_DATE_OPEN);
    r = range("2019.07-至今 青云网安");
    assert_int_equal(r.from.flags, EV_DATE_SET | EV_DATE_MONTH_ONLY);
    assert_int_equal(r.to.flags, EV_DATE_OPEN);
    r = range("2019.07 - 今");
    assert_int_equal(r.to.flags, EV_DATE_OPEN);
    r = range("July 2019 – present");
    assert_int_equal(r.to.flags, EV_DATE_OPEN);
    r = range("2015.09-2019.06");
    assert_date(ev_date_month_end(r.to.date), "2019-06-30");
    assert_true(r.to.flags & EV_DATE_MONTH_ONLY);
    r = range("2026-01-01至2026-02-30");
    assert_int_equal(r.to.flags, EV_DATE_INVALID);
}

static void test_terms(void **state)
{
    (void)state;
    const struct { const char *text; const char *to; int months; } rows[] = {
        {"服务期限为一年，自2026年4月1日起", "2027-03-31", 12},
        {"for 12 months from 1 April 2026", "2027-03-31", 12},
        {"服务期限1年，自2026年4月1日起计算", "2027-03-31", 12},
        {"自2026年4月1日起12个月", "2027-03-31", 12},
        {"服务期限两年，自2026年4月1日起", "2028-03-31", 24},
        {"服务期限二年，从2026年4月1日开始", "2028-03-31", 24},
        {"期限24个月，自2026年4月1日起", "2028-03-31", 24},
        {"服务期限半年，自2026年4月1日起", "2026-09-30", 6},
        {"期限6个月，自2026年4月1日起", "2026-09-30", 6},
        {"for one year from 1 April 2026", "2027-03-31", 12},
        {"for a term of twelve (12) months commencing on 1 April 2026", "2027-03-31", 12},
        {"期限为一年，自2028年2月29日起", "2029-02-27", 12},
        {"This Agreement commences on 1 April 2026 and continues for 24 months.", "2028-03-31",
         24},
        {"The services start on 1 April 2026 and run for two years", "2028-03-31", 24},
        {"本协议自2026年4月1日起生效，为期2年。", "2028-03-31", 24},
        {"服务期自2026年4月1日起，为期6个月", "2026-09-30", 6},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ev_date_range r = range(rows[i].text);
        assert_date(r.from.date, rows[i].text[0] == 'f' || strstr(rows[i].text, "2028") == NULL
                                     ? "2026-04-01" : "2028-02-29");
        assert_true(r.to.flags & EV_DATE_SET);
        assert_date(r.to.date, rows[i].to);
        assert_int_equal(r.duration_months, rows[i].months);
    }
    ev_date_range r;
    /* a date without a start mark, or a duration in another sentence, is no term */
    const char *no[] = {"签订日期：2026年4月1日，服务期限一年", "服务期限一年。自2026年4月1日起生效",
                        "2026年4月1日", "每年检查一次，自2026年4月1日起"};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(ev_date_find_range(no[i], strlen(no[i]), NULL, &r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validity),
        cmocka_unit_test(test_add_months_clamps),
        cmocka_unit_test(test_add_days),
        cmocka_unit_test(test_day_numbers_round_trip),
        cmocka_unit_test(test_cmp),
        cmocka_unit_test(test_month_end),
        cmocka_unit_test(test_format_and_parse),
        cmocka_unit_test(test_instant_cst),
        cmocka_unit_test(test_chinese_arabic),
        cmocka_unit_test(test_iso_dots_slashes),
        cmocka_unit_test(test_chinese_numerals),
        cmocka_unit_test(test_english),
        cmocka_unit_test(test_ambiguous),
        cmocka_unit_test(test_compact),
        cmocka_unit_test(test_month_only),
        cmocka_unit_test(test_two_digit_year),
        cmocka_unit_test(test_invalid_and_leap),
        cmocka_unit_test(test_blank),
        cmocka_unit_test(test_open_end),
        cmocka_unit_test(test_no_date),
        cmocka_unit_test(test_hostile_bytes),
        cmocka_unit_test(test_find_all),
        cmocka_unit_test(test_many_dates_scale),
        cmocka_unit_test(test_long_runs),
        cmocka_unit_test(test_round_trip_every_day),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_range_open_and_month),
        cmocka_unit_test(test_terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
