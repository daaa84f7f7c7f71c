"""Files that reach the folder without being written there: hard links
(inotify says IN_CREATE only), files whose mode is fixed after they were
skipped as unreadable (IN_ATTRIB only), special files dropped while the
daemon runs; and what the daemon cannot see: a write through a hard link's
other name outside the folder."""
import os
import shutil
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

RESUME = "05-简历-张伟.docx"
LEASE = "04-办公用房租赁合同.odt"


class Arrivals(h.DaemonCase):
    def setUp(self):
        super().setUp()
        self.d = self.daemon(wrapper=h.NO_DAC).start()
        self.wait_scan(0)

    def file_events(self, since=0):
        return [e for e in self.events(since) if e["type"] != "policy-changed"]

    def test_hard_link_inside_the_folder(self):
        shutil.copyfile(h.sample("complete", RESUME), os.path.join(self.watch, RESUME))
        self.wait_event(lambda e: e.get("path") == RESUME, "the resume to be added")
        seq = self.head_seq()
        os.link(os.path.join(self.watch, RESUME), os.path.join(self.watch, "copy.docx"))
        ev = self.wait_event(lambda e: e.get("path") == "copy.docx", "the link to be added",
                             since=seq)
        self.assertEqual(ev["type"], "added")
        self.assertEqual(ev["sha256"], h.sha256_file(os.path.join(self.watch, RESUME)))
        self.assertEqual(set(self.doc_map()), {RESUME, "copy.docx"})

    def test_hard_link_to_a_file_outside(self):
        """A link to a file outside is recorded with the content found; a
        write through the outside name gives the folder no event (inotify
        reports a write to the folder of the name written through), so it
        is found by the next rescan or scrub, as the README says."""
        outside = os.path.join(self.root, "outside.docx")
        shutil.copyfile(h.sample("complete", RESUME), outside)
        os.link(outside, os.path.join(self.watch, "linked.docx"))
        ev = self.wait_event(lambda e: e.get("path") == "linked.docx", "the link to be added")
        self.assertEqual(ev["type"], "added")
        seq = self.head_seq()
        with open(outside, "r+b") as f:       # in place: the inode both names share
            f.write(h.read_bytes(h.sample("complete", LEASE)))
        # A file written in the folder after it: its event comes, the
        # link's does not.
        with open(os.path.join(self.watch, "after.txt"), "w") as f:
            f.write("after\n")
        self.wait_event(lambda e: e.get("path") == "after.txt", "after.txt", since=seq)
        self.assertEqual([e["path"] for e in self.file_events(seq)], ["after.txt"])
        self.assertEqual(self.ctl("rescan").returncode, 0)
        ev = self.wait_event(lambda e: e.get("path") == "linked.docx", "the rescan to see it",
                             since=seq)
        self.assertEqual(ev["type"], "modified")
        self.assertEqual(ev["sha256"], h.sha256_file(outside))

    def test_unreadable_then_chmod(self):
        """A file skipped as unreadable is counted, and read as soon as its
        mode is fixed (a chmod gives IN_ATTRIB and nothing else)."""
        path = os.path.join(self.watch, RESUME)
        shutil.copyfile(h.sample("complete", RESUME), path)
        os.chmod(path, 0)
        # The copy's close came before the chmod: the file may be read in
        # between. Whichever, it is unreadable once the chmod is done.
        os.utime(path)
        shutil.copyfile(h.sample("complete", LEASE), os.path.join(self.watch, "closed.odt"))
        os.chmod(os.path.join(self.watch, "closed.odt"), 0)
        h.wait_for(lambda: self.progress()["skipped"] == 2 and
                   not ({RESUME, "closed.odt"} & set(self.doc_map())),
                   what="both files skipped as unreadable")
        self.assertIn("skipped closed.odt: Permission denied", self.d.log())
        seq = self.head_seq()
        os.chmod(path, 0o644)
        os.chmod(os.path.join(self.watch, "closed.odt"), 0o644)
        self.wait_event(lambda e: e.get("path") == RESUME and e["type"] == "added",
                        "the resume added once readable", since=seq)
        self.wait_event(lambda e: e.get("path") == "closed.odt" and e["type"] == "added",
                        "closed.odt added once readable", since=seq)
        h.wait_for(lambda: self.progress()["skipped"] == 0, what="nothing skipped any more")

    def test_specials_counted_when_they_appear(self):
        """A symbolic link, a FIFO and a name not in UTF-8 dropped while the
        daemon runs are counted as skipped at once, and no longer once they
        are gone or renamed to a UTF-8 name."""
        os.symlink("/etc/passwd", os.path.join(self.watch, "link.docx"))
        os.mkfifo(os.path.join(self.watch, "fifo.docx"))
        raw = os.path.join(self.watch.encode(), b"bad-\xff.docx")
        with open(raw, "wb") as f:
            f.write(h.read_bytes(h.sample("complete", RESUME)))
        h.wait_for(lambda: self.progress()["skipped"] == 3, what="three files skipped")
        p = self.ctl("status")
        self.assertIn("3 files left out", p.out)
        os.unlink(os.path.join(self.watch, "link.docx"))
        os.rename(raw, os.path.join(self.watch.encode(), b"good.docx"))
        self.wait_event(lambda e: e.get("path") == "good.docx" and e["type"] == "added",
                        "the renamed file to be added")
        h.wait_for(lambda: self.progress()["skipped"] == 1, what="only the FIFO skipped")
        # A rescan finds the same.
        self.assertEqual(self.ctl("rescan").returncode, 0)
        h.wait_for(lambda: not self.progress()["scanning"], what="the rescan")
        self.assertEqual(self.progress()["skipped"], 1)


class Counters(h.DaemonCase):
    """status's progress says what is true of the folder at every moment."""

    def test_counts_agree_during_a_scan_and_after_reloads(self):
        catalog = os.path.join(self.root, "catalog.xml")
        shutil.copyfile(h.CATALOG, catalog)
        names = self.copy_samples("complete")
        d = self.daemon(extra_conf="[paths]\ncatalog = %s\n" % catalog).start(wait=False)
        h.wait_for(d._answers, what="evidenced to answer")
        # Every reply during the cold scan: the documents counted are the
        # documents listed (files waiting for their read are neither).
        while True:
            s = self.status()
            p = s["progress"]
            self.assertEqual(p["documents"], len(s["documents"]), p)
            self.assertLessEqual(p["documents"], p["files_seen"], p)
            if not p["scanning"] and p["queued"] == 0 and len(s["documents"]) == len(names):
                break
        # A catalog changed under a running daemon (SIGHUP) has every file
        # read again: the counts are of this scan, not added to the last.
        for i in range(3):
            with open(catalog, "a", encoding="utf-8") as f:
                f.write("<!-- reload %d -->\n" % i)
            d.proc.send_signal(signal.SIGHUP)
            h.wait_for(lambda: d.log().count("SIGHUP: reloaded") == i + 1, what="the reload")
            s = self.wait_scan(len(names))
            p = s["progress"]
            self.assertEqual((p["files_seen"], p["parsed"], p["documents"], p["skipped"]),
                             (len(names), len(names), len(names), 0), p)


if __name__ == "__main__":
    h.main()
