"""Abuse of the control socket: malformed, unknown and oversized requests get
error replies without disturbing other clients; clients that never read
cannot grow the daemon without bound; many clients at once are all served."""
import json
import os
import selectors
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

RSS_LIMIT_KIB = 300 * 1024
# ASan keeps up to 256 MiB of freed memory in quarantine by default, which
# would measure the sanitizer's churn rather than the daemon's memory.
QUARANTINE = "quarantine_size_mb=16"


class Socket(h.DaemonCase):
    @classmethod
    def setUpClass(cls):
        cls.names = h.sample_names("complete")

    def setUp(self):
        super().setUp()
        self.copy_samples("complete")
        self.d = self.daemon(asan_options=QUARANTINE).start()
        self.wait_scan(len(self.names))

    def tearDown(self):
        if self.d.running:
            rss = self.d.rss_kib()
            self.assertLess(rss, RSS_LIMIT_KIB, "evidenced VmRSS %d KiB" % rss)
        super().tearDown()

    def conn(self):
        c = h.Conn(self.sock)
        self.addCleanup(c.close)
        return c

    def assert_served(self, within=2.0):
        """Another client is answered promptly."""
        t0 = time.monotonic()
        c = h.Conn(self.sock, timeout=within)
        try:
            reply = c.ask({"op": "status", "documents": False})
        except socket.timeout:
            late = h.Conn(self.sock, timeout=60)
            try:
                late.ask({"op": "version"})
            finally:
                late.close()
            self.fail("another client got no status reply within %.0f s (a version reply "
                      "came %.1f s after the request)" % (within, time.monotonic() - t0))
        finally:
            c.close()
        self.assertTrue(reply and reply["ok"], reply)
        self.assertLess(time.monotonic() - t0, within)
        self.assertTrue(self.d.running, self.d.log_tail())

    def assert_error(self, reply, code=None):
        self.assertIsNotNone(reply, "no reply: the connection was closed")
        self.assertIs(reply.get("ok"), False, reply)
        self.assertIsInstance(reply.get("error"), dict, reply)
        self.assertIsInstance(reply["error"].get("code"), str, reply)
        self.assertIsInstance(reply["error"].get("message"), str, reply)
        if code:
            self.assertEqual(reply["error"]["code"], code, reply)

    def test_malformed_requests_keep_the_connection(self):
        c = self.conn()
        for bad in (b'{"op": "status"', b"not json at all", b"[1, 2, 3]", b'"status"',
                    b"{}", b'{"op": 5}', b'{"op": null}', b"\xff\xfe{}",
                    b'{"op": "status", "as_of": "yesterday"}',
                    b'{"op": "history", "since": "x", "limit": -5}',
                    b'{"op": "document"}', b'{"op": "requirement", "id": 7}'):
            with self.subTest(request=bad):
                c.send_raw(bad + b"\n")
                line = c.recv_line()
                self.assertIsNotNone(line, "connection closed after %r" % bad)
                reply = json.loads(line)
                if bad.startswith(b'{"op": "history"'):
                    # Odd but typed members may be read as their defaults.
                    self.assertIn("ok", reply)
                else:
                    self.assert_error(reply)
                reply = c.ask({"op": "version"})
                self.assertTrue(reply and reply["ok"], "after %r: %r" % (bad, reply))

    def test_history_pages(self):
        """A history reply holds at most 10000 events and says when it was
        cut; a short ledger comes whole, in one page."""
        c = self.conn()
        head = self.status()["ledger"]["seq"]
        reply = c.ask({"op": "history", "since": 0, "limit": 50000})
        self.assertTrue(reply["ok"], reply)
        self.assertIs(reply["truncated"], False)
        self.assertEqual([e["seq"] for e in reply["events"]], list(range(1, head + 1)))
        reply = c.ask({"op": "history", "since": 2, "limit": 3})
        self.assertIs(reply["truncated"], False)
        self.assertEqual([e["seq"] for e in reply["events"]], [3, 4, 5])
        reply = c.ask({"op": "history", "since": head})
        self.assertEqual(reply["events"], [])

    def test_unknown_op(self):
        c = self.conn()
        self.assert_error(c.ask({"op": "format-disk"}), "unknown-op")
        self.assert_error(c.ask({"op": "x" * 100000}), "unknown-op")
        self.assertTrue(c.ask({"op": "version"})["ok"])
        p = self.ctl("requirement", "no.such-requirement", "--json")
        self.assertEqual(p.returncode, 1, p.err)

    def test_oversized_request(self):
        # A slow half-request does not hold the others up...
        slow = self.conn()
        slow.send_raw(b'{"op": "status", "pad": "' + b"a" * (512 << 10))
        self.assert_served()
        # ...and a 10 MiB line is refused.
        big = self.conn()
        sent = 0
        chunk = b"b" * (1 << 16)
        try:
            while sent < (10 << 20):
                big.sock.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            line = big.recv_line()
        except (ConnectionResetError, socket.timeout):
            line = None
        if line is not None:
            self.assert_error(json.loads(line))
            self.assertIsNone(big.recv_line(), "the connection stays open after an oversized line")
        self.assert_served()
        slow.send_raw(b'"}\n')
        line = slow.recv_line()
        self.assertIsNotNone(line, "the slow client was dropped")

    def test_watcher_that_never_reads(self):
        stuck = self.conn()
        stuck.send({"op": "watch"})
        reader = self.conn()
        self.assertTrue(reader.ask({"op": "watch"})["ok"])
        n = 300
        for i in range(n):
            with open(os.path.join(self.watch, "blob-%03d.bin" % i), "wb") as f:
                f.write(b"blob %d\n" % i * 64)
        seen = set()
        deadline = time.monotonic() + h.SCAN
        while len(seen) < n and time.monotonic() < deadline:
            line = reader.recv_line()
            self.assertIsNotNone(line, "the reading watcher was dropped")
            ev = json.loads(line).get("event") or {}
            if (ev.get("path") or "").startswith("blob-"):
                seen.add(ev["path"])
        self.assertEqual(len(seen), n, "events seen by the reading watcher")
        self.assert_served()

    def test_client_that_never_reads_its_replies(self):
        """Pipelined status requests whose large replies are never read: the
        daemon must stop reading, or drop the client, before its memory
        grows without bound."""
        reply_size = len(json.dumps(self.status()))
        wanted = (600 << 20) // reply_size + 1   # 600 MiB of replies if all were kept
        stuck = self.conn()
        stuck.sock.setblocking(False)
        req = b'{"op": "status"}\n'
        data = req * wanted
        off = 0
        deadline = time.monotonic() + 20
        next_check = 0
        while off < len(data) and time.monotonic() < deadline:
            try:
                off += stuck.sock.send(data[off:off + (1 << 16)])
            except BlockingIOError:
                time.sleep(0.01)
            except (BrokenPipeError, ConnectionResetError):
                break
            if time.monotonic() > next_check:
                next_check = time.monotonic() + 0.2
                rss = self.d.rss_kib()
                self.assertLess(rss, RSS_LIMIT_KIB, "VmRSS %d KiB after %d requests"
                                % (rss, off // len(req)))
        sys.stderr.write("never-reading client: sent %d of %d requests of %d-byte replies\n"
                         % (off // len(req), wanted, reply_size))
        self.assert_served()
        rss = self.d.rss_kib()
        self.assertLess(rss, RSS_LIMIT_KIB, "VmRSS %d KiB with a client that never reads"
                        % rss)

    def test_many_concurrent_clients(self):
        n = 200
        sel = selectors.DefaultSelector()
        conns = []
        for i in range(n):
            c = h.Conn(self.sock, timeout=h.SHORT)
            conns.append(c)
            self.addCleanup(c.close)
        for i, c in enumerate(conns):
            c.send({"op": "status", "documents": i % 2 == 0})
        for c in conns:
            c.sock.setblocking(False)
            sel.register(c.sock, selectors.EVENT_READ, c)
        replies = {}
        deadline = time.monotonic() + h.SCAN
        while len(replies) < n and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=1):
                c = key.data
                try:
                    chunk = c.sock.recv(1 << 16)
                except BlockingIOError:
                    continue
                if not chunk:
                    sel.unregister(c.sock)
                    replies.setdefault(id(c), None)
                    continue
                c.buf += chunk
                if b"\n" in c.buf:
                    replies[id(c)] = json.loads(c.buf.split(b"\n", 1)[0])
                    sel.unregister(c.sock)
        sel.close()
        answered = [r for r in replies.values() if r and r.get("ok")]
        self.assertEqual(len(answered), n, "%d of %d clients answered" % (len(answered), n))
        for r in answered:
            self.assertEqual(len(r["requirements"]), len(answered[0]["requirements"]))
        self.assert_served()


class ReplyBudget(h.DaemonCase):
    """All clients' unread replies together stay within limits.reply_buffer:
    past it requests get "busy", clients that stopped reading are dropped to
    make room, and evidencectl, which retries, is served."""

    def test_many_clients_that_never_read(self):
        self.copy_samples("complete")
        d = self.daemon(asan_options=QUARANTINE,
                        extra_conf="[limits]\nreply_buffer = 1M\n").start()
        self.wait_scan(len(h.sample_names("complete")))
        reply_size = len(json.dumps(self.status()))
        stuck = []
        for _ in range(40):
            c = h.Conn(self.sock)
            self.addCleanup(c.close)
            c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            c.send_raw(b'{"op": "status"}\n' * 8)
            stuck.append(c)
        # Replies for the stuck clients fill the budget: a request is refused.
        deadline = time.monotonic() + h.SHORT
        refused = None
        while refused is None and time.monotonic() < deadline:
            probe = h.Conn(self.sock)
            reply = probe.ask({"op": "version"})
            probe.close()
            if reply and reply.get("ok") is False:
                refused = reply
            else:
                time.sleep(0.05)
        self.assertIsNotNone(refused, "no request was refused with %d-byte replies unread by "
                             "40 clients and a 1 MiB budget" % reply_size)
        self.assertEqual(refused["error"]["code"], "busy", refused)
        # The stuck clients are dropped after a few seconds without progress,
        # and the real client, retrying, gets its answer.
        t0 = time.monotonic()
        p = self.ctl("status", "--json", timeout=60)
        took = time.monotonic() - t0
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(len(json.loads(p.out)["requirements"]), 18)
        self.assertLess(took, 20.0)
        self.assertIn("stopped reading its replies", d.log())
        self.assertTrue(d.running)
        rss = d.rss_kib()
        self.assertLess(rss, RSS_LIMIT_KIB, "evidenced VmRSS %d KiB" % rss)


if __name__ == "__main__":
    h.main()
