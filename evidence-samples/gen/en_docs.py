"""Builders of English evidence documents (English titles, labels, spellings)."""
from . import spell
from .model import Doc
from .zh_docs import expect as _expect

CATEGORY_EN = {
    "risk-assessment": "risk assessment",
    "security-integration": "security integration",
    "security-operations": "security operation and maintenance",
    "emergency-response": "incident response",
    "disaster-recovery": "disaster recovery",
    "security-audit": "network security audit",
}

SCOPE_EN = {
    "emergency-response": "The Provider shall deliver incident response services: a 24-hour hotline, "
                          "incident handling on site within four hours, root-cause analysis, and a yearly "
                          "emergency response drill with the Client's IT staff.",
    "disaster-recovery": "The Provider shall deliver disaster recovery services: design of the backup and "
                         "recovery scheme for the Client's core systems, a recovery test against agreed RTO and "
                         "RPO targets, and a business continuity runbook.",
    "security-audit": "The Provider shall perform a network security audit of the Client's networks: "
                      "review of firewall and access-control configuration, review of audit logs against "
                      "the compliance baseline, and a report of the audit findings.",
}


def expect(kind, fields, topic=None, subtype=None):
    return _expect(kind, fields, topic=topic, subtype=subtype, lang="en")


def business_license(name, producer, org, established, issued):
    blocks = [
        ("title", "Business License"),
        ("p", "(English translation of the duplicate copy)"),
        ("kv", [("Unified Social Credit Code", org["credit_code"]), ("Name", org["name"]),
                ("Type", "Limited liability company (wholly foreign-owned)"),
                ("Legal representative", org["legal_rep"]),
                ("Registered capital", "USD 2,000,000"),
                ("Date of establishment", spell.date(established, "en")),
                ("Business term", spell.date(established, "en") + " to long-term"),
                ("Address", org["address"]),
                ("Business scope", "Information security technical services; IT consulting; "
                                   "computer systems services.")]),
        ("p", f"Registration authority: {org['registrar']}"),
        ("p", f"Date of issue: {spell.date(issued, 'en')}"),
    ]
    fields = {"title": "Business License", "org_name": org["name"],
              "credit_code": org["credit_code"], "legal_representative": org["legal_rep"],
              "established_on": established, "end_on": None}
    return Doc(name, producer, "en", blocks, expect("business-license", fields),
               meta={"creator": org["clerk"], "created": issued + "T10:00:00"})


def declaration(name, producer, org, issued):
    title = "Declaration of No Violations"
    blocks = [
        ("title", title),
        ("p", f"Company name: {org['name']}"),
        ("p", f"Unified Social Credit Code: {org['credit_code']}"),
        ("p", "We declare that in the past three years the company has had no administrative "
              "penalty, is not on the list of dishonest persons subject to enforcement, and is not "
              "on the list of enterprises with abnormal operations in the National Enterprise Credit "
              "Information Publicity System or on Credit China."),
        ("p", "We accept the consequences of any false statement in this declaration."),
        ("sign", [f"{org['name']} (seal)", f"Legal representative: {org['legal_rep']}"],
         ["", f"Date of issue: {spell.date(issued, 'us')}"]),
    ]
    fields = {"title": title, "org_name": org["name"], "issued_on": issued}
    return Doc(name, producer, "en", blocks, expect("credit-report", fields, subtype="declaration"),
               meta={"creator": org["clerk"], "created": issued + "T10:00:00"})


