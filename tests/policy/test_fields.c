/* test_fields.c: the field extractor over documents built in code, one per
 * kind (Chinese and English), with the spec's sources of values (inline
 * labels, table cells, headers, the signature block), conflicts, fallbacks
 * and the notes they leave. The real catalog is loaded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "date.h"
#include "fields.h"
#include "ident.h"

#define CATALOG EV_SOURCE_DIR "/policy/catalog.xml"

static catalog *cat;

/* ---- building documents ------------------------------------------------- */

static void add_block(doc *d, doc_block_kind kind, doc_part part, uint32_t table, uint32_t row,
                      uint32_t col, const char *s, size_t len)
{
    d->text = ev_realloc(d->text, d->text_len + len + 1);
    /* "\\n" in a line stands for a line break inside the block */
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len && s[i + 1] == 'n') {
            d->text[d->text_len + n++] = '\n';
            i++;
        } else {
            d->text[d->text_len + n++] = s[i];
        }
    }
    d->text[d->text_len + n] = '\0';
    d->blocks = ev_realloc(d->blocks, (d->nblocks + 1) * sizeof *d->blocks);
    doc_block *b = &d->blocks[d->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->part = part;
    b->depth = kind == DOC_BLOCK_CELL;
    b->table = table;
    b->row = row;
    b->col = col;
    b->off = d->text_len;
    b->len = n;
    d->text_len += n + 1;
}

/*
 * A document from lines. The first characters say what a line is:
 *   "=text" the title (a heading)    "^text" header paragraph
 *   "_text" footer paragraph         "|a|b|" a body table row
 *   "^|a|b|" a header table row      "text"  a body paragraph
 *   "|>a|b|" a row of a table nested in the cell after the last one
 */
static doc *mkdoc(const char *lines)
{
    doc *d = ev_calloc(1, sizeof *d);
    d->format = DOC_FORMAT_DOCX;
    uint32_t table = 0, row = 0;
    bool in_table = false;
    for (const char *p = lines; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        doc_part part = DOC_PART_BODY;
        const char *s = p;
        size_t n = len;
        if (n > 0 && (s[0] == '^' || s[0] == '_')) {
            part = s[0] == '^' ? DOC_PART_HEADER : DOC_PART_FOOTER;
            s++;
            n--;
        }
        if (n > 1 && s[0] == '|' && s[1] == '>') {
            uint32_t col = 0;
            const char *c = s + 2, *end = s + n;
            while (c < end) {
                const char *bar = memchr(c, '|', (size_t)(end - c));
                size_t clen = bar ? (size_t)(bar - c) : (size_t)(end - c);
                add_block(d, DOC_BLOCK_CELL, part, table + 1000, 0, col++, c, clen);
                d->blocks[d->nblocks - 1].depth = 2;
                c += clen + 1;
            }
        } else if (n > 0 && s[0] == '|') {
            if (!in_table) {
                table++;
                row = 0;
                in_table = true;
            }
            uint32_t col = 0;
            const char *c = s + 1, *end = s + n;
            while (c < end) {
                const char *bar = memchr(c, '|', (size_t)(end - c));
                size_t clen = bar ? (size_t)(bar - c) : (size_t)(end - c);
                add_block(d, DOC_BLOCK_CELL, part, table, row, col++, c, clen);
                c += clen + 1;
            }
            row++;
        } else {
            in_table = false;
            if (n > 0 && s[0] == '=')
                add_block(d, DOC_BLOCK_HEADING, part, 0, 0, 0, s + 1, n - 1);
            else
                add_block(d, DOC_BLOCK_PARAGRAPH, part, 0, 0, 0, s, n);
        }
        p = nl ? nl + 1 : p + len;
    }
    return d;
}

static void doc_release(doc *d)
{
    free(d->text);
    free(d->blocks);
    free(d);
}

static evidence *extract_as(const char *kind, const char *subtype, const char *topic,
                            const char *lang, const char *lines)
{
    doc *d = mkdoc(lines);
    evidence *e = evidence_new("test.docx");
    e->kind = ev_strdup(kind);
    e->subtype = subtype ? ev_strdup(subtype) : NULL;
    e->topic = topic ? ev_strdup(topic) : NULL;
    e->language = ev_strdup(lang);
    fields_extract(cat, d, e);
    doc_release(d);
    return e;
}

static evidence *extract(const char *kind, const char *lang, const char *lines)
{
    return extract_as(kind, NULL, NULL, lang, lines);
}

static const char *str(const evidence *e, const char *name)
{
    return json_string_value(json_object_get(e->fields, name));
}

static void expect_str(const evidence *e, const char *name, const char *want)
{
    const char *got = str(e, name);
    if (!got || strcmp(got, want) != 0) {
        char *dump = json_dumps(e->fields, JSON_INDENT(1));
        print_error("%s: got %s, want %s\nfields: %s\n", name, got ? got : "(unset)", want, dump);
        free(dump);
        fail();
    }
}

static void expect_unset(const evidence *e, const char *name)
{
    if (json_object_get(e->fields, name)) {
        char *dump = json_dumps(e->fields, JSON_INDENT(1));
        print_error("%s should be unset\nfields: %s\n", name, dump);
        free(dump);
        fail();
    }
}

static bool has_note(const evidence *e, const char *part)
{
    size_t i;
    json_t *v;
    json_array_foreach(e->notes, i, v)
        if (strstr(json_string_value(v), part))
            return true;
    return false;
}

static void expect_note(const evidence *e, const char *part)
{
    if (!has_note(e, part)) {
        char *dump = json_dumps(e->notes, JSON_INDENT(1));
        print_error("no note containing \"%s\"\nnotes: %s\n", part, dump);
        free(dump);
        fail();
    }
}

static bool has_check(const evidence *e, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(e->checks, i, v)
        if (strcmp(json_string_value(v), id) == 0)
            return true;
    return false;
}

static void expect_amount(const evidence *e, double value, const char *currency)
{
    json_t *a = json_object_get(e->fields, "amount");
    assert_non_null(a);
    assert_true(json_number_value(json_object_get(a, "value")) == value);
    assert_string_equal(json_string_value(json_object_get(a, "currency")), currency);
}

/* A long clause: what separates the parties at the top from the signature
 * block at the end of a real contract. */
#define CLAUSE_ZH "第五条 违约责任：任何一方违反本合同约定的，应当向守约方承担违约责任，赔偿守约方因此遭受的全部损失，包括但不限于诉讼费、律师费等合理费用。\n"
#define CLAUSE_EN "Either party that breaches this Agreement shall compensate the other party for all losses caused thereby, including reasonable legal fees and costs of enforcement.\n"

/* ---- forms and documents written elsewhere (issue 11) ---------------------- */

/* Chinese forms space labels out to fill a cell: 版　　本 is 版本. */
static void test_spaced_labels(void **state)
{
    (void)state;
    evidence *e = extract("procedure", "zh",
                          "=供应商及外包服务管理程序\n"
                          "|编　　号|QY-QP-08|版　　本|B/1|\n"
                          "|编　　制|周敏|审　　核|孙立|\n"
                          "|批　　准|王 建 华|实施日期|2025年7月1日|\n"
                          "1 目的\n规范供应商的选择与评价。");
    expect_str(e, "doc_number", "QY-QP-08");
    expect_str(e, "version", "B/1");
    expect_str(e, "approved_by", "王建华");
    expect_str(e, "effective_on", "2025-07-01");
    evidence_free(e);

    e = extract("acceptance-report", "zh",
                "=项目验收单\n"
                "|项目名称|等级保护测评项目|\n"
                "|验收时间|2026年10月9日|\n"
                "甲　　方：华东电力设计院有限公司\n"
                "乙 方：青岩网安科技有限公司");
    expect_str(e, "party_a", "华东电力设计院有限公司");
    expect_str(e, "party_b", "青岩网安科技有限公司");
    evidence_free(e);
}

/* List numbering in front of a party is not part of its name. */
static void test_numbered_parties(void **state)
{
    (void)state;
    evidence *e = extract("service-contract", "en",
                          "=Managed Security Services Agreement\n"
                          "This Agreement is made between:\n"
                          "(1) Harbour City Bank Co., Ltd. (the \"Client\"); and\n"
                          "(2) Kestrel Data Services Ltd. (the \"Provider\").\n"
                          CLAUSE_EN);
    expect_str(e, "party_a", "Harbour City Bank Co., Ltd.");
    expect_str(e, "party_b", "Kestrel Data Services Ltd.");
    evidence_free(e);

    e = extract("service-contract", "zh",
                "=渗透测试服务合同\n"
                "①甲方：浙江恒泰物流股份有限公司\n"
                "（2）乙方：青岩网安科技有限公司\n" CLAUSE_ZH);
    expect_str(e, "party_a", "浙江恒泰物流股份有限公司");
    expect_str(e, "party_b", "青岩网安科技有限公司");
    evidence_free(e);

    e = extract("service-contract", "zh",
                "=技术服务合同\n甲方：1. 南湖市人民医院\n乙方：360安全科技股份有限公司\n" CLAUSE_ZH);
    expect_str(e, "party_a", "南湖市人民医院");
    /* figures that start a name, with no list mark after them, stay */
    expect_str(e, "party_b", "360安全科技股份有限公司");
    evidence_free(e);
}

