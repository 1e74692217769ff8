"""The python-docx kit the templates are built with: the page, one font, headings, paragraphs
whose `**...**` is bold, docxtpl tags, tables, and the header and footer every document shares.

`translator(lang)` gives `tr(fi, sv, en)`; the three texts stay side by side in the source (the
terminology test reads them there).

A fact that is not known is empty in the context, and a template prints neither its label nor
a separator for it: `present` joins only the values there are, `labelled` gives a value its
label only when there is a value (both in `expressions`), `key_values` rows can be conditional.
Layout that a printed decision needs: label columns as wide as their longest label (`fit` in
`widths`, from the font's metrics),
table rows that never split across pages, header rows repeated, a number and its unit ("45 §",
"§ 12/2026", "Y-tunnus 0123456-7") joined by a no-break space."""

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table

from documents.template_builder.expressions import NBSP, labelled, present, then
from documents.template_builder.widths import TEXT_SIZE, fit

LANGUAGES = ("fi", "sv", "en")

FONT = "Arial"
TEXT_WIDTH = Cm(16)  # A4 21 cm less two 2.5 cm margins
GREY = RGBColor(0x59, 0x59, 0x59)
RULE = "A6A6A6"
SHADE = "EDEDED"
_WORD_LANGUAGE = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
# Fixed, so that a rebuild gives the same bytes (and the same SHA-256) when nothing changed.
_BUILT = datetime(2026, 1, 1, tzinfo=UTC)

Cell = str | Sequence[str]  # one paragraph, or several


def translator(lang: str) -> Callable[[str, str, str], str]:
    """`tr(fi, sv, en)`: the text in the template's language. Keeping the three side by side
    makes a missing or stale translation visible in review."""
    index = LANGUAGES.index(lang)
    return lambda fi, sv, en: (fi, sv, en)[index]


# --- low-level XML helpers ---------------------------------------------------------------


def _insert(parent, child, successors: Sequence[str]) -> None:
    """Insert `child` before the first of `successors` present in `parent` (the schema order),
    or at the end."""
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def _border(tag: str, color: str = RULE, size: int = 4, val: str = "single", space: int = 1):
    element = OxmlElement(tag)
    element.set(qn("w:val"), val)
    if val != "none":
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:space"), str(space))
        element.set(qn("w:color"), color)
    return element


_PPR_AFTER_BDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:jc",
    "w:rPr",
)


def _paragraph_border(
    paragraph, *edges: str, color: str = RULE, size: int = 4, space: int = 1
) -> None:
    pbdr = OxmlElement("w:pBdr")
    for edge in edges:
        pbdr.append(_border(f"w:{edge}", color, size, space=space))
    _insert(paragraph._p.get_or_add_pPr(), pbdr, _PPR_AFTER_BDR)


def _paragraph_shading(paragraph, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    _insert(paragraph._p.get_or_add_pPr(), shd, _PPR_AFTER_BDR[1:])


def _cell_shading(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    _insert(
        cell._tc.get_or_add_tcPr(),
        shd,
        ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"),
    )


def table_borders(table: Table, edges: Sequence[str]) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_border(f"w:{edge}", val="single" if edge in edges else "none"))
    _insert(table._tbl.tblPr, borders, ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"))


def _keep_together(row) -> None:
    """The row is never split across two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_header(row) -> None:
    """The first row repeats on every page and never splits."""
    _keep_together(row)
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _field(paragraph, instruction: str, placeholder: str, size: Pt) -> None:
    """A simple field (PAGE, NUMPAGES) as w:fldSimple; Word and LibreOffice compute it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), str(GREY))
    rpr.append(color)
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size.pt * 2)))
    rpr.append(sz)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _fonts(rpr, lang: str | None = None) -> None:
    """One font for every script, no theme fonts (they would win over the named font)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), FONT)
    if lang:
        lang_el = rpr.find(qn("w:lang"))
        if lang_el is None:
            lang_el = OxmlElement("w:lang")
            rpr.append(lang_el)
        lang_el.set(qn("w:val"), _WORD_LANGUAGE[lang])


# --- document set-up ---------------------------------------------------------------------


def new_document(lang: str, title: str) -> Document:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.header_distance = section.footer_distance = Cm(1.0)

    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    _fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), lang)

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = TEXT_SIZE
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    _fonts(normal.element.get_or_add_rPr())

    for name, size, before, after in (
        ("Heading 1", 15, 6, 10),
        ("Heading 2", 12, 14, 4),
        ("Heading 3", 11, 10, 2),
    ):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
        _fonts(style.element.get_or_add_rPr())
    for name in ("Header", "Footer", "List Bullet"):
        _fonts(styles[name].element.get_or_add_rPr())
    styles["List Bullet"].paragraph_format.space_after = Pt(2)

    properties = document.core_properties
    properties.title = title
    properties.author = ""
    properties.last_modified_by = ""
    # The shipped files carry this text as it was when the builder was one module; changing
    # it would change every template's bytes (and the SHA-256 a rendered document keeps).
    properties.comments = "documents/template_builder.py (manage.py build_docx_templates)"
    properties.language = _WORD_LANGUAGE[lang]
    properties.created = properties.modified = _BUILT
    properties.revision = 1
    # The default package carries a thumbnail of python-docx's own sample page.
    rels = document.part.package.rels
    for rel_id, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            rels.pop(rel_id)
    return document


# "45 §", "134–136 §", "§ 12": the section sign stays with its number.
_SECTION_SIGN = re.compile(r"(?<=\d) (?=§)|(?<=§) (?=\d)")


def _runs(paragraph, text: str, *, bold: bool = False, size: Pt | None = None, color=None):
    """Add `text` as runs; `**...**` is bold. A docxtpl tag never spans two runs."""
    text = _SECTION_SIGN.sub(NBSP, text)
    for index, part in enumerate(text.split("**")):
        if not part:
            continue
        run = paragraph.add_run(part)
        if bold or index % 2:
            run.bold = True
        if size is not None:
            run.font.size = size
        if color is not None:
            run.font.color.rgb = color
    return paragraph


def p(container, text: str = "", *, style: str | None = None, align=None, **run_format):
    paragraph = container.add_paragraph(style=style)
    if align is not None:
        paragraph.alignment = align
    return _runs(paragraph, text, **run_format)


def tag(container, text: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); it disappears."""
    container.add_paragraph().add_run(text)


