"""Turn rendered pages into what a scanner or a phone gives: a red company
seal pressed over the signature, the sheet a little skewed, grey paper,
sensor noise, dust, and the artefacts of the format it is saved in.

Pages come from LibreOffice (HTML or a sample document -> PDF) rasterised
by pdftoppm; everything here is Pillow (Debian python3-pil) with a seeded
random generator, so a rerun gives the same bytes.
"""
import io
import math
import os
import random
import shutil
import subprocess
import tempfile

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

SEAL_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SEAL_FONT_INDEX = 2  # Noto Sans CJK SC in the collection
SEAL_RED = (214, 38, 38)


def pdf_from_html(html_text, tmp):
    """The PDF LibreOffice Writer makes of an HTML page (A4 by default)."""
    src = os.path.join(tmp, "page.html")
    with open(src, "w", encoding="utf-8") as f:
        f.write(html_text)
    return pdf_from_document(src, tmp)


def pdf_from_document(src, tmp):
    """The PDF LibreOffice makes of a document (HTML, DOCX, ODT)."""
    out = os.path.join(tmp, "out")
    pdf = os.path.join(out, os.path.splitext(os.path.basename(src))[0] + ".pdf")
    if os.path.exists(pdf):
        os.remove(pdf)
    cmd = ["soffice", "-env:UserInstallation=file://" + os.path.join(tmp, "profile"), "--headless"]
    if src.endswith(".html"):
        # Without it Writer/Web opens the page and starts it with a blank page.
        cmd.append("--infilter=HTML (StarWriter)")
    subprocess.run(cmd + ["--convert-to", "pdf:writer_pdf_Export", "--outdir", out, src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, TZ="UTC"))
    if not os.path.exists(pdf):
        raise SystemExit(f"soffice did not convert {src}")
    return pdf


def rasterise(pdf, dpi, tmp, first=1, last=None):
    """Pages of a PDF as RGB images at dpi (pdftoppm, anti-aliased)."""
    prefix = os.path.join(tmp, "ras")
    for name in os.listdir(tmp):
        if name.startswith("ras"):
            os.remove(os.path.join(tmp, name))
    cmd = ["pdftoppm", "-r", str(dpi), "-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    subprocess.run(cmd + ["-png", pdf, prefix], check=True)
    names = sorted(n for n in os.listdir(tmp) if n.startswith("ras") and n.endswith(".png"))
    return [Image.open(os.path.join(tmp, n)).convert("RGB") for n in names]


def crop_height(page, top_frac, bottom_frac):
    """Keep a band of the page: a certificate or licence is not A4 tall."""
    w, h = page.size
    return page.crop((0, int(h * top_frac), w, int(h * bottom_frac)))


def noise_image(size, rng):
    """Uniform noise 0..255 from rng (Pillow's effect_noise is not seeded)."""
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))


def _star(draw, cx, cy, r, fill):
    points = []
    for k in range(10):
        rr = r if k % 2 == 0 else r * 0.382
        a = -math.pi / 2 + k * math.pi / 5
        points.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    draw.polygon(points, fill=fill)


