"""Builders of Chinese evidence documents.

Each builder takes the values a document states (normalised: ISO dates,
numbers) plus how to spell them, and returns a Doc whose `expect` holds the
kind, topic and fields the spec says an extractor must find.
"""
from . import spell
from .model import Doc

CATEGORY_ZH = {
    "risk-assessment": "风险评估",
    "security-integration": "安全集成",
    "security-operations": "安全运维",
    "emergency-response": "应急处理",
    "disaster-recovery": "灾难备份与恢复",
    "secure-software-development": "软件安全开发",
    "security-audit": "网络安全审计",
    "ics-security": "工业控制系统安全",
}

SCOPE_ZH = {
    "security-operations": "乙方为甲方提供信息系统安全运维服务，包括安全巡检、安全设备策略维护、"
                           "日志分析、安全事件跟踪处置以及7×24小时驻场运维，按月提交巡检报告。",
    "risk-assessment": "乙方依据GB/T 20984对甲方的信息系统开展信息安全风险评估服务，包括资产识别、"
                       "威胁识别、脆弱性评估和风险分析，并出具风险评估报告与整改建议。",
    "security-integration": "乙方为甲方实施信息系统安全集成项目，包括防火墙、入侵检测系统等安全设备部署、"
                            "安全加固及联调测试，项目完成后移交全部配置文档。",
}


def expect(kind, fields, topic=None, subtype=None, lang="zh"):
    out = {"kind": kind, "topic": topic, "language": lang, "fields": fields}
    if subtype:
        out["subtype"] = subtype
    return out


def split_label(label, styles=("b", "i", "u")):
    """A label stored as several runs with different formatting."""
    n = len(label)
    if n < 3:
        return [(label, styles[0])]
    cuts = [0, 1, 2, n]
    return [(label[cuts[i]:cuts[i + 1]], styles[i % len(styles)]) for i in range(3)]


def business_license(name, producer, org, established, end_on, issued, date_style="zh"):
    term = f"{spell.date(established, date_style)}至" + \
        (spell.date(end_on, date_style) if end_on else "长期")
    blocks = [
        ("title", "营业执照"),
        ("p", "（副本）"),
        ("kv", [
            ("统一社会信用代码", org["credit_code"]),
            ("名称", org["name"]),
            ("类型", "有限责任公司（自然人投资或控股）"),
            ("法定代表人", org["legal_rep"]),
            ("经营范围", "网络与信息安全技术服务；信息系统集成服务；信息技术咨询服务；"
                        "软件开发；计算机软硬件销售。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"),
            ("注册资本", org.get("capital", "人民币1000万元")),
            ("成立日期", spell.date(established, date_style)),
            ("营业期限", term),
            ("住所", org["address"]),
        ]),
        ("p", f"登记机关：{org['registrar']}"),
        ("p", spell.date(issued, "zh")),
        ("p", "国家企业信用信息公示系统网址：www.gsxt.gov.cn"),
    ]
    fields = {"title": "营业执照", "org_name": org["name"], "credit_code": org["credit_code"],
              "legal_representative": org["legal_rep"], "established_on": established,
              "end_on": end_on}
    return Doc(name, producer, "zh", blocks, expect("business-license", fields),
               meta={"creator": org["clerk"], "created": issued + "T10:00:00"})


def credit_report(name, producer, org, issued, number):
    blocks = [
        ("title", "企业信用报告"),
        ("p", "（信用中国 公共信用信息概况）"),
        ("kv", [("企业名称", org["name"]), ("统一社会信用代码", org["credit_code"]),
                ("报告编号", number), ("报告日期", spell.date(issued, "zh0"))]),
        ("h", "一、行政管理信息"),
        ("grid", ["信息类别", "查询结果"], [
            ["行政许可", "2条"], ["行政处罚", "无"], ["严重失信主体名单", "未列入"],
            ["失信被执行人", "无"], ["经营异常名录", "未列入"]]),
        ("h", "二、说明"),
        ("p", "本报告信息来源于信用中国网站及国家企业信用信息公示系统，"
              "仅反映截至报告日期已归集的公共信用信息。"),
    ]
    fields = {"title": "企业信用报告", "org_name": org["name"], "issued_on": issued,
              "doc_number": number}
    return Doc(name, producer, "zh", blocks, expect("credit-report", fields, subtype="report"),
               meta={"creator": org["clerk"], "created": issued + "T14:20:00"})


