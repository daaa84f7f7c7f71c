"""The watcher: files that appear, change, move and vanish while evidenced
runs become the right ledger events (added, modified, renamed, removed,
unparsed) and the right documents."""
import os
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

LICENSE = "01-营业执照.docx"
CONTRACT = "13-合同-HT-2026-018-安全运维.docx"
LEASE = "04-办公用房租赁合同.odt"
RESUME = "05-简历-张伟.docx"


class Watcher(h.DaemonCase):
    def setUp(self):
        super().setUp()
        self.kinds = {n: d["kind"] for n, d in h.expected("complete")["documents"].items()}
        self.nbarrier = 0
        self.d = self.daemon().start()
        self.wait_scan(0)

    def put(self, name, rel=None):
        dest = os.path.join(self.watch, rel or name)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(h.sample("complete", name), dest)
        return dest

    def barrier(self):
        """Write a small file and wait for its event: whatever the daemon was
        going to record for earlier changes is recorded by then."""
        self.nbarrier += 1
        name = "zz-barrier-%d.txt" % self.nbarrier
        with open(os.path.join(self.watch, name), "w") as f:
            f.write("barrier %d %f\n" % (self.nbarrier, time.time()))
        self.wait_event(lambda e: e.get("path") == name, "the barrier file %s" % name)

    def file_events(self, since=0):
        return [e for e in self.events(since)
                if e["type"] != "policy-changed"
                and not (e.get("path") or "").startswith("zz-barrier-")]

    def describe(self, events):
        return h.describe_events(events)

    def assert_only(self, since, expected):
        """The file events after `since` are exactly `expected`:
        a list of (type, path, old_path)."""
        got = [(e["type"], e.get("path"), e.get("old_path")) for e in self.file_events(since)]
        self.assertEqual(got, expected, "ledger events after seq %d:\n%s"
                         % (since, self.describe(self.file_events(since))))

    def test_add_modify_rename_move_remove(self):
        path = self.put(LICENSE, "license.docx")
        added = self.wait_event(lambda e: e.get("path") == "license.docx",
                                "an event for license.docx")
        self.assertEqual(added["type"], "added")
        self.assertEqual(added["sha256"], h.sha256_file(path))
        docs = self.doc_map()
        self.assertIn("license.docx", docs)
        self.assertEqual(docs["license.docx"]["kind"], self.kinds[LICENSE])
        self.assertEqual(docs["license.docx"]["format"], "docx")

        # Overwrite in place with another document.
        seq = self.head_seq()
        shutil.copyfile(h.sample("complete", CONTRACT), path)
        ev = self.wait_event(lambda e: e.get("path") == "license.docx", "the overwrite",
                             since=seq)
        self.assertEqual(ev["type"], "modified")
        self.assertEqual(ev["sha256"], h.sha256_file(path))
        self.assertEqual(self.doc_map()["license.docx"]["kind"], self.kinds[CONTRACT])
        self.barrier()
        self.assert_only(seq, [("modified", "license.docx", None)])

        # Rename in the same folder.
        seq = self.head_seq()
        os.rename(path, os.path.join(self.watch, "contract.docx"))
        self.wait_event(lambda e: e["type"] == "renamed", "a renamed event", since=seq)
        self.barrier()
        self.assert_only(seq, [("renamed", "contract.docx", "license.docx")])
        docs = self.doc_map()
        self.assertNotIn("license.docx", docs)
        self.assertEqual(docs["contract.docx"]["kind"], self.kinds[CONTRACT])

        # Into a folder created after the daemon started.
        seq = self.head_seq()
        os.mkdir(os.path.join(self.watch, "2026"))
        os.rename(os.path.join(self.watch, "contract.docx"),
                  os.path.join(self.watch, "2026", "contract.docx"))
        self.wait_event(lambda e: e["type"] == "renamed", "a renamed event", since=seq)
        self.barrier()
        self.assert_only(seq, [("renamed", "2026/contract.docx", "contract.docx")])

        # Out of the tree.
        seq = self.head_seq()
        outside = os.path.join(self.root, "outside")
        os.mkdir(outside)
        os.rename(os.path.join(self.watch, "2026", "contract.docx"),
                  os.path.join(outside, "contract.docx"))
        self.wait_event(lambda e: e["type"] == "removed", "a removed event", since=seq)
        self.barrier()
        self.assert_only(seq, [("removed", "2026/contract.docx", None)])
        self.assertNotIn("2026/contract.docx", self.doc_map())

    def test_move_into_new_folder_while_busy(self):
        """The folder is created and the file moved into it before the daemon
        can watch the new folder (it is stopped meanwhile, as a busy daemon
        would be late): still one renamed event, not removed + added."""
        self.put(RESUME)
        self.wait_event(lambda e: e.get("path") == RESUME, "the resume to be added")
        seq = self.head_seq()
        os.kill(self.d.pid, signal.SIGSTOP)
        try:
            os.makedirs(os.path.join(self.watch, "staff", "cv"))
            os.rename(os.path.join(self.watch, RESUME),
                      os.path.join(self.watch, "staff", "cv", RESUME))
        finally:
            os.kill(self.d.pid, signal.SIGCONT)
        self.wait_event(lambda e: e.get("path") == "staff/cv/" + RESUME,
                        "an event for staff/cv/" + RESUME, since=seq)
        self.barrier()
        self.assert_only(seq, [("renamed", "staff/cv/" + RESUME, RESUME)])
        self.assertEqual(set(self.doc_map()) - {"zz-barrier-1.txt"}, {"staff/cv/" + RESUME})

    def test_delete(self):
        path = self.put(LEASE)
        self.wait_event(lambda e: e.get("path") == LEASE and e["type"] == "added",
                        "the lease to be added")
        self.assertEqual(self.doc_map()[LEASE]["kind"], self.kinds[LEASE])
        self.put(RESUME)
        h.wait_for(lambda: RESUME in self.doc_map(), what="the resume in documents")
        leases = self.ctl_json("documents", "--kind", self.kinds[LEASE], "--json")["documents"]
        self.assertEqual([d["path"] for d in leases], [LEASE])
        one = self.ctl_json("document", LEASE, "--json")
        self.assertEqual(one["document"]["path"], LEASE)
        self.assertEqual([e["type"] for e in one["history"]], ["added"])
        seq = self.head_seq()
        os.unlink(path)
        self.wait_event(lambda e: e["type"] == "removed", "a removed event", since=seq)
        self.barrier()
        self.assert_only(seq, [("removed", LEASE, None)])
        self.assertNotIn(LEASE, self.doc_map())
        # Gone from the folder, not from the record.
        one = self.ctl_json("document", LEASE, "--json")
        self.assertIsNone(one["document"], one)
        self.assertEqual([e["type"] for e in one["history"]], ["added", "removed"])
        self.assertEqual(self.ctl("document", "never-there.docx", "--json").returncode, 1)

    def test_folder_removed_and_made_again(self):
        """The evidence folder itself is deleted and restored (from a backup,
        a share mounted anew): its files are recorded as removed, and once it
        is back the daemon watches the new folder and records its files."""
        self.put(LEASE)
        self.wait_event(lambda e: e.get("path") == LEASE and e["type"] == "added",
                        "the lease to be added")
        seq = self.head_seq()
        shutil.rmtree(self.watch)
        self.wait_event(lambda e: e["type"] == "removed" and e.get("path") == LEASE,
                        "the lease removed with its folder", since=seq)
        h.wait_for(lambda: "is gone" in self.d.log(), what="the daemon to log the folder gone")
        os.mkdir(self.watch)
        self.put(LEASE)
        self.wait_event(lambda e: e["type"] == "added" and e.get("path") == LEASE,
                        "the lease added again in the new folder", since=seq, timeout=h.SCAN)
        self.assertIn("is back", self.d.log())
        # The new folder is watched: a file dropped now is seen by its event.
        seq = self.head_seq()
        self.put(RESUME)
        self.wait_event(lambda e: e.get("path") == RESUME, "the resume", since=seq)

    def test_same_bytes_no_event(self):
        """Rewriting a file with the bytes it had, or touching it, records nothing."""
        path = self.put(RESUME)
        self.wait_event(lambda e: e.get("path") == RESUME, "the resume to be added")
        seq = self.head_seq()
        self.put(RESUME)
        os.utime(path, (time.time() + 60, time.time() + 60))
        self.barrier()
        self.assert_only(seq, [])

    def test_replace_by_rename_over(self):
        """How editors save: write a new file elsewhere, rename it over the old."""
        path = self.put(LICENSE)
        self.wait_event(lambda e: e.get("path") == LICENSE, "the license to be added")
        seq = self.head_seq()
        tmp = os.path.join(self.root, "save.tmp")
        shutil.copyfile(h.sample("complete", CONTRACT), tmp)
        os.rename(tmp, path)
        ev = self.wait_event(lambda e: e.get("path") == LICENSE, "the replacement", since=seq)
        self.assertEqual(ev["type"], "modified")
        self.assertEqual(ev["sha256"], h.sha256_file(path))
        self.barrier()
        self.assert_only(seq, [("modified", LICENSE, None)])
        self.assertEqual(self.doc_map()[LICENSE]["kind"], self.kinds[CONTRACT])

    def test_folder_moved_in(self):
        pack = os.path.join(self.root, "pack")
        os.makedirs(os.path.join(pack, "inner"))
        shutil.copyfile(h.sample("complete", LEASE), os.path.join(pack, LEASE))
        shutil.copyfile(h.sample("complete", RESUME), os.path.join(pack, "inner", RESUME))
        os.rename(pack, os.path.join(self.watch, "pack"))
        want = {"pack/" + LEASE, "pack/inner/" + RESUME}
        h.wait_for(lambda: want <= set(self.doc_map()), h.SHORT,
                   what="both files of the moved-in folder in documents")
        self.barrier()
        got = sorted((e["type"], e["path"]) for e in self.file_events())
        self.assertEqual(got, sorted(("added", p) for p in want))
        docs = self.doc_map()
        self.assertEqual(docs["pack/" + LEASE]["kind"], self.kinds[LEASE])
        self.assertEqual(docs["pack/inner/" + RESUME]["kind"], self.kinds[RESUME])
        # The moved-in folders are watched too.
        seq = self.head_seq()
        os.unlink(os.path.join(self.watch, "pack", "inner", RESUME))
        self.wait_event(lambda e: e["type"] == "removed", "a removed event", since=seq)
        self.assert_only(seq, [("removed", "pack/inner/" + RESUME, None)])

    def test_folder_renamed_then_removed(self):
        for name in (LEASE, RESUME):
            self.put(name, os.path.join("2025", name))
        h.wait_for(lambda: len(self.doc_map()) == 2, what="both files in documents")
        seq = self.head_seq()
        os.rename(os.path.join(self.watch, "2025"), os.path.join(self.watch, "archive-2025"))
        h.wait_for(lambda: {"archive-2025/" + LEASE, "archive-2025/" + RESUME}
                   == set(self.doc_map()), what="the files under their new folder name")
        self.barrier()
        got = sorted((e["type"], e.get("path"), e.get("old_path"))
                     for e in self.file_events(seq))
        self.assertEqual(got, sorted(("renamed", "archive-2025/" + n, "2025/" + n)
                                     for n in (LEASE, RESUME)),
                         self.describe(self.file_events(seq)))
        seq = self.head_seq()
        shutil.rmtree(os.path.join(self.watch, "archive-2025"))
        h.wait_for(lambda: set(self.doc_map()) == {"zz-barrier-1.txt"},
                   what="the removed folder's files to leave documents")
        got = sorted((e["type"], e.get("path")) for e in self.file_events(seq))
        self.assertEqual(got, sorted(("removed", "archive-2025/" + n) for n in (LEASE, RESUME)))

    def test_churn(self):
        """Files that come and go within the settle interval leave nothing
        behind; a burst of files is recorded completely."""
        for i in range(50):
            tmp = os.path.join(self.watch, "tmp-%02d.docx" % i)
            shutil.copyfile(h.sample("complete", RESUME), tmp)
            os.unlink(tmp)
        for i in range(150):
            with open(os.path.join(self.watch, "note-%03d.txt" % i), "w") as f:
                f.write("note %d\n" % i)
        want = {"note-%03d.txt" % i for i in range(150)}
        h.wait_for(lambda: set(self.doc_map()) == want, h.SHORT * 2,
                   what="exactly the 150 notes in documents")
        self.barrier()
        events = self.file_events()
        self.assertEqual([e for e in events if e["type"] not in ("added", "unparsed", "removed")],
                         [], self.describe(events))
        per_path = {}
        for e in events:
            per_path.setdefault(e["path"], []).append(e["type"])
        for path, types in per_path.items():
            if path.startswith("tmp-"):
                self.assertIn(types, ([], ["added", "removed"], ["unparsed", "removed"]), path)
            else:
                self.assertEqual(types, ["unparsed"], path)
        v = self.ctl_json("verify", "--json")
        self.assertTrue(v["verified"], v)

    def test_event_queue_overflow(self):
        """Changes lost to an inotify queue overflow are found by the
        reconciliation that the overflow triggers."""
        self.put(RESUME)
        self.wait_event(lambda e: e.get("path") == RESUME, "the resume to be added")
        seq = self.head_seq()
        with open("/proc/sys/fs/inotify/max_queued_events") as f:
            limit = int(f.read())
        os.kill(self.d.pid, signal.SIGSTOP)
        try:
            # Alternating writes are not merged: one event each.
            with open(os.path.join(self.watch, "a.log"), "wb") as a, \
                    open(os.path.join(self.watch, "b.log"), "wb") as b:
                for i in range(limit // 2 + 100):
                    os.write(a.fileno(), b"a")
                    os.write(b.fileno(), b"b")
            self.put(LEASE, "lost.odt")
            os.unlink(os.path.join(self.watch, RESUME))
        finally:
            os.kill(self.d.pid, signal.SIGCONT)
        h.wait_for(lambda: set(self.doc_map()) == {"a.log", "b.log", "lost.odt"}, h.SHORT * 2,
                   what="the folder as it is after the overflow")
        self.assertIn("overflow", self.d.log())
        self.barrier()
        got = sorted((e["type"], e.get("path")) for e in self.file_events(seq))
        self.assertEqual(got, [("added", "lost.odt"), ("removed", RESUME),
                               ("unparsed", "a.log"), ("unparsed", "b.log")],
                         self.describe(self.file_events(seq)))
        docs = self.doc_map()
        self.assertEqual(docs["lost.odt"]["kind"], self.kinds[LEASE])
        self.assertEqual(docs["a.log"]["sha256"],
                         h.sha256_file(os.path.join(self.watch, "a.log")))

    def test_slow_writer(self):
        """A file written in two halves with a pause longer than the settle
        interval is read once, complete."""
        data = h.read_bytes(h.sample("complete", CONTRACT))
        path = os.path.join(self.watch, "slow.docx")
        with open(path, "wb") as f:
            f.write(data[:len(data) // 2])
            f.flush()
            os.fsync(f.fileno())
            time.sleep(1.0)   # the pause under test: ten settle intervals
            f.write(data[len(data) // 2:])
        ev = self.wait_event(lambda e: e.get("path") == "slow.docx" and e["type"] == "added",
                             "slow.docx to be added")
        self.assertEqual(ev["sha256"], h.sha256_file(path))
        self.barrier()
        self.assertEqual([e["type"] for e in self.file_events() if e.get("path") == "slow.docx"],
                         ["added"], self.describe(self.file_events()))
        doc = self.doc_map()["slow.docx"]
        self.assertNotIn("error", doc)
        self.assertEqual(doc["kind"], self.kinds[CONTRACT])

    def test_slow_copy_closed_between_chunks(self):
        """A copy over a slow share opens, appends and closes the file chunk
        by chunk, pausing longer than the settle interval: the truncated
        file in between is no rejection, the complete one is added."""
        data = h.read_bytes(h.sample("complete", CONTRACT))
        path = os.path.join(self.watch, "chunked.docx")
        third = len(data) // 3
        for part in (data[:third], data[third:2 * third], data[2 * third:]):
            with open(path, "ab") as f:
                f.write(part)
            time.sleep(0.8)   # eight settle intervals
        ev = self.wait_event(lambda e: e.get("path") == "chunked.docx" and e["type"] == "added",
                             "chunked.docx to be added", timeout=h.SCAN)
        self.assertEqual(ev["sha256"], h.sha256_file(path))
        self.barrier()
        self.assertEqual([e["type"] for e in self.file_events()
                          if e.get("path") == "chunked.docx"],
                         ["added"], self.describe(self.file_events()))

    def test_unparsed(self):
        """An image is hashed and recorded as unparsed; a PDF is read now,
        so a broken one is rejected (malformed), not left unparsed."""
        files = {
            "scan.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
                        + bytes(range(256)) * 8 + b"%%EOF\n",
            "photo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        }
        for name, data in files.items():
            with open(os.path.join(self.watch, name), "wb") as f:
                f.write(data)
        # A malformed file written lately is looked at again for ~10 s (it
        # may be a copy still under way) before it is rejected.
        h.wait_for(lambda: set(files) <= {e["path"] for e in self.file_events()}, 3 * h.SHORT,
                   what="scan.pdf and photo.png in the ledger")
        h.wait_for(lambda: "photo.png" in self.doc_map(), h.SHORT, what="photo.png in documents")
        docs = self.doc_map()
        events = {e["path"]: e for e in self.file_events()}
        sha = h.sha256_file(os.path.join(self.watch, "photo.png"))
        self.assertEqual(events["photo.png"]["type"], "unparsed")
        self.assertEqual(events["photo.png"]["sha256"], sha)
        self.assertEqual(docs["photo.png"]["sha256"], sha)
        self.assertEqual(docs["photo.png"].get("format"), "unparsed", docs["photo.png"])
        self.assertIsNone(docs["photo.png"].get("kind"), docs["photo.png"])
        self.assertEqual(events["scan.pdf"]["type"], "rejected", events["scan.pdf"])

    def test_lock_files_ignored(self):
        """Word's owner files and LibreOffice's locks (small) are ignored; a
        document saved under such a name is no lock and is recorded, so no
        name hides a file from the ledger."""
        os.mkdir(os.path.join(self.watch, "sub"))
        for lock in ("~$contract.docx", ".~lock.contract.odt#", "sub/~$x.docx"):
            with open(os.path.join(self.watch, lock), "wb") as f:
                f.write(b"\x05Owner" + b"\0" * 155)     # 162 bytes, as Word writes
        shutil.copyfile(h.sample("complete", CONTRACT), os.path.join(self.watch, "~$hidden.docx"))
        self.put(RESUME)
        self.wait_event(lambda e: e.get("path") == RESUME, "the resume to be added")
        self.wait_event(lambda e: e.get("path") == "~$hidden.docx", "the large ~$ file")
        self.barrier()
        paths = {e.get("path") for e in self.file_events()}
        self.assertEqual(paths, {RESUME, "~$hidden.docx"})
        self.assertEqual(set(self.doc_map()) - {"zz-barrier-1.txt"}, {RESUME, "~$hidden.docx"})
        # A reconciliation (as at a restart) decides the same way.
        seq = self.head_seq()
        self.ctl("rescan")
        self.barrier()
        self.assertEqual(self.file_events(seq), [], self.describe(self.file_events(seq)))


if __name__ == "__main__":
    h.main()
