"""english/: Harbourline Cyber Assurance (Shanghai) Co., Ltd., an organisation
that keeps its evidence in English; emergency-response + security-audit.

All requirements are met as of 2026-11-26 except record.projects: the only
security-audit project was signed and accepted before the 12-month window.
Neither category needs supplier management, so mgmt.suppliers is
not-applicable although a supplier procedure is present.
"""
from . import en_docs as e
from . import spell

AS_OF = "2026-11-26"
CATEGORIES = ["emergency-response", "security-audit"]

ORG = {
    "name": "Harbourline Cyber Assurance (Shanghai) Co., Ltd.",
    "credit_code": spell.credit_code("91310000MA1FL8KX2"),
    "legal_rep": "Helen Zhou", "address": "Room 1502, 1000 Lujiazui Ring Road, Pudong, Shanghai",
    "registrar": "Shanghai Administration for Market Regulation", "clerk": "Amy Xu",
    "reviewer": "Peter Gao", "sales": "Kevin Luo", "pm": "Grace Lin",
}
ORG_NAMES = [ORG["name"], "海港线网络安全保障（上海）有限公司"]

ER, SA = "emergency-response", "security-audit"
ER_PROJECT = "Eastwind Logistics Incident Response Retainer"
SA_PROJECT = "Lakeside Data Center Network Security Audit"
ER_CLIENT = "Eastwind Logistics Co., Ltd."
SA_CLIENT = "Lakeside Municipal Data Center"


