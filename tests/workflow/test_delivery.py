"""Delivering the outbox (`workflow.delivery`): text and HTML in the recipient's language,
retries with a growing delay, failure after NOTIFICATION_MAX_ATTEMPTS, daily digests."""

import smtplib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import override_settings

from tests.factories import UserFactory
from workflow.delivery import deliver_one, deliver_pending, send_digests
from workflow.messages import email_for
from workflow.models import Notification
from workflow.outbox import notify

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
DUE = {"title": "Kerhotoiminta 2027", "due_on": date(2026, 12, 18)}
Status = Notification.Status


@pytest.fixture
def working_day():
    """Digests go out on working days only: Tuesday 24 November 2026, mid-morning."""
    with time_machine.travel(
        datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Europe/Helsinki")), tick=False
    ):
        yield


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("450 mailbox unavailable")


class FailingForBrokenBackend(LocmemBackend):
    """Refuses messages to addresses starting with "broken", delivers the rest to the outbox."""

    def send_messages(self, messages):
        if any(to.startswith("broken") for m in messages for to in m.to):
            raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"no such user") for m in messages})
        return super().send_messages(messages)


class FlakyBackend(LocmemBackend):
    """Fails every other attempt; remembers the Message-ID of each attempt."""

    attempts: list[str] = []

    def send_messages(self, messages):
        FlakyBackend.attempts.extend(m.extra_headers["Message-ID"] for m in messages)
        if len(FlakyBackend.attempts) % 2:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return super().send_messages(messages)


FAILING = "tests.workflow.test_delivery.FailingBackend"


def at(day: date, hour: int = 8, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=HELSINKI)


def rows():
    return Notification.objects.order_by("id")


@pytest.fixture
def finn():
    return UserFactory(email="finn@example.fi", language="fi")


@pytest.fixture
def swede():
    return UserFactory(email="swede@example.fi", language="sv")


@pytest.fixture
def briton():
    return UserFactory(email="briton@example.fi", language="en")


def by_recipient():
    return {m.to[0]: m for m in mail.outbox}


# --- language, text and HTML ----------------------------------------------------------------


def test_each_person_gets_text_and_html_in_their_language(finn, swede, briton):
    notify([finn, swede, briton], kind="completion_due_before", key="k", context=DUE)

    assert deliver_pending() == 3

    sent = by_recipient()
    assert set(sent) == {"finn@example.fi", "swede@example.fi", "briton@example.fi"}
    expected = {
        "finn@example.fi": ("fi", "Täydennys pyydetty viimeistään 18.12.2026"),
        "swede@example.fi": ("sv", "Komplettering begärd senast 18.12.2026"),
        "briton@example.fi": ("en", "Completion requested by 18 December 2026"),
    }
    for address, (language, subject) in expected.items():
        message = sent[address]
        assert isinstance(message, EmailMultiAlternatives)
        assert message.subject == subject
        assert message.to == [address]
        assert message.from_email == "avustukset@example.fi"
        date_text = "18 December 2026" if language == "en" else "18.12.2026"
        assert date_text in message.body
        assert "Kerhotoiminta 2027" in message.body
        assert "2026-12-18" not in message.body
        assert not message.body.startswith(subject)  # the first line is the subject only
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        assert f'<html lang="{language}">' in html
        assert f"<title>{subject}</title>" in html
        assert date_text in html

    for row in rows():
        assert row.status == Status.SENT
        assert row.attempts == 1
        assert row.sent_at is not None
        assert row.last_error == ""


@pytest.mark.parametrize(
    ("kind", "context", "subjects"),
    [
        (
            "report_due_before",
            {"title": "T", "due_on": "2026-07-03"},
            {
                "fi": "Avustuksen selvitys erääntyy 3.7.2026",
                "sv": "Redovisningen för bidraget ska lämnas senast 3.7.2026",
                "en": "The grant report is due on 3 July 2026",
            },
        ),
        (
            "report_due_overdue",
            {"title": "T", "due_on": "2026-07-03"},
            {
                "fi": "Avustuksen selvitys on myöhässä (eräpäivä 3.7.2026)",
                "sv": "Redovisningen för bidraget är försenad (förfallodag 3.7.2026)",
                "en": "The grant report is overdue (due 3 July 2026)",
            },
        ),
        (
            "call_closes_before",
            {"title": "T", "due_on": "2026-03-30"},
            {
                "fi": "Avustushaku päättyy 30.3.2026: hakemus on vielä lähettämättä",
                "sv": "Ansökningstiden går ut 30.3.2026: er ansökan har ännu inte skickats in",
                "en": "The call closes on 30 March 2026: your application has not been submitted",
            },
        ),
        (
            "decision_payable",
            {
                "title": "T",
                "decision_number": "AV-2026-00001",
                "amount": "5000.00",
                "association": "Y ry",
                "valid_on": "2026-05-05",
            },
            {
                "fi": "Maksettava päätös AV-2026-00001: T",
                "sv": "Beslut AV-2026-00001 ska betalas: T",
                "en": "Decision AV-2026-00001 ready for payment: T",
            },
        ),
    ],
)
def test_subjects_of_each_kind_in_each_language(finn, swede, briton, kind, context, subjects):
    notify([finn, swede, briton], kind=kind, key="k", context=context)

    deliver_pending()

    sent = by_recipient()
    assert sent["finn@example.fi"].subject == subjects["fi"]
    assert sent["swede@example.fi"].subject == subjects["sv"]
    assert sent["briton@example.fi"].subject == subjects["en"]