PROCEDURE_BODY_EN = {
    "personnel": ["Human Resources defines the competence required for each service post and keeps a "
                  "job description stating the responsibilities and the technical ability required.",
                  "Each engineer is evaluated at the end of probation and once a year; the evaluation "
                  "shows the person is competent for the post."],
    "training": ["The Quality Manager prepares a yearly training plan covering technique, skills, "
                 "management and security awareness.",
                 "Attendance and assessment results are recorded and archived."],
    "documents": ["Authors prepare documents; the department head reviews them and the Managing "
                  "Director approves and issues them with a distribution number.",
                  "Controlled documents are retained and archived on the document server, distributed "
                  "and transmitted only through it, and delivered to clients after the project manager's "
                  "check; internal use is logged.",
                  "Obsolete documents are withdrawn, marked and destroyed."],
    "projects": ["The project manager organises and plans each service project and agrees milestones "
                 "and deliverables with the client.",
                 "Project risks are identified, entered in the project risk register, treated and "
                 "tracked to closure; delivery ends with the client's acceptance."],
    "confidentiality": ["Every post has stated confidentiality duties; every employee signs a "
                        "confidentiality agreement on joining.",
                        "Confidentiality education is given at least once a year; client sensitive "
                        "information and intellectual property are protected as the client requires."],
    "suppliers": ["Purchasing evaluates suppliers of security products and subcontracted services "
                  "against the security requirements of the service and keeps an approved supplier list.",
                  "Suppliers are re-evaluated every year."],
    "contracts": ["Sales drafts every contract from the company's standard contract template; legal "
                  "review and the Managing Director's approval precede signature.",
                  "Projects are carried out as contracted; client sensitive information and "
                  "intellectual property are protected."],
    "finance": ["Finance plans the funds the services need, approves expenses at the delegated levels "
                "and closes the accounts monthly.",
                "Capital expenditure above USD 20,000 needs the Managing Director's approval."],
}


def procedure(name, producer, org, topic, title, number, version, effective, header=True):
    control = [("Document No.", number, "Revision", version),
               ("Effective date", spell.date(effective, "en"), "Status", "Controlled"),
               ("Prepared by", org["clerk"], "Reviewed by", org["reviewer"]),
               ("Approved by", org["legal_rep"], "Copy No.", "02")]
    body = [("title", title)]
    if not header:
        body.append(("kv4", control))
    body += [("h", "1 Purpose"), ("p", f"This procedure sets out how {org['name']} manages {topic}."),
             ("h", "2 Scope"), ("p", "All departments and all service staff."),
             ("h", "3 Responsibilities"),
             ("p", "The Managing Director approves this procedure; department heads apply it."),
             ("h", "4 Procedure")]
    for i, text in enumerate(PROCEDURE_BODY_EN[topic], 1):
        body.append(("p", f"4.{i} {text}"))
    body += [("h", "5 Records"), ("p", "Records are kept under the Document Control Procedure.")]
    hdr = [("p", f"{org['name']} - Management System"), ("kv4", control)] if header else []
    footer = [("p", "Internal - Controlled copy")]
    fields = {"title": title, "doc_number": number, "version": version,
              "effective_on": effective, "approved_by": org["legal_rep"]}
    return Doc(name, producer, "en", body, expect("procedure", fields, topic=topic),
               header=hdr, footer=footer,
               meta={"creator": org["clerk"], "created": effective + "T09:00:00"})


def service_contract(name, producer, org, number, project, category, party_a, signed,
                     start, end, value, amount_style, currency, date_style="en",
                     title=None):
    title = title or f"{CATEGORY_EN[category].title()} Services Agreement"
    blocks = [
        ("title", title),
        ("kv", [("Contract No.", number), ("Project", project),
                ("Date of signing", spell.date(signed, date_style))]),
        ("p", f"This agreement is made between {party_a} (\"Party A\") and "
              f"{org['name']} (\"Party B\"). Party A is the client and Party B the provider."),
        ("h", "1. Scope of Services"), ("p", SCOPE_EN[category]),
        ("h", "2. Term"),
        ("p", f"Term: from {spell.date(start, date_style)} to {spell.date(end, date_style)}."),
        ("h", "3. Contract Price"),
        ("p", f"Contract price: {spell.amount(value, amount_style)}, taxes included, payable 50% on "
              "signature and 50% on acceptance."),
        ("h", "4. Confidentiality"),
        ("p", "Each party keeps the other's confidential information secret during the term and "
              "for three years after it."),
        ("h", "5. Liability"),
        ("p", "A party in breach compensates the other party's direct losses."),
        ("sign", [f"For Party A: {party_a}", "Signature: ", f"Date: {spell.date(signed, date_style)}"],
         [f"For Party B: {org['name']}", "Signature: ", f"Date: {spell.date(signed, date_style)}"]),
    ]
    fields = {"title": title, "doc_number": number, "project_name": project,
              "party_a": party_a, "party_b": org["name"], "signed_on": signed,
              "start_on": start, "end_on": end,
              "amount": spell.amount_value(value, currency), "service_category": category}
    return Doc(name, producer, "en", blocks, expect("service-contract", fields),
               meta={"creator": org["sales"], "created": signed + "T15:00:00"})