PROCEDURE_BODY = {
    "personnel": [
        "人力资源部负责识别各类安全服务岗位的服务能力要求，编写岗位职责说明书，"
        "明确项目经理、安全工程师、技术负责人等岗位的任职要求和技术能力要求。",
        "新入职安全服务人员须经试用期考核，在岗人员每年进行一次能力评价，"
        "评价结果作为岗位调整和培训安排的依据，以证明其能够胜任所承担的职责。",
    ],
    "training": [
        "综合管理部每年十二月编制下一年度培训计划，内容涵盖网络与信息安全技术、技能、管理和安全意识。",
        "培训结束后进行考核，培训记录、签到表和考核成绩由综合管理部归档保存。",
    ],
    "documents": [
        "文件的编制由归口部门起草，经部门负责人审核、总经理批准后发布，发放时登记分发号。",
        "文件和记录按类别保存、归档，电子文件通过受控的文件服务器传输和分发，"
        "向客户交付的文档须经项目经理确认；内部使用的文件借阅须登记。",
        "失效文件由文控员及时回收，加盖作废标识后销毁或隔离保存。",
        "本程序适用于组织管理、服务过程管理和质量管理相关文件。",
    ],
    "projects": [
        "项目经理负责项目的组织和计划，编制项目实施方案，明确进度、资源和交付物。",
        "项目实施过程中识别项目风险，填写项目风险登记表，制定应对措施并跟踪关闭，"
        "实现风险控制；项目完成后组织交付和验收。",
    ],
    "confidentiality": [
        "公司明确各岗位的保密责任，全体员工入职时签订保密协议。",
        "综合管理部每年至少组织一次保密教育培训；客户敏感信息和知识产权信息按客户要求予以保护。",
    ],
    "suppliers": [
        "采购部对提供安全设备、软件和外包服务的供应商进行资质审查和安全评价，建立合格供方名录。",
        "供应商须签订保密协议并满足服务安全要求，每年复评一次，不合格供应商移出名录。",
    ],
    "contracts": [
        "合同由市场部按照公司统一合同模板起草，经法务审核、总经理批准后签订。",
        "项目按照合同约定实施，合同履行情况由项目经理跟踪；对接触到的客户敏感信息和知识产权予以保护。",
    ],
    "finance": [
        "财务部负责资金计划、费用审批和会计核算，保证安全服务项目所需的资金支持。",
        "费用报销实行分级审批，重大支出须经总经理批准；每月编制财务报表。",
    ],
}

PROCEDURE_PURPOSE = {
    "personnel": "规范安全服务人员的能力要求、岗位职责和评价。",
    "training": "规范员工能力培养计划的制定和实施。",
    "documents": "对文件和记录的产生、发布、保存、传输、使用和废弃实施控制。",
    "projects": "规范安全服务项目的组织、计划、实施、风险控制和交付。",
    "confidentiality": "明确保密责任，防止公司和客户的秘密信息泄露。",
    "suppliers": "确保供应商满足服务安全要求。",
    "contracts": "规范合同的起草、评审、签订和履行。",
    "finance": "规范公司财务管理，保证经营活动正常开展。",
}