def h1(document: Document, text: str, *, new_page: bool = False) -> None:
    heading = document.add_paragraph(style="Heading 1")
    _runs(heading, text)
    heading.paragraph_format.page_break_before = new_page


def h2(document: Document, text: str) -> None:
    _runs(document.add_paragraph(style="Heading 2"), text)


def h3(document: Document, text: str) -> None:
    _runs(document.add_paragraph(style="Heading 3"), text)


def bullets(document: Document, items: Sequence[str], *, size: Pt | None = None) -> None:
    for item in items:
        last = p(document, item, style="List Bullet", size=size)
    last.paragraph_format.space_after = Pt(6)


def unbroken(paragraph) -> None:
    """An official mark (the electronic signature): ruled on its left, never split across
    two pages."""
    paragraph.paragraph_format.keep_together = True
    _paragraph_border(paragraph, "left", color="7F7F7F", size=12, space=6)
    paragraph.paragraph_format.left_indent = Pt(7)


def highlight(document: Document, text: str, *, size: Pt | None = None) -> None:
    """A shaded, ruled paragraph for the one date that must not be missed."""
    paragraph = p(document, text, size=size)
    _paragraph_border(paragraph, "top", "left", "bottom", "right", color="7F7F7F", size=6, space=4)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(5)
    _paragraph_shading(paragraph, SHADE)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(10)


def fill_cell(cell, content: Cell, *, align=None, bold: bool = False) -> None:
    parts = [content] if isinstance(content, str) else list(content)
    first = cell.paragraphs[0]
    for index, text in enumerate(parts):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.paragraph_format.line_spacing = 1.0
        if align is not None:
            paragraph.alignment = align
        _runs(paragraph, text, bold=bold)


def column_widths(table: Table, widths: Sequence[Cm]) -> None:
    table.autofit = False
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


Row = tuple[str, Cell] | tuple[str, Cell, str]


def key_values(document: Document, rows: Sequence[Row], label: Length | None = None) -> Table:
    """Label and value, no grid: the facts of the matter at a glance. A row with a third
    element (a Jinja condition, usually the value itself) is left out when it is false: no
    label without its value. The label column fits the widest label unless `label` is given
    (several tables in one document share a width)."""
    table = document.add_table(rows=0, cols=2)

    def add(key: Cell, value: Cell):
        row = table.add_row()
        _keep_together(row)
        fill_cell(row.cells[0], key, bold=True)
        fill_cell(row.cells[1], value)

    for key, value, *when in rows:
        if when:
            add(f"{{%tr if {when[0]} %}}", "")
        add(key, value)
        if when:
            add("{%tr endif %}", "")
    label = label or fit([row[0] for row in rows])
    column_widths(table, [label, TEXT_WIDTH - label])
    table_borders(table, ())
    after_table(document)
    return table