/* A conclusion written as a row of boxes is the ticked option. */
static void test_tick_box_conclusions(void **state)
{
    (void)state;
    const struct {
        const char *row;
        const char *want;
    } rows[] = {
        {"|验收结论|☑同意验收 ☐整改后再验 ☐不同意验收|", "pass"},
        {"|验收意见|□不通过　■整改后通过　□通过|", "conditional"},
        {"Conclusion: [ ] Accepted   [x] Accepted with conditions   [ ] Rejected", "conditional"},
        {"|Conclusion|✔ Passed    ☐ Not accepted|", "pass"},
        {"验收结论：合格√ 不合格", "pass"},
        {"验收结论：☐合格 ☑不合格", "fail"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *lines = ev_asprintf("=验收报告\n|项目名称|测评项目|\n%s", rows[i].row);
        evidence *e = extract("acceptance-report", "zh", lines);
        expect_str(e, "acceptance_result", rows[i].want);
        evidence_free(e);
        free(lines);
    }
    /* boxes with none ticked say nothing */
    evidence *e = extract("acceptance-report", "zh",
                          "=验收报告\n|验收结论|☐同意验收 ☐不同意验收|");
    expect_unset(e, "acceptance_result");
    evidence_free(e);
}

/* A number after No. or 第 is no amount; the labelled total is. */
static void test_amount_beside_reference_numbers(void **state)
{
    (void)state;
    evidence *e = extract("service-contract", "en",
                          "=Managed Security Services Agreement\n"
                          "2. Fees. The total Contract Price for the services under SOW No. 1 is "
                          "RMB 268,000.00, payable quarterly.\n" CLAUSE_EN);
    expect_amount(e, 268000, "CNY");
    json_t *src = json_object_get(e->sources, "amount");
    assert_non_null(src);
    const char *text = json_string_value(json_object_get(src, "text"));
    assert_non_null(text);
    assert_non_null(strstr(text, "Contract Price"));
    assert_non_null(strstr(text, "RMB 268,000.00"));
    evidence_free(e);

    e = extract("service-contract", "zh",
                "=渗透测试服务合同\n服务费用：按第2期进度支付。\n" CLAUSE_ZH);
    expect_unset(e, "amount");
    evidence_free(e);
}

/* A revision in a header line with separators. */
static void test_revision_in_header_line(void **state)
{
    (void)state;
    evidence *e = extract("procedure", "en",
                          "^Doc. No. ISP-07 | Rev. B | Page 1 of 4\n"
                          "=Security Awareness and Training Procedure\n"
                          "Effective date: 1 June 2025");
    expect_str(e, "doc_number", "ISP-07");
    expect_str(e, "version", "B");
    evidence_free(e);
    e = extract("procedure", "zh",
                "^文件编号：QY-QP-08 | 修订版次：A/1\n=供应商管理程序\n1 目的");
    expect_str(e, "version", "A/1");
    evidence_free(e);
    e = extract("procedure", "en", "=HR and Personnel Security\nRevision 3\n1. Purpose");
    expect_str(e, "version", "3");
    evidence_free(e);
}

/* A revision-history table gives the current version, date and approver:
 * its newest row, never the oldest under the column titles; a control
 * block stating the version wins over the table. */
static void test_revision_history_tables(void **state)
{
    (void)state;
    evidence *e = extract("procedure", "zh",
                          "=文件与记录控制程序\n修订记录\n"
                          "|版本|修订日期|修订内容|批准人|\n"
                          "|A/0|2019年3月1日|首次发布|李强|\n"
                          "|A/1|2021年6月15日|增加电子文件要求|李强|\n"
                          "|B/0|2025年2月20日|按新版体系改版|陈静|\n"
                          "1. 目的");
    expect_str(e, "version", "B/0");
    expect_str(e, "effective_on", "2025-02-20");
    expect_str(e, "approved_by", "陈静");
    evidence_free(e);

    /* newest first, English titles, no approver column */
    e = extract("procedure", "en",
                "=Document Control Procedure\nRevision History\n"
                "|Rev|Date|Description|\n"
                "|C|2025-03-10|Retention periods|\n"
                "|B|2022-01-17|Electronic approvals|\n"
                "|A|2019-04-02|First issue|\n"
                "1 Purpose");
    expect_str(e, "version", "C");
    expect_str(e, "effective_on", "2025-03-10");
    evidence_free(e);

    /* the control block in the page header states the current version */
    e = extract("procedure", "zh",
                "^文件编号：QP-04 版本：B/1 实施日期：2025年9月1日\n"
                "=合同管理程序\n"
                "|版本|修订日期|修订内容|\n"
                "|A/0|2019年3月1日|首次发布|\n"
                "|B/0|2025年2月20日|改版|\n");
    expect_str(e, "version", "B/1");
    expect_str(e, "effective_on", "2025-09-01");
    evidence_free(e);

    /* a control block laid out as a table is no history: its cells are read */
    e = extract("procedure", "zh",
                "=合同管理程序\n"
                "|版本|实施日期|\n"
                "|A/2|2024年5月6日|\n");
    expect_str(e, "version", "A/2");
    expect_str(e, "effective_on", "2024-05-06");
    evidence_free(e);
}

/* A term in prose that no label introduces gives start and end. */
static void test_term_in_prose(void **state)
{
    (void)state;
    evidence *e = extract("confidentiality-agreement", "zh",
                          "=保密协议\n甲方：青岩网安科技有限公司\n乙方：恒信软件有限公司\n"
                          "本协议自2026年1月10日起生效，为期3年。\n" CLAUSE_ZH);
    expect_str(e, "start_on", "2026-01-10");
    expect_str(e, "end_on", "2029-01-09");
    expect_note(e, "end_on computed from the term");
    evidence_free(e);

    e = extract("service-contract", "en",
                "=Managed Security Services Agreement\n"
                "1. Term. This Agreement commences on 1 April 2026 and continues for 24 months.\n"
                CLAUSE_EN);
    expect_str(e, "start_on", "2026-04-01");
    expect_str(e, "end_on", "2028-03-31");
    evidence_free(e);

    /* a duration without the agreement or its term is no term */
    e = extract("service-contract", "zh",
                "=技术服务合同\n质保服务自2026年5月1日起提供12个月。\n" CLAUSE_ZH);
    expect_unset(e, "end_on");
    evidence_free(e);
}

/* A title that opens with the document number gives it when no label does. */
static void test_doc_number_in_title(void **state)
{
    (void)state;
    evidence *e = extract("procedure", "en",
                          "QMS-002: Document Control\nOwner: Quality Manager\n1 Purpose");
    expect_str(e, "doc_number", "QMS-002");
    json_t *src = json_object_get(e->sources, "title");
    assert_non_null(src);
    assert_int_equal(json_integer_value(json_object_get(src, "block")), 0);
    evidence_free(e);
    /* a label wins over the title */
    e = extract("procedure", "en", "QMS-002: Document Control\nDocument No.: QMS-002A\n1 Purpose");
    expect_str(e, "doc_number", "QMS-002A");
    evidence_free(e);
    /* a title that opens with a word is no number */
    e = extract("procedure", "en", "Policy: Document Control\n1 Purpose");
    expect_unset(e, "doc_number");
    evidence_free(e);
}

/* Every field read carries where: its block and the span of its text. */
static void test_sources(void **state)
{
    (void)state;
    evidence *e = extract("service-contract", "zh",
                          "=信息安全运维服务合同\n合同编号：QY-HT-2026-031\n"
                          "甲方：南湖市人民医院\n乙方：青岩网安科技有限公司\n"
                          "合同金额：人民币268,000.00元\n" CLAUSE_ZH);
    const struct {
        const char *field, *text;
        int block;
    } want[] = {{"doc_number", "合同编号:QY-HT-2026-031", 1},
                {"party_a", "甲方:南湖市人民医院", 2},
                {"amount", "合同金额:人民币268,000.00元", 4}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        json_t *src = json_object_get(e->sources, want[i].field);
        if (!src)
            print_error("no source for %s\n", want[i].field);
        assert_non_null(src);
        assert_string_equal(json_string_value(json_object_get(src, "text")), want[i].text);
        assert_int_equal(json_integer_value(json_object_get(src, "block")), want[i].block);
        assert_int_equal(json_integer_value(json_object_get(src, "start")), 0);
    }
    evidence_free(e);
}

/* ---- contracts ------------------------------------------------------------ */

static void test_service_contract_zh(void **state)
{
    (void)state;
    evidence *e = extract("service-contract", "zh",
        "=技术服务合同\n"
        "合同编号：No. HT-2026-018\n"
        "项目名称：某市政务云安全运维服务项目\n"
        "甲方（委托方）：华东电力信息有限公司（以下简称\"甲方\"）\n"
        "地址：上海市浦东新区世纪大道100号\n"
        "乙方：安恒信源（北京）科技有限公司，法定代表人：张伟\n"
        "第一条 服务内容：乙方为甲方提供信息系统安全运维服务，并每年开展一次风险评估。\n"
        "第二条 服务期限为一年，自2026年4月1日起。\n"
        "|签订日期|2026年3月5日|\n"
        "|签订地点|上海|\n"
        "|合同金额（大写）|壹佰万元整|（小写）|¥1,200,000.00|\n"
        CLAUSE_ZH
        "甲方（盖章）：华东电力信息有限公司\n"
        "日期：2026年3月5日\n"
        "乙方（盖章）：安恒信源（北京）科技有限公司\n"
        "日期：2026年3月8日");
    expect_str(e, "title", "技术服务合同");
    expect_str(e, "doc_number", "HT-2026-018");
    expect_str(e, "project_name", "某市政务云安全运维服务项目");
    expect_str(e, "party_a", "华东电力信息有限公司");
    expect_str(e, "party_b", "安恒信源(北京)科技有限公司");
    expect_str(e, "signed_on", "2026-03-05");
    expect_str(e, "start_on", "2026-04-01");
    expect_str(e, "end_on", "2027-03-31");
    expect_amount(e, 1200000, "CNY");
    expect_note(e, "amount: amount in figures");
    expect_note(e, "disagree");
    /* the labelled date wins over the signature block's later one */
    expect_note(e, "signed_on: conflicting values 2026-03-05 (body) and 2026-03-08 (signature block)");
    /* both categories are named; the scope text names O&M first */
    expect_str(e, "service_category", "security-operations");
    json_t *all = json_object_get(e->fields, "service_categories");
    assert_int_equal(json_array_size(all), 2);
    assert_string_equal(json_string_value(json_array_get(all, 1)), "risk-assessment");
    expect_note(e, "service_category: security-operations is named first; the document also names risk-assessment");
    /* fields of other kinds are not read from a contract */
    expect_unset(e, "address");
    expect_unset(e, "legal_representative");
    expect_unset(e, "effective_on");
    assert_true(has_check(e, "record.projects:number-prefix"));
    assert_false(has_check(e, "record.projects:preliminary"));
    evidence_free(e);
}

static void test_service_contract_en(void **state)
{
    (void)state;
    evidence *e = extract("service-contract", "en",
        "=Risk Assessment Services Agreement\n"
        "Contract No.: RA-2026-007\n"
        "This Agreement is made by and between Huadong Power Information Co., Ltd. (\"Party A\") "
        "and Qingyun Security Technology Co., Ltd. (hereinafter \"Party B\").\n"
        "Scope of Services: information security risk assessment and penetration test of Party A's systems.\n"
        "Term: from 1 April 2026 to 31 March 2027.\n"
        "Contract Price: RMB 350,000 (VAT included).\n"
        CLAUSE_EN
        "IN WITNESS WHEREOF the parties have signed this Agreement.\n"
        "Party A: Huadong Power Information Co., Ltd.\n"
        "Date: 10 March 2026\n"
        "Party B: Qingyun Security Technology Co., Ltd.\n"
        "Date: 12 March 2026");
    expect_str(e, "doc_number", "RA-2026-007");
    expect_str(e, "party_a", "Huadong Power Information Co., Ltd.");
    expect_str(e, "party_b", "Qingyun Security Technology Co., Ltd.");
    expect_str(e, "start_on", "2026-04-01");
    expect_str(e, "end_on", "2027-03-31");
    expect_amount(e, 350000, "CNY");
    /* the later of both parties' dates concluded the contract */
    expect_str(e, "signed_on", "2026-03-12");
    expect_note(e, "signed_on taken from the signature block");
    expect_str(e, "service_category", "risk-assessment");
    evidence_free(e);
}

static void test_signature_table(void **state)
{
    (void)state;
    /* a signature table of three rows per party; the signatory lines
     * ("For and on behalf of Party A:") are party lines, not parties */
    evidence *e = extract("service-contract", "en",
        "=Security Operations Services Agreement\n"
        "Party A: Eastwind Logistics Ltd.\n"
        "Party B: Qingyun Security Technology Co., Ltd.\n"
        CLAUSE_EN
        "|For and on behalf of Party A:|For and on behalf of Party B:|\n"
        "|Name: Li Ming|Name: Helen Zhou|\n"
        "|Title: Director|Title: General Manager|\n"
        "|Signature:|Signature:|\n"
        "|Seal:|Seal:|\n"
        "|Place: Shanghai|Place: Shanghai|\n"
        "|Tel: 021-5555 0101|Tel: 021-5555 0202|\n"
        "|Date: 3 May 2026|Date: 6 May 2026|\n");
    expect_str(e, "party_a", "Eastwind Logistics Ltd.");
    expect_str(e, "signed_on", "2026-05-06");
    assert_false(has_note(e, "conflicting"));
    evidence_free(e);
}

static void test_signature_cells_with_lines(void **state)
{
    (void)state;
    /* a signature cell of several lines: the representative's line is no
     * party name */
    evidence *e = extract("service-contract", "zh",
        "=安全集成服务合同\n"
        "|委托方（甲方）|北京市海淀区教育信息中心|\n"
        "|受托方（乙方）|北辰信安科技有限公司|\n"
        CLAUSE_ZH
        "|甲方（盖章）：\\n法定代表人或授权代表（签字）：|乙方（盖章）：\\n法定代表人或授权代表（签字）：|\n"
        "|日期：2026年5月6日|日期：2026年5月8日|\n");
    expect_str(e, "party_a", "北京市海淀区教育信息中心");
    expect_str(e, "party_b", "北辰信安科技有限公司");
    expect_str(e, "signed_on", "2026-05-08");
    assert_false(has_note(e, "conflicting"));
    evidence_free(e);
}

static void test_signed_on_fallbacks(void **state)
{
    (void)state;
    /* unlabelled dates in the signature block: the latest one, noted */
    evidence *e = extract("service-contract", "zh",
        "=安全运维服务合同\n"
        "甲方：华东电力信息有限公司\n"
        "乙方：青云网安技术有限公司\n"
        CLAUSE_ZH
        "甲方（盖章）：\n"
        "2026年3月5日\n"
        "乙方（盖章）：\n"
        "2026年3月9日");
    expect_str(e, "signed_on", "2026-03-09");
    expect_note(e, "signed_on taken from the signature block");
    expect_str(e, "party_a", "华东电力信息有限公司");
    /* the fallback says where too: the block of the latest date */
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(e->sources, "signed_on"), "text")), "2026年3月9日");
    evidence_free(e);

    /* no signature block: effective_on, noted */
    e = extract("service-contract", "zh",
        "=安全运维服务合同\n"
        "甲方：华东电力信息有限公司\n"
        "乙方：青云网安技术有限公司\n"
        "生效日期：2026-03-01\n"
        CLAUSE_ZH);
    expect_str(e, "signed_on", "2026-03-01");
    expect_note(e, "signed_on not stated; effective_on used");
    evidence_free(e);

    /* nothing at all: unset, noted; a month-only date is no signing date */
    e = extract("service-contract", "zh",
        "=安全运维服务合同\n"
        "签订日期：2026年3月\n"
        "合同编号：HT-20260305-01\n"
        CLAUSE_ZH);
    expect_unset(e, "signed_on");
    expect_note(e, "signed_on: month only, no day; left unset");
    expect_note(e, "signed_on not found");
    expect_str(e, "doc_number", "HT-20260305-01");
    expect_note(e, "amount not found");
    evidence_free(e);

    /* 05/03/2026 in an English document whose other dates are day first */
    e = extract("service-contract", "en",
        "=Security Services Agreement\nTerm: from 1 April 2026 to 31 March 2027.\n"
        "Date of signing: 05/03/2026\n");
    expect_str(e, "signed_on", "2026-03-05");
    evidence_free(e);
    e = extract("service-contract", "en", "=Security Services Agreement\nDate of signing: 05/03/2026\n");
    expect_unset(e, "signed_on");
    expect_note(e, "signed_on: day and month order is ambiguous");
    evidence_free(e);

    /* a date stated in the body's prose wins over the signature block */
    e = extract("service-contract", "zh",
        "=安全运维服务合同\n甲方：华东电力信息有限公司\n本合同签订日期为2026年3月1日。\n" CLAUSE_ZH
        "甲方（盖章）：\n日期：2026年3月5日\n");
    expect_str(e, "signed_on", "2026-03-01");
    expect_note(e, "signed_on: conflicting values 2026-03-01 (body) and 2026-03-05 (signature block)");
    evidence_free(e);

    /* a compact date is read after a date label */
    e = extract("service-contract", "zh", "=安全运维服务合同\n签订日期：20260305\n" CLAUSE_ZH);
    expect_str(e, "signed_on", "2026-03-05");
    evidence_free(e);
}