def test_decision_payable_body_gives_the_date_in_the_recipients_format(finn, briton):
    context = {"title": "T", "amount": "5000.00", "association": "Y ry", "valid_on": "2026-05-05"}
    notify([finn, briton], kind="decision_payable", key="k", context=context)

    deliver_pending()

    sent = by_recipient()
    assert "lainvoimainen 5.5.2026 alkaen" in sent["finn@example.fi"].body
    assert "became legally valid on 5 May 2026" in sent["briton@example.fi"].body


def test_language_is_the_one_at_writing_time(finn):
    notify([finn], kind="completion_due_before", key="k", context=DUE)
    finn.language = "sv"
    finn.save()

    deliver_pending()

    [message] = mail.outbox
    assert message.subject == "Täydennys pyydetty viimeistään 18.12.2026"


def test_html_part_escapes_what_the_text_part_keeps_as_is(finn):
    title = 'Kerho & "nuoret" <script>alert(1)</script>'
    notify([finn], kind="completion_due_before", key="k", context={**DUE, "title": title})

    deliver_pending()

    [message] = mail.outbox
    assert title in message.body
    html = message.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Kerho &amp;" in html


# --- failures and retries -------------------------------------------------------------------


def test_smtp_failure_retries_with_growing_delay_then_fails(finn, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 5
    settings.NOTIFICATION_RETRY_SECONDS = 60
    start = at(date(2026, 12, 1), 9)
    with override_settings(EMAIL_BACKEND=FAILING), time_machine.travel(start, tick=False) as clock:
        notify([finn], kind="completion_due_before", key="k", context=DUE)
        row = Notification.objects.get()
        now = start
        delays = []
        for attempt in range(1, 5):
            assert deliver_pending() == 1
            row.refresh_from_db()
            assert row.status == Status.PENDING
            assert row.attempts == attempt
            assert row.last_error == "SMTPException: 450 mailbox unavailable"
            assert row.sent_at is None
            delays.append(row.send_after - now)
            # Not due again until its delay has passed.
            assert deliver_pending() == 0
            clock.move_to(row.send_after - timedelta(seconds=1))
            assert deliver_pending() == 0
            now = row.send_after
            clock.move_to(now)

        assert delays == [timedelta(seconds=s) for s in (60, 120, 240, 480)]

        assert deliver_pending() == 1  # the fifth attempt
        row.refresh_from_db()
        assert row.status == Status.FAILED
        assert row.attempts == 5
        assert row.last_error == "SMTPException: 450 mailbox unavailable"
        assert row.sent_at is None

        clock.move_to(start + timedelta(days=7))
        assert deliver_pending() == 0  # a failed row is left for the admin

    assert mail.outbox == []


def test_a_failing_row_does_not_block_the_next_one(finn, swede):
    broken = UserFactory(email="broken@example.fi", language="fi")
    start = at(date(2026, 12, 1), 9)
    backend = "tests.workflow.test_delivery.FailingForBrokenBackend"
    with override_settings(EMAIL_BACKEND=backend), time_machine.travel(start, tick=False) as clock:
        # The broken row is the oldest, so it is taken first.
        notify([broken], kind="completion_due_before", key="a", context=DUE)
        clock.move_to(start + timedelta(seconds=1))
        notify([finn, swede], kind="completion_due_before", key="b", context=DUE)

        assert deliver_pending() == 3

        assert sorted(m.to[0] for m in mail.outbox) == ["finn@example.fi", "swede@example.fi"]
        failing = Notification.objects.get(recipient=broken)
        assert failing.status == Status.PENDING
        assert failing.attempts == 1
        assert failing.last_error.startswith("SMTPRecipientsRefused")
        assert set(
            Notification.objects.exclude(pk=failing.pk).values_list("status", flat=True)
        ) == {Status.SENT}


def test_all_rows_failing_does_not_loop_forever(finn, swede, briton):
    with override_settings(EMAIL_BACKEND=FAILING):
        notify([finn, swede, briton], kind="completion_due_before", key="k", context=DUE)

        assert deliver_pending() == 3
        assert deliver_pending() == 0

    assert set(rows().values_list("attempts", flat=True)) == {1}


def test_deliver_pending_stops_at_its_limit(finn, swede, briton):
    notify([finn, swede, briton], kind="completion_due_before", key="k", context=DUE)

    assert deliver_pending(limit=2) == 2
    assert len(mail.outbox) == 2
    assert deliver_pending() == 1
    assert deliver_pending() == 0
    assert len(mail.outbox) == 3


def test_send_after_in_the_future_waits(finn):
    start = at(date(2026, 12, 1), 9)
    with time_machine.travel(start, tick=False) as clock:
        notify(
            [finn],
            kind="completion_due_before",
            key="k",
            context=DUE,
            send_after=start + timedelta(hours=1),
        )
        assert deliver_pending() == 0
        clock.move_to(start + timedelta(hours=1))
        assert deliver_pending() == 1
    assert len(mail.outbox) == 1


# --- Message-ID -----------------------------------------------------------------------------


def test_message_id_is_stable_per_notification(finn, swede, settings):
    notify([finn, swede], kind="completion_due_before", key="k", context=DUE)
    first, second = rows().select_related("recipient")

    assert email_for(first).extra_headers["Message-ID"] == (
        f"<notification-{first.pk}@{settings.NOTIFICATION_MESSAGE_ID_DOMAIN}>"
    )
    assert email_for(first).message()["Message-ID"] == email_for(first).message()["Message-ID"]
    assert email_for(first).extra_headers != email_for(second).extra_headers

    deliver_pending()

    ids = {m.to[0]: m.message()["Message-ID"] for m in mail.outbox}
    assert ids == {
        "finn@example.fi": f"<notification-{first.pk}@avustus.local>",
        "swede@example.fi": f"<notification-{second.pk}@avustus.local>",
    }


def test_a_retried_message_keeps_its_message_id(finn):
    FlakyBackend.attempts = []
    start = at(date(2026, 12, 1), 9)
    backend = "tests.workflow.test_delivery.FlakyBackend"
    with override_settings(EMAIL_BACKEND=backend), time_machine.travel(start, tick=False) as clock:
        notify([finn], kind="completion_due_before", key="k", context=DUE)
        assert deliver_pending() == 1  # fails
        clock.move_to(start + timedelta(minutes=1))
        assert deliver_pending() == 1  # sent

    row = Notification.objects.get()
    assert row.status == Status.SENT
    assert row.attempts == 2
    assert FlakyBackend.attempts == [f"<notification-{row.pk}@avustus.local>"] * 2
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<notification-{row.pk}@avustus.local>"


# --- daily digests --------------------------------------------------------------------------


def test_digest_people_get_optional_notifications_in_one_message(working_day, swede, finn):
    swede.notification_delivery = "daily_digest"
    swede.save()
    notify(
        [swede, finn], kind="call_closes_before", key="a", context={**DUE, "due_on": "2026-03-30"}
    )
    notify([swede], kind="report_due_before", key="b", context={**DUE, "due_on": "2026-07-03"})

    assert set(Notification.objects.filter(recipient=swede).values_list("status", flat=True)) == {
        Status.DIGEST
    }
    assert deliver_pending() == 1  # only the immediate person's message
    assert [m.to for m in mail.outbox] == [["finn@example.fi"]]

    assert send_digests() == 1

    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert digest.to == ["swede@example.fi"]
    assert digest.subject == "Dagens meddelanden (2)"
    assert "- Ansökningstiden går ut 30.3.2026: er ansökan har ännu inte skickats in" in digest.body
    assert "- Redovisningen för bidraget ska lämnas senast 3.7.2026" in digest.body
    [(html, mimetype)] = digest.alternatives
    assert mimetype == "text/html"
    assert '<html lang="sv">' in html
    assert digest.extra_headers["Message-ID"].startswith("<digest-")
    assert set(Notification.objects.filter(recipient=swede).values_list("status", flat=True)) == {
        Status.SENT
    }
    assert Notification.objects.filter(recipient=swede, sent_at__isnull=True).count() == 0

    # Nothing waits any more: no second digest.
    assert send_digests() == 0
    assert deliver_pending() == 0
    assert len(mail.outbox) == 2


def test_legally_significant_notifications_skip_the_digest(
    working_day, application, representative, walk
):
    representative.notification_delivery = "daily_digest"
    representative.save()

    walk(application, "submit", "request_completion")

    row = Notification.objects.get(recipient=representative)
    assert row.kind == "completion_requested"
    assert row.legally_significant is True
    assert row.status == Status.PENDING

    assert deliver_pending() == 1

    [message] = mail.outbox
    assert message.to == [representative.email]
    assert message.subject.startswith("Hakemukseen pyydetään täydennystä viimeistään ")
    assert "Liitä talousarvio." in message.body
    assert send_digests() == 0


def test_each_digest_person_gets_their_own_digest_in_their_language(
    working_day, finn, swede, briton
):
    for person in (finn, swede, briton):
        person.notification_delivery = "daily_digest"
        person.save()
    notify([finn, swede, briton], kind="report_due_before", key="a", context=DUE)

    assert send_digests() == 3

    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "finn@example.fi": "Päivän ilmoitukset (1)",
        "swede@example.fi": "Dagens meddelanden (1)",
        "briton@example.fi": "Today's notifications (1)",
    }
    assert (
        "- The grant report is due on 18 December 2026" in by_recipient()["briton@example.fi"].body
    )


