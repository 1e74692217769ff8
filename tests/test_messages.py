"""Every message a person receives, in every language: each kind found by walking the
template folders (`<app>/templates/notifications/<lang>/<kind>.txt`), not listed by hand, is
rendered in Finnish, Swedish and English as its email goes out, and says something, links to
its page and leaves nothing of the template or of English behind.

A new kind needs its three templates; a variable no kind used before needs a value in
`SAMPLE` (the test shows `<MISSING name>` otherwise).
"""

import copy
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import resolve

from tests.portals.catalogues import ROOT
from workflow.messages import message_email

LANGUAGES = ("fi", "sv", "en")
SITE = "https://avustus.example.fi"
MISSING = "<MISSING %s>"

# One value for every variable the templates read, the way the outbox stores them (dates and
# money as strings). Words in Finnish on purpose: they are the records' own names, and no
# English may come from them.
SAMPLE: dict[str, Any] = {
    "title": "Toiminta-avustukset 2027: Esimerkkilän Seniorit ry",
    "association": "Esimerkkilän Seniorit ry",
    "due_on": "2027-03-31",
    "days_left": 7,
    "request": "Liittäkää talousarvio.",
    "version": 2,
    "outcome": "approved",
    "starts_on": "2027-01-01",
    "ends_on": "2029-12-31",
    "successor": "KS-2029-00007",
    "reason": "Yhdistys lopettaa toimintansa.",
    "section": "§ 12",
    "rectification_days": 14,
    "registry_address": "Kirkkokatu 1, 99100 Esimerkkilä",
    "registry_email": "kirjaamo@esimerkkila.example.fi",
    "amount": "3000.00",
    "decision_number": "AV-2027-00042",
    "valid_on": "2027-05-05",
    "payable_on": "2027-05-05",
    "count": 1,
    "items": [
        {
            "subject": "Avustushaku päättyy 31.3.2027",
            "link": f"{SITE}/association/applications/7/",
        }
    ],
    "overdue": [
        {
            "title": "Kesäleiri 2026: Esimerkkilän Partiolaiset ry",
            "due_on": "2027-03-01",
            "path": "/workbench/applications/8/",
        }
    ],
    "waiting": [
        {"title": "Kerhot 2026: Esimerkkilän Seniorit ry", "path": "/workbench/applications/9/"}
    ],
    "path": "/association/applications/7/",
    # Added as a decision's message is sent (grants.notification).
    "sent_on": "2027-04-14",
    "deemed_received_on": "2027-04-17",
    "appeal_ends_on": "2027-05-04",
    # An association meeting's invitation (liaison.services): its time of day and place.
    "time": "18:00",
    "place": "Kaupunginkirjasto, Kirkkokatu 1",
}
# The other branches: a version not approved, a weekly list with no overdue report.
VARIANTS = [{}, {"outcome": "rejected", "overdue": []}]
# Words English needs and neither Finnish nor Swedish has.
ENGLISH = re.compile(
    r"\b(the|and|of|your|you|is|has|have|been|please|will|with|this|that|was|are|here|due)\b",
    re.IGNORECASE,
)
URL = re.compile(r"https?://[^\s<>\"]+")


def message_kinds() -> list[str]:
    """Every kind with a template in any app's notification folder, in any language."""
    return sorted(
        {
            path.stem
            for path in ROOT.glob("*/templates/notifications/*/*.txt")
            if path.parent.name in LANGUAGES
        }
    )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _without_sample_values(text: str) -> str:
    """The text the template itself wrote: the records' names and the links taken out."""
    text = URL.sub(" ", text)
    for value in sorted(_strings(SAMPLE), key=len, reverse=True):
        text = text.replace(value, " ")
    return text


@pytest.fixture(autouse=True)
def strict_templates(settings):
    """A variable the context lacks shows as <MISSING name> instead of nothing."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = MISSING
    settings.TEMPLATES = templates
    settings.SITE_URL = SITE + "/"


def test_the_walk_finds_every_kind_the_apps_send():
    kinds = message_kinds()

    # What grants, agreements, documents and the engine are known to send.
    assert {
        "completion_requested",
        "report_due_overdue",
        "decision_payable",
        "digest",
        "preparer_weekly",
        "agreement_proposed",
        "meeting_due_before",
        "finance_hand_over",
    } <= set(kinds)


@pytest.mark.parametrize("kind", message_kinds())
def test_every_kind_has_a_template_in_every_language(kind):
    missing = [
        language
        for language in LANGUAGES
        if not list(ROOT.glob(f"*/templates/notifications/{language}/{kind}.txt"))
    ]

    assert missing == []


@pytest.mark.parametrize("variant", range(len(VARIANTS)))
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", message_kinds())
def test_every_message_says_something_links_to_its_page_and_leaves_nothing_behind(
    kind, language, variant
):
    context = {**SAMPLE, **VARIANTS[variant]}
    # The template as its email goes out; what a kind's preparer adds at sending is in SAMPLE.
    email = message_email(
        to="someone@example.fi", kind=kind, language=language, context=context, message_id="t"
    )
    subject, body = email.subject, email.body
    [(html, _type)] = email.alternatives

    assert subject.strip()
    assert "\n" not in subject
    assert len(body.split()) > 5
    for leftover in ("{{", "}}", "{%", "%}", "<MISSING"):
        assert leftover not in subject + body, leftover
    # Dates and money the reader's way, never as stored.
    for raw in ("2027-03-31", "2029-12-31", "3000.00"):
        assert raw not in subject + body
    # The message's own page, as a real link in the HTML part; every link opens a page.
    link = f"{SITE}{context['path']}"
    assert link in body
    assert f'<a href="{link}"' in html
    for url in URL.findall(body):
        assert url.startswith(SITE + "/"), url
        resolve(urlsplit(url).path)
    if language != "en":
        english = ENGLISH.findall(_without_sample_values(subject + "\n" + body))
        assert english == [], f"English in {language}/{kind}: {english}"


def test_the_english_check_finds_english():
    assert ENGLISH.findall(_without_sample_values("Hei, the report is due")) == [
        "the",
        "is",
        "due",
    ]
    assert ENGLISH.findall(_without_sample_values(f"Hej, {SAMPLE['title']} ska lämnas")) == []
