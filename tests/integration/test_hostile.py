"""Hostile folder entries: symlinks out of the tree, FIFOs and folders
nested too deep are skipped without a hang, and hostile archives are
rejected with an error code while the daemon keeps serving."""
import io
import os
import shutil
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

CODES = {"not-a-document", "encrypted", "zip-bomb", "too-large", "malformed", "unsupported"}
RESUME = "05-简历-张伟.docx"


def zip_bomb(inflated_mib=128):
    """A DOCX package whose document part inflates past any sane bound at
    a ratio of about 1000:1."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        h.docx_package(z)
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
                       b'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
                       b'<w:t>')
            chunk = b"A" * (1 << 20)
            for _ in range(inflated_mib):
                part.write(chunk)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


class Hostile(h.DaemonCase):
    def assert_responsive(self):
        """A status reply within 2 s, over the raw socket and from evidencectl."""
        t0 = time.monotonic()
        c = h.Conn(self.sock, timeout=2)
        try:
            reply = c.ask({"op": "status", "documents": False})
        finally:
            c.close()
        self.assertTrue(reply and reply["ok"], reply)
        self.assertLess(time.monotonic() - t0, 2.0)
        p = self.ctl("status", "--json", timeout=10)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertTrue(self.d.running, "evidenced died:\n" + self.d.log_tail())

    def make_specials(self, tag):
        os.symlink("/etc/shadow", os.path.join(self.watch, tag + "-shadow.docx"))
        os.symlink("/etc", os.path.join(self.watch, tag + "-etc"))
        os.mkfifo(os.path.join(self.watch, tag + "-fifo.docx"))

    def test_symlinks_and_fifos(self):
        self.make_specials("early")
        shutil.copyfile(h.sample("complete", RESUME), os.path.join(self.watch, RESUME))
        self.d = self.daemon().start()
        self.wait_scan(1, timeout=h.SHORT)
        self.assert_responsive()
        self.make_specials("late")
        # Give the FIFO a write and a close (IN_CLOSE_WRITE) as a writer
        # would: a daemon that then opens it blocking hangs for good.
        fd = os.open(os.path.join(self.watch, "late-fifo.docx"), os.O_RDWR | os.O_NONBLOCK)
        os.write(fd, b"PK")
        os.close(fd)
        shutil.copyfile(h.sample("complete", RESUME), os.path.join(self.watch, "late.docx"))
        self.wait_event(lambda e: e.get("path") == "late.docx", "late.docx to be added")
        self.assert_responsive()
        self.assertEqual({e.get("path") for e in self.events() if e["type"] != "policy-changed"},
                         {RESUME, "late.docx"})
        self.assertEqual(set(self.doc_map()), {RESUME, "late.docx"})
        # A rescan walks over them again, still without a hang.
        self.assertEqual(self.ctl("rescan").returncode, 0)
        self.assert_responsive()
        self.assertEqual(set(self.doc_map()), {RESUME, "late.docx"})
        # The readable status says files were left out, and where to look.
        h.wait_for(lambda: not self.progress()["scanning"], what="the rescan")
        p = self.ctl("status")
        self.assertIn("files left out of the ledger", p.out)

    def test_odd_names_depth_and_size(self):
        """A name that is not UTF-8, folders nested past the walk's depth and
        a file over max_file_size: skipped or recorded, never a crash."""
        self.d = self.daemon(extra_conf="[limits]\nmax_file_size = 1M\n").start()
        self.wait_scan(0)
        raw = os.path.join(self.watch.encode(), b"bad-\xff\xfe.docx")
        with open(raw, "wb") as f:
            f.write(h.read_bytes(h.sample("complete", RESUME)))
        deep = self.watch
        for i in range(70):
            deep = os.path.join(deep, "d%d" % i)
        os.makedirs(deep)
        with open(os.path.join(deep, "deep.txt"), "w") as f:
            f.write("deep\n")
        big = os.path.join(self.watch, "big.docx")
        with open(big, "wb") as f:
            f.write(b"PK\x03\x04" + os.urandom((1 << 20) + 4096))
        shutil.copyfile(h.sample("complete", RESUME), os.path.join(self.watch, RESUME))
        ev = self.wait_event(lambda e: e.get("path") == "big.docx", "big.docx to be recorded",
                             timeout=h.SHORT)
        self.assertEqual(ev["type"], "rejected", ev)
        self.assertEqual(ev["sha256"], h.sha256_file(big), "too-large files are still hashed")
        self.wait_event(lambda e: e.get("path") == RESUME, "the resume to be added")
        self.assert_responsive()
        docs = self.doc_map()
        self.assertEqual(docs["big.docx"]["error"]["code"], "too-large", docs["big.docx"])
        for path in docs:
            self.assertNotIn("bad-", path)
        self.assertEqual(docs["big.docx"]["sha256"], h.sha256_file(big))
        # An untouched folder verifies, the too-large file included.
        v = self.ctl_json("verify", "--json")
        self.assertEqual(v["files"]["changed"], [], v)
        self.assertTrue(v["verified"], v)
        # A rescan walks the deep tree and the odd name again.
        self.assertEqual(self.ctl("rescan").returncode, 0)
        self.assert_responsive()

    def nest(self, top, levels):
        """Folder `top` and levels-1 more inside it, as a relative path."""
        return "/".join([top] + ["d%d" % i for i in range(1, levels)])

    def test_folders_nested_too_deep(self):
        """A folder nested more than 64 levels down is not read: it is counted
        as skipped in status and named in the log, whether it was there at
        start or made while the daemon runs; one level less is read."""
        ok = self.nest("early", 64)
        too_deep = self.nest("early", 65)
        os.makedirs(os.path.join(self.watch, too_deep))
        shutil.copyfile(h.sample("complete", RESUME), os.path.join(self.watch, ok, "ok.docx"))
        shutil.copyfile(h.sample("complete", RESUME),
                        os.path.join(self.watch, too_deep, "deep.docx"))
        self.d = self.daemon().start()
        s = self.wait_scan(1)
        self.assertEqual(set(self.doc_map()), {ok + "/ok.docx"})
        self.assertEqual(s["progress"]["skipped"], 1, s["progress"])
        self.assertIn("skipped %s: folders nested deeper than 64" % too_deep, self.d.log())
        p = self.ctl("status")
        self.assertIn("1 files left out of the ledger", p.out)
        self.assertIn("nested too deep", p.out)

        late = self.nest("late", 70)
        os.makedirs(os.path.join(self.watch, late))
        shutil.copyfile(h.sample("complete", RESUME), os.path.join(self.watch, late, "deep.docx"))
        shutil.copyfile(h.sample("complete", RESUME), os.path.join(self.watch, "late.docx"))
        self.wait_event(lambda e: e.get("path") == "late.docx", "late.docx to be added")
        h.wait_for(lambda: "skipped %s: folders" % self.nest("late", 65) in self.d.log(),
                   what="the late folder too deep in the log")
        self.assertGreaterEqual(self.progress()["skipped"], 2)
        self.assertEqual(set(self.doc_map()), {ok + "/ok.docx", "late.docx"})

    def test_hostile_archives(self):
        self.d = self.daemon().start()
        self.wait_scan(0)
        good = h.read_bytes(h.sample("complete", RESUME))
        files = {
            "bomb.docx": zip_bomb(),
            "garbage.docx": os.urandom(20000),
            "truncated.docx": good[:len(good) // 2],
            "empty.odt": b"",
        }
        for name, data in files.items():
            with open(os.path.join(self.watch, name), "wb") as f:
                f.write(data)
        docs = h.wait_for(lambda: set(files) <= set(self.doc_map()) and self.doc_map(),
                          h.SHORT * 2, what="the hostile files in documents")
        events = {e["path"]: e for e in self.events() if e.get("path")}
        for name in files:
            self.assertEqual(events[name]["type"], "rejected", events[name])
            err = docs[name].get("error")
            self.assertIsInstance(err, dict, "%s: %s" % (name, docs[name]))
            self.assertIn(err.get("code"), CODES, "%s: %s" % (name, err))
            self.assertTrue(err.get("message"), "%s: empty message" % name)
            self.assertEqual(docs[name]["sha256"], h.sha256_file(os.path.join(self.watch, name)))
        self.assertEqual(docs["bomb.docx"]["error"]["code"], "zip-bomb", docs["bomb.docx"])
        self.assert_responsive()
        # And a good document after them is still read.
        shutil.copyfile(h.sample("complete", RESUME), os.path.join(self.watch, RESUME))
        self.wait_event(lambda e: e.get("path") == RESUME and e["type"] == "added",
                        "the resume after the hostile files")


if __name__ == "__main__":
    h.main()
