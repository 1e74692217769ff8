"""The documents as a municipal registrar reads them: every kind in Finnish, Swedish and English,
with a fully described matter and with a sparse one (documents.samples.SPARSE: no unit, postal
address or phone, a contact without phone or title, an unsigned draft), converted with
LibreOffice in one start and read back with `pdftotext -layout`.

No word of a label or heading breaks inside, no label stands without its value, no separator
is left between empty values, the last page is no stray line or two, the section and the
business ID are never split, and the official marks (the electronic signature, the approval of
a payment) are there exactly when they happened."""

import io
import re
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from documents import pdf
from documents.rendering import CompiledTemplate
from documents.samples import sample
from documents.template_builder import KINDS, LANGUAGES
from documents.templates import SHIPPED
from tests.documents.test_pdf import IN_CI

pytestmark = pytest.mark.libreoffice

VARIANTS = ("full", "sparse")
CASES = [(kind, lang, variant) for kind in KINDS for lang in LANGUAGES for variant in VARIANTS]
DECISIONS = ("grant_decision", "rectification_decision", "agreement")
NBSP, NNBSP = "\u00a0", "\u202f"

# Labels of facts a body or a person may not have: never printed without their value.
OPTIONAL_LABELS = (
    "Osoite:",
    "Sähköposti:",
    "Adress:",
    "E-post:",
    "Address:",
    "Email:",
    "puh.",
    "tfn",
    "tel.",
    "Y-tunnus",
    "FO-nummer",
    "Business ID",
    "Lainvoimainen",
    "Laga kraft",
    "Legally valid on",
    "Maksettavissa alkaen",
    "Kan betalas från",
    "Payable from",
)
# What a separator left between (or after) empty values looks like.
DEBRIS = (
    r"(puh|tfn|tel)\.\s*(,|$)",
    r",\s*,",
    r"·\s*·",
    r"·\s*$",
    r"^\s*·",
    r"\(\s*,|,\s*\)",
    r"Esimerkkilän kaupunki,\s*$",
    r",\s*§(?!\s*\d)",  # a section of the register without its number
)
SIGNED = {
    "fi": "Sähköisesti allekirjoitettu",
    "sv": "Elektroniskt undertecknat",
    "en": "Electronically signed",
}
PAGE_NUMBER = re.compile(r"^(Sivu|Sida|Page) \d+ (/|of) \d+$")


def context(kind: str, lang: str, variant: str) -> dict:
    return sample(kind, lang, sparse=variant == "sparse")


def rendered(kind: str, lang: str, variant: str) -> bytes:
    template = CompiledTemplate((SHIPPED / f"{kind}.{lang}.docx").read_bytes())
    return template.render(context(kind, lang, variant))


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[tuple[str, str, str], tuple[bytes, str]]:
    """Each case's rendered .docx and its PDF's text (`pdftotext -layout`, no-break spaces
    read as spaces), every PDF made in one LibreOffice start."""
    missing = [
        name
        for name, there in (
            ("LibreOffice", pdf.libreoffice_available()),
            ("pdftotext", shutil.which("pdftotext")),
        )
        if not there
    ]
    if missing:
        if IN_CI:
            pytest.fail(f"CI must run the layout tests: install {', '.join(missing)}.")
        pytest.skip(f"needs {', '.join(missing)}")
    docxs = [rendered(*case) for case in CASES]
    folder = tmp_path_factory.mktemp("layout")
    texts = {}
    for number, (case, data) in enumerate(zip(CASES, pdf.docx_to_pdf_many(docxs), strict=True)):
        path = folder / f"{number}.pdf"
        path.write_bytes(data)
        text = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout.decode("utf-8")
        texts[case] = text.replace(NBSP, " ").replace(NNBSP, " ")
    return {case: (docxs[index], texts[case]) for index, case in enumerate(CASES)}


def bold_words_in_tables(data: bytes) -> set[str]:
    """The words the tables of a rendered document set in bold, whole (with what follows them
    up to the next space): labels, column headings, the party's name."""
    body = docx.Document(io.BytesIO(data)).element.body
    words = set()
    for cell in body.iter(qn("w:tc")):
        for element in cell.iter(qn("w:p")):
            runs = Paragraph(element, None).runs
            text = "".join(run.text for run in runs).replace(NBSP, " ")
            bold = [bool(run.bold) for run in runs for _ in run.text]
            words.update(
                word.group()
                for word in re.finditer(r"\S+", text)
                if any(bold[word.start() : word.end()])
            )
    return words


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(("kind", "lang", "variant"), CASES)
def test_no_word_of_a_label_or_heading_breaks_inside(documents, kind, lang, variant):
    data, text = documents[(kind, lang, variant)]
    words = set(text.split())

    broken = sorted(word for word in bold_words_in_tables(data) if word not in words)

    assert len(bold_words_in_tables(data)) > 5
    assert broken == [], f"broken inside a word: {broken}"


