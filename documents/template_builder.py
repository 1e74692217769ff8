"""The shipped .docx templates, built with python-docx (`manage.py build_docx_templates`).

One pure function per document kind takes the language and returns a `docx.Document` whose
text carries docxtpl tags. The only variables a template may use are those of
`documents.samples` (the lint and the tests check it); amounts go through `|money` and dates
through `|date`, which format by the context's `lang`.

The contents of a decision follow the Administrative Procedure Act (434/2003) 44–47 §: the
deciding authority and the date, the parties, the reasons (the decisive facts and the rules
applied), what was decided, the person who gives more information, and the appeal instructions
(a request for rectification within 14 days, Local Government Act 410/2015 134 §; after a
rectification decision a municipal appeal to the administrative court within 30 days, 135 §),
with the computed dates.

Layout: A4 with 2.5 cm margins, one sans-serif font (Arial) at 11 pt, spaced headings, the
header with the public body on the left and the document title, number and date on the right,
the footer with the public body's contact details and "page X of Y" (PAGE and NUMPAGES fields).
"""

import io
import zipfile
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

KINDS = ("grant_decision", "rectification_decision", "payment_order", "agreement")
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
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

Cell = str | Sequence[str]  # one paragraph, or several


def _tr(lang: str) -> Callable[[str, str, str], str]:
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


def _table_borders(table: Table, edges: Sequence[str]) -> None:
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


def _new_document(lang: str, title: str) -> Document:
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


def _p(container, text: str = "", *, style: str | None = None, align=None, **run_format):
    paragraph = container.add_paragraph(style=style)
    if align is not None:
        paragraph.alignment = align
    return _runs(paragraph, text, **run_format)