def documents():
    o = ORG
    risks = [("Client's on-call contact unreachable at night", "Medium", "High", "High",
              "Two named contacts and an escalation list", "Grace Lin", "Closed"),
             ("Forensic image storage insufficient", "Low", "Medium", "Medium",
              "Reserve 4 TB on the evidence server", "Tom Wu", "Open")]
    return [
        e.business_license("01-Business-License", "python-docx", o, "2018-09-03", "2023-06-12"),
        e.declaration("02-Declaration-of-No-Violations", "lo-odt", o, "2026-02-10"),
        e.procedure("03-Financial-Management-Procedure", "python-docx", o, "finance",
                    "Financial Management Procedure", "HL-FIN-01", "Rev. 2", "2025-01-05"),
        e.audit_report("04-Auditors-Report-FY2025", "lo-docx", o, 2025, "2026-04-15",
                       "Bund & Partners"),
        e.lease("05-Office-Lease-Agreement", "lo-odt", o,
                "Pudong Harbour Property Management Co., Ltd.", o["address"], 210,
                "2024-02-01", "2027-01-31", 1512000, "2024-01-15"),
        e.cv("06-CV-Helen-Zhou", "python-docx", o, "Helen Zhou", "Managing Director", [
            ("2009-08-01", "2013-12-01", "Pacific Telecom Services Ltd.", "Network Engineer"),
            ("2014-01-01", "2018-08-01", "Pacific Telecom Services Ltd.", "IT Operations Manager"),
            ("2018-09-01", None, o["name"], "Managing Director")],
            "MSc Information Systems, University of Hong Kong, 2009"),
        e.cv("07-CV-David-Chen", "lo-html-odt", o, "David Chen", "Technical Director", [
            ("2010-07-01", "2016-06-01", "Redline Security Consulting", "Security Engineer"),
            ("2016-07-01", "2019-02-01", "Redline Security Consulting", "Incident Response Lead"),
            ("2019-03-01", None, o["name"], "Technical Director")],
            "BEng Computer Science, Zhejiang University, 2010"),
        e.certificate("08-Certificate-David-Chen-CISAW-ER", "python-docx", o, "David Chen",
                      "CISAW Information Security Assurance Personnel - Emergency Response",
                      "CISAW-ER-2025-003317", ER, "2025-06-01", "2028-05-31",
                      "China Cybersecurity Review Technology and Certification Center"),
        e.certificate("09-Certificate-Grace-Lin-CISSP", "lo-odt", o, "Grace Lin",
                      "Certified Information Systems Security Professional (CISSP)",
                      "CISSP-771204", None, "2024-09-01", "2027-08-31", "ISC2",
                      title="Certification"),
        e.certificate("10-Certificate-Grace-Lin-CISAW-Audit", "lo-docx", o, "Grace Lin",
                      "CISAW Information Security Assurance Personnel - Security Audit",
                      "CISAW-SA-2026-000412", SA, "2026-01-15", "2029-01-14",
                      "China Cybersecurity Review Technology and Certification Center"),
        e.service_contract("11-Incident-Response-Services-Agreement-HL-SA-2026-007", "python-docx",
                           o, "HL-SA-2026-007", ER_PROJECT, ER, ER_CLIENT, "2026-01-12",
                           "2026-02-01", "2026-06-30", 50000, "usd", "USD"),
        e.acceptance("12-Acceptance-Certificate-HL-SA-2026-007", "lo-odt", o,
                     "Acceptance Certificate", "HL-SA-2026-007", ER_PROJECT, ER, ER_CLIENT,
                     "2026-07-20", date_style="enord"),
        e.service_contract("13-Security-Audit-Services-Contract-HL-SA-2025-002", "lo-docx", o,
                           "HL-SA-2025-002", SA_PROJECT, SA, SA_CLIENT, "2025-03-05",
                           "2025-04-01", "2025-05-31", 1200000, "rmb-million", "CNY",
                           date_style="us", title="Contract for Network Security Audit Services"),
        e.acceptance("14-Acceptance-Report-HL-SA-2025-002", "pandoc-docx", o, "Acceptance Report",
                     "HL-SA-2025-002", SA_PROJECT, SA, SA_CLIENT, "2025-06-30",
                     date_style="enshort"),
        e.procedure("15-Personnel-Management-Procedure", "lo-odt", o, "personnel",
                    "Personnel Management Procedure", "HL-QP-01", "Rev. 1", "2025-01-05"),
        e.procedure("16-Training-Management-Procedure", "python-docx", o, "training",
                    "Training Management Procedure", "HL-QP-02", "Rev. 1", "2025-01-05"),
        e.procedure("17-Document-Control-Procedure", "lo-docx", o, "documents",
                    "Document Control Procedure", "HL-QP-03", "Rev. 3", "2026-02-01"),
        e.procedure("18-Document-Control-Procedure-old", "python-docx", o, "documents",
                    "Document Control Procedure", "HL-QP-03", "Rev. 1", "2023-03-01"),
        e.procedure("19-Project-Management-Procedure", "lo-odt", o, "projects",
                    "Project Management Procedure", "HL-QP-04", "Rev. 2", "2025-01-05",
                    header=False),
        e.procedure("20-Confidentiality-Management-Procedure", "python-docx", o, "confidentiality",
                    "Confidentiality Management Procedure", "HL-QP-05", "Rev. 1", "2025-01-05"),
        e.procedure("21-Supplier-Management-Procedure", "lo-docx", o, "suppliers",
                    "Supplier Management Procedure", "HL-QP-06", "Rev. 1", "2025-01-05"),
        e.procedure("22-Contract-Management-Procedure", "lo-odt", o, "contracts",
                    "Contract Management Procedure", "HL-QP-07", "Rev. 1", "2025-01-05"),
        e.training_plan("23-Staff-Training-Plan-2026", "python-docx", o, 2026, [
            ("Incident handling and forensics", "Engineers", 3, 8, "David Chen"),
            ("Network security audit techniques", "Engineers", 6, 8, "Grace Lin"),
            ("Project management basics", "Project managers", 8, 4, "Grace Lin"),
            ("Security awareness and confidentiality", "All staff", 10, 2, "Amy Xu")]),
        e.training_record("24-Training-Record-Incident-Handling", "lo-odt", o,
                          "Incident handling drill", "2026-05-14", "David Chen",
                          ["Grace Lin", "Tom Wu", "Peter Gao"]),
        e.nda("25-Confidentiality-Agreement-David-Chen", "python-docx", o, "David Chen",
              "2019-03-04"),
        e.nda("26-Non-Disclosure-Agreement-Grace-Lin", "lo-docx", o, "Grace Lin", "2022-06-10",
              title="Non-Disclosure Agreement"),
        e.nda("27-Confidentiality-Agreement-Tom-Wu", "lo-odt", o, "Tom Wu", "2024-06-01",
              end="2026-05-31"),
        e.risk_register("28-Project-Risk-Register-Eastwind", "lo-docx", o, ER_PROJECT,
                        "2026-02-20", risks),
        e.contract_template("29-Services-Contract-Template", "python-docx", o, "2.0"),
        e.service_process("30-Incident-Response-Service-Process", "lo-odt", o, ER,
                          "Incident Response Service Process", [
                              ("1 Initiation", "Retainer contract", "Agree contacts and severity levels",
                               "Contact sheet", "Project manager"),
                              ("2 Preparation", "Contact sheet", "Review client systems and logging",
                               "Readiness report", "Engineer"),
                              ("3 Implementation", "Incident ticket", "Contain, eradicate, recover",
                               "Incident report", "Engineer"),
                              ("4 Acceptance", "Incident report", "Client review", "Signed report",
                               "Client"),
                              ("5 Delivery", "Signed report", "Lessons learned session",
                               "Improvement list", "Technical Director")]),
        e.service_process("31-Security-Audit-Service-Workflow", "python-docx", o, SA,
                          "Security Audit Service Workflow", [
                              ("1 Initiation", "Contract", "Agree audit scope and baseline", "Audit plan",
                               "Project manager"),
                              ("2 Preparation", "Audit plan", "Collect configurations and audit logs",
                               "Evidence set", "Engineer"),
                              ("3 Implementation", "Evidence set", "Check against the baseline",
                               "Audit findings", "Engineer"),
                              ("4 Acceptance", "Audit findings", "Client review", "Signed findings",
                               "Client"),
                              ("5 Delivery", "Signed findings", "Hand over the audit report",
                               "Audit report", "Technical Director")]),
        e.service_standard("32-Incident-Handling-Work-Instruction", "lo-docx", o, ER,
                           "Incident Handling Work Instruction",
                           ["GB/Z 20986-2007 Guidelines for the classification of information "
                            "security incidents", "GB/T 24363-2009 Specifications of emergency "
                            "response plan for information security"],
                           ["Incidents shall be graded within 30 minutes of the report.",
                            "Evidence shall be imaged before any change to an affected host."]),
        e.service_standard("33-Security-Audit-Technical-Standard", "lo-html-odt", o, SA,
                           "Security Audit Technical Standard",
                           ["GB/T 22239-2019 Baseline for classified protection of cybersecurity"],
                           ["Audit logs shall be reviewed for the whole period agreed in the contract.",
                            "Every finding shall cite the baseline item it breaks."]),
        e.other("34-Meeting-Minutes-2026-10", "pandoc-docx", o, "Meeting Minutes", [
                    ("p", "Date: 14 October 2026. Present: Helen Zhou, David Chen, Grace Lin."),
                    ("p", "1. Sales pipeline: two incident response retainers under negotiation."),
                    ("p", "2. Certification: prepare the evidence folder for the audit.")],
                "2026-10-14", "meeting minutes"),
        e.other("35-Staff-Newsletter-Autumn-2026", "lo-html-odt", o, "Staff Newsletter - Autumn 2026", [
                    ("p", "Welcome to our new engineers; photos from the team outing; "
                          "reminder: annual confidentiality training in October.")],
                "2026-09-30", "newsletter"),
        e.other("36-Purchase-Order-Laptops", "python-docx", o, "Purchase Order", [
                    ("kv", [("PO No.", "PO-2026-0088"), ("Supplier", "Shanghai Bright Computer Co., Ltd."),
                            ("Date", "8 April 2026")]),
                    ("grid", ["Item", "Qty", "Unit price", "Total"],
                     [["Laptop 14-inch", "6", "RMB 7,800.00", "RMB 46,800.00"]])],
                "2026-04-08", "goods-only purchase"),
    ]


