"""Render Doc objects through real producers, then make the files reproducible.

Producers: python-docx (DOCX), LibreOffice converting a flat ODT written here
(to ODT or DOCX) or HTML (to ODT), and pandoc converting Markdown (to DOCX).
LibreOffice and python-docx stamp times, random revision ids and zip entry
dates into their output; normalise() removes exactly those so a rerun gives
byte-identical files.
"""
import datetime
import html
import os
import re
import shutil
import subprocess
import tempfile
import zipfile

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .model import plain, runs

FIXED_ZIP_TIME = (2026, 11, 20, 9, 0, 0)


# ---------------------------------------------------------------- python-docx

def _docx_runs(par, value):
    for text, fmt in runs(value):
        run = par.add_run(text)
        run.bold = "b" in fmt or None
        run.italic = "i" in fmt or None
        run.underline = "u" in fmt or None
        if "r" in fmt:
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _docx_cell(cell, value, bold=False):
    par = cell.paragraphs[0]
    if bold and isinstance(value, str):
        value = [(value, "b")]
    _docx_runs(par, value)


def _docx_table(container, rows, grid=True, width=None):
    ncols = max(len(r) for r in rows)
    if width is None:
        table = container.add_table(rows=len(rows), cols=ncols)
    else:
        table = container.add_table(len(rows), ncols, width)
    if grid:
        table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _docx_blocks(doc, container, blocks, title_style, width=None):
    for block in blocks:
        kind = block[0]
        if kind == "title":
            if title_style == "heading":
                par = doc.add_heading(level=0) if container is doc else container.add_paragraph()
                _docx_runs(par, block[1])
            else:
                par = container.add_paragraph()
                par.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for text, fmt in runs(block[1]):
                    run = par.add_run(text)
                    run.bold = True
                    run.font.size = Pt(18)
        elif kind == "h":
            par = doc.add_heading(level=2) if container is doc else container.add_paragraph()
            _docx_runs(par, block[1])
        elif kind == "p":
            _docx_runs(container.add_paragraph(), block[1])
        elif kind in ("kv", "kv4"):
            rows = block[1]
            table = _docx_table(container, rows, width=width)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    _docx_cell(table.cell(r, c), value, bold=(c % 2 == 0))
        elif kind == "below":
            table = _docx_table(container, [block[1], block[2]], width=width)
            for c, value in enumerate(block[1]):
                _docx_cell(table.cell(0, c), value, bold=True)
            for c, value in enumerate(block[2]):
                _docx_cell(table.cell(1, c), value)
        elif kind == "grid":
            rows = [block[1]] + block[2]
            table = _docx_table(container, rows, width=width)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    _docx_cell(table.cell(r, c), value, bold=(r == 0))
        elif kind == "sign":
            left, right = block[1], block[2]
            n = max(len(left), len(right))
            table = _docx_table(container, [[None, None]] * n, grid=False, width=width)
            for r in range(n):
                if r < len(left):
                    _docx_cell(table.cell(r, 0), left[r])
                if r < len(right):
                    _docx_cell(table.cell(r, 1), right[r])
        elif kind == "break":
            doc.add_page_break()
        else:
            raise ValueError(kind)


def render_python_docx(d, path):
    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman" if d.lang == "en" else "SimSun"
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    for part, blocks in ((section.header, d.header), (section.footer, d.footer)):
        if not blocks:
            continue
        first = part.paragraphs[0]
        first_block = blocks[0]
        if first_block[0] == "p":
            _docx_runs(first, first_block[1])
            blocks = blocks[1:]
        _docx_blocks(doc, part, blocks, "plain", width=Cm(16))
    _docx_blocks(doc, doc, d.blocks, d.title_style)
    props = doc.core_properties
    props.title = d.meta.get("title", d.title)
    props.author = d.meta.get("creator", "")
    props.last_modified_by = d.meta.get("creator", "")
    props.revision = d.meta.get("revision", 1)
    stamp = datetime.datetime.fromisoformat(d.meta.get("created", "2026-01-05T09:00:00"))
    props.created = stamp
    props.modified = datetime.datetime.fromisoformat(d.meta.get("modified", stamp.isoformat()))
    props.comments = ""
    doc.save(path)


