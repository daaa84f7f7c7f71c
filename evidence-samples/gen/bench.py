"""Benchmark corpus: N documents written straight into DOCX/ODT zips.

LibreOffice is far too slow for thousands of files, so this mode writes the
packages itself from XML templates in the style of the two producers that
matter: Word (w:rsid run splits, header/footer parts, Table Grid) and
LibreOffice Writer (automatic T/P styles, officeooo:rsid, master-page header
and footer). Half DOCX, half ODT; two thirds Chinese, one third English;
sizes small (1 page), medium (~10 pages with tables) and large (~100 pages,
tables, headers and footers) in a fixed 14:5:1 mix. Every file's content
depends on its index, so no two files are identical, and the same
(count, seed) gives the same corpus. DIR/labels.jsonl holds the expected
kind/topic and key fields of every file.
"""
import json
import os
import random
import time
import zipfile
from multiprocessing import Pool
from xml.sax.saxutils import escape

from . import spell

CATS = ["risk-assessment", "security-integration", "security-operations", "emergency-response",
        "disaster-recovery", "secure-software-development", "security-audit", "ics-security"]
SCOPE = {
    "zh": {
        "risk-assessment": "乙方为甲方提供信息安全风险评估服务，包括资产识别、威胁识别和脆弱性评估。",
        "security-integration": "乙方为甲方提供信息系统安全集成服务，包括安全设备部署和安全加固。",
        "security-operations": "乙方为甲方提供信息系统安全运维服务，包括安全巡检和驻场运维。",
        "emergency-response": "乙方为甲方提供信息安全应急处理服务，包括应急响应和应急演练。",
        "disaster-recovery": "乙方为甲方提供信息系统灾难备份与恢复服务，包括数据备份与恢复方案设计。",
        "secure-software-development": "乙方为甲方提供软件安全开发服务，包括代码审计和安全编码培训。",
        "security-audit": "乙方为甲方提供网络安全审计服务，包括合规审计和审计报告。",
        "ics-security": "乙方为甲方提供工业控制系统安全服务，包括工控安全检查和加固建议。",
    },
    "en": {
        "risk-assessment": "The Provider shall perform an information security risk assessment.",
        "security-integration": "The Provider shall carry out a security integration project and security deployment.",
        "security-operations": "The Provider shall deliver managed security service: security operations and O&M.",
        "emergency-response": "The Provider shall deliver incident response and emergency response drills.",
        "disaster-recovery": "The Provider shall deliver disaster recovery: backup and recovery design.",
        "secure-software-development": "The Provider shall deliver secure development support: code review and secure coding.",
        "security-audit": "The Provider shall perform a network security audit.",
        "ics-security": "The Provider shall deliver ICS security services for the client's plant networks.",
    },
}
CAT_NAME = {"zh": {"risk-assessment": "风险评估", "security-integration": "安全集成",
                   "security-operations": "安全运维", "emergency-response": "应急处理",
                   "disaster-recovery": "灾难备份与恢复", "secure-software-development": "软件安全开发",
                   "security-audit": "网络安全审计", "ics-security": "工业控制系统安全"},
            "en": {"risk-assessment": "Risk Assessment", "security-integration": "Security Integration",
                   "security-operations": "Security Operations", "emergency-response": "Incident Response",
                   "disaster-recovery": "Disaster Recovery",
                   "secure-software-development": "Secure Development", "security-audit": "Security Audit",
                   "ics-security": "ICS Security"}}
TOPICS = {"zh": {"personnel": "人员管理程序", "training": "培训管理程序", "documents": "文件管理程序",
                 "projects": "项目管理程序", "confidentiality": "保密管理程序",
                 "suppliers": "供应商管理程序", "contracts": "合同管理程序", "finance": "财务管理制度"},
          "en": {"personnel": "Personnel Management Procedure", "training": "Training Procedure",
                 "documents": "Document Control Procedure", "projects": "Project Management Procedure",
                 "confidentiality": "Confidentiality Procedure", "suppliers": "Supplier Management Procedure",
                 "contracts": "Contract Management Procedure", "finance": "Financial Management Procedure"}}
ORGS = {"zh": ["青云网安技术有限公司", "北辰信安科技有限公司", "江南数盾信息技术有限公司",
               "华东电力信息有限公司", "江州市大数据管理中心", "西岭云安网络科技有限公司",
               "天衡智安科技股份有限公司", "南湖信息安全服务有限公司"],
        "en": ["Harbourline Cyber Assurance Ltd.", "Eastwind Logistics Co., Ltd.",
               "Northgate Secure Systems Ltd.", "Lakeside Municipal Data Center",
               "Bluepeak Networks Ltd.", "Riverton Power Grid Co., Ltd."]}