def test_failing_digest_stays_waiting_and_others_go_out(working_day, finn, swede):
    broken = UserFactory(email="broken@example.fi", language="fi")
    for person in (broken, finn, swede):
        person.notification_delivery = "daily_digest"
        person.save()
    notify([broken, finn, swede], kind="report_due_before", key="a", context=DUE)

    backend = "tests.workflow.test_delivery.FailingForBrokenBackend"
    with override_settings(EMAIL_BACKEND=backend):
        assert send_digests() == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["finn@example.fi", "swede@example.fi"]
    assert Notification.objects.get(recipient=broken).status == Status.DIGEST


def test_deliver_one_on_empty_outbox(finn):
    from django.core.mail import get_connection

    assert deliver_one(get_connection()) is False


def test_digest_after_a_language_change_is_wholly_in_one_language(working_day, finn):
    """Written while the person read Finnish, digested after they switched to English: the
    digest is rendered in English, and its dates must be English too."""
    finn.notification_delivery = "daily_digest"
    finn.save()
    notify([finn], kind="report_due_before", key="a", context=DUE)
    finn.language = "en"
    finn.save()

    send_digests()

    [digest] = mail.outbox
    assert digest.subject == "Today's notifications (1)"
    assert "- The grant report is due on 18 December 2026" in digest.body


