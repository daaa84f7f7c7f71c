"""The process boundary, tried through the real daemon: an extractor killed
with SIGSEGV or SIGKILL in the middle of a document, a document that takes
longer than the limit, an extractor program that is missing. The daemon
stays up, answers, records the document as rejected (hashed), replaces the
extractor, does not read the document again at its next start, and its
ledger verifies. Also what a hostile document would find inside an
extractor: no descriptor but its socket, no new privileges, a seccomp
filter, not dumpable."""
import os
import signal
import subprocess
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

NORMAL = "05-简历-张伟.docx"


def slow_docx(path, paras=120000):
    """A valid DOCX with so many dated, numbered clauses that classifying
    and extracting it takes seconds (about 2 s in a release build). Written
    beside and renamed into place, so the daemon never sees half of it."""
    body = "".join('<w:p><w:r><w:t>第%d条 甲方应于2026年3月%d日前支付人民币%d元，合同编号'
                   'HT-2026-%03d</w:t></w:r></w:p>' % (i, i % 28 + 1, i * 100, i % 1000)
                   for i in range(paras))
    tmp = os.path.join(os.path.dirname(os.path.dirname(path)), ".slow.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        h.docx_package(z)
        z.writestr("word/document.xml",
                   '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats'
                   '.org/wordprocessingml/2006/main"><w:body>' + body + '</w:body></w:document>')
    os.rename(tmp, path)


def children(pid):
    """The daemon's child processes: its extractors."""
    kids = []
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                kids += [int(k) for k in f.read().split()]
        except OSError:
            pass
    return kids


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def status_fields(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.strip()
    return out


class Extractors(h.DaemonCase):
    def wait_idle_extractors(self):
        """The extractors are started and idle (they load the catalog first)."""
        def idle():
            kids = children(self.d.pid)
            if not kids:
                return False
            before = {k: cpu_ticks(k) for k in kids}
            time.sleep(0.3)
            return all(cpu_ticks(k) == t for k, t in before.items())
        h.wait_for(idle, h.SHORT, what="idle extractors")

    def busy_extractor(self):
        """The extractor that is working on a document: its CPU time grows."""
        def find():
            before = {k: cpu_ticks(k) for k in children(self.d.pid)}
            time.sleep(0.2)
            for k, t in before.items():
                try:
                    if cpu_ticks(k) > t:
                        return k
                except OSError:
                    pass
            return None
        return h.wait_for(find, h.SHORT, interval=0.01, what="an extractor to be busy")

    def assert_serving(self, since):
        """status answers, a normal document is still read, verify passes."""
        self.assertTrue(self.d.running, self.d.log_tail())
        self.status()
        h.shutil.copyfile(h.sample("complete", NORMAL), os.path.join(self.watch, NORMAL))
        self.wait_event(lambda e: e["type"] == "added" and e.get("path") == NORMAL,
                        "the next document to be read by a new extractor", since, h.SCAN)
        p = self.ctl("verify", "--json")
        self.assertEqual(p.returncode, 0, p.out + p.err)

    def kill_mid_document(self, sig, name):
        self.d = self.daemon(extra_conf="[limits]\nextract_time = 300s\n").start()
        self.wait_scan(0)
        self.wait_idle_extractors()
        since = self.head_seq()
        path = os.path.join(self.watch, "slow.docx")
        slow_docx(path)
        victim = self.busy_extractor()
        os.kill(victim, sig)
        e = self.wait_event(lambda e: e.get("path") == "slow.docx", "slow.docx to be recorded",
                            since, h.SCAN)
        self.assertEqual(e["type"], "rejected", e)
        self.assertEqual(e["sha256"], h.sha256_file(path))
        doc = self.ctl_json("document", "slow.docx", "--json")["document"]
        self.assertEqual(doc["error"]["code"], "crashed", doc)
        self.assertIn(name, doc["error"]["message"])
        self.assertNotIn(victim, children(self.d.pid))
        self.assert_serving(e["seq"])
        return e

    def test_sigsegv_mid_document(self):
        self.kill_mid_document(signal.SIGSEGV, "SIGSEGV")

    def test_sigkill_mid_document_not_read_again_at_start(self):
        e = self.kill_mid_document(signal.SIGKILL, "SIGKILL")
        self.d.stop()
        self.d.start()
        self.wait_scan(2)
        since = self.head_seq()
        # A restart reconciles by stat: the crashing version is not read again.
        self.assertEqual([x for x in self.events(e["seq"]) if x.get("path") == "slow.docx"], [])
        self.assertEqual(
            self.ctl_json("document", "slow.docx", "--json")["document"]["error"]["code"],
            "crashed")
        # A new version of it is.
        with open(os.path.join(self.watch, "slow.docx"), "ab") as f:
            f.write(b"\0")
        self.wait_event(lambda x: x.get("path") == "slow.docx", "the new version to be read",
                        since, h.SCAN)

    def test_timeout(self):
        self.d = self.daemon(extra_conf="[limits]\nextract_time = 500ms\n").start()
        self.wait_scan(0)
        since = self.head_seq()
        slow_docx(os.path.join(self.watch, "slow.docx"))
        e = self.wait_event(lambda e: e.get("path") == "slow.docx", "slow.docx to be recorded",
                            since, h.SCAN)
        self.assertEqual(e["type"], "rejected", e)
        doc = self.ctl_json("document", "slow.docx", "--json")["document"]
        self.assertEqual(doc["error"]["code"], "timeout", doc)
        self.assertIn("longer than 0.500 s", doc["error"]["message"])
        self.assert_serving(e["seq"])

    def test_an_extractor_holds_nothing(self):
        self.d = self.daemon().start()
        self.copy_samples("complete", names=[NORMAL])
        self.wait_scan(1)
        kids = children(self.d.pid)
        self.assertTrue(kids, "no extractor process")
        for k in kids:
            # A worker's extractor may still be starting (loading its
            # libraries) when the first scan is done: it locks itself down
            # before it says hello, and is asked nothing before.
            h.wait_for(lambda: status_fields(k)["NoNewPrivs"] == "1",
                       what="extractor %d to enter its sandbox" % k)
            st = status_fields(k)
            self.assertEqual(st["NoNewPrivs"], "1", st)
            self.assertEqual(st["Seccomp"], "2", st)
            # Not dumpable: /proc/PID/fd belongs to root, which the tests are.
            fds = sorted(int(f) for f in os.listdir("/proc/%d/fd" % k))
            self.assertEqual(fds, [0, 1, 2], "extractor %d holds %s" % (k, [
                os.readlink("/proc/%d/fd/%d" % (k, f)) for f in fds]))
            self.assertTrue(os.readlink("/proc/%d/fd/0" % k).startswith("socket:"))
            with open("/proc/%d/cmdline" % k, "rb") as f:
                self.assertTrue(f.read().split(b"\0")[0].endswith(b"evidenced-extractor"))

    def test_missing_extractor_refuses_to_start(self):
        self.d = self.daemon(extra_conf="[paths]\nextractor = /nonexistent/evidenced-extractor\n")
        self.d.start(wait=False)
        rc = self.d.proc.wait(h.SHORT * 3)
        self.assertNotEqual(rc, 0)
        self.assertIn("cannot start /nonexistent/evidenced-extractor", self.d.log())

    def test_offline_audit_and_extract_use_the_sandbox(self):
        path = os.path.join(self.root, "slow.docx")
        slow_docx(path, paras=2000)
        p = self.ctl("extract", "--json", path, daemon=False)
        sandboxed = p.out
        self.assertEqual(p.returncode, 0, p.err)
        p = self.ctl("extract", "--json", "--no-sandbox", path, daemon=False)
        self.assertEqual(p.out, sandboxed)
        env = h.program_env()
        env["EVIDENCED_EXTRACTOR"] = "/nonexistent/evidenced-extractor"
        p = subprocess.run([h.EVIDENCECTL, "extract", "--json", path], capture_output=True,
                           env=env, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn(b"--no-sandbox", p.stderr)


if __name__ == "__main__":
    h.main()