def procedure(name, producer, org, topic, title, number, version, effective,
              date_style="zh", status=None, approver=None, header=True):
    """A controlled procedure; its control block sits in the page header."""
    approver = approver or org["legal_rep"]
    state = status or "受控"
    control = [
        ("文件编号", number, "版本", version),
        ("生效日期", spell.date(effective, date_style), "状态", state),
        ("编制", org["clerk"], "审核", org["reviewer"]),
        ("批准", approver, "分发号", "03"),
    ]
    body = [("title", title)]
    if not header:
        body.append(("kv4", control))
    body += [
        ("h", "1 目的"), ("p", PROCEDURE_PURPOSE[topic]),
        ("h", "2 适用范围"), ("p", f"本程序适用于{org['name']}各部门。"),
        ("h", "3 职责"), ("p", "总经理批准本程序；各部门负责人组织执行；综合管理部负责监督检查。"),
        ("h", "4 工作程序"),
    ]
    for i, text in enumerate(PROCEDURE_BODY[topic], 1):
        body.append(("p", f"4.{i} {text}"))
    body += [("h", "5 相关文件"), ("p", "《质量手册》；《信息安全服务规范》。"),
             ("h", "6 记录"), ("p", "本程序产生的记录按《文件管理程序》保存。")]
    hdr = [("p", f"{org['name']}  程序文件"), ("kv4", control)] if header else []
    footer = [("p", f"{org['short']} 版权所有  内部资料 注意保密")]
    fields = {"title": title, "doc_number": number, "version": version,
              "effective_on": effective, "approved_by": approver}
    exp = expect("procedure", fields, topic=topic)
    if status:
        exp["withdrawn"] = True
    return Doc(name, producer, "zh", body, exp, header=hdr, footer=footer,
               meta={"creator": org["clerk"], "created": effective + "T09:30:00"})


def service_contract(name, producer, org, number, project, category, party_a,
                     signed, start, end, value, amount_style, date_style="zh",
                     labelled_signed=True, sign_dates=None, scope=None, table_style="kv",
                     title="技术服务合同"):
    """A service contract with the organisation as 乙方 (provider).

    labelled_signed=False leaves only the signature-block dates, from which
    signed_on is the later one (spec section 6).
    """
    party_b = org["name"]
    sign_dates = sign_dates or (signed, signed)
    head = [("项目名称", project), ("合同编号", number)]
    blocks = [("title", title)]
    if table_style == "kv":
        blocks.append(("kv", head))
    else:
        blocks.append(("below", [h[0] for h in head], [h[1] for h in head]))
    blocks += [
        ("p", f"甲方（委托方）：{party_a}\n地址：{org['client_address']}"),
        ("p", f"乙方（受托方）：{party_b}\n地址：{org['address']}"),
    ]
    if labelled_signed:
        blocks.append(("p", split_label("签订日期") + [("：" + spell.date(signed, date_style), "")]))
    blocks += [
        ("p", "甲乙双方经友好协商，依据《中华人民共和国民法典》，就下列服务事项订立本合同，共同遵守。"),
        ("h", "第一条 服务内容"),
        ("p", scope or SCOPE_ZH[category]),
        ("h", "第二条 服务期限"),
        ("p", f"服务期限自{spell.date(start, date_style)}起至{spell.date(end, date_style)}止。"),
        ("h", "第三条 合同金额及付款方式"),
        ("p", f"合同金额：{spell.amount(value, amount_style)}，含增值税。"),
        ("p", "付款方式：合同签订后十个工作日内甲方支付合同金额的50%，项目验收合格后支付剩余50%。"),
        ("h", "第四条 保密"),
        ("p", "乙方对服务中接触的甲方数据和资料负有保密义务，未经甲方书面同意不得向第三方披露。"),
        ("h", "第五条 违约责任"),
        ("p", "任何一方违反本合同约定，应赔偿由此给对方造成的损失。"),
        ("h", "第六条 其他"),
        ("p", "本合同一式肆份，甲乙双方各执贰份，自双方签字盖章之日起生效。"),
        ("sign",
         ["甲方（盖章）：" + party_a, "授权代表（签字）：", "日期：" + spell.date(sign_dates[0], date_style)],
         ["乙方（盖章）：" + party_b, "授权代表（签字）：", "日期：" + spell.date(sign_dates[1], date_style)]),
    ]
    fields = {"title": title, "doc_number": number, "project_name": project,
              "party_a": party_a, "party_b": party_b,
              "signed_on": signed if labelled_signed else max(sign_dates),
              "start_on": start, "end_on": end,
              "amount": spell.amount_value(value), "service_category": category}
    return Doc(name, producer, "zh", blocks, expect("service-contract", fields),
               meta={"creator": org["sales"], "created": min(sign_dates) + "T16:00:00"})