PEOPLE = {"zh": ["张伟", "李强", "王芳", "赵磊", "陈静", "刘洋", "周建国", "马骏", "何静", "孙磊"],
          "en": ["Helen Zhou", "David Chen", "Grace Lin", "Tom Wu", "Amy Xu", "Peter Gao", "Kevin Luo"]}
FILLER = {
    "zh": ["本条未尽事宜，按双方此前确认的工作安排执行。", "相关人员应按照分工完成各自的工作内容，并做好书面留存。",
           "各部门应加强沟通协调，确保工作按计划推进。", "对执行中发现的问题，应及时记录并提出改进意见。",
           "本节内容每年复核一次，必要时进行修订。", "工作成果应经负责人确认后方可提交。",
           "会议、沟通和变更情况应形成书面材料。", "涉及多个部门的事项由综合部门牵头协调。"],
    "en": ["Matters not covered here follow the working arrangements already agreed.",
           "Each person completes the tasks assigned and keeps a written note of them.",
           "Departments coordinate so that the work proceeds as planned.",
           "Problems found during the work are recorded and improvements proposed.",
           "This section is reviewed once a year and revised where needed.",
           "Work products are confirmed by the responsible person before submission.",
           "Meetings, communications and changes are put in writing."],
}
KINDS = ["service-contract", "acceptance-report", "confidentiality-agreement", "lease-contract",
         "procedure", "training-plan", "training-record", "risk-record", "contract-template",
         "service-process", "service-standard", "business-license", "credit-report",
         "audit-report", "resume", "certificate", "other"]
DATE_STYLES = {"zh": ["zh", "zh0", "dot", "slash", "zhnum", "fw", "iso"],
               "en": ["en", "enord", "us", "enshort", "iso"]}
AMOUNT_STYLES = {"zh": ["yen", "upper+yen", "yuan", "wan", "fwyen"],
                 "en": ["rmb", "cny", "rmb-million"]}


def _date(rng, lo=2023, hi=2026):
    return f"{rng.randint(lo, hi):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _amount(rng, lang):
    style = rng.choice(AMOUNT_STYLES[lang])
    if style in ("wan", "rmb-million"):
        value = rng.randint(2, 250) * 10000 if style == "wan" else rng.randint(1, 40) * 100000
    else:
        value = rng.randint(10000, 3000000) + rng.choice([0, 0, 0.5, 0.28])
    return spell.amount(value, style), spell.amount_value(value)


class Builder:
    """Blocks of one document: (kind, payload) as in model.py, plain strings."""

    def __init__(self, lang, rng, index):
        self.lang, self.rng, self.index = lang, rng, index
        self.blocks, self.header, self.footer = [], [], []
        self.fields = {}

    def ds(self):
        return self.rng.choice(DATE_STYLES[self.lang])

    def add(self, *block):
        self.blocks.append(block)

    def label(self, zh, en):
        return zh if self.lang == "zh" else en

    def filler(self, paragraphs, tables, rows):
        rng, lang = self.rng, self.lang
        for i in range(paragraphs):
            if i % 12 == 0:
                self.add("h", self.label(f"第{i // 12 + 1}部分 补充说明", f"Part {i // 12 + 1}: supplementary notes"))
            sentences = [rng.choice(FILLER[lang]) for _ in range(rng.randint(3, 6))]
            self.add("p", ("" if lang == "zh" else " ").join(sentences) +
                     self.label(f"（第{self.index}号文件，第{i + 1}段）", f" (file {self.index}, para {i + 1})"))
        head = self.label(["序号", "事项", "说明", "备注"], ["No.", "Item", "Description", "Note"])
        for t in range(tables):
            body = [[str(r + 1), self.label(f"事项{t + 1}-{r + 1}", f"Item {t + 1}-{r + 1}"),
                     rng.choice(FILLER[lang]), str(rng.randint(1, 999))] for r in range(rows)]
            self.add("grid", head, body)


