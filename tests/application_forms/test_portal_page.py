"""The association's application page asks the call's own questions: fieldsets per section,
labels and help tied to their inputs, errors next to their question with nothing saved and
nothing typed lost, file questions stored as the application's attachments."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.models import Application, Attachment
from tests.application_forms.forms import EVERY_TYPE
from tests.factories import ApplicationFactory, form_of
from tests.portals.test_association_portal import PDF, form_data, signed_in, url
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 16


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def form_call(call):
    call.form = form_of(call.public_body, EVERY_TYPE)
    call.save()
    return call


@pytest.fixture
def rep(representative):
    return signed_in(representative)


def answered(**answers) -> dict:
    return {f"answers.{key}": value for key, value in answers.items()}


def complete(**extra) -> dict:
    return answered(
        name="Seura",
        members="40",
        premises="yes",
        landlord="Kaupunki",
        **extra,
    )


def described_by(html: str, element_id: str) -> list[str]:
    tag = re.search(rf'<[^>]*\bid="{element_id}"[^>]*>', html).group(0)
    found = re.search(r'aria-describedby="([^"]*)"', tag)
    return found.group(1).split() if found else []


def nothing_saved():
    return Application.objects.count() == 0 and Attachment.objects.count() == 0


def test_the_page_asks_the_calls_questions_in_fieldsets_with_their_help(rep, form_call):
    response = rep.get(url("apply", form_call.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="form-section"') == 2
    assert '<legend><h2 class="form-section__title">Basics</h2></legend>' in html
    assert '<label class="field__label" for="a-members">members' in html
    assert described_by(html, "a-story") == ["a-story-help"]
    assert 'id="a-landlord-hint">Answer only if the answer to “premises” is “yes”.' in html
    assert "Required if the amount applied for is over €5,000.00." in html
    assert 'name="answers.events.1.title"' in html  # blank rows for a page without JavaScript
    assert 'accept=".pdf,.xlsx"' in html
    assert re.search(r'<legend class="field__label">kind', html)


def test_the_labels_are_in_the_persons_language(representative, form_call):
    html = signed_in(representative, "sv").get(url("apply", form_call.pk)).content.decode()
    assert "members (sv)" in html


def test_bad_answers_are_shown_by_their_questions_as_typed_and_nothing_is_saved(
    rep, form_call, association
):
    rows = {f"answers.events.{i}.title": f"Tapahtuma {i}" for i in range(6)}
    data = form_data(
        association=association.pk,
        **answered(members="many", premises="no", landlord="Kaupunki", rent="12,345"),
        **rows,
        **{"answers.events.2.people": "lots"},
    )

    response = rep.post(url("apply", form_call.pk), data)

    assert response.status_code == 400
    assert nothing_saved()
    html = response.content.decode()
    assert 'href="#a-members"' in html  # the summary links to the question
    assert "a-members-error" in described_by(html, "a-members")
    assert re.search(r'id="a-members" value="many"[^>]*aria-invalid="true"', html)
    assert 'id="a-members-error"' in html
    assert 'id="a-rent" value="12.345"' in html
    assert "Leave this empty: the question does not apply." in html
    assert "At most 5 rows." in html
    assert 'value="Tapahtuma 5"' in html  # the sixth row typed is still there


def test_a_draft_is_saved_with_its_answers_and_a_file_question_stores_an_attachment(
    rep, form_call, association
):
    data = form_data(
        association=association.pk,
        **complete(**{"events.0.title": "Kevätjuhla", "events.0.people": "80", "groups": "youth"}),
    )
    data["answers.accounts"] = SimpleUploadedFile("tilit.pdf", PDF[:900], "application/pdf")

    response = rep.post(url("apply", form_call.pk), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    accounts = Attachment.objects.get(application=application)
    assert application.answers == {
        "name": "Seura",
        "members": 40,
        "premises": True,
        "landlord": "Kaupunki",
        "groups": ["youth"],
        "events": [{"title": "Kevätjuhla", "people": 80}],
        "accounts": accounts.pk,
    }
    assert application.form_version == form_call.form.current_version()
    page = rep.get(url("edit", application.pk)).content.decode()
    assert 'id="a-members" value="40"' in page
    assert "Saved file: tilit.pdf." in page
    # Saving again without choosing the file keeps it.
    again = form_data(**complete(story="Lisää."))
    assert rep.post(url("edit", application.pk), again).status_code == 302
    application.refresh_from_db()
    assert application.answers["accounts"] == accounts.pk
    assert application.answers["story"] == "Lisää."


def test_a_file_of_a_type_the_question_does_not_allow_saves_nothing(rep, form_call, association):
    data = form_data(association=association.pk, **complete())
    data["answers.accounts"] = SimpleUploadedFile("kuva.png", PNG, "image/png")

    response = rep.post(url("apply", form_call.pk), data)

    assert response.status_code == 400
    assert nothing_saved()
    assert "Allowed file types: pdf, xlsx." in response.content.decode()


def test_sending_without_the_required_answers_is_refused_by_the_questions(
    rep, form_call, association, representative
):
    application = ApplicationFactory(
        call=form_call,
        association=association,
        created_by=representative,
        form_version=form_call.form.current_version(),
        answers={"members": 4},
    )
    before = TransitionLog.objects.count()

    by_form = rep.post(url("edit", application.pk), form_data(send="1", **answered(members="4")))
    by_button = rep.post(url("submit", application.pk))

    for response in (by_form, by_button):
        assert response.status_code == 400
        html = response.content.decode()
        assert 'href="#a-name"' in html
        assert 'id="a-premises-error"' in html
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT
    assert application.answers == {"members": 4}
    assert TransitionLog.objects.count() == before


def test_a_complete_application_is_sent_from_the_page(rep, form_call, association):
    data = form_data(association=association.pk, send="1", **complete())
    data["answers.accounts"] = SimpleUploadedFile("tilit.pdf", PDF, "application/pdf")

    response = rep.post(url("apply", form_call.pk), data)

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.state == Application.State.SUBMITTED
    assert application.requested_amount == Decimal("5000")


def test_a_call_without_questions_shows_no_sections(rep, call):
    assert 'class="form-section"' not in rep.get(url("apply", call.pk)).content.decode()
