#!/usr/bin/python3
"""Write the synthetic test PDFs of tests/data/pdf (called by ../make.sh).

    pdfgen.py lo-normalise IN.pdf SOURCE OUT.pdf   fix LibreOffice's per-run values
    pdfgen.py itext OUT.pdf                         non-embedded STSong-Light, UniGB-UCS2-H
    pdfgen.py wps-text                              the characters wps needs in FONT.ttf
    pdfgen.py wps FONT.ttf OUT.pdf                  embedded TrueType CID font + ToUnicode
    pdfgen.py scan IMAGE.pgm OUT.pdf                one page holding only a grey image
    pdfgen.py pages OUT.pdf                         10,000 pages sharing one content stream
    pdfgen.py flate-bomb OUT.pdf                    content stream inflating to 1 GiB
    pdfgen.py ref-loop OUT.pdf                      reference cycles
    pdfgen.py deep-nesting OUT.pdf                  arrays nested 100,000 deep
    pdfgen.py garbage OUT.pdf                       %PDF-1.7 then random bytes
    pdfgen.py xref-lies OUT.pdf                     xref offsets that point to wrong places
    pdfgen.py truncate IN.pdf OUT.pdf               the first half of IN
    pdfgen.py append-update IN.pdf OUT.pdf          incremental update after signing
    pdfgen.py tamper IN.pdf OUT.pdf                 change one byte inside the signed range

Standard library only; every output is byte-for-byte reproducible.
"""
import hashlib
import random
import re
import sys
import zlib

FIXED_DATE = b"D:20260305100000+08'00'"


class Writer:
    """A minimal PDF writer: numbered objects, a classic xref, a trailer."""

    def __init__(self, version=b"1.7"):
        self.out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
        self.offsets = {}

    def obj(self, num, body):
        self.offsets[num] = len(self.out)
        self.out += b"%d 0 obj\n" % num + body + b"\nendobj\n"

    def stream(self, num, data, extra=b"", compress=True):
        if compress:
            data = zlib.compress(data, 9)
            extra = b"/Filter/FlateDecode" + extra
        self.obj(num, b"<</Length %d%s>>\nstream\n" % (len(data), extra) + data + b"\nendstream")

    def finish(self, root, info=None, ident=None, offsets=None):
        offsets = offsets or self.offsets
        size = max(offsets) + 1
        xref = len(self.out)
        self.out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for n in range(1, size):
            if n in offsets:
                self.out += b"%010d 00000 n \n" % offsets[n]
            else:
                self.out += b"0000000000 65535 f \n"
        ident = ident or hashlib.md5(bytes(self.out)).hexdigest().encode()
        self.out += b"trailer\n<</Size %d/Root %d 0 R" % (size, root)
        if info:
            self.out += b"/Info %d 0 R" % info
        self.out += b"/ID [<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n" % (ident, ident, xref)
        return bytes(self.out)


def pdf_text(s):
    """A text string as UTF-16BE with BOM, in hex."""
    return b"<FEFF" + s.encode("utf-16-be").hex().upper().encode() + b">"


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


# ---- LibreOffice exports ------------------------------------------------------------------

def lo_normalise(src, source, out):
    """Overwrite CreationDate, /ID and /DocChecksum with same-length fixed values."""
    data = open(src, "rb").read()
    ident = hashlib.md5(open(source, "rb").read()).hexdigest().upper().encode()

    def same(new):
        def f(m):
            assert len(new) == len(m.group(0))
            return new
        return f
    data, n = re.subn(rb"/CreationDate\(D:\d{14}Z'\)", same(b"/CreationDate(D:20261120090000Z')"), data)
    assert n == 1, "CreationDate"
    data, n = re.subn(rb"/ID \[ <[0-9A-F]{32}>\n<[0-9A-F]{32}> \]",
                      same(b"/ID [ <" + ident + b">\n<" + ident + b"> ]"), data)
    assert n == 1, "ID"
    data, n = re.subn(rb"/DocChecksum /[0-9A-F]{32}", same(b"/DocChecksum /" + ident), data)
    assert n == 1, "DocChecksum"
    write(out, data)