REQUIREMENTS = {
    "legal.entity": ("met", "01 business licence, term long-term"),
    "legal.compliance": ("met", "02 declaration dated 2026-02-10 (needs review: older than 6 months, credit standing)"),
    "finance.management": ("met", "03 Financial Management Procedure HL-FIN-01 Rev. 2; 04 auditor's report as support"),
    "site.office": ("met", "05 lease 2024-02-01..2027-01-31 covers as-of (needs review: renewal, ends within 90 days)"),
    "staff.head": ("met", "06 CV of Helen Zhou, Managing Director"),
    "staff.technical-director": ("met", "07 CV of David Chen, Technical Director, + current certificates 08/09/10 (08 emergency-response, 10 security-audit)"),
    "staff.engineers": ("met", "certificates 08, 09, 10 valid on as-of"),
    "record.duration": ("met", "emergency-response: HL-SA-2026-007 signed 2026-01-12 (+4 months 2026-05-12); security-audit: HL-SA-2025-002 signed 2025-03-05"),
    "record.projects": ("expired", "emergency-response met (HL-SA-2026-007 signed 2026-01-12, accepted 2026-07-20); security-audit: only HL-SA-2025-002, signed 2025-03-05 and accepted 2025-06-30, both before the window (after 2025-11-26)"),
    "mgmt.personnel": ("met", "15 Personnel Management Procedure HL-QP-01"),
    "mgmt.training": ("met", "23 Staff Training Plan 2026 + 24 training record 2026-05-14"),
    "mgmt.documents": ("met", "17 Document Control Procedure HL-QP-03 Rev. 3; 18 (Rev. 1) superseded"),
    "mgmt.projects": ("met", "19 Project Management Procedure + 28 risk register"),
    "mgmt.confidentiality": ("met", "20 Confidentiality Management Procedure + agreements 25, 26, 27 (27 ended 2026-05-31: review reason)"),
    "mgmt.suppliers": ("not-applicable", "neither emergency-response nor security-audit needs supplier management at Level 3 (21 is present but not required)"),
    "mgmt.contracts": ("met", "22 Contract Management Procedure + 29 Services Contract Template"),
    "tech.process": ("met", "30 names emergency-response, 31 names security-audit"),
    "tech.standards": ("met", "32 names emergency-response, 33 names security-audit"),
}

PER_CATEGORY = {
    "staff.technical-director": {ER: "met", SA: "met"},
    "staff.engineers": {ER: "met", SA: "met"},
    "record.duration": {ER: "met", SA: "met"},
    "record.projects": {ER: "met", SA: "expired"},
    "tech.process": {ER: "met", SA: "met"},
    "tech.standards": {ER: "met", SA: "met"},
}
