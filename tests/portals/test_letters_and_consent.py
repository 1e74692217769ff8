"""The registry's letters to post, and the association's own details page where its
representatives give the consent to electronic notification (Act 13/2003 19 §) and keep the
postal address letters go to."""

from datetime import timedelta

import lxml.html
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grants.documents import decision_document_generate
from grants.models import Application
from organisations.models import Association
from tests.factories import ApplicationFactory, AssociationFactory, represent
from tests.portals.test_workbench import NOW, signed_in
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
S = Application.State
DECIDED = ("submit", "start_review", "record_step", "decide")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def decided_without_consent(walk, call, representative, **association):
    by_letter = AssociationFactory(accepts_electronic_notification=False, **association)
    represent(representative, by_letter)
    application = ApplicationFactory(call=call, association=by_letter, created_by=representative)
    return walk(application, *DECIDED)


def page_of(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.content)


# --- letters to post -----------------------------------------------------------------------


def test_the_registry_lists_decisions_to_post_with_their_address_and_print_copy(
    walk, call, representative, people, application
):
    letter = decided_without_consent(walk, call, representative, street_address="Kujatie 7 A 2")
    walk(application, *DECIDED)  # consented: goes electronically, not in the list
    decision_document_generate(letter.pk)

    response = signed_in(people["preparer"]).get("/workbench/letters/")

    assert response.status_code == 200
    items = page_of(response).xpath('//li[@class="card"]')
    assert [item.get("id") for item in items] == [f"letter-{letter.pk}"]
    text = items[0].text_content()
    assert "Kujatie 7 A 2" in text
    assert "02100 ESPOO" in text
    assert letter.decision_number in text
    [download] = [a for a in items[0].xpath(".//a[@download]") if "Word" in a.text_content()]
    assert signed_in(people["preparer"]).get(download.get("href")).status_code == 200


def test_recording_the_posting_day_sends_the_decision_and_returns_to_the_list(
    walk, call, representative, people
):
    # Decided yesterday, posted today.
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        letter = decided_without_consent(walk, call, representative)
    posted = timezone.localdate()

    response = signed_in(people["preparer"]).post(
        f"/workbench/applications/{letter.pk}/actions/notify/",
        {
            "notify-channel": "letter",
            "notify-sent_on": posted.isoformat(),
            "next": "/workbench/letters/",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/workbench/letters/"
    letter.refresh_from_db()
    assert letter.state == S.NOTIFIED
    assert letter.notified_on == posted
    assert letter.notification_channel == "letter"


def test_after_posting_a_next_elsewhere_is_not_followed(walk, call, representative, people):
    letter = decided_without_consent(walk, call, representative)

    response = signed_in(people["preparer"]).post(
        f"/workbench/applications/{letter.pk}/actions/notify/",
        {"notify-channel": "letter", "next": "https://evil.example/"},
    )

    assert response["Location"] == f"/workbench/applications/{letter.pk}/"


def test_a_letter_without_an_address_cannot_be_recorded_as_posted(
    walk, call, representative, people
):
    letter = decided_without_consent(
        walk, call, representative, street_address="", postal_code="", post_office=""
    )
    client = signed_in(people["preparer"])

    [listed] = page_of(client.get("/workbench/letters/")).xpath(f'//*[@id="letter-{letter.pk}"]')
    assert "Missing" in listed.text_content()
    assert not listed.xpath(".//form")

    response = client.post(
        f"/workbench/applications/{letter.pk}/actions/notify/", {"notify-channel": "letter"}
    )
    assert response.status_code == 400
    assert Application.objects.get(pk=letter.pk).state == S.DECIDED


def test_another_bodys_letters_are_not_listed(walk, call, representative, people):
    decided_without_consent(walk, call, representative)

    response = signed_in(people["foreign_preparer"]).get("/workbench/letters/")

    assert response.status_code == 200
    assert page_of(response).xpath('//li[@class="card"]') == []


def test_the_letters_page_reads_the_same_number_of_queries_for_one_letter_as_for_five(
    walk, call, representative, people
):
    client = signed_in(people["preparer"])
    decided_without_consent(walk, call, representative)
    client.get("/workbench/letters/")
    with CaptureQueriesContext(connection) as one:
        client.get("/workbench/letters/")
    for _ in range(4):
        decision_document_generate(decided_without_consent(walk, call, representative).pk)
    with CaptureQueriesContext(connection) as five:
        response = client.get("/workbench/letters/")
    assert len(page_of(response).xpath('//li[@class="card"]')) == 5
    assert len(five) == len(one)


def test_a_decision_sent_by_letter_carries_the_address_block(walk, call, representative):
    from tests.documents.test_generation import text_of

    letter = decided_without_consent(walk, call, representative, street_address="Kujatie 7")
    document = decision_document_generate(letter.pk)
    with document.file.open("rb") as handle:
        text = text_of(handle.read())
    assert f"{letter.association.name}\nKujatie 7\n02100 ESPOO" in text


# --- the association's details and the consent ------------------------------------------------


def details(association) -> str:
    return f"/accounts/associations/{association.pk}/"


def form_of(association: Association, **changes) -> dict:
    return {
        "email": association.email,
        "iban": association.iban,
        "language": association.language,
        "street_address": association.street_address,
        "postal_code": association.postal_code,
        "post_office": association.post_office,
        **changes,
    }


def test_a_representative_gives_the_consent_and_it_records_who_and_when(
    representative, foreign_association
):
    association = AssociationFactory(accepts_electronic_notification=False)
    represent(representative, association)
    client = signed_in(representative)

    response = client.post(
        details(association), form_of(association, accepts_electronic_notification="on")
    )

    assert response.status_code == 302
    association.refresh_from_db()
    assert association.accepts_electronic_notification
    assert association.electronic_notification_consent_by == representative
    assert association.electronic_notification_consent_at == timezone.now()
    audit = TransitionLog.objects.get(object_id=association.pk, transition="update_details")
    assert audit.actor == representative
    assert audit.data["changed"] == ["accepts_electronic_notification"]
    page = client.get(details(association)).content.decode()
    assert "Consented by" in page


def test_withdrawing_the_consent_clears_who_gave_it(representative, association):
    association.electronic_notification_consent_by = representative
    association.save()

    signed_in(representative).post(details(association), form_of(association))

    association.refresh_from_db()
    assert not association.accepts_electronic_notification
    assert association.electronic_notification_consent_by is None
    assert association.electronic_notification_consent_at is None


def test_a_signatory_sees_the_details_but_cannot_change_them(signatory, association):
    client = signed_in(signatory)
    assert client.get(details(association)).status_code == 200

    response = client.post(details(association), form_of(association, email="x@example.fi"))

    assert response.status_code == 403
    association.refresh_from_db()
    assert association.email != "x@example.fi"


def test_another_associations_details_are_a_404(representative, foreign_association, people):
    for person in (representative, people["preparer"]):
        client = signed_in(person)
        assert client.get(details(foreign_association)).status_code == 404
        response = client.post(details(foreign_association), form_of(foreign_association))
        assert response.status_code == 404


def test_a_bad_iban_is_refused_and_nothing_is_saved(representative, association):
    before = association.iban

    response = signed_in(representative).post(
        details(association), form_of(association, iban="FI00 1234")
    )

    assert response.status_code == 400
    association.refresh_from_db()
    assert association.iban == before
    assert not TransitionLog.objects.filter(object_id=association.pk).exists()
