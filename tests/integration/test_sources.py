"""Where each field was read (issue 11): the record's sources reach the
reader through the real daemon and client, in `document`'s readable output
and its JSON, the same after a restart (from the ledger) and in `extract
--json` with and without the sandbox."""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

# An English agreement whose amount sentence also holds "SOW No. 1".
NAME = "en-mssa-sow.docx"
SOURCE = os.path.join(h.SOURCE_DIR, "tests", "data", "elsewhere", NAME)


class Sources(h.DaemonCase):
    def document_text(self):
        p = self.ctl("document", NAME)
        self.assertEqual(p.returncode, 0, p.err)
        return p.out

    def assert_amount_source(self, out):
        lines = out.splitlines()
        self.assertIn("  amount: 268,000.00 CNY", lines, out)
        below = lines[lines.index("  amount: 268,000.00 CNY") + 1]
        self.assertTrue(below.startswith("    from block "), out)
        self.assertIn("The total Contract Price", below)
        self.assertIn("RMB 268,000.00", below)

    def test_document_shows_where_fields_were_read(self):
        self.daemon().start()
        self.wait_scan(0)
        shutil.copyfile(SOURCE, os.path.join(self.watch, NAME))
        self.wait_scan(1)

        out = self.document_text()
        self.assert_amount_source(out)
        # every field line but the title's plain copy has its source below it
        lines = out.splitlines()
        fields = lines[lines.index("fields:") + 1:lines.index("history:")]
        named = [l for l in fields if l.startswith("  ") and not l.startswith("    ")]
        sourced = [l for i, l in enumerate(fields)
                   if l in named and i + 1 < len(fields) and fields[i + 1].startswith("    from ")]
        self.assertEqual(len(named), len(sourced), out)

        rec = self.ctl_json("document", NAME, "--json")["document"]
        self.assertEqual(rec["fields"]["amount"], {"value": 268000, "currency": "CNY"})
        src = rec["sources"]["amount"]
        self.assertEqual(sorted(src), ["block", "end", "start", "text"])
        self.assertLess(src["start"], src["end"])
        self.assertTrue(src["text"].endswith("RMB 268,000.00"), src)
        self.assertEqual(set(rec["sources"]) - set(rec["fields"]), set())

        # offline, sandboxed or not, the record says the same
        sandboxed = self.ctl("extract", "--json", os.path.join(self.watch, NAME), daemon=False)
        direct = self.ctl("extract", "--json", "--no-sandbox", os.path.join(self.watch, NAME),
                          daemon=False)
        self.assertEqual(sandboxed.returncode, 0, sandboxed.err)
        self.assertEqual(sandboxed.out, direct.out)
        self.assertEqual(json.loads(sandboxed.out)["sources"], rec["sources"])

        # the ledger keeps them: after a restart, without parsing again
        self.daemons[-1].stop()
        self.daemon().start()
        self.wait_scan(1)
        self.assert_amount_source(self.document_text())
        v = self.ctl_json("verify", "--json")
        self.assertTrue(v["verified"], v)


if __name__ == "__main__":
    h.main()
