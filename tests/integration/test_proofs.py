"""Checkpoints and proofs as an auditor uses them: `evidencectl checkpoint`,
`prove` and `verify-proof` against the real daemon, offline from a copy of
the state directory, and malformed input refused with exit 1.

The independent check: a checkpoint's signature, an inclusion proof and a
consistency proof made by the daemon are verified here again by a second
implementation, written from RFC 6962 / RFC 9162 and the C2SP signed-note
and tlog-checkpoint texts on Python's hashlib and the `cryptography`
package's Ed25519 (not libsodium), so the formats are the standards' and
not only ours."""
import base64
import hashlib
import json
import os
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evharness as h  # noqa: E402

FIRST = ["01-营业执照.docx", "22-保密管理程序.docx"]
LATER = ["05-简历-张伟.docx", "28-员工保密协议-张伟.docx", "04-办公用房租赁合同.odt"]


# ---- the second implementation ------------------------------------------

def parse_vkey(text):
    name, key_id, key = text.strip().split("+", 2)
    raw = base64.b64decode(key, validate=True)
    assert raw[0] == 1 and len(raw) == 33, "not an Ed25519 vkey"
    assert hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4] == bytes.fromhex(key_id)
    return name, bytes.fromhex(key_id), Ed25519PublicKey.from_public_bytes(raw[1:])


def open_checkpoint(note, vkey_text):
    """(size, root) of a signed checkpoint, after checking its signature."""
    name, key_id, pub = parse_vkey(vkey_text)
    text, sigs = note.rsplit("\n\n", 1)
    text += "\n"
    for line in sigs.splitlines():
        dash, sig_name, b64 = line.split(" ")
        assert dash == "\u2014"
        sig = base64.b64decode(b64, validate=True)
        if sig_name == name and sig[:4] == key_id:
            pub.verify(sig[4:], text.encode())      # raises InvalidSignature
            origin, size, root = text.split("\n")[:3]
            assert origin == name
            return int(size), base64.b64decode(root, validate=True)
    raise AssertionError("no signature of " + name)


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index, size, leaf, path, root):
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, path):
    """RFC 9162 2.1.4.2, for 0 < first < second."""
    if not path:
        return False
    if first & (first - 1) == 0:
        path = [first_root] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# ---- the tests ----------------------------------------------------------