def seal(name, diameter, rng, below="合同专用章"):
    """A round company seal: a ring, the name along the upper arc read
    clockwise, a star, a line below it. Returned as an L mask (255 = ink)
    with uneven ink, as a real stamp leaves."""
    size = diameter + 8
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    c = size / 2
    r = diameter / 2
    ring = max(3, diameter // 28)
    draw.ellipse((c - r, c - r, c + r, c + r), outline=255, width=ring)
    _star(draw, c, c, r * 0.24, 255)
    font_size = int(r * 0.30)
    font = ImageFont.truetype(SEAL_FONT, font_size, index=SEAL_FONT_INDEX)
    span = math.radians(250 if len(name) > 8 else 200)
    text_r = r - ring - font_size * 0.65
    for i, ch in enumerate(name):
        # From lower left over the top to lower right; each character upright
        # with its foot towards the centre.
        a = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(name)
        glyph = Image.new("L", (font_size * 2, font_size * 2), 0)
        ImageDraw.Draw(glyph).text((font_size, font_size), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(a + math.pi / 2), resample=Image.BICUBIC)
        x = c + text_r * math.cos(a) - font_size
        y = c + text_r * math.sin(a) - font_size
        mask.paste(255, (int(x), int(y)), glyph)
    if below:
        small = ImageFont.truetype(SEAL_FONT, int(r * 0.19), index=SEAL_FONT_INDEX)
        draw.text((c, c + r * 0.52), below, font=small, fill=255, anchor="mm")
    # Uneven ink: speckled gaps and a lighter side where the stamp was tilted.
    grain = noise_image((size, size), rng).point(lambda v: 255 if v > 40 else 150)
    ramp = Image.linear_gradient("L").resize((size, size)).rotate(rng.uniform(0, 360))
    ramp = ramp.point(lambda v: 190 + v * 65 // 255)
    mask = ImageChops.multiply(mask, grain)
    return ImageChops.multiply(mask, ramp)


def press_seal(page, mask, centre, rng):
    """Ink the page with the seal at centre (x, y): multiply, so black text
    under the red stays visible as it does on paper."""
    mask = mask.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC)
    layer = Image.new("RGB", page.size, (255, 255, 255))
    red = Image.new("RGB", mask.size, SEAL_RED)
    x = int(centre[0] - mask.size[0] / 2)
    y = int(centre[1] - mask.size[1] / 2)
    layer.paste(red, (x, y), mask)
    return ImageChops.multiply(page, layer)


def signature(page, box, rng):
    """A pen scrawl in box (x0, y0, x1, y1): a few joined strokes in dark blue."""
    draw = ImageDraw.Draw(page)
    x0, y0, x1, y1 = box
    pts = []
    for k in range(14):
        pts.append((x0 + (x1 - x0) * k / 13 + rng.uniform(-8, 8),
                    y0 + (y1 - y0) * (0.5 + 0.45 * math.sin(k * 1.7 + rng.uniform(0, 1)))))
    draw.line(pts, fill=(30, 40, 110), width=4, joint="curve")
    return page


def scanner(page, rng, angle, noise=14, paper=244, blur=0.5, dust=40):
    """The sheet as a flatbed scanner returns it: skewed by angle degrees,
    grey paper, blur of the optics, sensor noise and a few specks of dust."""
    w, h = page.size
    # Paper is not white: scale 0..255 to 0..paper.
    page = page.point(lambda v: v * paper // 255)
    page = page.rotate(angle, resample=Image.BICUBIC, fillcolor=(paper, paper, paper))
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        n = noise_image((w, h), rng).point(lambda v: 128 + (v - 128) * noise // 128)
        page = ImageChops.add(page, n.convert("RGB"), scale=1.0, offset=-128)
    draw = ImageDraw.Draw(page)
    for _ in range(dust):
        x, y = rng.randrange(w), rng.randrange(h)
        s = rng.choice((1, 1, 2, 3))
        draw.ellipse((x, y, x + s, y + s), fill=(60, 60, 60))
    return page


# What a scanner's "document, colour" mode keeps: greys for the paper and
# the print, reds for a seal (alone and over print), a blue for a pen.
PALETTE = [244, 244, 244, 215, 215, 215, 175, 175, 175, 125, 125, 125, 75, 75, 75, 25, 25, 25,
           214, 38, 38, 226, 120, 120, 236, 185, 185, 150, 30, 30, 70, 12, 12,
           30, 40, 110, 120, 125, 175]


def palette_page(page):
    pal = Image.new("P", (1, 1))
    pal.putpalette(PALETTE + [0] * (768 - len(PALETTE)))
    return page.quantize(palette=pal, dither=Image.NONE)


def save_png(page, path, dpi=200):
    """PNG as a scanner's document mode writes it: a small fixed palette."""
    palette_page(page).save(path, "PNG", optimize=True, dpi=(dpi, dpi))


def save_jpeg(page, path, quality=50, dpi=200):
    page.save(path, "JPEG", quality=quality, optimize=True, dpi=(dpi, dpi))


def save_tiff(pages, path, dpi=200):
    """Single- or multi-page TIFF, palette pages, LZW: what office scanners
    write for 'TIFF, colour, multi-page'."""
    qs = [palette_page(p) for p in pages]
    qs[0].save(path, "TIFF", compression="tiff_lzw", dpi=(dpi, dpi),
               save_all=len(qs) > 1, append_images=qs[1:])


def save_image_pdf(pages, path, dpi=200, quality=50):
    """An image-only PDF: each page one JPEG, no text layer. Written here
    (not by Pillow, which stamps the time) so a rerun gives the same bytes."""
    objs = []

    def add(body):
        objs.append(body)
        return len(objs)

    catalog = add(None)
    pages_obj = add(None)
    kids = []
    for page in pages:
        buf = io.BytesIO()
        page.save(buf, "JPEG", quality=quality, optimize=True)
        data = buf.getvalue()
        w, h = page.size
        img = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d "
                  b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode "
                  b"/Length %d >>\nstream\n" % (w, h, len(data)) + data + b"\nendstream")
        pw, ph = w * 72.0 / dpi, h * 72.0 / dpi
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (pw, ph)
        cont = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] "
                        b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_obj, pw, ph, img, cont)))
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objs[pages_obj - 1] = (b"<< /Type /Pages /Kids [" +
                           b" ".join(b"%d 0 R" % k for k in kids) +
                           b"] /Count %d >>" % len(kids))
    write_pdf(objs, path)


def write_pdf(objs, path):
    """objs[i] is the body of object i+1; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    with open(path, "wb") as f:
        f.write(out)


class Workdir:
    """A temporary directory with a private LibreOffice profile."""

    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="scan-")
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


def rng_for(name):
    """One seeded generator per output file, so files do not depend on order."""
    return random.Random(name)
