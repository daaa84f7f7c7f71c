"""Small frictions of the programs, each checked through the real client or
daemon: the catalog found by a build that runs as it is, kinds accepted as
they are shown, audit reports that say why before they list, and errors
that say what to do."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

RESUME = "05-简历-张伟.docx"


def run(argv, env=None, **kw):
    p = subprocess.run(argv, capture_output=True, timeout=120, env=env or h.program_env(), **kw)
    p.out = p.stdout.decode("utf-8", "replace")
    p.err = p.stderr.decode("utf-8", "replace")
    return p


class Friction(h.DaemonCase):
    def test_catalog_found_from_the_build_tree(self):
        """Without EVIDENCED_CATALOG, a program run from its build tree reads
        the source tree's catalog; a catalog that is not there is named with
        the ways to name another."""
        env = h.program_env()
        del env["EVIDENCED_CATALOG"]
        folder = os.path.join(self.root, "one")
        self.copy_samples("complete", folder, [RESUME])
        p = run([h.EVIDENCECTL, "audit", folder, "--json"], env)
        self.assertIn(p.returncode, (0, 1), p.err)
        self.assertEqual(json.loads(p.out)["documents"][0]["kind"], "resume", p.out[:300])
        p = run([h.EVIDENCECTL, "--catalog", "/nonexistent/catalog.xml", "audit", folder], env)
        self.assertEqual(p.returncode, 1)
        self.assertIn("--catalog", p.err)
        self.assertIn("EVIDENCED_CATALOG", p.err)
        d = self.daemon(extra_conf="[paths]\ncatalog = /nonexistent/catalog.xml\n")
        d.start(wait=False)
        self.assertEqual(d.proc.wait(60), 1)
        self.assertIn("EVIDENCED_CATALOG", d.log())

    def test_documents_kind_as_shown_and_topic(self):
        names = ["03-财务管理制度.docx", "17-人员管理程序.docx", RESUME]
        self.copy_samples("complete", names=names)
        self.daemon().start()
        self.wait_scan(3)
        shown = self.ctl("documents").out
        self.assertIn("procedure/finance", shown)
        for args in (["--kind", "procedure/finance"], ["--topic", "finance"],
                     ["--kind", "procedure", "--topic", "finance"]):
            docs = self.ctl_json("documents", "--json", *args)["documents"]
            self.assertEqual([d["path"] for d in docs], [names[0]], args)
            p = self.ctl("documents", *args)
            self.assertEqual(p.returncode, 0, p.err)
            self.assertEqual(p.out.split(), ["procedure/finance", names[0]])
        p = self.ctl("documents", "--topic", "nonsense")
        self.assertEqual(p.returncode, 2)
        self.assertIn("finance", p.err)      # the topics there are
        p = self.ctl("documents", "--kind", "procedure/finance", "--topic", "personnel")
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    h.main()
