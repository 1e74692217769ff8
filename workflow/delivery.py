"""Delivering the outbox by email.

`deliver_one` claims the oldest due row with a lock that skips rows another worker holds, so
two workers never take the same row. With the two-phase SMTP backend (production) the row is
committed as sent between the message and the end of its DATA (`workflow.mail`): a worker
killed before that commit leaves the server an unfinished message it discards and the row
pending for the next run; after it, server and outbox agree. Other backends (the console in
development, memory in the tests) send inside the transaction. A failing row is pushed back
with a growing delay and, after NOTIFICATION_MAX_ATTEMPTS, marked failed for the admin to see,
so it cannot block the rest.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from workflow.locking import locked
from workflow.mail import TwoPhaseSMTPBackend
from workflow.messages import digest_email_for, email_for
from workflow.models import Notification
from workflow.time_limits import is_working_day

log = logging.getLogger(__name__)


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_RETRY_SECONDS * 2 ** (attempts - 1))


def _push_back(row: Notification, error: Exception, now: datetime) -> None:
    """A failed attempt: try again later, or give up after NOTIFICATION_MAX_ATTEMPTS."""
    log.warning("Notification %s failed (attempt %s): %s", row.pk, row.attempts, error)
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        row.status = Notification.Status.FAILED
    else:
        row.status = Notification.Status.PENDING
        row.send_after = now + _retry_delay(row.attempts)


def _begin(connection: BaseEmailBackend, email) -> None:
    """Inside the transaction: all of the message but its end (or all of it, one-phase)."""
    if isinstance(connection, TwoPhaseSMTPBackend):
        connection.prepare(email)
    else:
        connection.send_messages([email])


def _end(connection: BaseEmailBackend) -> None:
    """After the commit: the end of the message, which hands it to the server."""
    if isinstance(connection, TwoPhaseSMTPBackend):
        connection.finish()


def deliver_one(connection: BaseEmailBackend, now: datetime | None = None) -> bool:
    """Send the oldest due pending notification; False when there is none."""
    now = now or timezone.now()
    fields = ["attempts", "last_error", "status", "send_after", "sent_at"]
    with transaction.atomic():
        row = (
            locked(
                Notification.objects.filter(
                    status=Notification.Status.PENDING, send_after__lte=now
                ).order_by("send_after", "id"),
                skip_locked=True,
            )
            .select_related("recipient")
            .first()
        )
        if row is None:
            return False
        row.attempts += 1
        try:
            # A savepoint: what the message's preparer wrote (workflow.messages) stands only
            # if the message went.
            with transaction.atomic():
                _begin(connection, email_for(row))
        except Exception as exc:
            connection.close()  # drop a broken session; the next row opens a fresh one
            _push_back(row, exc, now)
            row.save(update_fields=fields)
            return True
        row.status = Notification.Status.SENT
        row.sent_at = timezone.now()
        row.save(update_fields=fields)
    try:
        _end(connection)
    except Exception as exc:
        # The server refused the message at its end, or the line broke: not delivered.
        connection.close()
        _push_back(row, exc, now)
        row.sent_at = None
        row.save(update_fields=fields)
    return True


def _open_connection() -> BaseEmailBackend:
    """One SMTP session for a whole run, not a connect and QUIT per message. If the server
    cannot be reached now, each row fails into its own retry schedule instead."""
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:
        log.warning("Could not open the mail connection: %s", exc)
    return connection


def deliver_pending(limit: int = 10_000) -> int:
    """Send due notifications, up to `limit`; return how many rows were handled."""
    handled = 0
    connection = _open_connection()
    try:
        while handled < limit and deliver_one(connection):
            handled += 1
    finally:
        connection.close()
    return handled


def digest_one(recipient_id: int, connection: BaseEmailBackend) -> bool:
    """Send one person's waiting optional notifications as a single message."""
    with transaction.atomic():
        rows = list(
            locked(
                Notification.objects.filter(
                    recipient_id=recipient_id, status=Notification.Status.DIGEST
                ).order_by("created_at", "id"),
                skip_locked=True,
            ).select_related("recipient")
        )
        if not rows:
            return False
        _begin(connection, digest_email_for(rows))
        sent = Notification.objects.filter(pk__in=[r.pk for r in rows])
        sent.update(status=Notification.Status.SENT, sent_at=timezone.now())
    try:
        _end(connection)
    except Exception:
        sent.update(status=Notification.Status.DIGEST, sent_at=None)  # in the next digest
        raise
    return True


def send_digests() -> int:
    """Send every waiting daily digest, on working days only (like the reminders in them);
    a failing one is logged and tried again next time."""
    if not is_working_day(timezone.localdate()):
        return 0
    recipients = (
        Notification.objects.filter(status=Notification.Status.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    connection = _open_connection()
    try:
        for recipient_id in list(recipients):
            try:
                sent += digest_one(recipient_id, connection)
            except Exception:
                log.exception("Digest for person %s failed", recipient_id)
                connection.close()
    finally:
        connection.close()
    return sent
