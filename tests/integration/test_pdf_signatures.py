"""Electronic signatures of PDF evidence through the real daemon: the three
signed test PDFs (a valid signature, one the file was changed after, one
whose digest no longer matches) dropped under contract-like names.
`evidencectl document` shows each signature's signer, Beijing time,
status, certificate and coverage, `--json` carries them as the record has
them, the valid signature dates the contract, and the requirements citing
the two faulty files carry review reasons that name them (and change no
status)."""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

PDFS = os.path.join(h.SOURCE_DIR, "tests", "data", "pdf")
AS_OF = "2026-10-15"    # seven months after the signing: inside the 12-month window
FILES = {
    "contracts/HT-2026-018.pdf": "signed.pdf",
    "contracts/HT-2026-018-改.pdf": "signed-then-modified.pdf",
    "contracts/HT-2026-018-副本.pdf": "signed-tampered.pdf",
}


class PdfSignatures(h.DaemonCase):
    def setUp(self):
        super().setUp()
        missing = [src for src in FILES.values() if not os.path.exists(os.path.join(PDFS, src))]
        if missing:
            self.skipTest("test PDFs missing: %s" % ", ".join(missing))
        self.d = self.daemon().start()
        self.wait_scan(0)
        os.mkdir(os.path.join(self.watch, "contracts"))
        for name, src in FILES.items():
            tmp = os.path.join(self.root, "copy.tmp")
            shutil.copyfile(os.path.join(PDFS, src), tmp)
            os.rename(tmp, os.path.join(self.watch, name))
        self.wait_scan(len(FILES))

    def signature_lines(self, name):
        p = self.ctl("document", name)
        self.assertEqual(p.returncode, 0, p.err)
        lines = p.out.splitlines()
        self.assertIn("signatures:", lines, p.out)
        start = lines.index("signatures:") + 1
        end = lines.index("history:")
        return [l.strip() for l in lines[start:end]], p.out

    def test_document_shows_signatures(self):
        common = ["- signer:      张伟", "signed at:   2026-03-05 10:00:00 +08:00"]
        want = {
            "contracts/HT-2026-018.pdf":
                common + ["status:      valid", "certificate: unknown-issuer",
                          "covers the whole file"],
            "contracts/HT-2026-018-改.pdf":
                common + ["status:      valid", "certificate: unknown-issuer",
                          "the file was changed after this signature"],
            "contracts/HT-2026-018-副本.pdf":
                common + ["status:      digest-mismatch", "certificate: not-verified",
                          "covers the whole file"],
        }
        for name, lines in want.items():
            got, out = self.signature_lines(name)
            self.assertEqual(got, lines, out)
            # the valid signature dates the contract, in Beijing time
            self.assertIn("  signed_on: 2026-03-05", out.splitlines(), out)

    def test_json_carries_signatures(self):
        covers = {"contracts/HT-2026-018.pdf": (True, "valid"),
                  "contracts/HT-2026-018-改.pdf": (False, "valid"),
                  "contracts/HT-2026-018-副本.pdf": (True, "digest-mismatch")}
        for name, (whole, status) in covers.items():
            doc = self.ctl_json("document", name, "--json")["document"]
            self.assertEqual(doc["signatures"], [{
                "signer": "张伟", "signed_at": "2026-03-05T02:00:00Z", "status": status,
                "certificate": "not-verified" if status != "valid" else "unknown-issuer",
                "covers_whole": whole}], name)
            self.assertEqual(doc["fields"]["signed_on"], "2026-03-05", name)
            # a signature that does not validate dates nothing: the text's date stands
            notes = " | ".join(doc["notes"])
            dated = ("signed_on from the electronic signature of 张伟 at 2026-03-05T02:00:00Z: "
                     "2026-03-05 in China Standard Time (UTC+8)")
            if status == "valid":
                self.assertIn(dated, notes, name)
            else:
                self.assertNotIn("electronic signature", notes, name)

    def test_requirements_carry_review_reasons(self):
        r = self.ctl_json("requirement", "record.projects", "--as-of", AS_OF, "--json")
        req = r.get("requirement", r)
        reasons = req["reasons"]
        self.assertIn("needs review: contracts/HT-2026-018-改.pdf: its electronic signature by "
                      "张伟 does not cover the whole file: it was changed after signing", reasons)
        self.assertIn("needs review: contracts/HT-2026-018-副本.pdf: its electronic signature "
                      "by 张伟 does not validate (digest-mismatch)", reasons)
        self.assertFalse([x for x in reasons if "contracts/HT-2026-018.pdf: its" in x], reasons)
        # a review reason, not a status: three contracts in the window, no acceptance yet
        self.assertEqual(req["per_category"]["security-operations"], "partial", req)
        paths = [e["path"] for e in req["evidence"]]
        for name in FILES:
            self.assertIn(name, paths)


if __name__ == "__main__":
    h.main()
