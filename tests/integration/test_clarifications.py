"""The clarifications of requirements.md 7a (and the lease's last day),
through the real daemon and client on documents written here: a folder
whose business licence is a photo and whose only staff NDA is not a DOCX
at all says so by name in `status`, `requirement` and `audit`; a lease
counts on its last day and not the day after; a contract signed before the
window but accepted inside it is partial; a procedure for comment is not in
force; a procedure's edition is its control block's, not the oldest row of
its revision history; a technical director is not the head; a register of
signed NDAs is not an NDA. Each document is built here as a person's word processor would
write it (a DOCX of paragraphs and tables), not taken from the samples."""
import os
import sys
import zipfile
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

ORG = "青云网安技术有限公司"
CLIENT = "华东电力信息有限公司"
AS_OF = "2026-06-30"            # the lease's last day
LICENCE = "legal/营业执照（副本）.jpg"
NDA = "nda/员工保密协议-张伟.docx"
# Why the photo of the licence is not read, with OCR off: the daemon's
# answer must not depend on whether OCR got to it yet.
WAITING = "a scan waiting for OCR (or OCR is off)"
NO_OCR = "[ocr]\nocr = off\n"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def para(text, title=False):
    ppr = '<w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>' if title else "<w:r>"
    return '<w:p>%s<w:t xml:space="preserve">%s</w:t></w:r></w:p>' % (ppr, escape(text))


def table(rows):
    return "<w:tbl>%s</w:tbl>" % "".join(
        "<w:tr>%s</w:tr>" % "".join("<w:tc>%s</w:tc>" % para(c) for c in row) for row in rows)


def write_docx(path, title, blocks):
    """A DOCX whose first paragraph, bold and centred, is the title; a list
    in `blocks` is a table (a list of rows), anything else a paragraph."""
    body = para(title, True) + "".join(table(b) if isinstance(b, list) else para(b)
                                       for b in blocks)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        h.docx_package(z)
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document %s>'
                   '<w:body>%s</w:body></w:document>' % (W, body))


def write_folder(root):
    write_docx(os.path.join(root, "site/办公用房租赁合同.docx"), "房屋租赁合同", [
        "出租方（甲方）：上海浦江置业有限公司",
        "承租方（乙方）：" + ORG,
        "第一条 房屋坐落：上海市浦东新区张江路100号5层",
        "第二条 建筑面积：320平方米",
        "第三条 租赁期限：自2025年1月1日起至2026年6月30日止。",
        "第四条 租金：每月人民币30000元。",
        "甲方（盖章）：上海浦江置业有限公司    乙方（盖章）：" + ORG,
        "签订日期：2024年12月20日",
    ])
    write_docx(os.path.join(root, "procedures/保密管理程序.docx"), "保密管理程序", [
        "（征求意见稿）",
        "文件编号：QM-PR-005",
        "版本：V2.0",
        "生效日期：2026年1月1日",
        "编制：王芳  审核：李强  批准：张伟",
        "1 目的",
        "为规范公司保密管理，明确岗位保密责任，特制定本程序。",
        "2 适用范围",
        "本程序适用于公司全体员工。",
    ])
    # A control block and a revision history: the current edition is the
    # control block's, never the oldest row's; an older copy is superseded.
    write_docx(os.path.join(root, "procedures/人员管理程序.docx"), "人员管理程序", [
        [["文件编号", "QM-PR-001", "版本", "V3.0"], ["生效日期", "2025-03-01", "批准", "张伟"]],
        "修订记录",
        [["版本", "修订内容", "修订日期", "批准"], ["V1.0", "首次发布", "2019-05-01", "张伟"],
         ["V2.0", "调整职责", "2022-04-01", "张伟"], ["V3.0", "增加考核要求", "2025-03-01", "张伟"]],
        "1 目的",
        "规范人员管理，明确岗位职责与能力要求，并通过考核评价证明其能够胜任。",
    ])
    write_docx(os.path.join(root, "procedures/人员管理程序-2022.docx"), "人员管理程序", [
        [["文件编号", "QM-PR-001", "版本", "V2.0"], ["生效日期", "2022-04-01", "批准", "张伟"]],
        "1 目的",
        "规范人员管理，明确岗位职责与能力要求。",
    ])
    write_docx(os.path.join(root, "contracts/合同-HT-2025-031-风险评估.docx"),
               "信息安全风险评估服务合同", [
        "合同编号：HT-2025-031",
        "甲方：" + CLIENT,
        "乙方：" + ORG,
        "项目名称：华东电力信息系统风险评估项目",
        "服务内容：乙方依据GB/T 20984对甲方的信息系统开展信息安全风险评估服务，"
        "包括资产识别、威胁识别、脆弱性评估和风险分析。",
        "服务期限：自2025年6月1日起至2026年2月28日止。",
        "合同金额：人民币280000元（大写：贰拾捌万元整）。",
        "甲方（盖章）：" + CLIENT + "    乙方（盖章）：" + ORG,
        "签订日期：2025年5月10日",
    ])
    write_docx(os.path.join(root, "contracts/验收报告-HT-2025-031.docx"), "项目验收报告", [
        "合同编号：HT-2025-031",
        "项目名称：华东电力信息系统风险评估项目",
        "甲方：" + CLIENT,
        "乙方：" + ORG,
        "验收日期：2026年3月1日",
        "验收结论：验收合格，同意验收。",
    ])
    write_docx(os.path.join(root, "staff/简历-李强.docx"), "个人简历", [
        [["姓名", "李强", "性别", "男"], ["现任职务", "技术负责人", "联系电话", "13800000000"]],
        "工作经历",
        [["起止时间", "工作单位", "职务"], ["2019.07—至今", ORG, "技术负责人"]],
    ])
    write_docx(os.path.join(root, "nda/保密协议签订登记表.docx"), "员工保密协议签订登记表", [
        [["序号", "姓名", "岗位", "签订日期"], ["1", "王芳", "项目经理", "2026-01-05"],
         ["2", "赵磊", "安全工程师", "2026-01-06"]],
    ])
    os.makedirs(os.path.join(root, "legal"))
    with open(os.path.join(root, LICENCE), "wb") as f:
        f.write(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8 + b"\xff\xd9")
    with open(os.path.join(root, NDA), "wb") as f:
        f.write(b"This is not a zip archive, whatever its name says.\n" * 4)
    with open(os.path.join(root, "photos_team_building.jpg"), "wb") as f:
        f.write(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4 + b"\xff\xd9")
    return 11


