"""Tampering: an edited or deleted ledger row is found by the offline
`evidencectl verify --state`, which needs only the public key, and a file
changed on disk, or reached through a folder replaced by a symbolic link,
is named by `verify --folder`."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

NAMES = ["01-营业执照.docx", "04-办公用房租赁合同.odt", "05-简历-张伟.docx",
         "13-合同-HT-2026-018-安全运维.docx", "14-验收报告-HT-2026-018.docx",
         "22-保密管理程序.docx", "28-员工保密协议-张伟.docx"]


class Tamper(h.DaemonCase):
    def setUp(self):
        super().setUp()
        self.copy_samples("complete", names=NAMES)
        with open(os.path.join(self.watch, "scan.pdf"), "wb") as f:
            f.write(b"%PDF-1.4\n" + bytes(range(256)) + b"\n%%EOF\n")
        d = self.daemon().start()
        self.wait_scan(len(NAMES) + 1)
        self.events_before = self.events()
        self.assertGreaterEqual(len(self.events_before), len(NAMES) + 1)
        self.assertEqual(d.stop(), 0)
        self.ncopies = 0

    def public_copy(self):
        """A copy of the state directory without the private key."""
        self.ncopies += 1
        dest = os.path.join(self.root, "copy-%d" % self.ncopies)
        shutil.copytree(self.state, dest, ignore=shutil.ignore_patterns("ledger.key"))
        self.assertIn("ledger.pub", os.listdir(dest))
        self.assertNotIn("ledger.key", os.listdir(dest))
        return dest

    def sql(self, state, script):
        p = subprocess.run(["sqlite3", os.path.join(state, "ledger.db")], input=script.encode(),
                           capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertEqual(p.stderr, b"", p.stderr.decode())
        return p.stdout.decode()

    def verify(self, state, *extra, rc):
        return self.ctl_json("verify", "--state", state, *extra, "--json", rc=rc, daemon=False)

    def seq_of(self, name):
        return [e["seq"] for e in self.events_before if e.get("path") == name][0]

    def test_untouched_ledger_verifies_with_the_public_key_only(self):
        copy = self.public_copy()
        v = self.verify(copy, rc=0)
        self.assertTrue(v["verified"], v)
        self.assertEqual(v["ledger"]["fault"], "none", v)
        self.assertEqual(v["ledger"]["head_seq"], self.events_before[-1]["seq"])
        self.assertEqual(v["ledger"]["head_hash"], self.events_before[-1]["hash"])
        v = self.verify(copy, "--folder", self.watch, rc=0)
        self.assertEqual(v["files"]["checked"], len(NAMES) + 1, v)
        self.assertEqual((v["files"]["changed"], v["files"]["missing"]), ([], []))

    def test_edited_rows(self):
        target = self.seq_of("05-简历-张伟.docx")
        edits = {
            "path": "path = 'forged.docx'",
            "sha256": "sha256 = '%s'" % ("0" * 64),
            "ts": "ts = '2020-01-01T00:00:00Z'",
            "type": "type = 'removed'",
            "payload": "payload = '{}'",
        }
        for column, assignment in edits.items():
            with self.subTest(column=column):
                copy = self.public_copy()
                out = self.sql(copy, "DROP TRIGGER events_no_update;\n"
                               "UPDATE events SET %s WHERE seq = %d;\nSELECT changes();\n"
                               % (assignment, target))
                self.assertEqual(out, "1\n")
                v = self.verify(copy, rc=1)
                self.assertFalse(v["verified"], v)
                self.assertNotEqual(v["ledger"]["fault"], "none", v)
                self.assertEqual(v["ledger"]["fault_seq"], target,
                                 "edited %s of seq %d; verify says %s" % (column, target,
                                                                          v["ledger"]))
                p = self.ctl("verify", "--state", copy, daemon=False)
                self.assertEqual(p.returncode, 1)
                self.assertIn("seq %d" % target, p.out)

    def test_daemon_checks_itself(self):
        """The daemon verifies its ledger at start (and each midnight) and
        says in its log when it does not verify, so tampering shows before
        anyone thinks of running verify."""
        d = self.daemons[0]
        d.start()
        h.wait_for(lambda: "self-check: %d ledger events verified" % self.head_seq() in d.log(),
                   what="the self-check at start")
        self.assertEqual(d.stop(), 0)
        target = self.seq_of("05-简历-张伟.docx")
        self.sql(self.state, "DROP TRIGGER events_no_update;\n"
                 "UPDATE events SET path = 'forged.docx' WHERE seq = %d;\n" % target)
        d.start()
        h.wait_for(lambda: "the ledger does NOT verify" in d.log(),
                   what="the self-check to report the edited row")
        self.assertIn("at seq %d" % target, d.log())
        self.assertTrue(d.running)

    def test_edited_version_row(self):
        """The documents' recorded fields are covered too: a kind changed in
        the versions table is caught."""
        copy = self.public_copy()
        out = self.sql(copy, "UPDATE versions SET kind = 'other' WHERE kind = 'lease-contract';\n"
                       "SELECT changes();\n")
        self.assertEqual(out, "1\n")
        v = self.verify(copy, rc=1)
        self.assertNotEqual(v["ledger"]["fault"], "none", v)
        self.assertEqual(v["ledger"]["fault_seq"], self.seq_of("04-办公用房租赁合同.odt"), v)

    def test_signature_swapped(self):
        """A signature taken from another row does not fit."""
        target = self.seq_of("13-合同-HT-2026-018-安全运维.docx")
        copy = self.public_copy()
        self.sql(copy, "DROP TRIGGER events_no_update;\n"
                 "UPDATE events SET sig = (SELECT sig FROM events WHERE seq = %d) "
                 "WHERE seq = %d;\n" % (target - 1, target))
        v = self.verify(copy, rc=1)
        self.assertEqual(v["ledger"]["fault_seq"], target, v)

    def test_deleted_rows(self):
        last = self.events_before[-1]["seq"]
        for where, what in (("seq > %d" % (last - 2), "the last two rows"),
                            ("seq = %d" % last, "the last row"),
                            ("seq = 2", "a row in the middle")):
            with self.subTest(deleted=what):
                copy = self.public_copy()
                self.sql(copy, "DROP TRIGGER events_no_delete;\nDELETE FROM events WHERE %s;\n"
                         % where)
                v = self.verify(copy, rc=1)
                self.assertFalse(v["verified"], v)
                self.assertNotEqual(v["ledger"]["fault"], "none", v)
                self.assertGreater(v["ledger"]["fault_seq"], 0, v)

    def test_deleted_rows_and_head_rewound(self):
        """Cutting the ledger back and copying an old head over the current
        one: the head row is signed, so an old head does not fit."""
        copy = self.public_copy()
        last = self.events_before[-1]["seq"]
        self.sql(copy, "DROP TRIGGER events_no_delete;\n"
                 "DELETE FROM events WHERE seq = %d;\n"
                 "UPDATE head SET seq = %d, hash = (SELECT hash FROM events WHERE seq = %d);\n"
                 % (last, last - 1, last - 1))
        v = self.verify(copy, rc=1)
        self.assertFalse(v["verified"], v)

    def test_folder_file_changed(self):
        changed = "22-保密管理程序.docx"
        with open(os.path.join(self.watch, changed), "r+b") as f:
            f.seek(100)
            f.write(b"\x00tampered\x00")
        os.unlink(os.path.join(self.watch, "scan.pdf"))
        v = self.verify(self.public_copy(), "--folder", self.watch, rc=1)
        self.assertFalse(v["verified"], v)
        self.assertEqual(v["ledger"]["fault"], "none", v)
        self.assertEqual([c["path"] for c in v["files"]["changed"]], [changed], v)
        self.assertEqual(v["files"]["changed"][0]["actual"],
                         h.sha256_file(os.path.join(self.watch, changed)))
        self.assertEqual(v["files"]["missing"], ["scan.pdf"], v)
        p = self.ctl("verify", "--state", self.state, "--folder", self.watch, daemon=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn(changed, p.out)

    def test_folder_replaced_by_a_symlink(self):
        """A recorded folder replaced by a symbolic link to a copy of it: the
        bytes are the same, but they are not the recorded files in the
        folder, and the daemon would never read them there. Offline verify
        resolves paths beneath the folder as the daemon does, and names
        them."""
        name = "sub/" + NAMES[0]
        os.mkdir(os.path.join(self.watch, "sub"))
        shutil.copyfile(h.sample("complete", NAMES[0]), os.path.join(self.watch, name))
        d = self.daemon().start()
        self.wait_event(lambda e: e.get("path") == name and e["type"] == "added",
                        "the file in the folder to be added")
        self.assertEqual(d.stop(), 0)
        v = self.verify(self.public_copy(), "--folder", self.watch, rc=0)
        self.assertEqual((v["files"]["changed"], v["files"]["missing"]), ([], []), v)

        elsewhere = os.path.join(self.root, "sub-copy")
        shutil.copytree(os.path.join(self.watch, "sub"), elsewhere)
        shutil.rmtree(os.path.join(self.watch, "sub"))
        os.symlink(elsewhere, os.path.join(self.watch, "sub"))
        v = self.verify(self.public_copy(), "--folder", self.watch, rc=1)
        self.assertFalse(v["verified"], v)
        self.assertEqual(v["files"]["missing"], [name], v)
        self.assertEqual(v["files"]["changed"], [], v)
        p = self.ctl("verify", "--state", self.state, "--folder", self.watch, daemon=False)
        self.assertEqual(p.returncode, 1, p.out + p.err)
        self.assertIn("missing: " + name, p.out)


if __name__ == "__main__":
    h.main()
