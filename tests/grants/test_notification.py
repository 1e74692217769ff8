"""Sending a decision (tiedoksianto): electronically it is a message to the association's
representatives and its own address, with the decision enclosed, and its day is the day the
message went (Act 13/2003 19 §, Local Government Act 139 §); by letter the registry prints and
posts it and records the day it was posted."""

import hashlib
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from documents.downloads import DOCX
from documents.models import GeneratedDocument, Kind
from grants.models import Application
from tests.documents.test_generation import text_of
from tests.factories import UserFactory, represent
from workflow.delivery import deliver_pending
from workflow.models import Deadline, Notification, TransitionLog

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
DECIDED = ("submit", "start_review", "record_step", "decide")
ELECTRONIC = {"params": {"channel": "electronic"}}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def clock(time_machine):
    """Tue 14 April 2026, 10:00, before the call and its application are made."""
    time_machine.move_to(at(date(2026, 4, 14), 10), tick=False)
    return time_machine


@pytest.fixture
def swedish_representative(association):
    return represent(UserFactory(username="ordforande", language="sv"), association)


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_an_electronic_notification_sends_the_decision_to_the_association(
    application, walk, representative, association
):
    app = walk(application, *DECIDED, "notify", notify=ELECTRONIC)
    assert deliver_pending() == 2

    [to_representative] = sent_to(representative.email)
    [to_association] = sent_to(association.email)
    for message in (to_representative, to_association):
        assert message.subject == f"Päätös {app.decision_number}: {app.title}"
        # Sent Tue 14 April: deemed received Fri 17 April; 14 days end on May Day, so Mon 4 May.
        assert "lähetetty teille sähköisesti 14.4.2026" in message.body
        assert "eli 17.4.2026" in message.body
        assert "viimeistään 4.5.2026" in message.body
        [(name, content, mimetype)] = message.attachments
        assert (name, mimetype) == (f"{app.decision_number}.docx", DOCX)
        # The enclosure is the decision document of record, with these very dates in it.
        document = GeneratedDocument.objects.get(sha256=hashlib.sha256(content).hexdigest())
        assert document.kind == Kind.GRANT_DECISION
        assert document.object_id == app.pk
        assert "4.5.2026" in text_of(content)
    app.refresh_from_db()
    assert app.notified_on == date(2026, 4, 14)
    assert app.appeal_ends_on == date(2026, 5, 4)
    sending = TransitionLog.objects.get(object_id=app.pk, transition="decision_sent")
    assert sending.data["sent_on"] == "2026-04-14"
    assert sending.actor is None

    assert deliver_pending() == 0  # exactly once


def test_each_representative_reads_the_decision_in_their_language(
    application, walk, representative, swedish_representative
):
    app = walk(application, *DECIDED, "notify", notify=ELECTRONIC)
    deliver_pending()

    [swedish] = sent_to(swedish_representative.email)
    assert swedish.subject == f"Beslut {app.decision_number}: {app.title}"
    assert "begära omprövning senast 4.5.2026" in swedish.body
    assert '<html lang="sv">' in swedish.alternatives[0][0]
    [finnish] = sent_to(representative.email)
    assert "oikaisuvaatimuksen viimeistään 4.5.2026" in finnish.body


def test_a_message_that_goes_the_next_day_moves_the_appeal_period_with_it(
    application, walk, representative, association, settings, clock
):
    # Notified late on Tue 14 April; the mail server refuses until Wednesday morning.
    clock.move_to(at(date(2026, 4, 14), 23, 50), tick=False)
    app = walk(application, *DECIDED, "notify", notify=ELECTRONIC)
    assert app.appeal_ends_on == date(2026, 5, 4)
    settings.EMAIL_BACKEND = "tests.grants.test_notification.Refusing"
    deliver_pending()
    assert mail.outbox == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    clock.move_to(at(date(2026, 4, 15), 9), tick=False)
    assert deliver_pending() == 2

    app.refresh_from_db()
    # Sent Wed 15 April: deemed received Sat 18 April, 14 days from then is Sat 2 May: Mon 4 May
    # still; the deemed receipt itself moved.
    assert app.notified_on == date(2026, 4, 15)
    assert app.deemed_received_on == date(2026, 4, 18)
    deadline = Deadline.objects.get(object_id=app.pk, kind="appeal_period_ends")
    assert deadline.due_on == app.appeal_ends_on
    [message] = sent_to(association.email)
    assert "lähetetty teille sähköisesti 15.4.2026" in message.body
    assert "eli 18.4.2026" in message.body
    [(_name, content, _type)] = message.attachments
    assert "18.4.2026" in text_of(content)
    # Recorded once, with the day that counts, although two messages went.
    [sending] = TransitionLog.objects.filter(object_id=app.pk, transition="decision_sent")
    assert sending.data["sent_on"] == "2026-04-15"


def test_a_message_to_another_representative_later_does_not_move_the_dates(
    application, walk, representative, association, clock
):
    app = walk(application, *DECIDED, "notify", notify=ELECTRONIC)
    row = Notification.objects.get(recipient=representative, kind="decision_notified")
    Notification.objects.filter(pk=row.pk).update(send_after=at(date(2026, 4, 16), 9))
    assert deliver_pending() == 1  # the association's address: the decision is sent
    clock.move_to(at(date(2026, 4, 16), 9), tick=False)
    assert deliver_pending() == 1

    app.refresh_from_db()
    assert app.notified_on == date(2026, 4, 14)
    [late] = sent_to(representative.email)
    assert "lähetetty teille sähköisesti 14.4.2026" in late.body


def test_an_electronic_notification_cannot_be_dated(application, walk):
    app = walk(application, *DECIDED)
    with pytest.raises(ValidationError) as refused:
        walk(
            app,
            "notify",
            notify={"params": {"channel": "electronic", "sent_on": date(2026, 4, 13)}},
        )
    assert "sent_on" in refused.value.message_dict
    assert not Notification.objects.filter(kind="decision_notified").exists()
    assert Application.objects.get(pk=app.pk).state == Application.State.DECIDED


def test_a_letter_needs_the_associations_postal_address(application, walk, association):
    association.street_address = association.postal_code = association.post_office = ""
    association.save()
    app = walk(application, *DECIDED)

    with pytest.raises(ValidationError) as refused:
        walk(app, "notify", notify={"params": {"channel": "letter"}})

    assert "channel" in refused.value.message_dict
    assert Application.objects.get(pk=app.pk).state == Application.State.DECIDED


def test_a_letter_writes_no_message(application, walk):
    walk(application, *DECIDED, "notify", notify={"params": {"channel": "letter"}})
    assert not Notification.objects.filter(kind="decision_notified").exists()


def test_the_decision_on_a_rectification_is_sent_anew(application, walk, association, clock):
    app = walk(application, *DECIDED, "notify", notify=ELECTRONIC)
    deliver_pending()
    clock.move_to(at(date(2026, 4, 20), 10), tick=False)
    app = walk(
        app,
        "file_rectification",
        "decide_rectification",
        "notify",
        decide_rectification={"params": {"outcome": "upheld", "reasons": "Lainmukainen."}},
        notify=ELECTRONIC,
    )
    assert deliver_pending() == 2

    first, second = sent_to(association.email)
    assert first.attachments[0][1] != second.attachments[0][1]
    [content] = [second.attachments[0][1]]
    document = GeneratedDocument.objects.get(sha256=hashlib.sha256(content).hexdigest())
    assert document.kind == Kind.RECTIFICATION_DECISION


class Refusing:
    """A mail server that refuses every message."""

    def __init__(self, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")
