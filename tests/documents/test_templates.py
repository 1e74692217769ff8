"""The shipped .docx templates (templates_docx/): each renders with its full sample context,
names no variable outside it, and shows the facts a decision must show, formatted for its
language. And each is exactly what `manage.py build_docx_templates` builds now, so nobody edits
a shipped file without its source (documents/template_builder/)."""

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.core.management import call_command
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from documents.rendering import CompiledTemplate
from documents.samples import sample
from documents.template_builder import KINDS, LANGUAGES
from documents.templates import lint

SHIPPED = Path(settings.BASE_DIR) / "templates_docx"
ASSOCIATION = 'Föreningen Åbo & Co "Ääni" rf'
CASES = [(kind, lang) for kind in KINDS for lang in LANGUAGES]

NNBSP, NBSP = "\u202f", "\u00a0"


def euros(amount: str, lang: str) -> str:
    """An amount as the sample's language writes it, spelt out here on purpose (not through
    workflow.formats): "4 500,00 €" with a narrow no-break space, or "€4,500.00"."""
    whole, cents = amount.split(".")
    if lang == "en":
        return f"€{int(whole):,}.{cents}"
    return f"{int(whole):,}".replace(",", NNBSP) + f",{cents}{NBSP}€"


# What each kind must show: amounts, dates (fi/sv, en) and its reasons-like free text.
EXPECTED = {
    "grant_decision": {
        "amounts": ["4500.00", "6000.00", "3600.00", "2400.00"],
        "dates": [("30.11.2026", "30 November 2026"), ("15.10.2026", "15 October 2026")],
        "texts": [
            "Hanke tukee lasten & nuorten hyvinvointia <kaupungin strategia>.\n\n"
            "Pääsylippuja ei avusteta.",
            "Avustus on käytettävä 31.12.2027 mennessä.",
            "Kerhotoiminta ja retket.",
            "Tilavuokrat",
            "FI21 1234 5600 0007 85",
        ],
        "report_due": ("29.2.2028", "29 February 2028"),
        "appeal_ends": ("22.12.2026", "22 December 2026"),
    },
    "rectification_decision": {
        "amounts": ["6000.00", "4500.00"],
        "dates": [("12.1.2027", "12 January 2027"), ("10.12.2026", "10 December 2026")],
        "texts": [
            "Oikaisuvaatimuksessa esitetyt kulut ovat avustuskelpoisia.",
            "Pääsyliput ovat osa retkeä.",
            "Helsingin hallinto-oikeus",
            "helsinki.hao@oikeus.fi",
        ],
        "report_due": None,
        "appeal_ends": ("22.12.2026", "22 December 2026"),
    },
    "agreement_rectification_decision": {
        "amounts": [],
        "dates": [("12.1.2027", "12 January 2027"), ("10.12.2026", "10 December 2026")],
        "texts": [
            "Vuoden 2028 rahoituksesta ei ollut sovittu & se puuttui <ehdotuksesta>.",
            "Päätöksestä puuttuu vuoden 2028 rahoitus, josta neuvoteltiin.",
            "Helsingin hallinto-oikeus",
            "helsinki.hao@oikeus.fi",
        ],
        "report_due": None,
        "appeal_ends": ("22.12.2026", "22 December 2026"),
    },
    "payment_order": {
        "amounts": ["4500.00", "0.00"],
        "dates": [
            ("20.1.2027", "20 January 2027"),
            ("27.1.2027", "27 January 2027"),
            ("23.12.2026", "23 December 2026"),
        ],
        "texts": [
            "Toiminta-avustus 2027",
            "FI21 1234 5600 0007 85",
            "7654321-0",
            "4100",
            "6710",
            "Fiona Talous",
            "MAKSU-2027-0012",
        ],
        "report_due": None,
        "appeal_ends": None,
    },
    "agreement": {
        "amounts": ["10000.00", "3000.00"],
        "dates": [("1.1.2027", "1 January 2027"), ("31.12.2029", "31 December 2029")],
        "texts": [
            "Yhteinen tavoite: ikäihmiset liikkuvat & osallistuvat.",
            "Osallistujia viikossa",
            "Tarjoaa tilat maksutta.",
            "Järjestää ryhmät.",
            "Seniorikeskus",
            "Aino Aaltonen",
            "Daniel Päättäjä",
            "KS-2027-003",
        ],
        "report_due": None,
        "appeal_ends": None,
    },
    "round_decision_list": {
        "amounts": ["6000.00", "4500.00", "11500.00", "7500.00", "50000.00", "37500.00"],
        "dates": [("30.11.2026", "30 November 2026"), ("26.11.2026", "26 November 2026")],
        "texts": [
            "Hanke tukee lasten & nuorten hyvinvointia <kaupungin strategia>.",
            "Eläkeläiset <Seniorit> ry",
            "AV-2026-00044",
            "§\u00a045",
            "Daniel Päättäjä",
        ],
        "report_due": None,
        "appeal_ends": None,
    },
}


def shipped(kind: str, lang: str) -> bytes:
    return (SHIPPED / f"{kind}.{lang}.docx").read_bytes()


def text_of(document: docx.document.Document) -> str:
    """Every paragraph (tables, nested tables, headers and footers included), one a line."""
    section = document.sections[0]
    roots = [document.element.body, section.header._element, section.footer._element]
    return "\n".join(Paragraph(p, None).text for root in roots for p in root.iter(qn("w:p")))


def rendered(kind: str, lang: str, template: bytes | None = None) -> docx.document.Document:
    out = CompiledTemplate(template or shipped(kind, lang)).render(sample(kind, lang))
    return docx.Document(io.BytesIO(out))


