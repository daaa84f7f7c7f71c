/* test_ocrtext.c: policy/ocrtext over what tesseract 5.3 really read from
 * the scans of tests/data/scan (the lines quoted are its output, see
 * tests/data/scan/README.md for the commands), over lines that must not
 * change, and over whole pages: the repaired text of the signed contract
 * page and of the acceptance report gives one contract number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "date.h"
#include "fields.h"
#include "ident.h"
#include "ocrtext.h"

#define CATALOG EV_SOURCE_DIR "/policy/catalog.xml"
#define OCR_DIR EV_SOURCE_DIR "/tests/data/scan/ocr/"

static void expect_repair(const char *ocr, const char *want)
{
    size_t n = 0;
    char *got = ev_ocr_repair(ocr, strlen(ocr), &n);
    if (strcmp(got, want) != 0)
        fail_msg("repair of\n  \"%s\" is\n  \"%s\", want\n  \"%s\"", ocr, got, want);
    assert_int_equal(n, strlen(got));
    free(got);
}

static void expect_kept(const char *text)
{
    expect_repair(text, text);
}

/* Spaces tesseract put inside Chinese words and around the marks it prints
 * half-width; column gaps (3 spaces or more) stay. */
static void test_spaces(void **state)
{
    (void)state;
    /* cert-cisp.jpg, chi_sim */
    expect_repair("经审核，该同志  符合注册信 妃文全专业人员的资质要求，特",
                  "经审核，该同志符合注册信妃文全专业人员的资质要求，特");
    expect_repair("姓 名", "姓名");
    expect_repair("2024年06月 20日", "2024年06月 20日");
    /* licence.png, chi_sim: the label's own spacing goes, the gap to the
     * value stays */
    expect_repair("名 称                    星河数安科技有限公司",
                  "名称                    星河数安科技有限公司");
    expect_repair("  (副 本)", "  (副本)");
    expect_repair("统一社会信用代码 : 91310115MA1K4R7T2F", "统一社会信用代码: 91310115MA1K4R7T2F");
    expect_repair("言息安全技术服务 ; 网络安全风险评估 ; 信息系统安全运维 ; 计",
                  "言息安全技术服务;网络安全风险评估;信息系统安全运维;计");
    expect_repair("住 所                        上海市浦东新区张江路 1088号3幢502室",
                  "住所                        上海市浦东新区张江路 1088号3幢502室");
    /* acceptance.pdf rendered at 200 dpi, red removed, chi_sim */
    expect_repair("验收内容 : 安全巡检记录、 漏洞扫描报告、应急演练记录、 月度运维报告共计十二份，均",
                  "验收内容:安全巡检记录、漏洞扫描报告、应急演练记录、月度运维报告共计十二份，均");
    expect_repair("验收结论 : 经验收小组审查 , 乙方已按合同要求完成安全运维服务，服务质量符合约定 ，",
                  "验收结论:经验收小组审查,乙方已按合同要求完成安全运维服务，服务质量符合约定，");
    expect_repair("委托单位 (盖章) : 江南水务集团有限公司", "委托单位(盖章):江南水务集团有限公司");
    /* contract-signed.tif, red removed, chi_sim: two columns on one line */
    expect_repair("签订日期 : 2026年03月18日              签订日期 : 2026年03月18日",
                  "签订日期: 2026年03月18日              签订日期: 2026年03月18日");
    expect_repair("甲方〈盖章) : 江南水务集团下限公司 乙方(盖章) : 星河数安科技有限分司",
                  "甲方〈盖章):江南水务集团下限公司乙方(盖章):星河数安科技有限分司");
    /* lease-2pages.tif, chi_sim: the gap after the tenant's label stays */
    expect_repair("出租方 (甲方)           上海张江科技园发展有限公司",
                  "出租方(甲方)           上海张江科技园发展有限公司");
}

/* Letters for digits inside numbers (tesseract read these digits right on
 * the fixtures; the letters are the confusions the issue names, placed
 * where they occur in the same lines). */