/* A supplementary agreement states the old amount and the new one: the
 * new one is the amount. */
static void test_amended_amount(void **state)
{
    (void)state;
    evidence *e = extract("service-contract", "zh",
        "=补充协议\n甲方：苏州工业园区东沙湖医疗集团有限公司\n乙方：青云网安技术有限公司\n" CLAUSE_ZH
        "二、原合同金额由人民币288,000元调整为人民币336,000元，增加部分人民币48,000元。\n");
    expect_amount(e, 336000, "CNY");
    evidence_free(e);
    e = extract("service-contract", "en",
        "=Amendment No. 1\nParty A: Eastbay Retail Ltd.\nParty B: Harbourline Ltd.\n" CLAUSE_EN
        "Contract price: the contract price of RMB 120,000 is adjusted to RMB 150,000.\n");
    expect_amount(e, 150000, "CNY");
    evidence_free(e);
}

static void test_contract_amount_rules(void **state)
{
    (void)state;
    /* unit prices are not the contract amount; a stated total is */
    evidence *e = extract("service-contract", "zh",
        "=安全运维服务合同\n"
        "服务费用：单价人民币5,000元/人天\n"
        "本合同总金额为人民币叁拾万元整（¥300,000.00），含税。\n");
    expect_amount(e, 300000, "CNY");
    assert_false(has_note(e, "disagree"));
    evidence_free(e);

    e = extract("service-contract", "zh", "=安全运维服务合同\n服务费用：单价人民币5,000元/人天\n");
    expect_unset(e, "amount");
    expect_note(e, "amount: only unit prices or ranges stated");
    evidence_free(e);
}

static void test_template_placeholders(void **state)
{
    (void)state;
    evidence *e = extract("contract-template", "zh",
        "=技术服务合同模板\n"
        "合同编号：____\n"
        "版本：V1.2\n"
        "甲方：________\n");
    expect_unset(e, "doc_number");
    expect_str(e, "version", "V1.2");
    expect_unset(e, "party_a");
    assert_false(has_check(e, "mgmt.contracts:confidentiality-clause"));
    evidence_free(e);
}

/* ---- acceptance --------------------------------------------------------- */

