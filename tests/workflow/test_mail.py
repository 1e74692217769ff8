"""The two-phase SMTP backend against a real SMTP server (aiosmtpd) in this process."""

import socket
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.mail import get_connection
from django.test import override_settings

from tests.factories import UserFactory
from workflow.delivery import deliver_one, send_digests
from workflow.models import Notification
from workflow.outbox import notify

pytestmark = pytest.mark.django_db


class Server:
    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.received: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.reply.startswith("250"):
            self.received.append(envelope.content)
        return self.reply


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(request):
    server = Server(getattr(request, "param", "250 OK"))
    controller = Controller(server, hostname="127.0.0.1", port=_free_port())
    controller.start()
    with override_settings(
        EMAIL_BACKEND="workflow.mail.TwoPhaseSMTPBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=controller.port,
    ):
        yield server
    controller.stop()


def _pending(language: str = "fi") -> Notification:
    person = UserFactory(language=language)
    notify(
        [person],
        kind="report_due_before",
        key="k",
        context={"title": "Kesäleiri", "due_on": "2026-12-18"},
    )
    return Notification.objects.get(recipient=person)


def test_a_message_goes_through_both_phases_and_is_marked_sent(smtp):
    row = _pending("sv")
    connection = get_connection()

    assert deliver_one(connection) is True
    connection.close()

    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    assert row.attempts == 1
    assert len(smtp.received) == 1
    assert b"Redovisningen" in smtp.received[0]
    assert f"<notification-{row.pk}@".encode() in smtp.received[0]


def test_lines_starting_with_a_dot_are_escaped_so_the_message_is_not_cut(smtp):
    person = UserFactory()
    notify(
        [person],
        kind="completion_requested",
        key="k",
        context={"title": "T", "request": ".\nLiitä talousarvio.", "due_on": "2026-12-18"},
        legally_significant=True,
    )
    connection = get_connection()

    deliver_one(connection)
    connection.close()

    assert b"Liit" in smtp.received[0]  # the text after the lone "." line arrived too


@pytest.mark.parametrize("smtp", ["554 Transaction failed"], indirect=True)
def test_a_refusal_at_the_end_of_data_puts_the_row_back_for_a_retry(smtp):
    row = _pending()
    connection = get_connection()

    assert deliver_one(connection) is True
    connection.close()

    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING
    assert row.sent_at is None
    assert row.attempts == 1
    assert "554" in row.last_error
    assert row.send_after > row.created_at
    assert smtp.received == []


def _digest_rows() -> list[Notification]:
    person = UserFactory(notification_delivery="daily_digest")
    for n in range(3):
        notify(
            [person],
            kind="report_due_before",
            key=f"k{n}",
            context={"title": f"Hanke {n}", "due_on": "2026-12-18"},
        )
    return list(Notification.objects.filter(recipient=person))


@pytest.fixture
def tuesday():
    with time_machine.travel(
        datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Europe/Helsinki")), tick=False
    ):
        yield


def test_a_digest_goes_through_both_phases_as_one_message(smtp, tuesday):
    rows = _digest_rows()

    assert send_digests() == 1

    assert len(smtp.received) == 1
    assert {r.status for r in Notification.objects.filter(pk__in=[r.pk for r in rows])} == {
        Notification.Status.SENT
    }


@pytest.mark.parametrize("smtp", ["554 Transaction failed"], indirect=True)
def test_a_digest_refused_at_its_end_waits_for_the_next_digest(smtp, tuesday):
    rows = _digest_rows()

    assert send_digests() == 0

    statuses = {r.status for r in Notification.objects.filter(pk__in=[r.pk for r in rows])}
    assert statuses == {Notification.Status.DIGEST}
    assert smtp.received == []