def acceptance_report(name, producer, org, number, contract_ref, project, category,
                      party_a, completed, date_style="zh", result="pass", layout="kv",
                      title="项目验收报告"):
    conclusion = {"pass": "验收合格，同意验收。", "fail": "验收不合格。",
                  "conditional": "整改后验收。"}[result]
    rows = [("项目名称", project), ("合同编号", contract_ref), ("委托方（甲方）", party_a),
            ("服务方（乙方）", org["name"]), ("验收日期", spell.date(completed, date_style))]
    blocks = [("title", title), ("p", f"报告编号：{number}")]
    if layout == "kv":
        blocks.append(("kv", rows))
    else:
        blocks.append(("below", [r[0] for r in rows[:3]], [r[1] for r in rows[:3]]))
        blocks.append(("below", [r[0] for r in rows[3:]], [r[1] for r in rows[3:]]))
    blocks += [
        ("h", "一、验收内容"),
        ("p", f"验收组对{project}的交付物清单、服务记录和服务报告进行了检查，"
              f"确认乙方已按合同约定完成{CATEGORY_ZH[category]}服务。"),
        ("h", "二、验收结论"),
        ("p", [("验收结论：", "b"), (conclusion, "")]),
        ("sign", ["甲方验收组长（签字）：", "日期：" + spell.date(completed, date_style)],
         ["乙方项目经理（签字）：", "日期：" + spell.date(completed, date_style)]),
    ]
    fields = {"title": title, "doc_number": number, "contract_ref": contract_ref,
              "project_name": project, "party_a": party_a, "party_b": org["name"],
              "completed_on": completed, "acceptance_result": result,
              "service_category": category}
    return Doc(name, producer, "zh", blocks, expect("acceptance-report", fields),
               meta={"creator": org["pm"], "created": completed + "T11:00:00"})


def lease(name, producer, org, number, landlord, address, area, start, end, rent_total,
          amount_style, signed, date_style="zh"):
    blocks = [
        ("title", "房屋租赁合同"),
        ("p", f"合同编号：{number}"),
        ("p", f"出租方（甲方）：{landlord}"),
        ("p", f"承租方（乙方）：{org['name']}"),
        ("p", "根据《中华人民共和国民法典》及有关规定，甲乙双方就房屋租赁事宜达成如下协议。"),
        ("h", "第一条 房屋基本情况"),
        ("kv", [("房屋坐落", address), ("建筑面积", f"{area:g}平方米"), ("用途", "办公")]),
        ("h", "第二条 租赁期限"),
        ("p", f"租赁期限自{spell.date(start, date_style)}起至{spell.date(end, date_style)}止。"),
        ("h", "第三条 租金及支付"),
        ("p", f"租赁期内租金总额为{spell.amount(rent_total, amount_style)}，按季度支付；"
              "押金为三个月租金，物业费由乙方另行承担。"),
        ("h", "第四条 双方责任"),
        ("p", "甲方保证房屋权属清晰；乙方应合理使用房屋，不得擅自转租。"),
        ("sign", ["出租方（盖章）：" + landlord, "日期：" + spell.date(signed, date_style)],
         ["承租方（盖章）：" + org["name"], "日期：" + spell.date(signed, date_style)]),
    ]
    fields = {"title": "房屋租赁合同", "doc_number": number, "party_a": landlord,
              "party_b": org["name"], "start_on": start, "end_on": end,
              "address": address, "area_sqm": area, "amount": spell.amount_value(rent_total),
              "signed_on": signed}
    return Doc(name, producer, "zh", blocks, expect("lease-contract", fields),
               meta={"creator": org["clerk"], "created": signed + "T10:00:00"})