static void test_acceptance_report(void **state)
{
    (void)state;
    evidence *e = extract("acceptance-report", "zh",
        "=项目验收报告\n"
        "报告编号：YS-2026-031\n"
        "|项目名称|某市政务云安全运维服务项目|\n"
        "|合同编号|NO: HT-2026-018|\n"
        "|验收日期|2026年9月30日|\n"
        "|验收结论|验收合格，同意验收|\n"
        "|委托方（甲方）|华东电力信息有限公司|\n"
        "|服务方（乙方）|青云网安技术有限公司|\n");
    expect_str(e, "doc_number", "YS-2026-031");
    expect_str(e, "contract_ref", "HT-2026-018");
    expect_str(e, "completed_on", "2026-09-30");
    expect_str(e, "acceptance_result", "pass");
    expect_str(e, "project_name", "某市政务云安全运维服务项目");
    /* a label with its note in a cell, the value to its right */
    expect_str(e, "party_a", "华东电力信息有限公司");
    expect_str(e, "party_b", "青云网安技术有限公司");
    expect_str(e, "service_category", "security-operations");
    evidence_free(e);

    e = extract("acceptance-report", "zh",
        "=项目初验报告\n验收结论：\n不合格，整改后重新验收。\n验收时间：2026.10.12\n");
    expect_str(e, "acceptance_result", "fail");
    expect_str(e, "completed_on", "2026-10-12");
    assert_true(has_check(e, "record.projects:preliminary"));
    evidence_free(e);

    /* no acceptance date label: the signatories' date, noted */
    e = extract("acceptance-report", "zh",
        "=项目验收报告\n合同编号：HT-2026-018\n" CLAUSE_ZH
        "|甲方验收组长（签字）：|乙方项目经理（签字）：|\n"
        "|2026年12月5日|2026年12月6日|\n");
    expect_str(e, "completed_on", "2026-12-06");
    expect_note(e, "completed_on not labelled");
    evidence_free(e);

    /* without a colon, a value pattern guards the number */
    e = extract("acceptance-report", "zh",
        "=验收单\n本项目合同编号：HT-2026-018，编号为本单所附。\n验收意见：有条件通过，整改后确认。\n");
    expect_str(e, "contract_ref", "HT-2026-018");
    expect_unset(e, "doc_number");
    expect_str(e, "acceptance_result", "conditional");
    evidence_free(e);

    e = extract("acceptance-report", "en",
        "=Acceptance Certificate\nContract reference: RA-2026-007\nDate of acceptance: 30 September 2026\n"
        "Conclusion: accepted\n");
    expect_str(e, "contract_ref", "RA-2026-007");
    expect_str(e, "completed_on", "2026-09-30");
    evidence_free(e);

    /* the verdict in a table nested in the value cell */
    e = extract("acceptance-report", "zh",
        "=项目验收报告\n|合同编号|NW-JC-2026-021|\n|验收结论|\n"
        "|>设备到货齐全，部署实施符合合同要求，验收合格，同意验收。|\n");
    expect_str(e, "acceptance_result", "pass");
    evidence_free(e);

    /* the verdict under a section heading of its own */
    e = extract("acceptance-report", "zh",
        "=安全加固项目验收报告\n|合同编号|CY-JG-2026-031|\n=验收情况\n"
        "验收组查阅了加固方案、加固记录和加固报告，抽查了12台服务器的基线配置。\n"
        "=验收结论\n有条件通过：乙方应于2026年12月31日前完成剩余2台服务器加固。\n");
    expect_str(e, "acceptance_result", "conditional");
    evidence_free(e);

    /* the number inside a bracketed note after the contract's name */
    e = extract("acceptance-report", "zh",
        "=项目验收报告\n依据合同：《安全运维服务合同》（合同编号：HT-2026-018）\n验收结论：通过\n");
    expect_str(e, "contract_ref", "HT-2026-018");
    expect_str(e, "acceptance_result", "pass");
    evidence_free(e);
}

/* Without a title in the body, the page header's; never a label line. */
static void test_title_in_the_header(void **state)
{
    (void)state;
    evidence *e = extract("service-contract", "zh",
        "^信息系统安全运维服务合同\n"
        "合同编号：NW-YW-2026-015\n甲方：苏州工业园区东沙湖医疗集团有限公司\n"
        "乙方：青云网安技术有限公司\n" CLAUSE_ZH);
    expect_str(e, "title", "信息系统安全运维服务合同");
    assert_string_equal(e->title, "信息系统安全运维服务合同");
    expect_str(e, "doc_number", "NW-YW-2026-015");
    evidence_free(e);
}

/* A clause heading that is a label, its content in the next paragraph. */
static void test_heading_labels(void **state)
{
    (void)state;
    evidence *e = extract("service-contract", "en",
        "=Security Operations Services Contract\nParty A: Eastbay Retail Ltd.\n"
        "Party B: Harbourline Cyber Assurance Ltd.\n" CLAUSE_EN
        "=Article 2 Term\nThe services shall be provided for 12 months from 1 June 2026.\n");
    expect_str(e, "start_on", "2026-06-01");
    expect_str(e, "end_on", "2027-05-31");
    evidence_free(e);

    e = extract("service-contract", "zh",
        "=渗透测试外包服务合同\n甲方：青云网安技术有限公司\n乙方：上海某测评技术有限公司\n" CLAUSE_ZH
        "=第二条 服务期限\n2026年8月1日至2026年10月31日。\n");
    expect_str(e, "start_on", "2026-08-01");
    expect_str(e, "end_on", "2026-10-31");
    evidence_free(e);

    /* the same label in a plain paragraph after an article number */
    e = extract("service-contract", "en",
        "=Services Agreement\nParty A: Eastbay Retail Ltd.\nParty B: Harbourline Ltd.\n" CLAUSE_EN
        "Article 2 Term: 1 June 2026 to 31 May 2027.\n");
    expect_str(e, "start_on", "2026-06-01");
    expect_str(e, "end_on", "2027-05-31");
    evidence_free(e);

    /* a heading that is a string field's label is still a title word */
    e = extract("certificate", "en", "=Certificate\nHolder: Zhou Lin\n");
    expect_str(e, "holder", "Zhou Lin");
    evidence_free(e);
}

static void test_official_numbers(void **state)
{
    (void)state;
    /* government clients number contracts as official documents are:
     * an abbreviation, the year in brackets, a serial number */
    evidence *e = extract("service-contract", "zh",
        "=安全运维服务合同\n"
        "合同编号：嘉公管合字〔2026〕第012号\n"
        "甲方：嘉兴市公共管理服务中心\n"
        "乙方：青云网安技术有限公司\n"
        CLAUSE_ZH);
    expect_str(e, "doc_number", "嘉公管合字〔2026〕第012号");
    evidence_free(e);

    e = extract("acceptance-report", "zh",
        "=项目验收报告\n"
        "|合同编号|沪信合（2026）0415号|\n"
        "|验收结论|验收合格|\n");
    expect_str(e, "contract_ref", "沪信合(2026)0415号");
    evidence_free(e);

    e = extract("service-contract", "zh",
        "=安全运维服务合同\n合同编号：苏运维第0031号\n甲方：华东电力信息有限公司\n"
        CLAUSE_ZH);
    expect_str(e, "doc_number", "苏运维第0031号");
    evidence_free(e);

    /* an ISMS document's ID; an integration contract's 工期 */
    e = extract_as("procedure", NULL, "personnel", "en",
        "=Information Security Policy - Personnel Security\n"
        "|Document ID|NW-ISP-07|Version|2.0|\n");
    expect_str(e, "doc_number", "NW-ISP-07");
    evidence_free(e);
    e = extract("service-contract", "zh",
        "=安全集成项目合同\n甲方：温州市第三人民医院\n乙方：青云网安技术有限公司\n" CLAUSE_ZH
        "三、工期：自2026年4月15日起至2026年8月31日止。\n");
    expect_str(e, "start_on", "2026-04-15");
    expect_str(e, "end_on", "2026-08-31");
    evidence_free(e);

    /* words after a number label are no number, digits or not */
    static const char *const not_numbers[] = {"见附件1", "本合同一式两份", "以甲方通知为准",
                                              "第3条所列"};
    for (size_t i = 0; i < EV_ARRAY_LEN(not_numbers); i++) {
        char text[256];
        snprintf(text, sizeof text, "=安全运维服务合同\n合同编号：%s\n" CLAUSE_ZH,
                 not_numbers[i]);
        e = extract("service-contract", "zh", text);
        expect_unset(e, "doc_number");
        evidence_free(e);
    }
}

/* ---- procedures ------------------------------------------------------------ */

#define CONTROL_HEADER \
    "^|文件编号|QM-PR-005|版本|V2.1|\n" \
    "^|生效日期|2026-01-10|批准|张伟|\n"

/* The lifecycle words of a document procedure in their usual English
 * forms: nouns and past participles, not only the verbs. */
static void test_document_lifecycle_words(void **state)
{
    (void)state;
    evidence *e = extract_as("procedure", NULL, "documents", "en",
        "=Document Control Procedure\n"
        "This procedure covers the preparation, approval and issue, distribution, use, "
        "retention and archiving, and withdrawal and disposal of controlled documents. "
        "Obsolete copies are withdrawn and destroyed.\n");
    static const char *const checks[] = {"creation", "release", "retention", "transmission",
                                         "use", "disposal"};
    for (size_t i = 0; i < EV_ARRAY_LEN(checks); i++) {
        char id[64];
        snprintf(id, sizeof id, "mgmt.documents:%s", checks[i]);
        if (!has_check(e, id))
            fail_msg("%s not found", id);
    }
    evidence_free(e);

    /* nor are words that merely begin alike */
    e = extract_as("procedure", NULL, "documents", "en",
        "=Document Control Procedure\nUsers of the archival system report issues to IT.\n");
    assert_false(has_check(e, "mgmt.documents:retention"));
    evidence_free(e);
}

