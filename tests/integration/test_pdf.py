"""PDF evidence through the real daemon: a folder whose contracts and
acceptance reports are PDF exports reaches the statuses its DOCX twin does,
and hostile PDFs (bombs, loops, deep nesting, 10,000 pages, passwords,
broken files) are each recorded, hashed, with a code or as read, while the
daemon keeps answering and its ledger verifies."""
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

PDF_DATA = os.path.join(h.SOURCE_DIR, "tests", "data", "pdf")

# What each hostile or odd file must come to: an error code, or read.
HOSTILE = {
    "flate-bomb.pdf": {"timeout", "read"},
    "ref-loop.pdf": {"read", "malformed"},
    "deep-nesting.pdf": {"read", "malformed"},
    "pages-10000.pdf": {"too-large"},
    "user-password.pdf": {"encrypted"},
    "owner-only.pdf": {"read"},
    "truncated.pdf": {"malformed"},
    "garbage-after-header.pdf": {"malformed"},
    "xref-lies.pdf": {"read"},
    "scan-no-text.pdf": {"read"},
}


class Pdf(h.DaemonCase):
    categories = ",".join(h.expected("pdf")["categories"])

    def test_pdf_exports_reach_the_docx_statuses(self):
        exp = h.expected("pdf")
        names = self.copy_samples("pdf")
        self.d = self.daemon().start()
        self.wait_scan(len(names))
        got = self.status("--as-of", exp["as_of"])
        by_id = {r["id"]: r for r in got["requirements"]}
        bad = ["%s: expected %s, got %s (%s)" % (rid, want["status"], by_id[rid]["status"],
                                                  json.dumps(by_id[rid].get("reasons"),
                                                             ensure_ascii=False))
               for rid, want in exp["requirements"].items()
               if by_id[rid]["status"] != want["status"]]
        self.assertEqual(bad, [])
        # The same statuses as complete/, whose documents are the DOCX twins.
        self.assertEqual({k: v["status"] for k, v in exp["requirements"].items()},
                         {k: v["status"] for k, v in h.expected("complete")["requirements"].items()})
        docs = self.doc_map()
        for name, want in exp["documents"].items():
            d = docs[name]
            self.assertNotIn("error", d, name)
            self.assertEqual((d["format"], d["kind"], d["topic"]),
                             (want["format"], want["kind"], want["topic"]), name)
        pdfs = [n for n in names if n.endswith(".pdf")]
        self.assertGreaterEqual(len(pdfs), 7)
        for n in pdfs:
            self.assertEqual(docs[n]["format"], "pdf")
            self.assertGreater(docs[n]["metadata"]["pages"], 0)

    def test_hostile_pdfs(self):
        self.d = self.daemon(extra_conf="[limits]\nextract_time = 10s\n").start()
        self.wait_scan(0)
        since = self.head_seq()
        for name in HOSTILE:
            shutil.copyfile(os.path.join(PDF_DATA, name), os.path.join(self.watch, name))
        docs = h.wait_for(lambda: len(self.doc_map()) == len(HOSTILE) and self.doc_map(),
                          h.SCAN, interval=0.5, what="every hostile PDF to be recorded")
        t0 = time.monotonic()
        self.status()
        self.assertLess(time.monotonic() - t0, 10)
        for name, allowed in HOSTILE.items():
            d = docs[name]
            outcome = d["error"]["code"] if "error" in d else "read"
            self.assertIn(outcome, allowed, "%s: %s" % (name, d))
            self.assertEqual(d["sha256"], h.sha256_file(os.path.join(self.watch, name)))
        self.assertIn("no-text-layer", docs["scan-no-text.pdf"]["warnings"])
        events = [e for e in self.events(since) if e.get("path") in HOSTILE]
        self.assertEqual(sorted({e["path"] for e in events}), sorted(HOSTILE))
        p = self.ctl("verify", "--json")
        self.assertEqual(p.returncode, 0, p.out + p.err)
        self.assertTrue(self.d.running)


if __name__ == "__main__":
    h.main()