def acceptance(name, producer, org, title, contract_ref, project, category, party_a,
               completed, date_style="en"):
    blocks = [
        ("title", title),
        ("kv", [("Contract reference", contract_ref), ("Project", project), ("Client", party_a),
                ("Provider", org["name"]), ("Date of acceptance", spell.date(completed, date_style))]),
        ("p", f"The Client has reviewed the deliverables and the service records of the "
              f"{CATEGORY_EN[category]} services listed in the contract."),
        ("p", [("Conclusion: ", "b"), ("accepted.", "")]),
        ("sign", ["Client representative:", f"Date: {spell.date(completed, date_style)}"],
         ["Provider project manager:", f"Date: {spell.date(completed, date_style)}"]),
    ]
    fields = {"title": title, "contract_ref": contract_ref, "project_name": project,
              "party_a": party_a, "party_b": org["name"], "completed_on": completed,
              "acceptance_result": "pass", "service_category": category}
    return Doc(name, producer, "en", blocks, expect("acceptance-report", fields),
               meta={"creator": org["pm"], "created": completed + "T11:00:00"})


def lease(name, producer, org, landlord, premises, area, start, end, rent, signed):
    blocks = [
        ("title", "Office Lease Agreement"),
        ("p", f"Landlord: {landlord}"),
        ("p", f"Tenant: {org['name']}"),
        ("kv", [("Premises", premises), ("Floor area", f"{area:g} square metres"),
                ("Use", "Office")]),
        ("h", "1. Term"),
        ("p", f"Term: from {spell.date(start, 'en')} to {spell.date(end, 'en')}."),
        ("h", "2. Rent"),
        ("p", f"Rent for the whole term: {spell.amount(rent, 'rmb')}, payable quarterly in advance; "
              "a deposit of three months' rent is held by the Landlord."),
        ("sign", [f"Landlord: {landlord}", f"Date: {spell.date(signed, 'en')}"],
         [f"Tenant: {org['name']}", f"Date: {spell.date(signed, 'en')}"]),
    ]
    fields = {"title": "Office Lease Agreement", "party_a": landlord, "party_b": org["name"],
              "start_on": start, "end_on": end, "address": premises, "area_sqm": area,
              "amount": spell.amount_value(rent), "signed_on": signed}
    return Doc(name, producer, "en", blocks, expect("lease-contract", fields),
               meta={"creator": org["clerk"], "created": signed + "T10:00:00"})


def cv(name, producer, org, person, role, experience, education):
    rows = [[spell.month(s, "en") + " - " + (spell.month(e, "en") if e else "present"), emp, post]
            for s, e, emp, post in experience]
    blocks = [
        ("title", "Curriculum Vitae"),
        ("kv", [("Name", person), ("Position", role), ("Nationality", "Chinese")]),
        ("h", "Work Experience"),
        ("grid", ["Period", "Employer", "Role"], rows),
        ("h", "Education"),
        ("p", education),
    ]
    exp_list = [{"from": spell.month_first(s), "to": spell.month_last(e) if e else None,
                 "employer": emp, "role": post} for s, e, emp, post in experience]
    fields = {"title": "Curriculum Vitae", "person_name": person, "person_role": role,
              "experience": exp_list}
    return Doc(name, producer, "en", blocks, expect("resume", fields),
               meta={"creator": person, "created": "2026-01-20T10:00:00"})


