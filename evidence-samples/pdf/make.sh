#!/bin/sh
# Regenerate evidence-samples/pdf/ from evidence-samples/complete/:
# the service contracts (合同-HT-*) and acceptance reports (验收报告-*)
# become PDF exports made by LibreOffice; every other file is copied.
# expected.json is complete/expected.json with those documents renamed to
# .pdf and their format set to "pdf".
#
# Needs: soffice (apt-get install -y libreoffice-writer-nogui
# fonts-wqy-zenhei fonts-wqy-microhei) and /usr/bin/python3.
#
# The output is reproducible: LibreOffice's per-run values (CreationDate,
# /ID, /DocChecksum) are overwritten in place with fixed values of the same
# length, so no byte offset (xref) changes.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/../complete
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export TZ=UTC LC_ALL=C.UTF-8

# Remove what a previous run wrote (the numbered documents and expected.json).
find "$HERE" -maxdepth 1 -type f -name '[0-9][0-9]-*' -delete
rm -f "$HERE/expected.json"

for f in "$SRC"/[0-9][0-9]-*; do
    base=$(basename "$f")
    case "$base" in
        *-合同-HT-*|*-验收报告-*)
            cp "$f" "$TMP/$base"
            soffice -env:UserInstallation="file://$TMP/profile" --headless \
                --convert-to pdf --outdir "$TMP/out" "$TMP/$base" >/dev/null 2>&1
            pdf="$TMP/out/${base%.*}.pdf"
            test -s "$pdf" || { echo "make.sh: soffice did not convert $base" >&2; exit 1; }
            /usr/bin/python3 - "$pdf" "$f" "$HERE/$(basename "$pdf")" <<'PY'
import hashlib, re, sys
pdf, source, out = sys.argv[1:]
data = open(pdf, "rb").read()
ident = hashlib.md5(open(source, "rb").read()).hexdigest().upper().encode()
def same(new):
    return lambda m: new if len(new) == len(m.group(0)) else sys.exit("length changed")
# LibreOffice writes D:YYYYMMDDHHMMSSZ' under TZ=UTC; use the generator's fixed time.
data, n = re.subn(rb"/CreationDate\(D:\d{14}Z'\)", same(b"/CreationDate(D:20261120090000Z')"), data)
assert n == 1, "CreationDate"
data, n = re.subn(rb"/ID \[ <[0-9A-F]{32}>\n<[0-9A-F]{32}> \]",
                  same(b"/ID [ <" + ident + b">\n<" + ident + b"> ]"), data)
assert n == 1, "ID"
data, n = re.subn(rb"/DocChecksum /[0-9A-F]{32}", same(b"/DocChecksum /" + ident), data)
assert n == 1, "DocChecksum"
open(out, "wb").write(data)
PY
            ;;
        *)
            cp "$f" "$HERE/$base"
            ;;
    esac
done

/usr/bin/python3 - "$SRC/expected.json" "$HERE/expected.json" <<'PY'
import json, re, sys
src, out = sys.argv[1:]
exp = json.load(open(src, encoding="utf-8"))
docs = {}
for name, d in exp["documents"].items():
    if re.search(r"-合同-HT-|-验收报告-", name):
        d = dict(d)
        d["converted_from"] = {"file": name, "format": d["format"], "producer": d["producer"]}
        d["format"] = "pdf"
        d["producer"] = "lo-pdf"
        name = name.rsplit(".", 1)[0] + ".pdf"
    docs[name] = d
exp["documents"] = dict(sorted(docs.items()))
with open(out, "w", encoding="utf-8") as f:
    json.dump(exp, f, ensure_ascii=False, indent=2)
    f.write("\n")
PY
echo "make.sh: $(ls "$HERE" | grep -c '^[0-9][0-9]-') documents in $HERE"