static void test_digits(void **state)
{
    (void)state;
    expect_repair("合同编号 : XH-AQ-2026-O1O7", "合同编号: XH-AQ-2026-0107");
    expect_repair("合同编号 : XH-AQ-2O26-0l07", "合同编号: XH-AQ-2026-0107");
    expect_repair("CNITSEC2O24CISP0l873", "CNITSEC2024CISP01873");
    expect_repair("成立日期          2Ol9年04月16日", "成立日期          2019年04月16日");
    expect_repair("有效期至2O27年O3月l7日", "有效期至2027年03月17日");
    expect_repair("2026.O3.l8", "2026.03.18");
    expect_repair("20|26年", "20126年");
    expect_repair("2〇26年03月18日", "2026年03月18日");
    expect_repair("人民币386,OOO.OO元", "人民币386,000.00元");
}

/* A credit code whose look-alike letters the check character vouches for. */
static void test_credit_code(void **state)
{
    (void)state;
    /* the licence's code with O for 0, I and l for 1, S for 5 */
    expect_repair("统一社会信用代码 : 9I3IOIISMAlK4R7T2F", "统一社会信用代码: 91310115MA1K4R7T2F");
    /* an 18-character word that a substitution does not make valid is kept */
    expect_kept("ABCDEFGHJKLMNOPQRS");
    /* a valid code is never touched */
    expect_kept("91310115MA1K4R7T2F");
    char check = 0;
    assert_int_equal(ev_credit_code_check("91310115MA1K4R7T2F", 18, &check), EV_CREDIT_OK);
}

/* The 〇 of a year written in Chinese numerals. */
static void test_year_zero(void **state)
{
    (void)state;
    expect_repair("验收日期          二O二六年十月二十日", "验收日期          二〇二六年十月二十日");
    expect_repair("二0二六年", "二〇二六年");
    expect_repair("二○二五年", "二〇二五年");
    expect_kept("二〇二六年十月二十日");
    /* acceptance.pdf at 100 dpi, red removed, chi_sim: a numeral too many.
     * Which one is unknown, so nothing changes. */
    expect_kept("二O〇二六年十月二十日");
    /* not a year: fewer than two real numerals */
    expect_kept("OO一O年");
}

/* 目 read for 日 at the end of a date. */
static void test_day(void **state)
{
    (void)state;
    /* evidence-samples/scan/08 (a JPEG at 150 dpi), red removed, chi_sim */
    expect_repair("发证日期                       2024年3月20目",
                  "发证日期                       2024年3月20日");
    expect_repair("有效期至                        2027年3月19目", "有效期至                        2027年3月19日");
    expect_repair("2027年3月 19目", "2027年3月 19日");
    expect_kept("截至3月20目前");
    expect_kept("项目3月");
    expect_kept("第120目");
    expect_kept("3月200目");
}

/* Y read for ¥ before an amount, and commas read as points after it. */
static void test_yuan(void **state)
{
    (void)state;
    /* contract-signed.tif, chi_sim */
    expect_repair("“合同金额 : 人民币佐拾抽万陆什元整 (Y386.000.00)",
                  "“合同金额:人民币佐拾抽万陆什元整(¥386,000.00)");
    /* lease-2pages.tif page 1 scaled to 65% (130 dpi), chi_sim */
    expect_repair("第三条 租金 : 每月人民币肆万贰什元整 (Y42,000.00 )  , 按季度支付",
                  "第三条租金:每月人民币肆万贰什元整(¥42,000.00 )  ,按季度支付");
    expect_repair("¥386.000.00", "¥386,000.00");
    expect_kept("Y386");
    expect_kept("Y386.000");
    expect_kept("XY42,000.00");
}