def certificate(name, producer, org, holder, cert_name, number, category, issued, valid_until,
                issuer, title="Personnel Certificate"):
    blocks = [
        ("title", title),
        ("p", f"This is to certify that {holder} has met the requirements of the scheme below."),
        ("kv", [("Holder", holder), ("Certificate", cert_name), ("Certificate No.", number),
                ("Date of issue", spell.date(issued, "en")),
                ("Valid until", spell.date(valid_until, "en")), ("Issued by", issuer)]),
    ]
    fields = {"title": title, "holder": holder, "cert_name": cert_name, "cert_number": number,
              "service_category": category, "issued_on": issued, "valid_until": valid_until}
    return Doc(name, producer, "en", blocks, expect("certificate", fields, subtype="personnel"),
               meta={"creator": org["clerk"], "created": issued + "T09:00:00"})


def nda(name, producer, org, employee, signed, end=None, title="Confidentiality Agreement"):
    term = (f"Expiry date: {spell.date(end, 'en')}. The duty of confidentiality "
            "survives for two years after expiry." if end else
            "The duty of confidentiality lasts during employment and for three years after it.")
    blocks = [
        ("title", title),
        ("p", f"Employer: {org['name']}"),
        ("p", f"Employee: {employee}"),
        ("p", "The Employee will receive confidential information of the Employer and of its "
              "clients. The Employee accepts the following obligations of confidentiality."),
        ("h", "1. Confidential information"),
        ("p", "Business secrets, technical data, client data and information about client "
              "systems learned while providing security services."),
        ("h", "2. Term"), ("p", term),
        ("sign", [f"For the Employer: {org['legal_rep']}", f"Date: {spell.date(signed, 'en')}"],
         [f"Employee: {employee}", f"Date: {spell.date(signed, 'en')}"]),
    ]
    fields = {"title": title, "party_a": org["name"], "employee": employee,
              "signed_on": signed, "end_on": end}
    return Doc(name, producer, "en", blocks,
               expect("confidentiality-agreement", fields, subtype="employee"),
               meta={"creator": org["clerk"], "created": signed + "T09:00:00"})


def training_plan(name, producer, org, year, rows):
    title = f"Staff Training Plan {year}"
    blocks = [
        ("title", title),
        ("p", "Competence development for service staff: technique, skills, management and awareness."),
        ("grid", ["No.", "Training content", "Audience", "Planned month", "Hours", "Owner"],
         [[str(i), c, a, spell.month(f"{year}-{m:02d}-01", "en"), str(h), o]
          for i, (c, a, m, h, o) in enumerate(rows, 1)]),
    ]
    fields = {"title": title, "period_start": f"{year}-01-01", "period_end": f"{year}-12-31"}
    return Doc(name, producer, "en", blocks, expect("training-plan", fields),
               meta={"creator": org["clerk"], "created": f"{year - 1}-12-15T09:00:00"})


def training_record(name, producer, org, subject, held, trainer, attendees):
    title = "Training Record"
    blocks = [
        ("title", title),
        ("kv", [("Subject", subject), ("Date", spell.date(held, "en")), ("Trainer", trainer),
                ("Attendees", ", ".join(attendees))]),
        ("grid", ["No.", "Name", "Signature", "Assessment"],
         [[str(i), a, a, "pass"] for i, a in enumerate(attendees, 1)]),
    ]
    fields = {"title": title, "held_on": held, "attendees": attendees}
    return Doc(name, producer, "en", blocks, expect("training-record", fields, subtype="training"),
               meta={"creator": org["clerk"], "created": held + "T17:00:00"})


