/* test_classify.c: every kind in both languages, the order of tests where
 * titles overlap, the distractors, ties, image-only documents and threads.
 * Documents are built in code with the doc model's structs. */
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
#include "classify.h"

#define CATALOG EV_SOURCE_DIR "/policy/catalog.xml"

static catalog *cat;

/* ---- building documents ------------------------------------------------- */

/* Block markers for mkdoc(): the first character of each line says what it is. */
/*   "#text"  heading level 1      "=text"  Title-style heading (level 0)
 *   "^text"  header paragraph     "|a|b|c" a table row of cells
 *   "text"   body paragraph                                                */
static void add_block(doc *d, doc_block_kind kind, doc_part part, uint16_t level,
                      uint32_t table, uint32_t row, uint32_t col, const char *s, size_t len)
{
    size_t cap = d->text_len + len + 1;
    d->text = ev_realloc(d->text, cap);
    memcpy(d->text + d->text_len, s, len);
    d->text[d->text_len + len] = '\0';
    d->blocks = ev_realloc(d->blocks, (d->nblocks + 1) * sizeof *d->blocks);
    doc_block *b = &d->blocks[d->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->part = part;
    b->level = level;
    b->depth = kind == DOC_BLOCK_CELL;
    b->table = table;
    b->row = row;
    b->col = col;
    b->off = d->text_len;
    b->len = len;
    d->text_len += len + 1;
    for (size_t i = 0; i < len; i++)
        d->text_chars += ((unsigned char)s[i] & 0xC0) != 0x80;
}

/* A document from lines separated by '\n' (see the markers above). */
static doc *mkdoc(const char *lines)
{
    doc *d = ev_calloc(1, sizeof *d);
    d->format = DOC_FORMAT_DOCX;
    uint32_t table = 0, row = 0;
    bool in_table = false;
    const char *p = lines;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > 0 && p[0] == '|') {
            if (!in_table) {
                table++;
                row = 0;
                in_table = true;
            }
            uint32_t col = 0;
            const char *c = p + 1;
            const char *end = p + len;
            while (c < end) {
                const char *bar = memchr(c, '|', (size_t)(end - c));
                size_t clen = bar ? (size_t)(bar - c) : (size_t)(end - c);
                add_block(d, DOC_BLOCK_CELL, DOC_PART_BODY, 0, table, row, col++, c, clen);
                c += clen + 1;
            }
            row++;
        } else {
            in_table = false;
            if (len > 0 && p[0] == '#')
                add_block(d, DOC_BLOCK_HEADING, DOC_PART_BODY, 1, 0, 0, 0, p + 1, len - 1);
            else if (len > 0 && p[0] == '=')
                add_block(d, DOC_BLOCK_HEADING, DOC_PART_BODY, 0, 0, 0, 0, p + 1, len - 1);
            else if (len > 0 && p[0] == '^')
                add_block(d, DOC_BLOCK_PARAGRAPH, DOC_PART_HEADER, 0, 0, 0, 0, p + 1, len - 1);
            else
                add_block(d, DOC_BLOCK_PARAGRAPH, DOC_PART_BODY, 0, 0, 0, 0, p, len);
        }
        p += len + (nl ? 1 : 0);
    }
    /* The header part comes first in the model's reading order. */
    for (size_t i = 1; i < d->nblocks; i++) {
        doc_block b = d->blocks[i];
        size_t j = i;
        while (j > 0 && b.part < d->blocks[j - 1].part) {
            d->blocks[j] = d->blocks[j - 1];
            j--;
        }
        d->blocks[j] = b;
    }
    return d;
}

static bool has_why(const classify_result *r, const char *s)
{
    for (size_t i = 0; i < r->nwhy; i++)
        if (strcmp(r->why[i], s) == 0)
            return true;
    return false;
}

static bool has_reason_prefix(const classify_result *r, const char *s)
{
    for (size_t i = 0; i < r->nreasons; i++)
        if (strncmp(r->reasons[i], s, strlen(s)) == 0)
            return true;
    return false;
}

static void dump(const char *what, const classify_result *r)
{
    fprintf(stdout, "%s -> kind %s topic %s subtype %s lang %s title \"%s\"\n", what, r->kind,
            r->topic ? r->topic : "-", r->subtype ? r->subtype : "-", r->language,
            r->title ? r->title : "");
    for (size_t i = 0; i < r->nwhy; i++)
        fprintf(stdout, "  why: %s\n", r->why[i]);
    for (size_t i = 0; i < r->nreasons; i++)
        fprintf(stdout, "  reason: %s\n", r->reasons[i]);
}

/* Classify lines; check kind (and topic/subtype when not NULL) and that
 * every string of `why` (NULL-terminated) is among the result's why. */
