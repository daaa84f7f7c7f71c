"""evidencectl's human output: a file name (or any string from the daemon or
a document) cannot forge a line or hide text with terminal escapes; the
options behave as documented (--help, usage errors, document by absolute
path, fields as "name: value" lines)."""
import os
import re
import selectors
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

CONTRACT = "13-合同-HT-2026-018-安全运维.docx"
LICENSE = "01-营业执照.docx"
# A newline and a fake history line, then an escape that hides what follows.
FAKE = "     99 2026-01-01T00:00:00Z added          fake.docx"
HOSTILE = "evil\n" + FAKE + "\x1b[8mhidden.docx"
# Raw control characters a terminal would act on: C0 but the newline, DEL, C1.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f\x80-\x9f]")


class ClientOutput(h.DaemonCase):
    def assert_clean(self, text, what):
        bad = RAW_CONTROL.search(text)
        self.assertIsNone(bad, "%s prints a raw control character %r:\n%r"
                          % (what, bad and bad.group(), text[:2000]))
        self.assertNotIn("\n" + FAKE, text, "%s printed the forged line" % what)

    def human(self, *args):
        p = self.ctl(*args)
        self.assertEqual(p.returncode, 0, "%s: %s" % (args, p.err))
        self.assert_clean(p.out, "evidencectl " + " ".join(args))
        return p.out

    def start_watch(self):
        proc = subprocess.Popen([h.EVIDENCECTL, "--socket", self.sock, "watch"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=h.program_env())
        self.addCleanup(self.stop_watch, proc)
        return proc

    def stop_watch(self, proc):
        proc.kill()
        _, err = proc.communicate()
        bad = h.sanitizer_lines(err.decode("utf-8", "replace"))
        self.assertFalse(bad, "\n".join(bad))

    def watch_lines_until(self, proc, pred, timeout=h.SHORT):
        """Lines of `watch` until one satisfies pred (or the timeout)."""
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        buf, lines = b"", []
        while time.monotonic() < deadline:
            if not sel.select(0.2):
                continue
            chunk = os.read(proc.stdout.fileno(), 1 << 16)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                lines.append(line.decode("utf-8", "replace"))
                if pred(lines[-1]):
                    return lines
        self.fail("watch printed no line for the hostile file in %.0f s:\n%s"
                  % (timeout, "\n".join(lines)))

    def test_hostile_file_name(self):
        self.daemon().start()
        self.wait_scan(0)
        d = self.daemons[-1]
        watch = self.start_watch()
        h.wait_for(lambda: re.search(r"pid %d uid \d+: watch$" % watch.pid, d.log(), re.M),
                   what="the daemon to take the watch request")
        shutil.copyfile(h.sample("complete", CONTRACT), os.path.join(self.watch, HOSTILE))
        shutil.copyfile(h.sample("complete", LICENSE), os.path.join(self.watch, LICENSE))
        self.wait_event(lambda e: e.get("path") == HOSTILE, "the hostile file's event")
        self.wait_event(lambda e: e.get("path") == LICENSE, "the license's event")
        self.wait_scan(2)

        escaped = "evil\\n" + FAKE + "\\x1b[8mhidden.docx"
        lines = self.watch_lines_until(watch, lambda l: "hidden.docx" in l)
        for line in lines:
            self.assert_clean(line, "evidencectl watch")
        self.assertIn(escaped, lines[-1])

        events = self.events()
        out = self.human("history", "--limit", "1000000")
        self.assertEqual(len(out.splitlines()), len(events), out)
        self.assertEqual(sum(escaped in l for l in out.splitlines()), 1, out)

        out = self.human("documents")
        self.assertEqual(len(out.splitlines()), 2, out)
        self.assertIn(escaped, out)
        self.assertIn(LICENSE, out, "valid UTF-8 is kept as it is")

        self.human("status")
        out = self.human("document", HOSTILE)
        self.assertIn("path:     " + escaped, out)

    def test_document_by_path_and_fields(self):
        self.daemon().start()
        self.wait_scan(0)
        shutil.copyfile(h.sample("complete", CONTRACT), os.path.join(self.watch, CONTRACT))
        self.wait_scan(1)
        for arg, cwd in ((os.path.join(self.watch, CONTRACT), None),
                         ("./" + CONTRACT, self.watch),
                         (CONTRACT, None)):
            with self.subTest(arg=arg):
                p = subprocess.run([h.EVIDENCECTL, "--socket", self.sock, "document", arg],
                                   capture_output=True, cwd=cwd, env=h.program_env(),
                                   timeout=60)
                out = p.stdout.decode("utf-8")
                self.assertEqual(p.returncode, 0, p.stderr.decode("utf-8", "replace"))
                self.assertIn("path:     " + CONTRACT, out)
                self.assertIn("  amount: 1,200,000.00 CNY\n", out)
                self.assertIn("  start_on: 2026-04-01\n", out)
                self.assertIn("  service_categories: security-operations\n", out)
                self.assertNotIn("{", out, "no field is printed as JSON")
        p = self.ctl("document", os.path.join(self.root, "elsewhere.docx"))
        self.assertEqual(p.returncode, 2, p.err)
        self.assertIn("not in the watched folder", p.err)

    def test_options(self):
        commands = ["status", "requirement", "documents", "document", "history", "watch",
                    "rescan", "verify", "version", "extract", "audit", "help"]
        for cmd in commands:
            with self.subTest(cmd=cmd):
                p = self.ctl(cmd, "--help", daemon=False)
                self.assertEqual(p.returncode, 0, p.err)
                self.assertTrue(p.out.startswith("usage: evidencectl " + cmd), p.out)
        for argv, says in ((["status", "--brief"], "--brief goes with --json"),
                           (["status", "--as-of", "2026-13-45"], "--as-of"),
                           (["requirement", "x", "--as-of", "tomorrow"], "--as-of"),
                           (["documents", "--kind", "bogus"], "service-contract"),
                           (["history", "--kind", "x"], "does not take --kind"),
                           (["history", "--since", "abc"],
                            "--since takes a ledger sequence number (0 or more), not 'abc'"),
                           (["audit", os.path.join(self.root, "no-such-folder")],
                            "no-such-folder does not exist"),
                           (["audit", os.path.join(h.SAMPLES, "README.md")],
                            "README.md is not a folder"),
                           (["help", "bogus"], "unknown command 'bogus'")):
            with self.subTest(argv=argv):
                p = self.ctl(*argv)       # no daemon: checked before asking it
                self.assertEqual(p.returncode, 2, p.err)
                self.assertIn(says, p.err)

        # Without a daemon: the client's version, and help on the commands.
        p = self.ctl("--version", daemon=False)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertRegex(p.out, r"^evidencectl \d+\.\d+")
        p = self.ctl("help", daemon=False)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(p.out, self.ctl("--help", daemon=False).out)
        p = self.ctl("help", "history", daemon=False)
        self.assertEqual((p.returncode, p.out), (0, self.ctl("history", "--help").out))

        # The man page documents every option the --help texts name.
        top = self.ctl("--help", daemon=False).out
        with open(os.path.join(h.SOURCE_DIR, "man", "evidencectl.1"), encoding="utf-8") as f:
            man = f.read()
        for opt in sorted(set(re.findall(r"--([a-z-]+)", top))):
            self.assertIn("\\-\\-" + opt.replace("-", "\\-"), man,
                          "evidencectl.1 does not document --" + opt)
        # man(7) titles, not mdoc's, which groff heads "BSD ... Manual".
        for page, title in (("evidencectl.1", "User Commands"),
                            ("evidenced.8", "System Manager's Manual"),
                            ("evidenced.conf.5", "File Formats Manual")):
            with open(os.path.join(h.SOURCE_DIR, "man", page), encoding="utf-8") as f:
                text = f.read()
            name, section = page.rsplit(".", 1)
            self.assertRegex(text, r'(?m)^\.TH %s %s "[^"]+" evidenced "%s"$'
                             % (re.escape(name.upper()), section, re.escape(title)))
            self.assertNotRegex(text, r"(?m)^\.(Dt|Os)\b")
        self.assertIn("--folder", top)
        self.assertIn("--organisation", top)

    def test_extract_banner_escapes_bytes(self):
        names = [b"plain.docx", b"bad\xff\x1b[8m.docx"]
        paths = []
        for n in names:
            path = os.path.join(os.fsencode(self.root), n)
            shutil.copyfile(h.sample("complete", LICENSE), path)
            paths.append(path)
        p = subprocess.run([h.EVIDENCECTL, "extract", "--text"] + paths,
                           capture_output=True, env=h.program_env(), timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        banners = [l for l in p.stdout.split(b"\n") if l.startswith(b"==> ")]
        self.assertEqual(len(banners), 2, p.stdout[:2000])
        self.assertIn(b"bad\\xff\\x1b[8m.docx <==", banners[1])


if __name__ == "__main__":
    h.main()
