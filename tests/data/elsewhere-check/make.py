#!/usr/bin/python3
"""Build the 'elsewhere-check' set: eight documents written after the issue
11 fixes, in wordings the tuning set does not use, scored once and not
tuned on (the fixes were not changed after seeing its figures).

usage: tests/data/elsewhere-check/make.py OUTDIR     (python3-docx, LibreOffice)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'elsewhere'))
import docgen  # noqa: E402
from docgen import new, save, table  # noqa: E402

docgen.OUT = sys.argv[1] if len(sys.argv) > 1 else '.'


d = new()
d.add_paragraph('系统集成项目竣工验收单')
table(d, [['项目名称', '数据中心安全加固项目', '合同编号', 'JC-2026-045'],
          ['验收时间', '2026年8月18日', '', ''],
          ['验收意见', '通过（√）    不通过（ ）', '', '']])
save(d, 'c1-zh-acceptance-paren-tick.docx')

d = new()
d.add_paragraph('Acceptance Note')
d.add_paragraph('Project: SOC Onboarding for Retail Systems')
d.add_paragraph('Contract No.: SOC-2026-12')
d.add_paragraph('Acceptance date: 3 September 2026')
d.add_paragraph('Conclusion: ☐ Rejected   ☒ Accepted')
save(d, 'c2-en-acceptance-cross.docx', odt=True)

d = new()
d.add_paragraph('信息安全咨询服务合同')
d.add_paragraph('合同编号：ZX-2026-008')
d.add_paragraph('委托方（甲方）：南京江北新区管理委员会')
d.add_paragraph('受托方（乙方）：青岩网安科技有限公司')
d.add_paragraph('一、服务期限：自2026年9月1日起，为期一年。')
d.add_paragraph('二、合同金额：人民币（大写）叁拾万元整（￥300,000.00），第一期支付50%。')
d.add_paragraph('三、联系人：刘洋，电话：025-58801234。')
d.add_paragraph('签订日期：2026年8月25日')
save(d, 'c3-zh-consulting-contract.docx')

d = new(header='Document Owner: CISO | Version 1.0 | Effective date: 1 May 2025')
d.add_paragraph('Supplier Security Policy')
d.add_paragraph('1. Purpose')
d.add_paragraph('This policy protects company information that suppliers access.')
d.add_paragraph('2. Supplier assessment')
d.add_paragraph('Suppliers are assessed before onboarding and every year after.')
d.add_paragraph('3. Third-party access')
d.add_paragraph('Third parties get the least access their contract needs.')
save(d, 'c4-en-supplier-policy.docx')

d = new()
d.add_paragraph('档案与资料管理办法')
d.add_paragraph('修改记录')
table(d, [['版本', '修改日期', '修改人', '审批人'],
          ['1.0', '2020-05-06', '周敏', '李强'],
          ['1.1', '2023-03-15', '周敏', '李强'],
          ['2.0', '2025-12-01', '吴迪', '王建华']])
d.add_paragraph('第一条 目的')
d.add_paragraph('加强档案与资料的归档、保管和借阅管理。')
d.add_paragraph('第二条 范围')
d.add_paragraph('适用于公司各类档案、记录与技术资料。')
save(d, 'c5-zh-archives-revtable.docx', odt=True)

d = new()
d.add_paragraph('Security Monitoring Services Contract')
d.add_paragraph('Contract No.: SM-2026-31')
d.add_paragraph('Client: Northgate Hospital Trust')
d.add_paragraph('Contractor: Kestrel Data Services Ltd.')
d.add_paragraph('This Contract shall remain in force for two (2) years from 1 May 2026.')
d.add_paragraph('Contract price: EUR 80,000 (Schedule 3 sets out the milestones).')
d.add_paragraph('Date of signing: 28 April 2026')
save(d, 'c6-en-monitoring-contract.docx')

d = new()
d.add_paragraph('商业秘密保护协议')
d.add_paragraph('甲　　方：青岩网安科技有限公司')
d.add_paragraph('乙　　方：杭州数安信息技术有限公司')
d.add_paragraph('本协议有效期为两年，自2026年7月1日起计算。')
d.add_paragraph('签署日期：2026年6月28日')
save(d, 'c7-zh-trade-secret-nda.docx')

d = new(header='文件编号：QY/QP-21　版本：A/2　页码：1/6')
d.add_paragraph('员工教育与技能提升管理程序')
d.add_paragraph('1 目的')
d.add_paragraph('提升员工的安全意识与专业技能。')
d.add_paragraph('2 范围')
d.add_paragraph('适用于全体员工的入职教育、岗位培训与外部培训。')
d.add_paragraph('3 培训需求与计划')
d.add_paragraph('人力资源部每年汇总培训需求。')
table(d, [['编制', '周敏', '审核', '孙立', '批准', '王建华'],
          ['发布日期', '2025年3月1日', '实施日期', '2025年3月15日', '', '']])
save(d, 'c8-zh-training-header-control.docx')