def _tag(container, tag: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); it disappears."""
    container.add_paragraph().add_run(tag)


def _h1(document: Document, text: str, *, new_page: bool = False) -> None:
    heading = document.add_paragraph(style="Heading 1")
    _runs(heading, text)
    heading.paragraph_format.page_break_before = new_page


def _h2(document: Document, text: str) -> None:
    _runs(document.add_paragraph(style="Heading 2"), text)


def _h3(document: Document, text: str) -> None:
    _runs(document.add_paragraph(style="Heading 3"), text)


def _bullets(document: Document, items: Sequence[str]) -> None:
    for item in items:
        last = _p(document, item, style="List Bullet")
    last.paragraph_format.space_after = Pt(6)


def _highlight(document: Document, text: str) -> None:
    """A shaded, ruled paragraph for the one date that must not be missed."""
    paragraph = _p(document, text)
    _paragraph_border(paragraph, "top", "left", "bottom", "right", color="7F7F7F", size=6, space=4)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(5)
    _paragraph_shading(paragraph, SHADE)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(10)


def _fill(cell, content: Cell, *, align=None, bold: bool = False) -> None:
    parts = [content] if isinstance(content, str) else list(content)
    first = cell.paragraphs[0]
    for index, text in enumerate(parts):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.paragraph_format.line_spacing = 1.0
        if align is not None:
            paragraph.alignment = align
        _runs(paragraph, text, bold=bold)


def _widths(table: Table, widths: Sequence[Cm]) -> None:
    table.autofit = False
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _key_values(document: Document, rows: Sequence[tuple[str, Cell]], label: Cm = LABEL_WIDTH):
    """Label and value, no grid: the facts of the matter at a glance."""
    table = document.add_table(rows=0, cols=2)
    for key, value in rows:
        cells = table.add_row().cells
        _fill(cells[0], key, bold=True)
        _fill(cells[1], value)
    _widths(table, [label, TEXT_WIDTH - label])
    _table_borders(table, ())
    _after_table(document)
    return table


def _grid(
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
            _fill(
                cell, content, bold=bold, align=WD_ALIGN_PARAGRAPH.RIGHT if index in right else None
            )
        return row

    for index, (cell, text) in enumerate(zip(table.rows[0].cells, headers, strict=True)):
        _fill(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT if index in right else None)
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
    _widths(table, widths)
    _table_borders(table, ("top", "bottom", "insideH"))
    _after_table(document)
    return table


def _after_table(document: Document) -> None:
    """Some air after a table (Word puts the next paragraph right against it)."""
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = Pt(6)


# --- header and footer -------------------------------------------------------------------


def _header(document: Document, title: str, number: str, dated: str) -> None:
    """Left: the public body and its unit. Right: the document title, number and date."""
    header = document.sections[0].header
    table = header.add_table(rows=1, cols=2, width=TEXT_WIDTH)
    left, right = table.rows[0].cells
    _fill(left, ["**{{ public_body.name }}**", "{{ public_body.unit }}"])
    _fill(right, [f"**{title}**", number, dated], align=WD_ALIGN_PARAGRAPH.RIGHT)
    right.paragraphs[0].runs[0].font.size = Pt(12.5)
    _widths(table, [Cm(8.5), Cm(7.5)])
    _table_borders(table, ())
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


def _footer(document: Document, lang: str) -> None:
    tr = _tr(lang)
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


# --- shared decision parts ---------------------------------------------------------------


def _contact(document: Document, lang: str) -> None:
    tr = _tr(lang)
    _h2(document, tr("Lisätietoja antaa", "Ytterligare upplysningar ges av", "Further information"))
    _p(
        document,
        "{{ contact.name }}, {{ contact.title }}\n"
        + tr("puh.", "tfn", "tel.")
        + " {{ contact.phone }}, {{ contact.email }}",
    )


def _recipient(document: Document) -> None:
    """A decision sent by letter carries the association's address where a window envelope
    shows it (the registry prints and posts it: Administrative Procedure Act 59 §)."""
    _tag(document, '{%p if appeal.channel == "letter" and association.postal_address %}')
    _p(document, "{{ association.name }}\n{{ association.postal_address }}")
    _tag(document, "{%p endif %}")


def _decision_maker(document: Document, lang: str) -> None:
    tr = _tr(lang)
    _h2(document, tr("Päätöksentekijä", "Beslutsfattare", "Decision-maker"))
    _p(document, "**{{ decision.maker }}**\n{{ decision.maker_title }}")


def _notified(document: Document, lang: str) -> None:
    """How and when the decision was sent, and when the party is deemed to have received it
    (Administrative Procedure Act 59 §, Local Government Act 139–140 §, Act 13/2003 19 §)."""
    tr = _tr(lang)
    letter = '{% if appeal.channel == "letter" %}'
    _p(
        document,
        tr(
            "Tämä päätös on lähetetty **{{ appeal.sent_on|date }}** "
            + letter
            + "kirjeellä{% else %}sähköisesti{% endif %}. Asianosaisen katsotaan saaneen "
            "päätöksestä tiedon **{{ appeal.deemed_received_on|date }}**, "
            + letter
            + "seitsemäntenä päivänä kirjeen lähettämisestä{% else %}kolmantena päivänä viestin "
            "lähettämisestä{% endif %}, jollei muuta näytetä. Kunnan jäsenen katsotaan saaneen "
            "päätöksestä tiedon seitsemäntenä päivänä siitä, kun päätös on julkaistu yleisessä "
            "tietoverkossa.",
            "Detta beslut har sänts **{{ appeal.sent_on|date }}** "
            + letter
            + "per brev{% else %}elektroniskt{% endif %}. Parten anses ha fått del av beslutet "
            "**{{ appeal.deemed_received_on|date }}**, "
            + letter
            + "den sjunde dagen efter att brevet sändes{% else %}den tredje dagen efter att "
            "meddelandet sändes{% endif %}, om inte något annat visas. En kommunmedlem anses ha "
            "fått del av beslutet den sjunde dagen efter att det publicerades i det allmänna "
            "datanätet.",
            "This decision was sent on **{{ appeal.sent_on|date }}** "
            + letter
            + "by letter{% else %}electronically{% endif %}. The party is deemed to have "
            "received it on **{{ appeal.deemed_received_on|date }}**, "
            + letter
            + "the seventh day after the letter was sent{% else %}the third day after the "
            "message was sent{% endif %}, unless shown otherwise. A member of the municipality "
            "is deemed to have received it on the seventh day after it was published on the "
            "public data network.",
        ),
    )


def _authority(document: Document, lang: str, lead: str) -> None:
    tr = _tr(lang)
    _p(
        document,
        lead + "\n**{{ appeal.authority }}**\n"
        f"{tr('Osoite', 'Adress', 'Address')}: {{{{ appeal.address }}}}\n"
        f"{tr('Sähköposti', 'E-post', 'Email')}: {{{{ appeal.email }}}}",
    )


def _holiday_rule(lang: str, act: str) -> str:
    """The Act on the Calculation of Statutory Time Limits (150/1930), in words."""
    tr = _tr(lang)
    return tr(
        f"Tiedoksisaantipäivää ei lueta määräaikaan. Jos määräajan viimeinen päivä on pyhäpäivä, "
        f"itsenäisyyspäivä, vapunpäivä, joulu- tai juhannusaatto tai arkilauantai, {act} "
        f"ensimmäisenä arkipäivänä sen jälkeen.",
        f"Den dag då beslutet delgavs räknas inte in i tidsfristen. Om den sista dagen infaller "
        f"på en helgdag, självständighetsdagen, första maj, julafton, midsommarafton eller en "
        f"helgfri lördag, {act} den första vardagen därefter.",
        f"The day of service is not counted. If the last day falls on a public holiday, "
        f"Independence Day, May Day, Christmas Eve, Midsummer Eve or a Saturday, {act} on the "
        f"next working day.",
    )


def _rectification_instructions(document: Document, lang: str) -> None:
    """Oikaisuvaatimusohje: Local Government Act 134 §, Administrative Procedure Act 47 §."""
    tr = _tr(lang)
    _h1(
        document,
        tr(
            "Oikaisuvaatimusohje",
            "Anvisning om begäran om omprövning",
            "Instructions for requesting a review",
        ),
        new_page=True,
    )
    _p(
        document,
        tr(
            "Tähän päätökseen tyytymätön voi tehdä kirjallisen oikaisuvaatimuksen. Päätökseen ei "
            "saa hakea muutosta valittamalla tuomioistuimeen.",
            "Den som är missnöjd med detta beslut kan skriftligen begära omprövning av det. "
            "Ändring i beslutet får inte sökas genom besvär hos domstol.",
            "If you are dissatisfied with this decision, you may submit a written request for "
            "review (request for rectification). An appeal against this decision may not be "
            "lodged directly with a court.",
        ),
    )
    _h3(document, tr("Oikaisuvaatimusoikeus", "Rätt att begära omprövning", "Who may request"))
    _p(
        document,
        tr(
            "Oikaisuvaatimuksen saa tehdä se, johon päätös on kohdistettu tai jonka oikeuteen, "
            "velvollisuuteen tai etuun päätös välittömästi vaikuttaa (asianosainen), sekä kunnan "
            "jäsen.",
            "Omprövning får begäras av den som beslutet avser eller vars rätt, skyldighet eller "
            "fördel direkt påverkas av beslutet (part) samt av kommunmedlemmar.",
            "A review may be requested by the person or organisation to whom the decision is "
            "addressed or whose right, obligation or interest it directly affects (a party), and "
            "by members of the municipality.",
        ),
    )
    _h3(document, tr("Oikaisuvaatimusaika", "Tidsfrist", "Time limit"))
    _p(
        document,
        tr(
            "Oikaisuvaatimus on tehtävä {{ appeal.period_days }} päivän kuluessa päätöksen "
            "tiedoksisaannista. ",
            "Omprövning ska begäras inom {{ appeal.period_days }} dagar från delfåendet av "
            "beslutet. ",
            "The request must be made within {{ appeal.period_days }} days of service of the "
            "decision. ",
        )
        + _holiday_rule(
            lang,
            tr(
                "oikaisuvaatimuksen saa tehdä",
                "får omprövning begäras",
                "the request may be made",
            ),
        ),
    )
    _notified(document, lang)
    _highlight(
        document,
        tr(
            "Oikaisuvaatimuksen on oltava perillä viimeistään **{{ appeal.ends_on|date }}**.",
            "Begäran om omprövning ska ha kommit fram senast **{{ appeal.ends_on|date }}**.",
            "The request must reach the authority no later than **{{ appeal.ends_on|date }}**.",
        ),
    )
    _h3(
        document,
        tr("Oikaisuvaatimusviranomainen", "Myndighet som prövar begäran", "Where to submit it"),
    )
    _authority(
        document,
        lang,
        tr(
            "Oikaisuvaatimus tehdään viranomaiselle:",
            "Begäran om omprövning riktas till:",
            "Address the request to:",
        ),
    )
    _h3(
        document,
        tr(
            "Oikaisuvaatimuksen muoto ja sisältö",
            "Begärans form och innehåll",
            "Form and content of the request",
        ),
    )
    _p(
        document,
        tr(
            "Oikaisuvaatimus on tehtävä kirjallisesti. Siinä on ilmoitettava:",
            "Begäran om omprövning ska göras skriftligen. Av den ska framgå:",
            "The request must be made in writing and must state:",
        ),
    )
    _bullets(
        document,
        [
            tr(
                "päätös, johon oikaisuvaatimus kohdistuu (päätös {{ decision.number }}, "
                "{{ decision.date|date }})",
                "det beslut som begäran gäller (beslut {{ decision.number }}, "
                "{{ decision.date|date }})",
                "the decision concerned (decision {{ decision.number }} of "
                "{{ decision.date|date }})",
            ),
            tr(
                "miten päätöstä halutaan oikaistavaksi",
                "hur beslutet ska omprövas",
                "how the decision should be changed",
            ),
            tr(
                "millä perusteella oikaisua vaaditaan",
                "på vilka grunder omprövning begärs",
                "the grounds for the request",
            ),
            tr(
                "oikaisuvaatimuksen tekijän nimi ja kotikunta sekä postiosoite, puhelinnumero ja "
                "sähköpostiosoite, joihin asiaa koskevat ilmoitukset voidaan toimittaa.",
                "namn och hemkommun för den som begär omprövning samt den postadress, det "
                "telefonnummer och den e-postadress dit meddelanden i ärendet kan sändas.",
                "the name and municipality of residence of the person making the request, and "
                "the postal address, telephone number and email address for communications "
                "about the matter.",
            ),
        ],
    )
    _p(
        document,
        tr(
            "Jos oikaisuvaatimuksen tekijän puhevaltaa käyttää hänen laillinen edustajansa tai "
            "asiamiehensä tai jos oikaisuvaatimuksen laatijana on muu henkilö, "
            "oikaisuvaatimuksessa on ilmoitettava myös tämän nimi ja kotikunta.",
            "Om den som begär omprövning företräds av en laglig företrädare eller ett ombud, "
            "eller om någon annan har upprättat begäran, ska även dennes namn och hemkommun "
            "uppges.",
            "If the request is made through a legal representative or an agent, or drawn up by "
            "someone else, that person's name and municipality of residence must also be given.",
        ),
    )
    _h3(
        document,
        tr("Oikaisuvaatimuksen toimittaminen", "Inlämning av begäran", "How to submit it"),
    )
    _p(
        document,
        tr(
            "Oikaisuvaatimuksen voi toimittaa määräajassa postitse, lähetin välityksellä, "
            "henkilökohtaisesti tai sähköpostilla. Postitse ja sähköisesti lähetetty "
            "oikaisuvaatimus lähetetään lähettäjän omalla vastuulla. Henkilökohtaisesti tai "
            "lähetin välityksellä toimitettu oikaisuvaatimus on jätettävä ennen viraston "
            "aukioloajan päättymistä.",
            "Begäran om omprövning kan inom tidsfristen lämnas in per post, med bud, personligen "
            "eller per e-post. Post och elektroniska meddelanden sänds på avsändarens eget "
            "ansvar. En begäran som lämnas personligen eller med bud ska lämnas in före "
            "utgången av ämbetsverkets öppettid.",
            "The request may be delivered within the time limit by post, by courier, in person "
            "or by email. Post and email are sent at the sender's own risk. A request delivered "
            "in person or by courier must be handed in before the office closes.",
        ),
    )
    _h3(document, tr("Maksuttomuus", "Avgiftsfrihet", "Free of charge"))
    _p(
        document,
        tr(
            "Oikaisuvaatimuksen käsittely on maksutonta.",
            "Behandlingen av begäran om omprövning är avgiftsfri.",
            "There is no charge for handling a request for review.",
        ),
    )


def _court_appeal_instructions(document: Document, lang: str) -> None:
    """Valitusosoitus: a municipal appeal to the administrative court (Local Government Act
    135–137 §; Act on Administrative Court Procedure 808/2019 13–16 §)."""
    tr = _tr(lang)
    _h1(
        document, tr("Valitusosoitus", "Besvärsanvisning", "Instructions for appeal"), new_page=True
    )
    _p(
        document,
        tr(
            "Tähän päätökseen saa hakea muutosta kunnallisvalituksella hallinto-oikeudelta "
            "(kuntalaki 410/2015, 135 §).",
            "Ändring i detta beslut får sökas genom kommunalbesvär hos förvaltningsdomstolen "
            "(kommunallagen 410/2015, 135 §).",
            "This decision may be appealed against by a municipal appeal to the administrative "
            "court (Local Government Act 410/2015, section 135).",
        ),
    )
    _h3(document, tr("Valitusoikeus", "Besvärsrätt", "Right of appeal"))
    _p(
        document,
        tr(
            "Oikaisuvaatimukseen annettuun päätökseen saa hakea muutosta kunnallisvalituksella "
            "vain se, joka on tehnyt oikaisuvaatimuksen. Jos päätöstä on oikaisuvaatimuksen "
            "johdosta muutettu, saa päätökseen hakea muutosta kunnallisvalituksella myös "
            "asianosainen ja kunnan jäsen.",
            "Ändring i ett beslut som har meddelats med anledning av en begäran om omprövning "
            "får sökas genom kommunalbesvär endast av den som har begärt omprövning. Om beslutet "
            "har ändrats med anledning av begäran, får ändring sökas även av en part och av en "
            "kommunmedlem.",
            "Only the person who requested the review may appeal against a decision made on a "
            "request for review. If the decision was changed as a result of the request, a party "
            "and a member of the municipality may also appeal.",
        ),
    )
    _h3(document, tr("Valitusperusteet", "Besvärsgrunder", "Grounds of appeal"))
    _p(
        document,
        tr(
            "Kunnallisvalituksen saa tehdä sillä perusteella, että päätös on syntynyt "
            "virheellisessä järjestyksessä, päätöksen tehnyt viranomainen on ylittänyt "
            "toimivaltansa tai päätös on muuten lainvastainen.",
            "Kommunalbesvär får anföras på den grunden att beslutet har tillkommit i felaktig "
            "ordning, att den myndighet som fattat beslutet har överskridit sina befogenheter "
            "eller att beslutet annars strider mot lag.",
            "A municipal appeal may be made on the grounds that the decision was made in the "
            "wrong order, that the authority exceeded its powers, or that the decision is "
            "otherwise unlawful.",
        ),
    )
    _h3(document, tr("Valitusaika", "Besvärstid", "Time limit"))
    _p(
        document,
        tr(
            "Valitus on tehtävä {{ appeal.period_days }} päivän kuluessa päätöksen "
            "tiedoksisaannista. ",
            "Besvär ska anföras inom {{ appeal.period_days }} dagar från delfåendet av beslutet. ",
            "The appeal must be lodged within {{ appeal.period_days }} days of service of the "
            "decision. ",
        )
        + _holiday_rule(
            lang,
            tr("valituksen saa tehdä", "får besvär anföras", "the appeal may be lodged"),
        ),
    )
    _notified(document, lang)
    _highlight(
        document,
        tr(
            "Valituksen on oltava perillä hallinto-oikeudessa viimeistään "
            "**{{ appeal.ends_on|date }}**.",
            "Besväret ska ha kommit fram till förvaltningsdomstolen senast "
            "**{{ appeal.ends_on|date }}**.",
            "The appeal must reach the administrative court no later than "
            "**{{ appeal.ends_on|date }}**.",
        ),
    )
    _h3(document, tr("Valitusviranomainen", "Besvärsmyndighet", "Appeal authority"))
    _authority(
        document,
        lang,
        tr("Valitus tehdään:", "Besvär anförs hos:", "Lodge the appeal with:"),
    )
    _p(
        document,
        tr(
            "Valituksen voi tehdä myös hallinto- ja erityistuomioistuinten sähköisessä "
            "asiointipalvelussa.",
            "Besvär kan också anföras i förvaltnings- och specialdomstolarnas e-tjänst.",
            "The appeal may also be lodged through the e-service of the administrative and "
            "special courts.",
        ),
    )
    _h3(document, tr("Valituksen sisältö", "Besvärets innehåll", "Content of the appeal"))
    _p(document, tr("Valituksessa on ilmoitettava:", "I besväret ska uppges:", "State:"))
    _bullets(
        document,
        [
            tr(
                "päätös, johon haetaan muutosta (päätös {{ decision.number }}, "
                "{{ decision.date|date }})",
                "det beslut i vilket ändring söks (beslut {{ decision.number }}, "
                "{{ decision.date|date }})",
                "the decision appealed against (decision {{ decision.number }} of "
                "{{ decision.date|date }})",
            ),
            tr(
                "miltä kohdin päätökseen haetaan muutosta ja mitä muutoksia siihen vaaditaan "
                "tehtäväksi",
                "till vilka delar ändring söks i beslutet och vilka ändringar som yrkas",
                "which parts of the decision are appealed against and what changes are sought",
            ),
            tr("vaatimusten perustelut", "grunderna för yrkandena", "the grounds for the claims"),
            tr(
                "mihin valitusoikeus perustuu, jos päätös ei kohdistu valittajaan.",
                "vad besvärsrätten grundar sig på, om beslutet inte riktar sig till "
                "ändringssökanden.",
                "what the right of appeal is based on, if the decision is not addressed to the "
                "appellant.",
            ),
        ],
    )
    _p(
        document,
        tr(
            "Valituksessa on ilmoitettava valittajan nimi ja yhteystiedot. Jos puhevaltaa käyttää "
            "valittajan laillinen edustaja tai asiamies, myös tämän yhteystiedot on "
            "ilmoitettava. Yhteystietojen muutoksesta on valituksen vireillä ollessa "
            "ilmoitettava viipymättä hallinto-oikeudelle.",
            "I besväret ska ändringssökandens namn och kontaktuppgifter uppges. Om talan förs av "
            "en laglig företrädare eller ett ombud, ska också dennes kontaktuppgifter uppges. "
            "Ändrade kontaktuppgifter ska utan dröjsmål meddelas förvaltningsdomstolen medan "
            "ärendet är anhängigt.",
            "The appeal must give the appellant's name and contact details. If the appellant is "
            "represented by a legal representative or an agent, that person's contact details "
            "must also be given. Any change of contact details must be notified to the "
            "administrative court without delay while the appeal is pending.",
        ),
    )
    _h3(document, tr("Valituksen liitteet", "Bilagor till besväret", "Attachments"))
    _bullets(
        document,
        [
            tr(
                "valituksen kohteena oleva päätös alkuperäisenä tai jäljennöksenä",
                "det beslut i vilket ändring söks, i original eller kopia",
                "the decision appealed against, as an original or a copy",
            ),
            tr(
                "todistus siitä, minä päivänä päätös on annettu tiedoksi, tai muu selvitys "
                "valitusajan alkamisesta",
                "ett intyg över vilken dag beslutet har delgetts, eller annan utredning om när "
                "besvärstiden har börjat",
                "a certificate of the date on which the decision was served, or other evidence "
                "of when the time limit began",
            ),
            tr(
                "asiakirjat, joihin valittaja vetoaa vaatimustensa tueksi, jollei niitä ole jo "
                "toimitettu viranomaiselle.",
                "de handlingar som ändringssökanden åberopar till stöd för sina yrkanden, om de "
                "inte redan har lämnats in till myndigheten.",
                "the documents relied on in support of the claims, unless they have already "
                "been submitted to the authority.",
            ),
        ],
    )
    _h3(document, tr("Valituksen toimittaminen", "Inlämning av besväret", "How to submit it"))
    _p(
        document,
        tr(
            "Valituksen voi toimittaa hallinto-oikeudelle postitse, lähetin välityksellä, "
            "henkilökohtaisesti, sähköpostilla tai asiointipalvelussa. Valitus lähetetään omalla "
            "vastuulla, ja sen on oltava perillä viimeistään valitusajan viimeisenä päivänä "
            "ennen viraston aukioloajan päättymistä.",
            "Besväret kan lämnas in till förvaltningsdomstolen per post, med bud, personligen, "
            "per e-post eller i e-tjänsten. Besväret sänds på avsändarens eget ansvar och ska ha "
            "kommit fram senast den sista dagen av besvärstiden före utgången av ämbetsverkets "
            "öppettid.",
            "The appeal may be delivered to the administrative court by post, by courier, in "
            "person, by email or through the e-service. It is sent at the sender's own risk and "
            "must arrive no later than the last day of the time limit, before the court's office "
            "closes.",
        ),
    )
    _h3(document, tr("Oikeudenkäyntimaksu", "Rättegångsavgift", "Court fee"))
    _p(
        document,
        tr(
            "Hallinto-oikeus perii valituksen käsittelystä oikeudenkäyntimaksun "
            "tuomioistuinmaksulain (1455/2015) mukaisesti, jollei laissa toisin säädetä. "
            "Maksusta saa tietoa hallinto-oikeudesta.",
            "Förvaltningsdomstolen tar ut en rättegångsavgift för behandlingen av besväret enligt "
            "lagen om domstolsavgifter (1455/2015), om inte något annat föreskrivs i lag. "
            "Närmare upplysningar om avgiften ges av förvaltningsdomstolen.",
            "The administrative court charges a court fee for handling the appeal under the "
            "Court Fees Act (1455/2015), unless otherwise provided by law. The court gives more "
            "information about the fee.",
        ),
    )


# --- the document kinds ------------------------------------------------------------------


def grant_decision(lang: str) -> Document:
    """Päätös avustushakemukseen: approved, partially approved or rejected."""
    tr = _tr(lang)
    document = _new_document(lang, tr("Avustuspäätös", "Bidragsbeslut", "Grant decision"))
    _header(
        document,
        tr("PÄÄTÖS", "BESLUT", "DECISION"),
        "{{ decision.number }}",
        "{{ decision.date|date }}",
    )
    _footer(document, lang)
    _recipient(document)

    _h1(
        document,
        tr(
            "Päätös avustushakemukseen",
            "Beslut om ansökan om bidrag",
            "Decision on a grant application",
        ),
    )
    _key_values(
        document,
        [
            (tr("Hakija", "Sökande", "Applicant"), "**{{ association.name }}**"),
            (tr("Y-tunnus", "FO-nummer", "Business ID"), "{{ association.business_id }}"),
            (
                tr("Yhdistysrekisterinumero", "Föreningsregisternummer", "Register number"),
                "{{ association.register_number }}",
            ),
            (tr("Avustushaku", "Ansökningsomgång", "Call"), "{{ application.call }}"),
            (
                tr("Hakemus saapunut", "Ansökan inkommen", "Application received"),
                "{{ application.received_on|date }}",
            ),
            (
                tr("Haettu avustus", "Sökt belopp", "Amount applied for"),
                "{{ application.requested_amount|money }}",
            ),
        ],
    )

    _h2(document, tr("Hakemus", "Ansökan", "Application"))
    _p(
        document,
        tr("Käyttötarkoitus", "Ändamål", "Purpose") + ": {{ application.purpose }}",
    )
    _grid(
        document,
        [tr("Menoerä", "Kostnadspost", "Item"), tr("Määrä", "Belopp", "Amount")],
        [["{{ line.description }}", "{{ line.amount|money }}"]],
        [Cm(12), Cm(4)],
        right=(1,),
        loop="line in application.budget_lines",
        total=[tr("Yhteensä", "Totalt", "Total"), "{{ application.budget_total|money }}"],
    )

    _h2(document, tr("Päätös", "Beslut", "Decision"))
    _tag(document, '{%p if decision.outcome == "rejected" %}')
    _p(
        document,
        tr(
            "**Avustushakemus hylätään.**",
            "**Ansökan om bidrag avslås.**",
            "**The application is rejected.**",
        ),
    )
    _tag(document, '{%p elif decision.outcome == "partially_approved" %}')
    _p(
        document,
        tr(
            "Hakijalle myönnetään avustusta osittain **{{ application.granted_amount|money }}**. "
            "Haettu määrä oli {{ application.requested_amount|money }}.",
            "Sökanden beviljas delvis bidrag, **{{ application.granted_amount|money }}**. "
            "Det sökta beloppet var {{ application.requested_amount|money }}.",
            "The applicant is granted a partial grant of "
            "**{{ application.granted_amount|money }}**. The amount applied for was "
            "{{ application.requested_amount|money }}.",
        ),
    )
    _tag(document, "{%p else %}")
    _p(
        document,
        tr(
            "Hakijalle myönnetään avustusta haetun mukaisesti "
            "**{{ application.granted_amount|money }}**.",
            "Sökanden beviljas bidrag enligt ansökan, **{{ application.granted_amount|money }}**.",
            "The applicant is granted the amount applied for, "
            "**{{ application.granted_amount|money }}**.",
        ),
    )
    _tag(document, "{%p endif %}")

    _h2(document, tr("Perustelut", "Motivering", "Reasons"))
    _p(document, "{{ decision.reasons }}")
    _p(
        document,
        tr(
            "Sovelletut säännökset ja määräykset: kuntalaki (410/2015) 1 §, hallintolaki "
            "(434/2003) 45 §, avustushaun {{ application.call }} ehdot ja myöntäjän yleiset "
            "avustusehdot.",
            "Tillämpade bestämmelser: kommunallagen (410/2015) 1 §, förvaltningslagen "
            "(434/2003) 45 §, villkoren för ansökningsomgången {{ application.call }} och "
            "bidragsgivarens allmänna bidragsvillkor.",
            "Rules applied: Local Government Act (410/2015), section 1; Administrative Procedure "
            "Act (434/2003), section 45; the terms of the call {{ application.call }}; and the "
            "grant provider's general terms for grants.",
        ),
        color=GREY,
    )

    _tag(document, '{%p if decision.outcome != "rejected" %}')
    _tag(document, "{%p if decision.conditions %}")
    _h2(document, tr("Avustuksen ehdot", "Villkor för bidraget", "Conditions"))
    _p(document, "{{ decision.conditions }}")
    _tag(document, "{%p endif %}")
    _h2(
        document,
        tr("Selvitys avustuksen käytöstä", "Redovisning av bidraget", "Follow-up report"),
    )
    _p(
        document,
        tr(
            "Selvitys avustuksen käytöstä on toimitettava viimeistään "
            "**{{ report.due_on|date }}**. Käyttämättä jäänyt tai ehtojen vastaisesti käytetty "
            "avustus voidaan periä takaisin.",
            "En redovisning av hur bidraget har använts ska lämnas in senast "
            "**{{ report.due_on|date }}**. Bidrag som inte har använts eller som har använts i "
            "strid med villkoren kan återkrävas.",
            "A report on the use of the grant must be submitted by **{{ report.due_on|date }}**. "
            "Any part of the grant that is unused or used contrary to the conditions may be "
            "recovered.",
        ),
    )
    _h2(document, tr("Maksaminen", "Utbetalning", "Payment"))
    _p(
        document,
        tr(
            "Avustus maksetaan hakijan tilille {{ association.iban }}, kun päätös on tullut "
            "lainvoimaiseksi.",
            "Bidraget betalas till sökandens konto {{ association.iban }} när beslutet har vunnit "
            "laga kraft.",
            "The grant will be paid to the applicant's account {{ association.iban }} once the "
            "decision has become legally valid.",
        ),
    )
    _tag(document, "{%p endif %}")

    _contact(document, lang)
    _decision_maker(document, lang)
    _h2(document, tr("Muutoksenhaku", "Ändringssökande", "Requesting a review"))
    _p(
        document,
        tr(
            "Oikaisuvaatimusohje on liitteenä. Oikaisuvaatimuksen viimeinen päivä on "
            "**{{ appeal.ends_on|date }}**.",
            "Anvisning om begäran om omprövning finns som bilaga. Sista dagen att begära "
            "omprövning är **{{ appeal.ends_on|date }}**.",
            "The instructions for requesting a review are attached. The last day to request a "
            "review is **{{ appeal.ends_on|date }}**.",
        ),
    )
    _h2(document, tr("Jakelu", "Sändlista", "Distribution"))
    _p(document, "{{ association.name }}")

    _rectification_instructions(document, lang)
    return document


def rectification_decision(lang: str) -> Document:
    """Päätös oikaisuvaatimukseen, with appeal instructions to the administrative court."""
    tr = _tr(lang)
    document = _new_document(
        lang,
        tr(
            "Päätös oikaisuvaatimukseen",
            "Beslut om begäran om omprövning",
            "Decision on a request for review",
        ),
    )
    _header(
        document,
        tr("PÄÄTÖS", "BESLUT", "DECISION"),
        "{{ decision.number }}",
        "{{ decision.date|date }}",
    )
    _footer(document, lang)
    _recipient(document)

    _h1(
        document,
        tr(
            "Päätös oikaisuvaatimukseen",
            "Beslut om begäran om omprövning",
            "Decision on a request for review",
        ),
    )
    _key_values(
        document,
        [
            (
                tr("Oikaisuvaatimuksen tekijä", "Den som begär omprövning", "Requested by"),
                "**{{ association.name }}**",
            ),
            (tr("Y-tunnus", "FO-nummer", "Business ID"), "{{ association.business_id }}"),
            (
                tr("Oikaisuvaatimus saapunut", "Begäran inkommen", "Request received"),
                "{{ rectification.filed_on|date }}",
            ),
            (
                tr("Oikaistava päätös", "Beslut som begäran gäller", "Decision"),
                "{{ original.number }}, {{ original.date|date }}",
            ),
            (
                tr("Myönnetty avustus", "Beviljat bidrag", "Grant awarded"),
                "{{ original.granted_amount|money }}",
            ),
        ],
        label=Cm(6),
    )

    _h2(document, tr("Oikaisuvaatimus", "Begäran om omprövning", "The request"))
    _p(
        document,
        tr(
            "Oikaisuvaatimuksen tekijä vaatii avustuspäätöksen {{ original.number }} oikaisemista "
            "seuraavin perustein:",
            "Den som begär omprövning yrkar att bidragsbeslut {{ original.number }} ändras på "
            "följande grunder:",
            "The requester asks for grant decision {{ original.number }} to be changed on the "
            "following grounds:",
        ),
    )
    _p(document, "{{ rectification.grounds }}")

    _h2(document, tr("Päätös", "Beslut", "Decision"))
    _tag(document, '{%p if decision.outcome == "changed" %}')
    _p(
        document,
        tr(
            "Oikaisuvaatimus hyväksytään ja avustuspäätöstä {{ original.number }} muutetaan. "
            "Avustuksen määrä on **{{ decision.granted_amount|money }}** (aiemmin "
            "{{ original.granted_amount|money }}).",
            "Begäran om omprövning godkänns och bidragsbeslut {{ original.number }} ändras. "
            "Bidraget uppgår till **{{ decision.granted_amount|money }}** (tidigare "
            "{{ original.granted_amount|money }}).",
            "The request is granted and grant decision {{ original.number }} is changed. The "
            "grant is **{{ decision.granted_amount|money }}** (previously "
            "{{ original.granted_amount|money }}).",
        ),
    )
    _tag(document, "{%p else %}")
    _p(
        document,
        tr(
            "Oikaisuvaatimus hylätään. Avustuspäätös {{ original.number }} pysyy voimassa; "
            "avustuksen määrä on **{{ decision.granted_amount|money }}**.",
            "Begäran om omprövning avslås. Bidragsbeslut {{ original.number }} står fast; "
            "bidraget uppgår till **{{ decision.granted_amount|money }}**.",
            "The request is rejected. Grant decision {{ original.number }} stands; the grant is "
            "**{{ decision.granted_amount|money }}**.",
        ),
    )
    _tag(document, "{%p endif %}")

    _h2(document, tr("Perustelut", "Motivering", "Reasons"))
    _p(document, "{{ decision.reasons }}")
    _p(
        document,
        tr(
            "Sovelletut säännökset: kuntalaki (410/2015) 134–136 §, hallintolaki (434/2003) 45 §.",
            "Tillämpade bestämmelser: kommunallagen (410/2015) 134–136 §, förvaltningslagen "
            "(434/2003) 45 §.",
            "Rules applied: Local Government Act (410/2015), sections 134–136; Administrative "
            "Procedure Act (434/2003), section 45.",
        ),
        color=GREY,
    )

    _contact(document, lang)
    _decision_maker(document, lang)
    _h2(document, tr("Muutoksenhaku", "Ändringssökande", "Appeal"))
    _p(
        document,
        tr(
            "Valitusosoitus on liitteenä. Valitusajan viimeinen päivä on "
            "**{{ appeal.ends_on|date }}**.",
            "Besvärsanvisningen finns som bilaga. Sista dagen att anföra besvär är "
            "**{{ appeal.ends_on|date }}**.",
            "The instructions for appeal are attached. The last day to appeal is "
            "**{{ appeal.ends_on|date }}**.",
        ),
    )
    _h2(document, tr("Jakelu", "Sändlista", "Distribution"))
    _p(document, "{{ association.name }}")

    _court_appeal_instructions(document, lang)
    return document


def payment_order(lang: str) -> Document:
    """Maksatusmääräys: finance's instruction to pay an instalment of a legally valid grant."""
    tr = _tr(lang)
    document = _new_document(lang, tr("Maksatusmääräys", "Utbetalningsorder", "Payment order"))
    _header(
        document,
        tr("MAKSATUSMÄÄRÄYS", "UTBETALNINGSORDER", "PAYMENT ORDER"),
        "{{ order.number }}",
        "{{ order.date|date }}",
    )
    _footer(document, lang)

    _h1(
        document,
        tr("Avustuksen maksaminen", "Utbetalning av bidrag", "Payment of a grant"),
    )
    _p(
        document,
        tr(
            "Avustus maksetaan lainvoimaisen avustuspäätöksen {{ decision.number }} perusteella "
            "seuraavasti.",
            "Bidraget betalas ut på grundval av bidragsbeslut {{ decision.number }}, som har "
            "vunnit laga kraft, enligt följande.",
            "The grant is paid on the basis of grant decision {{ decision.number }}, which has "
            "become legally valid, as follows.",
        ),
    )
    _h2(document, tr("Saaja", "Mottagare", "Payee"))
    _key_values(
        document,
        [
            (tr("Saaja", "Mottagare", "Payee"), "**{{ payee.name }}**"),
            (tr("Y-tunnus", "FO-nummer", "Business ID"), "{{ payee.business_id }}"),
            (tr("Tilinumero (IBAN)", "Kontonummer (IBAN)", "Account (IBAN)"), "{{ payee.iban }}"),
        ],
    )
    _h2(document, tr("Maksu", "Betalning", "Payment"))
    _key_values(
        document,
        [
            (
                tr("Maksettava määrä", "Belopp att betala", "Amount to pay"),
                "**{{ payment.amount|money }}**",
            ),
            (tr("Maksuerä", "Betalningsrat", "Instalment"), "{{ payment.instalment }}"),
            (tr("Eräpäivä", "Förfallodag", "Due date"), "{{ order.due_on|date }}"),
            (tr("Viite", "Referens", "Reference"), "{{ payment.reference }}"),
            (tr("Viesti", "Meddelande", "Message"), "{{ payment.message }}"),
        ],
    )
    _h2(
        document,
        tr(
            "Päätös, johon maksu perustuu",
            "Beslut som betalningen grundar sig på",
            "Decision the payment is based on",
        ),
    )
    _key_values(
        document,
        [
            (
                tr("Avustuspäätös", "Bidragsbeslut", "Grant decision"),
                "{{ decision.number }}, {{ decision.date|date }}",
            ),
            (
                tr("Lainvoimainen", "Laga kraft", "Legally valid on"),
                "{{ decision.legally_valid_on|date }}",
            ),
            (
                tr("Myönnetty avustus", "Beviljat bidrag", "Amount granted"),
                "{{ decision.granted_amount|money }}",
            ),
            (
                tr("Aiemmin maksettu", "Tidigare utbetalt", "Paid before"),
                "{{ decision.paid_before|money }}",
            ),
            (
                tr("Tämä maksuerä", "Denna rat", "This instalment"),
                "{{ payment.amount|money }}",
            ),
        ],
    )
    _h2(document, tr("Tiliöinti", "Kontering", "Accounting"))
    _grid(
        document,
        [
            tr("Kustannuspaikka", "Kostnadsställe", "Cost centre"),
            tr("Tili", "Konto", "Account"),
            tr("Määrä", "Belopp", "Amount"),
        ],
        [
            [
                "{{ accounting.cost_centre }}",
                "{{ accounting.account }}",
                "{{ payment.amount|money }}",
            ]
        ],
        [Cm(6), Cm(5), Cm(5)],
        right=(2,),
    )
    _h2(document, tr("Hyväksyntä", "Godkännande", "Approval"))
    _p(
        document,
        tr(
            "Hyväksytty maksettavaksi {{ order.date|date }}.",
            "Godkänt för utbetalning {{ order.date|date }}.",
            "Approved for payment on {{ order.date|date }}.",
        ),
    )
    signature = _p(document, "\n\n______________________________________")
    signature.paragraph_format.space_after = Pt(0)
    signature.paragraph_format.keep_with_next = True
    _p(document, "**{{ approver.name }}**\n{{ approver.title }}")
    return document