def _contract(b, rng, lang):
    cat = rng.choice(CATS)
    number = f"HT-{rng.randint(2023, 2026)}-{b.index:05d}"
    a, p = rng.sample(ORGS[lang], 2)
    signed = _date(rng)
    start = spell.add_months(signed, 1)
    end = spell.add_months(start, rng.choice([3, 6, 12])) 
    ds = b.ds()
    text, amt = _amount(rng, lang)
    project = b.label(f"{a[:4]}{CAT_NAME['zh'][cat]}项目{b.index}", f"{CAT_NAME['en'][cat]} project {b.index}")
    title = b.label("技术服务合同", f"{CAT_NAME['en'][cat]} Services Agreement")
    b.add("title", title)
    b.add("kv", [(b.label("合同编号", "Contract No."), number), (b.label("项目名称", "Project"), project)])
    b.add("p", b.label(f"甲方：{a}", f"Party A: {a}"))
    b.add("p", b.label(f"乙方：{p}", f"Party B: {p}"))
    b.add("p", [(b.label("签订", "Date of "), "b"), (b.label("日期", "signing"), "i"),
                (b.label("：", ": ") + spell.date(signed, ds), "")])
    b.add("h", b.label("一、服务内容", "1. Scope of Services"))
    b.add("p", SCOPE[lang][cat])
    b.add("h", b.label("二、服务期限", "2. Term"))
    b.add("p", b.label(f"服务期限自{spell.date(start, ds)}起至{spell.date(end, ds)}止。",
                       f"Term: from {spell.date(start, ds)} to {spell.date(end, ds)}."))
    b.add("p", b.label(f"合同金额：{text}", f"Contract price: {text}"))
    b.fields.update(title=title, doc_number=number, party_a=a, party_b=p, signed_on=signed,
                    start_on=start, end_on=end, amount=amt, service_category=cat, project_name=project)
    return "service-contract", None


def _acceptance(b, rng, lang):
    cat = rng.choice(CATS)
    ref = f"HT-{rng.randint(2023, 2026)}-{b.index:05d}"
    done = _date(rng)
    project = b.label(f"{CAT_NAME['zh'][cat]}服务项目{b.index}", f"{CAT_NAME['en'][cat]} project {b.index}")
    title = b.label("项目验收报告", "Acceptance Report")
    b.add("title", title)
    b.add("kv", [(b.label("项目名称", "Project"), project), (b.label("合同编号", "Contract No."), ref),
                 (b.label("验收日期", "Date of acceptance"), spell.date(done, b.ds())),
                 (b.label("验收结论", "Conclusion"), b.label("验收合格，同意验收", "accepted"))])
    b.fields.update(title=title, contract_ref=ref, completed_on=done, acceptance_result="pass",
                    project_name=project, service_category=cat)
    return "acceptance-report", None


def _nda(b, rng, lang):
    org, person = rng.choice(ORGS[lang]), rng.choice(PEOPLE[lang])
    signed = _date(rng)
    title = b.label("员工保密协议", "Confidentiality Agreement")
    b.add("title", title)
    b.add("p", b.label(f"甲方（用人单位）：{org}", f"Employer: {org}"))
    b.add("p", b.label(f"乙方（员工）：{person}", f"Employee: {person}"))
    b.add("p", b.label("乙方对甲方的商业秘密和客户信息负有保密义务，保密期限为在职期间及离职后三年。",
                       "The Employee keeps the Employer's confidential information secret during "
                       "employment and for three years after it."))
    when = b.label("日期：", "Date: ") + spell.date(signed, b.ds())
    b.add("sign", [b.label("甲方（盖章）：", "For the Employer: ") + org, when],
          [b.label("乙方（签字）：", "Employee: ") + person, when])
    b.fields.update(title=title, party_a=org, employee=person, signed_on=signed)
    return "confidentiality-agreement", None


def _lease(b, rng, lang):
    landlord, tenant = rng.sample(ORGS[lang], 2)
    start = _date(rng, 2022, 2026)
    end = spell.add_months(start, rng.choice([12, 24, 36])) 
    area = rng.randint(80, 900) + rng.choice([0, 0.5])
    text, amt = _amount(rng, lang)
    address = b.label(f"上海市浦东新区张江路{b.index}号", f"No. {b.index} Century Avenue, Shanghai")
    ds = b.ds()
    title = b.label("房屋租赁合同", "Office Lease Agreement")
    b.add("title", title)
    b.add("p", b.label(f"出租方（甲方）：{landlord}", f"Landlord: {landlord}"))
    b.add("p", b.label(f"承租方（乙方）：{tenant}", f"Tenant: {tenant}"))
    b.add("kv", [(b.label("房屋坐落", "Premises"), address),
                 (b.label("建筑面积", "Floor area"), f"{area:g}" + b.label("平方米", " m²"))])
    b.add("p", b.label(f"租赁期限自{spell.date(start, ds)}起至{spell.date(end, ds)}止。",
                       f"Term: from {spell.date(start, ds)} to {spell.date(end, ds)}."))
    b.add("p", b.label(f"租金：{text}", f"Rent: {text}"))
    b.fields.update(title=title, party_a=landlord, party_b=tenant, start_on=start, end_on=end,
                    address=address, area_sqm=area, amount=amt)
    return "lease-contract", None


