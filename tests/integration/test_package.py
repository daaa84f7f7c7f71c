"""Evidence packages: `evidencectl package` through the real daemon and
`evidencectl verify-package` offline, with the package's vkey or a pinned
one. A changed byte in a file, a proof, the manifest or the checkpoint is
named; a zip with ".." names, a zip bomb or another key is refused; the
output is never overwritten without --force nor written through a link."""
import json
import os
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

NAMES = ["01-营业执照.docx", "22-保密管理程序.docx", "28-员工保密协议-张伟.docx",
         "13-合同-HT-2026-018-安全运维.docx"]


class Package(h.DaemonCase):
    def setUp(self):
        super().setUp()
        self.copy_samples("complete", names=NAMES)
        self.d = self.daemon().start()
        self.wait_scan(len(NAMES))
        self.zip = os.path.join(self.root, "evidence.zip")
        p = self.ctl("package", "-o", self.zip)
        self.assertEqual(p.returncode, 0, p.err)
        self.vkey = os.path.join(self.state, "ledger.vkey")
        with zipfile.ZipFile(self.zip) as z:
            self.entries = {i.filename: z.read(i) for i in z.infolist()}
        self.manifest = json.loads(self.entries["manifest.json"])

    def verify(self, path, rc, *extra):
        p = self.ctl("verify-package", path, *extra, daemon=False)
        self.assertEqual(p.returncode, rc, p.out + p.err)
        return p.out + p.err

    def rewrite(self, name, change=None, extra=(), compress=zipfile.ZIP_DEFLATED):
        """A copy of the package with entry `name` changed by change(bytes),
        and extra (name, bytes) entries added."""
        out = os.path.join(self.root, "changed.zip")
        with zipfile.ZipFile(out, "w", compress) as z:
            for n, data in self.entries.items():
                z.writestr(n, change(data) if n == name and change else data)
            for n, data in extra:
                z.writestr(n, data)
        return out

    def test_package_holds_the_cited_files_and_verifies(self):
        files = self.manifest["files"]
        paths = {f["path"] for f in files}
        self.assertTrue(paths <= set(NAMES) and paths, paths)
        events = self.events()
        for f in files:
            self.assertEqual(self.entries[f["archive"]],
                             h.read_bytes(os.path.join(self.watch, f["path"])))
            self.assertEqual(f["sha256"], h.sha256_file(os.path.join(self.watch, f["path"])))
            seq = max(e["seq"] for e in events if e.get("path") == f["path"])
            self.assertEqual(f["seq"], seq)
            self.assertTrue(f["requirements"], f)
            self.assertIn(f["proof"], self.entries)
        # The report of the same evaluation, hashed in the manifest.
        report = self.entries["report.html"].decode()
        self.assertIn("<html", report)
        self.assertEqual(self.manifest["report"]["sha256"],
                         h.hashlib.sha256(self.entries["report.html"]).hexdigest())
        for f in files:
            self.assertIn(f["sha256"], report)
        self.assertIn("verified: %d files" % len(files), self.verify(self.zip, 0))
        self.assertIn("verified", self.verify(self.zip, 0, "--vkey", self.vkey))
        # A requirement alone, and one the catalog does not have.
        one = os.path.join(self.root, "one.zip")
        p = self.ctl("package", "-o", one, "--requirement", "legal.entity")
        self.assertEqual(p.returncode, 0, p.err)
        with zipfile.ZipFile(one) as z:
            m = json.loads(z.read("manifest.json"))
        self.assertEqual([f["path"] for f in m["files"]], ["01-营业执照.docx"])
        p = self.ctl("package", "-o", os.path.join(self.root, "x.zip"), "--requirement", "no.such")
        self.assertEqual(p.returncode, 2, p.err)

    def test_a_changed_byte_is_named(self):
        f = self.manifest["files"][0]
        flip = lambda data: data[:100] + bytes([data[100] ^ 1]) + data[101:]  # noqa: E731
        out = self.verify(self.rewrite(f["archive"], flip), 1)
        self.assertIn("FAILED %s" % f["archive"], out)
        proof = json.loads(self.entries[f["proof"]])
        proof["leaf_index"] += 1
        out = self.verify(self.rewrite(f["proof"], lambda d: json.dumps(proof).encode()), 1)
        self.assertIn("FAILED %s" % f["proof"], out)
        out = self.verify(self.rewrite("manifest.json",
                                       lambda d: d.replace(f["sha256"].encode(), b"0" * 64)), 1)
        self.assertIn("FAILED %s" % f["archive"], out)
        out = self.verify(self.rewrite("checkpoint", lambda d: d.replace(b"\n", b"\n1", 1)), 1)
        self.assertIn("FAILED checkpoint", out)
        out = self.verify(self.rewrite("report.html", lambda d: d.replace(b"</h1>", b"!</h1>", 1)),
                          1)
        self.assertIn("FAILED report.html", out)
        out = self.verify(self.rewrite(None, extra=[("files/extra.docx", b"x")]), 1)
        self.assertIn("FAILED files/extra.docx: in the package but not in the manifest", out)

    def test_another_key_is_refused(self):
        other = self.root + "/other-state"
        os.mkdir(other)
        d2 = h.Daemon(self.root, self.watch, other, self.sock + "2")
        self.daemons.append(d2)
        d2.start()
        out = self.verify(self.zip, 1, "--vkey", os.path.join(other, "ledger.vkey"))
        self.assertIn("FAILED checkpoint", out)
        # The package's own vkey swapped for another: its checkpoint fails.
        with open(os.path.join(other, "ledger.vkey"), "rb") as f:
            theirs = f.read()
        self.verify(self.rewrite("ledger.vkey", lambda d: theirs), 1)

    def test_hostile_zips_are_refused(self):
        for name in ("../escape.docx", "/abs.docx", "files/../../x", "files\\x.docx"):
            with self.subTest(name=name):
                out = self.verify(self.rewrite(None, extra=[(name, b"x")]), 1)
                self.assertIn("unsafe name", out)
        f = self.manifest["files"][0]
        bomb = self.rewrite(f["archive"], lambda d: b"\0" * (16 << 20))
        out = self.verify(bomb, 1)
        self.assertIn("FAILED %s" % f["archive"], out)
        not_zip = os.path.join(self.root, "not.zip")
        with open(not_zip, "wb") as fh:
            fh.write(b"PK\x03\x04 truncated")
        self.assertIn("not a readable zip", self.verify(not_zip, 1))

    def test_output_is_not_overwritten_nor_followed(self):
        p = self.ctl("package", "-o", self.zip)
        self.assertEqual(p.returncode, 1)
        self.assertIn("--force", p.err)
        target = os.path.join(self.root, "target")
        with open(target, "w") as fh:
            fh.write("keep")
        link = os.path.join(self.root, "link.zip")
        os.symlink(target, link)
        p = self.ctl("package", "-o", link, "--force")
        self.assertEqual(p.returncode, 1)
        self.assertIn("symbolic link", p.err)
        with open(target) as fh:
            self.assertEqual(fh.read(), "keep")
        p = self.ctl("package", "-o", self.zip, "--force")
        self.assertEqual(p.returncode, 0, p.err)
        self.verify(self.zip, 0)


if __name__ == "__main__":
    h.main()
