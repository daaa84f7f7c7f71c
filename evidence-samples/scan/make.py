#!/usr/bin/python3
"""Regenerate evidence-samples/scan/ from evidence-samples/complete/.

    evidence-samples/scan/make.py        # about a minute

The business licence, the three staff certificates, the service contracts
and the acceptance reports become scans: each document is printed to PDF by
LibreOffice, rasterised by pdftoppm at 150 dpi, signed (a pen stroke) and
sealed (a red round seal naming the organisation, over the signature),
skewed, given grey paper, noise and dust by evidence-samples/gen/scan.py,
and saved as a PNG (licence), a JPEG (certificates) or an image-only PDF
(contracts, acceptance reports). Every other file is copied. expected.json
is complete/expected.json with the scanned documents renamed, their format
and producer changed and a converted_from object added.

Needs Debian's python3-pil, LibreOffice (libreoffice-writer-nogui),
poppler-utils and fonts-noto-cjk, fonts-wqy-zenhei, fonts-wqy-microhei.
Output is reproducible.
"""
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "complete")
sys.path.insert(0, os.path.join(HERE, "..", "gen"))

import scan  # noqa: E402

DPI = 150
SCALE = DPI / 72.0

# Who seals what (the issuers are in the documents' own text).
ISSUERS = {
    "01": "上海市浦东新区市场监督管理局",
    "08": "中国网络安全审查技术与认证中心",
    "09": "中国网络安全审查技术与认证中心",
    "10": "中国信息安全测评中心",
}
# The requirements whose evidence is only on scans, and those scans: a
# reader should say "read from a scan" for them.
FROM_SCANS = {
    "legal.entity": ["01"],
    "staff.technical-director": ["08", "09"],
    "staff.engineers": ["08", "09", "10"],
    "record.duration": ["11", "13", "15"],
    "record.projects": ["13", "14", "15", "16"],
}
SKEW = {"01": 0.7, "08": -1.1, "09": 1.3, "10": -0.6, "11": 0.5, "12": -0.8,
        "13": 1.0, "14": -1.4, "15": 0.6, "16": 1.2}


def words(pdf):
    """(text, x0, y0, x1, y1) in pixels of every word pdftotext finds on page 1."""
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", pdf, "-"],
                         check=True, capture_output=True, text=True).stdout
    found = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                         r'yMax="([\d.]+)">([^<]*)</word>', out):
        x0, y0, x1, y1 = (float(m.group(i)) * SCALE for i in range(1, 5))
        found.append((m.group(5), x0, y0, x1, y1))
    return found


def last(ws, pattern):
    hits = [w for w in ws if re.search(pattern, w[0])]
    if not hits:
        raise SystemExit(f"make.py: no word matching {pattern}")
    return hits[-1]


def stamp(page, name, centre, rng, below="合同专用章"):
    d = int(42 / 25.4 * DPI)  # a 42 mm seal
    return scan.press_seal(page, scan.seal(name, d, rng, below=below), centre, rng)


def sign_after(page, word, rng):
    """A pen stroke where the signature goes, after a label such as 授权代表（签字）："""
    _, x0, y0, x1, y1 = word
    h = y1 - y0
    scan.signature(page, (x1 + h, y0 - h * 0.6, x1 + h * 6, y1 + h * 0.3), rng)


def scanned(number, base, tmp, doc_fields):
    rng = scan.rng_for(base)
    src = os.path.join(tmp, base)
    shutil.copy(os.path.join(SRC, base), src)
    pdf = scan.pdf_from_document(src, tmp)
    page = scan.rasterise(pdf, DPI, tmp, 1, 1)[0]
    ws = words(pdf)
    if number == "01":
        w = last(ws, "登记机关")
        page = stamp(page, ISSUERS[number], (w[3] - (w[3] - w[1]) * 0.2, w[4]), rng, below="")
    elif number in ("08", "09", "10"):
        # Over the issuer's name and the closing sentence, clear of the dates.
        w = last(ws, ISSUERS[number])
        d = 42 / 25.4 * DPI
        page = stamp(page, ISSUERS[number], ((w[1] + w[3]) / 2, w[2] + d * 0.6), rng, below="")
    elif "合同" in base:
        for party, label in (("party_a", "甲方（盖章）"), ("party_b", "乙方（盖章）")):
            w = last(ws, label)
            sign_after(page, last([x for x in ws if x[1] < w[3] and x[3] > w[1]], "授权代表"), rng)
            page = stamp(page, doc_fields[party], (w[3] - (w[3] - w[1]) * 0.3, w[2] - (w[4] - w[2])), rng)
    else:
        for party, label in (("party_a", "甲方验收组长"), ("party_b", "乙方项目经理")):
            w = last(ws, label)
            sign_after(page, w, rng)
            page = stamp(page, doc_fields[party], (w[3] + (w[4] - w[2]) * 3, w[2] - (w[4] - w[2]) / 2), rng, below="")
    page = scan.scanner(page, rng, SKEW[number], noise=6, dust=30)
    stem = os.path.splitext(base)[0]
    if number == "01":
        out, fmt = stem + ".png", "png"
        scan.save_png(page, os.path.join(HERE, out), DPI)
    elif number in ("08", "09", "10"):
        out, fmt = stem + ".jpg", "jpeg"
        scan.save_jpeg(page, os.path.join(HERE, out), quality=55, dpi=DPI)
    else:
        out, fmt = stem + ".pdf", "pdf"
        scan.save_image_pdf([page], os.path.join(HERE, out), DPI, quality=45)
    return out, fmt


def main():
    exp = json.load(open(os.path.join(SRC, "expected.json"), encoding="utf-8"))
    for name in os.listdir(HERE):
        if re.match(r"\d\d-", name):
            os.remove(os.path.join(HERE, name))
    docs = {}
    with scan.Workdir() as tmp:
        for base in sorted(os.listdir(SRC)):
            if not re.match(r"\d\d-", base):
                continue
            number = base[:2]
            d = exp["documents"][base]
            if number in SKEW:
                out, fmt = scanned(number, base, tmp, d["fields"])
                d = dict(d, converted_from={"file": base, "format": d["format"],
                                            "producer": d["producer"]},
                         format=fmt, producer="scan")
                docs[out] = d
            else:
                shutil.copy(os.path.join(SRC, base), os.path.join(HERE, base))
                docs[base] = d
    exp["documents"] = dict(sorted(docs.items()))
    for rid, numbers in FROM_SCANS.items():
        exp["requirements"][rid]["read_from_scans"] = [n for n in exp["documents"]
                                                      if n[:2] in numbers]
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(exp, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"make.py: {len(docs)} documents in {HERE}")


if __name__ == "__main__":
    main()
