#!/usr/bin/python3
"""Build the 'elsewhere' tuning set: documents written the way other people
write them (python-docx, pandoc, LibreOffice), for issue 11's classes.

usage: tests/data/elsewhere/make.py OUTDIR

Writes the documents into OUTDIR; labels.json beside this script says what a
careful reader finds in each (tests/holdout/score's format). Needs
python3-docx, pandoc and LibreOffice (soffice).
"""
import os
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docgen  # noqa: E402
from docgen import new, pandoc, save, table, to_odt  # noqa: E402

OUT = docgen.OUT = sys.argv[1] if len(sys.argv) > 1 else '.'


# 1. An English policy template whose title is a plain first paragraph.
d = new()
d.add_paragraph('Third Party Security, Vendor Risk Management and Systems/Services Acquisition')
d.add_paragraph('Version 1.3    Effective date: 2025-09-15    Approved by: Laura Chen')
d.add_paragraph('Purpose')
d.add_paragraph('This document sets out how Kestrel Data Services selects, contracts and '
                'monitors the vendors and third parties that handle company or customer '
                'information, and how systems and services are acquired.')
d.add_paragraph('Scope')
d.add_paragraph('All vendors, suppliers, outsourced service providers and contractors.')
d.add_paragraph('Vendor due diligence')
d.add_paragraph('Before a contract is signed, the vendor completes the security '
                'questionnaire and the supplier risk rating is recorded in the vendor register.')
d.add_paragraph('Outsourced services')
d.add_paragraph('Outsourced service providers are reviewed once a year.')
save(d, 'en-vendor-policy.docx')

# 2. HR policy, plain first line, then a short company line.
d = new(header='Kestrel Data Services - Internal')
d.add_paragraph('HR and Personnel Security')
d.add_paragraph('Document ID: KDS-POL-011')
d.add_paragraph('Revision 3')
d.add_paragraph('1. Purpose')
d.add_paragraph('To make sure employees and contractors understand their responsibilities '
                'before, during and after employment.')
d.add_paragraph('2. Scope')
d.add_paragraph('All personnel, including temporary staff.')
d.add_paragraph('3. Screening of personnel')
d.add_paragraph('Background checks are carried out for all new hires.')
d.add_paragraph('4. Termination of employment')
d.add_paragraph('Access rights of leavers are removed on their last working day.')
save(d, 'en-hr-personnel.docx')

# 3. QMS document control, pandoc, with a revision history oldest first.
pandoc('''QMS-002: Document Control

Owner: Quality Manager

# Revision History

| Rev | Date | Description | Approved by |
|-----|------------|-----------------------|-------------|
| A | 2019-04-02 | First issue | M. Ortiz |
| B | 2022-01-17 | Electronic approvals | M. Ortiz |
| C | 2025-03-10 | Retention periods | P. Novak |

# 1 Purpose

This procedure describes how controlled documents are drafted, reviewed,
approved, issued and withdrawn.

# 2 Scope

All quality system documents and records.

# 3 Responsibilities

Document owners keep their documents current.
''', 'en-qms-002.docx')

# 4. A Chinese supplier procedure: title not in the catalog's words,
#    spaced labels, version in the header with separators.
d = new(header='青岩网安科技有限公司　文件编号：QY-QP-08 | 修订版次：B/1')
d.add_paragraph('青岩网安科技有限公司')
d.add_paragraph('供应商及外包服务管理程序')
table(d, [['编　　号', 'QY-QP-08', '版　　本', 'B/1'],
          ['编　　制', '周敏', '审　　核', '孙立'],
          ['批　　准', '王建华', '实施日期', '2025年7月1日']])
d.add_paragraph('1 目的')
d.add_paragraph('规范供应商和外包服务商的选择、评价与监督，确保外包服务满足信息安全要求。')
d.add_paragraph('2 适用范围')
d.add_paragraph('适用于本公司信息安全服务中涉及的供应商、外包服务方的管理。')
d.add_paragraph('3 职责')
d.add_paragraph('采购部负责合格供应商名录的维护。')
save(d, 'zh-supplier-outsourcing.docx')

