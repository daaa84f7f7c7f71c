#!/usr/bin/python3
"""Write the scan fixtures of tests/data/scan (see README.md).

    tests/data/scan/make.py            # every file, about a minute

Needs Debian's python3-pil, LibreOffice (soffice, libreoffice-writer-nogui),
poppler-utils (pdftoppm) and fonts-noto-cjk. The pages are HTML written
here, converted to PDF by LibreOffice, rasterised by pdftoppm, then given a
seal, skew, noise and a file format by evidence-samples/gen/scan.py. The
hostile files are written byte by byte. Output is reproducible.
"""
import io
import os
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "evidence-samples", "gen"))

import scan  # noqa: E402
import spell  # noqa: E402

from PIL import Image  # noqa: E402

CREDIT_CODE = spell.credit_code("91310115MA1K4R7T2")
COMPANY = "星河数安科技有限公司"
CLIENT = "江南水务集团有限公司"
CONTRACT_NO = "XH-AQ-2026-0107"
DPI = 200

STYLE = """<style>
body { font-family: 'WenQuanYi Zen Hei'; font-size: 13pt; }
h1 { font-size: 22pt; text-align: center; }
h2 { font-size: 15pt; text-align: center; font-weight: normal; }
td { font-size: 13pt; padding: 4pt 8pt; vertical-align: top; }
p { line-height: 150%; }
</style>"""


def page(body):
    return f"<html lang='zh-CN'><head><meta charset='utf-8'>{STYLE}</head><body>{body}</body></html>"


def table(rows, label_width="28%"):
    cells = "".join(f"<tr><td width='{label_width}'>{k}</td><td>{v}</td></tr>" for k, v in rows)
    return f"<table width='100%'>{cells}</table>"


LICENCE = page(f"""
<h1>营 业 执 照</h1>
<h2>（副　本）</h2>
<p>统一社会信用代码：{CREDIT_CODE}</p>
{table([
    ("名　　称", COMPANY),
    ("类　　型", "有限责任公司（自然人投资或控股）"),
    ("法定代表人", "陈明远"),
    ("注册资本", "人民币伍佰万元整"),
    ("成立日期", "2019年04月16日"),
    ("营业期限", "2019年04月16日至2049年04月15日"),
    ("住　　所", "上海市浦东新区张江路1088号3幢502室"),
    ("经营范围", "信息安全技术服务；网络安全风险评估；信息系统安全运维；"
                 "计算机软件开发；技术咨询。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"),
])}
<p>&nbsp;</p>
<p style="text-align:right">登记机关</p>
<p style="text-align:right">2026年03月02日</p>
""")

CISP = page("""
<h1>注册信息安全专业人员</h1>
<h2>Certified Information Security Professional</h2>
<p>&nbsp;</p>
""" + table([
    ("姓　　名", "周立群"),
    ("证书编号", "CNITSEC2024CISP01873"),
    ("注册类别", "CISE 注册信息安全工程师"),
    ("发证日期", "2024年06月20日"),
    ("有效期至", "2027年06月19日"),
]) + """
<p>&nbsp;</p>
<p>经审核，该同志符合注册信息安全专业人员的资质要求，特发此证。</p>
<p style="text-align:right">中国信息安全测评中心</p>
""")

CONTRACT_LAST = page(f"""
<p>第十二条　本合同一式肆份，甲乙双方各执贰份，具有同等法律效力。</p>
<p>第十三条　本合同自双方签字盖章之日起生效，有效期至2027年03月17日。</p>
<p>合同编号：{CONTRACT_NO}</p>
<p>合同金额：人民币叁拾捌万陆仟元整（¥386,000.00）</p>
<p>（以下无正文）</p>
<p>&nbsp;</p>
<table width="100%"><tr>
<td width="50%">甲方（盖章）：{CLIENT}<br>法定代表人或授权代表：<br><br><br>签订日期：2026年03月18日</td>
<td width="50%">乙方（盖章）：{COMPANY}<br>法定代表人或授权代表：<br><br><br>签订日期：2026年03月18日</td>
</tr></table>
""")

ACCEPTANCE = page(f"""
<h1>项目验收报告</h1>
{table([
    ("项目名称", "江南水务生产网安全运维服务项目"),
    ("合同编号", CONTRACT_NO),
    ("委托单位", CLIENT),
    ("服务单位", COMPANY),
    ("服务期限", "2026年03月18日至2027年03月17日"),
    ("验收日期", "二〇二六年十月二十日"),
])}
<p>验收内容：安全巡检记录、漏洞扫描报告、应急演练记录、月度运维报告共计十二份，均已按合同约定提交。</p>
<p>验收结论：经验收小组审查，乙方已按合同要求完成安全运维服务，服务质量符合约定，同意通过验收。</p>
<p>&nbsp;</p>
<p style="text-align:right">委托单位（盖章）：{CLIENT}</p>
<p style="text-align:right">日期：2026年10月20日</p>
""")

