/* Unit tests for policy/amount: every row of the Amounts table, uppercase
 * numerals, unit prices, ranges and the 大写/小写 pair check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "amount.h"

static const ev_amount_opts english = {.english = true};
static const ev_amount_opts label = {.after_label = true};

static ev_amount_match find(const char *text, const ev_amount_opts *opts)
{
    ev_amount_match m;
    if (!ev_amount_find(text, strlen(text), opts, &m))
        fail_msg("no amount in \"%s\"", text);
    return m;
}

/* text's first amount is `cents` of `cur` with `flags`, spanning `span`. */
static void expect_opts(const char *text, const ev_amount_opts *opts, int64_t cents,
                        const char *cur, unsigned flags, const char *span)
{
    ev_amount_match m = find(text, opts);
    assert_int_equal(m.amount.cents, cents);
    assert_string_equal(m.amount.currency, cur);
    assert_int_equal(m.flags, flags);
    const char *s = span ? span : text;
    const char *at = strstr(text, s);
    assert_non_null(at);
    assert_int_equal(m.start, (size_t)(at - text));
    assert_int_equal(m.end, m.start + strlen(s));
}

static void expect(const char *text, int64_t cents, const char *cur, unsigned flags)
{
    expect_opts(text, NULL, cents, cur, flags, NULL);
}

static void expect_none(const char *text, const ev_amount_opts *opts)
{
    ev_amount_match m;
    if (ev_amount_find(text, strlen(text), opts, &m))
        fail_msg("unexpected amount in \"%s\" at %zu", text, m.start);
}

static void test_format(void **state)
{
    (void)state;
    char b[EV_AMOUNT_STRLEN];
    assert_string_equal(ev_amount_format(120000000, b), "1200000");
    assert_string_equal(ev_amount_format(120000050, b), "1200000.5");
    assert_string_equal(ev_amount_format(12345678, b), "123456.78");
    assert_string_equal(ev_amount_format(5, b), "0.05");
    assert_string_equal(ev_amount_format(0, b), "0");
    assert_string_equal(ev_amount_format(-150, b), "-1.5");
    assert_string_equal(ev_amount_format(INT64_MAX, b), "92233720368547758.07");
}

static void test_yuan_sign(void **state)
{
    (void)state;
    expect("¥1,200,000.00", 120000000, "CNY", 0);
    expect("￥1,200,000.00", 120000000, "CNY", 0);
    expect("¥1200000", 120000000, "CNY", 0);
    expect_opts("合同总价：¥ 1,200,000.00（含税）", NULL, 120000000, "CNY", 0, "¥ 1,200,000.00");
}

static void test_yuan_words(void **state)
{
    (void)state;
    expect("1,200,000.00元", 120000000, "CNY", 0);
    expect("人民币1200000元", 120000000, "CNY", 0);
    expect("人民币 1,200,000.00 元", 120000000, "CNY", 0);
    expect("人民币（小写）：¥1,200,000.00", 120000000, "CNY", 0);
    expect("1200000.5元", 120000050, "CNY", 0);
}

static void test_wan_yi(void **state)
{
    (void)state;
    expect("120万元", 120000000, "CNY", 0);
    expect("人民币120万元", 120000000, "CNY", 0);
    expect("120.5万元", 120500000, "CNY", 0);
    expect("1.2亿元", 12000000000, "CNY", 0);
    expect("0.35万元", 350000, "CNY", 0);
    expect("12.3456万元", 12345600, "CNY", 0);
    /* more than two places after the multiplier: rounded half up */
    expect("1.2345678万元", 1234568, "CNY", 0);
    expect("1.005元", 101, "CNY", 0);
    expect("1.0049元", 100, "CNY", 0);
    expect("0.125万元", 125000, "CNY", 0);
    expect("RMB 1.23456789m", 123456789, "CNY", 0);
    expect("RMB 1.234567895m", 123456790, "CNY", 0);
}