# ---------------------------------------------------------------- flat ODT

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"')

FODT_STYLES = """
 <office:font-face-decls>
  <style:font-face style:name="SimSun" svg:font-family="SimSun" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:text-properties style:font-name-asian="SimSun" fo:font-size="10.5pt" fo:language="{lang}"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="1" style:class="text">
   <style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.4cm"/>
   <style:text-properties fo:font-size="18pt" fo:font-weight="bold" style:font-weight-asian="bold" style:font-size-asian="18pt"/>
  </style:style>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="2" style:class="text">
   <style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.2cm"/>
   <style:text-properties fo:font-size="13pt" fo:font-weight="bold" style:font-weight-asian="bold"/>
  </style:style>
  <style:style style:name="Title_20_Plain" style:display-name="Title Plain" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="18pt" fo:font-weight="bold" style:font-weight-asian="bold"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="Tb" style:family="text"><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
  <style:style style:name="Ti" style:family="text"><style:text-properties fo:font-style="italic" style:font-style-asian="italic"/></style:style>
  <style:style style:name="Tu" style:family="text"><style:text-properties style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>
  <style:style style:name="Tr" style:family="text"><style:text-properties fo:color="#c00000"/></style:style>
  <style:style style:name="Tbi" style:family="text"><style:text-properties fo:font-weight="bold" fo:font-style="italic"/></style:style>
  <style:style style:name="Tbu" style:family="text"><style:text-properties fo:font-weight="bold" style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>
  <style:style style:name="Tbr" style:family="text"><style:text-properties fo:font-weight="bold" fo:color="#c00000"/></style:style>
  <style:style style:name="Pbreak" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:break-before="page"/></style:style>
  <style:style style:name="Grid" style:family="table"><style:table-properties style:width="16cm" table:align="center"/></style:style>
  <style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/></style:style>
  <style:style style:name="Bare" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="none"/></style:style>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="0.4cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.4cm"/></style:footer-style>
  </style:page-layout>
 </office:automatic-styles>
"""


def _x(text):
    """Escape text for ODF: runs of spaces need text:s to survive."""
    out = html.escape(text, quote=False)
    out = re.sub(r"  +", lambda m: " " + f'<text:s text:c="{len(m.group()) - 1}"/>', out)
    return out.replace("\n", "<text:line-break/>").replace("\t", "<text:tab/>")


def _odf_runs(value, force_bold=False):
    out = []
    for text, fmt in runs(value):
        if force_bold and "b" not in fmt:
            fmt = "b" + fmt
        style = "T" + "".join(c for c in "biur" if c in fmt) if fmt else ""
        if style and style not in ("Tb", "Ti", "Tu", "Tr", "Tbi", "Tbu", "Tbr"):
            style = "Tb"
        out.append(f'<text:span text:style-name="{style}">{_x(text)}</text:span>'
                   if style else _x(text))
    return "".join(out)


class _OdfTables:
    def __init__(self):
        self.count = 0

    def table(self, rows, bold_cell, cell_style="Cell"):
        self.count += 1
        ncols = max(len(r) for r in rows)
        out = [f'<table:table table:name="Table{self.count}" table:style-name="Grid">',
               f'<table:table-column table:number-columns-repeated="{ncols}"/>']
        for r, row in enumerate(rows):
            out.append("<table:table-row>")
            for c in range(ncols):
                value = row[c] if c < len(row) and row[c] is not None else ""
                out.append(f'<table:table-cell table:style-name="{cell_style}" office:value-type="string">'
                           f'<text:p>{_odf_runs(value, bold_cell(r, c))}</text:p></table:table-cell>')
            out.append("</table:table-row>")
        out.append("</table:table>")
        return "".join(out)