# ---- iText style: non-embedded STSong-Light with UniGB-UCS2-H ------------------------------

ITEXT_LINES = [
    (18, "技术服务合同"),
    (12, "合同编号：HT-2026-018"),
    (12, "签订日期：2026年3月5日"),
    (12, "甲方（委托方）：华东电力信息有限公司"),
    (12, "乙方（受托方）：青云网安技术有限公司"),
    (12, "合同金额：人民币壹佰贰拾万元整"),
    (12, "服务期限：2026年4月1日至2026年9月30日"),
]

# iText 5's widths for STSong-Light (CIDs 1-95, the proportional Latin range).
STSONG_W = (b"[1[207 270 342 467 462 797 710 239 374 374 423 605 238 375 238 334 462 462 462 "
            b"462 462 462 462 462 462 462 238 238 605 605 605 344 748 684 560 695 739 563 511 "
            b"729 793 318 312 666 526 896 758 772 544 772 628 465 607 753 711 972 647 620 607 "
            b"374 333 374 606 500 239 417 503 427 529 415 264 444 518 241 230 495 228 793 527 "
            b"524 524 504 338 336 277 517 450 652 466 452 407 370 258 370 605]]")


def itext(out):
    w = Writer(b"1.4")
    content = bytearray()
    y = 780
    for size, line in ITEXT_LINES:
        # iText writes each string in the CMap's code space: UCS-2 big-endian.
        content += b"BT\n/F1 %d Tf\n1 0 0 1 72 %d Tm\n<%s> Tj\nET\n" % (
            size, y, line.encode("utf-16-be").hex().upper().encode())
        y -= size * 2
    w.stream(4, bytes(content))
    w.obj(5, b"<</BaseFont/STSong-Light-UniGB-UCS2-H/Type/Font/Encoding/UniGB-UCS2-H"
             b"/Subtype/Type0/DescendantFonts[6 0 R]>>")
    w.obj(6, b"<</BaseFont/STSong-Light/Type/Font/Subtype/CIDFontType0/FontDescriptor 7 0 R"
             b"/W " + STSONG_W + b"/DW 1000"
             b"/CIDSystemInfo<</Supplement 4/Registry(Adobe)/Ordering(GB1)>>>>")
    w.obj(7, b"<</Type/FontDescriptor/FontName/STSong-Light/Flags 6/FontBBox[-25 -254 1000 880]"
             b"/ItalicAngle 0/Ascent 880/Descent -120/CapHeight 880/StemV 93"
             b"/Style<</Panose<000000000400000000>>>>>")
    w.obj(3, b"<</Type/Page/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>"
             b"/Contents 4 0 R/Parent 2 0 R>>")
    w.obj(2, b"<</Type/Pages/Count 1/Kids[3 0 R]>>")
    w.obj(1, b"<</Type/Catalog/Pages 2 0 R>>")
    w.obj(8, b"<</Producer(iText\xae 5.5.13.3 \xa92000-2022 iText Group NV \\(AGPL-version\\))"
             b"/CreationDate(" + FIXED_DATE + b")/ModDate(" + FIXED_DATE + b")>>")
    write(out, w.finish(1, 8))


# ---- WPS style: embedded TrueType subset as a CID font, Identity-H, ToUnicode ---------------

WPS_LINES = [
    (18, "项目验收报告"),
    (12, "报告编号：YS-2026-018"),
    (12, "合同编号：HT-2026-018"),
    (12, "验收日期：2026年10月12日"),
    (12, "验收结论：验收合格，同意验收。"),
]


def _ttf_tables(font):
    num = int.from_bytes(font[4:6], "big")
    tables = {}
    for i in range(num):
        rec = font[12 + 16 * i: 28 + 16 * i]
        tables[rec[:4].decode("latin-1")] = (int.from_bytes(rec[8:12], "big"),
                                             int.from_bytes(rec[12:16], "big"))
    return tables


