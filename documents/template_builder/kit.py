"""The python-docx kit the templates are built with: the page, one font, headings, paragraphs
whose `**...**` is bold, docxtpl tags, tables, and the header and footer every document shares.

`translator(lang)` gives `tr(fi, sv, en)`; the three texts stay side by side in the source (the
terminology test reads them there)."""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

LANGUAGES = ("fi", "sv", "en")

FONT = "Arial"
TEXT_WIDTH = Cm(16)  # A4 21 cm less two 2.5 cm margins
LABEL_WIDTH = Cm(5)
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


def _repeat_header(row) -> None:
    """The first row repeats on every page and never splits."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    trpr.append(OxmlElement("w:tblHeader"))


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
    normal.font.size = Pt(11)
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


def _runs(paragraph, text: str, *, bold: bool = False, size: Pt | None = None, color=None):
    """Add `text` as runs; `**...**` is bold. A docxtpl tag never spans two runs."""
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


def bullets(document: Document, items: Sequence[str]) -> None:
    for item in items:
        last = p(document, item, style="List Bullet")
    last.paragraph_format.space_after = Pt(6)


def highlight(document: Document, text: str) -> None:
    """A shaded, ruled paragraph for the one date that must not be missed."""
    paragraph = p(document, text)
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


def key_values(document: Document, rows: Sequence[tuple[str, Cell]], label: Cm = LABEL_WIDTH):
    """Label and value, no grid: the facts of the matter at a glance."""
    table = document.add_table(rows=0, cols=2)
    for key, value in rows:
        cells = table.add_row().cells
        fill_cell(cells[0], key, bold=True)
        fill_cell(cells[1], value)
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

    def add(cells_content: Sequence[Cell], *, bold: bool = False):
        row = table.add_row()
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
    fill_cell(left, ["**{{ public_body.name }}**", "{{ public_body.unit }}"])
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
    tr = translator(lang)
    footer = document.sections[0].footer
    small = Pt(8)
    contact = footer.paragraphs[0]
    contact.alignment = WD_ALIGN_PARAGRAPH.CENTER
    contact.paragraph_format.space_after = Pt(2)
    _paragraph_border(contact, "top", color=RULE, size=4)
    _runs(
        contact,
        "{{ public_body.name }} · {{ public_body.address }} · {{ public_body.email }} · "
        + tr("Y-tunnus", "FO-nummer", "Business ID")
        + " {{ public_body.business_id }}",
        size=small,
        color=GREY,
    )
    page = footer.add_paragraph()
    page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page.paragraph_format.space_after = Pt(0)
    _runs(page, tr("Sivu ", "Sida ", "Page "), size=small, color=GREY)
    _field(page, "PAGE", "1", small)
    _runs(page, tr(" / ", " / ", " of "), size=small, color=GREY)
    _field(page, "NUMPAGES", "1", small)
