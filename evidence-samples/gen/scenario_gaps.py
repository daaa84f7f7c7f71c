"""gaps/: 北辰信安科技有限公司, risk-assessment + security-integration.

Evidence with holes as of 2026-11-26: missing, partial and expired
requirements, and security-integration makes mgmt.suppliers apply with no
supplier procedure.
"""
from . import spell
from . import zh_docs as z

AS_OF = "2026-11-26"
CATEGORIES = ["risk-assessment", "security-integration"]

ORG = {
    "name": "北辰信安科技有限公司", "short": "北辰信安",
    "credit_code": spell.credit_code("91110108MA01XK5R2"),
    "legal_rep": "周建国", "address": "北京市海淀区学院路35号世宁大厦1206室",
    "registrar": "北京市海淀区市场监督管理局", "clerk": "吴敏", "reviewer": "郑浩",
    "sales": "冯涛", "pm": "何静", "client_address": "北京市西城区二龙路27号",
}
ORG_NAMES = [ORG["name"]]

RA, SI = "risk-assessment", "security-integration"
RA_PROJECT = "海淀区教育信息网风险评估项目"
SI_PROJECT = "昌平区政务外网安全集成项目"


def documents():
    o = ORG
    docs = [
        z.business_license("01-营业执照", "lo-odt", o, "2016-04-12", "2036-04-11", "2023-02-08"),
        z.audit_report("02-2025年度财务审计报告", "python-docx", o, 2025, "2026-03-20",
                       "北京中正华会计师事务所（普通合伙）"),
        z.lease("03-房屋租赁合同", "python-docx", o, "ZL-2023-058", "北京世宁物业管理有限公司",
                "北京市海淀区学院路35号世宁大厦1206室", 186, "2023-11-01", "2026-10-31",
                1339200, "yuan", "2023-10-20", date_style="slash"),
        z.resume("04-简历-周建国", "python-docx", o, "周建国", "男", "总经理", "1979.09", [
            ("2008-09-01", "2015-03-01", "北京金盾网络技术有限公司", "项目经理"),
            ("2015-04-01", "2016-03-01", "北京金盾网络技术有限公司", "销售总监"),
            ("2016-04-01", None, "北辰信安科技有限公司", "总经理")],
            ("北京邮电大学", "通信工程", "本科"), "010-62301101"),
        z.resume("05-简历-马骏", "lo-odt", o, "马骏", "男", "技术总监", "1985.02", [
            ("2009-07-01", "2017-05-01", "北京金盾网络技术有限公司", "安全工程师"),
            ("2017-06-01", None, "北辰信安科技有限公司", "技术总监")],
            ("北京理工大学", "计算机应用", "硕士"), "010-62301102"),
        z.certificate("06-证书-马骏-CISAW风险管理", "lo-docx", o, "马骏",
                      "信息安全保障人员认证证书（风险管理）", "CISAW-RM-2023-008214", None,
                      "2023-08-01", "2026-07-31", direction="风险管理"),
        z.certificate("07-证书-何静-CISP", "python-docx", o, "何静", "注册信息安全专业人员（CISP）",
                      "CNITSEC2022CISE11873", None, "2022-12-20", "2025-12-19",
                      issuer="中国信息安全测评中心", title="注册信息安全专业人员证书"),
        z.service_contract("08-合同-HT-BC-2026-011-风险评估", "python-docx", o, "HT-BC-2026-011",
                           RA_PROJECT, RA, "北京市海淀区教育信息中心", "2026-09-15",
                           "2026-09-20", "2026-11-05", 368000, "upper-label",
                           title="风险评估服务合同"),
        z.acceptance_report("09-验收报告-HT-BC-2026-011", "lo-odt", o, "YS-BC-2026-011",
                            "HT-BC-2026-011", RA_PROJECT, RA, "北京市海淀区教育信息中心",
                            "2026-11-10", date_style="dot0"),
        z.service_contract("10-合同-HT-BC-2026-004-安全集成", "lo-docx", o, "HT-BC-2026-004",
                           SI_PROJECT, SI, "北京市昌平区政务服务管理局", "2026-04-08",
                           "2026-04-15", "2026-12-31", 2450000, "yen", date_style="zhnum",
                           title="安全集成项目合同"),
        z.acceptance_report("11-验收报告-HT-BC-2026-004", "python-docx", o, "YS-BC-2026-004",
                            "HT-BC-2026-004", SI_PROJECT, SI, "北京市昌平区政务服务管理局",
                            "2026-12-05"),
        z.procedure("12-人员管理程序", "lo-odt", o, "personnel", "人员管理程序",
                    "BC-QP-01", "V2.0", "2024-06-01"),
        z.training_plan("13-2026年度培训计划", "python-docx", o, 2026, [
            ("风险评估方法（GB/T 20984）", "评估工程师", 4, 8, "马骏"),
            ("安全设备部署与加固", "集成工程师", 7, 8, "马骏"),
            ("信息安全意识", "全体员工", 10, 2, "吴敏")], title="2026年度培训计划"),
        z.procedure("14-文件控制程序-作废", "lo-odt", o, "documents", "文件控制程序",
                    "BC-QP-03", "V1.0", "2023-05-01", status="作废"),
        z.procedure("15-项目管理程序", "python-docx", o, "projects", "项目管理程序",
                    "BC-QP-04", "V1.0", "2027-01-01"),
        z.risk_register("16-项目风险登记表-海淀教育", "lo-odt", o, RA_PROJECT, "2026-09-25", [
            ("评估期间业务系统不可中断", "中", "高", "高", "扫描安排在夜间窗口", "何静", "已关闭"),
            ("客户资产清单不完整", "高", "中", "中", "现场复核资产", "马骏", "已关闭")]),
        z.procedure("17-保密管理程序", "lo-docx", o, "confidentiality", "保密管理程序",
                    "BC-QP-05", "V1.0", "2024-06-01"),
        z.staff_nda("18-员工保密协议-空白", "python-docx", o, None, None, None, None),
        z.contract_template("19-技术服务合同模板", "lo-odt", o, "V1.0"),
        z.service_standard("20-风险评估服务规范", "python-docx", o, RA,
                           ["GB/T 20984-2022 信息安全技术 信息安全风险评估方法"],
                           ["评估应取得客户书面授权。", "风险分析应覆盖资产、威胁和脆弱性。"]),
        z.service_standard("21-安全集成实施规范", "lo-odt", o, SI,
                           ["GB/T 22239-2019 信息安全技术 网络安全等级保护基本要求",
                            "GB/T 25070-2019 信息安全技术 网络安全等级保护安全设计技术要求"],
                           ["安全设备上线前应完成安全基线配置检查。",
                            "集成实施应制定回退方案，不应在业务高峰期割接。"],
                           title="安全集成实施规范"),
        z.other("22-信息安全服务资质认证申请书", "python-docx", o, "信息安全服务资质认证申请书", [
                    ("kv", [("申请单位", ORG["name"]), ("申请级别", "三级"),
                            ("申请类别", "风险评估、安全集成"), ("联系人", "吴敏")]),
                    ("p", "本单位承诺所提交的申请材料真实有效。")],
                "2026-11-01", "the application itself is not evidence"),
        z.other("23-合格供方名录", "lo-odt", o, "合格供方名录", [
                    ("p", "依据《供应商管理程序》评价，以下供应商列入合格供方名录。"),
                    ("grid", ["序号", "供应商名称", "供应内容", "评价结论"],
                     [["1", "北京安达网络设备有限公司", "防火墙", "合格"],
                      ["2", "天津云盾软件有限公司", "日志审计系统", "合格"]])],
                "2026-05-06", "a supplier evaluation record cites a procedure but is not one"),
        z.other("24-海淀区教育信息网信息安全风险评估报告", "lo-docx", o,
                "海淀区教育信息网信息安全风险评估报告", [
                    ("p", "报告编号：PG-2026-011"),
                    ("h", "一、评估概述"),
                    ("p", "受北京市海淀区教育信息中心委托，对教育信息网开展信息安全风险评估。"),
                    ("h", "二、评估结论"),
                    ("p", "共识别高风险3项、中风险7项、低风险12项，整改建议见附件。")],
                "2026-11-03", "a risk-assessment deliverable written for a customer"),
        z.other("25-服务器设备租赁合同", "python-docx", o, "服务器设备租赁合同", [
                    ("p", "合同编号：SB-2026-003"),
                    ("p", "出租方：北京联创设备租赁有限公司"),
                    ("p", f"承租方：{ORG['name']}"),
                    ("p", "租赁设备：机架式服务器4台；租赁期限自2026年1月1日起至2026年12月31日止；"
                          "月租金：人民币3,200.00元。")],
                "2025-12-20", "equipment lease, not premises"),
        z.other("26-项目例会会议纪要", "pandoc-docx", o, "项目例会会议纪要", [
                    ("p", "时间：2026年11月18日"),
                    ("p", "议题：昌平区政务外网安全集成项目验收准备；保密协议补签安排。")],
                "2026-11-18", "meeting minutes"),
    ]
    docs[10].expect["note"] = "completed_on 2026-12-05 is after as-of: does not count yet"
    docs[5].expect["note"] = "CISAW direction 风险管理 is no category cue of the spec: service_category unset"
    return docs