def _procedure(b, rng, lang):
    topic = rng.choice(sorted(TOPICS[lang]))
    title = TOPICS[lang][topic]
    number = f"QP-{b.index:05d}"
    version = rng.choice(["V1.0", "V2.1", "A/0", "B/1", "Rev. 3"])
    eff = _date(rng)
    approver = rng.choice(PEOPLE[lang])
    control = [(b.label("文件编号", "Document No."), number, b.label("版本", "Revision"), version),
               (b.label("生效日期", "Effective date"), spell.date(eff, b.ds()),
                b.label("批准", "Approved by"), approver)]
    b.header.append(("kv4", control))
    b.add("title", title)
    for zh, en in (("1 目的", "1 Purpose"), ("2 适用范围", "2 Scope"), ("3 职责", "3 Responsibilities"),
                   ("4 工作程序", "4 Procedure")):
        b.add("h", b.label(zh, en))
        b.add("p", rng.choice(FILLER[lang]))
    b.fields.update(title=title, doc_number=number, version=version, effective_on=eff,
                    approved_by=approver)
    return "procedure", topic


def _training_plan(b, rng, lang):
    year = rng.randint(2023, 2027)
    title = b.label(f"{year}年度培训计划", f"Training Plan {year}")
    b.add("title", title)
    b.add("grid", b.label(["培训内容", "培训对象", "计划时间", "课时", "负责人"],
                          ["Training content", "Audience", "Planned month", "Hours", "Owner"]),
          [[rng.choice(FILLER[lang])[:12], b.label("全体员工", "All staff"),
            spell.month(f"{year}-{m:02d}-01", "zh" if lang == "zh" else "en"), "4",
            rng.choice(PEOPLE[lang])] for m in (3, 6, 9, 11)])
    b.fields.update(title=title, period_start=f"{year}-01-01", period_end=f"{year}-12-31")
    return "training-plan", None


def _training_record(b, rng, lang):
    held = _date(rng)
    people = rng.sample(PEOPLE[lang], 3)
    title = b.label("培训记录", "Training Record")
    b.add("title", title)
    b.add("kv", [(b.label("培训日期", "Date"), spell.date(held, b.ds())),
                 (b.label("参加人员", "Attendees"), b.label("、", ", ").join(people)),
                 (b.label("讲师", "Trainer"), rng.choice(PEOPLE[lang]))])
    b.fields.update(title=title, held_on=held, attendees=people)
    return "training-record", None


def _risk(b, rng, lang):
    project = b.label(f"安全服务项目{b.index}", f"Security service project {b.index}")
    title = b.label("项目风险登记表", "Project Risk Register")
    b.add("title", title)
    b.add("kv", [(b.label("项目名称", "Project"), project)])
    b.add("grid", b.label(["风险描述", "可能性", "影响", "风险等级", "应对措施", "责任人", "状态"],
                          ["Risk description", "Likelihood", "Impact", "Risk level", "Response", "Owner",
                           "Status"]),
          [[rng.choice(FILLER[lang])[:14], "M", "H", "H", rng.choice(FILLER[lang])[:10],
            rng.choice(PEOPLE[lang]), "open"] for _ in range(4)])
    b.fields.update(title=title, project_name=project)
    return "risk-record", None


def _template(b, rng, lang):
    version = f"V{rng.randint(1, 5)}.{rng.randint(0, 9)}"
    title = b.label("技术服务合同模板", "Services Contract Template")
    b.add("title", title)
    b.add("p", b.label(f"版本：{version}", f"Version: {version}"))
    b.add("p", b.label("甲方：____________  乙方：____________", "Party A: [Client Name]  Party B: ________"))
    b.add("p", b.label("签订日期：____年__月__日；合同金额：【      】", "Date of signing: ________; Contract price: [amount]"))
    b.add("p", b.label("保密：乙方对甲方信息保密。知识产权：按附件约定。",
                       "Confidentiality and intellectual property: see annex."))
    b.fields.update(title=title, version=version, party_a=None, signed_on=None)
    return "contract-template", None


def _process(b, rng, lang, standard=False):
    cat = rng.choice(CATS)
    name = CAT_NAME[lang][cat]
    if standard:
        title = b.label(f"{name}服务规范", f"{name} Service Specification")
        b.add("title", title)
        b.add("p", b.label("规范性引用文件：GB/T 22239-2019。", "Normative references: GB/T 22239-2019."))
        b.add("p", b.label("服务实施应符合本规范的检查项要求。", "Work shall meet the checks of this specification."))
    else:
        title = b.label(f"{name}服务流程", f"{name} Service Process")
        b.add("title", title)
        b.add("grid", b.label(["阶段", "输入", "活动", "输出"], ["Step", "Input", "Activity", "Output"]),
              [[s, "-", rng.choice(FILLER[lang])[:12], "-"] for s in
               b.label(["启动", "准备", "实施", "验收", "交付"],
                       ["Initiation", "Preparation", "Implementation", "Acceptance", "Delivery"])])
    b.fields.update(title=title, service_category=cat)
    return ("service-standard" if standard else "service-process"), None