static void test_procedure_header_control_block(void **state)
{
    (void)state;
    evidence *e = extract_as("procedure", NULL, "documents", "zh",
        CONTROL_HEADER
        "=文件管理程序\n"
        "1 目的\n"
        "规范文件的编制、批准、发布、保存、分发、使用和作废销毁。\n"
        "本程序经总经理批准后发布实施。\n"
        "附表1 文件发放登记表（表单编号：QM-JL-005-01）\n"
        "修订记录\n"
        "|版本|修订内容|批准|\n"
        "|V1.0|首次发布，已作废|张伟|\n"
        "|V2.1|全面修订|张伟|\n"
        "_第1页 共5页\n");
    expect_str(e, "doc_number", "QM-PR-005");
    assert_false(has_note(e, "doc_number"));
    expect_str(e, "version", "V2.1");
    expect_str(e, "effective_on", "2026-01-10");
    expect_str(e, "approved_by", "张伟");
    expect_str(e, "topic", "documents");
    /* 作废 in the body is the disposal stage, and in the revision history
     * it marks an old version: neither withdraws the document */
    expect_unset(e, "withdrawn");
    assert_true(has_check(e, "mgmt.documents:disposal"));
    assert_true(has_check(e, "mgmt.documents:transmission"));
    assert_false(has_check(e, "mgmt.personnel:evaluation"));
    /* fields of contracts are not read from a procedure */
    expect_unset(e, "signed_on");
    expect_unset(e, "party_a");
    evidence_free(e);
}

static void test_procedure_conflict_and_withdrawn(void **state)
{
    (void)state;
    evidence *e = extract_as("procedure", NULL, "confidentiality", "zh",
        CONTROL_HEADER
        "=保密管理程序\n"
        "|文件编号|QM-PR-006|\n"
        "|状态|作废|\n"
        "|发布日期|2026-01-05|\n");
    /* the body wins over the header, and says so */
    expect_str(e, "doc_number", "QM-PR-006");
    expect_note(e, "doc_number: conflicting values QM-PR-006 (body) and QM-PR-005 (header or footer)");
    /* 生效日期 (header) and 发布日期 (body): the body's label is read */
    expect_str(e, "effective_on", "2026-01-05");
    assert_true(json_is_true(json_object_get(e->fields, "withdrawn")));
    expect_note(e, "withdrawn");
    evidence_free(e);

    e = extract_as("procedure", NULL, "personnel", "en",
        "^Version 3.1\n"
        "=Personnel Management Procedure (Obsolete)\n"
        "Document No.: HR-PR-001  Revision: Rev. 2  Effective date: 10 January 2026\n"
        "Approved by: Helen Zhou\n"
        "Responsibilities of each post and the competence required are subject to yearly evaluation.\n");
    expect_str(e, "doc_number", "HR-PR-001");
    /* the body's Revision wins over the header's Version, with a note */
    expect_str(e, "version", "Rev. 2");
    expect_note(e, "version: conflicting values Rev. 2 (body) and 3.1 (header or footer)");
    expect_str(e, "effective_on", "2026-01-10");
    expect_str(e, "approved_by", "Helen Zhou");
    assert_true(json_is_true(json_object_get(e->fields, "withdrawn")));
    assert_true(has_check(e, "mgmt.personnel:responsibilities"));
    assert_true(has_check(e, "mgmt.personnel:competence"));
    assert_true(has_check(e, "mgmt.personnel:evaluation"));
    evidence_free(e);
}

/* ---- agreements, leases, licences --------------------------------------------- */

static void test_nda_employee(void **state)
{
    (void)state;
    evidence *e = extract_as("confidentiality-agreement", "employee", NULL, "zh",
        "=员工保密协议\n"
        "甲方（用人单位）：青云网安技术有限公司\n"
        "乙方（员工）：王芳\n"
        "身份证号：310101199001011234\n"
        "终止日期：2029年2月28日\n"
        CLAUSE_ZH
        "甲方（盖章）：\n"
        "乙方（签字）：王 芳\n"
        "日期：2026年3月1日");
    expect_str(e, "employee", "王芳");
    expect_str(e, "party_a", "青云网安技术有限公司");
    expect_str(e, "signed_on", "2026-03-01");
    expect_str(e, "end_on", "2029-02-28");
    expect_note(e, "signed_on taken from the signature block");
    evidence_free(e);

    /* a one-page agreement: its only clause is one short sentence, and the
     * date is only in the signature table */
    e = extract_as("confidentiality-agreement", "employee", NULL, "zh",
        "=员工保密协议\n"
        "甲方（用人单位）：江南数盾信息技术有限公司\n"
        "乙方（员工）：赵磊\n"
        "乙方对甲方的商业秘密和客户信息负有保密义务，保密期限为在职期间及离职后三年。\n"
        "|甲方（盖章）：江南数盾信息技术有限公司|乙方（签字）：赵磊|\n"
        "|日期：2023年12月20日|日期：2023年12月20日|\n");
    expect_str(e, "employee", "赵磊");
    expect_str(e, "signed_on", "2023-12-20");
    expect_note(e, "signed_on taken from the signature block");
    evidence_free(e);

    /* parties and a date at the top and nothing after them: no signature
     * block to take a date from */
    e = extract_as("confidentiality-agreement", "employee", NULL, "zh",
        "=员工保密协议\n甲方：青云网安技术有限公司\n乙方（员工）：王芳\n"
        "附件：2023年12月20日签收\n");
    expect_unset(e, "signed_on");
    evidence_free(e);

    /* a blank form binds nobody */
    e = extract_as("confidentiality-agreement", "employee", NULL, "zh",
        "=员工保密协议\n甲方：青云网安技术有限公司\n乙方（员工）：________\n");
    expect_unset(e, "employee");
    expect_str(e, "party_a", "青云网安技术有限公司");
    evidence_free(e);

    /* between organisations, 乙方 is a party, not an employee */
    e = extract_as("confidentiality-agreement", "business", NULL, "zh",
        "=保密协议\n甲方：华东电力信息有限公司\n乙方：青云网安技术有限公司\n");
    expect_unset(e, "employee");
    expect_str(e, "party_b", "青云网安技术有限公司");
    evidence_free(e);

    /* an agreement between organisations is dated in its signature block too */
    e = extract_as("confidentiality-agreement", "business", NULL, "zh",
        "=保密协议\n甲方：宁波港信息通信有限公司\n乙方：青云网安技术有限公司\n" CLAUSE_ZH
        "|甲方（盖章）：宁波港信息通信有限公司|乙方（盖章）：青云网安技术有限公司|\n"
        "|日期：2026年3月1日|日期：2026年3月1日|\n");
    expect_str(e, "signed_on", "2026-03-01");
    evidence_free(e);
    e = extract_as("confidentiality-agreement", "business", NULL, "en",
        "=Mutual Non-Disclosure Agreement\nParty A: Harbor Retail Ltd.\n"
        "Party B: Harbourline Cyber Assurance Ltd.\n" CLAUSE_EN
        "|For Party A|For Party B|\n|Michael Tan|Helen Zhou|\n"
        "|Date: March 1, 2026|Date: March 1, 2026|\n");
    expect_str(e, "signed_on", "2026-03-01");
    evidence_free(e);

    /* the term of an agreement as it is usually stated */
    e = extract_as("confidentiality-agreement", "business", NULL, "zh",
        "=保密协议\n甲方：宁波港信息通信有限公司\n乙方：青云网安技术有限公司\n"
        "三、保密期限：本协议有效期自2026年5月20日至2029年5月19日。\n");
    expect_str(e, "start_on", "2026-05-20");
    expect_str(e, "end_on", "2029-05-19");
    evidence_free(e);
    e = extract_as("confidentiality-agreement", "employee", NULL, "zh",
        "=员工保密协议\n甲方：青云网安技术有限公司\n乙方（员工）：王芳\n"
        "本协议有效期自2026年3月1日至2029年2月28日。\n");
    expect_str(e, "start_on", "2026-03-01");
    expect_str(e, "end_on", "2029-02-28");
    evidence_free(e);

    /* the signatory in the signature block is not the employer */
    e = extract_as("confidentiality-agreement", "employee", NULL, "en",
        "=Employee Confidentiality Agreement\nCompany: Qingyun Security Technology Co., Ltd.\n"
        "Employee: John Smith\nDate of signing: 2 March 2026\n"
        CLAUSE_EN
        "|For the Employer: Helen Zhou|Employee: John Smith|\n"
        "|Date: 2 March 2026|Date: 2 March 2026|\n");
    expect_str(e, "employee", "John Smith");
    expect_str(e, "party_a", "Qingyun Security Technology Co., Ltd.");
    expect_str(e, "signed_on", "2026-03-02");
    assert_false(has_note(e, "conflicting"));
    evidence_free(e);
}

static void test_lease(void **state)
{
    (void)state;
    evidence *e = extract("lease-contract", "zh",
        "=房屋租赁合同\n"
        "出租方（甲方）：上海浦东置业有限公司\n"
        "承租方（乙方）：青云网安技术有限公司\n"
        "房屋坐落：上海市浦东新区张江路88号5楼\n"
        "建筑面积：320.5平方米\n"
        "租赁期限：自2026年1月1日起至2028年12月31日止。\n"
        "月租金：每月人民币20,000元\n"
        "年租金总额：人民币240,000元\n"
        "签订日期：2025年12月20日\n");
    expect_str(e, "party_a", "上海浦东置业有限公司");
    expect_str(e, "party_b", "青云网安技术有限公司");
    expect_str(e, "address", "上海市浦东新区张江路88号5楼");
    json_t *area = json_object_get(e->fields, "area_sqm");
    assert_non_null(area);
    assert_true(json_number_value(area) == 320.5);
    expect_str(e, "start_on", "2026-01-01");
    expect_str(e, "end_on", "2028-12-31");
    expect_amount(e, 240000, "CNY");
    expect_str(e, "signed_on", "2025-12-20");
    expect_unset(e, "service_category");
    evidence_free(e);

    /* parties named before their role notes, a term as a duration, the
     * total rent rather than the monthly one */
    e = extract("lease-contract", "en",
        "=Tenancy Agreement\n"
        "This Tenancy Agreement is made between Pudong Harbour Property Co., Ltd. (the \"Landlord\") and "
        "Harbourline Cyber Assurance (Shanghai) Co., Ltd. (the \"Tenant\").\n"
        "Premises: Room 1502, 1000 Lujiazui Ring Road, Shanghai. Floor area: 210 square metres.\n"
        "The lease term is 36 months from 1 February 2026.\n"
        "Monthly rent: RMB 42,000 per month. Total rent for the term: RMB 1,512,000.\n");
    expect_str(e, "party_a", "Pudong Harbour Property Co., Ltd.");
    expect_str(e, "party_b", "Harbourline Cyber Assurance (Shanghai) Co., Ltd.");
    expect_str(e, "address", "Room 1502, 1000 Lujiazui Ring Road, Shanghai");
    assert_true(json_number_value(json_object_get(e->fields, "area_sqm")) == 210);
    expect_str(e, "start_on", "2026-02-01");
    expect_str(e, "end_on", "2029-01-31");
    expect_amount(e, 1512000, "CNY");
    expect_note(e, "signed_on not found");
    evidence_free(e);

    /* the premises, the area and the use in one clause: the address ends
     * where the next label follows its comma */
    e = extract("lease-contract", "zh",
        "=房屋租赁合同\n出租方：上海紫星置业有限公司\n承租方：上海澄源信安科技有限公司\n"
        "第一条 房屋坐落：上海市闵行区紫星路588号2幢8层801-806室，建筑面积286.40平方米，用途为办公。\n");
    expect_str(e, "address", "上海市闵行区紫星路588号2幢8层801-806室");
    assert_true(json_number_value(json_object_get(e->fields, "area_sqm")) == 286.4);
    evidence_free(e);
}

