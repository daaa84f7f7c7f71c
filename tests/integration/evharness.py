"""Shared fixture of the integration tests: runs the real evidenced and
evidencectl built by CMake (paths from the environment ctest sets) against
a fresh temporary folder per test.

A test fails when either program reports a sanitizer error, when the daemon
does not stop cleanly on SIGTERM, or when a condition it polls for does not
come true in time; waits poll the daemon instead of sleeping blindly.
"""
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

EVIDENCED = os.environ.get("EVIDENCED", "")
EVIDENCECTL = os.environ.get("EVIDENCECTL", "")
SOURCE_DIR = os.environ.get("EV_SOURCE_DIR", "")
CATALOG = os.path.join(SOURCE_DIR, "policy", "catalog.xml")
SAMPLES = os.path.join(SOURCE_DIR, "evidence-samples")
CATEGORIES = "security-operations,risk-assessment"

# Log lines about our own polling, left out of failure dumps.
CHATTER = re.compile(r"client pid \d+ uid \d+( gid \d+ connected|: disconnected)$"
                     r"|: pid \d+ uid \d+: (status|history|documents|version|document)$")

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")

# Generous for sanitizer builds on a busy two-core machine; every wait
# polls, so a healthy run never waits this long.
SHORT = 10.0
SCAN = 120.0


def program_env():
    env = dict(os.environ)
    env["EVIDENCED_CATALOG"] = CATALOG
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    env.pop("EVIDENCED_SOCKET", None)
    return env


# Runs a program without the capabilities that let root read any file, so
# that a file of mode 000 is unreadable to it as to any other user.
NO_DAC = ("setpriv", "--inh-caps=-dac_override,-dac_read_search",
          "--bounding-set=-dac_override,-dac_read_search") if os.geteuid() == 0 else ()


def sanitizer_lines(text):
    return [l for l in text.splitlines() if any(m in l for m in SANITIZER_MARKS)]


def sample(folder, name):
    return os.path.join(SAMPLES, folder, name)


def sample_names(folder):
    return sorted(n for n in os.listdir(os.path.join(SAMPLES, folder))
                  if n.endswith((".docx", ".odt", ".pdf")))


def expected(folder):
    with open(os.path.join(SAMPLES, folder, "expected.json"), encoding="utf-8") as f:
        return json.load(f)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def sha256_file(path):
    return hashlib.sha256(read_bytes(path)).hexdigest()


def docx_package(z):
    """Writes the two parts that make the open zip `z` a DOCX package whose
    main part is word/document.xml (which the caller writes)."""
    z.writestr("[Content_Types].xml",
               '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
               'package/2006/content-types"><Override PartName="/word/document.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.'
               'wordprocessingml.document.main+xml"/></Types>')
    z.writestr("_rels/.rels",
               '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats'
               '.org/package/2006/relationships"><Relationship Id="r1" Type="http://'
               'schemas.openxmlformats.org/officeDocument/2006/relationships/'
               'officeDocument" Target="word/document.xml"/></Relationships>')