def _license(b, rng, lang):
    org = rng.choice(ORGS[lang])
    # GB 32100 layout: registration authority and type (91), a six-digit
    # division code, the nine-character organisation code, the check character.
    body = "91" + f"{rng.randint(110000, 650000):06d}" + \
        "".join(rng.choice(spell.CREDIT_CHARS) for _ in range(9))
    code = spell.credit_code(body)
    rep = rng.choice(PEOPLE[lang])
    est = _date(rng, 2005, 2022)
    title = b.label("营业执照", "Business License")
    b.add("title", title)
    b.add("kv", [(b.label("统一社会信用代码", "Unified Social Credit Code"), code),
                 (b.label("名称", "Name"), org), (b.label("法定代表人", "Legal representative"), rep),
                 (b.label("成立日期", "Date of establishment"), spell.date(est, b.ds())),
                 (b.label("营业期限", "Business term"), b.label("长期", "long-term"))])
    b.fields.update(title=title, org_name=org, credit_code=code, legal_representative=rep,
                    established_on=est, end_on=None)
    return "business-license", None


def _credit(b, rng, lang):
    org = rng.choice(ORGS[lang])
    issued = _date(rng)
    title = b.label("企业信用报告", "Credit Report")
    b.add("title", title)
    b.add("kv", [(b.label("企业名称", "Company name"), org),
                 (b.label("报告日期", "Report date"), spell.date(issued, b.ds()))])
    b.add("p", b.label("信用中国：无行政处罚，未列入失信被执行人名单。",
                       "Credit China: no administrative penalty; not a dishonest person subject to enforcement."))
    b.fields.update(title=title, org_name=org, issued_on=issued)
    return "credit-report", None


def _audit(b, rng, lang):
    year = rng.randint(2021, 2025)
    issued = f"{year + 1}-0{rng.randint(3, 5)}-{rng.randint(10, 28)}"
    title = b.label(f"{year}年度审计报告", "Independent Auditor's Report")
    b.add("title", title)
    b.add("p", b.label("我们审计了后附的财务报表，包括资产负债表、利润表和现金流量表。会计师事务所：中正华。",
                       "We audited the balance sheet, income statement and cash flow statement."))
    b.add("p", b.label("报告日期：", "Report date: ") + spell.date(issued, b.ds()))
    b.fields.update(title=title, issued_on=issued)
    return "audit-report", None


def _resume(b, rng, lang):
    person = rng.choice(PEOPLE[lang])
    role = rng.choice(b.label(["总经理", "技术负责人", "项目经理", "安全工程师"],
                              ["Managing Director", "Technical Director", "Project Manager", "Engineer"]))
    title = b.label("个人简历", "Curriculum Vitae")
    b.add("title", title)
    b.add("kv", [(b.label("姓名", "Name"), person), (b.label("现任职务", "Position"), role)])
    b.add("h", b.label("工作经历", "Work Experience"))
    b.add("grid", b.label(["起止时间", "工作单位", "职务"], ["Period", "Employer", "Role"]),
          [[b.label("2015.07—至今", "July 2015 - present"), rng.choice(ORGS[lang]), role]])
    b.add("h", b.label("教育背景", "Education"))
    b.add("p", b.label("本科 计算机科学", "BSc Computer Science"))
    b.fields.update(title=title, person_name=person, person_role=role)
    return "resume", None


def _certificate(b, rng, lang):
    holder = rng.choice(PEOPLE[lang])
    number = f"CISAW-{rng.randint(2019, 2026)}-{b.index:06d}"
    issued = _date(rng, 2019, 2026)
    valid = spell.add_months(issued, 36)
    name = b.label("信息安全保障人员认证证书", "CISAW Information Security Assurance Personnel")
    title = b.label("证书", "Certificate")
    b.add("title", title)
    b.add("kv", [(b.label("持证人", "Holder"), holder), (b.label("证书名称", "Certificate"), name),
                 (b.label("证书编号", "Certificate No."), number),
                 (b.label("发证日期", "Date of issue"), spell.date(issued, b.ds())),
                 (b.label("有效期至", "Valid until"), spell.date(valid, b.ds()))])
    b.fields.update(title=title, holder=holder, cert_name=name, cert_number=number,
                    issued_on=issued, valid_until=valid)
    return "certificate", None


def _other(b, rng, lang):
    title = rng.choice(b.label(["会议纪要", "内部通讯", "办公用品采购订单", "值班表"],
                               ["Meeting Minutes", "Newsletter", "Purchase Order", "Duty Roster"]))
    b.add("title", title)
    b.add("p", rng.choice(FILLER[lang]))
    b.fields.update(title=title)
    return "other", None


