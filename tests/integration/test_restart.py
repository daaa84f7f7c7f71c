"""Restart and crash: what changed while evidenced was stopped is recorded at
the next start without reading the unchanged files again, and a kill -9 in
the middle of a cold scan leaves a ledger that verifies and a folder in
which every file is recorded exactly once."""
import collections
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

EDITED = "39-办公家具采购订单.docx"
EDIT_FROM = "40-青云简讯-2026年第4期.docx"
MOVED = "38-2026年第三季度经营例会会议纪要.odt"
MOVED_TO = "minutes-2026-Q3.odt"
FILED = "20-文件管理程序-旧版.docx"
DELETED = "33-技术服务合同模板.docx"
NEW = "23-合格供方名录.odt"       # from gaps/


class Restart(h.DaemonCase):
    def test_ledger_db_alone_while_running(self):
        """Once the folder is quiet, ledger.db alone (copied while the daemon
        runs, without its write-ahead log) holds the events and verifies."""
        names = self.copy_samples("complete", names=h.sample_names("complete")[:6])
        d = self.daemon().start()
        self.wait_scan(len(names))
        # The start's self-check of the ledger waits for the cold scan.
        h.wait_for(lambda: "self-check:" in d.log(), what="the self-check after the scan")
        log = d.log()
        self.assertLess(log.index("scan done"), log.index("self-check:"), log)
        h.wait_for(lambda: not self.progress()["evaluating"], what="the evaluation")
        copy = os.path.join(self.root, "auditor")
        os.mkdir(copy)
        for f in ("ledger.db", "ledger.pub"):
            shutil.copyfile(os.path.join(self.state, f), os.path.join(copy, f))
        v = self.ctl_json("verify", "--state", copy, "--json", daemon=False)
        self.assertTrue(v["verified"], v)
        self.assertGreaterEqual(v["ledger"]["head_seq"], len(names), v)

    def test_changes_while_stopped(self):
        names = self.copy_samples("complete")
        d = self.daemon().start()
        self.wait_scan(len(names))
        before = {p: doc["sha256"] for p, doc in self.doc_map().items()}
        head = self.head_seq()
        self.assertEqual(d.stop(), 0)

        shutil.copyfile(h.sample("complete", EDIT_FROM), os.path.join(self.watch, EDITED))
        os.rename(os.path.join(self.watch, MOVED), os.path.join(self.watch, MOVED_TO))
        os.mkdir(os.path.join(self.watch, "archive"))
        os.rename(os.path.join(self.watch, FILED), os.path.join(self.watch, "archive", FILED))
        os.unlink(os.path.join(self.watch, DELETED))
        shutil.copyfile(h.sample("gaps", NEW), os.path.join(self.watch, NEW))

        d.start()
        status = self.wait_scan(len(names))
        events = [e for e in self.events(head) if e["type"] != "policy-changed"]
        got = sorted((e["type"], e.get("path"), e.get("old_path")) for e in events)
        self.assertEqual(got, sorted([("modified", EDITED, None), ("renamed", MOVED_TO, MOVED),
                                      ("renamed", "archive/" + FILED, FILED),
                                      ("removed", DELETED, None), ("added", NEW, None)]),
                         "events recorded at the restart:\n" + h.describe_events(events))
        modified = [e for e in events if e["type"] == "modified"][0]
        self.assertEqual(modified["sha256"], h.sha256_file(os.path.join(self.watch, EDITED)))
        # Only the edited and the new file were read: not the renamed ones,
        # not the 37 others.
        self.assertEqual(status["progress"]["parsed"], 2,
                         "files read at the restart: %s; log: %s"
                         % (status["progress"],
                            re.findall(r"reconciled .*", d.log())))
        docs = self.doc_map()
        self.assertEqual(docs[MOVED_TO]["sha256"], before[MOVED])
        self.assertNotIn(MOVED, docs)
        self.assertEqual(docs[EDITED]["sha256"], h.sha256_file(os.path.join(self.watch, EDITED)))
        hist = self.ctl_json("document", EDITED, "--json")["history"]
        self.assertEqual([e["type"] for e in hist], ["added", "modified"], hist)

        # A restart with nothing changed records nothing and reads nothing.
        head = self.head_seq()
        self.assertEqual(d.stop(), 0)
        d.start()
        status = self.wait_scan(len(names))
        self.assertEqual(status["ledger"]["seq"], head,
                         "events after an idle restart:\n"
                         + h.describe_events(self.events(head)))
        self.assertEqual(status["progress"]["parsed"], 0, status["progress"])

        # A file touched while stopped is read again, but its bytes are the
        # same: no event.
        self.assertEqual(d.stop(), 0)
        os.utime(os.path.join(self.watch, NEW), (1e9, 1e9))
        d.start()
        status = self.wait_scan(len(names))
        self.assertEqual(status["ledger"]["seq"], head,
                         "events after a touch:\n" + h.describe_events(self.events(head)))
        self.assertLessEqual(status["progress"]["parsed"], 1, status["progress"])

    def test_kill_during_cold_scan(self):
        paths = []
        for copy in ("a", "b", "c"):
            for folder in ("complete", "gaps", "english"):
                rel = os.path.join(copy, folder)
                for n in self.copy_samples(folder, os.path.join(self.watch, rel)):
                    paths.append(os.path.join(rel, n))
        self.assertGreaterEqual(len(paths), 300)
        d = self.daemon()
        # Killed twice: early in the cold scan, and again while it resumes.
        for threshold in (20, 40):
            d.start()
            at_kill = h.wait_for(
                lambda: (lambda p: p["parsed"] >= threshold and p)(self.progress()),
                h.SCAN, interval=0.02, what="%d files read in the scan" % threshold)
            d.kill9()
            self.assertFalse(at_kill["scanning"] is False and at_kill["queued"] == 0,
                             "the scan was over before the kill: the test proves nothing")
            # The ledger as the crash left it (WAL and all) verifies offline.
            copy = os.path.join(self.root, "crashed-%d" % threshold)
            shutil.copytree(self.state, copy, ignore=shutil.ignore_patterns("ledger.key"))
            v = self.ctl_json("verify", "--state", copy, "--json", daemon=False)
            self.assertTrue(v["verified"], v)
            self.assertGreater(v["ledger"]["events"], 0, v)
        d.start()
        self.wait_scan(len(paths), timeout=h.SCAN * 2)
        docs = self.documents()
        counts = collections.Counter(doc["path"] for doc in docs)
        self.assertEqual([p for p, c in counts.items() if c > 1], [])
        self.assertEqual(sorted(counts), sorted(paths))
        for doc in docs:
            self.assertNotIn("error", doc, doc["path"])
            self.assertEqual(doc["sha256"], h.sha256_file(os.path.join(self.watch, doc["path"])),
                             doc["path"])
        added = collections.Counter(e["path"] for e in self.events() if e["type"] == "added")
        self.assertEqual({p: c for p, c in added.items() if c != 1}, {},
                         "files recorded as added more than once after the crash")
        self.assertEqual(set(added), set(paths))
        v = self.ctl_json("verify", "--json")
        self.assertTrue(v["verified"], v)
        self.assertEqual(v["files"]["changed"], [])
        self.assertEqual(v["files"]["missing"], [])
        self.assertEqual(d.stop(), 0)
        v = self.ctl_json("verify", "--state", self.state, "--folder", self.watch, "--json",
                          daemon=False)
        self.assertTrue(v["verified"], v)
        self.assertEqual(v["files"]["checked"], len(paths))


if __name__ == "__main__":
    h.main()