static void expect_kind(const char *lines, const char *kind, const char *topic,
                        const char *subtype, const char *lang, const char *const *why)
{
    doc *d = mkdoc(lines);
    classify_result r;
    classify_doc(cat, d, "x.docx", &r);
    bool ok = strcmp(r.kind, kind) == 0 && (!topic || (r.topic && strcmp(r.topic, topic) == 0)) &&
              (!subtype || (r.subtype && strcmp(r.subtype, subtype) == 0)) &&
              (!lang || strcmp(r.language, lang) == 0);
    for (size_t i = 0; why && why[i]; i++)
        ok = ok && has_why(&r, why[i]);
    if (!ok) {
        dump(lines, &r);
        fail_msg("want kind %s topic %s subtype %s", kind, topic ? topic : "-",
                 subtype ? subtype : "-");
    }
    classify_result_free(&r);
    doc_free(d);
}

#define WHY(...) ((const char *const[]){__VA_ARGS__, NULL})

static int setup(void **state)
{
    (void)state;
    ev_error err;
    ev_error_clear(&err);
    if (catalog_load(CATALOG, &cat, &err) != EV_OK) {
        fprintf(stderr, "%s\n", err.message);
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

/* ---- every kind, Chinese and English ----------------------------------- */

static void test_service_contract(void **state)
{
    (void)state;
    expect_kind("=信息安全风险评估技术服务合同\n合同编号：HT-2026-018\n甲方：华东电力信息有限公司\n"
                "乙方：安恒信源科技有限公司\n一、服务内容：乙方为甲方提供信息安全风险评估服务。\n"
                "二、服务期限：自2026年4月1日起一年。\n三、合同金额：人民币壹佰贰拾万元整",
                "service-contract", NULL, NULL, "zh",
                WHY("title: 技术服务合同", "body: 甲方+乙方", "body: 合同编号"));
    /* A title without a heading style: the first short paragraph. */
    expect_kind("网络安全运维服务协议书\n甲方（委托方）：某市大数据中心\n乙方（受托方）：青云网安技术有限公司",
                "service-contract", NULL, NULL, "zh", WHY("title: 服务协议"));
    expect_kind("=Risk Assessment Services Agreement\nContract No.: HT-2026-021\n"
                "Party A: East China Power Information Co., Ltd.\nParty B: Qingyun Security Ltd.\n"
                "1. Scope of Services\nParty B shall perform a security risk assessment.\n"
                "2. Contract Price: RMB 1,200,000",
                "service-contract", NULL, NULL, "en",
                WHY("title: Service(s) Agreement", "body: Party A+Party B"));
    expect_kind("=Contract for Penetration Testing Services\nParty A: Client\nParty B: Provider",
                "service-contract", NULL, NULL, "en", WHY("title: Contract for … Services"));
}

/* A title typed into a one-cell table (a framed banner) is the title, not
 * the first section heading after it. */
static void test_title_in_a_lone_cell(void **state)
{
    (void)state;
    doc *d = mkdoc("^上海澄源信安科技有限公司 协议编号：YJ-2026-0520\n"
                   "|信息安全应急响应服务协议|\n"
                   "采购方：宁波港信息通信有限公司（以下简称“甲方”）\n"
                   "服务方：上海澄源信安科技有限公司（以下简称“乙方”）\n"
                   "为保障甲方信息系统的安全稳定运行，甲方委托乙方提供信息安全应急响应服务。\n"
                   "#1. 服务范围\n1.1 安全事件处置：提供远程及现场应急响应。\n"
                   "|服务内容|响应时间|\n|现场处置|2小时|\n");
    classify_result r;
    classify_doc(cat, d, "x.docx", &r);
    assert_string_equal(r.kind, "service-contract");
    assert_non_null(r.title);
    assert_string_equal(r.title, "信息安全应急响应服务协议");
    classify_result_free(&r);
    doc_free(d);
}

static void test_acceptance_report(void **state)
{
    (void)state;
    expect_kind("=某市政务云安全运维服务项目验收报告\n合同编号：HT-2026-018\n验收日期：2026年9月30日\n"
                "验收结论：同意验收",
                "acceptance-report", NULL, NULL, "zh",
                WHY("title: 验收报告", "body: 验收结论", "body: 同意验收"));
    expect_kind("=Acceptance Certificate\nContract No.: HT-2026-021\nDate of acceptance: 30 September 2026\n"
                "The deliverables were accepted.",
                "acceptance-report", NULL, NULL, "en", WHY("title: acceptance certificate"));
}

static void test_confidentiality_agreement(void **state)
{
    (void)state;
    expect_kind("=员工保密协议\n甲方：青云网安技术有限公司\n乙方（员工）：王芳\n身份证号：310101199001011234\n"
                "乙方应履行保密义务，不得泄露甲方商业秘密。",
                "confidentiality-agreement", NULL, "employee", "zh",
                WHY("title: 保密协议", "body: 保密义务"));
    expect_kind("=Mutual Non-Disclosure Agreement\nThis agreement is made between Qingyun Security Ltd. "
                "and East China Power Information Co., Ltd.\nConfidential Information means any "
                "information disclosed by either party.",
                "confidentiality-agreement", NULL, "business", "en",
                WHY("title: non-disclosure agreement", "body: confidential information"));
}

static void test_lease_contract(void **state)
{
    (void)state;
    expect_kind("=房屋租赁合同\n出租方（甲方）：上海某置业有限公司\n承租方（乙方）：青云网安技术有限公司\n"
                "房屋坐落：上海市浦东新区张江路1号\n建筑面积：320.5平方米\n租赁期限：2026年1月1日至2027年12月31日",
                "lease-contract", NULL, NULL, "zh", WHY("title: 房屋租赁合同", "body: 出租方+承租方"));
    expect_kind("=Office Lease Agreement\nLandlord: Pudong Property Co.\nTenant: Qingyun Security Ltd.\n"
                "Premises: Room 501, 1 Zhangjiang Road\nRent: RMB 30,000 per month",
                "lease-contract", NULL, NULL, "en", WHY("title: lease agreement", "body: Landlord+Tenant", "body: premises"));
}

static void test_procedure(void **state)
{
    (void)state;
    expect_kind("=保密管理制度\n文件编号：QM-PR-005\n版本：A/0\n#1 目的\n为规范公司保密工作，制定本制度。\n"
                "#2 适用范围\n#3 职责",
                "procedure", "confidentiality", NULL, "zh",
                WHY("title: 管理制度", "topic: 保密管理", "body: 目的"));
    /* The title sits only in the header: body sections decide, the header
     * gives the topic. */
    expect_kind("^青云网安技术有限公司 供应商管理程序\n^文件编号：QM-PR-009 版本：V1.2 生效日期：2026-01-10 批准：张伟\n"
                "#1 目的\n为确保供应商满足服务安全要求，特制定本程序。\n#2 适用范围\n本程序适用于公司全部供应商。\n"
                "#3 职责\n#4 工作程序",
                "procedure", "suppliers", NULL, "zh",
                WHY("body: 版本+生效日期+批准", "body: 职责", "header: 管理程序"));
    expect_kind("=Document Control Procedure\nDocument No.: QM-PR-003\nRevision: 2\n1. Purpose\n2. Scope\n"
                "3. Responsibilities",
                "procedure", "documents", NULL, "en", WHY("title: control procedure", "body: Purpose"));
    /* A procedure with no topic word still is one, with a reason. */
    doc *d = mkdoc("=考勤管理制度\n#1 目的\n#2 适用范围");
    classify_result r;
    classify_doc(cat, d, NULL, &r);
    assert_string_equal(r.kind, "procedure");
    assert_null(r.topic);
    assert_true(has_reason_prefix(&r, "no topic word"));
    classify_result_free(&r);
    doc_free(d);
    /* A withdrawn procedure is still a procedure; the evaluator discounts it. */
    expect_kind("=文件控制程序（作废）\n#1 目的", "procedure", "documents", NULL, "zh", NULL);
}

/* Titles as people write them (a plain first line, a document number
 * before the title), and the body's vote for a topic when the title
 * names none. */
static void test_procedure_topic_by_vote(void **state)
{
    (void)state;
    expect_kind("Third Party Security, Vendor Risk Management and Systems/Services Acquisition\n"
                "Purpose\nThis document sets out how the company selects and monitors the "
                "vendors and third parties that handle its information.\n"
                "Scope\nAll vendors, suppliers and outsourced service providers.\n"
                "Responsibilities\nThe vendor owner keeps the vendor register.\n"
                "Vendor due diligence\nEach supplier completes the questionnaire.",
                "procedure", "suppliers", NULL, "en", WHY("topic vote: suppliers 6"));
    expect_kind("青岩网安科技有限公司\n供应商及外包服务管理程序\n"
                "#1 目的\n规范供应商和外包服务商的选择、评价与监督。\n"
                "#2 适用范围\n适用于本公司的供应商、外包服务方。\n#3 职责\n采购部负责合格供应商名录。",
                "procedure", "suppliers", NULL, "zh", NULL);
    /* "QMS-002: Document Control" is a title after its document number */
    expect_kind("QMS-002: Document Control\nOwner: Quality Manager\n1 Purpose\n2 Scope\n"
                "3 Responsibilities",
                "procedure", "documents", NULL, "en", WHY("topic: document control"));
    /* a document number on its own line comes before the title */
    doc *d = mkdoc("QY-QP-12\n财务报销与资金支付规定\n版本：A/2\n#一、目的\n规范费用报销与资金支付。\n"
                   "#二、适用范围\n适用于公司全部费用报销和对外付款。");
    classify_result r;
    classify_doc(cat, d, NULL, &r);
    assert_string_equal(r.title, "财务报销与资金支付规定");
    assert_string_equal(r.topic, "finance");
    assert_true(has_reason_prefix(&r, "no topic word in the title: topic finance by the body's "
                                      "vote (finance 3"));
    classify_result_free(&r);
    doc_free(d);
    /* one stray word decides nothing: the vote is undecided and says so */
    d = mkdoc("=考勤管理制度\n#1 目的\n本制度适用于全体员工。\n#2 适用范围");
    classify_doc(cat, d, NULL, &r);
    assert_null(r.topic);
    assert_true(has_reason_prefix(&r, "no topic word in the title and the body's vote is "
                                      "undecided (personnel 1 blocks; margin 1)"));
    classify_result_free(&r);
    doc_free(d);
}

static void test_training_plan_and_record(void **state)
{
    (void)state;
    expect_kind("=2026年度培训计划\n|序号|培训内容|培训对象|培训时间|课时|负责人\n|1|渗透测试技术|技术部|3月|8|李强",
                "training-plan", NULL, NULL, "zh",
                WHY("title: 培训计划", "body: 培训内容", "body: 课时"));
    expect_kind("=Training Plan 2026\n|Course|Audience|Planned date\n|Secure coding|Developers|March",
                "training-plan", NULL, NULL, "en", WHY("title: training plan"));
    expect_kind("=保密教育培训记录\n培训日期：2026年6月18日\n参加人员：王芳、李强\n授课人：张伟",
                "training-record", NULL, "confidentiality-education", "zh",
                WHY("title: 培训记录", "body: 培训日期"));
    expect_kind("=Training Record: Security Awareness and Confidentiality\nDate: 18 June 2026\n"
                "Trainer: Helen Zhou\n|Name|Score|\n|Wang Fang|92|",
                "training-record", NULL, "confidentiality-education", "en", NULL);
    expect_kind("=信息安全技能考核记录\n|姓名|成绩\n|王芳|92", "training-record", NULL, "assessment",
                "zh", WHY("title: 考核记录"));
    expect_kind("=Training Record\nDate: 18 June 2026\nTrainer: Helen Zhou\nAttendees: Wang Fang, Li Qiang",
                "training-record", NULL, "training", "en", WHY("title: training record"));
}

static void test_risk_record(void **state)
{
    (void)state;
    expect_kind("=项目风险登记表\n项目名称：政务云安全运维\n|风险描述|可能性|影响|风险等级|应对措施|责任人|状态\n"
                "|人员变动|中|高|高|备岗|李强|跟踪中",
                "risk-record", NULL, NULL, "zh", WHY("title: 风险登记表", "body: 风险描述"));
    expect_kind("=Project Risk Register\n|Risk|Likelihood|Impact|Mitigation|Owner", "risk-record", NULL,
                NULL, "en", WHY("title: risk register", "body: likelihood"));
}

static void test_contract_template(void **state)
{
    (void)state;
    expect_kind("=技术服务合同（模板）\n甲方：____________\n乙方：青云网安技术有限公司\n合同金额：______元\n"
                "签订日期：____年__月__日",
                "contract-template", NULL, NULL, "zh",
                WHY("title: 模板+合同", "negative: 模板 (not service-contract)"));
    expect_kind("=Services Agreement Template\nParty A: [Client Name]\nParty B: Qingyun Security Ltd.",
                "contract-template", NULL, NULL, "en",
                WHY("negative: template (not service-contract)"));
}

static void test_service_process_and_standard(void **state)
{
    (void)state;
    expect_kind("=风险评估服务流程\n|阶段|输入|活动|输出\n|启动|合同|召开启动会|计划\n"
                "流程：启动→准备→实施→验收→交付",
                "service-process", NULL, NULL, "zh", WHY("title: 服务流程", "body: 输入+输出"));
    expect_kind("=Incident Response Service Process\nPhase 1: Preparation. Input: contract. Output: plan.",
                "service-process", NULL, NULL, "en", WHY("title: service process"));
    expect_kind("=安全运维服务规范\n#1 范围\n#2 规范性引用文件\nGB/T 22239-2019\n"
                "运维人员应每日检查设备状态。\n运维人员应记录变更。\n不应使用默认口令。",
                "service-standard", NULL, NULL, "zh", WHY("title: 服务规范", "body: 规范性引用文件"));
    expect_kind("=Penetration Testing Work Instruction\nTesters shall obtain written authorisation.",
                "service-standard", NULL, NULL, "en", WHY("title: work instruction"));
}

static void test_license_credit_audit(void **state)
{
    (void)state;
    expect_kind("营 业 执 照\n|统一社会信用代码|91310000MA1FL1234X\n|名称|青云网安技术有限公司\n"
                "|法定代表人|张伟\n|成立日期|2021年6月8日",
                "business-license", NULL, NULL, "zh",
                WHY("title: 营业执照", "body: 统一社会信用代码"));
    expect_kind("=Business License\nUnified Social Credit Code: 91310000MA1FL1234X\nRegistered capital: RMB 10 million",
                "business-license", NULL, NULL, "en", WHY("title: business license"));
    expect_kind("=企业信用报告\n数据来源：信用中国、国家企业信用信息公示系统\n行政处罚：无\n查询日期：2026年5月20日",
                "credit-report", NULL, "report", "zh", WHY("title: 信用报告", "body: 信用中国", "weak: 查询日期"));
    expect_kind("=无违法违规声明\n本公司郑重声明：近三年无违法违规记录。", "credit-report", NULL,
                "declaration", "zh", WHY("title: 无违法违规声明"));
    expect_kind("=Credit Report\nSource: Credit China\nAdministrative penalties: none", "credit-report",
                NULL, "report", "en", WHY("title: credit report"));
    expect_kind("=2025年度财务审计报告\n某会计师事务所\n审计意见\n资产负债表", "audit-report", NULL, NULL,
                "zh", WHY("title: 财务审计报告", "body: 会计师事务所"));
    expect_kind("=Independent Auditor's Report\nOpinion\nBalance sheet as at 31 December 2025",
                "audit-report", NULL, NULL, "en", WHY("title: independent auditor's report"));
}

static void test_resume_and_certificate(void **state)
{
    (void)state;
    expect_kind("=个人简历\n姓名：李强\n现任职务：技术负责人\n工作经历\n2019.07—至今 青云网安 技术总监\n"
                "2015.07—2019.06 某公司 工程师\n教育背景：本科",
                "resume", NULL, NULL, "zh", WHY("title: 个人简历", "body: 姓名+工作经历+教育背景", "body: 2019.07—至今"));
    expect_kind("=Curriculum Vitae\nName: Li Qiang\nWork Experience\n2019-07 to present Qingyun Security\n"
                "Education",
                "resume", NULL, NULL, "en", WHY("title: curriculum vitae"));
    expect_kind("=注册信息安全专业人员证书\n持证人：李强\n证书编号：CISP-2026-01234\n有效期至：2029年5月19日",
                "certificate", NULL, "personnel", "zh", WHY("title: 证书", "body: 证书编号"));
    expect_kind("=不动产权证书\n权利人：青云网安技术有限公司", "certificate", NULL, "property", "zh",
                WHY("title: 不动产权证书"));
    expect_kind("=信息安全管理体系认证证书\n兹证明青云网安技术有限公司的信息安全管理体系符合 ISO/IEC 27001:2022",
                "certificate", NULL, "organisation", "zh", NULL);
    expect_kind("=CISSP Certificate\nHolder: Li Qiang\nCertificate No.: 123456\nValid until: 2029-05-19",
                "certificate", NULL, "personnel", "en", WHY("title: CISSP"));
}

/* Subtypes decide on the parties and titles, not on a passing word. */
static void test_subtypes(void **state)
{
    (void)state;
    expect_kind("=保密协议\n甲方：华东电力信息有限公司\n乙方：青云网安技术有限公司\n双方应要求各自员工遵守本协议。",
                "confidentiality-agreement", NULL, "business", "zh", NULL);
    expect_kind("=保密协议\n甲方：青云网安技术有限公司\n乙方（员工）：王芳\n工作单位：青云网安技术有限公司",
                "confidentiality-agreement", NULL, "employee", "zh", NULL);
    expect_kind("=Confidentiality Agreement\nCompany: Qingyun Security Ltd.\nEmployee: David Chen",
                "confidentiality-agreement", NULL, "employee", "en", NULL);
    expect_kind("=ISO/IEC 27001 Lead Auditor Certificate\nHolder: Li Qiang\nCertificate No.: LA-2026-77",
                "certificate", NULL, "personnel", "en", NULL);
    expect_kind("=信息安全服务资质认证证书\n兹证明青云网安技术有限公司具备安全运维三级服务资质。", "certificate",
                NULL, "organisation", "zh", NULL);
    expect_kind("=企业信用报告\n信用中国\n声明：本报告仅供参考。", "credit-report", NULL, "report", "zh", NULL);
    expect_kind("=信用承诺书\n本单位承诺近三年无违法违规记录。", "credit-report", NULL, "declaration", "zh", NULL);
}

/* ---- order of tests where titles overlap -------------------------------- */

static void test_precedence(void **state)
{
    (void)state;
    /* 验收 in the title wins over the contract. */
    expect_kind("=技术服务合同验收报告\n合同编号：HT-2026-018\n验收结论：合格", "acceptance-report", NULL,
                NULL, "zh", WHY("title: 验收报告"));
    /* 保密 wins over the service words of 安全. */
    expect_kind("=信息安全服务保密协议\n甲方：华东电力\n乙方：青云网安", "confidentiality-agreement", NULL,
                NULL, "zh", WHY("title: 保密协议"));
    /* 租赁 wins over 服务. */
    expect_kind("=办公用房租赁服务合同\n出租方：某置业\n承租方：青云网安", "lease-contract", NULL, NULL,
                "zh", WHY("title: 办公用房租赁", "negative: 租赁 (not service-contract)"));
    /* A confidentiality clause inside a service contract stays a contract. */
    expect_kind("=安全运维服务合同\n甲方：华东电力\n乙方：青云网安\n第八条 保密义务\n双方对保密信息负有保密义务。",
                "service-contract", NULL, NULL, "zh", WHY("title: 服务合同"));
    /* 验收标准 in a contract clause does not make a report. */
    expect_kind("=渗透测试服务合同\n甲方：华东电力\n乙方：青云网安\n验收标准：按附件执行", "service-contract",
                NULL, NULL, "zh", NULL);
    /* A cover page starting with the company name: the next short block is the title. */
    expect_kind("青云网安技术有限公司\n合同管理程序\nQM-PR-007\n#1 目的", "procedure", "contracts", NULL,
                "zh", WHY("title: 管理程序"));
}

/* ---- distractors ---------------------------------------------------------- */

static void test_distractors(void **state)
{
    (void)state;
    expect_kind("=安全运维项目周例会会议纪要\n时间：2026年3月5日\n参加人员：甲方、乙方项目组\n"
                "会议讨论了合同编号HT-2026-018的服务内容与付款方式。",
                "other", NULL, NULL, "zh", WHY("title: 纪要"));
    expect_kind("=项目周例会纪要\n参会人员：甲方、乙方", "other", NULL, NULL, "zh", WHY("title: 纪要"));
    expect_kind("=安全集成项目验收会议纪要\n验收结论：同意验收\n验收日期：2026年9月30日", "acceptance-report",
                NULL, NULL, "zh", WHY("title: 项目验收", "negative: 验收会议纪要 (not other)"));
    expect_kind("=办公家具采购合同\n甲方：青云网安\n乙方：某家具公司\n合同金额：5万元\n付款方式：验收后付款",
                "other", NULL, NULL, "zh", NULL);
    expect_kind("=采购合同（办公桌椅）\n甲方：青云网安\n乙方：某家具公司\n合同金额：3万元\n付款方式：货到付款",
                "other", NULL, NULL, "zh", NULL);
    expect_kind("=服务器采购合同\n甲方：青云网安\n乙方：某科技公司\n合同金额：30万元\n付款方式：货到付款",
                "other", NULL, NULL, "zh", WHY("negative: 采购设备，无服务范围 (not service-contract)"));
    expect_kind("=Supply Contract for Office Furniture\nBuyer: Qingyun Security Ltd.\nSeller: Oak Ltd.", "other",
                NULL, NULL, "en", WHY("title: purchase of furniture / computers"));
    expect_kind("=办公电脑购销合同\n甲方：青云网安\n乙方：某电脑公司\n合同金额：20万元\n违约责任",
                "other", NULL, NULL, "zh", NULL);
    expect_kind("=青云网安简报（2026年第3期）\n本季度公司签订安全服务合同5份，完成验收报告3份。", "other", NULL,
                NULL, "zh", WHY("title: 简报"));
    /* A software licence is `other`; a development contract is a service
     * contract of no security category (the extractor leaves the category
     * unset, so it counts for nothing). */
    expect_kind("=软件许可协议\n许可方：某软件公司\n被许可方：青云网安\n许可费用：5万元", "other", NULL, NULL,
                "zh", WHY("title: 软件许可协议"));
    expect_kind("=Software License Agreement\nLicensor: Example Software Inc.\nLicensee: Qingyun Security Ltd.",
                "other", NULL, NULL, "en", WHY("title: software license agreement"));
    expect_kind("=OA办公系统软件开发合同\n甲方：某贸易公司\n乙方：某软件公司\n服务内容：开发OA审批功能\n"
                "合同金额：30万元",
                "service-contract", NULL, NULL, "zh", WHY("title: 合同+开发"));
    expect_kind("=劳动合同书\n甲方（用人单位）：青云网安\n乙方（劳动者）：王芳\n合同期限：三年", "other", NULL,
                NULL, "zh", WHY("title: 劳动合同"));
    expect_kind("ICS 35.030\nL 80\n中华人民共和国国家标准\nGB/T 20984—2022\n信息安全技术 信息安全风险评估方法\n"
                "#1 范围\n#2 规范性引用文件\n本文件应用于风险评估。", "other", NULL, NULL, "zh",
                WHY("title: 中华人民共和国国家标准"));
    expect_kind("=Minutes of Meeting\nAttendees: Party A, Party B\nThe contract price was discussed.",
                "other", NULL, NULL, "en", WHY("title: minutes of meeting"));
    expect_kind("=Minutes of the Project Kick-off Meeting\nParty A and Party B agreed the scope of services.",
                "other", NULL, NULL, "en", WHY("title: Minutes of …"));
    expect_kind("=Purchase Order\nItems: office chairs x 20\nTotal amount: USD 4,000", "other", NULL,
                NULL, "en", WHY("title: purchase order"));
    expect_kind("=Employment Contract\nEmployer: Qingyun Security Ltd.\nEmployee: Wang Fang", "other", NULL,
                NULL, "en", WHY("title: employment contract"));
    expect_kind("=Newsletter — Spring 2026\nWe signed five security service agreements this quarter.",
                "other", NULL, NULL, "en", WHY("title: newsletter"));
    /* A network security audit deliverable is no financial audit report. */
    expect_kind("=网络安全审计报告\n审计发现：防火墙日志未保存六个月。", "other", NULL, NULL, "zh",
                WHY("negative: 安全审计 (not audit-report)"));
    /* An equipment lease is no office lease. */
    expect_kind("=服务器租赁合同\n甲方：青云网安\n乙方：某数据中心\n租金：每月1万元", "other", NULL, NULL,
                "zh", WHY("negative: 服务器租赁 (not lease-contract)"));
}

/* ---- undecided, ties, weak-only, image-only ------------------------------ */

static void test_undecided_and_ties(void **state)
{
    (void)state;
    doc *d = mkdoc("附件二\n甲方：某公司\n乙方：某安全公司\n合同编号：HT-1\n验收结论：合格");
    classify_result r;
    classify_doc(cat, d, NULL, &r);
    if (strcmp(r.kind, "other") != 0 || !has_reason_prefix(&r, "tied: acceptance-report and service-contract"))
        dump("tie", &r), fail();
    classify_result_free(&r);
    doc_free(d);

    d = mkdoc("附件\n请见下页。");
    classify_doc(cat, d, NULL, &r);
    assert_string_equal(r.kind, "other");
    assert_true(has_reason_prefix(&r, "undecided"));
    classify_result_free(&r);
    doc_free(d);

    /* Two medium cues of a kind decide without a title. */
    expect_kind("附件一\n出租方：某置业\n承租方：青云网安\n租赁期限：两年", "lease-contract", NULL, NULL, "zh",
                WHY("body: 出租方+承租方", "body: 租赁期限"));

    /* One medium cue and a stale metadata title are not enough... */
    d = mkdoc("附件\n双方应履行保密义务。");
    d->meta.title = ev_strdup("保密协议");
    classify_doc(cat, d, NULL, &r);
    assert_string_equal(r.kind, "other");
    classify_result_free(&r);
    doc_free(d);
    /* ...one medium with two weak cues are. */
    d = mkdoc("附件\n双方应履行保密义务，离职后仍须遵守，否则支付违约金。");
    d->meta.title = ev_strdup("保密协议");
    classify_doc(cat, d, NULL, &r);
    if (strcmp(r.kind, "confidentiality-agreement") != 0 || !has_why(&r, "metadata: 保密协议"))
        dump("weak", &r), fail();
    classify_result_free(&r);
    doc_free(d);
}

static void test_image_only(void **state)
{
    (void)state;
    doc *d = mkdoc("");
    classify_result r;
    classify_doc(cat, d, "/srv/evidence/资质/营业执照扫描件.docx", &r);
    assert_string_equal(r.kind, "business-license");
    assert_string_equal(r.language, "zh");
    assert_true(has_why(&r, "file: 营业执照"));
    assert_true(has_reason_prefix(&r, "image only: needs review"));
    classify_result_free(&r);

    d->meta.title = ev_strdup("CISP Certificate");
    classify_doc(cat, d, "scan_0001.docx", &r);
    assert_string_equal(r.kind, "certificate");
    assert_string_equal(r.language, "en");
    assert_true(has_why(&r, "metadata: CISP"));
    assert_string_equal(r.title, "CISP Certificate");
    classify_result_free(&r);

    free(d->meta.title);
    d->meta.title = NULL;
    doc_free(d);
    /* A header with the company name over a scanned body is still image only. */
    d = mkdoc("^青云网安技术有限公司\n\xe2\x80\x8b");
    classify_doc(cat, d, "不动产权证书.docx", &r);
    assert_string_equal(r.kind, "certificate");
    assert_string_equal(r.subtype, "property");
    assert_true(has_reason_prefix(&r, "image only: needs review"));
    classify_result_free(&r);
    classify_doc(cat, d, "scan_0002.docx", &r);
    assert_string_equal(r.kind, "other");
    assert_true(has_reason_prefix(&r, "image only: needs review"));
    classify_result_free(&r);
    doc_free(d);
}

static void test_title_and_fullwidth(void **state)
{
    (void)state;
    /* Full-width Latin is the same after NFKC; a title letter-spaced to
     * fill the line reads as written together. */
    expect_kind("=ＮＯＮ－ＤＩＳＣＬＯＳＵＲＥ ＡＧＲＥＥＭＥＮＴ\nThe Recipient shall keep Confidential Information secret.",
                "confidentiality-agreement", NULL, NULL, "en", NULL);
    doc *d = mkdoc("保  密  协  议\n甲方：青云网安");
    classify_result r;
    classify_doc(cat, d, NULL, &r);
    assert_string_equal(r.kind, "confidentiality-agreement");
    assert_string_equal(r.title, "保密协议");
    assert_true(has_why(&r, "title: 保密协议"));
    classify_result_free(&r);
    doc_free(d);
    /* words of another script keep their spaces */
    d = mkdoc("=Service Agreement 服务 协议\nParty A: Client\nParty B: Provider");
    classify_doc(cat, d, NULL, &r);
    assert_string_equal(r.title, "Service Agreement 服务协议");
    classify_result_free(&r);
    doc_free(d);
}

/* A compliance officer adds a title to the data; nothing is rebuilt. */
static void test_catalog_edit_adds_a_synonym(void **state)
{
    (void)state;
    const char *lines = "=信息保密约定书\n甲方：青云网安\n乙方：王芳";
    doc *d = mkdoc(lines);
    classify_result r;
    classify_doc(cat, d, NULL, &r);
    assert_string_equal(r.kind, "other");
    classify_result_free(&r);

    FILE *in = fopen(CATALOG, "rb");
    assert_non_null(in);
    ev_buf xml = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        ev_buf_append(&xml, chunk, n);
    fclose(in);
    const char *anchor = "<cue lang=\"zh\">保密协议书</cue>";
    char *at = strstr(xml.data, anchor);
    assert_non_null(at);
    char path[] = "/tmp/evidenced-catalog-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "wb");
    assert_non_null(out);
    fwrite(xml.data, 1, (size_t)(at - xml.data), out);
    fputs("<cue lang=\"zh\">保密约定书</cue>", out);
    fputs(at, out);
    assert_int_equal(fclose(out), 0);
    ev_buf_free(&xml);

    catalog *edited = NULL;
    ev_error err;
    ev_error_clear(&err);
    ev_code rc = catalog_load(path, &edited, &err);
    unlink(path);
    if (rc != EV_OK)
        fail_msg("%s", err.message);
    classify_doc(edited, d, NULL, &r);
    assert_string_equal(r.kind, "confidentiality-agreement");
    assert_true(has_why(&r, "title: 保密约定书"));
    classify_result_free(&r);
    catalog_free(edited);
    doc_free(d);
}

/* A Title-style heading that holds the company name does not hide the title. */
static void test_title_style_company_name(void **state)
{
    (void)state;
    expect_kind("=青云网安技术有限公司\n项目风险登记表\n|风险描述|可能性|影响", "risk-record", NULL, NULL,
                "zh", WHY("title: 风险登记表"));
}

/* Invalid UTF-8, control bytes and text beyond the read limit are harmless. */
static void test_hostile_text(void **state)
{
    (void)state;
    doc *d = mkdoc("=\xff\xfe\xc0\x80 \xed\xa0\x80 保密协议\x01\x7f\n\xe4\xb8");
    classify_result r;
    classify_doc(cat, d, "\xff.docx", &r);
    assert_string_equal(r.kind, "confidentiality-agreement");
    classify_result_free(&r);
    doc_free(d);

    d = mkdoc("=技术服务合同");
    static char big[300 * 1024];
    for (size_t i = 0; i + 6 <= sizeof big - 1; i += 6)
        memcpy(big + i, "\xe7\x94\xb2\xe6\x96\xb9", 6);     /* 甲方 */
    add_block(d, DOC_BLOCK_PARAGRAPH, DOC_PART_BODY, 0, 0, 0, 0, big, strlen(big));
    add_block(d, DOC_BLOCK_PARAGRAPH, DOC_PART_BODY, 0, 0, 0, 0, "乙方", strlen("乙方"));
    classify_doc(cat, d, NULL, &r);
    /* The title still decides; the block past the limit is not read. */
    assert_string_equal(r.kind, "service-contract");
    assert_false(has_why(&r, "body: 甲方+乙方"));
    classify_result_free(&r);
    doc_free(d);
}

/* ---- threads ----------------------------------------------------------------- */

static const char *const thread_docs[] = {
    "=信息安全风险评估技术服务合同\n甲方：华东电力\n乙方：青云网安",
    "=员工保密协议\n员工：王芳\n身份证号：310101199001011234",
    "=Document Control Procedure\n1. Purpose",
    "附件二\n甲方：某公司\n乙方：某安全公司\n合同编号：HT-1\n验收结论：合格",
};

static void *classify_many(void *arg)
{
    int *failures = arg;
    const char *want[] = {"service-contract", "confidentiality-agreement", "procedure", "other"};
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < EV_ARRAY_LEN(thread_docs); i++) {
            doc *d = mkdoc(thread_docs[i]);
            classify_result r;
            classify_doc(cat, d, NULL, &r);
            if (strcmp(r.kind, want[i]) != 0)
                (*failures)++;
            classify_result_free(&r);
            doc_free(d);
        }
    }
    return NULL;
}

