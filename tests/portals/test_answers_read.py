"""The answers wherever the application is read (issue 14, item 3): the official's page with
the content first and the actions after, and the decision document's summary of the answers in
the matter's language."""

from decimal import Decimal

import pytest
from django.test import Client

from grants.documents import decision_document_generate
from tests.documents.test_generation import bytes_of, text_of
from tests.portals.test_applicant_sending import answered, form_call

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def sent(body, association, representative, walk):
    return walk(answered(form_call(body), association, representative), "submit")


def officials_page(user, application) -> str:
    user.language = "en"
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    response = client.get(f"/workbench/applications/{application.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_officials_page_shows_the_content_first_and_the_actions_after(people, sent):
    html = officials_page(people["preparer"], sent)

    order = [
        html.index('id="purpose"'),
        html.index('id="answers"'),
        html.index('id="budget"'),
        html.index('id="attachments"'),
        html.index('id="actions"'),
    ]
    assert order == sorted(order)
    # An action is offered after the content, and a link leads to it from the top.
    assert html.index('id="answers"') < html.index('name="start_review-comment"')
    assert html.index('href="#actions"') < html.index('id="purpose"')


def test_the_officials_page_shows_every_answer_written_out(people, sent):
    html = officials_page(people["preparer"], sent)
    answers = html[html.index('id="answers"') : html.index('id="budget"')]

    assert "<dt>members</dt><dd>40</dd>" in answers
    assert "<dt>rent</dt><dd>€1,200.50</dd>" in answers
    assert "Kevätjuhla" in answers
    assert "tilit.pdf" in answers


def decided(walk, application):
    params = {
        "outcome": "approved",
        "granted_amount": Decimal("5000.00"),
        "reasons": "Hanke tukee lasten hyvinvointia.",
    }
    return walk(application, "start_review", "record_step", "decide", decide={"params": params})


def test_the_decision_document_summarises_the_answers_in_finnish(walk, sent):
    text = text_of(bytes_of(decision_document_generate(decided(walk, sent).pk)))

    assert "Hakemuksen vastaukset" in text
    assert "members (fi)\n40" in text
    assert "rent (fi)\n1\u202f200,50\u00a0€" in text
    assert "premises (fi)\nkyllä" in text
    assert "1. title (fi): Kevätjuhla" in text
    assert "story (fi)\nPitkä tarina." in text


def test_the_decision_document_summarises_the_answers_in_swedish(walk, sent):
    sent.association.language = "sv"
    sent.association.save()

    text = text_of(bytes_of(decision_document_generate(decided(walk, sent).pk)))

    assert "Svaren i ansökan" in text
    assert "members (sv)\n40" in text
    assert "premises (sv)\nja" in text


def test_a_call_without_questions_has_no_answers_in_its_decision(walk, application):
    app = walk(application, "submit")
    text = text_of(bytes_of(decision_document_generate(decided(walk, app).pk)))

    assert "Hakemuksen vastaukset" not in text