def grid(
    document: Document,
    headers: Sequence[str],
    body: Sequence[Sequence[Cell]],
    widths: Sequence[Cm],
    *,
    right: Sequence[int] = (),
    loop: str | None = None,
    total: Sequence[Cell] | None = None,
) -> Table:
    """A table with a shaded header row repeating on each page. With `loop` (the inside of a
    `for` tag), `body` holds the one row repeated for each item ({%tr for %} / {%tr endfor %});
    `total` is a bold last row. Columns in `right` (amounts) are right-aligned."""
    table = document.add_table(rows=1, cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT

    for header, width in zip(headers, widths, strict=True):
        if "{" not in header and fit([header], most=Cm(0)) > width:
            raise ValueError(f"The column {header!r} is narrower than its heading's longest word.")

    def add(cells_content: Sequence[Cell], *, bold: bool = False):
        row = table.add_row()
        _keep_together(row)
        for index, (cell, content) in enumerate(zip(row.cells, cells_content, strict=True)):
            fill_cell(
                cell, content, bold=bold, align=WD_ALIGN_PARAGRAPH.RIGHT if index in right else None
            )
        return row

    for index, (cell, text) in enumerate(zip(table.rows[0].cells, headers, strict=True)):
        fill_cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT if index in right else None)
        _cell_shading(cell, SHADE)
    _repeat_header(table.rows[0])
    blank = [""] * (len(headers) - 1)
    if loop:
        add([f"{{%tr for {loop} %}}", *blank])
    for row in body:
        add(row)
    if loop:
        add(["{%tr endfor %}", *blank])
    if total is not None:
        for cell in add(total, bold=True).cells:
            cell._tc.get_or_add_tcPr()
            tcpr = cell._tc.tcPr
            borders = OxmlElement("w:tcBorders")
            borders.append(_border("w:top", color="595959", size=8))
            _insert(tcpr, borders, ("w:shd", "w:noWrap", "w:tcMar", "w:vAlign"))
    column_widths(table, widths)
    table_borders(table, ("top", "bottom", "insideH"))
    after_table(document)
    return table


def after_table(document: Document) -> None:
    """Some air after a table (Word puts the next paragraph right against it)."""
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = Pt(6)


# --- header and footer -------------------------------------------------------------------


def page_header(document: Document, title: str, number: str, dated: str) -> None:
    """Left: the public body and its unit. Right: the document title, number and date."""
    header = document.sections[0].header
    table = header.add_table(rows=1, cols=2, width=TEXT_WIDTH)
    left, right = table.rows[0].cells
    fill_cell(left, "**{{ public_body.name }}**" + then("\n", "public_body.unit"))
    fill_cell(right, [f"**{title}**", number, dated], align=WD_ALIGN_PARAGRAPH.RIGHT)
    right.paragraphs[0].runs[0].font.size = Pt(12.5)
    column_widths(table, [Cm(8.5), Cm(7.5)])
    table_borders(table, ())
    # A header must end with a paragraph: the one python-docx made goes after the table and
    # draws the rule under the header.
    rule = header.paragraphs[0]
    rule._p.addprevious(table._tbl)
    rule.paragraph_format.space_after = Pt(0)
    rule.paragraph_format.line_spacing = Pt(4)
    _paragraph_border(rule, "bottom", color="7F7F7F", size=6)
    # Air between the rule and the body, also on pages that begin without a heading.
    spacer = header.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = Pt(6)


def page_footer(document: Document, lang: str) -> None:
    """The public body's contact details, those it has: who and where on the first line, how
    to reach it on the second (a line each, so that neither wraps inside a fact), then the
    page number."""
    tr = translator(lang)
    footer = document.sections[0].footer
    small = Pt(8)
    lines = (
        present(
            "public_body.name",
            labelled(tr("Y-tunnus", "FO-nummer", "Business ID"), "public_body.business_id"),
            "public_body.address",
            sep=" · ",
        ),
        present(
            labelled(tr("puh.", "tfn", "tel."), "public_body.phone|nobreak"),
            "public_body.email",
            sep=" · ",
        ),
    )
    for index, text in enumerate(lines):
        line = footer.paragraphs[0] if index == 0 else footer.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.paragraph_format.space_after = Pt(0)
        _runs(line, text, size=small, color=GREY)
    _paragraph_border(footer.paragraphs[0], "top", color=RULE, size=4)
    footer.paragraphs[-1].paragraph_format.space_after = Pt(2)
    page = footer.add_paragraph()
    page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page.paragraph_format.space_after = Pt(0)
    _runs(page, tr("Sivu ", "Sida ", "Page "), size=small, color=GREY)
    _field(page, "PAGE", "1", small)
    _runs(page, tr(" / ", " / ", " of "), size=small, color=GREY)
    _field(page, "NUMPAGES", "1", small)