# The associations' names, comma-separated, inside one run.
_ASSOCIATION_NAMES = (
    "{% for association in associations %}{{ association.name }}"
    "{% if not loop.last %}, {% endif %}{% endfor %}"
)


def _resources(document: Document, lang: str) -> None:
    """Each resource of each year, then the yearly totals (money, and the value of premises
    and staff time)."""
    tr = _tr(lang)
    week, year = tr("vko", "vecka", "week"), tr("v", "år", "year")
    # The instalments go to the lead association (agreements.instalments opens the payables).
    payee = "{{ associations[0].iban }} ({{ associations[0].name }})"
    _grid(
        document,
        [
            tr("Vuosi", "År", "Year"),
            tr("Resurssi", "Resurs", "Resource"),
            tr("Antaja", "Ges av", "Provided by"),
            tr("Tunnit", "Timmar", "Hours"),
            tr("Arvo", "Värde", "Value"),
            tr("Maksetaan", "Betalas", "Paid on"),
        ],
        [
            [
                "{{ resource.year }}",
                '**{% if resource.kind == "money" %}'
                + tr("Raha-avustus", "Penningbidrag", "Funding")
                + '{% elif resource.kind == "premises" %}'
                + tr("Maksuton tila", "Avgiftsfri lokal", "Free premises")
                + "{% else %}"
                + tr("Työaika", "Arbetstid", "Staff time")
                + "{% endif %}**{% if resource.description %}: {{ resource.description }}"
                "{% endif %}",
                '{% if resource.provided_by == "public_body" %}{{ public_body.name }}{% else %}'
                + _ASSOCIATION_NAMES
                + "{% endif %}",
                # "6 h/week (312 h/year)" or "100 h/year"
                "{% if resource.hours %}{{ resource.hours }} h/"
                + '{% if resource.hours_per == "week" %}'
                + f"{week} ({{{{ resource.hours_per_year }}}} h/{year})"
                + f"{{% else %}}{year}{{% endif %}}{{% endif %}}",
                "{{ resource.amount|money }}",
                "{{ resource.pays_on|date }}",
            ]
        ],
        [Cm(1.5), Cm(4.0), Cm(2.8), Cm(2.6), Cm(2.5), Cm(2.6)],
        right=(3, 4, 5),
        loop="resource in resources",
    )
    _grid(
        document,
        [
            tr("Vuosi", "År", "Year"),
            tr("Raha-avustus", "Penningbidrag", "Funding"),
            tr("Tilojen arvo", "Lokalernas värde", "Value of premises"),
            tr("Työajan arvo", "Arbetstidens värde", "Value of staff time"),
            tr("Yhteensä", "Totalt", "Total"),
        ],
        [
            [
                "{{ year.year }}",
                "{{ year.money|money }}",
                "{{ year.premises|money }}",
                "{{ year.staff|money }}",
                "**{{ year.total|money }}**",
            ]
        ],
        [Cm(1.8), Cm(3.55), Cm(3.55), Cm(3.55), Cm(3.55)],
        right=(1, 2, 3, 4),
        loop="year in years",
    )
    _p(
        document,
        tr(
            "Raha-avustus maksetaan tilille " + payee + " kunkin erän maksupäivänä, kuitenkin "
            "aikaisintaan kun sopimuksen hyväksymispäätös on lainvoimainen. Tilojen ja työajan "
            "arvo on laskennallinen; sitä ei makseta.",
            "Penningbidraget betalas till kontot " + payee + " på varje posts betalningsdag, "
            "dock tidigast när beslutet att godkänna avtalet har vunnit laga kraft. Lokalernas "
            "och arbetstidens värde är kalkylerat; det betalas inte ut.",
            "The funding is paid to account " + payee + " on each instalment's date, but not "
            "before the decision approving the agreement has become legally valid. The value of "
            "premises and staff time is an estimate; it is not paid.",
        ),
    )