@pytest.mark.parametrize(("kind", "lang", "variant"), CASES)
def test_no_label_without_its_value_and_no_separator_between_empty_values(
    documents, kind, lang, variant
):
    _, text = documents[(kind, lang, variant)]
    alone = re.compile(
        r"^\s*(" + "|".join(re.escape(label) for label in OPTIONAL_LABELS) + r")\s*$", re.M
    )

    assert [match.group() for match in alone.finditer(text)] == []
    for pattern in DEBRIS:
        found = [match.group() for match in re.finditer(rf".*{pattern}.*", text, flags=re.M)]
        assert found == [], f"{pattern!r}: {found}"


@pytest.mark.parametrize(("kind", "lang", "variant"), CASES)
def test_the_last_page_carries_more_than_a_few_lines(documents, kind, lang, variant):
    _, text = documents[(kind, lang, variant)]
    pages = [lines(page) for page in text.split("\f") if page.strip()]
    # What every page repeats (the header and footer) is not content.
    repeated = set.intersection(*(set(page) for page in pages)) if len(pages) > 1 else set()

    content = [line for line in pages[-1] if line not in repeated and not PAGE_NUMBER.match(line)]

    assert len(content) >= 6, f"the last of {len(pages)} pages carries only {content}"


@pytest.mark.parametrize(("kind", "lang", "variant"), CASES)
def test_the_business_id_stays_with_its_label(documents, kind, lang, variant):
    _, text = documents[(kind, lang, variant)]
    label = {"fi": "Y-tunnus", "sv": "FO-nummer", "en": "Business ID"}[lang]

    # The footer of each page, whatever else the body has on record.
    assert text.count(f"{label} 0123456-7") >= text.count("\f")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", DECISIONS)
def test_a_signed_decision_shows_its_section_and_electronic_signature(documents, kind, lang):
    _, full = documents[(kind, lang, "full")]
    _, sparse = documents[(kind, lang, "sparse")]
    decision = sample(kind, lang)["decision"]
    signed_at = {
        "grant_decision": ("30.11.2026 klo 14.05", "30.11.2026 kl. 14.05", "at 14:05"),
        "rectification_decision": ("12.1.2027 klo 09.30", "12.1.2027 kl. 09.30", "at 09:30"),
        "agreement": ("30.11.2026 klo 14.20", "30.11.2026 kl. 14.20", "at 14:20"),
    }[kind][LANGUAGES.index(lang)]

    assert decision["section"] in full  # "§ 12/2026", unsplit
    assert SIGNED[lang] in full
    assert signed_at in full
    assert f"{decision['signed']['name']}, {decision['signed']['title']}" in full
    # A draft nobody has signed, made before the register of sections existed.
    assert SIGNED[lang] not in sparse
    assert "§ " + decision["section"].split()[-1] not in sparse


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_rectification_decision_has_its_own_number_and_names_the_original(documents, lang):
    _, text = documents[("rectification_decision", lang, "full")]
    header = lines(text.split("\f")[0])[:3]

    assert any("OV-2027-00007, § 3/2027" in line for line in header), header
    assert "AV-2026-00042, § 12/2026, " in text
    assert {"fi": "30.11.2026", "sv": "30.11.2026", "en": "30 November 2026"}[lang] in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_payment_order_names_who_approved_it_and_when(documents, lang):
    _, approved = documents[("payment_order", lang, "full")]
    _, draft = documents[("payment_order", lang, "sparse")]
    words = {
        "fi": "Hyväksytty maksettavaksi 20.1.2027 klo 10.15",
        "sv": "Godkänd för betalning 20.1.2027 kl. 10.15",
        "en": "Approved for payment 20 January 2027 at 10:15",
    }[lang]

    assert words in approved
    approver = sample("payment_order", lang)["approver"]
    assert f"{approver['name']}, {approver['title']}" in approved
    assert "RF34 0000 0042" in approved
    assert words.split(" 2")[0] not in draft
    assert "____" not in approved + draft  # no line to sign on, no empty approval line


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_agreement_instalment_is_paid_on_the_agreement(documents, lang):
    _, text = documents[("payment_order", lang, "sparse")]
    agreement = {
        "fi": "Kumppanuussopimus",
        "sv": "Partnerskapsavtal",
        "en": "Partnership agreement",
    }
    grant_decision = {"fi": "avustuspäätö", "sv": "bidragsbeslut", "en": "grant decision"}
    legally_valid = {"fi": "lainvoima", "sv": "laga kraft", "en": "legally valid"}

    assert agreement[lang] in text
    assert "KS-2027-003" in text
    assert {"fi": "1.2.2027", "sv": "1.2.2027", "en": "1 February 2027"}[lang] in text
    assert "RF09 0000 0007" in text
    assert grant_decision[lang] not in text.lower()
    assert legally_valid[lang] not in text.lower()
