"""An extractor that has been taken over by a document lies to its parent:
a reply too large to hold, a record for other bytes, bytes that are not a
record, silence, an exit mid-document, a hello of another version. Each
costs the document a rejected record (crashed or timeout) whose hash is the
parent's own, never the daemon's memory or its life; a liar that cannot even
say hello keeps the daemon from starting and evidencectl from reading."""
import os
import shutil
import stat
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

NORMAL = "05-简历-张伟.docx"
MODES = {
    "huge": ("crashed", "breaks the protocol"),
    "other-bytes": ("crashed", "answered for other bytes"),
    "garbage": ("crashed", "answered for other bytes"),
    "exit": ("crashed", "exited with status 3"),
    "failed": ("crashed", "the extractor failed: no memfd"),
    "progress-stall": ("crashed", "progress breaks the protocol"),
}


class LyingExtractor(h.DaemonCase):
    def setUp(self):
        super().setUp()
        version = subprocess.run([h.EVIDENCECTL, "--version"], capture_output=True,
                                 text=True).stdout.split()[-1]
        with open(os.path.join(os.path.dirname(__file__), "fake_extractor.py")) as f:
            self.script = f.read().replace("@VERSION@", version)

    def liar(self, mode):
        path = os.path.join(self.root, "fake-extractor-" + mode)
        with open(path, "w") as f:
            f.write(self.script)
        os.chmod(path, stat.S_IRWXU)
        return path

    def extract(self, mode, path):
        env = h.program_env()
        env["EVIDENCED_EXTRACTOR"] = self.liar(mode)
        return subprocess.run([h.EVIDENCECTL, "extract", "--json", path], capture_output=True,
                              text=True, env=env, timeout=60)

    def test_offline_lies_are_rejected_with_our_hash(self):
        doc = h.sample("complete", NORMAL)
        for mode, (code, words) in MODES.items():
            with self.subTest(mode=mode):
                p = self.extract(mode, doc)
                self.assertEqual(p.returncode, 1, p.stderr)
                rec = h.json.loads(p.stdout)
                self.assertEqual(rec["error"]["code"], code, rec)
                self.assertIn(words, rec["error"]["message"])
                self.assertEqual(rec["sha256"], h.sha256_file(doc))

    def test_a_liar_of_another_version_is_not_started(self):
        p = self.extract("wrong-version", h.sample("complete", NORMAL))
        self.assertEqual(p.returncode, 1)
        self.assertIn("0.0.0-other", p.stderr)
        self.d = self.daemon(extra_conf="[paths]\nextractor = %s\n" % self.liar("wrong-version"))
        self.d.start(wait=False)
        self.assertNotEqual(self.d.proc.wait(h.SHORT * 3), 0)
        self.assertIn("0.0.0-other", self.d.log())

    def test_the_daemon_outlives_its_liars(self):
        for mode in ("other-bytes", "silent"):
            with self.subTest(mode=mode):
                watch = os.path.join(self.root, "watch-" + mode)
                os.mkdir(watch)
                self.watch = watch
                self.state = os.path.join(self.root, "state-" + mode)
                os.mkdir(self.state)
                self.d = self.daemon(extra_conf="[paths]\nextractor = %s\n[limits]\n"
                                     "extract_time = 1s\n" % self.liar(mode)).start()
                self.wait_scan(0)
                since = self.head_seq()
                shutil.copyfile(h.sample("complete", NORMAL), os.path.join(watch, NORMAL))
                e = self.wait_event(lambda e: e.get("path") == NORMAL, "the lie to be recorded",
                                    since, h.SCAN)
                self.assertEqual(e["type"], "rejected")
                self.assertEqual(e["sha256"], h.sha256_file(os.path.join(watch, NORMAL)))
                rec = self.ctl_json("document", NORMAL, "--json")["document"]
                self.assertEqual(rec["error"]["code"],
                                 "timeout" if mode == "silent" else "crashed", rec)
                p = self.ctl("verify", "--json")
                self.assertEqual(p.returncode, 0, p.out + p.err)
                self.assertEqual(self.d.stop(), 0)


if __name__ == "__main__":
    h.main()
