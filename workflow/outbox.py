"""Writing notifications: rows first, in the caller's transaction; `workflow.delivery` sends.

Each row's key is unique per recipient, so writing the same reminder twice (a retried task,
two scans at once) leaves one row and sends one message. Nobody is told of their own action:
the person performing the transition that writes the rows (`workflow.actors.acting`) is left
out of its recipients, whichever group they belong to.

A row's `context` may carry `path`, the site-relative page the message is about for its
recipients (`workflow.links.page_path`); `workflow.messages` gives every template the absolute
`link` to it.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

from organisations.models import User
from workflow.actors import acting_person_id
from workflow.enqueue import enqueue_on_commit
from workflow.models import Deadline, Notification


def notification_rows(
    recipients: Iterable[User],
    *,
    kind: str,
    key: str,
    context: dict[str, Any],
    deadline: Deadline | None = None,
    legally_significant: bool = False,
    send_after: datetime | None = None,
) -> list[Notification]:
    """Unsaved outbox rows, one per recipient but the acting person; a digest row for who chose
    a daily digest."""
    actor_id = acting_person_id()
    return [
        Notification(
            recipient=person,
            key=key,
            kind=kind,
            language=person.language,
            context=context,
            deadline=deadline,
            legally_significant=legally_significant,
            send_after=send_after or timezone.now(),
            status=(
                Notification.Status.DIGEST
                if not legally_significant
                and person.notification_delivery == User.Delivery.DAILY_DIGEST
                else Notification.Status.PENDING
            ),
        )
        for person in recipients
        if actor_id is None or person.pk != actor_id
    ]


def write(rows: list[Notification]) -> None:
    """Save rows; one whose (recipient, key) exists already is left out, not written twice."""
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


def _deliver_soon(rows: list[Notification]) -> None:
    """What a person's act wrote to send now goes as soon as the transaction commits, not at
    beat's next delivery run (every 30 seconds): a decision reaches the association within
    seconds. Runs claim their rows (`workflow.delivery`), so this one and beat's never send a
    row twice. (The reminder scans leave their rows to beat's run.)"""
    if any(row.status == Notification.Status.PENDING for row in rows):
        from workflow import tasks  # tasks -> delivery, scans -> this module

        enqueue_on_commit(tasks.deliver_notifications)


def notify(recipients: Iterable[User], **message: Any) -> None:
    """Write one notification per recipient (see `notification_rows` for the fields), to be
    delivered once the transaction commits."""
    rows = notification_rows(recipients, **message)
    write(rows)
    _deliver_soon(rows)


def notify_address(
    address: str, *, language: str, kind: str, key: str, context: dict[str, Any]
) -> None:
    """Write one notification to an address that is nobody's own, such as an association's
    contact address: sent at once, in `language`; its key is unique per address."""
    rows = [
        Notification(
            address=address,
            key=key,
            kind=kind,
            language=language,
            context=context,
            legally_significant=True,
        )
    ]
    write(rows)
    _deliver_soon(rows)