static void test_threads_share_the_catalog(void **state)
{
    (void)state;
    pthread_t t[4];
    int failures[4] = {0};
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, classify_many, &failures[i]), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(failures[i], 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_contract),
        cmocka_unit_test(test_title_in_a_lone_cell),
        cmocka_unit_test(test_acceptance_report),
        cmocka_unit_test(test_confidentiality_agreement),
        cmocka_unit_test(test_lease_contract),
        cmocka_unit_test(test_procedure),
        cmocka_unit_test(test_procedure_topic_by_vote),
        cmocka_unit_test(test_training_plan_and_record),
        cmocka_unit_test(test_risk_record),
        cmocka_unit_test(test_contract_template),
        cmocka_unit_test(test_service_process_and_standard),
        cmocka_unit_test(test_license_credit_audit),
        cmocka_unit_test(test_resume_and_certificate),
        cmocka_unit_test(test_subtypes),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_distractors),
        cmocka_unit_test(test_undecided_and_ties),
        cmocka_unit_test(test_image_only),
        cmocka_unit_test(test_title_and_fullwidth),
        cmocka_unit_test(test_catalog_edit_adds_a_synonym),
        cmocka_unit_test(test_title_style_company_name),
        cmocka_unit_test(test_hostile_text),
        cmocka_unit_test(test_threads_share_the_catalog),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