class Proofs(h.DaemonCase):
    def setUp(self):
        super().setUp()
        self.copy_samples("complete", names=FIRST)
        self.d = self.daemon().start()
        self.wait_scan(len(FIRST))
        self.old = self.signed_checkpoint()
        self.copy_samples("complete", names=LATER)
        self.wait_scan(len(FIRST) + len(LATER))
        self.new = self.signed_checkpoint()
        with open(os.path.join(self.state, "ledger.vkey"), encoding="ascii") as f:
            self.vkey = f.read()

    def signed_checkpoint(self):
        """The latest checkpoint once it covers every event."""
        seq = self.head_seq()

        def latest():
            p = self.ctl("checkpoint")
            self.assertEqual(p.returncode, 0, p.err)
            return p.out if p.out.split("\n")[1] == str(seq) else None
        return h.wait_for(latest, what="a checkpoint of %d events" % seq)

    def write(self, name, text):
        path = os.path.join(self.root, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def prove(self, *args, daemon=True):
        p = self.ctl("prove", *args, daemon=daemon)
        self.assertEqual(p.returncode, 0, p.err)
        return json.loads(p.out)

    def verify_proof(self, proof, checkpoint, old=None, rc=0, vkey=None):
        args = ["verify-proof", "--vkey", vkey or self.write("vkey", self.vkey),
                "--checkpoint", self.write("ckpt", checkpoint)]
        if old:
            args += ["--old", self.write("old", old)]
        proof_path = proof if isinstance(proof, str) and os.path.exists(proof) else \
            self.write("proof.json", proof if isinstance(proof, str) else json.dumps(proof))
        p = self.ctl(*args, proof_path, daemon=False)
        self.assertEqual(p.returncode, rc, "verify-proof: %s%s" % (p.out, p.err))
        if rc:
            self.assertTrue(p.err.startswith("evidencectl: verify-proof: "), p.err)
            self.assertNotIn("Sanitizer", p.err)
        return p

    def test_second_implementation_agrees(self):
        size, root = open_checkpoint(self.new, self.vkey)
        old_size, old_root = open_checkpoint(self.old, self.vkey)
        self.assertGreater(size, old_size)
        self.assertEqual(size, self.head_seq())

        seq = max(e["seq"] for e in self.events() if e.get("path") == LATER[1])
        inc = self.prove("--inclusion", LATER[1])
        self.assertEqual((inc["leaf_index"], inc["tree_size"]), (seq - 1, size))
        leaf = base64.b64decode(inc["leaf"], validate=True)
        event = json.loads(leaf)
        self.assertEqual((event["seq"], event["path"]), (seq, LATER[1]))
        path = [base64.b64decode(x, validate=True) for x in inc["hashes"]]
        self.assertTrue(verify_inclusion(inc["leaf_index"], size, leaf_hash(leaf), path, root))
        self.assertFalse(verify_inclusion(inc["leaf_index"], size, leaf_hash(leaf + b" "),
                                          path, root))

        cons = self.prove("--consistency", self.write("old.ckpt", self.old))
        self.assertEqual((cons["old_size"], cons["new_size"]), (old_size, size))
        path = [base64.b64decode(x, validate=True) for x in cons["hashes"]]
        self.assertTrue(verify_consistency(old_size, size, old_root, root, path))
        self.assertFalse(verify_consistency(old_size, size, root, root, path))

        # A changed byte in the signed text fails the other library too.
        forged = self.new.replace("\n%d\n" % size, "\n%d\n" % (size + 1), 1)
        with self.assertRaises(InvalidSignature):
            open_checkpoint(forged, self.vkey)

    def test_verify_proof_holds_and_names_the_event(self):
        inc = self.prove("--inclusion", "3", "--checkpoint-out",
                         os.path.join(self.root, "against.ckpt"))
        with open(os.path.join(self.root, "against.ckpt"), encoding="utf-8") as f:
            against = f.read()
        p = self.verify_proof(inc, against)
        self.assertIn("verified: event 3 (", p.out)
        cons = self.prove("--consistency", self.write("o.ckpt", self.old))
        p = self.verify_proof(cons, self.new, old=self.old)
        self.assertIn("is a prefix of the checkpoint", p.out)
        # --checkpoint-out never overwrites.
        p = self.ctl("prove", "--inclusion", "3", "--checkpoint-out",
                     os.path.join(self.root, "against.ckpt"))
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("File exists", p.err)

    def test_offline_from_a_copy_of_the_state(self):
        self.assertEqual(self.d.stop(), 0)
        copy = os.path.join(self.root, "copy")
        h.shutil.copytree(self.state, copy, ignore=h.shutil.ignore_patterns("ledger.key"))
        p = self.ctl("checkpoint", "--state", copy, daemon=False)
        self.assertEqual((p.returncode, p.out), (0, self.new), p.err)
        inc = self.prove("--state", copy, "--inclusion", LATER[0], daemon=False)
        self.verify_proof(inc, self.new)
        cons = self.prove("--state", copy, "--consistency", self.write("o.ckpt", self.old),
                          daemon=False)
        self.verify_proof(cons, self.new, old=self.old)

    def test_proofs_that_do_not_hold(self):
        inc = self.prove("--inclusion", "2")
        cons = self.prove("--consistency", self.write("o.ckpt", self.old))
        other = dict(inc, leaf_index=3)
        self.verify_proof(other, self.new, rc=1)
        flipped = dict(inc, hashes=[base64.b64encode(bytes(32)).decode()] + inc["hashes"][1:])
        self.assertIn("not included", self.verify_proof(flipped, self.new, rc=1).err)
        # The old checkpoint given as the new, and the wrong kind of use.
        self.verify_proof(cons, self.old, old=self.old, rc=1)
        self.verify_proof(cons, self.new, rc=1)
        self.verify_proof(inc, self.new, old=self.old, rc=1)
        # Another ledger's vkey.
        name = self.vkey.split("+")[0]
        other_key = base64.b64encode(b"\x01" + bytes(range(32))).decode()
        fake_id = hashlib.sha256(name.encode() + b"\n" + base64.b64decode(other_key)).hexdigest()[:8]
        p = self.verify_proof(inc, self.new, rc=1,
                              vkey=self.write("v2", "%s+%s+%s\n" % (name, fake_id, other_key)))
        self.assertIn("not signed by %s" % name, p.err)

    def test_malformed_input_is_refused(self):
        inc = self.prove("--inclusion", "2")
        cons = self.prove("--consistency", self.write("o.ckpt", self.old))
        bad_proofs = {
            "truncated": json.dumps(inc)[:-20],
            "not json": "\x00\x01garbage",
            "empty": "",
            "a list": "[]",
            "negative index": json.dumps(dict(inc, leaf_index=-1)),
            "index past the tree": json.dumps(dict(inc, leaf_index=10**6)),
            "wrong size": json.dumps(dict(inc, tree_size=inc["tree_size"] + 1)),
            "size as text": json.dumps(dict(inc, tree_size=str(inc["tree_size"]))),
            "bad base64 leaf": json.dumps(dict(inc, leaf="***")),
            "short hash": json.dumps(dict(inc, hashes=["AAAA"])),
            "too many hashes": json.dumps(dict(inc, hashes=inc["hashes"] * 200)),
            "extra member": json.dumps(dict(inc, extra=1)),
            "duplicate member": json.dumps(inc)[:-1] + ', "leaf_index": 0}',
            "neither kind": json.dumps({"hashes": []}),
        }
        for what, text in bad_proofs.items():
            with self.subTest(proof=what):
                self.verify_proof(text, self.new, rc=1)
        big = os.path.join(self.root, "huge.json")
        with open(big, "wb") as f:
            f.write(b'{"leaf_index": 0, "tree_size": 1, "leaf": "' + b"A" * (9 << 20) + b'"}')
        self.verify_proof(big, self.new, rc=1)
        bad_checkpoints = {
            "truncated": self.new[:len(self.new) // 2],
            "no signature": self.new.split("\n\n")[0] + "\n\n",
            "size not a number": self.new.replace("\n", "\nx", 1),
            "root cut": self.new.replace("=\n\n", "\n\n", 1),
            "huge": self.new + "\u2014 w x\n" * 2000,
        }
        for what, text in bad_checkpoints.items():
            with self.subTest(checkpoint=what):
                self.verify_proof(cons, text, old=self.old, rc=1)
        for what, text in {"empty": "", "garbage": "a+b+c", "cut": self.vkey[:30]}.items():
            with self.subTest(vkey=what):
                self.verify_proof(inc, self.new, rc=1, vkey=self.write("badvkey", text))
        # prove refuses a checkpoint that is not this ledger's, or not one.
        p = self.ctl("prove", "--consistency", self.write("junk", "not a checkpoint\n"))
        self.assertEqual(p.returncode, 1, p.err)
        p = self.ctl("prove", "--inclusion", "999999")
        self.assertEqual(p.returncode, 1, p.err)
        p = self.ctl("prove", "--inclusion", "no/such.docx")
        self.assertEqual(p.returncode, 1, p.err)


if __name__ == "__main__":
    h.main()
