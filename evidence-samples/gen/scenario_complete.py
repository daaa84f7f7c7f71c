"""complete/: 青云网安技术有限公司, security-operations + risk-assessment.

Every applicable requirement is met as of 2026-11-26; the folder also holds a
superseded procedure and distractors that must not count.
"""
from . import spell
from . import zh_docs as z

AS_OF = "2026-11-26"
CATEGORIES = ["security-operations", "risk-assessment"]

ORG = {
    "name": "青云网安技术有限公司", "short": "青云网安",
    "credit_code": spell.credit_code("91310115MA1H7QYW3"),
    "legal_rep": "张伟", "address": "上海市浦东新区张江路88号3幢501室",
    "registrar": "上海市浦东新区市场监督管理局", "clerk": "陈静", "reviewer": "刘洋",
    "sales": "孙磊", "pm": "王芳", "client_address": "上海市徐汇区漕溪北路200号",
}

SO, RA = "security-operations", "risk-assessment"
SO_PROJECT = "华东电力信息系统安全运维服务项目"
RA_PROJECT = "江州市政务云平台信息安全风险评估项目"
OLD_PROJECT = "浦江数据中心安全运维服务项目"


def documents():
    o = ORG
    docs = [
        z.business_license("01-营业执照", "python-docx", o, "2019-06-18", None, "2024-05-10"),
        z.credit_report("02-企业信用报告", "lo-odt", o, "2026-10-15", "XY-20261015-0032"),
        z.procedure("03-财务管理制度", "python-docx", o, "finance", "财务管理制度",
                    "QY-GL-008", "V1.0", "2025-03-01"),
        z.lease("04-办公用房租赁合同", "lo-odt", o, "ZL-2024-117", "上海浦江置业有限公司",
                "上海市浦东新区张江路88号3幢501室", 320.5, "2025-01-01", "2027-12-31",
                1153800, "upper+yen", "2024-12-10"),
        z.resume("05-简历-张伟", "python-docx", o, "张伟", "男", "总经理", "1982.04", [
            ("2010-07-01", "2014-06-01", "上海华信网络科技有限公司", "网络工程师"),
            ("2014-07-01", "2019-05-01", "上海华信网络科技有限公司", "技术部经理"),
            ("2019-06-01", None, "青云网安技术有限公司", "总经理")],
            ("同济大学", "计算机科学与技术", "硕士"), "021-58886601"),
        z.resume("06-简历-李强", "lo-docx", o, "李强", "男", "技术负责人", "1986.11", [
            ("2011-07-01", "2016-12-01", "北京启明信安科技有限公司", "安全工程师"),
            ("2017-01-01", "2020-02-01", "北京启明信安科技有限公司", "安全服务部总监"),
            ("2020-03-01", None, "青云网安技术有限公司", "技术负责人")],
            ("上海交通大学", "信息安全", "本科"), "021-58886602",
            certs="CISAW（安全运维）CISAW-OM-2024-013562"),
        z.resume("07-简历-王芳", "lo-html-odt", o, "王芳", "女", "项目经理", "1990.03", [
            ("2013-07-01", "2018-08-01", "上海数安信息技术有限公司", "安全工程师"),
            ("2018-09-01", "2021-07-01", "上海数安信息技术有限公司", "项目经理"),
            ("2021-08-01", None, "青云网安技术有限公司", "项目经理")],
            ("华东理工大学", "软件工程", "本科"), "021-58886603"),
        z.certificate("08-证书-李强-CISAW安全运维", "python-docx", o, "李强",
                      "信息安全保障人员认证证书（安全运维）", "CISAW-OM-2024-013562", SO,
                      "2024-03-20", "2027-03-19", direction="安全运维"),
        z.certificate("09-证书-王芳-CISAW风险评估", "lo-odt", o, "王芳",
                      "信息安全保障人员认证证书（风险评估）", "CISAW-RA-2025-021877", RA,
                      "2025-07-08", "2028-07-07", direction="风险评估", date_style="dot"),
        z.certificate("10-证书-赵磊-CISP", "pandoc-docx", o, "赵磊", "注册信息安全专业人员（CISP）",
                      "CNITSEC2023CISE04567", None, "2023-11-02", "2026-12-01",
                      issuer="中国信息安全测评中心", date_style="slash",
                      title="注册信息安全专业人员证书"),
        z.service_contract("11-合同-HT-2025-006-安全运维", "python-docx", o, "HT-2025-006",
                           OLD_PROJECT, SO, "上海浦江数据服务有限公司", "2025-05-20",
                           "2025-06-01", "2025-08-31", 380000, "yuan", date_style="zh0",
                           labelled_signed=False, sign_dates=("2025-05-18", "2025-05-20")),
        z.acceptance_report("12-验收报告-HT-2025-006", "lo-odt", o, "YS-2025-006", "HT-2025-006",
                            OLD_PROJECT, SO, "上海浦江数据服务有限公司", "2025-08-30"),
        z.service_contract("13-合同-HT-2026-018-安全运维", "python-docx", o, "HT-2026-018",
                           SO_PROJECT, SO, "华东电力信息有限公司", "2026-03-05",
                           "2026-04-01", "2026-09-30", 1200000, "upper+yen",
                           sign_dates=("2026-03-05", "2026-03-03")),
        z.acceptance_report("14-验收报告-HT-2026-018", "lo-docx", o, "YS-2026-018", "HT-2026-018",
                            SO_PROJECT, SO, "华东电力信息有限公司", "2026-10-12",
                            date_style="fw", layout="below"),
        z.service_contract("15-合同-HT-2026-031-风险评估", "lo-odt", o, "HT-2026-031",
                           RA_PROJECT, RA, "江州市大数据管理中心", "2026-06-18",
                           "2026-07-01", "2026-09-15", 1200000, "wan", date_style="dot",
                           table_style="below", title="信息安全风险评估服务合同"),
        z.acceptance_report("16-验收报告-HT-2026-031", "python-docx", o, "YS-2026-031",
                            "HT-2026-031", RA_PROJECT, RA, "江州市大数据管理中心", "2026-09-28",
                            date_style="zhnum", title="项目验收单"),
        z.procedure("17-人员管理程序", "python-docx", o, "personnel", "人员管理程序",
                    "QY-GL-001", "V1.1", "2025-03-01"),
        z.procedure("18-培训管理程序", "lo-odt", o, "training", "培训管理程序",
                    "QY-GL-002", "V1.0", "2025-03-01"),
        z.procedure("19-文件管理程序", "lo-docx", o, "documents", "文件管理程序",
                    "QY-GL-003", "V2.0", "2025-06-01", date_style="zh0"),
        z.procedure("20-文件管理程序-旧版", "python-docx", o, "documents", "文件管理程序",
                    "QY-GL-003", "V1.0", "2024-01-01"),
        z.procedure("21-项目管理程序", "lo-odt", o, "projects", "项目管理程序",
                    "QY-GL-004", "V1.0", "2025-03-01", date_style="slash"),
        z.procedure("22-保密管理程序", "python-docx", o, "confidentiality", "保密管理程序",
                    "QY-GL-005", "A/1", "2025-03-01", header=False),
        z.procedure("23-供应商管理程序", "lo-odt", o, "suppliers", "供应商管理程序",
                    "QY-GL-006", "V1.0", "2025-03-01", date_style="zhnum"),
        z.procedure("24-合同管理程序", "lo-docx", o, "contracts", "合同管理程序",
                    "QY-GL-007", "V1.0", "2025-03-01", date_style="fw"),
        z.training_plan("25-2026年度员工能力培养计划", "python-docx", o, 2026, [
            ("等级保护2.0技术要求解读", "全体技术人员", 3, 4, "李强"),
            ("安全运维巡检技能实操", "运维工程师", 6, 8, "李强"),
            ("风险评估方法与工具（GB/T 20984）", "评估工程师", 5, 8, "王芳"),
            ("项目管理与质量管理", "项目经理", 8, 4, "王芳"),
            ("保密与安全意识教育", "全体员工", 9, 2, "陈静")]),
        z.training_record("26-培训记录-安全运维巡检", "lo-odt", o, "培训记录", "安全运维巡检技能实操",
                          "2026-06-18", "李强", ["王芳", "赵磊", "刘洋"]),
        z.training_record("27-保密教育记录", "python-docx", o, "保密教育记录", "保密与安全意识教育",
                          "2026-09-10", "陈静", ["张伟", "李强", "王芳", "赵磊"],
                          subtype="confidentiality-education", date_style="dot"),
        z.staff_nda("28-员工保密协议-张伟", "python-docx", o, "张伟", "总经理",
                    "310104198204120031", "2019-06-20", date_style="dot"),
        z.staff_nda("29-员工保密协议-李强", "lo-odt", o, "李强", "技术负责人",
                    "110105198611230057", "2020-03-02", date_style="zhnum"),
        z.staff_nda("30-员工保密协议-王芳", "lo-docx", o, "王芳", "项目经理",
                    "310110199003150026", "2021-08-16", date_style="slash"),
        z.staff_nda("31-员工保密协议-赵磊", "pandoc-docx", o, "赵磊", "安全工程师",
                    "320102199207080013", "2023-07-03", date_style="zh0"),
        z.risk_register("32-项目风险登记表-华东电力", "lo-odt", o, SO_PROJECT, "2026-04-15", [
            ("运维窗口与业务高峰冲突", "中", "高", "高", "变更安排在周末窗口", "王芳", "已关闭"),
            ("驻场人员变动", "低", "中", "中", "配置AB角", "李强", "跟踪中"),
            ("客户设备策略资料不全", "中", "中", "中", "首周完成资产梳理", "赵磊", "已关闭")]),
        z.contract_template("33-技术服务合同模板", "python-docx", o, "V3.0"),
        z.service_process("34-安全运维服务流程", "lo-odt", o, SO, [
            ("服务合同", "成立项目组，确定驻场人员", "项目启动会纪要"),
            ("资产清单", "梳理资产和安全设备策略", "运维手册"),
            ("运维手册", "日常巡检、日志分析、事件处置", "巡检报告"),
            ("巡检报告", "客户检查服务记录", "验收报告"),
            ("验收报告", "移交文档和账号", "交付清单")]),
        z.service_process("35-风险评估服务流程", "python-docx", o, RA, [
            ("服务合同", "确定评估范围和评估组", "评估方案"),
            ("评估方案", "资产识别、威胁识别", "资产清单"),
            ("资产清单", "脆弱性评估与风险分析", "风险评估报告初稿"),
            ("报告初稿", "客户评审", "验收报告"),
            ("验收报告", "提交整改建议", "风险评估报告")]),
        z.service_standard("36-安全运维服务规范", "lo-docx", o, SO,
                           ["GB/T 22239-2019 信息安全技术 网络安全等级保护基本要求",
                            "GB/T 28827.1 信息技术服务 运行维护"],
                           ["安全巡检应每月至少进行一次，巡检报告应在五个工作日内提交。",
                            "安全设备策略变更应经客户审批，并记录变更前后的配置基线。",
                            "安全事件应在发现后30分钟内通知客户并启动处置。"]),
        z.service_standard("37-风险评估实施规范", "lo-html-odt", o, RA,
                           ["GB/T 20984-2022 信息安全技术 信息安全风险评估方法",
                            "GB/T 31509 信息安全风险评估实施指南"],
                           ["评估前应与客户确认评估范围和授权书。",
                            "脆弱性评估不应在业务高峰期进行。",
                            "风险计算应采用GB/T 20984规定的方法。"],
                           title="风险评估实施规范"),
        z.other("38-2026年第三季度经营例会会议纪要", "lo-html-odt", o,
                "2026年第三季度经营例会会议纪要", [
                    ("p", "时间：2026年10月9日 地点：公司三楼会议室 主持：张伟"),
                    ("p", "一、市场部通报：第三季度新签安全运维合同两份，风险评估合同一份。"),
                    ("p", "二、综合管理部：第四季度组织保密教育，更新员工花名册。"),
                    ("p", "三、下一步：准备信息安全服务资质认证材料。")],
                "2026-10-09", "meeting minutes mention contracts and training but are no evidence"),
        z.other("39-办公家具采购订单", "python-docx", o, "办公家具采购订单", [
                    ("kv", [("订单编号", "CG-2026-0412"), ("采购方", ORG["name"]),
                            ("供应商", "上海恒美办公家具有限公司"), ("订单日期", "2026年4月12日")]),
                    ("grid", ["品名", "数量", "单价（元）", "金额（元）"],
                     [["办公桌", "12", "1,200.00", "14,400.00"], ["办公椅", "12", "650.00", "7,800.00"],
                      ["文件柜", "4", "1,500.00", "6,000.00"]]),
                    ("p", "合计：¥28,200.00。交货期：2026年4月30日前。")],
                "2026-04-12", "goods-only purchase"),
        z.other("40-青云简讯-2026年第4期", "pandoc-docx", o, "青云简讯 2026年第4期", [
                    ("p", "本期要闻：公司乔迁新址一周年；技术部分享应急演练心得；新员工入职欢迎。"),
                    ("p", "员工风采：王芳获评年度优秀项目经理。")],
                "2026-11-02", "newsletter"),
    ]
    dev = z.service_contract(
        "41-合同-HT-2026-009-OA系统开发", "lo-odt", o, "HT-2026-009", "上海明达物流OA办公系统开发项目",
        None, "上海明达物流有限公司", "2026-02-10", "2026-02-15", "2026-06-30", 260000, "yen",
        scope="乙方为甲方开发办公自动化（OA）系统，包括流程审批、公文流转、考勤统计和移动端应用，"
              "并提供上线培训和一年免费维护。", title="软件开发合同")
    dev.expect["why"] = "a development contract naming no security service category: counts for no category"
    docs.append(dev)
    return docs


