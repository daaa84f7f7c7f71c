"""Starting, refusing to start and reloading: a second daemon on a live
socket or on a state directory in use, an invalid configuration or folder
and a usage error stop with the documented exit status; SIGHUP applies new
categories as a policy-changed event and refuses an invalid file while the
daemon keeps serving."""
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

NAMES = ["01-营业执照.docx", "04-办公用房租赁合同.odt", "05-简历-张伟.docx"]


class Startup(h.DaemonCase):
    def run_daemon(self, argv, timeout=h.SHORT):
        p = subprocess.run([h.EVIDENCED] + argv, capture_output=True, timeout=timeout,
                           env=h.program_env())
        err = p.stderr.decode("utf-8", "replace")
        bad = h.sanitizer_lines(err)
        self.assertEqual(bad, [], "sanitizer report from evidenced %s" % argv)
        return p.returncode, err

    def test_refusals(self):
        first = self.daemon().start()
        second = self.daemon()
        second.start(wait=False)
        rc = second.proc.wait(h.SHORT)
        self.assertEqual(rc, 1, "a second daemon on a live socket:\n" + second.log_tail())
        self.assertTrue(first.running)
        self.assertEqual(self.ctl("status", "--json").returncode, 0)

        conf = os.path.join(self.root, "bad.conf")
        with open(conf, "w") as f:
            f.write("[scan]\nsettle_ms = 100\nsettle_sm = 5\n")
        rc, err = self.run_daemon(["--config", conf, "--watch", self.watch, "--state",
                                   os.path.join(self.root, "s2"), "--socket",
                                   os.path.join(self.root, "s2.sock")])
        self.assertEqual(rc, 1, err)
        self.assertIn("bad.conf:3", err)
        self.assertIn("settle_sm", err)

        rc, err = self.run_daemon(["--config", first.conf, "--watch",
                                   os.path.join(self.root, "no-such-folder"), "--state",
                                   os.path.join(self.root, "s3"), "--socket",
                                   os.path.join(self.root, "s3.sock")])
        self.assertEqual(rc, 1, err)

        rc, err = self.run_daemon(["--no-such-flag"])
        self.assertEqual(rc, 2, err)
        # The error names the option as it was given.
        rc, err = self.run_daemon(["--config", first.conf, "--log-level", "loud"])
        self.assertEqual(rc, 2, err)
        self.assertIn("--log-level: ", err)
        self.assertNotIn("--level", err)
        rc, err = self.run_daemon(["--config", os.path.join(self.root, "missing.conf"),
                                   "--watch", self.watch])
        self.assertEqual(rc, 1, err)

    def test_one_daemon_per_state_directory(self):
        """A second daemon on the same state directory, with its own socket and
        configuration, is refused before it touches the ledger, and says
        which process holds the directory; offline verify still reads it."""
        self.copy_samples("complete", names=NAMES[:1])
        first = self.daemon().start()
        self.wait_scan(1)
        seq = self.head_seq()
        lock = os.path.join(self.state, "evidenced.lock")
        self.assertEqual(os.stat(lock).st_mode & 0o777, 0o600)
        with open(lock) as f:
            self.assertEqual(f.read(), "%d\n" % first.pid)

        other = os.path.join(self.root, "other")
        os.mkdir(other)
        second = h.Daemon(other, self.watch, self.state, os.path.join(other, "ctl.sock"),
                          categories="security-audit")
        self.daemons.append(second)
        second.start(wait=False)
        rc = second.proc.wait(h.SHORT)
        self.assertEqual(rc, 1, second.log_tail())
        self.assertIn("in use by another evidenced, pid %d" % first.pid, second.log())
        self.assertIn(lock, second.log())
        self.assertFalse(os.path.exists(os.path.join(other, "ctl.sock")))

        # The first goes on alone: nothing was appended by the second.
        self.assertTrue(first.running)
        self.assertEqual(self.head_seq(), seq)
        p = self.ctl("verify", "--state", self.state, daemon=False)
        self.assertEqual(p.returncode, 0, p.out + p.err)
        self.assertEqual(self.ctl_json("verify", "--json")["verified"], True)

        # The lock goes with the process, even one killed outright.
        first.kill9()
        second.start()
        with open(lock) as f:
            self.assertEqual(f.read(), "%d\n" % second.pid)

    def test_lost_key_is_not_replaced(self):
        """A ledger whose ledger.key went missing: the daemon refuses to start
        and writes nothing, so restoring the key is all it takes."""
        d = self.daemon().start()
        self.assertEqual(d.stop(), 0)
        key = os.path.join(self.state, "ledger.key")
        pub = os.path.join(self.state, "ledger.pub")
        with open(pub) as f:
            pub_before = f.read()
        os.rename(key, os.path.join(self.root, "key.saved"))
        d.start(wait=False)
        rc = d.proc.wait(h.SHORT)
        self.assertEqual(rc, 1, d.log_tail())
        self.assertIn("signing key", d.log())
        self.assertIn("restore the key", d.log())
        self.assertFalse(os.path.exists(key), "a new key was created")
        with open(pub) as f:
            self.assertEqual(f.read(), pub_before, "ledger.pub was rewritten")
        os.rename(os.path.join(self.root, "key.saved"), key)
        d.start()
        self.assertEqual(self.ctl("verify", "--state", self.state, daemon=False).returncode, 0)

    def test_sighup(self):
        self.copy_samples("complete", names=NAMES)
        d = self.daemon(categories=None,
                        extra_conf="[policy]\ncategories = security-operations\n")
        d.start()
        self.wait_scan(len(NAMES))
        self.assertEqual(self.status()["categories"], ["security-operations"])

        seq = self.head_seq()
        with open(d.conf, "w") as f:
            f.write("[scan]\nsettle_ms = 100\n[policy]\ncategories = security-audit\n")
        os.kill(d.pid, signal.SIGHUP)
        h.wait_for(lambda: self.status()["categories"] == ["security-audit"],
                   what="the new categories after SIGHUP")
        ev = self.wait_event(lambda e: e["type"] == "policy-changed", "a policy-changed event",
                             since=seq)
        self.assertIsInstance(ev.get("payload"), dict, ev)
        self.wait_scan(len(NAMES))
        self.assertEqual(self.ctl_json("verify", "--json")["verified"], True)

        seq = self.head_seq()
        with open(d.conf, "w") as f:
            f.write("[scan]\nsettle_ms = banana\n[policy]\ncategories = risk-assessment\n")
        os.kill(d.pid, signal.SIGHUP)
        h.wait_for(lambda: "keeping the running configuration" in d.log(),
                   what="the refusal of the invalid file in the log")
        self.assertTrue(d.running)
        s = self.status()
        self.assertEqual(s["categories"], ["security-audit"])
        self.assertEqual(s["ledger"]["seq"], seq)

        # Paths take effect at the next start, and the log says so.
        with open(d.conf, "w") as f:
            f.write("[paths]\nwatch = %s\n[scan]\nsettle_ms = 100\n[policy]\n"
                    "categories = security-audit\n" % os.path.join(self.root, "elsewhere"))
        os.kill(d.pid, signal.SIGHUP)
        h.wait_for(lambda: d.log().count("SIGHUP: reloaded") == 2,
                   what="the second reload in the log")
        self.assertEqual(self.status()["watch"], self.watch)


if __name__ == "__main__":
    h.main()