static void test_uppercase(void **state)
{
    (void)state;
    expect("人民币壹佰贰拾万元整", 120000000, "CNY", EV_AMOUNT_WORDS);
    expect("人民币（大写）：壹佰贰拾万元整", 120000000, "CNY", EV_AMOUNT_WORDS);
    expect("壹拾贰万叁仟肆佰伍拾陆元柒角捌分", 12345678, "CNY", EV_AMOUNT_WORDS);

    const struct { const char *words; int64_t cents; } rows[] = {
        {"拾万元整", 10000000},
        {"拾贰万元", 12000000},
        {"壹拾万元整", 10000000},
        {"壹佰零伍元", 10500},
        {"壹仟零伍拾元正", 105000},
        {"壹万零伍佰元整", 1050000},
        {"贰拾万零叁元", 20000300},
        {"壹亿贰仟万元整", 12000000000},
        {"壹亿零伍万元", 10005000000},
        {"伍万亿元", 500000000000000},
        {"叁角", -1},
        {"伍元伍角", 550},
        {"伍元零伍分", 505},
        {"伍元伍角伍分", 555},
        {"两万元", 2000000},
        {"二十万元", -1},
        {"贰拾两万元", 22000000},
        {"两佰元", -1},
        {"二元", -1},
        {"壹贰元", -1},
        {"壹拾壹佰元", -1},
        {"壹佰元整伍角", -1},
        {"伍角元", -1},
        {"万元", -1},
        {"壹佰贰拾万", -1},
        {"壹佰貳拾萬圓整", 120000000},
        {"壹仟亿亿元", -1},
        {"", -1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t cents = -1;
        bool ok = ev_amount_parse_words(rows[i].words, strlen(rows[i].words), &cents);
        if (ok != (rows[i].cents >= 0) || (ok && cents != rows[i].cents))
            fail_msg("%s: ok=%d cents=%lld", rows[i].words, ok, (long long)cents);
    }
}

static void test_english_forms(void **state)
{
    (void)state;
    expect("RMB 1,200,000", 120000000, "CNY", 0);
    expect("CNY 1,200,000.00", 120000000, "CNY", 0);
    expect("RMB1.2 million", 120000000, "CNY", 0);
    expect("RMB 1.2m", 120000000, "CNY", 0);
    expect("RMB 120k", 12000000, "CNY", 0);
    expect("USD 50,000", 5000000, "USD", 0);
    expect("US$50,000.00", 5000000, "USD", 0);
    expect_opts("$50,000", &english, 5000000, "USD", 0, NULL);
    expect_opts("a fee of 50,000 dollars", &english, 5000000, "USD", 0, "50,000 dollars");
    expect("HK$ 3,000", 300000, "HKD", 0);
    expect("EUR 1.5m", 150000000, "EUR", 0);
    /* a bare $ in a Chinese document is not read */
    expect_none("$50,000", NULL);
    expect_none("$50,000", &label);
    /* two currencies that contradict each other */
    expect_none("USD 100元", NULL);
}

static void test_bare_numbers(void **state)
{
    (void)state;
    expect_none("1200000", NULL);
    expect_none("120万", NULL);
    expect_none("2026年3月5日", NULL);
    expect_none("税率6%", &label);
    expect_none("HT-2026-018", NULL);
    expect_none("共3页", NULL);
    expect_none("", NULL);
    expect_opts("1,200,000.00", &label, 120000000, "CNY", EV_AMOUNT_NO_CURRENCY, NULL);
    expect_opts("120万", &label, 120000000, "CNY", EV_AMOUNT_NO_CURRENCY, NULL);
    expect_opts("税率6%，1200000", &label, 120000000, "CNY", EV_AMOUNT_NO_CURRENCY, "1200000");
}

static void test_tax_words(void **state)
{
    (void)state;
    expect_opts("合同总价（含税，税率6%）：人民币1,200,000.00元", NULL, 120000000, "CNY", 0,
                "人民币1,200,000.00元");
    expect_opts("不含税金额：¥1,132,075.47", NULL, 113207547, "CNY", 0, "¥1,132,075.47");
    expect_opts("Total amount (VAT included): RMB 1,200,000", NULL, 120000000, "CNY", 0,
                "RMB 1,200,000");
}

static void test_unit_prices(void **state)
{
    (void)state;
    expect_opts("单价：¥1,000.00", NULL, 100000, "CNY", EV_AMOUNT_UNIT_PRICE, "¥1,000.00");
    expect_opts("月租金为人民币20,000元", NULL, 2000000, "CNY", EV_AMOUNT_UNIT_PRICE,
                "人民币20,000元");
    expect_opts("¥5,000/月", NULL, 500000, "CNY", EV_AMOUNT_UNIT_PRICE, "¥5,000");
    expect_opts("5000元每月", NULL, 500000, "CNY", EV_AMOUNT_UNIT_PRICE, "5000元");
    expect_opts("RMB 8,000 per month", NULL, 800000, "CNY", EV_AMOUNT_UNIT_PRICE, "RMB 8,000");
    expect_opts("每月服务费人民币5,000元", NULL, 500000, "CNY", EV_AMOUNT_UNIT_PRICE,
                "人民币5,000元");
    /* a unit price earlier in the text does not taint the next clause */
    ev_amount_match *all;
    const char *t = "单价¥1,000，合计¥12,000";
    assert_int_equal(ev_amount_find_all(t, strlen(t), NULL, &all), 2);
    assert_int_equal(all[0].flags, EV_AMOUNT_UNIT_PRICE);
    assert_int_equal(all[1].flags, 0);
    free(all);
}

static void test_ranges(void **state)
{
    (void)state;
    ev_amount_match *all;
    const char *t = "预算10万元至20万元";
    assert_int_equal(ev_amount_find_all(t, strlen(t), NULL, &all), 2);
    assert_int_equal(all[0].flags, EV_AMOUNT_RANGE);
    assert_int_equal(all[1].flags, EV_AMOUNT_RANGE);
    assert_int_equal(all[1].amount.cents, 20000000);
    free(all);
    ev_amount_reading r;
    ev_amount_read(t, strlen(t), NULL, &r);
    assert_false(r.found);
    assert_int_equal(r.skipped, EV_AMOUNT_RANGE);
}

static void test_find_all_order(void **state)
{
    (void)state;
    const char *t = "合同金额：人民币（大写）壹佰贰拾万元整（¥1,200,000.00），首付30%即¥360,000。";
    ev_amount_match *all;
    size_t n = ev_amount_find_all(t, strlen(t), NULL, &all);
    assert_int_equal(n, 3);
    assert_int_equal(all[0].flags, EV_AMOUNT_WORDS);
    assert_int_equal(all[0].amount.cents, 120000000);
    assert_int_equal(all[1].amount.cents, 120000000);
    assert_int_equal(all[2].amount.cents, 36000000);
    assert_true(all[0].end <= all[1].start && all[1].end <= all[2].start);
    free(all);
    assert_int_equal(ev_amount_find_all("无", 3, NULL, &all), 0);
    assert_null(all);
}

/* After an amount label every number is a candidate; those that number
 * something (No. 1, 第2期, Clause 7.2, a telephone) are not amounts, a
 * figure with a currency wins over a bare one, and a total over a part. */
static void test_reference_numbers_are_no_amounts(void **state)
{
    (void)state;
    ev_amount_opts o = {.after_label = true};
    ev_amount_reading r;
    const struct {
        const char *text;
        int64_t cents;      /* 0: no amount */
    } rows[] = {
        {"for the services under SOW No. 1 is RMB 268,000.00, payable quarterly", 26800000},
        {"under SOW No. 2", 0},
        {"按第2期进度支付", 0},
        {"见第3条", 0},
        {"see Clause 7.2", 0},
        {"联系电话：0571-88886666", 0},
        {"账号：6222021001098765432", 0},
        {"编号12", 0},
        {"分三期支付，第1期支付40%，合计人民币100,000元", 10000000},
        {"首付¥30,000，合同总价¥100,000", 10000000},
        {"120000", 12000000},
        {"第1期款项人民币3万元", 3000000},
        /* a payment per period is no total either */
        {"每期支付人民币30,000元", 0},
        {"RMB 25,000 per quarter", 0},
        {"RMB 25,000 quarterly, RMB 100,000 in total", 10000000},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ev_amount_read(rows[i].text, strlen(rows[i].text), &o, &r);
        if (rows[i].cents == 0) {
            if (r.found)
                print_error("%s: read %lld\n", rows[i].text, (long long)r.amount.amount.cents);
            assert_false(r.found);
        } else {
            if (!r.found || r.amount.amount.cents != rows[i].cents)
                print_error("%s: found %d, %lld\n", rows[i].text, r.found,
                            (long long)r.amount.amount.cents);
            assert_true(r.found);
            assert_int_equal(r.amount.amount.cents, rows[i].cents);
        }
    }
}

static void test_pair_agree(void **state)
{
    (void)state;
    ev_amount_reading r;
    const char *t = "合同总价：人民币（大写）：壹佰贰拾万元整（小写：¥1,200,000.00）";
    ev_amount_read(t, strlen(t), NULL, &r);
    assert_true(r.found && r.has_figure && r.has_words);
    assert_false(r.disagree);
    assert_string_equal(r.warning, "");
    assert_int_equal(r.amount.amount.cents, 120000000);
    assert_int_equal(r.amount.flags, 0);

    t = "总金额¥123,456.78元（壹拾贰万叁仟肆佰伍拾陆元柒角捌分）";
    ev_amount_read(t, strlen(t), NULL, &r);
    assert_false(r.disagree);
    assert_int_equal(r.amount.amount.cents, 12345678);
}

static void test_pair_disagree(void **state)
{
    (void)state;
    ev_amount_reading r;
    const char *t = "合同金额：人民币1,200,000.00元（大写：人民币壹佰壹拾万元整）";
    ev_amount_read(t, strlen(t), NULL, &r);
    assert_true(r.found);
    assert_true(r.disagree);
    assert_int_equal(r.amount.amount.cents, 120000000);
    assert_int_equal(r.words.amount.cents, 110000000);
    assert_string_equal(r.warning,
                        "amount in figures \"人民币1,200,000.00元\" (1200000 CNY) and in words "
                        "\"人民币壹佰壹拾万元整\" (1100000 CNY) disagree; the figure is kept");
}

static void test_read_words_only_and_none(void **state)
{
    (void)state;
    ev_amount_reading r;
    const char *t = "租金总额：人民币贰拾肆万元整";
    ev_amount_read(t, strlen(t), NULL, &r);
    assert_true(r.found && r.has_words && !r.has_figure);
    assert_int_equal(r.amount.amount.cents, 24000000);
    assert_int_equal(r.amount.flags, EV_AMOUNT_WORDS);

    t = "单价：人民币500元/人天";
    ev_amount_read(t, strlen(t), NULL, &r);
    assert_false(r.found);
    assert_int_equal(r.skipped, EV_AMOUNT_UNIT_PRICE);

    ev_amount_read("", 0, NULL, &r);
    assert_false(r.found);
    assert_int_equal(r.skipped, 0);
}

static void test_limits_and_bytes(void **state)
{
    (void)state;
    expect_none("¥99999999999999999999", NULL);
    expect_none("99999999999亿元", NULL);
    expect("¥10,000,000,000,000", 1000000000000000, "CNY", 0);
    const char bad[] = "\xff\xfe¥1,200\x80";
    ev_amount_match m;
    assert_true(ev_amount_find(bad, sizeof bad - 1, NULL, &m));
    assert_int_equal(m.start, 2);
    assert_int_equal(m.amount.cents, 120000);
    char buf[2048];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (char)((i * 151 + 3) & 0xFF);
    ev_amount_reading r;
    ev_amount_read(buf, sizeof buf, &label, &r);
    (void)r;
}

/* An independent speller of uppercase amounts, the way contracts write them. */
static void spell_section(char *out, int64_t n)
{
    static const char *const digit[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
    static const char *const unit[] = {"仟", "佰", "拾", ""};
    bool started = false, zero = false;
    for (int i = 0, div = 1000; i < 4; i++, div /= 10) {
        int v = (int)(n / div % 10);
        if (!v) {
            zero = started;
            continue;
        }
        if (zero)
            strcat(out, "零");
        strcat(out, digit[v]);
        strcat(out, unit[i]);
        started = true;
        zero = false;
    }
}

static void spell(char *out, int64_t cents)
{
    static const char *const digit[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
    int64_t yuan = cents / 100, yi = yuan / 100000000, wan = yuan / 10000 % 10000, ge = yuan % 10000;
    int jiao = (int)(cents / 10 % 10), fen = (int)(cents % 10);
    out[0] = '\0';
    if (yi) {
        spell_section(out, yi);
        strcat(out, "亿");
    }
    if (wan) {
        if (yi && wan < 1000)
            strcat(out, "零");
        spell_section(out, wan);
        strcat(out, "万");
    }
    if (ge) {
        if ((yi || wan) && ge < 1000)
            strcat(out, "零");
        spell_section(out, ge);
    }
    strcat(out, "元");
    if (jiao) {
        strcat(out, digit[jiao]);
        strcat(out, "角");
    }
    if (fen) {
        if (!jiao)
            strcat(out, "零");
        strcat(out, digit[fen]);
        strcat(out, "分");
    }
    if (!jiao && !fen)
        strcat(out, "整");
}

/* 1234567.8 -> "1,234,567.80" */
static void with_commas(char *out, int64_t cents)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)(cents / 100)), o = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    snprintf(out + o, 8, ".%02d", (int)(cents % 100));
}