def reasons(result, rid):
    for r in result["requirements"]:
        if r["id"] == rid:
            return r
    raise AssertionError("no requirement %s" % rid)


class Clarifications(h.DaemonCase):
    categories = "risk-assessment"

    def check(self, result, licence_why=WAITING):
        """The 7a findings, in an evaluation as of AS_OF from status or audit."""
        def req(rid):
            return reasons(result, rid)

        def said(rid, *words):
            r = req(rid)
            hit = [s for s in r["reasons"] if all(w in s for w in words)]
            self.assertTrue(hit, "%s: no reason with %r among %s" % (rid, words, r["reasons"]))

        self.assertEqual(req("legal.entity")["status"], "missing")
        said("legal.entity", "no business license read; " + LICENCE + " is not read: "
             + licence_why)
        self.assertEqual(req("mgmt.confidentiality")["status"], "missing")
        said("mgmt.confidentiality", "no confidentiality agreement", NDA + " is not read: "
             "rejected as not-a-document")
        said("mgmt.confidentiality", "nda/保密协议签订登记表.docx",
             "a register of agreements, not an agreement")
        said("mgmt.confidentiality", "procedures/保密管理程序.docx",
             "征求意见稿", "draft: not in force")
        self.assertEqual(req("site.office")["status"], "met")
        said("site.office", "needs review: renewal", "this is its last day")
        self.assertEqual(req("record.projects")["status"], "partial")
        said("record.projects", "contracts/合同-HT-2025-031-风险评估.docx",
             "completed on 2026-03-01 within the last year, but signed on 2025-05-10 before it")
        personnel = req("mgmt.personnel")
        self.assertEqual(personnel["status"], "met")
        self.assertEqual([(e["path"], e["why"]) for e in personnel["evidence"]
                          if e["kind"] == "procedure"],
                         [("procedures/人员管理程序.docx",
                           "current personnel procedure, version V3.0, effective 2025-03-01")])
        said("mgmt.personnel", "procedures/人员管理程序-2022.docx", "superseded by",
             "version V3.0")
        self.assertEqual(req("staff.head")["status"], "missing")
        self.assertEqual(req("staff.technical-director")["status"], "partial")
        for r in result["requirements"]:
            self.assertFalse([s for s in r["reasons"] if "team_building" in s], r)

    def test_daemon_and_client(self):
        n = write_folder(self.watch)
        self.daemon(extra_conf=NO_OCR).start()
        self.wait_scan(n)
        status = self.status("--as-of", AS_OF)
        self.check(status)
        # The day after its last day the lease has ended.
        after = reasons(self.status("--as-of", "2026-07-01"), "site.office")
        self.assertEqual(after["status"], "expired", after)

        # The same words where a person reads them.
        p = self.ctl("requirement", "legal.entity", "--as-of", AS_OF)
        self.assertIn(LICENCE + " is not read: " + WAITING, p.out)
        p = self.ctl("status", "--as-of", AS_OF)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertIn(LICENCE + " is not read", p.out)

        # Once the licence is read, the photo is named no more.
        write_docx(os.path.join(self.watch, "legal/营业执照.docx"), "营业执照", [
            [["统一社会信用代码", "91310115MA1H7GQX3K"], ["名称", ORG],
             ["法定代表人", "张伟"], ["成立日期", "2021年6月8日"], ["营业期限", "长期"]],
        ])
        self.wait_scan(n + 1)
        entity = reasons(self.status("--as-of", AS_OF), "legal.entity")
        self.assertEqual(entity["status"], "met", entity)
        self.assertFalse([s for s in entity["reasons"] if "is not read" in s], entity)

    def test_audit(self):
        folder = os.path.join(self.root, "audit")
        write_folder(folder)
        out = self.ctl_json("audit", folder, "--categories", self.categories,
                            "--as-of", AS_OF, "--json", "--no-ocr", rc=1, daemon=False)
        self.check(out)
        p = self.ctl("audit", folder, "--categories", self.categories, "--as-of", AS_OF,
                     "--no-ocr", daemon=False)
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("- no business license read; " + LICENCE + " is not read", p.out)
        # With OCR the photo (no real JPEG) is read and rejected: named all
        # the same, whatever kept it unread.
        out = self.ctl_json("audit", folder, "--categories", self.categories,
                            "--as-of", AS_OF, "--json", rc=1, daemon=False)
        self.check(out, licence_why="rejected as malformed")


if __name__ == "__main__":
    h.main()
