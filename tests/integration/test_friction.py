"""Small frictions of the programs, each checked through the real client or
daemon: the catalog found by a build that runs as it is, kinds accepted as
they are shown, audit reports that say why before they list, and errors
that say what to do."""
import json
import os
import pty
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

RESUME = "05-简历-张伟.docx"


def run(argv, env=None, **kw):
    if "stderr" not in kw:
        kw["stderr"] = subprocess.PIPE
    p = subprocess.run(argv, stdout=subprocess.PIPE, timeout=120, env=env or h.program_env(),
                       **kw)
    p.out = p.stdout.decode("utf-8", "replace")
    p.err = (p.stderr or b"").decode("utf-8", "replace")
    return p


class Friction(h.DaemonCase):
    def test_a_bad_date_is_worded_alike_everywhere(self):
        folder = os.path.join(self.root, "empty")
        os.mkdir(folder)
        for args in (("status",), ("requirement", "record.projects"), ("audit", folder)):
            with self.subTest(command=args[0]):
                p = self.ctl(*args, "--as-of", "2026-13-01", daemon=False)
                self.assertEqual(p.returncode, 2)
                self.assertTrue(p.err.startswith(
                    'evidencectl: --as-of: date "2026-13-01" is not a calendar date\nusage: '),
                    p.err)

    def test_catalog_found_from_the_build_tree(self):
        """Without EVIDENCED_CATALOG, a program run from its build tree reads
        the source tree's catalog; a catalog that is not there is named with
        the ways to name another."""
        env = h.program_env()
        del env["EVIDENCED_CATALOG"]
        folder = os.path.join(self.root, "one")
        self.copy_samples("complete", folder, [RESUME])
        p = run([h.EVIDENCECTL, "audit", folder, "--json"], env)
        self.assertIn(p.returncode, (0, 1), p.err)
        self.assertEqual(json.loads(p.out)["documents"][0]["kind"], "resume", p.out[:300])
        p = run([h.EVIDENCECTL, "--catalog", "/nonexistent/catalog.xml", "audit", folder], env)
        self.assertEqual(p.returncode, 1)
        self.assertIn("--catalog", p.err)
        self.assertIn("EVIDENCED_CATALOG", p.err)
        d = self.daemon(extra_conf="[paths]\ncatalog = /nonexistent/catalog.xml\n")
        d.start(wait=False)
        self.assertEqual(d.proc.wait(60), 1)
        self.assertIn("EVIDENCED_CATALOG", d.log())

    def test_documents_kind_as_shown_and_topic(self):
        names = ["03-财务管理制度.docx", "17-人员管理程序.docx", RESUME]
        self.copy_samples("complete", names=names)
        self.daemon().start()
        self.wait_scan(3)
        shown = self.ctl("documents").out
        self.assertIn("procedure/finance", shown)
        for args in (["--kind", "procedure/finance"], ["--topic", "finance"],
                     ["--kind", "procedure", "--topic", "finance"]):
            docs = self.ctl_json("documents", "--json", *args)["documents"]
            self.assertEqual([d["path"] for d in docs], [names[0]], args)
            p = self.ctl("documents", *args)
            self.assertEqual(p.returncode, 0, p.err)
            self.assertEqual(p.out.split(), ["procedure/finance", names[0]])
        p = self.ctl("documents", "--topic", "nonsense")
        self.assertEqual(p.returncode, 2)
        self.assertIn("finance", p.err)      # the topics there are
        p = self.ctl("documents", "--kind", "procedure/finance", "--topic", "personnel")
        self.assertEqual(p.returncode, 2)

    def test_audit_says_why_before_it_lists(self):
        empty = os.path.join(self.root, "empty")
        os.mkdir(empty)
        p = self.ctl("audit", empty, daemon=False)
        self.assertEqual(p.returncode, 1)
        first_missing = p.out.index("\nmissing")
        self.assertLess(p.out.index("No files below"), first_missing, p.out[:600])
        self.assertLess(p.out.index("No service category is declared"), first_missing)
        self.assertIn("security-operations", p.out[:first_missing])     # the ids to declare
        p = self.ctl("audit", empty, "--categories", "risk-assessment", daemon=False)
        self.assertNotIn("No service category", p.out)

    def test_long_evidence_lists_summarised(self):
        folder = os.path.join(self.root, "cvs")
        os.mkdir(folder)
        for i in range(15):
            shutil.copyfile(h.sample("complete", RESUME), os.path.join(folder, "cv-%02d.docx" % i))
        p = self.ctl("audit", folder, "--categories", "risk-assessment", daemon=False)
        cvs = [l for l in p.out.splitlines() if l.strip().startswith("evidence: cv-")]
        self.assertEqual(len(cvs), 10, p.out)
        self.assertIn("evidence: ... and 5 more (--all lists them)", p.out)
        p = self.ctl("audit", folder, "--categories", "risk-assessment", "--all", daemon=False)
        cvs = [l for l in p.out.splitlines() if l.strip().startswith("evidence: cv-")]
        self.assertEqual(len(cvs), 15, p.out)
        self.assertNotIn("more (--all", p.out)

    def test_progress_on_a_terminal_only(self):
        folder = os.path.join(self.root, "many")
        for i in range(4):
            self.copy_samples("complete", os.path.join(folder, str(i)))
        argv = [h.EVIDENCECTL, "audit", folder, "--categories", "risk-assessment"]
        master, slave = pty.openpty()
        try:
            p = run(argv, stderr=slave)
        finally:
            os.close(slave)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:     # EIO: the terminal's other side is closed
                break
            if not chunk:
                break
            shown += chunk
        os.close(master)
        self.assertIn(p.returncode, (0, 1))
        self.assertRegex(shown.decode(), r"\revidencectl: read \d+ of %d files" % (
            4 * len(h.sample_names("complete"))))
        self.assertTrue(shown.endswith(b"\r\x1b[K"), shown[-40:])
        p = run(argv)
        self.assertNotIn("evidencectl: read", p.err)

    def test_unknown_category_names_its_line_and_the_ids(self):
        d = self.daemon(categories=None,
                        extra_conf="[policy]\ncategories = risk-assessment,no-such\n")
        d.start(wait=False)
        self.assertEqual(d.proc.wait(60), 1)
        self.assertIn("evidenced.conf:4: 'no-such' is not a category of the catalog; the "
                      "categories are: risk-assessment,", d.log())
        self.assertIn("security-operations", d.log())
        p = self.ctl("audit", self.watch, "--categories", "no-such", daemon=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("security-operations", p.err)

    def test_document_shows_why_it_was_rejected(self):
        self.daemon().start()
        self.wait_scan(0)
        path = os.path.join(self.watch, "garbage.docx")
        with open(path, "wb") as f:
            f.write(b"PK\x03\x04" + b"\0" * 4000)
        # Written an hour ago: not a copy still under way, rejected at once.
        os.utime(path, (time.time() - 3600, time.time() - 3600))
        ev = self.wait_event(lambda e: e.get("path") == "garbage.docx", "garbage.docx")
        self.assertEqual(ev["type"], "rejected")
        code = self.doc_map()["garbage.docx"]["error"]["code"]
        p = self.ctl("document", "garbage.docx")
        self.assertEqual(p.returncode, 0, p.err)
        self.assertRegex(p.out, r"\nrejected: %s: \S" % code)


if __name__ == "__main__":
    h.main()