MAKERS = {"service-contract": _contract, "acceptance-report": _acceptance,
          "confidentiality-agreement": _nda, "lease-contract": _lease, "procedure": _procedure,
          "training-plan": _training_plan, "training-record": _training_record, "risk-record": _risk,
          "contract-template": _template, "service-process": _process,
          "service-standard": lambda b, r, l: _process(b, r, l, standard=True),
          "business-license": _license, "credit-report": _credit, "audit-report": _audit,
          "resume": _resume, "certificate": _certificate, "other": _other}


def size_of(index):
    slot = index % 20
    return "large" if slot == 0 else "medium" if slot <= 5 else "small"


def build(index, seed):
    rng = random.Random(seed * 1_000_003 + index)
    lang = "en" if index % 3 == 2 else "zh"
    b = Builder(lang, rng, index)
    kind_name = KINDS[(index * 7 + index // len(KINDS)) % len(KINDS)]
    kind, topic = MAKERS[kind_name](b, rng, lang)
    size = size_of(index)
    # Padding goes before the signature block, which stays at the end.
    sign = b.blocks.pop() if b.blocks and b.blocks[-1][0] == "sign" else None
    # Chinese filler fills a page with fewer paragraphs' worth of bytes than
    # English does not: scale so both languages reach the target page count.
    scale = 2.0 if lang == "zh" else 1.0
    if size == "medium":
        b.filler(paragraphs=int(rng.randint(60, 80) * scale), tables=3, rows=12)
    elif size == "large":
        b.filler(paragraphs=int(rng.randint(650, 750) * scale), tables=30, rows=20)
        b.header.insert(0, ("p", b.label(f"内部资料 第{index}号", f"Internal document no. {index}")))
        b.footer.append(("p", b.label("第 1 页", "Page 1")))
    if sign:
        b.blocks.append(sign)
    return b, kind, topic, size


# ----------------------------------------------------------------- DOCX (Word-like)

W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def _runs(value):
    return [(value, "")] if isinstance(value, str) else value


def _w_run(text, fmt, rsid):
    props = "".join(tag for flag, tag in (("b", "<w:b/><w:bCs/>"), ("i", "<w:i/>"),
                                          ("u", '<w:u w:val="single"/>')) if flag in fmt)
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return (f'<w:r w:rsidRPr="{rsid}">{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>')


def _w_par(value, rsid, style=None, center=False):
    ppr = ""
    if style or center:
        ppr = ("<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") +
               ('<w:jc w:val="center"/>' if center else "") + "</w:pPr>")
    return (f'<w:p w:rsidR="{rsid}" w:rsidRDefault="{rsid}">{ppr}' +
            "".join(_w_run(t, f, rsid) for t, f in _runs(value)) + "</w:p>")


def _w_table(rows, rsid, bold_first_col=False, bold_first_row=False):
    ncols = max(len(r) for r in rows)
    out = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
           '<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>' + '<w:gridCol w:w="2000"/>' * ncols + "</w:tblGrid>"]
    for r, row in enumerate(rows):
        out.append(f'<w:tr w:rsidR="{rsid}">')
        for c in range(ncols):
            v = row[c] if c < len(row) and row[c] is not None else ""
            bold = (bold_first_col and c % 2 == 0) or (bold_first_row and r == 0)
            if bold and isinstance(v, str):
                v = [(v, "b")]
            out.append('<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>' + _w_par(v, rsid) + "</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _w_blocks(blocks, rsids):
    out = []
    for n, block in enumerate(blocks):
        rsid = rsids[n % len(rsids)]
        kind = block[0]
        if kind == "title":
            out.append(_w_par(block[1], rsid, style="Title", center=True))
        elif kind == "h":
            out.append(_w_par(block[1], rsid, style="Heading2"))
        elif kind == "p":
            out.append(_w_par(block[1], rsid))
        elif kind in ("kv", "kv4"):
            out.append(_w_table(block[1], rsid, bold_first_col=True))
            out.append(_w_par("", rsid))
        elif kind == "grid":
            out.append(_w_table([block[1]] + block[2], rsid, bold_first_row=True))
            out.append(_w_par("", rsid))
        elif kind == "sign":
            rows = [[block[1][i] if i < len(block[1]) else "", block[2][i] if i < len(block[2]) else ""]
                    for i in range(max(len(block[1]), len(block[2])))]
            out.append(_w_table(rows, rsid))
    return "".join(out)


DOCX_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W_NS}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:eastAsia="SimSun" w:hAnsi="Calibri"/><w:sz w:val="21"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr></w:style>
</w:styles>"""

ZIP_TIME = (2026, 11, 20, 9, 0, 0)


def _writestr(z, name, data, stored=False):
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    z.writestr(info, data if isinstance(data, bytes) else data.encode("utf-8"))


def write_docx(path, b, title, stamp):
    rsids = [f"00{(b.index * 2654435761 + k * 40503) & 0xFFFFFF:06X}" for k in range(4)]
    hdr_ref = ftr_ref = ""
    rels = ['<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>']
    ctypes = ['<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
              '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>',
              '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>',
              '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>']
    parts = {}
    if b.header:
        parts["word/header1.xml"] = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W_NS}>{_w_blocks(b.header, rsids)}</w:hdr>'
        rels.append('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>')
        ctypes.append('<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>')
        hdr_ref = '<w:headerReference w:type="default" r:id="rId2"/>'
    if b.footer:
        parts["word/footer1.xml"] = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W_NS}>{_w_blocks(b.footer, rsids)}</w:ftr>'
        rels.append('<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>')
        ctypes.append('<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>')
        ftr_ref = '<w:footerReference w:type="default" r:id="rId3"/>'
    body = _w_blocks(b.blocks, rsids)
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W_NS}><w:body>{body}'
                f'<w:sectPr w:rsidR="{rsids[0]}">{hdr_ref}{ftr_ref}<w:pgSz w:w="11906" w:h="16838"/>'
                '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851" w:footer="992" w:gutter="0"/>'
                "</w:sectPr></w:body></w:document>")
    with zipfile.ZipFile(path, "w") as z:
        _writestr(z, "[Content_Types].xml",
                  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>' + "".join(ctypes) + "</Types>")
        _writestr(z, "_rels/.rels",
                  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                  '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
                  "</Relationships>")
        _writestr(z, "word/document.xml", document)
        _writestr(z, "word/styles.xml", DOCX_STYLES)
        for name, data in parts.items():
            _writestr(z, name, data)
        _writestr(z, "word/_rels/document.xml.rels",
                  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  + "".join(rels) + "</Relationships>")
        _writestr(z, "docProps/core.xml",
                  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                  f"<dc:title>{escape(title)}</dc:title><dc:creator>bench</dc:creator><cp:revision>{b.index % 9 + 1}</cp:revision>"
                  f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}Z</dcterms:created>'
                  f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}Z</dcterms:modified></cp:coreProperties>')
        _writestr(z, "docProps/app.xml",
                  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                  "<Application>Microsoft Office Word</Application><AppVersion>16.0000</AppVersion></Properties>")


# ----------------------------------------------------------------- ODT (LibreOffice-like)

O_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:officeooo="http://openoffice.org/2009/office" office:version="1.3"')
SPAN = {"b": "T1", "i": "T2", "u": "T3"}


def _o_runs(value):
    out = []
    for text, fmt in _runs(value):
        t = escape(text)
        style = SPAN.get(fmt[:1]) if fmt else None
        out.append(f'<text:span text:style-name="{style}">{t}</text:span>' if style else t)
    return "".join(out)


class _OTables:
    def __init__(self):
        self.n = 0

    def table(self, rows, bold_col=False, bold_row=False):
        self.n += 1
        ncols = max(len(r) for r in rows)
        out = [f'<table:table table:name="Table{self.n}" table:style-name="Tbl">'
               f'<table:table-column table:style-name="Tbl.A" table:number-columns-repeated="{ncols}"/>']
        for r, row in enumerate(rows):
            out.append("<table:table-row>")
            for c in range(ncols):
                v = row[c] if c < len(row) and row[c] is not None else ""
                bold = (bold_col and c % 2 == 0) or (bold_row and r == 0)
                if bold and isinstance(v, str):
                    v = [(v, "b")]
                out.append('<table:table-cell table:style-name="Tbl.A1" office:value-type="string">'
                           f'<text:p text:style-name="P2">{_o_runs(v)}</text:p></table:table-cell>')
            out.append("</table:table-row>")
        out.append("</table:table>")
        return "".join(out)


def _o_blocks(blocks, tables):
    out = []
    for block in blocks:
        kind = block[0]
        if kind == "title":
            out.append(f'<text:h text:style-name="P1" text:outline-level="1">{_o_runs(block[1])}</text:h>')
        elif kind == "h":
            out.append(f'<text:h text:style-name="Heading_20_2" text:outline-level="2">{_o_runs(block[1])}</text:h>')
        elif kind == "p":
            out.append(f'<text:p text:style-name="P2">{_o_runs(block[1])}</text:p>')
        elif kind in ("kv", "kv4"):
            out.append(tables.table(block[1], bold_col=True))
        elif kind == "grid":
            out.append(tables.table([block[1]] + block[2], bold_row=True))
        elif kind == "sign":
            rows = [[block[1][i] if i < len(block[1]) else "", block[2][i] if i < len(block[2]) else ""]
                    for i in range(max(len(block[1]), len(block[2])))]
            out.append(tables.table(rows))
    return "".join(out)


def write_odt(path, b, title, stamp):
    rsid = f"{(b.index * 2246822519) & 0xFFFFFF:06x}"
    tables = _OTables()
    body = _o_blocks(b.blocks, tables)
    header = f"<style:header>{_o_blocks(b.header, tables)}</style:header>" if b.header else ""
    footer = f"<style:footer>{_o_blocks(b.footer, tables)}</style:footer>" if b.footer else ""
    auto = ('<office:automatic-styles>'
            f'<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Heading_20_1"><style:paragraph-properties fo:text-align="center"/><style:text-properties officeooo:rsid="00{rsid}" officeooo:paragraph-rsid="00{rsid}"/></style:style>'
            f'<style:style style:name="P2" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties officeooo:paragraph-rsid="00{rsid}"/></style:style>'
            '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>'
            '<style:style style:name="T2" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>'
            '<style:style style:name="T3" style:family="text"><style:text-properties style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>'
            '<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="17cm" table:align="margins"/></style:style>'
            '<style:style style:name="Tbl.A" style:family="table-column"><style:table-column-properties style:column-width="4cm"/></style:style>'
            '<style:style style:name="Tbl.A1" style:family="table-cell"><style:table-cell-properties fo:padding="0.097cm" fo:border="0.5pt solid #000000"/></style:style>'
            '</office:automatic-styles>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {O_NS}>{auto}'
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    styles = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {O_NS}><office:styles>'
              '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>'
              '<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="1"><style:text-properties fo:font-size="18pt" fo:font-weight="bold"/></style:style>'
              '<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="2"><style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>'
              '</office:styles><office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21.001cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout>'
              '<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="17cm" table:align="margins"/></style:style>'
              '<style:style style:name="Tbl.A" style:family="table-column"><style:table-column-properties style:column-width="4cm"/></style:style>'
              '<style:style style:name="Tbl.A1" style:family="table-cell"><style:table-cell-properties fo:padding="0.097cm" fo:border="0.5pt solid #000000"/></style:style>'
              '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>'
              '<style:style style:name="P2" style:family="paragraph" style:parent-style-name="Standard"/>'
              '</office:automatic-styles><office:master-styles>'
              f'<style:master-page style:name="Standard" style:page-layout-name="pm1">{header}{footer}</style:master-page>'
              "</office:master-styles></office:document-styles>")
    meta = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {O_NS}><office:meta>'
            "<meta:generator>LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2</meta:generator>"
            f"<dc:title>{escape(title)}</dc:title><meta:initial-creator>bench</meta:initial-creator>"
            f"<meta:creation-date>{stamp}</meta:creation-date><dc:date>{stamp}</dc:date>"
            f"<meta:editing-cycles>{b.index % 9 + 1}</meta:editing-cycles></office:meta></office:document-meta>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        _writestr(z, "mimetype", "application/vnd.oasis.opendocument.text", stored=True)
        _writestr(z, "content.xml", content)
        _writestr(z, "styles.xml", styles)
        _writestr(z, "meta.xml", meta)
        _writestr(z, "META-INF/manifest.xml", manifest)


# ----------------------------------------------------------------- driver

def _one(job):
    outdir, index, seed = job
    b, kind, topic, size = build(index, seed)
    fmt = "docx" if (index + index // 20) % 2 == 0 else "odt"
    name = f"{index:05d}-{kind}-{size}-{b.lang}.{fmt}"
    title = b.fields.get("title", "")
    stamp = f"2026-{index % 12 + 1:02d}-{index % 28 + 1:02d}T{index % 24:02d}:{index % 60:02d}:00"
    (write_docx if fmt == "docx" else write_odt)(os.path.join(outdir, name), b, title, stamp)
    return {"path": name, "format": fmt, "size": size, "language": b.lang, "kind": kind,
            "topic": topic, "fields": b.fields}


def generate(outdir, count, seed):
    start = time.monotonic()
    os.makedirs(outdir, exist_ok=True)
    jobs = [(outdir, i, seed) for i in range(count)]
    workers = max(1, min(os.cpu_count() or 1, 4))
    with Pool(workers) as pool:
        labels = pool.map(_one, jobs, chunksize=16)
    with open(os.path.join(outdir, "labels.jsonl"), "w", encoding="utf-8") as f:
        for label in labels:
            f.write(json.dumps(label, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"bench: {count} documents in {outdir} ({time.monotonic() - start:.1f}s)")