def _signatures(document: Document, lang: str) -> None:
    """One row per signature a side requires (an association's rules often require two
    jointly): who signed and when once signed, lines to sign on until then."""
    tr = _tr(lang)
    _tag(document, "{%p if agreement.in_force_from %}")
    _p(
        document,
        tr(
            "Sopimus on allekirjoitettu sähköisesti. Tämä versio on voimassa "
            "**{{ agreement.in_force_from|date }}** alkaen.",
            "Avtalet har undertecknats elektroniskt. Denna version gäller från och med "
            "**{{ agreement.in_force_from|date }}**.",
            "The agreement has been signed electronically. This version is in force from "
            "**{{ agreement.in_force_from|date }}**.",
        ),
    )
    _tag(document, "{%p else %}")
    _p(
        document,
        tr(
            "Sopimus tulee voimaan, kun jokainen sopijapuoli on allekirjoittanut sen niin kuin "
            "sen nimenkirjoitussäännöt edellyttävät: alla on rivi kullekin vaadittavalle "
            "allekirjoitukselle.",
            "Avtalet träder i kraft när varje avtalspart har undertecknat det så som dess "
            "namnteckningsregler kräver: nedan finns en rad för varje underskrift som krävs.",
            "The agreement comes into force once every party has signed it as its rules on "
            "signing require: below is one line for each signature required.",
        ),
    )
    _tag(document, "{%p endif %}")
    line = "_______________________________"
    signatures = document.add_table(rows=0, cols=2)
    for row_cells in (
        ["{%tr for signatory in signatories %}", ""],
        ["{%tr if signatory.signed_at %}", ""],
        [
            [
                "**{{ signatory.party }}**",
                tr(
                    "Allekirjoitettu sähköisesti",
                    "Undertecknat elektroniskt",
                    "Signed electronically",
                )
                + " {{ signatory.signed_at|date }}",
            ],
            ["**{{ signatory.name }}**", "{{ signatory.title }}"],
        ],
        ["{%tr else %}", ""],
        [
            [
                "**{{ signatory.party }}**",
                "",
                line,
                tr("Paikka ja aika", "Ort och datum", "Place and date"),
            ],
            [
                "",
                "",
                line,
                tr(
                    "Allekirjoitus ja nimenselvennys",
                    "Underskrift och namnförtydligande",
                    "Signature and name in block letters",
                ),
            ],
        ],
        ["{%tr endif %}", ""],
        ["{%tr endfor %}", ""],
    ):
        row = signatures.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, content in zip(row.cells, row_cells, strict=True):
            _fill(cell, content)
            cell.paragraphs[-1].paragraph_format.space_after = Pt(18)
    _widths(signatures, [Cm(8), Cm(8)])
    _table_borders(signatures, ())
    _after_table(document)