def test_every_kind_and_language_is_shipped():
    assert sorted(path.name for path in SHIPPED.glob("*.docx")) == sorted(
        f"{kind}.{lang}.docx" for kind, lang in CASES
    )


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_names_only_sample_variables(kind, lang):
    template = CompiledTemplate(shipped(kind, lang))
    assert template.variables, "a template without a single variable"
    assert template.variables <= set(sample(kind, lang)), template.variables - set(
        sample(kind, lang)
    )


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_passes_the_upload_lint(kind, lang):
    assert lint(shipped(kind, lang), kind) == []


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_renders_the_facts_for_its_language(kind, lang):
    text = text_of(rendered(kind, lang))
    expected = EXPECTED[kind]
    pick = 1 if lang == "en" else 0

    body = sample(kind, lang)["public_body"]
    assert ASSOCIATION in text
    # The body's own texts in the language of the matter (Swedish ones for sv).
    assert body["name"] in text
    assert body["unit"] in text
    for amount in expected["amounts"]:
        assert euros(amount, lang) in text, amount
    for dates in expected["dates"]:
        assert dates[pick] in text, dates
    for snippet in expected["texts"]:
        assert snippet in text, snippet
    for key in ("report_due", "appeal_ends"):
        if expected[key]:
            assert expected[key][pick] in text, key
    # Nothing left of the template language, nothing unformatted.
    assert "{{" not in text
    assert "{%" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "an ISO date left unformatted"


def test_amounts_and_dates_spelt_out():
    fi = text_of(rendered("grant_decision", "fi"))
    assert "4\u202f500,00\u00a0€" in fi
    assert "22.12.2026" in fi
    en = text_of(rendered("grant_decision", "en"))
    assert "€4,500.00" in en
    assert "22 December 2026" in en


@pytest.mark.parametrize("lang", LANGUAGES)
def test_rectification_instructions_show_the_computed_dates(lang):
    text = text_of(rendered("grant_decision", lang))
    if lang == "en":
        dates = ["1 December 2026", "8 December 2026", "22 December 2026"]
    else:
        dates = ["1.12.2026", "8.12.2026", "22.12.2026"]
    assert all(date in text for date in dates)
    assert sample("grant_decision", lang)["appeal"]["authority"] in text
    assert "kirjaamo@esimerkkila.example.fi" in text
    title, days, free = {
        "fi": ("Oikaisuvaatimusohje", "14 päivän", "maksutonta"),
        "sv": ("Anvisning om begäran om omprövning", "14 dagar", "avgiftsfri"),
        "en": ("Instructions for requesting a review", "14 days", "no charge"),
    }[lang]
    assert title in text
    assert days in text
    assert free in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_rectification_decision_appeals_to_the_administrative_court(lang):
    text = text_of(rendered("rectification_decision", lang))
    assert "Radanrakentajantie 5, 00520 Helsinki" in text
    assert {"fi": "30 päivän", "sv": "30 dagar", "en": "30 days"}[lang] in text
    assert {"fi": "Valitusosoitus", "sv": "Besvärsanvisning", "en": "Instructions for appeal"}[
        lang
    ] in text


@pytest.mark.parametrize(
    ("outcome", "shown", "hidden"),
    [
        ("approved", "haetun mukaisesti", ["osittain", "Haettu määrä oli", "hylätään"]),
        ("partially_approved", "osittain", ["haetun mukaisesti", "hylätään"]),
        ("rejected", "hylätään", ["Avustuksen ehdot", "Maksaminen", "29.2.2028"]),
    ],
)
def test_grant_decision_outcomes(outcome, shown, hidden):
    context = sample("grant_decision", "fi")
    context["decision"]["outcome"] = outcome
    out = CompiledTemplate(shipped("grant_decision", "fi")).render(context)
    text = text_of(docx.Document(io.BytesIO(out)))
    assert shown in text
    for snippet in hidden:
        assert snippet not in text


def test_upheld_rectification():
    context = sample("rectification_decision", "sv")
    context["decision"]["outcome"] = "upheld"
    out = CompiledTemplate(shipped("rectification_decision", "sv")).render(context)
    text = text_of(docx.Document(io.BytesIO(out)))
    assert "Begäran om omprövning avslås." in text
    assert "godkänns" not in text


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_footer_numbers_the_pages(kind, lang):
    footer = rendered(kind, lang).sections[0].footer._element
    instructions = [field.get(qn("w:instr")).strip() for field in footer.iter(qn("w:fldSimple"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    words = {"fi": "Sivu", "sv": "Sida", "en": "Page"}[lang]
    assert words in text_of(rendered(kind, lang))


def test_shipped_templates_are_what_the_builder_builds(tmp_path):
    call_command("build_docx_templates", output=tmp_path, stdout=io.StringIO())
    for kind, lang in CASES:
        built = (tmp_path / f"{kind}.{lang}.docx").read_bytes()
        message = (
            f"templates_docx/{kind}.{lang}.docx differs from documents/template_builder/: "
            "run `manage.py build_docx_templates` (and never edit a shipped file by hand)"
        )
        assert text_of(rendered(kind, lang, built)) == text_of(rendered(kind, lang)), message
        with (
            zipfile.ZipFile(io.BytesIO(built)) as new,
            zipfile.ZipFile(io.BytesIO(shipped(kind, lang))) as old,
        ):
            assert new.namelist() == old.namelist(), message
            for name in new.namelist():
                assert new.read(name) == old.read(name), f"{name}: {message}"
