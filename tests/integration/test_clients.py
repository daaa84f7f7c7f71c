"""Many clients at once against the real daemon: idle connections do not
lock the others out (idle timeout, per-uid share of the slots, "busy" at
connect that evidencectl retries), and requests not yet read share one
budget, so clients sending unterminated lines or streaming requests cannot
grow the daemon's memory."""
import errno
import json
import os
import resource
import selectors
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

# ASan keeps up to 256 MiB of freed memory in quarantine by default, which
# would measure the sanitizer's churn rather than the daemon's memory.
QUARANTINE = "quarantine_size_mb=16"
RSS_LIMIT_KIB = 200 * 1024
MAX_CLIENTS = 1000
PER_UID = MAX_CLIENTS // 2
NOBODY = 65534


def report(fmt, *args):
    sys.stderr.write("measured: " + fmt % args + "\n")


def raw_connect(path):
    """A blocking connect, which waits while the listen backlog is full."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def as_nobody():
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


class Clients(h.DaemonCase):
    @classmethod
    def setUpClass(cls):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < 4096 <= hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (4096, hard))

    def start(self, limits):
        self.d = self.daemon(asan_options=QUARANTINE,
                             extra_conf="[limits]\n" + limits).start()
        self.baseline = self.d.rss_kib()
        return self.d

    def open_many(self, n):
        socks = []
        for _ in range(n):
            socks.append(raw_connect(self.sock))
        self.addCleanup(lambda: [s.close() for s in socks])
        return socks

    def assert_served(self, within=2.0):
        t0 = time.monotonic()
        c = h.Conn(self.sock, timeout=within)
        try:
            reply = c.ask({"op": "status", "documents": False})
        finally:
            c.close()
        took = time.monotonic() - t0
        self.assertTrue(reply and reply["ok"], reply)
        self.assertLess(took, within)
        return took

    def test_idle_connections_do_not_lock_others_out(self):
        d = self.start("idle_timeout = 3s\n")
        socks = self.open_many(MAX_CLIENTS)
        # Past its share, each of root's connections is answered "busy".
        turned_away = 0
        for s in socks[PER_UID + 10:]:
            s.settimeout(h.SHORT)
            line = s.recv(4096)
            if line:
                reply = json.loads(line.split(b"\n")[0])
                self.assertEqual(reply["error"]["code"], "busy", reply)
                self.assertIn("uid %d holds %d connections" % (os.getuid(), PER_UID),
                              reply["error"]["message"])
                turned_away += 1
        self.assertEqual(turned_away, MAX_CLIENTS - PER_UID - 10)
        report("%d idle connections by one uid: %d held, %d turned away with busy",
               MAX_CLIENTS, PER_UID, MAX_CLIENTS - PER_UID)
        if os.getuid() == 0:
            # Another user is served at once: one uid cannot take every slot.
            os.chmod(self.root, 0o711)
            os.chmod(self.sock, 0o666)
            t0 = time.monotonic()
            p = subprocess.run([h.EVIDENCECTL, "--socket", self.sock, "status", "--json",
                                "--brief"], capture_output=True, timeout=60,
                               env=h.program_env(), preexec_fn=as_nobody)
            took = time.monotonic() - t0
            self.assertEqual(p.returncode, 0, p.stderr.decode())
            self.assertIn("requirements", json.loads(p.stdout))
            self.assertLess(took, 5.0)
            report("evidencectl status as uid %d beside them: %.2f s", NOBODY, took)
        # The same user retries on "busy" until the idle ones are closed.
        t0 = time.monotonic()
        p = self.ctl("status", "--json", "--brief", timeout=60)
        took = time.monotonic() - t0
        self.assertEqual(p.returncode, 0, p.err)
        self.assertLess(took, 20.0)
        report("evidencectl status by the same uid (idle timeout 3 s): %.2f s", took)
        # The idle connections were closed by the daemon.
        closed = 0
        for s in socks[:PER_UID]:
            s.settimeout(h.SHORT)
            try:
                closed += s.recv(4096) == b""
            except ConnectionResetError:
                closed += 1
        self.assertEqual(closed, PER_UID)
        self.assertIn("without a request", d.log())
        self.assertTrue(d.running)

    def test_unterminated_requests_keep_memory_bounded(self):
        """Clients each sending 1 MiB without a newline: past the input
        budget the daemon stops reading them instead of growing."""
        d = self.start("request_buffer = 8M\n")
        n = 400
        socks = self.open_many(n)
        sent = [0] * n
        chunk = b"x" * (1 << 16)
        for s in socks:
            s.setblocking(False)
        peak = 0
        deadline = time.monotonic() + 20
        quiet_since = time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - quiet_since < 1.5:
            moved = False
            for i, s in enumerate(socks):
                if sent[i] >= (1 << 20):
                    continue
                try:
                    k = s.send(chunk[:(1 << 20) - sent[i]])
                    sent[i] += k
                    moved = moved or k > 0
                except BlockingIOError:
                    pass
            if moved:
                quiet_since = time.monotonic()
            else:
                time.sleep(0.05)
            peak = max(peak, d.rss_kib())
        total = sum(sent)
        took = self.assert_served()
        peak = max(peak, d.rss_kib())
        report("%d clients sent %.0f MiB without a newline (into the socket buffers); "
               "daemon VmRSS %d KiB before, %d KiB at peak; status beside them %.2f s",
               n, total / (1 << 20), self.baseline, peak, took)
        self.assertGreater(total, 64 << 20, "the clients could not send enough to matter")
        self.assertLess(peak, RSS_LIMIT_KIB, "VmRSS %d KiB" % peak)
        for s in socks:
            s.close()
        self.assertTrue(d.running)

    def test_streaming_client_keeps_memory_bounded(self):
        """One client streams `{}` lines as fast as it can while reading its
        replies: the requests it is ahead by are left in its socket."""
        d = self.start("")
        c = h.Conn(self.sock)
        self.addCleanup(c.close)
        c.sock.setblocking(False)
        sel = selectors.DefaultSelector()
        sel.register(c.sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
        data = b"{}\n" * (1 << 15)
        sent = received = replies = 0
        peak = 0
        t0 = time.monotonic()
        probe_at = t0 + 3
        probe = None
        next_rss = t0
        while time.monotonic() - t0 < 8:
            for _, mask in sel.select(timeout=0.1):
                if mask & selectors.EVENT_WRITE:
                    try:
                        sent += c.sock.send(data)
                    except BlockingIOError:
                        pass
                if mask & selectors.EVENT_READ:
                    try:
                        chunk = c.sock.recv(1 << 16)
                    except BlockingIOError:
                        chunk = None
                    if chunk == b"":
                        self.fail("the daemon closed the streaming client")
                    if chunk:
                        received += len(chunk)
                        replies += chunk.count(b"\n")
            now = time.monotonic()
            if now >= next_rss:
                peak = max(peak, d.rss_kib())
                next_rss = now + 0.2
            if probe is None and now >= probe_at:
                probe = self.assert_served()
        sel.close()
        peak = max(peak, d.rss_kib())
        report("a client streaming {} for 8 s: %.1f MiB sent, %d replies read; VmRSS %d KiB "
               "before, %d KiB at peak; status beside it %.2f s",
               sent / (1 << 20), replies, self.baseline, peak, probe)
        self.assertGreater(replies, 100)
        self.assertLess(peak, RSS_LIMIT_KIB, "VmRSS %d KiB" % peak)
        self.assertLess(peak - self.baseline, 64 * 1024, "VmRSS grew by %d KiB"
                        % (peak - self.baseline))
        self.assertTrue(d.running)


if __name__ == "__main__":
    h.main()
