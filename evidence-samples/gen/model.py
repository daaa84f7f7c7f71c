"""A document described as data, independent of the program that renders it.

Blocks (tuples, first element the type):
  ("title", runs)                 the document title (heading or centred bold)
  ("h", runs)                     a section heading
  ("p", runs)                     a paragraph
  ("kv", [(label, value), ...])   a two-column table: label cell, value cell
  ("kv4", [(l1, v1, l2, v2), ...])  a four-column label/value table
  ("below", [labels], [values])   labels in one row, values in the row below
  ("grid", [header], [[row], ...])  an ordinary table with a header row
  ("sign", [left lines], [right lines])  the signature block at the end
  ("break",)                      a page break
Runs are a plain string or a list of (text, fmt) where fmt is a string of
b (bold), i (italic), u (underline), r (red); a label split across runs is
how Word stores text that was edited or formatted piecewise.
"""


def runs(value):
    """Normalise a run specification to a list of (text, fmt)."""
    if isinstance(value, str):
        return [(value, "")]
    return [(t, f) for t, f in value]


def plain(value):
    return "".join(t for t, _ in runs(value))


class Doc:
    """One evidence document: what it says, how it is produced, what it is."""

    def __init__(self, name, producer, lang, blocks, expect, header=None,
                 footer=None, meta=None, title_style="heading"):
        assert producer in PRODUCERS, producer
        self.name = name
        self.producer = producer
        self.lang = lang
        self.blocks = blocks
        self.header = header or []
        self.footer = footer or []
        self.meta = meta or {}
        self.expect = expect
        self.title_style = title_style

    @property
    def ext(self):
        return PRODUCERS[self.producer]

    @property
    def filename(self):
        return f"{self.name}.{self.ext}"

    @property
    def title(self):
        for block in self.blocks:
            if block[0] == "title":
                return plain(block[1])
        raise AssertionError(f"{self.name}: no title")


# producer -> file extension of the result
PRODUCERS = {
    "python-docx": "docx",   # python-docx, Word-like package
    "lo-odt": "odt",         # flat ODT written here, converted by LibreOffice
    "lo-docx": "docx",       # flat ODT converted by LibreOffice to DOCX
    "lo-html-odt": "odt",    # HTML converted by LibreOffice Writer to ODT
    "pandoc-docx": "docx",   # Markdown converted by pandoc
}
