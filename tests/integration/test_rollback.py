"""Rollback: a ledger that does not extend the last checkpoint the daemon
signed is refused at start and by `evidencectl verify`, whichever way it
came about: events cut off its end by someone holding the key (the head
re-signed, so the chain alone still verifies), an older genuine copy put
back, ledger.db deleted while the key remains, or a copy swapped in under
the running daemon. `evidenced --accept-rollback` records the loss in the
ledger, and the daemon starts again."""
import hashlib
import os
import shutil
import sqlite3
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

FIRST = ["01-营业执照.docx", "05-简历-张伟.docx", "22-保密管理程序.docx"]
LATER = ["28-员工保密协议-张伟.docx", "04-办公用房租赁合同.odt"]


def checkpoint_size(state):
    """The tree size of the state directory's checkpoint file."""
    try:
        with open(os.path.join(state, "checkpoint"), encoding="utf-8") as f:
            return int(f.read().split("\n")[1])
    except (OSError, IndexError, ValueError):
        return -1


def snapshot(state, dest):
    """A consistent copy of ledger.db while the daemon writes it, as a backup
    tool would take one."""
    src = sqlite3.connect("file:%s?mode=ro" % os.path.join(state, "ledger.db"), uri=True)
    dst = sqlite3.connect(dest)
    src.backup(dst)
    dst.close()
    src.close()


class Rollback(h.DaemonCase):
    def setUp(self):
        super().setUp()
        self.copy_samples("complete", names=FIRST)
        self.d = self.daemon().start()
        self.wait_scan(len(FIRST))
        self.first = self.wait_signed()

    def wait_signed(self):
        """Until the checkpoint covers every event; returns its size."""
        seq = self.head_seq()
        h.wait_for(lambda: checkpoint_size(self.state) == seq, what="a checkpoint of %d events" % seq)
        return seq

    def add_later(self, names):
        self.copy_samples("complete", names=names)
        self.wait_scan(len(FIRST) + len(names))
        return self.wait_signed()

    def start_refused(self, size):
        """A start that must fail naming the checkpoint of `size` events."""
        d = self.daemon()
        d.start(wait=False)
        rc = d.proc.wait(60)
        self.assertEqual(rc, 1, d.log_tail())
        self.assertIn("does not extend the checkpoint of %d events" % size, d.log())
        self.assertIn("--accept-rollback", d.log())
        return d

    def verify_rollback(self, size):
        """evidencectl verify on a public copy of the state names the checkpoint."""
        copy = os.path.join(self.root, "copy")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(self.state, copy, ignore=shutil.ignore_patterns("ledger.key"))
        v = self.ctl_json("verify", "--state", copy, "--json", rc=1, daemon=False)
        self.assertFalse(v["verified"], v)
        self.assertEqual(v["ledger"]["fault"], "rollback", v)
        self.assertIn("checkpoint of %d events" % size, v["ledger"]["detail"], v)
        self.assertEqual(v["ledger"]["checkpoint"]["size"], size, v)
        p = self.ctl("verify", "--state", copy, daemon=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("checkpoint of %d events" % size, p.out + p.err)
        self.assertIn("checkpoint: the ledger does NOT extend the last one signed, of %d events"
                      % size, p.out)

    def accept_and_restart(self, size):
        p = h.subprocess.run([h.EVIDENCED, "--accept-rollback", "--config", self.d.conf,
                              "--state", self.state, "--watch", self.watch], capture_output=True, timeout=60,
                             env=h.program_env())
        out = p.stdout.decode() + p.stderr.decode()
        self.assertEqual(p.returncode, 0, out)
        self.assertIn("checkpoint of %d events" % size, out)
        self.daemon().start()
        accepted = self.wait_event(lambda e: e["type"] == "rollback-accepted",
                                   "the rollback-accepted event")
        self.assertEqual(accepted["payload"]["checkpoint"]["size"], size)
        v = self.ctl_json("verify", "--json")
        self.assertTrue(v["verified"], v)
        self.assertIn("checkpoint: the ledger extends the last one signed", self.ctl("verify").out)

    def test_events_cut_off_by_the_key_holder(self):
        size = self.add_later(LATER)
        self.assertEqual(self.d.stop(), 0)
        keep = self.first
        db = sqlite3.connect(os.path.join(self.state, "ledger.db"))
        db.executescript("DROP TRIGGER events_no_delete;")
        db.execute("DELETE FROM versions WHERE seq > ?", (keep,))
        db.execute("DELETE FROM documents WHERE version NOT IN (SELECT id FROM versions)")
        db.execute("DELETE FROM events WHERE seq > ?", (keep,))
        db.execute("DELETE FROM tree WHERE ((idx + 1) << level) > ?", (keep,))
        last_hash = db.execute("SELECT hash FROM events WHERE seq = ?", (keep,)).fetchone()[0]
        # The head as the daemon signs it, re-signed with the stolen key.
        with open(os.path.join(self.state, "ledger.key"), "rb") as f:
            key = Ed25519PrivateKey.from_private_bytes(f.read())
        digest = hashlib.sha256(b"evidenced ledger head v1\0" + struct.pack(">Q", keep) +
                                bytes.fromhex(last_hash)).digest()
        db.execute("UPDATE head SET seq = ?, hash = ?, sig = ?",
                   (keep, last_hash, key.sign(digest).hex()))
        db.commit()
        db.close()
        self.start_refused(size)
        self.verify_rollback(size)
        self.accept_and_restart(size)

    def test_older_copy_put_back(self):
        old = os.path.join(self.root, "old.db")
        snapshot(self.state, old)
        size = self.add_later(LATER)
        self.assertEqual(self.d.stop(), 0)
        os.replace(old, os.path.join(self.state, "ledger.db"))
        self.start_refused(size)
        self.verify_rollback(size)

    def test_ledger_deleted_while_the_key_remains(self):
        size = self.wait_signed()
        self.assertEqual(self.d.stop(), 0)
        os.unlink(os.path.join(self.state, "ledger.db"))
        self.start_refused(size)
        self.verify_rollback(size)
        self.accept_and_restart(size)

    def test_copy_swapped_under_the_running_daemon(self):
        old = os.path.join(self.root, "old.db")
        snapshot(self.state, old)
        size = self.add_later(LATER[:1])
        os.replace(old, os.path.join(self.state, "ledger.db"))
        self.copy_samples("complete", names=LATER[1:])
        # The daemon will not sign the new event into another file: it stops.
        self.assertEqual(self.d.proc.wait(h.SCAN), 1, self.d.log_tail())
        self.assertIn("no longer the file this daemon opened", self.d.log())
        self.assertEqual(checkpoint_size(self.state), size)
        self.verify_rollback(size)
        self.start_refused(size)


if __name__ == "__main__":
    h.main()
