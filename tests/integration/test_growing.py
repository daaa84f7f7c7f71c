"""A file that keeps growing is waited for: never taken for gone, read a
few times at most while it grows (each time later: the daemon backs off),
and recorded once it is quiet."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Growing(h.DaemonCase):
    def test_appended_every_100_ms(self):
        d = self.daemon(settle_ms=100).start()
        self.wait_scan(0)
        closed = os.path.join(self.watch, "appended.log")    # opened and closed each time
        held = os.path.join(self.watch, "held.log")          # one writer holding it open
        cpu0 = cpu_seconds(d.pid)
        with open(held, "ab", buffering=0) as out:
            for i in range(50):
                with open(closed, "ab") as f:
                    f.write(b"line %d %s\n" % (i, b"x" * 2000))
                out.write(b"line %d %s\n" % (i, b"y" * 2000))
                time.sleep(0.1)
        cpu = cpu_seconds(d.pid) - cpu0
        sys.stderr.write("evidenced used %.2f s of CPU over the 5 s of appends\n" % cpu)
        for path in (closed, held):
            name = os.path.basename(path)
            h.wait_for(lambda: self.doc_map().get(name, {}).get("sha256") == h.sha256_file(path),
                       what="%s recorded as it ended" % name)
        events = [e for e in self.events() if e.get("path") in ("appended.log", "held.log")]
        self.assertNotIn("removed", [e["type"] for e in events], h.describe_events(events))
        # Without the back-off the appended file was recorded at nearly
        # every pause (10 to 13 versions in 5 s); with it, twice or so.
        self.assertLessEqual(len([e for e in events if e["path"] == "appended.log"]), 3,
                             h.describe_events(events))
        self.assertEqual([e["type"] for e in events if e["path"] == "held.log"], ["unparsed"],
                         h.describe_events(events))
        reads_again = d.log().count("changed while it was read: looking again")
        self.assertLessEqual(reads_again, 5, "reads of a changing file")


if __name__ == "__main__":
    h.main()