def resume(name, producer, org, person, sex, role, born, experience, education, phone, certs=""):
    """experience: [(from_iso, to_iso or None, employer, role)], month precision."""
    rows = []
    for start, end, employer, post in experience:
        span = spell.month(start) + "—" + (spell.month(end) if end else "至今")
        rows.append([span, employer, post])
    blocks = [
        ("title", "个人简历"),
        ("kv4", [("姓名", person, "性别", sex),
                 ("出生年月", born, "学历", education[2]),
                 ("现任职务", role, "联系电话", phone)]),
        ("h", "工作经历"),
        ("grid", ["起止时间", "工作单位", "职务"], rows),
        ("h", "教育背景"),
        ("p", f"{education[0]}  {education[1]}专业  {education[2]}"),
    ]
    if certs:
        blocks += [("h", "资格证书"), ("p", certs)]
    exp_list = [{"from": spell.month_first(s), "to": spell.month_last(e) if e else None,
                 "employer": emp, "role": post} for s, e, emp, post in experience]
    fields = {"title": "个人简历", "person_name": person, "person_role": role,
              "experience": exp_list}
    return Doc(name, producer, "zh", blocks, expect("resume", fields),
               meta={"creator": person, "created": "2026-02-10T15:00:00"})


def certificate(name, producer, org, holder, cert_name, number, category, issued,
                valid_until, issuer="中国网络安全审查技术与认证中心", direction=None,
                date_style="zh", title="信息安全保障人员认证证书"):
    rows = [("持证人", holder), ("证书名称", cert_name), ("证书编号", number)]
    if direction:
        rows.append(("认证方向", direction))
    rows += [("发证日期", spell.date(issued, date_style)),
             ("有效期至", spell.date(valid_until, date_style)), ("发证机构", issuer)]
    blocks = [("title", title), ("kv", rows),
              ("p", "经评价，该人员具备相应的信息安全服务技术能力，特发此证。")]
    fields = {"title": title, "holder": holder, "cert_name": cert_name, "cert_number": number,
              "service_category": category, "issued_on": issued, "valid_until": valid_until}
    return Doc(name, producer, "zh", blocks, expect("certificate", fields, subtype="personnel"),
               meta={"creator": org["clerk"], "created": issued + "T09:00:00"})


def staff_nda(name, producer, org, employee, post, id_number, signed, date_style="zh"):
    """员工保密协议; employee=None gives the unsigned blank form."""
    blank = "__________"
    who = employee or blank
    sign_date = spell.date(signed, date_style) if signed else "____年__月__日"
    blocks = [
        ("title", "员工保密协议"),
        ("p", f"甲方（用人单位）：{org['name']}"),
        ("p", f"乙方（员工）：{who}"),
        ("p", f"身份证号：{id_number or blank}    岗位：{post or blank}"),
        ("p", "鉴于乙方在甲方任职期间将接触甲方及甲方客户的保密信息，双方约定如下："),
        ("h", "一、保密信息"),
        ("p", "保密信息包括甲方的商业秘密、技术资料、客户数据以及在安全服务中获知的客户系统信息。"),
        ("h", "二、保密义务"),
        ("p", "乙方不得泄露、使用或允许他人使用保密信息；离职时应交还全部资料。"),
        ("h", "三、保密期限"),
        ("p", "保密期限为乙方在职期间及离职后三年。"),
        ("h", "四、违约责任"),
        ("p", "乙方违反本协议的，应支付违约金并赔偿甲方损失。"),
        ("sign", ["甲方（盖章）：", "日期：" + sign_date],
         ["乙方（签字）：" + (employee or ""), "日期：" + sign_date]),
    ]
    fields = {"title": "员工保密协议", "party_a": org["name"], "employee": employee,
              "signed_on": signed, "end_on": None}
    return Doc(name, producer, "zh", blocks,
               expect("confidentiality-agreement", fields, subtype="employee"),
               meta={"creator": org["clerk"], "created": (signed or "2026-03-01") + "T09:00:00"})


