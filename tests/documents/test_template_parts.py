"""The parts the templates are built from, without LibreOffice: empty facts leave no label or
separator behind, table rows keep together, label columns fit their labels, moments and
numbers with a unit print unbroken, and the lint tries the sparse sample too."""

import io
import re

import docx
import pytest
from docx.oxml.ns import qn

from documents.rendering import CompiledTemplate, environment
from documents.samples import sample
from documents.template_builder import KINDS, LANGUAGES, build
from documents.template_builder.widths import fit, text_width
from documents.templates import lint
from tests.documents.test_templates import rendered, text_of

NBSP = "\u00a0"
CASES = [(kind, lang) for kind in KINDS for lang in LANGUAGES]


def render(source: str, **context) -> str:
    return environment().from_string(source).render(lang="fi", **context)


@pytest.mark.parametrize(
    ("lang", "moment", "printed"),
    [
        ("fi", "2026-11-30T14:05:00+02:00", f"30.11.2026{NBSP}klo{NBSP}14.05"),
        ("sv", "2026-11-30T14:05:00+02:00", f"30.11.2026{NBSP}kl.{NBSP}14.05"),
        ("en", "2026-11-30T14:05:00+02:00", f"30{NBSP}November{NBSP}2026{NBSP}at{NBSP}14:05"),
        # Stored in UTC, printed in Finnish time (settings.TIME_ZONE): summer time too.
        ("fi", "2026-06-30T21:30:00+00:00", f"1.7.2026{NBSP}klo{NBSP}00.30"),
        ("fi", None, ""),
    ],
)
def test_a_moment_prints_in_local_time_in_the_language_unbroken(lang, moment, printed):
    template = environment().from_string("{{ at|datetime }}")

    assert template.render(lang=lang, at=moment) == printed


def test_nobreak_keeps_a_number_with_its_unit():
    assert render("{{ section|nobreak }}", section="§ 12/2026") == f"§{NBSP}12/2026"
    assert render("{{ section|nobreak }}", section="") == ""


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_the_sparse_sample_leaves_no_label_or_separator(kind, lang):
    out = CompiledTemplate(build(kind, lang)).render(sample(kind, lang, sparse=True))
    text = text_of(docx.Document(io.BytesIO(out)))

    for debris in (r"(puh|tfn|tel)\.\s*,", r",\s*,", r"·\s*·", r"·\s*$", r",\s*$"):
        assert not re.search(debris, text, flags=re.M), debris
    for label in ("Osoite:", "Adress:", "Address:", "Sähköposti:", "E-post:", "Email:"):
        assert not re.search(rf"{label}\s*$", text, flags=re.M), label
    assert "{{" not in text
    assert "{%" not in text


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_no_table_row_splits_across_pages_and_headers_repeat(kind, lang):
    body = rendered(kind, lang).element.body
    rows = list(body.iter(qn("w:tr")))

    assert rows
    for row in rows:
        assert row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
    for table in body.iter(qn("w:tbl")):
        headers = table.findall(f"{qn('w:tr')}/{qn('w:trPr')}/{qn('w:tblHeader')}")
        assert len(headers) <= 1  # only a grid's first row repeats


def test_a_label_column_fits_its_widest_label_and_words_never_break():
    labels = ["Föreningsregisternummer", "FO-nummer"]
    narrow = ["Den som begär omprövning av beslutet i ärendet", "Tid"]

    assert fit(labels) > text_width("Föreningsregisternummer")
    assert fit(labels) < text_width("Föreningsregisternummer") * 1.3
    # A label too wide for the page wraps between words, never inside one.
    assert text_width("omprövning") < fit(narrow, most=text_width("Den som")) < fit(narrow)


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


def test_the_lint_refuses_a_template_that_stumbles_over_an_empty_fact():
    # Fine while the decision is signed, an error on the unsigned draft (`at` is empty).
    problems = lint(_docx("{{ decision.signed.at[:10] }}"), "grant_decision")

    assert problems
    assert all("(sparse)" in problem for problem in problems)
    assert lint(_docx("{{ decision.signed.at|datetime }}"), "grant_decision") == []
