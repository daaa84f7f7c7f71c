"""verify off the loop: while the daemon reads every recorded file again,
status is answered at once and shows the progress, a second verify is
refused as busy, the asking client gets its result, and a client that left
meanwhile costs nothing."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

FILES = 20
SIZE = 20 << 20


class VerifyOffTheLoop(h.DaemonCase):
    def setUp(self):
        super().setUp()
        for i in range(FILES):
            with open(os.path.join(self.watch, "large-%02d.bin" % i), "wb") as f:
                f.write(os.urandom(SIZE))
        self.d = self.daemon().start()
        self.wait_scan(FILES)

    def start_verify(self):
        c = h.Conn(self.sock, timeout=h.SCAN)
        self.addCleanup(c.close)
        c.send({"op": "verify"})
        return c

    def test_status_is_answered_during_verify(self):
        t0 = time.monotonic()
        v = self.start_verify()
        # The verify reads 400 MiB: status is answered while it runs.
        worst = 0.0
        seen = None
        probes = 0
        while time.monotonic() - t0 < 60:
            t = time.monotonic()
            c = h.Conn(self.sock, timeout=10)
            try:
                reply = c.ask({"op": "status", "documents": False})
            finally:
                c.close()
            worst = max(worst, time.monotonic() - t)
            probes += 1
            self.assertTrue(reply and reply["ok"], reply)
            progress = reply["progress"].get("verifying")
            if progress is None:
                break
            self.assertEqual(progress["files_total"] in (-1, FILES), True, progress)
            if progress["files_total"] == FILES:
                seen = progress
                if progress["files_checked"] < FILES - 1:
                    # A second verify meanwhile is refused as busy.
                    second = h.Conn(self.sock)
                    busy = second.ask({"op": "verify"})
                    second.close()
                    self.assertIs(busy["ok"], False, busy)
                    self.assertEqual(busy["error"]["code"], "busy", busy)
            time.sleep(0.2)
        self.assertIsNotNone(seen, "status never showed the verify's progress")
        result = v.recv()
        took = time.monotonic() - t0
        self.assertTrue(result and result["ok"], result)
        self.assertIs(result["verified"], True, result)
        self.assertEqual(result["files"]["checked"], FILES)
        self.assertLess(worst, 2.0, "a status took %.2f s during the verify" % worst)
        sys.stderr.write("measured: verify of %d x %d MiB took %.1f s; %d status replies "
                         "meanwhile, the slowest %.3f s\n"
                         % (FILES, SIZE >> 20, took, probes, worst))
        # The client's own connection serves further requests afterwards.
        self.assertTrue(v.ask({"op": "version"})["ok"])
        # evidencectl prints the progress in status and verifies.
        p = self.ctl("verify")
        self.assertEqual(p.returncode, 0, p.err)
        self.assertIn("files: %d checked, 0 changed, 0 missing" % FILES, p.out)

    def test_client_gone_then_stop_during_verify(self):
        v = self.start_verify()
        h.wait_for(lambda: self.progress().get("verifying"), what="the verify to start")
        v.close()
        # The daemon carries on, and once done a new verify may run...
        h.wait_for(lambda: not self.progress().get("verifying"), timeout=h.SCAN,
                   what="the verify to end")
        self.assertIn("the client that asked has gone", self.d.log())
        # ...and a stop while one runs is prompt and clean.
        self.start_verify()
        h.wait_for(lambda: self.progress().get("verifying"), what="the verify to start")
        t0 = time.monotonic()
        self.assertEqual(self.d.stop(), 0)
        self.assertLess(time.monotonic() - t0, 20.0)


if __name__ == "__main__":
    h.main()