REQUIREMENTS = {
    "legal.entity": ("met", "01-营业执照, term ends 2036-04-11 (after as-of)"),
    "legal.compliance": ("missing", "no credit report or declaration"),
    "finance.management": ("partial", "only the audit report 02; no finance procedure"),
    "site.office": ("expired", "the only lease 03 ended 2026-10-31, before as-of"),
    "staff.head": ("met", "04-简历-周建国, 总经理"),
    "staff.technical-director": ("expired", "resume 05 (技术总监 马骏) exists but every certificate expired (06 on 2026-07-31, 07 on 2025-12-19)"),
    "staff.engineers": ("expired", "all certificates (06, 07) expired before as-of"),
    "record.duration": ("partial", "risk-assessment: only HT-BC-2026-011 signed 2026-09-15, met from 2027-01-15; security-integration: HT-BC-2026-004 signed 2026-04-08 (+4 months 2026-08-08) met"),
    "record.projects": ("partial", "risk-assessment: HT-BC-2026-011 accepted 2026-11-10 met; security-integration: HT-BC-2026-004 signed in the window but its acceptance 11 is dated 2026-12-05, after as-of"),
    "mgmt.personnel": ("met", "12-人员管理程序 BC-QP-01 V2.0"),
    "mgmt.training": ("partial", "training plan 13 but no training record"),
    "mgmt.documents": ("expired", "the only documents procedure 14 (BC-QP-03) is marked 作废"),
    "mgmt.projects": ("partial", "risk register 16 exists; projects procedure 15 is not in force until 2027-01-01"),
    "mgmt.confidentiality": ("partial", "17-保密管理程序 current, but the only agreement 18 is an unsigned blank form"),
    "mgmt.suppliers": ("missing", "security-integration declared; no supplier procedure (23 is a record, not a procedure)"),
    "mgmt.contracts": ("partial", "contract template 19 but no contracts procedure"),
    "tech.process": ("missing", "no service-process document"),
    "tech.standards": ("met", "20 names risk-assessment, 21 names security-integration"),
}

PER_CATEGORY = {
    "staff.technical-director": {RA: "expired", SI: "expired"},
    "staff.engineers": {RA: "expired", SI: "expired"},
    "record.duration": {RA: "partial", SI: "met"},
    "record.projects": {RA: "met", SI: "partial"},
    "tech.process": {RA: "missing", SI: "missing"},
    "tech.standards": {RA: "met", SI: "met"},
}