static void test_business_license(void **state)
{
    (void)state;
    char code[19] = "91310000MA1FL1234";
    char want = 0;
    code[17] = '0';
    ev_credit_code_check(code, 18, &want);
    assert_true(want != 0);
    code[17] = want;
    char *lines = ev_asprintf(
        "=营业执照\n"
        "|统一社会信用代码|%s|\n"
        "|名称|青云网安技术有限公司|\n"
        "|法定代表人|张伟|\n"
        "|成立日期|2021年06月08日|\n"
        "|营业期限|2021年06月08日至长期|\n"
        "|住所|上海市浦东新区张江路88号|\n", code);
    evidence *e = extract("business-license", "zh", lines);
    expect_str(e, "credit_code", code);
    expect_str(e, "org_name", "青云网安技术有限公司");
    expect_str(e, "legal_representative", "张伟");
    expect_str(e, "established_on", "2021-06-08");
    expect_unset(e, "end_on");
    expect_note(e, "end_on: open-ended term");
    expect_str(e, "address", "上海市浦东新区张江路88号");
    assert_false(has_note(e, "credit_code"));
    evidence_free(e);
    free(lines);

    /* a wrong check character is kept and noted */
    code[17] = want == '0' ? '1' : '0';
    lines = ev_asprintf("=营业执照\n统一社会信用代码：%s\n营业期限：2021年06月08日至2041年06月07日\n", code);
    e = extract("business-license", "zh", lines);
    expect_str(e, "credit_code", code);
    expect_note(e, "credit_code: wrong check character");
    expect_str(e, "end_on", "2041-06-07");
    evidence_free(e);
    free(lines);
}

/* ---- people ------------------------------------------------------------------ */

static void test_audit_report(void **state)
{
    (void)state;
    /* the year audited named only in the opinion; an official number */
    evidence *e = extract("audit-report", "zh",
        "=审计报告\n报告编号：沪诚会审字（2026）第0415号\n上海澄源信安科技有限公司全体股东：\n"
        "我们审计了上海澄源信安科技有限公司财务报表，包括2025年12月31日的资产负债表，"
        "2025年度的利润表、现金流量表。\n二〇二六年四月十五日\n");
    expect_str(e, "doc_number", "沪诚会审字(2026)第0415号");
    expect_str(e, "period_start", "2025-01-01");
    expect_str(e, "period_end", "2025-12-31");
    expect_str(e, "issued_on", "2026-04-15");
    evidence_free(e);

    /* the year in the title wins; a year in prose that is no 年度 is none */
    e = extract("audit-report", "zh",
        "=2024年度财务报表审计报告\n我们审计了2025年度的利润表。\n");
    expect_str(e, "period_start", "2024-01-01");
    evidence_free(e);
    e = extract("audit-report", "zh", "=审计报告\n公司成立于2010年，注册资本1000万元。\n");
    expect_unset(e, "period_start");
    evidence_free(e);
}

static void test_resume(void **state)
{
    (void)state;
    evidence *e = extract("resume", "zh",
        "=个人简历\n"
        "姓名：李强\n"
        "现任职务：技术负责人\n"
        "工作经历\n"
        "2019.07—至今 青云网安技术有限公司 技术负责人\n"
        "2015.07-2019.06 华东电力信息有限公司 安全工程师\n"
        "教育背景\n"
        "2011.09-2015.06 同济大学 计算机科学与技术\n");
    expect_str(e, "person_name", "李强");
    expect_str(e, "person_role", "技术负责人");
    json_t *x = json_object_get(e->fields, "experience");
    assert_int_equal(json_array_size(x), 2);
    json_t *a = json_array_get(x, 0), *b = json_array_get(x, 1);
    assert_string_equal(json_string_value(json_object_get(a, "from")), "2019-07-01");
    assert_true(json_is_null(json_object_get(a, "to")));
    assert_string_equal(json_string_value(json_object_get(a, "employer")), "青云网安技术有限公司");
    assert_string_equal(json_string_value(json_object_get(a, "role")), "技术负责人");
    assert_string_equal(json_string_value(json_object_get(b, "from")), "2015-07-01");
    assert_string_equal(json_string_value(json_object_get(b, "to")), "2019-06-30");
    assert_string_equal(json_string_value(json_object_get(b, "role")), "安全工程师");
    assert_true(has_check(e, "staff.technical-director:director-role"));
    evidence_free(e);

    /* an English resume with the experience in a table */
    e = extract("resume", "en",
        "=Curriculum Vitae\n"
        "Name: Helen Zhou\n"
        "Position: General Manager\n"
        "Work experience\n"
        "|Jul 2020 - present|Qingyun Security|General Manager|\n"
        "|March 2016 - June 2020|Huadong Power|IT Manager|\n"
        "2012.07 - 2016.02 Eastwind Logistics Co., Ltd., Network Engineer\n"
        "Education\n"
        "2008.09 - 2012.06 Tongji University\n");
    expect_str(e, "person_name", "Helen Zhou");
    x = json_object_get(e->fields, "experience");
    assert_int_equal(json_array_size(x), 3);
    json_t *c = json_array_get(x, 2);
    assert_string_equal(json_string_value(json_object_get(c, "employer")), "Eastwind Logistics Co., Ltd.");
    assert_string_equal(json_string_value(json_object_get(c, "role")), "Network Engineer");
    assert_string_equal(json_string_value(json_object_get(c, "to")), "2016-02-29");
    a = json_array_get(x, 0);
    assert_true(json_is_null(json_object_get(a, "to")));
    assert_string_equal(json_string_value(json_object_get(a, "employer")), "Qingyun Security");
    assert_string_equal(json_string_value(json_object_get(a, "role")), "General Manager");
    b = json_array_get(x, 1);
    assert_string_equal(json_string_value(json_object_get(b, "from")), "2016-03-01");
    assert_string_equal(json_string_value(json_object_get(b, "to")), "2020-06-30");
    assert_true(has_check(e, "staff.head:head-role"));
    evidence_free(e);
}

static void test_certificate(void **state)
{
    (void)state;
    evidence *e = extract_as("certificate", "personnel", NULL, "zh",
        "=注册信息安全专业人员证书\n"
        "持证人：李强\n"
        "证书编号：CISP-2026-01234\n"
        "发证日期：2026年5月20日\n"
        "有效期至：2029年5月19日\n");
    expect_str(e, "holder", "李强");
    expect_str(e, "cert_name", "注册信息安全专业人员证书");
    expect_str(e, "cert_number", "CISP-2026-01234");
    expect_str(e, "issued_on", "2026-05-20");
    expect_str(e, "valid_until", "2029-05-19");
    expect_unset(e, "service_category");
    expect_note(e, "service_category: no category named");
    evidence_free(e);

    e = extract_as("certificate", "personnel", NULL, "zh",
        "=信息安全保障人员认证证书\n"
        "|姓名|王芳|\n"
        "|认证方向|风险评估|\n"
        "|有效期|2026年5月20日至2029年5月19日|\n");
    expect_str(e, "holder", "王芳");
    expect_str(e, "valid_until", "2029-05-19");
    expect_str(e, "service_category", "risk-assessment");
    evidence_free(e);
}

/* ---- training ----------------------------------------------------------------- */

static void test_training_plan(void **state)
{
    (void)state;
    evidence *e = extract("training-plan", "zh",
        "=2026年度信息安全培训计划\n"
        "|培训内容|培训对象|计划时间|\n"
        "|安全意识|全体员工|2026年3月|\n");
    expect_str(e, "period_start", "2026-01-01");
    expect_str(e, "period_end", "2026-12-31");
    evidence_free(e);

    /* a stated period wins over the title's year; month precision is fine here */
    e = extract("training-plan", "zh", "=2026年度培训计划\n计划期间：2026年7月至2027年6月\n");
    expect_str(e, "period_start", "2026-07-01");
    expect_str(e, "period_end", "2027-06-30");
    evidence_free(e);

    /* a date in the title is not a plan year */
    e = extract("training-plan", "zh", "=培训计划（2026年3月修订）\n");
    expect_unset(e, "period_start");
    evidence_free(e);
}