def risk_register(name, producer, org, project, dated, risks):
    title = "Project Risk Register"
    blocks = [
        ("title", title),
        ("kv", [("Project", project), ("Project manager", org["pm"]),
                ("Date", spell.date(dated, "en"))]),
        ("grid", ["No.", "Risk description", "Likelihood", "Impact", "Risk level",
                  "Response", "Owner", "Status"],
         [[str(i)] + list(r) for i, r in enumerate(risks, 1)]),
    ]
    fields = {"title": title, "project_name": project}
    return Doc(name, producer, "en", blocks, expect("risk-record", fields),
               meta={"creator": org["pm"], "created": dated + "T10:00:00"})


def contract_template(name, producer, org, version):
    title = "Services Contract Template"
    blocks = [
        ("title", title),
        ("p", f"Version: {version}. Applies to all security service projects."),
        ("kv", [("Contract No.", "[Contract No.]"), ("Client", "[Client Name]")]),
        ("p", "Party A: ____________________"),
        ("p", f"Party B: {org['name']}"),
        ("h", "1. Scope of Services"), ("p", "[Describe the services]"),
        ("h", "2. Contract Price"), ("p", "Contract price: [amount], taxes included."),
        ("h", "3. Confidentiality"),
        ("p", "Party B keeps confidential all client information it learns while providing the services."),
        ("h", "4. Intellectual Property"),
        ("p", "Intellectual property in the deliverables passes to Party A on payment; "
              "Party B warrants the deliverables infringe no third party's rights."),
        ("sign", ["Party A: ____________", "Date: ____________"],
         ["Party B: ____________", "Date: ____________"]),
    ]
    fields = {"title": title, "version": version, "party_a": None, "signed_on": None}
    return Doc(name, producer, "en", blocks, expect("contract-template", fields),
               meta={"creator": org["sales"], "created": "2025-01-20T09:00:00"})


def service_process(name, producer, org, category, title, steps):
    blocks = [
        ("title", title),
        ("p", f"How {org['name']} delivers {CATEGORY_EN[category]} services: "
              "initiation, preparation, implementation, acceptance, delivery."),
        ("grid", ["Step", "Input", "Activity", "Output", "Role"], [list(s) for s in steps]),
    ]
    fields = {"title": title, "service_category": category}
    return Doc(name, producer, "en", blocks, expect("service-process", fields),
               meta={"creator": org["pm"], "created": "2025-03-01T09:00:00"})


def service_standard(name, producer, org, category, title, refs, checks):
    blocks = [
        ("title", title),
        ("h", "1 Scope"),
        ("p", f"Technical requirements for {CATEGORY_EN[category]} services."),
        ("h", "2 Normative references"), ("p", "; ".join(refs) + "."),
        ("h", "3 Requirements"),
    ] + [("p", f"3.{i} {c}") for i, c in enumerate(checks, 1)]
    fields = {"title": title, "service_category": category}
    return Doc(name, producer, "en", blocks, expect("service-standard", fields),
               meta={"creator": org["pm"], "created": "2025-03-05T09:00:00"})


def other(name, producer, org, title, blocks_after_title, created, why):
    exp = expect("other", {"title": title})
    exp["why"] = why
    return Doc(name, producer, "en", [("title", title)] + blocks_after_title, exp,
               meta={"creator": org["clerk"], "created": created + "T10:00:00"})


def audit_report(name, producer, org, year, issued, firm):
    title = "Independent Auditor's Report"
    blocks = [
        ("title", title),
        ("p", f"To the shareholders of {org['name']}"),
        ("h", "Opinion"),
        ("p", f"We have audited the financial statements, which comprise the balance sheet as at "
              f"31 December {year}, the income statement and the cash flow statement for the year "
              "then ended. In our opinion they present fairly the company's financial position."),
        ("p", f"{firm}, Certified Public Accountants"),
        ("p", f"Report date: {spell.date(issued, 'en')}"),
    ]
    fields = {"title": title, "issued_on": issued}
    return Doc(name, producer, "en", blocks, expect("audit-report", fields),
               meta={"creator": "Audit team", "created": issued + "T09:00:00"})
