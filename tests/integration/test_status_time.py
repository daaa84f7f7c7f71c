"""Status over time: `status --as-of` evaluates the folder for another day
(a lease past its end is expired), and a change of a requirement's status
after a document goes away is a policy-changed event, streamed to
`evidencectl watch`."""
import collections
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

LEASE = "04-办公用房租赁合同.odt"     # end_on 2027-12-31
AS_OF = "2026-11-26"


def requirement(status, rid):
    found = [r for r in status["requirements"] if r["id"] == rid]
    assert len(found) == 1, "%s appears %d times" % (rid, len(found))
    return found[0]


class Watch:
    """`evidencectl watch --json` running in the background."""

    def __init__(self, case):
        self.case = case
        self.proc = subprocess.Popen([h.EVIDENCECTL, "--socket", case.sock, "watch", "--json"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=h.program_env())
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)
        self.buf = b""
        self.seen = []

    def until(self, pred, what, timeout=h.SHORT):
        deadline = time.monotonic() + timeout
        while True:
            for e in self.seen:
                if pred(e):
                    return e
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("watch printed no %s in %.0f s; it printed: %s"
                                     % (what, timeout, self.seen))
            if self.sel.select(timeout=left):
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    raise AssertionError("evidencectl watch ended: %s" % self.close())
                self.buf += chunk
                while b"\n" in self.buf:
                    line, self.buf = self.buf.split(b"\n", 1)
                    self.seen.append(json.loads(line))

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(10)
        self.sel.close()
        self.proc.stdout.close()
        err = self.proc.stderr.read().decode("utf-8", "replace")
        self.proc.stderr.close()
        bad = h.sanitizer_lines(err)
        if bad:
            self.case.ctl_problems.append("sanitizer report from evidencectl watch:\n"
                                          + "\n".join(bad))
        return err


class StatusOverTime(h.DaemonCase):
    def setUp(self):
        super().setUp()
        self.names = self.copy_samples("complete")
        self.d = self.daemon().start()
        self.wait_scan(len(self.names))

    def test_as_of(self):
        today = self.status("--as-of", AS_OF)
        self.assertEqual(today["as_of"], AS_OF)
        self.assertEqual(requirement(today, "site.office")["status"], "met")
        # A lease runs through its last day: start_on <= as-of <= end_on.
        last = self.status("--as-of", "2027-12-31")
        self.assertEqual(last["as_of"], "2027-12-31")
        self.assertEqual(requirement(last, "site.office")["status"], "met",
                         "the lease holds on its last day")
        later = self.status("--as-of", "2028-01-01")
        office = requirement(later, "site.office")
        self.assertEqual(office["status"], "expired", office)
        self.assertTrue(office["reasons"], "an expired requirement gives a reason")
        one = self.ctl_json("requirement", "site.office", "--as-of", "2028-01-15", "--json")
        self.assertEqual(one["requirement"]["status"], "expired", one)
        self.assertEqual(one["as_of"], "2028-01-15")
        # The readable report says so too.
        p = self.ctl("status", "--as-of", "2028-01-15")
        self.assertEqual(p.returncode, 0, p.err)
        self.assertIn("site.office", p.out)
        self.assertIn("expired", p.out)
        # Asking about another day records nothing.
        seq = self.head_seq()
        self.status("--as-of", "2030-06-01")
        self.assertEqual(self.head_seq(), seq)

    def test_initial_statuses_recorded_once(self):
        changes = collections.Counter(e["payload"]["requirement"] for e in self.events()
                                      if e["type"] == "policy-changed"
                                      and "requirement" in e["payload"])
        ids = [r["id"] for r in self.status()["requirements"]]
        self.assertEqual(sorted(changes), sorted(ids),
                         "each requirement's first status is recorded")
        self.assertEqual({r: n for r, n in changes.items() if n != 1}, {},
                         "statuses recorded more than once during the first scan")

    def test_policy_changed_after_removal(self):
        # The daemon evaluates for today; the sample lease holds until its end.
        if time.strftime("%Y-%m-%d") > "2027-12-31":
            self.skipTest("the sample lease has ended: site.office is no longer met today")
        before = requirement(self.status(), "site.office")["status"]
        self.assertEqual(before, "met")
        watch = Watch(self)
        try:
            # evidencectl prints no line when subscribed; the daemon logs the
            # op with the peer's pid at debug level.
            mark = "pid %d uid %d: watch" % (watch.proc.pid, os.getuid())
            h.wait_for(lambda: mark in self.d.log(), what="the watch subscription")
            seq = self.head_seq()
            lease = os.path.join(self.watch, LEASE)
            kept = os.path.join(self.root, LEASE)
            shutil.move(lease, kept)
            ev = self.wait_event(lambda e: e["type"] == "policy-changed" and
                                 e["payload"]["requirement"] == "site.office",
                                 "a policy-changed event for site.office", since=seq)
            self.assertEqual(ev["payload"]["previous"], "met", ev)
            self.assertEqual(ev["payload"]["status"], "missing", ev)
            types = [(e["type"], e.get("path")) for e in self.events(seq)]
            self.assertEqual(types[0], ("removed", LEASE), types)
            self.assertEqual(requirement(self.status(), "site.office")["status"], "missing")
            streamed = watch.until(lambda e: e["type"] == "policy-changed"
                                   and e.get("requirement") == "site.office",
                                   "policy-changed event for site.office")
            self.assertEqual(streamed["seq"], ev["seq"])
            # As history shows it: the ledger's time and the payload.
            self.assertEqual(streamed.get("ts"), ev["ts"], streamed)
            self.assertEqual(streamed.get("payload"), ev["payload"], streamed)
            removed = watch.until(lambda e: e["type"] == "removed", "removed event")
            self.assertEqual(removed["path"], LEASE)
            self.assertEqual(removed.get("ts"), self.events(seq)[0]["ts"], removed)

            # Back again: met again, one more event.
            seq = self.head_seq()
            shutil.move(kept, lease)
            ev = self.wait_event(lambda e: e["type"] == "policy-changed" and
                                 e["payload"]["requirement"] == "site.office",
                                 "site.office to be met again", since=seq)
            self.assertEqual((ev["payload"]["previous"], ev["payload"]["status"]),
                             ("missing", "met"), ev)
            watch.until(lambda e: e["type"] == "policy-changed" and e["seq"] == ev["seq"],
                        "the second policy-changed event")
            # When the daemon stops, watch ends with "unreachable".
            self.assertEqual(self.d.stop(), 0)
            self.assertEqual(watch.proc.wait(h.SHORT), 3)
        finally:
            watch.close()


if __name__ == "__main__":
    h.main()