def _cmap_lookup(font, tables):
    """Unicode -> glyph id from a format 4 cmap subtable (3,1)."""
    off, _ = tables["cmap"]
    n = int.from_bytes(font[off + 2:off + 4], "big")
    sub = None
    for i in range(n):
        p = off + 4 + 8 * i
        pid, eid = int.from_bytes(font[p:p + 2], "big"), int.from_bytes(font[p + 2:p + 4], "big")
        if (pid, eid) == (3, 1):
            sub = off + int.from_bytes(font[p + 4:p + 8], "big")
    assert sub is not None and int.from_bytes(font[sub:sub + 2], "big") == 4
    segx2 = int.from_bytes(font[sub + 6:sub + 8], "big")
    ends = sub + 14
    starts = ends + segx2 + 2
    deltas = starts + segx2
    ranges = deltas + segx2
    u16 = lambda p: int.from_bytes(font[p:p + 2], "big")

    def gid(ch):
        c = ord(ch)
        for i in range(segx2 // 2):
            if c <= u16(ends + 2 * i):
                if c < u16(starts + 2 * i):
                    return 0
                ro = u16(ranges + 2 * i)
                if ro == 0:
                    return (c + u16(deltas + 2 * i)) & 0xFFFF
                g = u16(ranges + 2 * i + ro + 2 * (c - u16(starts + 2 * i)))
                return (g + u16(deltas + 2 * i)) & 0xFFFF if g else 0
        return 0
    return gid


def _advance(font, tables, g):
    hhea, _ = tables["hhea"]
    hmtx, _ = tables["hmtx"]
    head, _ = tables["head"]
    upem = int.from_bytes(font[head + 18:head + 20], "big")
    nmetrics = int.from_bytes(font[hhea + 34:hhea + 36], "big")
    i = min(g, nmetrics - 1)
    return int.from_bytes(font[hmtx + 4 * i:hmtx + 4 * i + 2], "big") * 1000 // upem


def wps(fontfile, out):
    """fontfile: a TrueType subset (pyftsubset --retain-gids) holding the glyphs used."""
    font = open(fontfile, "rb").read()
    tables = _ttf_tables(font)
    gid = _cmap_lookup(font, tables)
    used = {}
    content = bytearray()
    y = 780
    for size, line in WPS_LINES:
        codes = bytearray()
        for ch in line:
            g = gid(ch)
            assert g, "glyph missing for %r" % ch
            used[g] = ch
            codes += g.to_bytes(2, "big")
        content += b"BT\n/F1 %d Tf\n1 0 0 1 72 %d Tm\n<%s> Tj\nET\n" % (size, y, codes.hex().upper().encode())
        y -= size * 2
    widths = b" ".join(b"%d[%d]" % (g, _advance(font, tables, g)) for g in sorted(used))
    tounicode = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                 b"/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def\n"
                 b"/CMapName/Adobe-Identity-UCS def\n/CMapType 2 def\n"
                 b"1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n"
                 b"%d beginbfchar\n" % len(used) +
                 b"".join(b"<%04X><%s>\n" % (g, used[g].encode("utf-16-be").hex().upper().encode())
                          for g in sorted(used)) +
                 b"endbfchar\nendcmap\nCMapName currentdict/CMap defineresource pop\nend\nend\n")
    w = Writer(b"1.7")
    w.obj(1, b"<</Type/Catalog/Pages 2 0 R>>")
    w.obj(2, b"<</Type/Pages/Count 1/Kids[3 0 R]>>")
    w.obj(3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595.3 841.9]"
             b"/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>")
    w.stream(4, bytes(content))
    w.obj(5, b"<</Type/Font/Subtype/Type0/BaseFont/ABCDEE+WenQuanYi-Micro-Hei/Encoding/Identity-H"
             b"/DescendantFonts[6 0 R]/ToUnicode 9 0 R>>")
    w.obj(6, b"<</Type/Font/Subtype/CIDFontType2/BaseFont/ABCDEE+WenQuanYi-Micro-Hei"
             b"/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>"
             b"/FontDescriptor 7 0 R/CIDToGIDMap/Identity/DW 1000/W[" + widths + b"]>>")
    w.obj(7, b"<</Type/FontDescriptor/FontName/ABCDEE+WenQuanYi-Micro-Hei/Flags 32"
             b"/FontBBox[-59 -229 1013 921]/ItalicAngle 0/Ascent 921/Descent -229"
             b"/CapHeight 800/StemV 80/FontFile2 8 0 R>>")
    w.stream(8, font, b"/Length1 %d" % len(font))
    w.stream(9, tounicode)
    w.obj(10, b"<</Creator " + pdf_text("WPS 文字") + b"/Producer(WPS Office)"
              b"/CreationDate(" + FIXED_DATE + b")/ModDate(" + FIXED_DATE + b")"
              b"/Title " + pdf_text("项目验收报告") + b">>")
    write(out, w.finish(1, 10))