# 5. A Chinese procedure with a revision table oldest row first, ODT.
d = new()
d.add_paragraph('文件与记录控制程序')
d.add_paragraph('修订记录')
table(d, [['版本', '修订日期', '修订内容', '批准人'],
          ['A/0', '2019年3月1日', '首次发布', '李强'],
          ['A/1', '2021年6月15日', '增加电子文件要求', '李强'],
          ['B/0', '2025年2月20日', '按新版体系改版', '陈静']])
d.add_paragraph('1. 目的')
d.add_paragraph('对体系文件和记录进行控制，确保使用有效版本。')
d.add_paragraph('2. 范围')
d.add_paragraph('适用于公司管理体系文件与记录。')
save(d, 'zh-doc-control-revtable.docx')
to_odt('zh-doc-control-revtable.docx')

# 6. Acceptance report with tick boxes (☑/☐).
d = new()
d.add_paragraph('项目验收报告')
table(d, [['项目名称', '某市政务云安全运维服务项目'],
          ['合同编号', 'ZW-YW-2026-007'],
          ['验收日期', '2026年9月28日'],
          ['验收结论', '☑同意验收 ☐整改后再验 ☐不同意验收']])
d.add_paragraph('甲方（盖章）：某市大数据管理局')
d.add_paragraph('乙方（盖章）：青岩网安科技有限公司')
save(d, 'zh-acceptance-tick.docx')

# 7. Acceptance report, ■/□ boxes, spaced labels, ODT.
d = new()
d.add_paragraph('安全评估项目验收单')
table(d, [['项目名称', '2026年度等级保护测评项目'],
          ['对应合同', 'DB-2026-112'],
          ['验收时间', '2026年10月9日'],
          ['验收意见', '□不通过　■整改后通过　□通过']])
d.add_paragraph('甲　　方：华东电力设计院有限公司')
d.add_paragraph('乙　　方：青岩网安科技有限公司')
save(d, 'zh-acceptance-boxes.docx')
to_odt('zh-acceptance-boxes.docx')

# 8. English acceptance with [x]/[ ].
d = new()
d.add_paragraph('Acceptance Certificate')
d.add_paragraph('Project: Penetration Testing of Online Banking Platform')
d.add_paragraph('Contract No.: PT-2026-044')
d.add_paragraph('Date of acceptance: 14 August 2026')
d.add_paragraph('Conclusion: [ ] Accepted   [x] Accepted with conditions   [ ] Rejected')
d.add_paragraph('Client: Harbour City Bank Co., Ltd.')
d.add_paragraph('Service Provider: Kestrel Data Services Ltd.')
save(d, 'en-acceptance-checkbox.docx')

# 9. Chinese service contract: numbered parties, competing numbers, term in months.
d = new()
d.add_paragraph('信息安全运维服务合同')
d.add_paragraph('合同编号：QY-HT-2026-031')
d.add_paragraph('（1）甲方：南湖市人民医院')
d.add_paragraph('（2）乙方：青岩网安科技有限公司')
d.add_paragraph('联系电话：0571-88886666')
d.add_paragraph('第一条 服务内容：乙方为甲方提供信息系统安全运维服务。')
d.add_paragraph('第二条 服务期限：本合同服务期自2026年3月1日起，为期12个月。')
d.add_paragraph('第三条 合同金额：本合同总金额为人民币贰拾陆万捌仟元整（¥268,000.00）。'
                '分三期支付，第1期支付40%。')
d.add_paragraph('开户账号：6222 0210 0109 8765 432')
d.add_paragraph('签订日期：2026年2月20日')
save(d, 'zh-service-contract-period.docx')

# 10. English services agreement with SOW No., list-numbered parties.
d = new()
d.add_paragraph('Managed Security Services Agreement')
d.add_paragraph('Agreement No.: MSSA-2026-09')
d.add_paragraph('This Agreement is made between:')
d.add_paragraph('(1) Harbour City Bank Co., Ltd. (the "Client"); and')
d.add_paragraph('(2) Kestrel Data Services Ltd. (the "Provider").')
d.add_paragraph('Statement of Work: SOW No. 1 - 24x7 security monitoring.')
d.add_paragraph('1. Term. This Agreement commences on 1 April 2026 and continues for '
                '24 months.')