static void test_training_record(void **state)
{
    (void)state;
    evidence *e = extract("training-record", "zh",
        "=保密教育培训记录\n"
        "培训日期：2026年6月18日 14:00-16:00\n"
        "参加人员：王芳、李强、张伟\n");
    expect_str(e, "held_on", "2026-06-18");
    json_t *a = json_object_get(e->fields, "attendees");
    assert_int_equal(json_array_size(a), 3);
    assert_string_equal(json_string_value(json_array_get(a, 1)), "李强");
    evidence_free(e);

    /* a sign-in table: names under 姓名; no date label: the latest date, noted */
    e = extract("training-record", "zh",
        "=培训签到表\n"
        "本次培训于2026年6月18日举行。\n"
        "|序号|姓名|部门|\n"
        "|1|王芳|技术部|\n"
        "|2|李强|技术部|\n");
    expect_str(e, "held_on", "2026-06-18");
    expect_note(e, "held_on not labelled");
    a = json_object_get(e->fields, "attendees");
    assert_int_equal(json_array_size(a), 2);
    assert_string_equal(json_string_value(json_array_get(a, 0)), "王芳");
    evidence_free(e);

    /* attendees in the cells below their label */
    e = extract("training-record", "en",
        "=Training Record\n|Date|18 June 2026|\n|Attendees|\n|Wang Fang|\n|Li Qiang|\n");
    expect_str(e, "held_on", "2026-06-18");
    a = json_object_get(e->fields, "attendees");
    assert_int_equal(json_array_size(a), 2);
    evidence_free(e);
}

static void test_other_kind_reads_title_only(void **state)
{
    (void)state;
    evidence *e = extract("other", "zh", "=会议纪要\n签订日期：2026年3月5日\n甲方：华东电力\n");
    expect_str(e, "title", "会议纪要");
    assert_int_equal(json_object_size(e->fields), 1);
    evidence_free(e);
}

static void test_category_rules(void **state)
{
    (void)state;
    /* medium cues tie (应急响应, 渗透测试); weak hints decide */
    evidence *e = extract("service-process", "zh",
        "=服务流程\n本流程适用于应急响应和渗透测试工作。\n事件分级依据GB/Z 20986执行。\n");
    expect_str(e, "service_category", "emergency-response");
    evidence_free(e);

    /* a tie nothing breaks leaves the category unset, with a note */
    e = extract("service-process", "zh", "=服务流程\n本流程适用于应急响应和渗透测试工作。\n");
    expect_unset(e, "service_category");
    expect_note(e, "service_category: categories tie");
    evidence_free(e);

    /* a strong cue beats any number of medium cues of another category */
    e = extract("service-contract", "zh",
        "=技术服务合同\n服务内容：网络安全审计。\n包括应急响应、应急演练、应急处置。\n");
    expect_str(e, "service_category", "security-audit");
    evidence_free(e);
}

static void test_date_spellings(void **state)
{
    (void)state;
    evidence *e = extract("service-contract", "zh", "=技术服务合同\n签订日期：26年3月5日\n");
    expect_str(e, "signed_on", "2026-03-05");
    expect_note(e, "signed_on: two-digit year read as 20YY");
    evidence_free(e);

    /* a blank form date is unset without a warning */
    e = extract("confidentiality-agreement", "zh",
        "=员工保密协议\n甲方：青云网安技术有限公司\n乙方（员工）：____\n" CLAUSE_ZH
        "甲方（盖章）：\n乙方（签字）：\n日期：____年__月__日\n");
    expect_unset(e, "signed_on");
    expect_unset(e, "employee");
    expect_note(e, "signed_on not found");
    assert_false(has_note(e, "month only"));
    assert_false(has_note(e, "not a calendar date"));
    evidence_free(e);

    /* an invalid calendar date is unset with a warning */
    e = extract("acceptance-report", "zh", "=验收报告\n验收日期：2026年2月30日\n");
    expect_unset(e, "completed_on");
    expect_note(e, "completed_on: not a calendar date");
    evidence_free(e);
}

/* A large document and a hostile paragraph: every pass stays near linear
 * (the first statement wins, conflicts are noted once). */
static void test_large_document(void **state)
{
    (void)state;
    ev_buf b = {0};
    ev_buf_puts(&b, "=技术服务合同\n");
    for (int i = 0; i < 3000; i++)
        ev_buf_printf(&b, "|合同编号|HT-2026-%04d|签订日期|2026年3月%d日|\n", i, 1 + i % 28);
    for (int i = 0; i < 3000; i++)
        ev_buf_printf(&b, "第%d条 甲方：华东电力%d有限公司 乙方：青云网安技术有限公司 服务期限为一年，自2026年4月1日起。\n",
                      i, i);
    for (int i = 0; i < 20000; i++)
        ev_buf_puts(&b, "甲方：");
    ev_buf_puts(&b, "\n");
    for (int i = 0; i < 20000; i++)
        ev_buf_puts(&b, "年租金：每月1元");
    ev_buf_puts(&b, "\n");
    for (int i = 0; i < 20000; i++)
        ev_buf_puts(&b, "某公司（以下简称\"乙方\"）");
    ev_buf_puts(&b, "\n");
    evidence *e = extract("service-contract", "zh", b.data);
    expect_str(e, "doc_number", "HT-2026-0000");
    expect_str(e, "signed_on", "2026-03-01");
    expect_str(e, "party_a", "华东电力0有限公司");
    expect_note(e, "doc_number: conflicting values HT-2026-0000 (body) and HT-2026-0001 (body)");
    expect_note(e, "amount: only unit prices or ranges stated");
    evidence_free(e);
    ev_buf_free(&b);
}

/* Documents stitched from label fragments, brackets, colons, dates,
 * amounts and stray bytes, read as every kind: no crash, no leak, no
 * sanitizer report, and every date field a real date. */
static void test_stitched_documents(void **state)
{
    (void)state;
    static const char *const parts[] = {
        "甲方", "乙方", "（", "）", "(", ")", "：", ":", "\"", "“", "合同编号", "No.", "HT-2026-",
        "签订日期", "日期", "2026年3月", "5日", "至", "长期", "至今", "2019.07—", "服务期限为一年，自",
        "人民币", "壹佰万元整", "¥1,200,000.00", "单价", "/月", "版本", "V2.", "作废", "____", "XXX",
        "【 】", "Party A", " (\"Party B\")", "Term: from 1 April 2026", " to ", "Date: ", "Name",
        "\n", " ", "、", "，", "。", "\xff", "\xe4\xb8", "20260305", "工作经历", "参加人员", "姓名",
        "Co., Ltd.", "有效期至", "营业期限", "计划期间", "2026年度", "验收结论", "不合格", "Rev. ",
        ".", "]", "【", "Shanghai.", "地址", "法定代表人", "\\n", "Premises", "单价", "(the \"Tenant\")",
    };
    uint32_t seed = 12345;
    size_t nk = catalog_kind_count(cat);
    for (int round = 0; round < 60; round++) {
        ev_buf b = {0};
        int lines = 1 + round % 9;
        for (int l = 0; l < lines; l++) {
            seed = seed * 1103515245u + 12345u;
            int kind = (int)(seed >> 16) % 4;
            ev_buf_puts(&b, kind == 0 ? "=" : kind == 1 ? "^" : kind == 2 ? "|" : "");
            int n = 1 + (int)((seed >> 8) % 12);
            for (int k = 0; k < n; k++) {
                seed = seed * 1103515245u + 12345u;
                ev_buf_puts(&b, parts[(seed >> 16) % EV_ARRAY_LEN(parts)]);
                if (kind == 2 && (seed & 3) == 0)
                    ev_buf_putc(&b, '|');
            }
            ev_buf_putc(&b, '\n');
        }
        for (size_t k = 0; k < nk; k++) {
            evidence *e = extract(catalog_kind_at(cat, k)->id, round % 2 ? "en" : "zh", b.data);
            const char *key;
            json_t *v;
            json_object_foreach(e->fields, key, v) {
                const cat_field *f = catalog_field(cat, key);
                if (f && f->type == CAT_FIELD_DATE) {
                    ev_date d;
                    assert_int_equal(ev_date_parse(json_string_value(v), &d, NULL), EV_OK);
                }
            }
            evidence_free(e);
        }
        ev_buf_free(&b);
    }
}

/* One catalog, many threads: every extraction gives the same record. */
#define THREAD_DOC \
    "=技术服务合同\n合同编号：HT-2026-018\n甲方：华东电力信息有限公司\n乙方：青云网安技术有限公司\n" \
    "服务内容：安全运维服务。\n服务期限为一年，自2026年4月1日起。\n合同金额：人民币壹佰万元整（¥1,000,000.00）\n" \
    CLAUSE_ZH "甲方（盖章）：\n日期：2026年3月5日\n乙方（盖章）：\n日期：2026年3月8日"

static char *thread_json(void)
{
    evidence *e = extract("service-contract", "zh", THREAD_DOC);
    json_t *o = json_pack("{s:O, s:O, s:O}", "fields", e->fields, "notes", e->notes, "checks", e->checks);
    char *s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(o);
    evidence_free(e);
    return s;
}

static void *thread_run(void *arg)
{
    const char *want = arg;
    for (int i = 0; i < 20; i++) {
        char *got = thread_json();
        bool same = strcmp(got, want) == 0;
        free(got);
        if (!same)
            return (void *)1;
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    char *want = thread_json();
    assert_non_null(strstr(want, "\"signed_on\":\"2026-03-08\""));
    pthread_t t[4];
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thread_run, want), 0);
    for (size_t i = 0; i < 4; i++) {
        void *rc;
        assert_int_equal(pthread_join(t[i], &rc), 0);
        assert_null(rc);
    }
    free(want);
}

/* ---- electronic signatures ----------------------------------------------- */

#define SIG(signer, at, status, cert, whole) \
    {(char *)(signer), (char *)(at), (status), (cert), (whole)}

/* Like extract_as(), the document carrying `sigs` as its parser found them. */
static evidence *extract_signed(const char *kind, const char *subtype, const char *lines,
                                doc_signature *sigs, size_t nsigs)
{
    doc *d = mkdoc(lines);
    evidence *e = evidence_new("signed.pdf");
    d->format = DOC_FORMAT_PDF;
    d->signatures = sigs;
    d->nsignatures = nsigs;
    e->kind = ev_strdup(kind);
    e->subtype = subtype ? ev_strdup(subtype) : NULL;
    e->language = ev_strdup("zh");
    fields_extract(cat, d, e);
    doc_release(d);
    return e;
}

