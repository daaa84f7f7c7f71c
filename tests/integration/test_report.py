"""`evidencectl report` as its readers meet it: the real daemon on the
`gaps` samples plus a signed PDF under a hostile name (markup and quotes),
with organisation names that try to close the page's <style>; the page
written through the daemon and offline; read back with an HTML parser for
what it must hold (every requirement's section and status, the ledger head
and key, first sightings as the ledger has them, signers, what to do next
for exactly the requirements not met, every document in the index) and
what it must not (scripts, event handlers, anything fetched); then opened
in headless Chromium (driven over its DevTools pipe, so one start does it
all), which must log no console message and fetch nothing, build a DOM with
every section, print a PDF of A4 pages and take a screenshot. The output
name is never followed when it is a link nor replaced without --force.

Set EV_REPORT_KEEP=DIR to keep the page, its PDF and screenshot there."""
import base64
import hashlib
import html.parser
import json
import os
import re
import select
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

AS_OF = "2026-11-26"
HOSTILE = "<script>alert(\"x\")<img src=x onerror=alert(1)>'&.pdf"
SIGNED_PDF = os.path.join(h.SOURCE_DIR, "tests", "data", "pdf", "signed.pdf")
ORG = "青云网安技术有限公司"
EVIL_ORG = "Evil \"</style><script>alert(1)</script> Co"
CHROMIUM = shutil.which("chromium")