# ---- a scanned page -------------------------------------------------------------------------

def scan(pgm, out):
    raw = open(pgm, "rb").read()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", raw)
    width, height, maxval = map(int, m.groups())
    assert maxval == 255
    pixels = raw[m.end():]
    assert len(pixels) == width * height
    pw, ph = 595, 842
    scale = pw / width
    w = Writer(b"1.4")
    w.obj(1, b"<</Type/Catalog/Pages 2 0 R>>")
    w.obj(2, b"<</Type/Pages/Count 1/Kids[3 0 R]>>")
    w.obj(3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 %d %d]"
             b"/Resources<</XObject<</Im0 5 0 R>>>>/Contents 4 0 R>>" % (pw, ph))
    w.stream(4, b"q %.2f 0 0 %.2f 0 %.2f cm /Im0 Do Q\n" % (pw, height * scale, ph - height * scale))
    w.stream(5, pixels, b"/Type/XObject/Subtype/Image/Width %d/Height %d"
                        b"/ColorSpace/DeviceGray/BitsPerComponent 8" % (width, height))
    w.obj(6, b"<</Producer(evidenced tests/data/pdf pdfgen.py)/Creator(scanner emulation)"
             b"/CreationDate(" + FIXED_DATE + b")>>")
    write(out, w.finish(1, 6))


# ---- 10,000 pages ----------------------------------------------------------------------------