LEASE_1 = page(f"""
<h1>房屋租赁合同</h1>
<p>合同编号：ZL-2025-0316</p>
{table([
    ("出租方（甲方）", "上海张江科技园发展有限公司"),
    ("承租方（乙方）", COMPANY),
])}
<p>第一条　租赁房屋：甲方将坐落于上海市浦东新区张江路1088号3幢502室的房屋出租给乙方作为办公用房，建筑面积326.5平方米。</p>
<p>第二条　租赁期限：自2025年01月01日起至2027年12月31日止，共三年。</p>
<p>第三条　租金：每月人民币肆万贰仟元整（¥42,000.00），按季度支付，每季度首月10日前付清。</p>
<p>第四条　押金：乙方于本合同签订之日向甲方支付押金人民币捌万肆仟元整。</p>
""")

LEASE_2 = page(f"""
<p>第五条　甲方保证房屋符合办公用途的安全要求，负责房屋主体结构的维修。</p>
<p>第六条　乙方不得擅自转租，不得改变房屋用途。</p>
<p>第七条　本合同一式两份，甲乙双方各执一份。</p>
<p>&nbsp;</p>
<table width="100%"><tr>
<td width="50%">出租方（盖章）：<br>上海张江科技园发展有限公司<br><br>日期：2024年12月20日</td>
<td width="50%">承租方（盖章）：<br>{COMPANY}<br><br>日期：2024年12月20日</td>
</tr></table>
""")


def rendered(html, tmp, top=0.0, bottom=1.0):
    pdf = scan.pdf_from_html(html, tmp)
    return scan.crop_height(scan.rasterise(pdf, DPI, tmp, 1, 1)[0], top, bottom)


def sealed(pg, name, where, rng, below="合同专用章", diameter=None):
    w, _ = pg.size
    d = diameter or int(w * 0.22)
    return scan.press_seal(pg, scan.seal(name, d, rng, below=below), where, rng)


def documents(tmp):
    rng = scan.rng_for("licence.png")
    pg = rendered(LICENCE, tmp, 0.0, 0.62)
    w, h = pg.size
    pg = sealed(pg, "上海市浦东新区市场监督管理局", (w * 0.78, h * 0.86), rng, below="")
    scan.save_png(scan.scanner(pg, rng, 0.8, noise=0), os.path.join(HERE, "licence.png"))

    rng = scan.rng_for("cert-cisp.jpg")
    pg = rendered(CISP, tmp, 0.0, 0.45)
    w, h = pg.size
    pg = sealed(pg, "中国信息安全测评中心", (w * 0.78, h * 0.85), rng, below="")
    scan.save_jpeg(scan.scanner(pg, rng, -1.2), os.path.join(HERE, "cert-cisp.jpg"))

    rng = scan.rng_for("contract-signed.tif")
    pg = rendered(CONTRACT_LAST, tmp, 0.0, 0.5)
    w, h = pg.size
    scan.signature(pg, (w * 0.33, h * 0.57, w * 0.47, h * 0.63), rng)
    scan.signature(pg, (w * 0.77, h * 0.57, w * 0.91, h * 0.63), rng)
    pg = sealed(pg, CLIENT, (w * 0.36, h * 0.64), rng)
    pg = sealed(pg, COMPANY, (w * 0.80, h * 0.64), rng)
    scan.save_tiff([scan.scanner(pg, rng, 0.6, noise=0)], os.path.join(HERE, "contract-signed.tif"))

    rng = scan.rng_for("acceptance.pdf")
    pg = rendered(ACCEPTANCE, tmp, 0.0, 0.6)
    w, h = pg.size
    pg = sealed(pg, CLIENT, (w * 0.72, h * 0.86), rng)
    scan.save_image_pdf([scan.scanner(pg, rng, -0.9)], os.path.join(HERE, "acceptance.pdf"), DPI)

    rng = scan.rng_for("lease-2pages.tif")
    p1 = scan.scanner(rendered(LEASE_1, tmp, 0.0, 0.55), rng, 1.4, noise=0)
    p2 = rendered(LEASE_2, tmp, 0.0, 0.4)
    w, h = p2.size
    p2 = sealed(p2, "上海张江科技园发展有限公司", (w * 0.30, h * 0.62), rng)
    p2 = sealed(p2, COMPANY, (w * 0.74, h * 0.62), rng)
    p2 = scan.scanner(p2, rng, 0.5, noise=0)
    scan.save_tiff([p1, p2], os.path.join(HERE, "lease-2pages.tif"))