class Page(html.parser.HTMLParser):
    """What the report page holds, as a browser would parse it."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags = []              # (tag, attrs) in document order
        self.ids = set()
        self.text = []
        self.style = ""
        self.section = None         # id of the <section> we are in
        self.section_status = {}    # section id -> first status badge class in its <h2>
        self.todo = {}              # requirement id -> text of its what-to-do block
        self.signatures = ""         # text of the electronic signature lines
        self.in_h2 = self.in_style = self.in_sig = False
        self.todo_req = None
        self.depth = 0
        self.todo_depth = None
        self.feed(text)
        self.close()
        self.all_text = "".join(self.text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag not in ("br", "col", "meta"):
            self.depth += 1
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "section":
            self.section = a.get("id")
        if tag == "h2":
            self.in_h2 = True
        if tag == "style":
            self.in_style = True
        cls = a.get("class", "")
        if self.in_h2 and tag == "span" and cls.startswith("st ") and \
                self.section not in self.section_status:
            self.section_status[self.section] = cls.split()[1][3:]
        if tag == "p" and cls == "sig":
            self.in_sig = True
        if tag == "div" and cls == "todo":
            self.todo_depth = self.depth
            self.todo_req = None
        if self.todo_depth and tag == "a" and self.todo_req is None:
            self.todo_req = a.get("href", "")[len("#req-"):]
            self.todo[self.todo_req] = ""

    def handle_endtag(self, tag):
        if tag == "h2":
            self.in_h2 = False
        if tag == "style":
            self.in_style = False
        if tag == "p":
            self.in_sig = False
        if tag == "div" and self.todo_depth == self.depth:
            self.todo_depth = None
        if tag not in ("br", "col", "meta"):
            self.depth -= 1

    def handle_data(self, data):
        if self.in_style:
            self.style += data
            return
        self.text.append(data)
        if self.in_sig:
            self.signatures += data
        if self.todo_depth and self.todo_req is not None:
            self.todo[self.todo_req] += data


class Browser:
    """Headless Chromium driven over its DevTools pipe (fds 3 and 4,
    messages ended by NUL): one start serves the DOM, the console, the
    requests made, a PDF and a screenshot."""

    def __init__(self, profile):
        to_chromium, self.w = os.pipe()
        self.r, from_chromium = os.pipe()

        def fds():
            os.dup2(to_chromium, 3)
            os.dup2(from_chromium, 4)
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
             "--hide-scrollbars", "--remote-debugging-pipe", "--user-data-dir=" + profile,
             "about:blank"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, pass_fds=(3, 4), preexec_fn=fds)
        os.close(to_chromium)
        os.close(from_chromium)
        self.buf, self.last, self.events = b"", 0, []

    def _recv(self):
        while b"\0" not in self.buf:
            ready, _, _ = select.select([self.r], [], [], 120)
            chunk = os.read(self.r, 1 << 20) if ready else b""
            if not chunk:
                raise AssertionError("chromium stopped answering")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\0", 1)
        return json.loads(line)

    def send(self, method, params=None, session=None):
        self.last += 1
        msg = {"id": self.last, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._recv()
            if m.get("id") == self.last:
                if "error" in m:
                    raise AssertionError("chromium: %s: %s" % (method, m["error"]))
                return m["result"]
            self.events.append(m)

    def wait_event(self, method):
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._recv())

    def render(self, url, width, height):
        """(DOM, PDF bytes, PNG bytes, events) of the page at url."""
        page = next(t for t in self.send("Target.getTargets")["targetInfos"]
                    if t["type"] == "page")
        s = self.send("Target.attachToTarget", {"targetId": page["targetId"],
                                                "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(domain + ".enable", session=s)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                  session=s)
        self.events.clear()
        self.send("Page.navigate", {"url": url}, session=s)
        self.wait_event("Page.loadEventFired")
        dom = self.send("Runtime.evaluate", {"expression": "document.documentElement.outerHTML",
                                             "returnByValue": True}, session=s)["result"]["value"]
        pdf = self.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True},
                        session=s)["data"]
        png = self.send("Page.captureScreenshot", {"format": "png"}, session=s)["data"]
        return dom, base64.b64decode(pdf), base64.b64decode(png), list(self.events)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        os.close(self.w)
        os.close(self.r)


def first_seen_from_history(events):
    first = {}
    for e in events:
        if e.get("sha256") and e["sha256"] not in first:
            first[e["sha256"]] = e["ts"]
    return first


class Report(h.DaemonCase):
    def setUp(self):
        super().setUp()
        self.names = self.copy_samples("gaps")
        shutil.copyfile(SIGNED_PDF, os.path.join(self.watch, HOSTILE))
        self.out = os.path.join(self.root, "out")
        os.mkdir(self.out)

    def report(self, *args, rc=0, daemon=True):
        p = self.ctl("report", *args, daemon=daemon)
        self.assertEqual(p.returncode, rc, "evidencectl report %s: %s" % (" ".join(args), p.err))
        return p

    def read(self, name):
        with open(os.path.join(self.out, name), encoding="utf-8") as f:
            return f.read()

    def assert_nothing_active(self, page, where):
        """No script, no handler, nothing fetched: the page is inert and whole."""
        for tag, attrs in page.tags:
            self.assertNotIn(tag, ("script", "img", "link", "iframe", "object", "embed"),
                             "%s: a <%s> element: %r" % (where, tag, attrs))
            for name, value in attrs.items():
                self.assertFalse(name.startswith("on"), "%s: handler %s=%r" % (where, name, value))
                if name in ("href", "src"):
                    self.assertTrue(value.startswith("#"), "%s: %s=%r leaves the page"
                                    % (where, name, value))
        self.assertNotIn("url(", page.style, where)
        self.assertNotIn("@import", page.style, where)

    def assert_requirements(self, page, status, where):
        for r in status["requirements"]:
            self.assertIn("req-" + r["id"], page.ids, where)
            self.assertEqual(page.section_status.get("req-" + r["id"]), r["status"],
                             "%s: %s" % (where, r["id"]))

    def check_in_browser(self, browser, html_path, status):
        url = "file://" + html_path
        dom, pdf, png, events = browser.render(url, 1000, 1400)
        complaints = [e for e in events if e["method"] in
                      ("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")]
        self.assertEqual(complaints, [], "console messages while loading the report")
        fetched = [e["params"]["request"]["url"] for e in events
                   if e["method"] == "Network.requestWillBeSent" and
                   e["params"]["request"]["url"] != url]
        self.assertEqual(fetched, [], "the page fetched something")
        page = Page(dom)
        self.assert_nothing_active(page, "the DOM chromium built")
        self.assert_requirements(page, status, "the DOM chromium built")
        self.assertIn(HOSTILE, page.all_text)

        self.assertTrue(pdf.startswith(b"%PDF-"), pdf[:20])
        pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
        # The cover, the summary, what to do next and the index, and every
        # requirement on a page of its own at least.
        self.assertGreaterEqual(pages, len(status["requirements"]) + 4)
        sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf))
        self.assertTrue(sizes and all(abs(float(w) - 595.3) < 1 and abs(float(hh) - 841.9) < 1
                                      for w, hh in sizes), "pages not A4: %r" % sizes)
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual((int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")),
                         (1000, 1400))
        print("measured: %d A4 pages in the PDF, a %d-byte screenshot" % (pages, len(png)))
        keep = os.environ.get("EV_REPORT_KEEP")
        if keep:
            os.makedirs(keep, exist_ok=True)
            shutil.copyfile(html_path, os.path.join(keep, "report.html"))
            for name, data in (("report.pdf", pdf), ("report.png", png)):
                with open(os.path.join(keep, name), "wb") as f:
                    f.write(data)

    def test_report_through_the_daemon_in_a_browser(self):
        os.mkfifo(os.path.join(self.watch, "pipe"))     # left out of the ledger, and said so
        self.daemon(extra_conf="[policy]\norganisation = %s|%s\n" % (ORG, EVIL_ORG)).start()
        self.wait_scan(len(self.names) + 1)
        html_path = os.path.join(self.out, "report.html")
        p = self.report("--as-of", AS_OF, "-o", html_path)
        self.assertIn("wrote", p.out)
        # Chromium takes seconds to start: it does while the page is read here.
        browser = Browser(os.path.join(self.root, "chromium")) if CHROMIUM else None
        if browser:
            self.addCleanup(browser.close)
        status = self.status("--as-of", AS_OF)
        page = Page(self.read("report.html"))
        self.assert_nothing_active(page, "the page")
        self.assert_requirements(page, status, "the page")

        # Hostile strings are text, whole, in the page and in its margins.
        self.assertIn(HOSTILE, page.all_text)
        self.assertIn(EVIL_ORG, page.all_text)
        self.assertNotIn("</style", page.style)
        self.assertNotIn("<", page.style)

        # The cover: organisation, as-of date, ledger head, key, checkpoint.
        with open(os.path.join(self.state, "ledger.pub"), encoding="ascii") as f:
            key = f.read().strip()
        self.assertEqual(status["ledger"]["key"], key)
        self.assertEqual(status["organisation"], [ORG, EVIL_ORG])
        for want in (ORG, AS_OF, status["ledger"]["hash"], key,
                     hashlib.sha256(bytes.fromhex(key)).hexdigest()):
            self.assertIn(want, page.all_text)
        self.assertEqual(status["progress"]["skipped"], 1)
        self.assertIn("files left out of the ledger (unreadable, not regular files, ...: the "
                      "daemon's log names them): 1", page.all_text)
        self.assertNotIn("may be incomplete", page.all_text)
        if "checkpoint" not in status:
            self.assertIn("none: the ledger gave no signed checkpoint", page.all_text)

        # First sightings are the ledger's: the earliest event with the bytes.
        c = h.Conn(self.sock)
        try:
            reply = c.ask({"op": "status", "documents": False, "first_seen": True})
        finally:
            c.close()
        first = first_seen_from_history(self.events())
        self.assertEqual(reply["first_seen"],
                         {doc["sha256"]: first[doc["sha256"]] for doc in status["documents"]})
        self.assertNotIn("first_seen", status)
        for ts in reply["first_seen"].values():     # "2026-11-26T09:30:01.123Z"
            self.assertIn("%s %s UTC" % (ts[:10], ts[11:19]), page.all_text)

        # The signed contract's signer, and every document in the index.
        self.assertIn("张伟", page.signatures)
        self.assertIn("valid", page.signatures)
        self.assertEqual({i for i in page.ids if i.startswith("doc-")},
                         {"doc-%d" % n for n in range(1, len(status["documents"]) + 1)})
        for doc in status["documents"]:
            self.assertIn(doc["path"], page.all_text)

        # What to do next: exactly the requirements not met, each with what
        # the catalog and the reasons give.
        unsettled = {r["id"]: r for r in status["requirements"]
                     if r["status"] not in ("met", "not-applicable")}
        self.assertTrue(unsettled)
        self.assertEqual(set(page.todo), set(unsettled))
        self.assertIn("供应商管理", page.todo["mgmt.suppliers"])
        for rid, r in unsettled.items():
            for reason in r["reasons"]:
                plain = reason[len("needs review: "):] if reason.startswith("needs review: ") \
                    else reason
                cat = plain.split(":", 1)[0]
                if r.get("per_category", {}).get(cat) in ("met", "not-applicable"):
                    self.assertNotIn(plain, page.todo[rid], rid)
                else:
                    self.assertIn(plain, page.todo[rid], rid)

        # Languages: the page's own words and the wording follow --lang.
        self.report("--as-of", AS_OF, "--lang", "en", "-o", os.path.join(self.out, "en.html"))
        self.report("--as-of", AS_OF, "--lang", "zh", "-o", os.path.join(self.out, "zh.html"))
        en, zh = Page(self.read("en.html")), Page(self.read("zh.html"))
        record = next(r for r in status["requirements"] if r["id"] == "record.projects")
        self.assertIn(record["title"]["en"], en.all_text)
        self.assertNotIn(record["title"]["zh"], en.all_text)
        self.assertNotIn("证据报告", en.all_text)
        self.assertIn(record["title"]["zh"], zh.all_text)
        self.assertNotIn(record["title"]["en"], zh.all_text)
        self.assertNotIn("Evidence report", zh.all_text)

        # Offline on a copy of the folder: the same statuses, no ledger.
        folder = os.path.join(self.root, "copy")
        shutil.copytree(self.watch, folder, ignore=shutil.ignore_patterns("pipe"))
        self.report(folder, "--categories", h.CATEGORIES, "--organisation", ORG, "--as-of", AS_OF,
                    "-o", os.path.join(self.out, "offline.html"), daemon=False)
        offline = Page(self.read("offline.html"))
        self.assert_requirements(offline, status, "the offline page")
        self.assertIn("offline audit, no ledger read", offline.all_text)
        self.assertIn(HOSTILE, offline.all_text)

        if not browser:
            self.skipTest("chromium is not installed (scripts/deps.sh installs it): the page "
                          "was checked, not rendered")
        self.check_in_browser(browser, html_path, status)

    def test_output_name_is_never_followed_nor_replaced_unasked(self):
        folder = os.path.join(self.root, "one")
        os.mkdir(folder)
        shutil.copyfile(h.sample("gaps", self.names[0]), os.path.join(folder, self.names[0]))
        args = (folder, "--as-of", AS_OF)
        target = os.path.join(self.out, "target.html")
        with open(target, "w") as f:
            f.write("keep")

        # An existing file: refused, untouched; --force replaces it.
        p = self.report(*args, "-o", target, rc=1, daemon=False)
        self.assertIn("--force", p.err)
        self.assertEqual(self.read("target.html"), "keep")
        os.umask(0o022)
        self.report(*args, "-o", target, "--force", daemon=False)
        self.assertTrue(self.read("target.html").startswith("<!DOCTYPE html>"))
        self.assertEqual(os.stat(target).st_mode & 0o777, 0o644)

        # A link to that file, and a dangling one: neither is followed,
        # with or without --force.
        with open(target, "w") as f:
            f.write("keep")
        link = os.path.join(self.out, "link.html")
        os.symlink(target, link)
        dangling = os.path.join(self.out, "dangling.html")
        os.symlink(os.path.join(self.out, "created-through-link.html"), dangling)
        for name in (link, dangling):
            for force in ((), ("--force",)):
                p = self.report(*args, "-o", name, *force, rc=1, daemon=False)
                self.assertIn("symbolic link", p.err)
                self.assertTrue(os.path.islink(name))
        self.assertEqual(self.read("target.html"), "keep")
        self.assertFalse(os.path.exists(os.path.join(self.out, "created-through-link.html")))

        # A folder in the way, a folder that is not there: clear errors.
        p = self.report(*args, "-o", self.out, "--force", rc=1, daemon=False)
        self.assertIn("not a regular file", p.err)
        p = self.report(*args, "-o", os.path.join(self.out, "no", "r.html"), rc=1, daemon=False)
        self.assertIn("No such file or directory", p.err)

        # Usage errors: no -o, a bad --lang, offline options without a folder.
        self.report(*args, rc=2, daemon=False)
        self.report(*args, "--lang", "fr", "-o", "x.html", rc=2, daemon=False)
        self.report("--categories", h.CATEGORIES, "-o", "x.html", rc=2, daemon=False)

        # No temporary file is left behind by any of it.
        self.assertEqual(sorted(os.listdir(self.out)),
                         ["dangling.html", "link.html", "target.html"])


if __name__ == "__main__":
    h.main()