REQUIREMENTS = {
    "legal.entity": ("met", "01-营业执照: business licence, term long-term (needs review: history and ownership)"),
    "legal.compliance": ("met", "02-企业信用报告 issued 2026-10-15, within 6 months (needs review: credit standing)"),
    "finance.management": ("met", "03-财务管理制度 QY-GL-008 V1.0 in force since 2025-03-01"),
    "site.office": ("met", "04 lease 2025-01-01..2027-12-31 covers as-of; tenant 青云网安; term 3 years"),
    "staff.head": ("met", "05-简历-张伟, 总经理; management roles since 2014-07 (> 24 months)"),
    "staff.technical-director": ("met", "06-简历-李强 技术负责人 + current certificates 08 (security-operations) and 09 (risk-assessment) for both categories"),
    "staff.engineers": ("met", "certificates 08, 09 and 10 valid on as-of (10 valid until 2026-12-01)"),
    "record.duration": ("met", "security-operations: earliest contract HT-2025-006 signed 2025-05-20 (+4 months 2025-09-20); risk-assessment: HT-2026-031 signed 2026-06-18 (+4 months 2026-10-18)"),
    "record.projects": ("met", "security-operations: HT-2026-018 signed 2026-03-05, accepted 2026-10-12; risk-assessment: HT-2026-031 signed 2026-06-18, accepted 2026-09-28"),
    "mgmt.personnel": ("met", "17-人员管理程序 QY-GL-001 V1.1"),
    "mgmt.training": ("met", "25 training plan 2026 (covers as-of) + records 26 (2026-06-18) and 27 (2026-09-10); 18 training procedure"),
    "mgmt.documents": ("met", "19-文件管理程序 QY-GL-003 V2.0 current; 20 (V1.0) is superseded and does not count"),
    "mgmt.projects": ("met", "21-项目管理程序 QY-GL-004 + risk register 32"),
    "mgmt.confidentiality": ("met", "22-保密管理程序 QY-GL-005 A/1 + staff NDAs 28-31 signed; confidentiality education 27"),
    "mgmt.suppliers": ("met", "security-operations declared: 23-供应商管理程序 QY-GL-006 is current"),
    "mgmt.contracts": ("met", "24-合同管理程序 QY-GL-007 + 33-技术服务合同模板 (保密 and 知识产权 clauses)"),
    "tech.process": ("met", "34 names security-operations, 35 names risk-assessment"),
    "tech.standards": ("met", "36 names security-operations, 37 names risk-assessment"),
}

PER_CATEGORY = {
    "staff.technical-director": {SO: "met", RA: "met"},
    "staff.engineers": {SO: "met", RA: "met"},
    "record.duration": {SO: "met", RA: "met"},
    "record.projects": {SO: "met", RA: "met"},
    "tech.process": {SO: "met", RA: "met"},
    "tech.standards": {SO: "met", RA: "met"},
}

ORG_NAMES = [ORG["name"]]
