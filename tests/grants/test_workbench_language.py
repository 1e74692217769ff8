"""The workbench names the language of the matter beside every text that goes into the
decision (associated with the field for a screen reader), warns when a name the decision
states has no text in that language, and shows a refusal that names the missing facts."""

import lxml.html
import pytest
from django.test import Client

from grants.models import Application

pytestmark = pytest.mark.django_db

TO_DECIDE = ("submit", "start_review", "record_step")


def page_of(user, application, language: str) -> lxml.html.HtmlElement:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    user.language = language
    user.save(update_fields=["language"])
    response = client.get(f"/workbench/applications/{application.pk}/")
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def described_by(page: lxml.html.HtmlElement, field_id: str) -> list[str]:
    """The texts a screen reader reads with the field: those its aria-describedby names."""
    (field,) = page.xpath(f'//*[@id="{field_id}"]')
    ids = field.get("aria-describedby", "").split()
    return [page.get_element_by_id(i).text_content().strip() for i in ids]


@pytest.fixture
def swedish(association):
    association.language = "sv"
    association.save()


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("en", "Language of the matter: Swedish"),
        ("fi", "Asian kieli: ruotsi"),
        ("sv", "Ärendets språk: svenska"),
    ],
)
def test_the_decisions_texts_name_the_language_of_the_matter(
    application, swedish, people, walk, language, note
):
    walk(application, *TO_DECIDE)
    page = page_of(people["decision_maker"], application, language)
    for field in ("id_decide-reasons", "id_decide-conditions"):
        assert any(text.startswith(note) for text in described_by(page, field))
    # Not beside what stays inside the body (the amount).
    assert not any(note in t for t in described_by(page, "id_decide-granted_amount"))


def test_a_name_without_its_swedish_text_is_warned_of(application, swedish, call, people, walk):
    walk(application, *TO_DECIDE)
    page = page_of(people["decision_maker"], application, "en")
    (warning,) = page.xpath('//*[@role="note"]')
    assert "No name in Swedish yet for" in warning.text_content()
    assert "call" in warning.text_content()

    call.name_sv = "Verksamhetsbidrag"
    call.save()
    call.public_body.name_sv = "Exempelby"
    call.public_body.save()
    call.chain.name_sv = "Bidrag"
    call.chain.save()
    assert page_of(people["decision_maker"], application, "en").xpath('//*[@role="note"]') == []


def test_a_finnish_matter_has_nothing_to_warn_of(application, people, walk):
    walk(application, *TO_DECIDE)
    page = page_of(people["decision_maker"], application, "en")
    assert "Language of the matter: Finnish" in described_by(page, "id_decide-reasons")[0]
    assert page.xpath('//*[@role="note"]') == []


def test_the_page_shows_the_refusal_naming_what_to_fill_in(application, body, people, walk):
    walk(application, *TO_DECIDE)
    body.registry_email = ""
    body.save()
    page_of(people["decision_maker"], application, "en")  # the person reads English
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people["decision_maker"])
    response = client.post(
        f"/workbench/applications/{application.pk}/actions/decide/",
        {
            "decide-outcome": "approved",
            "decide-granted_amount": "5000",
            "decide-reasons": "Hyvä hanke.",
        },
    )
    assert response.status_code == 409
    assert "Fill in the body&#x27;s registry email before deciding." in response.content.decode()
    assert Application.objects.get(pk=application.pk).state == Application.State.IN_REVIEW
