"""Helpers of the make.py scripts of tests/data/elsewhere*: documents from
python-docx, LibreOffice and pandoc, written into OUT (set it first)."""
import os
import subprocess
import tempfile

import docx

OUT = '.'


def new(header=None):
    """A new document, with `header` as the page header's text."""
    d = docx.Document()
    if header:
        d.sections[0].header.paragraphs[0].text = header
    return d


def table(d, rows):
    t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            t.cell(i, j).text = c
    return t


def save(d, name, odt=False):
    """Write OUT/name; with odt, convert it with LibreOffice and keep the ODT only."""
    d.save(os.path.join(OUT, name))
    if odt:
        to_odt(name)


def to_odt(name):
    """Convert OUT/name (docx) to ODT with LibreOffice and drop the docx."""
    src = os.path.join(OUT, name)
    subprocess.run(['soffice', '--headless', '--convert-to', 'odt', '--outdir', OUT, src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.remove(src)


def pandoc(md, name):
    """OUT/name from Markdown, by pandoc (the format from the name)."""
    with tempfile.NamedTemporaryFile('w', suffix='.md', delete=False, encoding='utf-8') as f:
        f.write(md)
    subprocess.run(['pandoc', f.name, '-o', os.path.join(OUT, name)], check=True)
    os.unlink(f.name)