def pages(out, count=10000, fanout=100):
    w = Writer(b"1.7")
    w.obj(1, b"<</Type/Catalog/Pages 2 0 R>>")
    nodes = count // fanout
    first_node, first_page = 10, 10 + nodes
    w.obj(2, b"<</Type/Pages/Count %d/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Kids[%s]>>"
          % (count, b" ".join(b"%d 0 R" % (first_node + i) for i in range(nodes))))
    w.stream(3, b"BT /F1 24 Tf 72 760 Td (One of 10000 pages sharing this content stream) Tj ET\n",
             compress=False)
    w.obj(4, b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>")
    w.obj(5, b"<</Producer(evidenced tests/data/pdf pdfgen.py)/CreationDate(" + FIXED_DATE + b")>>")
    for i in range(nodes):
        kids = b" ".join(b"%d 0 R" % (first_page + i * fanout + j) for j in range(fanout))
        w.obj(first_node + i, b"<</Type/Pages/Parent 2 0 R/Count %d/Kids[%s]>>" % (fanout, kids))
    for p in range(count):
        w.obj(first_page + p, b"<</Type/Page/Parent %d 0 R/Contents 3 0 R>>" % (first_node + p // fanout))
    write(out, w.finish(1, 5))


# ---- hostile files ---------------------------------------------------------------------------

def flate_bomb(out, gib=1):
    """A page content stream of 1 GiB of NUL bytes (PDF whitespace), Flate-encoded twice:
    the inner layer inflates 1 MiB -> 1 GiB, the outer one a few KB -> 1 MiB."""
    inner = zlib.compressobj(9)
    outer = zlib.compressobj(9)
    body = bytearray()
    chunk = bytes(1 << 20)
    for _ in range(1024 * gib):
        body += outer.compress(inner.compress(chunk))
    body += outer.compress(inner.flush())
    body += outer.flush()
    w = Writer(b"1.7")
    w.obj(1, b"<</Type/Catalog/Pages 2 0 R>>")
    w.obj(2, b"<</Type/Pages/Count 1/Kids[3 0 R]>>")
    w.obj(3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<<>>/Contents 4 0 R>>")
    w.stream(4, bytes(body), b"/Filter[/FlateDecode/FlateDecode]", compress=False)
    write(out, w.finish(1))


def ref_loop(out):
    """Pages tree whose Kids lead back to the root; a stream whose /Length is a reference to
    the stream object itself; a /Length through a two-object reference cycle; Info that points
    to itself."""
    w = Writer(b"1.7")
    w.obj(1, b"<</Type/Catalog/Pages 2 0 R>>")
    w.obj(2, b"<</Type/Pages/Count 2/Kids[3 0 R 4 0 R]>>")
    w.obj(3, b"<</Type/Pages/Parent 2 0 R/Count 1/Kids[2 0 R 3 0 R]>>")  # back to the root, and itself
    w.obj(4, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 9 0 R>>>>"
             b"/Contents[5 0 R 6 0 R]>>")
    text = b"BT /F1 12 Tf 72 760 Td (ref-loop: Length is 5 0 R) Tj ET\n"
    w.obj(5, b"<</Length 5 0 R>>\nstream\n" + text + b"\nendstream")
    text = b"BT /F1 12 Tf 72 740 Td (ref-loop: Length is 7 0 R -> 8 0 R -> 7 0 R) Tj ET\n"
    w.obj(6, b"<</Length 7 0 R>>\nstream\n" + text + b"\nendstream")
    w.obj(7, b"8 0 R")
    w.obj(8, b"7 0 R")
    w.obj(9, b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding 9 0 R>>")
    w.obj(10, b"<</Title(ref-loop)/Parent 10 0 R/Producer 11 0 R>>")
    w.obj(11, b"11 0 R")
    write(out, w.finish(1, 10))


def deep_nesting(out, depth=100000):
    """A content stream (Flate) whose one operand is an array nested `depth` deep, and an
    /Annots array nested `depth` deep in the file itself (uncompressed, 200 KB)."""
    nest = b"[" * depth + b"]" * depth
    w = Writer(b"1.7")
    w.obj(1, b"<</Type/Catalog/Pages 2 0 R>>")
    w.obj(2, b"<</Type/Pages/Count 1/Kids[3 0 R]>>")
    w.obj(3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 6 0 R>>>>"
             b"/Contents 4 0 R/Annots 5 0 R>>")
    w.stream(4, b"BT /F1 12 Tf 72 760 Td (deep nesting) Tj\n" + nest + b" TJ\nET\n")
    w.obj(5, nest)
    w.obj(6, b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>")
    write(out, w.finish(1))


def garbage(out, size=16384, seed=20260305):
    rnd = random.Random(seed)
    write(out, b"%PDF-1.7\n" + bytes(rnd.getrandbits(8) for _ in range(size)))


def xref_lies(out):
    """A correct one-page PDF whose xref table gives every object a wrong offset: shifted by
    17 bytes, two entries swapped, and startxref pointing at the real xref."""
    w = Writer(b"1.7")
    w.obj(1, b"<</Type/Catalog/Pages 2 0 R>>")
    w.obj(2, b"<</Type/Pages/Count 1/Kids[3 0 R]>>")
    w.obj(3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>"
             b"/Contents 4 0 R>>")
    w.stream(4, b"BT /F1 14 Tf 72 760 Td (xref-lies: the xref offsets are wrong) Tj ET\n"
                b"BT /F1 14 Tf 72 730 Td (Contract HT-2026-018 signed 2026-03-05) Tj ET\n", compress=False)
    w.obj(5, b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>")
    w.obj(6, b"<</Title(xref-lies)/Producer(evidenced tests/data/pdf pdfgen.py)>>")
    lies = {n: off + 17 for n, off in w.offsets.items()}
    lies[1], lies[4] = w.offsets[4], w.offsets[1]
    write(out, w.finish(1, 6, offsets=lies))


def truncate(src, out):
    data = open(src, "rb").read()
    write(out, data[:len(data) // 2])


# ---- signed files ------------------------------------------------------------------------------

def _last_trailer(data):
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    tail = data[startxref:]
    if tail.startswith(b"xref"):
        d = re.search(rb"trailer\s*<<(.*?)>>\s*startxref", tail, re.S).group(1)
    else:  # an xref stream
        d = re.search(rb"\d+ \d+ obj\s*<<(.*?)>>\s*stream", tail, re.S).group(1)
    get = lambda k: re.search(rb"/" + k + rb"\s*(\d+ \d+ R|\d+)", d).group(1)
    ident = None
    m = re.search(rb"/ID\s*\[\s*", data[startxref:])
    if m:  # two strings, hex or literal (poppler writes binary literal strings)
        pos, ident = startxref + m.end(), []
        for _ in range(2):
            end = _string_end(data, pos)
            ident.append(data[pos:end])
            pos = end + len(data[end:]) - len(data[end:].lstrip())
        ident = b"".join(ident)
    return startxref, int(get(b"Size")), get(b"Root"), get(b"Info"), ident


def _string_end(data, pos):
    """The offset after the PDF string (hex or literal) that starts at pos."""
    if data[pos:pos + 1] == b"<":
        return data.index(b">", pos) + 1
    assert data[pos:pos + 1] == b"("
    depth, i = 0, pos
    while True:
        c = data[i:i + 1]
        if c == b"\\":
            i += 2
            continue
        if c == b"(":
            depth += 1
        elif c == b")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1


def append_update(src, out):
    """Append an incremental update (a new Info dictionary, xref section, trailer with /Prev)
    after the signature: the signature then covers only the first revision."""
    data = open(src, "rb").read()
    prev, size, root, info, ident = _last_trailer(data)
    if not data.endswith(b"\n"):
        data += b"\n"
    num = size
    off = len(data)
    body = (b"%d 0 obj\n<</Title " % num + pdf_text("技术服务合同（签署后修改）") +
            b"/Producer(evidenced tests/data/pdf pdfgen.py)/ModDate(D:20260306090000+08'00')>>\nendobj\n")
    xref = off + len(body)
    trailer = b"<</Size %d/Root %s/Info %d 0 R/Prev %d" % (num + 1, root, num, prev)
    if ident:
        trailer += b"/ID [" + ident + b"]"
    trailer += b">>"
    data += body + b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (num, off)
    data += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    write(out, data)


def tamper(src, out):
    """Change one hex digit of the /Title of LibreOffice's Info dictionary (inside the first
    signed byte range): the last character 同 (U+540C) becomes U+5401 (吁)."""
    data = bytearray(open(src, "rb").read())
    br = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    a, b = int(br.group(1)), int(br.group(2))
    info = _last_trailer(bytes(data))[3].split()[0]
    obj = re.search(rb"(?m)^" + info + rb" 0 obj\s*<<", data)
    m = re.compile(rb"/Title<FEFF([0-9A-F]+)>").search(data, obj.end())
    assert m and a <= m.start() and m.end() <= a + b, "Title not in the first signed range"
    pos = m.end() - 2  # last hex digit of the last character
    data[pos] = ord("1") if data[pos] != ord("1") else ord("2")
    write(out, bytes(data))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    funcs = {"lo-normalise": lo_normalise, "itext": itext, "wps": wps, "scan": scan,
             "pages": pages, "flate-bomb": flate_bomb, "ref-loop": ref_loop,
             "deep-nesting": deep_nesting, "garbage": garbage, "xref-lies": xref_lies,
             "wps-text": lambda: print("".join(sorted(set("".join(l for _, l in WPS_LINES))))),
             "truncate": truncate, "append-update": append_update, "tamper": tamper}
    funcs[cmd](*args)


if __name__ == "__main__":
    main()