/* What no rule may change: English text, numbers, identifiers, layout. */
static void test_kept(void **state)
{
    (void)state;
    expect_kept("Certified Information Security Professional");
    expect_kept("I'll look into it. Is it OK? Oil, Olive, lOl, IO, Io.");
    expect_kept("Form I-9, Section I.2, Annex IV, Chapter II, O-ring, l/min");
    expect_kept("ISO 27001 and GB/T 22239-2019, Office 365, IPv4 10.0.0.1, 192.168.100.10");
    expect_kept("Version 2.0 of 1 March 2026, USD 50,000 and RMB 1.2 million.");
    expect_kept("Yes, Y2K and Y 100 are not amounts");
    expect_kept("CNITSEC2024CISP01873");
    expect_kept("XH-AQ-2026-0107");
    expect_kept("2026年03月18日至2027 年03 月17日");
    expect_kept("张江路 1088号3幢 502 室");
    expect_kept("第一条 Scope of services 服务范围");
    expect_kept("项目名称\n合同编号\n委托单位");
    expect_kept("Oct 2026 O'Brien, Lloyd, Ian; 10 l, 3 I");
    expect_kept("");
}

/* Any bytes: invalid UTF-8 becomes U+FFFD, a NUL is dropped. */
static void test_bytes(void **state)
{
    (void)state;
    size_t n = 0;
    char *got = ev_ocr_repair("a\xff" "b\0c", 5, &n);
    assert_string_equal(got, "a\xEF\xBF\xBD" "bc");
    assert_int_equal(n, 6);
    free(got);
    got = ev_ocr_repair(NULL, 0, NULL);
    assert_string_equal(got, "");
    free(got);
}

/* A small fixed-seed generator, so a failure can be replayed. */
static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

/* Text put together from the pieces the rules look at, and broken bytes:
 * the result is valid UTF-8 and within the stated bound, whatever comes. */
static void test_any_pieces(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "二", "〇", "年", "月", "日", "合同编号", "：", "，", "（", "）", "O", "o", "l", "I",
        "|", "Y", "S", "Z", "0", "1", "7", "9", ",", ".", "-", ":", "(", ")", " ", "  ",
        "   ", "\xE3\x80\x80", "\n", "A", "x", "\xE2\x97\x8B", "\xFF", "\xE4\xBA", "91310115MA1K4R7T2",
    };
    uint32_t seed = 20261204;
    for (int round = 0; round < 2000; round++) {
        ev_buf in = {0};
        int n = (int)(next_random(&seed) % 40);
        for (int i = 0; i < n; i++)
            ev_buf_puts(&in, pieces[next_random(&seed) % EV_ARRAY_LEN(pieces)]);
        size_t out_len = 0;
        char *out = ev_ocr_repair(in.data, in.len, &out_len);
        assert_true(ev_utf8_valid(out, out_len));
        assert_int_equal(strlen(out), out_len);
        assert_true(out_len <= 3 * in.len + 1);
        free(out);
        ev_buf_free(&in);
    }
}

/* English without digits is never changed, whatever its letters and marks. */
static void test_english_without_digits_kept(void **state)
{
    (void)state;
    static const char alphabet[] = "OolIiYSZabcdeKLMNxyz ,.;:()!?-'";
    uint32_t seed = 7;
    for (int round = 0; round < 2000; round++) {
        char text[64];
        size_t n = next_random(&seed) % (sizeof text - 1);
        for (size_t i = 0; i < n; i++)
            text[i] = alphabet[next_random(&seed) % (sizeof alphabet - 1)];
        text[n] = '\0';
        expect_kept(text);
    }
}

/* A date the finder reads only once the letters are digits again. */
static void test_repaired_date_is_read(void **state)
{
    (void)state;
    const char *ocr = "有效期至2O27年O3月l7日";
    ev_date_match m;
    char iso[EV_DATE_STRLEN];
    char *fixed = ev_ocr_repair(ocr, strlen(ocr), NULL);

    assert_false(ev_date_find(ocr, strlen(ocr), NULL, &m) && (m.flags & EV_DATE_SET));
    assert_true(ev_date_find(fixed, strlen(fixed), NULL, &m));
    assert_true(m.flags & EV_DATE_SET);
    assert_string_equal(ev_date_format(m.date, iso), "2027-03-17");
    free(fixed);
}

