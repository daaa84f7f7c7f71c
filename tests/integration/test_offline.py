"""The offline commands end to end: `evidencectl audit` on the sample folders
gives every expected requirement status and document kind, with the exit
status of a gate; `extract` prints records, errors and text; and the daemon
agrees with audit on the same folder."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

FOLDERS = ("complete", "gaps", "english", "pdf")
CONTRACT = "13-合同-HT-2026-018-安全运维.docx"
GOOD_STATUSES = ("met", "not-applicable")


class Offline(h.DaemonCase):
    def audit(self, folder, *extra):
        """Audit a copy of the folder's documents (the sample folder also holds
        expected.json, which audit would rightly list as an unparsed file)."""
        exp = h.expected(folder)
        copy = os.path.join(self.root, "audit-" + folder)
        if not os.path.isdir(copy):
            self.copy_samples(folder, copy)
        p = self.ctl("audit", copy, "--categories",
                     ",".join(exp["categories"]), "--as-of", exp["as_of"], *extra, daemon=False)
        try:
            out = json.loads(p.out) if "--json" in extra else None
        except ValueError:
            self.fail("audit %s printed no JSON (exit %d): %r %s"
                      % (folder, p.returncode, p.out[:300], p.err))
        return exp, p, out

    def requirement_mismatches(self, exp, got):
        by_id = {r["id"]: r for r in got["requirements"]}
        bad = []
        for rid, want in exp["requirements"].items():
            r = by_id.get(rid)
            if r is None:
                bad.append("  %s: expected %s, got no such requirement" % (rid, want["status"]))
            elif r["status"] != want["status"]:
                bad.append("  %s: expected %s, got %s; reasons: %s; expected because: %s"
                           % (rid, want["status"], r["status"],
                              json.dumps(r.get("reasons"), ensure_ascii=False),
                              want.get("reason")))
        for rid in sorted(set(by_id) - set(exp["requirements"])):
            bad.append("  %s: not expected, got %s" % (rid, by_id[rid]["status"]))
        return bad

    def document_mismatches(self, exp, got):
        by_name = {os.path.basename(d["path"]): d for d in got["documents"]}
        bad = []
        for name, want in exp["documents"].items():
            d = by_name.get(name)
            if d is None:
                bad.append("  %s: not in the audit's documents" % name)
                continue
            if "error" in d:
                bad.append("  %s: rejected: %s" % (name, d["error"]))
                continue
            for key in ("kind", "topic", "format", "language"):
                if d.get(key) != want.get(key):
                    bad.append("  %s: %s expected %s, got %s"
                               % (name, key, want.get(key), d.get(key)))
        return bad

    def check_audit(self, folder, *extra):
        exp, p, got = self.audit(folder, "--json", *extra)
        self.assertEqual(got["as_of"], exp["as_of"])
        self.assertEqual(sorted(got["categories"]), sorted(exp["categories"]))
        bad = self.requirement_mismatches(exp, got)
        bad += self.document_mismatches(exp, got)
        if bad:
            self.fail("audit of %s%s, %d mismatches:\n%s"
                      % (folder, " " + " ".join(extra) if extra else "", len(bad),
                         "\n".join(bad)))
        self.assertEqual(len(got["documents"]), len(exp["documents"]))
        all_good = all(r["status"] in GOOD_STATUSES for r in exp["requirements"].values())
        self.assertEqual(p.returncode, 0 if all_good else 1,
                         "audit %s exit status; stderr: %s" % (folder, p.err))
        return got

    def test_audit_complete(self):
        self.check_audit("complete")

    def test_audit_gaps(self):
        self.check_audit("gaps")

    def test_audit_english(self):
        self.check_audit("english")

    def test_audit_pdf_exports(self):
        """complete/ with its contracts and acceptance reports as PDF
        exports reaches the same statuses."""
        self.check_audit("pdf")

    def test_audit_with_organisation_names(self):
        for folder in FOLDERS:
            with self.subTest(folder=folder):
                names = "|".join(h.expected(folder)["organisation"]["names"])
                self.check_audit(folder, "--organisation", names)

    def test_audit_exit_status_of_the_report(self):
        """The readable report gates like the JSON one."""
        exp, p, _ = self.audit("complete")
        self.assertEqual(p.returncode, 0, p.err)
        self.assertIn("legal.entity", p.out)
        exp, p, _ = self.audit("gaps")
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("mgmt.suppliers", p.out)

    def test_extract(self):
        exp = h.expected("complete")["documents"][CONTRACT]
        path = h.sample("complete", CONTRACT)
        rec = self.ctl_json("extract", "--json", path, daemon=False)
        self.assertEqual(rec["path"], path)
        self.assertEqual(rec["sha256"], h.sha256_file(path))
        self.assertEqual(rec["size"], os.path.getsize(path))
        for key in ("format", "kind", "topic", "language"):
            self.assertEqual(rec[key], exp[key], key)
        self.assertEqual(rec["fields"].get("doc_number"), exp["fields"]["doc_number"], rec)
        self.assertEqual(rec["fields"].get("signed_on"), exp["fields"]["signed_on"], rec)
        self.assertGreater(rec["text_chars"], 0)
        self.assertIsInstance(rec["warnings"], list)
        self.assertIsInstance(rec["metadata"], dict)

        p = self.ctl("extract", "--text", path, daemon=False)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertIn(exp["fields"]["doc_number"], p.out)
        self.assertIn("合同", p.out)

    def test_extract_rejected(self):
        bad = os.path.join(self.root, "garbage.docx")
        with open(bad, "wb") as f:
            f.write(os.urandom(4096))
        rec = self.ctl_json("extract", "--json", bad, rc=1, daemon=False)
        self.assertEqual(rec["path"], bad)
        self.assertIsInstance(rec.get("error"), dict, rec)
        self.assertIn(rec["error"].get("code"), ("not-a-document", "malformed"), rec)
        self.assertTrue(rec["error"].get("message"), rec)
        self.assertNotIn("kind", rec)

        # Several files: one JSON line each, and the failure still counts.
        good = h.sample("complete", CONTRACT)
        p = self.ctl("extract", "--json", good, bad, daemon=False)
        self.assertEqual(p.returncode, 1, p.err)
        lines = [json.loads(l) for l in p.out.splitlines() if l.strip()]
        self.assertEqual([r["path"] for r in lines], [good, bad])
        self.assertNotIn("error", lines[0])
        self.assertIn("error", lines[1])

        p = self.ctl("extract", "--text", bad, daemon=False)
        self.assertEqual(p.returncode, 1)

    def test_usage_and_unreachable(self):
        for argv in (["no-such-command"], ["audit"], ["extract"], ["status", "--bogus"],
                     ["history", "--limit", "x"]):
            with self.subTest(argv=argv):
                p = self.ctl(*argv, daemon=False)
                self.assertEqual(p.returncode, 2, "%s: %s" % (argv, p.err))
        p = self.ctl("status", "--json")      # no daemon on self.sock
        self.assertEqual(p.returncode, 3, p.err)

    def test_daemon_agrees_with_audit(self):
        exp = h.expected("gaps")
        self.categories = ",".join(exp["categories"])
        self.copy_samples("gaps")
        self.daemon().start()
        self.wait_scan(len(exp["documents"]))
        live = self.status("--as-of", exp["as_of"])
        _, _, offline = self.audit("gaps", "--json")
        self.assertEqual({r["id"]: r["status"] for r in live["requirements"]},
                         {r["id"]: r["status"] for r in offline["requirements"]})
        bad = self.requirement_mismatches(exp, live)
        if bad:
            self.fail("the daemon on gaps/, %d mismatches:\n%s" % (len(bad), "\n".join(bad)))
        kinds = {d["path"]: d["kind"] for d in live["documents"]}
        self.assertEqual(kinds, {os.path.basename(d["path"]): d["kind"]
                                 for d in offline["documents"]})


if __name__ == "__main__":
    h.main()