def _odf_blocks(blocks, tables, title_style):
    out = []
    for block in blocks:
        kind = block[0]
        if kind == "title":
            if title_style == "heading":
                out.append(f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{_odf_runs(block[1])}</text:h>')
            else:
                out.append(f'<text:p text:style-name="Title_20_Plain">{_odf_runs(block[1])}</text:p>')
        elif kind == "h":
            out.append(f'<text:h text:style-name="Heading_20_2" text:outline-level="2">{_odf_runs(block[1])}</text:h>')
        elif kind == "p":
            out.append(f'<text:p text:style-name="Standard">{_odf_runs(block[1])}</text:p>')
        elif kind in ("kv", "kv4"):
            out.append(tables.table(block[1], lambda r, c: c % 2 == 0))
        elif kind == "below":
            out.append(tables.table([block[1], block[2]], lambda r, c: r == 0))
        elif kind == "grid":
            out.append(tables.table([block[1]] + block[2], lambda r, c: r == 0))
        elif kind == "sign":
            left, right = block[1], block[2]
            rows = [[left[i] if i < len(left) else "", right[i] if i < len(right) else ""]
                    for i in range(max(len(left), len(right)))]
            out.append(tables.table(rows, lambda r, c: False, cell_style="Bare"))
        elif kind == "break":
            out.append('<text:p text:style-name="Pbreak"/>')
        else:
            raise ValueError(kind)
    return "\n".join(out)


def fodt_text(d):
    tables = _OdfTables()
    meta = d.meta
    created = meta.get("created", "2026-01-05T09:00:00")
    header = footer = ""
    if d.header:
        header = f"<style:header>{_odf_blocks(d.header, tables, 'plain')}</style:header>"
    if d.footer:
        footer = f"<style:footer>{_odf_blocks(d.footer, tables, 'plain')}</style:footer>"
    body = _odf_blocks(d.blocks, tables, d.title_style)
    lang = "zh" if d.lang == "zh" else "en"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {ODF_NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta>
  <dc:title>{html.escape(meta.get('title', d.title))}</dc:title>
  <meta:initial-creator>{html.escape(meta.get('creator', ''))}</meta:initial-creator>
  <dc:creator>{html.escape(meta.get('creator', ''))}</dc:creator>
  <meta:creation-date>{created}</meta:creation-date>
  <dc:date>{meta.get('modified', created)}</dc:date>
  <meta:editing-cycles>{meta.get('revision', 1)}</meta:editing-cycles>
 </office:meta>
{FODT_STYLES.replace('{lang}', lang)}
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">{header}{footer}</style:master-page>
 </office:master-styles>
 <office:body><office:text>
{body}
 </office:text></office:body>
</office:document>
"""


# ---------------------------------------------------------------- HTML, Markdown

def _html_runs(value):
    out = []
    for text, fmt in runs(value):
        t = html.escape(text).replace("\n", "<br/>")
        for flag, tag in (("b", "b"), ("i", "i"), ("u", "u")):
            if flag in fmt:
                t = f"<{tag}>{t}</{tag}>"
        if "r" in fmt:
            t = f'<span style="color:#c00000">{t}</span>'
        out.append(t)
    return "".join(out)


def html_text(d):
    assert not d.header and not d.footer, f"{d.name}: HTML has no page header"
    out = ['<!DOCTYPE html>', f'<html lang="{d.lang}"><head><meta charset="utf-8"/>',
           f'<title>{html.escape(d.meta.get("title", d.title))}</title>',
           f'<meta name="author" content="{html.escape(d.meta.get("creator", ""))}"/>',
           '</head><body>']

    def table(rows, bold):
        out.append('<table border="1" cellpadding="4" cellspacing="0" width="100%">')
        for r, row in enumerate(rows):
            out.append("<tr>" + "".join(
                f"<td>{'<b>' if bold(r, c) else ''}{_html_runs(v or '')}{'</b>' if bold(r, c) else ''}</td>"
                for c, v in enumerate(row)) + "</tr>")
        out.append("</table>")

    for block in d.blocks:
        kind = block[0]
        if kind == "title":
            out.append(f'<h1 style="text-align:center">{_html_runs(block[1])}</h1>')
        elif kind == "h":
            out.append(f"<h2>{_html_runs(block[1])}</h2>")
        elif kind == "p":
            out.append(f"<p>{_html_runs(block[1])}</p>")
        elif kind in ("kv", "kv4"):
            table(block[1], lambda r, c: c % 2 == 0)
        elif kind == "below":
            table([block[1], block[2]], lambda r, c: r == 0)
        elif kind == "grid":
            table([block[1]] + block[2], lambda r, c: r == 0)
        elif kind == "sign":
            left, right = block[1], block[2]
            rows = [[left[i] if i < len(left) else "", right[i] if i < len(right) else ""]
                    for i in range(max(len(left), len(right)))]
            out.append('<table border="0" width="100%">')
            for row in rows:
                out.append("<tr>" + "".join(f"<td>{_html_runs(v)}</td>" for v in row) + "</tr>")
            out.append("</table>")
        elif kind == "break":
            out.append('<p style="page-break-before: always"></p>')
        else:
            raise ValueError(kind)
    out.append("</body></html>")
    return "\n".join(out)


def _md_runs(value):
    out = []
    for text, fmt in runs(value):
        t = text.replace("|", "\\|").replace("*", "\\*")
        if "b" in fmt:
            t = f"**{t}**"
        if "i" in fmt:
            t = f"*{t}*"
        out.append(t)
    return "".join(out)


def markdown_text(d):
    assert not d.header and not d.footer, f"{d.name}: Markdown has no page header"
    # No YAML metadata: pandoc would print title and author as paragraphs
    # above the body's own heading, which is not how these documents look.
    out = []

    def table(rows):
        ncols = max(len(r) for r in rows)
        rows = [list(r) + [""] * (ncols - len(r)) for r in rows]
        out.append("| " + " | ".join(_md_runs(v or "") for v in rows[0]) + " |")
        out.append("|" + "---|" * ncols)
        for row in rows[1:]:
            out.append("| " + " | ".join(_md_runs(v or "") for v in row) + " |")
        out.append("")

    for block in d.blocks:
        kind = block[0]
        if kind == "title":
            out.append(f"# {_md_runs(block[1])}\n")
        elif kind == "h":
            out.append(f"## {_md_runs(block[1])}\n")
        elif kind == "p":
            out.append(_md_runs(block[1]) + "\n")
        elif kind in ("kv", "kv4"):
            table(block[1])
        elif kind == "grid":
            table([block[1]] + block[2])
        elif kind == "below":
            table([block[1], block[2]])
        elif kind == "sign":
            for line in block[1] + [""] + block[2]:
                out.append((_md_runs(line) if line else "") + "\n")
        elif kind == "break":
            out.append("\\newpage\n")
        else:
            raise ValueError(kind)
    return "\n".join(out)


# ---------------------------------------------------------------- conversion

def _soffice(profile, args, files, outdir):
    if not files:
        return
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
           "--norestore", "--nologo"] + args + ["--outdir", outdir] + files
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, SAL_USE_VCLPLUGIN="svp"))


def _stamp(d, key, default):
    return d.meta.get(key, default)


def _fix_xml(name, text, d):
    """Remove what a producer makes different on every run."""
    created = _stamp(d, "created", "2026-01-05T09:00:00")
    modified = _stamp(d, "modified", created)
    text = re.sub(r' officeooo:(?:paragraph-)?rsid="[0-9a-f]+"', "", text)
    text = re.sub(r'<config:config-item config:name="Rsid(?:Root)?" config:type="int">\d+</config:config-item>',
                  "", text)
    text = re.sub(r' w:rsid\w*="[0-9A-Fa-f]+"', "", text)
    text = re.sub(r"<w:rsids>.*?</w:rsids>", "", text, flags=re.S)
    if name == "meta.xml":
        text = re.sub(r"<dc:date>[^<]*</dc:date>", f"<dc:date>{modified}</dc:date>", text)
        text = re.sub(r"<meta:creation-date>[^<]*</meta:creation-date>",
                      f"<meta:creation-date>{created}</meta:creation-date>", text)
        text = re.sub(r"<meta:editing-duration>[^<]*</meta:editing-duration>",
                      "<meta:editing-duration>PT12M</meta:editing-duration>", text)
    if name == "docProps/core.xml":
        text = re.sub(r'(<dcterms:created[^>]*>)[^<]*', rf"\g<1>{created}Z", text)
        text = re.sub(r'(<dcterms:modified[^>]*>)[^<]*', rf"\g<1>{modified}Z", text)
    if name == "docProps/app.xml":
        text = re.sub(r"<TotalTime>\d+</TotalTime>", "<TotalTime>12</TotalTime>", text)
    return text


def normalise(src, dst, d):
    """Rewrite a package with fixed entry dates and without per-run noise."""
    with zipfile.ZipFile(src) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(dst, "w") as zout:
        for name, data in entries:
            if name.endswith(".xml") or name.endswith(".rels"):
                data = _fix_xml(name, data.decode("utf-8"), d).encode("utf-8")
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zout.writestr(info, data, compresslevel=6)


def render_all(docs, outdir):
    """Write every Doc into outdir through its producer; return the paths."""
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="evs-gen-") as work:
        profile = os.path.join(work, "lo-profile")
        groups = {"lo-odt": [], "lo-docx": [], "lo-html-odt": []}
        for sub in ("raw", "src-odt", "src-docx", "src-html"):
            os.makedirs(os.path.join(work, sub))
        raw = os.path.join(work, "raw")
        for d in docs:
            if d.producer == "python-docx":
                render_python_docx(d, os.path.join(raw, d.filename))
            elif d.producer in ("lo-odt", "lo-docx"):
                sub = "src-odt" if d.producer == "lo-odt" else "src-docx"
                src = os.path.join(work, sub, d.name + ".fodt")
                with open(src, "w", encoding="utf-8") as f:
                    f.write(fodt_text(d))
                groups[d.producer].append(src)
            elif d.producer == "lo-html-odt":
                src = os.path.join(work, "src-html", d.name + ".html")
                with open(src, "w", encoding="utf-8") as f:
                    f.write(html_text(d))
                groups[d.producer].append(src)
            elif d.producer == "pandoc-docx":
                src = os.path.join(work, d.name + ".md")
                with open(src, "w", encoding="utf-8") as f:
                    f.write(markdown_text(d))
                subprocess.run(["pandoc", "-f", "markdown", "-t", "docx", "-o",
                                os.path.join(raw, d.filename), src], check=True,
                               env=dict(os.environ, SOURCE_DATE_EPOCH="1767603600"))
        _soffice(profile, ["--convert-to", "odt"], groups["lo-odt"], raw)
        _soffice(profile, ["--convert-to", 'docx:MS Word 2007 XML'], groups["lo-docx"], raw)
        _soffice(profile, ["--infilter=HTML (StarWriter)", "--convert-to", "odt:writer8"],
                 groups["lo-html-odt"], raw)
        paths = []
        for d in docs:
            src = os.path.join(raw, d.filename)
            if not os.path.exists(src):
                raise RuntimeError(f"{d.producer} did not produce {d.filename}")
            dst = os.path.join(outdir, d.filename)
            normalise(src, dst, d)
            paths.append(dst)
        shutil.rmtree(profile, ignore_errors=True)
    return paths