def test_each_digest_line_links_to_its_message_s_page(working_day, finn, settings):
    settings.SITE_URL = "https://avustus.example.fi"
    finn.notification_delivery = "daily_digest"
    finn.save()
    notify([finn], kind="report_due_before", key="a", context={**DUE, "path": "/association/"})

    send_digests()

    [digest] = mail.outbox
    assert (
        "- Avustuksen selvitys erääntyy 18.12.2026\n  https://avustus.example.fi/association/"
        in (digest.body)
    )
    [(html, _type)] = digest.alternatives
    assert '<a href="https://avustus.example.fi/association/"' in html


def test_a_digest_lists_a_message_once_however_many_rows_repeat_it(working_day, finn):
    """Two rows that read the same (the same subject, the same page) are one line: a digest
    is a list of what to look at, and the same thing twice reads as a mistake."""
    finn.notification_delivery = "daily_digest"
    finn.save()
    page = {**DUE, "path": "/association/applications/1/"}
    notify([finn], kind="report_due_before", key="a", context=page)
    notify([finn], kind="report_due_before", key="b", context=page)
    notify([finn], kind="report_due_before", key="c", context={**page, "path": "/association/"})

    send_digests()

    [digest] = mail.outbox
    assert digest.subject == "Päivän ilmoitukset (2)"
    assert digest.body.count("- Avustuksen selvitys erääntyy 18.12.2026") == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}


def test_no_digest_goes_out_on_a_sunday(finn):
    finn.notification_delivery = "daily_digest"
    finn.save()
    sunday = datetime(2026, 11, 22, 10, tzinfo=ZoneInfo("Europe/Helsinki"))
    with time_machine.travel(sunday, tick=False):
        notify(
            [finn],
            kind="report_due_before",
            key="k",
            context={"title": "T", "due_on": "2026-12-18"},
        )
        assert send_digests() == 0
    with time_machine.travel(sunday + timedelta(days=1), tick=False):
        assert send_digests() == 1
    assert len(mail.outbox) == 1