static void test_round_trip_random(void **state)
{
    (void)state;
    uint64_t seed = 20260305;
    char words[256], fig[64], text[400];
    for (int i = 0; i < 3000; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        /* up to 12 digits, half of them zeros, so that 零 rules get exercised */
        int64_t cents = 0;
        int ndigits = 3 + (int)(seed >> 60) % 10;
        for (int k = 0; k < ndigits; k++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            cents = cents * 10 + ((seed >> 40) & 1 ? 0 : 1 + (int)((seed >> 41) % 9));
        }
        if (cents < 100)
            cents += 100;
        spell(words, cents);
        with_commas(fig, cents);
        snprintf(text, sizeof text, "合同总价：人民币（大写）%s（小写：¥%s）", words, fig);
        ev_amount_reading r;
        ev_amount_read(text, strlen(text), NULL, &r);
        if (!r.found || !r.has_words || !r.has_figure || r.disagree ||
            r.words.amount.cents != cents || r.figure.amount.cents != cents)
            fail_msg("%s: found=%d words=%lld figure=%lld want %lld", text, r.found,
                     (long long)r.words.amount.cents, (long long)r.figure.amount.cents,
                     (long long)cents);
    }
}

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
    /* pathological runs neither hang the search nor hide what follows */
    const struct {
        const char *prefix, *unit, *suffix;
        size_t reps;
        int64_t cents;
        unsigned flags;
    } rows[] = {
        {"¥1", ",000", " 另付¥5", 16384, 500, 0},
        {"", "壹佰", "，壹佰元", 10000, 10000, EV_AMOUNT_WORDS},
        {"", "1", " ¥7", 65536, 700, 0},
        {"¥", " ", "8", 65536, 800, 0},
        {"", "单价", "。合计¥9", 10000, 900, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *t = repeat(rows[i].prefix, rows[i].unit, rows[i].reps, rows[i].suffix);
        ev_amount_match *all;
        size_t n = ev_amount_find_all(t, strlen(t), NULL, &all);
        assert_true(n >= 1);
        assert_int_equal(all[n - 1].amount.cents, rows[i].cents);
        assert_int_equal(all[n - 1].flags, rows[i].flags);
        free(all);
        free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_yuan_sign),
        cmocka_unit_test(test_yuan_words),
        cmocka_unit_test(test_wan_yi),
        cmocka_unit_test(test_uppercase),
        cmocka_unit_test(test_english_forms),
        cmocka_unit_test(test_bare_numbers),
        cmocka_unit_test(test_tax_words),
        cmocka_unit_test(test_unit_prices),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_find_all_order),
        cmocka_unit_test(test_reference_numbers_are_no_amounts),
        cmocka_unit_test(test_pair_agree),
        cmocka_unit_test(test_pair_disagree),
        cmocka_unit_test(test_read_words_only_and_none),
        cmocka_unit_test(test_limits_and_bytes),
        cmocka_unit_test(test_long_runs),
        cmocka_unit_test(test_round_trip_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