d.add_paragraph('2. Fees. The total Contract Price for the services under SOW No. 1 is '
                'RMB 268,000.00, payable quarterly.')
d.add_paragraph('Clause 7.2 applies to late payment; contact +86 21 5555 0188.')
d.add_paragraph('Date of signing: 20 March 2026')
save(d, 'en-mssa-sow.docx')

# 11. Chinese contract, ① numbering, 自…起…个月, phase payments.
d = new()
d.add_paragraph('渗透测试服务合同')
d.add_paragraph('编号：ST-2026-018')
d.add_paragraph('①甲方：浙江恒泰物流股份有限公司')
d.add_paragraph('②乙方：青岩网安科技有限公司')
d.add_paragraph('服务期限：自2026年5月1日起6个月。')
d.add_paragraph('第2期款项：人民币30,000元。')
d.add_paragraph('合同总价：人民币100,000元。')
d.add_paragraph('签订日期：2026年4月22日')
save(d, 'zh-pentest-contract.docx')
to_odt('zh-pentest-contract.docx')

# 12. English procedure: header line with separators, training topic.
d = new(header='Doc. No. ISP-07 | Rev. B | Page 1 of 4')
d.add_paragraph('Security Awareness and Training Procedure')
d.add_paragraph('Effective date: 1 June 2025')
d.add_paragraph('Approved by: Laura Chen')
d.add_paragraph('1. Purpose')
d.add_paragraph('Every member of staff completes security awareness training each year.')
save(d, 'en-training-procedure.docx')

# 13. Chinese NDA with spaced labels and 甲方（一） numbering.
d = new()
d.add_paragraph('保密协议')
d.add_paragraph('协议编号：BM-2026-005')
d.add_paragraph('甲方（一）：青岩网安科技有限公司')
d.add_paragraph('乙　　方：恒信软件有限公司')
d.add_paragraph('本协议自2026年1月10日起生效，为期3年。')
d.add_paragraph('签署日期：2026年1月10日')
save(d, 'zh-nda-spaced.docx')

# 14. A Chinese finance procedure from pandoc, title as plain paragraph with
#     document number line first.
pandoc('''文件编号：QY-QP-12

财务报销与资金支付规定

版　　本：A/2

批　　准：王建华

生效日期：2025年11月1日

一、目的

规范费用报销与资金支付，加强资金管理。

二、适用范围

适用于公司全部费用报销和对外付款。
''', 'zh-finance-rules.docx')

# 15. Project management procedure whose title sits in the page header only.
d = new(header='项目实施管理程序　QY-QP-05　第1页')
d.add_paragraph('1 目的')
d.add_paragraph('规范信息安全服务项目的立项、实施、交付与验收。')
d.add_paragraph('2 范围')
d.add_paragraph('适用于公司承接的全部服务项目。')
d.add_paragraph('3 职责')
d.add_paragraph('项目经理对项目实施全过程负责。')
d.add_paragraph('4 工作程序')
d.add_paragraph('项目启动、项目计划、项目实施、项目验收。')
table(d, [['版本', 'C/0', '实施日期', '2024年12月1日']])
save(d, 'zh-project-header-title.docx')

# 16. English acceptance with ✔ marks in a table.
d = new()
d.add_paragraph('Acceptance Report')
table(d, [['Project', 'Vulnerability Assessment of ERP System'],
          ['Contract reference', 'VA-2026-020'],
          ['Acceptance date', '2 November 2026'],
          ['Conclusion', '✔ Passed    ☐ Not accepted']])
save(d, 'en-acceptance-tick.docx')