# ---------------------------------------------------------------- hostile

def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def hostile():
    sig = b"\x89PNG\r\n\x1a\n"
    # A header claiming 60000x60000 RGB, then a few bytes of image data.
    ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)
    tiny = zlib.compress(b"\x00" * 1000, 9)
    with open(os.path.join(HERE, "huge-header.png"), "wb") as f:
        f.write(sig + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", tiny) + png_chunk(b"IEND", b""))

    # A complete, valid 20000x20000 1-bit image of zeros: 50 MB of rows
    # deflated to about 50 KB, 400 million pixels once decoded.
    w = h = 20000
    row = b"\x00" + b"\x00" * (w // 8)
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(row) for _ in range(h)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)
    with open(os.path.join(HERE, "bomb.png"), "wb") as f:
        f.write(sig + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b""))

    open(os.path.join(HERE, "empty.png"), "wb").close()

    with open(os.path.join(HERE, "text.jpg"), "w", encoding="utf-8") as f:
        f.write("这不是图片。This is a text file saved with a .jpg name.\n")

    # The CISP certificate cut after 40% of its bytes: SOI, tables and part
    # of the scan, no EOI.
    data = open(os.path.join(HERE, "cert-cisp.jpg"), "rb").read()
    with open(os.path.join(HERE, "truncated.jpg"), "wb") as f:
        f.write(data[: len(data) * 2 // 5])

    write_tiffs()

    # An image-only PDF whose page is 14400 x 14400 points (200 inches, the
    # largest PDF 1.7 allows): 40000 x 40000 pixels at 200 dpi.
    buf = io.BytesIO()
    Image.new("L", (8, 8), 255).save(buf, "JPEG", quality=50)
    img = buf.getvalue()
    content = b"q 14400 0 0 14400 0 0 cm /Im0 Do Q"
    scan.write_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] "
        b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(img) + img +
        b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ], os.path.join(HERE, "huge-mediabox.pdf"))


def tiff_ifd(entries, next_offset):
    """A little-endian IFD: entries are (tag, type, count, value)."""
    out = struct.pack("<H", len(entries))
    for tag, typ, count, value in sorted(entries):
        out += struct.pack("<HHII", tag, typ, count, value)
    return out + struct.pack("<I", next_offset)


def gray_1x1_entries(width, height, strip_at):
    SHORT, LONG = 3, 4
    return [(256, LONG, 1, width), (257, LONG, 1, height), (258, SHORT, 1, 8),
            (259, SHORT, 1, 1), (262, SHORT, 1, 1), (273, LONG, 1, strip_at),
            (277, SHORT, 1, 1), (278, LONG, 1, height), (279, LONG, 1, 1)]


def write_tiffs():
    # Header claiming 100000 x 100000 8-bit grey, one strip of one byte.
    strip_at = 8
    ifd_at = 10
    data = b"II*\x00" + struct.pack("<I", ifd_at) + b"\x80\x00"
    data += tiff_ifd(gray_1x1_entries(100000, 100000, strip_at), 0)
    with open(os.path.join(HERE, "huge-header.tif"), "wb") as f:
        f.write(data)

    # 2000 pages of 1x1 pixel, each IFD pointing at the next; only the tags
    # without a default, to keep the file small.
    pages = 2000
    first = 10
    LONG, SHORT = 4, 3
    minimal = [(256, LONG, 1, 1), (257, LONG, 1, 1), (262, SHORT, 1, 1),
               (273, LONG, 1, strip_at), (279, LONG, 1, 1)]
    size = 2 + len(minimal) * 12 + 4
    data = bytearray(b"II*\x00" + struct.pack("<I", first) + b"\x80\x00")
    for k in range(pages):
        nxt = first + (k + 1) * size if k + 1 < pages else 0
        data += tiff_ifd(minimal, nxt)
    with open(os.path.join(HERE, "pages-2000.tif"), "wb") as f:
        f.write(data)

    # Two 1x1 pages whose IFDs point at each other: a reader that follows
    # "next" without remembering where it has been never ends.
    size = 2 + 9 * 12 + 4
    second = first + size
    data = b"II*\x00" + struct.pack("<I", first) + b"\x80\x00"
    data += tiff_ifd(gray_1x1_entries(1, 1, strip_at), second)
    data += tiff_ifd(gray_1x1_entries(1, 1, strip_at), first)
    with open(os.path.join(HERE, "ifd-loop.tif"), "wb") as f:
        f.write(data)


def main():
    with scan.Workdir() as tmp:
        documents(tmp)
    hostile()


if __name__ == "__main__":
    main()