def training_plan(name, producer, org, year, rows, title=None):
    """rows: [(content, audience, month 1-12, hours, owner)]."""
    title = title or f"{year}年度员工能力培养计划"
    grid = [[str(i), c, a, f"{year}年{m}月", str(h), o]
            for i, (c, a, m, h, o) in enumerate(rows, 1)]
    blocks = [
        ("title", title),
        ("p", f"为确保安全服务人员持续胜任其承担的职责，结合公司业务制定{year}年度培训计划，"
              "内容包括网络与信息安全技术、技能、管理和安全意识。"),
        ("grid", ["序号", "培训内容", "培训对象", "计划时间", "课时", "负责人"], grid),
        ("p", f"编制：{org['clerk']}    批准：{org['legal_rep']}"),
    ]
    fields = {"title": title, "period_start": f"{year}-01-01", "period_end": f"{year}-12-31"}
    return Doc(name, producer, "zh", blocks, expect("training-plan", fields),
               meta={"creator": org["clerk"], "created": f"{year - 1}-12-20T09:00:00"})


def training_record(name, producer, org, title, subject, held, trainer, attendees,
                    subtype="training", date_style="zh", result="全部合格"):
    blocks = [
        ("title", title),
        ("kv", [("培训主题", subject), ("培训日期", spell.date(held, date_style)),
                ("讲师", trainer), ("培训地点", "公司三楼会议室"),
                ("参加人员", "、".join(attendees))]),
        ("h", "签到"),
        ("grid", ["序号", "姓名", "签到", "考核结果"],
         [[str(i), a, a, "合格"] for i, a in enumerate(attendees, 1)]),
        ("p", f"考核结果：{result}。"),
    ]
    fields = {"title": title, "held_on": held, "attendees": attendees}
    return Doc(name, producer, "zh", blocks, expect("training-record", fields, subtype=subtype),
               meta={"creator": org["clerk"], "created": held + "T17:00:00"})


def risk_register(name, producer, org, project, dated, risks):
    blocks = [
        ("title", "项目风险登记表"),
        ("kv", [("项目名称", project), ("项目经理", org["pm"]),
                ("登记日期", spell.date(dated, "zh"))]),
        ("grid", ["序号", "风险描述", "可能性", "影响", "风险等级", "应对措施", "责任人", "状态"],
         [[str(i)] + list(r) for i, r in enumerate(risks, 1)]),
    ]
    fields = {"title": "项目风险登记表", "project_name": project}
    return Doc(name, producer, "zh", blocks, expect("risk-record", fields),
               meta={"creator": org["pm"], "created": dated + "T10:00:00"})


def contract_template(name, producer, org, version):
    blocks = [
        ("title", "技术服务合同模板"),
        ("p", f"版本：{version}    适用于：公司全部安全服务项目"),
        ("kv", [("项目名称", "【        】"), ("合同编号", "【        】")]),
        ("p", "甲方（委托方）：________________"),
        ("p", "乙方（受托方）：" + org["name"]),
        ("h", "第一条 服务内容"), ("p", "乙方为甲方提供____________服务，具体范围见附件一。"),
        ("h", "第二条 服务期限"), ("p", "服务期限自____年__月__日起至____年__月__日止。"),
        ("h", "第三条 合同金额"), ("p", "合同金额：人民币（大写）____________元整（¥________）。"),
        ("h", "第四条 保密"), ("p", "乙方对在服务中获知的甲方敏感信息负有保密义务，保密期限不因合同终止而终止。"),
        ("h", "第五条 知识产权"), ("p", "乙方交付成果的知识产权归属按附件约定；乙方保证其交付物不侵犯第三方知识产权。"),
        ("h", "第六条 违约责任"), ("p", "任何一方违约，应承担相应的违约责任。"),
        ("sign", ["甲方（盖章）：", "日期：____年__月__日"], ["乙方（盖章）：", "日期：____年__月__日"]),
    ]
    fields = {"title": "技术服务合同模板", "version": version, "party_a": None, "signed_on": None}
    return Doc(name, producer, "zh", blocks, expect("contract-template", fields),
               meta={"creator": org["sales"], "created": "2025-02-15T09:00:00"})