# 17. Acceptance conclusion in words, no boxes.
d = new()
d.add_paragraph('信息系统安全评估项目验收报告')
d.add_paragraph('项目名称：办公网络安全风险评估')
d.add_paragraph('合同编号：PG-2026-033')
d.add_paragraph('验收日期：2026年6月30日')
d.add_paragraph('验收结论：经验收组评审，项目成果符合合同要求，验收合格。')
save(d, 'zh-acceptance-words.docx')

# 18. Phased payments beside the total, a term as a range; pandoc to ODT.
pandoc('''# 网络安全等级保护测评服务合同

合同编号：DB-HT-2026-091

甲方（委托方）：东海市公共资源交易中心

乙方（服务方）：青岩网安科技有限公司

第一条 服务期限：2026年1月1日至2026年12月31日。

第二条 合同金额：人民币120万元（大写：壹佰贰拾万元整），分两期支付：第1期支付人民币60万元，第2期支付人民币60万元。

第三条 乙方联系电话：0571-86001234，开户账号：33050161673500000123。

签订日期：2025年12月20日
''', 'zh-dengbao-contract.odt')

# 19. An English policy with a plain title on confidentiality, ODT.
d = new()
d.add_paragraph('Information Classification and Handling')
d.add_paragraph('Version: 2.1')
d.add_paragraph('Effective from: 1 January 2026')
d.add_paragraph('Approved by: Mark Lee')
d.add_paragraph('1. Purpose')
d.add_paragraph('To protect confidential information of the company and its customers.')
d.add_paragraph('2. Classification levels')
d.add_paragraph('Information is classified as public, internal, confidential or secret.')
d.add_paragraph('3. Handling confidential information')
d.add_paragraph('Confidential documents are labelled and kept in locked storage; '
                'non-disclosure agreements are signed before access.')
save(d, 'en-classification-policy.docx')
to_odt('en-classification-policy.docx')

# 20. A contract written as WordprocessingML by hand (no styles, no header).
W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
paras = ['IT Security Services Contract',
         'Contract No. SC-2026-77',
         'Customer: Bluewater Logistics Inc.',
         'Contractor: Kestrel Data Services Ltd.',
         'Tel: +1 555 0100',
         'The services shall be provided for a period of twelve (12) months from 1 July 2026.',
         'Fee: USD 45,000 for the whole term, invoiced under Schedule 2.',
         'Date of signing: 15 June 2026']
body = ''.join('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % p for p in paras)
doc_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>' % (W, body))
ct = ('<?xml version="1.0" encoding="UTF-8"?>'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
      'officedocument.wordprocessingml.document.main+xml"/></Types>')
rels = ('<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
with zipfile.ZipFile(os.path.join(OUT, 'en-handmade-contract.docx'), 'w',
                     zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', ct)
    z.writestr('_rels/.rels', rels)
    z.writestr('word/document.xml', doc_xml)

# 21. A personnel procedure: the title names no catalog topic word.
d = new(header='青岩网安科技有限公司　受控文件')
d.add_paragraph('人员安全管理规定')
table(d, [['文件编号', 'QY-QP-15', '版　　次', '第2版'],
          ['批　　准', '王建华', '生效日期', '2026年2月1日']])
d.add_paragraph('一、目的')
d.add_paragraph('规范员工从招聘、入职、在岗到离职全过程的安全管理。')
d.add_paragraph('二、适用范围')
d.add_paragraph('适用于公司全体员工及实习人员。')
d.add_paragraph('三、招聘与背景调查')
d.add_paragraph('关键岗位人员入职前进行背景调查。')
d.add_paragraph('四、离职管理')
d.add_paragraph('员工离职当日收回全部权限。')
save(d, 'zh-personnel-rules.docx')

# 22. A revision table newest first without an approver column, Chinese.
d = new()
d.add_paragraph('合同评审与管理程序')
table(d, [['版本号', '日期', '变更说明'],
          ['C/0', '2025年10月8日', '增加电子合同要求'],
          ['B/0', '2022年4月1日', '改版'],
          ['A/0', '2020年1月6日', '首次发布']])
d.add_paragraph('1 目的')
d.add_paragraph('规范合同评审、签订与履约管理。')
save(d, 'zh-contract-proc-newest-first.docx')