def agreement(lang: str) -> Document:
    """Kumppanuussopimus: one version of a partnership agreement (the parties, purpose, term,
    goals, responsibilities, resources, contact people, cooperation, notice), the public body's
    decision approving it and the signatures each side requires, naming who signed and when
    once signed. The approval is a municipal decision, so it shows what Administrative
    Procedure Act 44–45 § require and comes with the rectification instructions (Local
    Government Act 134 §, Administrative Procedure Act 47 §)."""
    tr = _tr(lang)
    document = _new_document(
        lang, tr("Kumppanuussopimus", "Partnerskapsavtal", "Partnership agreement")
    )
    _header(
        document,
        tr("KUMPPANUUSSOPIMUS", "PARTNERSKAPSAVTAL", "PARTNERSHIP AGREEMENT"),
        "{{ agreement.number }}",
        tr("Versio", "Version", "Version") + " {{ agreement.version }}",
    )
    _footer(document, lang)

    _h1(document, "{{ agreement.title }}")
    _h2(document, tr("1 Sopijapuolet", "1 Avtalsparter", "1 Parties"))
    _p(
        document,
        "**{{ public_body.name }}**, {{ public_body.unit }}\n"
        + tr("Y-tunnus", "FO-nummer", "Business ID")
        + " {{ public_body.business_id }}, {{ public_body.address }}",
    )
    _tag(document, "{%p for association in associations %}")
    _p(
        document,
        "**{{ association.name }}**\n"
        + tr("Y-tunnus", "FO-nummer", "Business ID")
        + " {{ association.business_id }}, "
        + tr("yhdistysrekisterinumero", "föreningsregisternummer", "register number")
        + " {{ association.register_number }}\n"
        + tr("Tilinumero", "Kontonummer", "Account")
        + " {{ association.iban }}, {{ association.email }}",
    )
    _tag(document, "{%p endfor %}")

    _h2(document, tr("2 Sopimuksen tarkoitus", "2 Avtalets syfte", "2 Purpose"))
    _p(document, "{{ agreement.purpose }}")

    _h2(document, tr("3 Sopimuskausi", "3 Avtalsperiod", "3 Term"))
    _p(
        document,
        tr(
            "Sopimus on voimassa **{{ agreement.starts_on|date }} – {{ agreement.ends_on|date }}**."
            "{% if agreement.version > 1 %} Tämä sopimuksen versio {{ agreement.version }} "
            "korvaa aiemmat versiot.{% endif %}",
            "Avtalet gäller **{{ agreement.starts_on|date }} – {{ agreement.ends_on|date }}**."
            "{% if agreement.version > 1 %} Denna version {{ agreement.version }} av avtalet "
            "ersätter de tidigare versionerna.{% endif %}",
            "The agreement is in force from **{{ agreement.starts_on|date }}** to "
            "**{{ agreement.ends_on|date }}**.{% if agreement.version > 1 %} This version "
            "{{ agreement.version }} replaces the earlier versions.{% endif %}",
        ),
    )

    _h2(
        document,
        tr(
            "4 Yhteiset tavoitteet ja mittarit",
            "4 Gemensamma mål och indikatorer",
            "4 Shared goals and indicators",
        ),
    )
    _grid(
        document,
        [
            tr("Tavoite", "Mål", "Goal"),
            tr("Mittari", "Indikator", "Indicator"),
            tr("Tavoitetaso", "Målnivå", "Target"),
        ],
        [["{{ goal.goal }}", "{{ goal.indicator }}", "{{ goal.target }}"]],
        [Cm(6.5), Cm(6.5), Cm(3)],
        right=(2,),
        loop="goal in goals",
    )

    _h2(document, tr("5 Osapuolten vastuut", "5 Parternas ansvar", "5 Responsibilities"))
    _p(document, "**{{ public_body.name }}**\n{{ responsibilities.public_body }}")
    _p(document, f"**{_ASSOCIATION_NAMES}**\n{{{{ responsibilities.association }}}}")

    _h2(document, tr("6 Resurssit", "6 Resurser", "6 Resources"))
    _resources(document, lang)

    _h2(document, tr("7 Yhteyshenkilöt", "7 Kontaktpersoner", "7 Contact persons"))
    _grid(
        document,
        ["{{ public_body.name }}", _ASSOCIATION_NAMES],
        [
            [
                [
                    "**{{ contacts.public_body.name }}**",
                    "{{ contacts.public_body.title }}",
                    "{{ contacts.public_body.phone }}",
                    "{{ contacts.public_body.email }}",
                ],
                [
                    "**{{ contacts.association.name }}**",
                    "{{ contacts.association.title }}",
                    "{{ contacts.association.phone }}",
                    "{{ contacts.association.email }}",
                ],
            ]
        ],
        [Cm(8), Cm(8)],
    )

    _h2(
        document,
        tr(
            "8 Yhteistyö ja seuranta",
            "8 Samarbete och uppföljning",
            "8 Cooperation and follow-up",
        ),
    )
    yearly = "{% if agreement.evaluation_every_months == 12 %}"
    _p(
        document,
        tr(
            "Osapuolet pitävät yhteistyökokouksen vähintään {{ agreement.meetings_per_year }} "
            "kertaa vuodessa. Tavoitteiden toteutumista arvioidaan "
            + yearly
            + "kerran vuodessa{% else %}{{ agreement.evaluation_every_months }} kuukauden "
            "välein{% endif %}: yhdistys raportoi mittarien arvot, ja arviointi käsitellään "
            "yhteistyökokouksessa.",
            "Parterna håller samarbetsmöte minst {{ agreement.meetings_per_year }} gånger per "
            "år. Hur målen har nåtts utvärderas "
            + yearly
            + "en gång per år{% else %}med {{ agreement.evaluation_every_months }} månaders "
            "mellanrum{% endif %}: föreningen rapporterar indikatorernas värden och "
            "utvärderingen behandlas vid ett samarbetsmöte.",
            "The parties hold a cooperation meeting at least {{ agreement.meetings_per_year }} "
            "times a year. Progress towards the goals is evaluated "
            + yearly
            + "once a year{% else %}every {{ agreement.evaluation_every_months }} months"
            "{% endif %}: the association reports the indicators' values and the evaluation is "
            "discussed at a cooperation meeting.",
        ),
    )

    _h2(
        document,
        tr(
            "9 Sopimuksen muuttaminen ja päättyminen",
            "9 Ändring och upphörande",
            "9 Amendment and termination",
        ),
    )
    _p(
        document,
        tr(
            "Sopimusta voidaan muuttaa osapuolten kirjallisella sopimuksella. Muutos tehdään "
            "sopimuksen uutena versiona; voimassa oleva versio on voimassa, kunnes muutos on "
            "hyväksytty ja allekirjoitettu. Kumpikin osapuoli voi irtisanoa sopimuksen "
            "kirjallisesti perustellen, ja sopimus päättyy "
            "{% if agreement.notice_period_months %}{{ agreement.notice_period_months }} "
            "kuukauden irtisanomisajan kuluttua{% else %}heti{% endif %}. Muutoin sopimus "
            "päättyy sopimuskauden päättyessä.",
            "Avtalet kan ändras genom skriftlig överenskommelse mellan parterna. Ändringen görs "
            "som en ny version av avtalet; den gällande versionen gäller tills ändringen har "
            "godkänts och undertecknats. Vardera parten kan säga upp avtalet skriftligen med "
            "angivande av skäl, och avtalet upphör "
            "{% if agreement.notice_period_months %}efter en uppsägningstid på "
            "{{ agreement.notice_period_months }} månader{% else %}genast{% endif %}. I övrigt "
            "upphör avtalet när avtalsperioden löper ut.",
            "The agreement may be amended by written agreement of the parties. An amendment is "
            "made as a new version of the agreement; the version in force stays in force until "
            "the amendment has been approved and signed. Either party may terminate the "
            "agreement in writing, giving its reasons, and the agreement then ends "
            "{% if agreement.notice_period_months %}after a notice period of "
            "{{ agreement.notice_period_months }} months{% else %}at once{% endif %}. "
            "Otherwise the agreement expires at the end of its term.",
        ),
    )

    _h2(document, tr("10 Sopimuksen hyväksyminen", "10 Godkännande av avtalet", "10 Approval"))
    title = "{% if decision.maker_title %}, {{ decision.maker_title }}{% endif %}"
    _p(
        document,
        tr(
            "{{ public_body.name }} on hyväksynyt sopimuksen päätöksellään "
            "**{{ decision.date|date }}** ({{ decision.number }}). Päätöksen teki "
            "{{ decision.maker }}" + title + ".",
            "{{ public_body.name }} har godkänt avtalet genom sitt beslut "
            "**{{ decision.date|date }}** ({{ decision.number }}). Beslutet fattades av "
            "{{ decision.maker }}" + title + ".",
            "{{ public_body.name }} approved the agreement by its decision of "
            "**{{ decision.date|date }}** ({{ decision.number }}). The decision was made by "
            "{{ decision.maker }}" + title + ".",
        ),
    )
    _h3(document, tr("Perustelut", "Motivering", "Reasons"))
    _p(document, "{{ decision.reasons }}")
    _p(
        document,
        tr(
            "Sovelletut säännökset: kuntalaki (410/2015) 1 § ja 22 §, hallintolaki (434/2003) "
            "45 §.",
            "Tillämpade bestämmelser: kommunallagen (410/2015) 1 § och 22 §, förvaltningslagen "
            "(434/2003) 45 §.",
            "Rules applied: Local Government Act (410/2015), sections 1 and 22; Administrative "
            "Procedure Act (434/2003), section 45.",
        ),
        color=GREY,
    )

    _h2(document, tr("11 Allekirjoitukset", "11 Underskrifter", "11 Signatures"))
    _signatures(document, lang)

    _contact(document, lang)
    _h2(document, tr("Muutoksenhaku", "Ändringssökande", "Requesting a review"))
    _p(
        document,
        tr(
            "Sopimuksen hyväksymispäätökseen voi hakea oikaisua; oikaisuvaatimusohje on "
            "liitteenä. Oikaisuvaatimuksen viimeinen päivä on **{{ appeal.ends_on|date }}**.",
            "Omprövning av beslutet att godkänna avtalet kan begäras; anvisningen finns som "
            "bilaga. Sista dagen att begära omprövning är **{{ appeal.ends_on|date }}**.",
            "A review of the decision approving the agreement may be requested; the "
            "instructions are attached. The last day to request a review is "
            "**{{ appeal.ends_on|date }}**.",
        ),
    )

    _rectification_instructions(document, lang)
    return document


BUILDERS: dict[str, Callable[[str], Document]] = {
    "grant_decision": grant_decision,
    "rectification_decision": rectification_decision,
    "payment_order": payment_order,
    "agreement": agreement,
}


def build(kind: str, lang: str) -> bytes:
    """The template's bytes. The zip entries carry a fixed time, so a rebuild of an unchanged
    template gives the same bytes (and the same SHA-256)."""
    if lang not in LANGUAGES:
        raise ValueError(f"Unknown language: {lang!r}")
    raw = io.BytesIO()
    BUILDERS[kind](lang).save(raw)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info))
    return out.getvalue()