PROCESS_STAGES = ["启动", "准备", "实施", "验收", "交付"]


def service_process(name, producer, org, category, activities, title=None):
    title = title or f"{CATEGORY_ZH[category]}服务流程"
    rows = []
    for stage, (inp, act, out) in zip(PROCESS_STAGES, activities):
        rows.append([stage, inp, act, out])
    blocks = [
        ("title", title),
        ("p", f"本文件规定{org['name']}{CATEGORY_ZH[category]}服务的实施过程，"
              "服务按启动 → 准备 → 实施 → 验收 → 交付五个阶段进行。"),
        ("grid", ["阶段", "输入", "活动", "输出"], rows),
        ("p", "角色：项目经理对流程负责；安全工程师执行实施活动；质量负责人参与验收。"),
    ]
    fields = {"title": title, "service_category": category}
    return Doc(name, producer, "zh", blocks, expect("service-process", fields),
               meta={"creator": org["pm"], "created": "2025-04-01T09:00:00"})


def service_standard(name, producer, org, category, refs, checks, title=None):
    title = title or f"{CATEGORY_ZH[category]}服务规范"
    blocks = [
        ("title", title),
        ("h", "1 范围"),
        ("p", f"本规范规定了{CATEGORY_ZH[category]}服务的技术要求和检查项，适用于公司承接的{CATEGORY_ZH[category]}项目。"),
        ("h", "2 规范性引用文件"),
        ("p", "；".join(refs) + "。"),
        ("h", "3 技术要求"),
    ]
    for i, c in enumerate(checks, 1):
        blocks.append(("p", f"3.{i} {c}"))
    blocks.append(("grid", ["检查项", "要求", "依据"],
                   [[f"检查项{i}", c[:18], refs[0]] for i, c in enumerate(checks, 1)]))
    fields = {"title": title, "service_category": category}
    return Doc(name, producer, "zh", blocks, expect("service-standard", fields),
               meta={"creator": org["pm"], "created": "2025-04-10T09:00:00"})


def other(name, producer, org, title, blocks_after_title, created, why):
    """A document that must not count as evidence (kind other)."""
    blocks = [("title", title)] + blocks_after_title
    exp = expect("other", {"title": title})
    exp["why"] = why
    return Doc(name, producer, "zh", blocks, exp, meta={"creator": org["clerk"],
                                                          "created": created + "T10:00:00"})


def audit_report(name, producer, org, year, issued, firm):
    title = f"{year}年度财务审计报告"
    number = f"{firm[2:4]}审字[{year + 1}]第0317号"
    blocks = [
        ("title", title),
        ("p", f"报告编号：{number}"),
        ("p", f"{org['name']}全体股东："),
        ("h", "一、审计意见"),
        ("p", f"我们审计了{org['name']}财务报表，包括{year}年12月31日的资产负债表，{year}年度的利润表、"
              "现金流量表以及相关财务报表附注。我们认为，后附的财务报表在所有重大方面按照企业会计准则的规定编制。"),
        ("h", "二、形成审计意见的基础"),
        ("p", "我们按照中国注册会计师审计准则的规定执行了审计工作。"),
        ("p", f"{firm}    中国注册会计师：周敏"),
        ("p", f"报告日期：{spell.date(issued, 'zh')}"),
    ]
    # The spec's audit-report fields are title, issued_on and period: the
    # 报告编号 is in the text but not an expected field.
    fields = {"title": title, "issued_on": issued}
    return Doc(name, producer, "zh", blocks, expect("audit-report", fields),
               meta={"creator": "周敏", "created": issued + "T09:00:00"})