/* ---- whole pages ------------------------------------------------------- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ev_buf b = {0};
    char chunk[4096];
    size_t n;

    if (!f)
        fail_msg("cannot open %s", path);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ev_buf_append(&b, chunk, n);
    fclose(f);
    if (!b.data)
        ev_buf_append(&b, "", 0);
    return ev_buf_steal(&b);
}

/* The repaired OCR text of a page as a document: one paragraph a line. */
static doc *page_doc(const char *path)
{
    char *ocr = slurp(path);
    size_t len = 0;
    char *text = ev_ocr_repair(ocr, strlen(ocr), &len);
    doc *d = ev_calloc(1, sizeof *d);

    d->format = DOC_FORMAT_PDF;
    d->text = ev_malloc(len + 1);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n > 0) {
            d->blocks = ev_realloc(d->blocks, (d->nblocks + 1) * sizeof *d->blocks);
            doc_block *b = &d->blocks[d->nblocks++];
            memset(b, 0, sizeof *b);
            b->kind = DOC_BLOCK_PARAGRAPH;
            b->part = DOC_PART_BODY;
            b->off = d->text_len;
            b->len = n;
            memcpy(d->text + d->text_len, p, n);
            d->text[d->text_len + n] = '\0';
            d->text_len += n + 1;
        }
        p = nl ? nl + 1 : p + n;
    }
    free(text);
    free(ocr);
    return d;
}

/* The fields of a page read as a document of the given kind. */
static evidence *page_fields(const catalog *cat, const char *path, const char *kind)
{
    doc *d = page_doc(path);
    evidence *e = evidence_new("scan.pdf");
    e->kind = ev_strdup(kind);
    e->language = ev_strdup("zh");
    fields_extract(cat, d, e);
    free(d->text);
    free(d->blocks);
    free(d);
    return e;
}

static const char *field(const evidence *e, const char *name)
{
    const char *v = json_string_value(json_object_get(e->fields, name));
    if (!v) {
        char *dump = json_dumps(e->fields, JSON_INDENT(1));
        print_error("no %s in %s\n", name, dump);
        free(dump);
    }
    return v;
}

static void test_contract_matches_acceptance(void **state)
{
    catalog *cat = *state;
    /* The contract page with its seals and the acceptance report, as
     * chi_sim read them (red removed from the contract page first, as the
     * OCR does; see README.md). */
    evidence *contract = page_fields(cat, OCR_DIR "contract-signed.red.chi_sim.txt",
                                     "service-contract");
    evidence *report = page_fields(cat, OCR_DIR "acceptance.chi_sim.txt", "acceptance-report");
    const char *number = field(contract, "doc_number"), *ref = field(report, "contract_ref");

    assert_non_null(number);
    assert_non_null(ref);
    assert_true(ev_ident_same(number, strlen(number), ref, strlen(ref)));
    char *key = ev_ident_key(number, strlen(number));
    assert_string_equal(key, "XH-AQ-2026-0107");
    free(key);
    assert_string_equal(field(contract, "signed_on"), "2026-03-18");
    /* (Y386.000.00) as read; the amount only once repaired */
    json_t *amount = json_object_get(contract->fields, "amount");
    assert_non_null(amount);
    assert_true(json_number_value(json_object_get(amount, "value")) == 386000);
    evidence_free(contract);
    evidence_free(report);
}

static int setup(void **state)
{
    catalog *cat = NULL;
    ev_error err = {0};
    if (catalog_load(CATALOG, &cat, &err) != EV_OK) {
        fprintf(stderr, "catalog: %s\n", err.message);
        return -1;
    }
    *state = cat;
    return 0;
}

static int teardown(void **state)
{
    catalog_free(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spaces),
        cmocka_unit_test(test_digits),
        cmocka_unit_test(test_credit_code),
        cmocka_unit_test(test_year_zero),
        cmocka_unit_test(test_yuan),
        cmocka_unit_test(test_day),
        cmocka_unit_test(test_kept),
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_any_pieces),
        cmocka_unit_test(test_english_without_digits_kept),
        cmocka_unit_test(test_repaired_date_is_read),
        cmocka_unit_test_setup_teardown(test_contract_matches_acceptance, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