def wait_for(pred, timeout=SHORT, interval=0.05, what="a condition"):
    """Poll pred() until it returns a true value, which is returned."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(interval)


def describe_events(events):
    return "\n".join("  %s %s %s%s" % (e["seq"], e["type"],
                                       e["old_path"] + " -> " if e.get("old_path") else "",
                                       e.get("path") or e.get("payload", {}).get("requirement"))
                     for e in events) or "  (none)"


class Conn:
    """A raw JSON Lines connection to the control socket."""

    def __init__(self, path, timeout=SHORT):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        # evidencectl's blocking connect waits while the listen backlog is
        # full; with a timeout set, Python's fails at once with EAGAIN.
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock.connect(path)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.sock.close()
                    raise
                time.sleep(0.01)
            except OSError:
                self.sock.close()
                raise
        self.buf = b""

    def send_raw(self, data):
        self.sock.sendall(data)

    def send(self, obj):
        self.sock.sendall(json.dumps(obj).encode() + b"\n")

    def recv_line(self):
        """The next line, or None when the daemon closed the connection."""
        while b"\n" not in self.buf:
            try:
                chunk = self.sock.recv(1 << 16)
            except ConnectionResetError:
                return None
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def recv(self):
        line = self.recv_line()
        return None if line is None else json.loads(line)

    def ask(self, obj):
        self.send(obj)
        return self.recv()

    def close(self):
        self.sock.close()


class Daemon:
    """One evidenced process; each start writes a new log file."""

    def __init__(self, root, watch, state, sock, categories=CATEGORIES, settle_ms=100,
                 extra_conf="", asan_options="", wrapper=(), ocr=False):
        self.root, self.watch, self.state, self.sock = root, watch, state, sock
        self.wrapper = list(wrapper)
        self.asan_options = asan_options
        self.categories = categories
        self.conf = os.path.join(root, "evidenced.conf")
        with open(self.conf, "w", encoding="utf-8") as f:
            # OCR loads its language models into an extractor per core: only
            # the tests of scans pay for that.
            f.write("[scan]\nsettle_ms = %d\n%s[ocr]\nocr = %s\n"
                    % (settle_ms, extra_conf, "on" if ocr else "off"))
        self.proc = None
        self.logs = []
        self.starts = 0
        self.returncodes = []

    @property
    def running(self):
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self):
        return self.proc.pid

    def start(self, wait=True):
        assert not self.running
        self.starts += 1
        log = os.path.join(self.root, "evidenced-%d.log" % self.starts)
        self.logs.append(log)
        argv = self.wrapper + [EVIDENCED, "--config", self.conf, "--watch", self.watch, "--state", self.state,
                "--socket", self.sock, "--log-level", "debug"]
        if self.categories is not None:     # None: the configuration file's
            argv += ["--categories", self.categories]
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                env=self.env())
        if wait:
            wait_for(self._answers, SHORT, what="evidenced to answer on its socket "
                     "(log: %s)" % self.log_tail())
        return self

    def env(self):
        env = program_env()
        if self.asan_options:
            env["ASAN_OPTIONS"] = env["ASAN_OPTIONS"] + ":" + self.asan_options
        return env

    def _answers(self):
        if self.proc.poll() is not None:
            raise AssertionError("evidenced exited with %d at start:\n%s"
                                 % (self.proc.returncode, self.log_tail()))
        try:
            c = Conn(self.sock, timeout=2)
        except OSError:
            return False
        try:
            reply = c.ask({"op": "version"})
            return bool(reply and reply.get("ok"))
        except OSError:
            return False
        finally:
            c.close()

    def stop(self, timeout=30):
        """SIGTERM and wait; the exit status (killed with SIGKILL on timeout)."""
        if not self.running:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "hung on SIGTERM"
        self.returncodes.append(rc)
        return rc

    def kill9(self):
        self.proc.kill()
        self.proc.wait()
        self.returncodes.append("killed")

    def log(self, which=-1):
        with open(self.logs[which], "rb") as f:
            return f.read().decode("utf-8", "replace")

    def all_logs(self):
        return "".join(self.log(i) for i in range(len(self.logs)))

    def log_tail(self, n=40):
        if not self.logs:
            return "(no log)"
        return "\n".join(self.log().splitlines()[-n:])

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid, encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS for evidenced")


class DaemonCase(unittest.TestCase):
    """A fresh folder, state directory and socket per test; the daemons a test
    started are stopped after it (after tearDown) and their logs checked for
    sanitizer reports and a clean exit."""

    categories = CATEGORIES

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="evinteg-")
        self.watch = os.path.join(self.root, "evidence")
        self.state = os.path.join(self.root, "state")
        self.sock = os.path.join(self.root, "ctl.sock")
        os.mkdir(self.watch)
        os.mkdir(self.state)
        self.daemons = []
        self.ctl_problems = []
        # A cleanup, not tearDown: it runs even when setUp fails half-way.
        self.addCleanup(self.stop_daemons)

    def daemon(self, **kw):
        kw.setdefault("categories", self.categories)
        d = Daemon(self.root, self.watch, self.state, self.sock, **kw)
        self.daemons.append(d)
        return d

    def stop_daemons(self):
        problems = list(self.ctl_problems)
        for d in self.daemons:
            if d.running:
                rc = d.stop()
                if rc != 0:
                    problems.append("evidenced did not stop cleanly on SIGTERM: %s" % rc)
            bad = sanitizer_lines(d.all_logs())
            if bad:
                problems.append("sanitizer report in the evidenced log:\n" + "\n".join(bad[:20]))
        if problems:
            self.fail("\n".join(problems))

    def run(self, result=None):
        result = result or self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        try:
            return super().run(result)
        finally:
            if len(result.failures) + len(result.errors) > before:
                for d in self.daemons:
                    for i, log in enumerate(d.logs):
                        sys.stderr.write("---- %s: evidenced log %d (last 80 lines but "
                                         "the client chatter)\n" % (self.id(), i + 1))
                        lines = [l for l in d.log(i).splitlines() if not CHATTER.search(l)]
                        sys.stderr.write("\n".join(lines[-80:]) + "\n")
            shutil.rmtree(self.root, ignore_errors=True)

    # ---- evidencectl -----------------------------------------------------

    def ctl(self, *args, timeout=60, daemon=True):
        argv = [EVIDENCECTL] + (["--socket", self.sock] if daemon else []) + list(args)
        p = subprocess.run(argv, capture_output=True, timeout=timeout, env=program_env())
        err = p.stderr.decode("utf-8", "replace")
        bad = sanitizer_lines(err)
        if bad:
            self.ctl_problems.append("sanitizer report from evidencectl %s:\n%s"
                                     % (" ".join(args), "\n".join(bad[:20])))
            self.fail(self.ctl_problems[-1])
        p.err = err
        p.out = p.stdout.decode("utf-8", "replace")
        return p

    def ctl_json(self, *args, rc=0, daemon=True):
        p = self.ctl(*args, daemon=daemon)
        self.assertEqual(p.returncode, rc, "evidencectl %s exited %d, expected %d; stderr: %s"
                         % (" ".join(args), p.returncode, rc, p.err.strip()))
        try:
            return json.loads(p.out)
        except ValueError:
            self.fail("evidencectl %s printed no JSON: %r" % (" ".join(args), p.out[:500]))

    # ---- daemon queries --------------------------------------------------

    def documents(self):
        return self.ctl_json("documents", "--json")["documents"]

    def doc_map(self):
        return {d["path"]: d for d in self.documents()}

    def events(self, since=0):
        return self.ctl_json("history", "--since", str(since), "--limit", "1000000",
                             "--json")["events"]

    def status(self, *extra):
        return self.ctl_json("status", "--json", *extra)

    def progress(self):
        """The scan progress, asked over the raw socket without the documents."""
        c = Conn(self.sock)
        try:
            reply = c.ask({"op": "status", "documents": False})
        finally:
            c.close()
        self.assertTrue(reply and reply.get("ok"), reply)
        return reply["progress"]

    def head_seq(self):
        return self.status()["ledger"]["seq"]

    def wait_event(self, pred, what, since=0, timeout=SHORT):
        """Wait until an event after seq `since` with pred(event) is in the
        ledger; returns it."""
        seen = []

        def find():
            seen[:] = self.events(since)
            for e in seen:
                if pred(e):
                    return e
            return None
        try:
            return wait_for(find, timeout, interval=0.1, what=what)
        except AssertionError as e:
            raise AssertionError("%s; the events after seq %d were:\n%s"
                                 % (e, since, describe_events(seen))) from None

    def wait_scan(self, count, timeout=SCAN):
        """Wait until the first scan is over, `count` documents are known and
        the evaluation has caught up with them (it runs after the scan)."""
        def done():
            s = self.ctl_json("status", "--json")
            p = s["progress"]
            return (not p["scanning"] and p["queued"] == 0 and not p["evaluating"] and
                    len(s["documents"]) == count) and s
        return wait_for(done, timeout, interval=0.2,
                        what="the scan to finish with %d documents" % count)

    def copy_samples(self, folder, dest=None, names=None):
        dest = dest or self.watch
        os.makedirs(dest, exist_ok=True)
        names = names or sample_names(folder)
        for n in names:
            shutil.copyfile(sample(folder, n), os.path.join(dest, n))
        return names


def main():
    missing = [v for v in ("EVIDENCED", "EVIDENCECTL", "EV_SOURCE_DIR") if not os.environ.get(v)]
    if missing:
        sys.stderr.write("set %s (ctest does)\n" % ", ".join(missing))
        sys.exit(2)
    unittest.main(verbosity=2)