#define CONTRACT_SIGNED_0305 \
    "=技术服务合同\n合同编号：HT-2026-018\n签订日期：2026年3月5日\n" \
    "甲方：华东电力信息有限公司\n乙方：青云网安技术有限公司\n"

/* A valid signature's time, in Beijing, is the signing date, whatever the
 * text says and whatever its certificate; both are noted. */
static void test_signature_dates_contract(void **state)
{
    (void)state;
    doc_signature late[] = {SIG("张伟", "2026-03-05T17:30:00Z", "valid", "unknown-issuer", true)};
    evidence *e = extract_signed("service-contract", NULL, CONTRACT_SIGNED_0305, late, 1);
    expect_str(e, "signed_on", "2026-03-06");
    expect_note(e, "signed_on from the electronic signature of 张伟 at 2026-03-05T17:30:00Z: "
                   "2026-03-06 in China Standard Time (UTC+8)");
    expect_note(e, "signed_on: the electronic signature of 张伟 says 2026-03-06 (China Standard "
                   "Time), the text says 2026-03-05; the signature's date kept");
    expect_note(e, "electronic signature of 张伟: certificate unknown-issuer");
    assert_false(has_note(e, "signed_on taken from the signature block"));
    /* the signature's date was read from no text: no stale source */
    assert_null(json_object_get(e->sources, "signed_on"));
    evidence_free(e);

    /* the same day: no conflict; a trusted certificate: nothing to say of it */
    doc_signature same[] = {SIG("张伟", "2026-03-05T02:00:00Z", "valid", "trusted", true)};
    e = extract_signed("service-contract", NULL, CONTRACT_SIGNED_0305, same, 1);
    expect_str(e, "signed_on", "2026-03-05");
    assert_false(has_note(e, "the text says"));
    assert_false(has_note(e, "certificate"));
    evidence_free(e);

    /* the latest valid one counts; a broken one, a timeless one and an
     * unnamed signer's earlier one do not decide */
    doc_signature many[] = {
        SIG(NULL, "2026-03-04T01:00:00Z", "valid", "untrusted-issuer", false),
        SIG("李强", "2026-03-09T01:00:00Z", "valid", "unknown-issuer", true),
        SIG("王芳", "2026-04-01T01:00:00Z", "digest-mismatch", "not-verified", true),
        SIG("赵六", NULL, "valid", "trusted", true),
    };
    e = extract_signed("service-contract", NULL, CONTRACT_SIGNED_0305, many, 4);
    expect_str(e, "signed_on", "2026-03-09");
    expect_note(e, "from the electronic signature of 李强 at 2026-03-09T01:00:00Z");
    evidence_free(e);

    /* no valid signature: the text decides, as without signatures */
    doc_signature broken[] = {SIG("张伟", "2026-04-01T01:00:00Z", "invalid", "revoked", true)};
    e = extract_signed("service-contract", NULL,
                       "=安全运维服务合同\n甲方：华东电力信息有限公司\n乙方：青云网安技术有限公司\n"
                       CLAUSE_ZH "甲方（盖章）：\n2026年3月5日\n乙方（盖章）：\n2026年3月9日",
                       broken, 1);
    expect_str(e, "signed_on", "2026-03-09");
    expect_note(e, "signed_on taken from the signature block");
    assert_false(has_note(e, "electronic signature"));
    evidence_free(e);

    /* nothing in the text: the signature alone dates it, and is compared
     * with the signature block's latest date when there is one */
    doc_signature one[] = {SIG("张伟", "2026-03-10T03:00:00Z", "valid", "unknown-issuer", true)};
    e = extract_signed("service-contract", NULL,
                       "=安全运维服务合同\n甲方：华东电力信息有限公司\n乙方：青云网安技术有限公司\n"
                       CLAUSE_ZH "甲方（盖章）：\n2026年3月5日\n乙方（盖章）：\n2026年3月9日",
                       one, 1);
    expect_str(e, "signed_on", "2026-03-10");
    expect_note(e, "the text says 2026-03-09; the signature's date kept");
    assert_false(has_note(e, "signed_on taken from the signature block"));
    evidence_free(e);
}

/* Agreements and leases are dated by their signatures too; an acceptance
 * report keeps its labelled acceptance date and uses the signature's only
 * when the text has none; a procedure has no signing date to set. */
static void test_signature_dates_other_kinds(void **state)
{
    (void)state;
    doc_signature sig[] = {SIG("王芳", "2026-10-14T16:30:00Z", "valid", "unknown-issuer", true)};
    evidence *e = extract_signed("confidentiality-agreement", "employee",
                                 "=员工保密协议\n甲方：青云网安技术有限公司\n乙方（员工）：王芳\n", sig, 1);
    expect_str(e, "signed_on", "2026-10-15");
    evidence_free(e);

    e = extract_signed("lease-contract", NULL,
                       "=房屋租赁合同\n出租方：上海浦江物业有限公司\n承租方：青云网安技术有限公司\n"
                       "签订日期：2026年10月1日\n", sig, 1);
    expect_str(e, "signed_on", "2026-10-15");
    expect_note(e, "the text says 2026-10-01");
    evidence_free(e);

    e = extract_signed("acceptance-report", NULL,
                       "=项目验收报告\n合同编号：HT-2026-018\n验收日期：2026年10月12日\n验收结论：验收合格\n",
                       sig, 1);
    expect_str(e, "completed_on", "2026-10-12");
    expect_note(e, "completed_on: the electronic signature of 王芳 says 2026-10-15 (China "
                   "Standard Time), the text says 2026-10-12; the text's date kept");
    evidence_free(e);

    e = extract_signed("acceptance-report", NULL,
                       "=项目验收报告\n合同编号：HT-2026-018\n验收结论：验收合格\n", sig, 1);
    expect_str(e, "completed_on", "2026-10-15");
    expect_note(e, "completed_on from the electronic signature of 王芳");
    assert_false(has_note(e, "completed_on not labelled"));
    evidence_free(e);

    e = extract_signed("procedure", NULL, "=保密管理程序\n文件编号：QM-PR-005\n", sig, 1);
    expect_unset(e, "signed_on");
    expect_unset(e, "completed_on");
    assert_false(has_note(e, "electronic signature"));
    evidence_free(e);
}

/* The signed test PDF through the whole analysis, with the real catalog:
 * its e-signature (valid digest, self-issued certificate, 10:00 Beijing
 * time) dates the contract. */
static void test_signed_pdf(void **state)
{
    (void)state;
    const char *path = EV_SOURCE_DIR "/tests/data/pdf/signed.pdf";
    void *data;
    size_t len;
    ev_error err = {0};

    if (access(path, R_OK) != 0)
        skip();
    doc_init();
    assert_int_equal(doc_read_file(path, NULL, &data, &len, &err), EV_OK);
    evidence *e = evidence_analyze(cat, "contracts/HT-2026-018.pdf", data, len, NULL, true);
    free(data);
    assert_int_equal(e->error, EV_OK);
    assert_string_equal(e->kind, "service-contract");
    assert_int_equal(json_array_size(e->signatures), 1);
    expect_str(e, "signed_on", "2026-03-05");
    expect_note(e, "signed_on from the electronic signature of 张伟 at 2026-03-05T02:00:00Z: "
                   "2026-03-05 in China Standard Time (UTC+8)");
    expect_note(e, "electronic signature of 张伟: certificate unknown-issuer");
    assert_false(has_note(e, "the text says"));
    evidence_free(e);
}

static int setup(void **state)
{
    (void)state;
    ev_error err = {0};
    if (catalog_load(CATALOG, &cat, &err) != EV_OK) {
        fprintf(stderr, "catalog: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    catalog_free(cat);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spaced_labels),
        cmocka_unit_test(test_numbered_parties),
        cmocka_unit_test(test_tick_box_conclusions),
        cmocka_unit_test(test_amount_beside_reference_numbers),
        cmocka_unit_test(test_revision_in_header_line),
        cmocka_unit_test(test_revision_history_tables),
        cmocka_unit_test(test_term_in_prose),
        cmocka_unit_test(test_doc_number_in_title),
        cmocka_unit_test(test_sources),
        cmocka_unit_test(test_service_contract_zh),
        cmocka_unit_test(test_service_contract_en),
        cmocka_unit_test(test_signature_table),
        cmocka_unit_test(test_signature_cells_with_lines),
        cmocka_unit_test(test_signed_on_fallbacks),
        cmocka_unit_test(test_signature_dates_contract),
        cmocka_unit_test(test_signature_dates_other_kinds),
        cmocka_unit_test(test_signed_pdf),
        cmocka_unit_test(test_contract_amount_rules),
        cmocka_unit_test(test_amended_amount),
        cmocka_unit_test(test_template_placeholders),
        cmocka_unit_test(test_acceptance_report),
        cmocka_unit_test(test_official_numbers),
        cmocka_unit_test(test_heading_labels),
        cmocka_unit_test(test_title_in_the_header),
        cmocka_unit_test(test_document_lifecycle_words),
        cmocka_unit_test(test_procedure_header_control_block),
        cmocka_unit_test(test_procedure_conflict_and_withdrawn),
        cmocka_unit_test(test_nda_employee),
        cmocka_unit_test(test_lease),
        cmocka_unit_test(test_business_license),
        cmocka_unit_test(test_audit_report),
        cmocka_unit_test(test_resume),
        cmocka_unit_test(test_certificate),
        cmocka_unit_test(test_training_plan),
        cmocka_unit_test(test_training_record),
        cmocka_unit_test(test_other_kind_reads_title_only),
        cmocka_unit_test(test_category_rules),
        cmocka_unit_test(test_date_spellings),
        cmocka_unit_test(test_large_document),
        cmocka_unit_test(test_stitched_documents),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
