"""The reminder scan: turn due reminder steps into outbox rows.

A scan claims a batch of due deadlines in one transaction, with a row lock that skips rows
another scan holds, writes their reminders with one insert and moves each deadline to its
next step with one update. Each reminder's outbox key is unique per recipient, so two scans
at once, a retried task or a killed worker never write a reminder twice. The cost is a few
statements per batch, and the select reads only the partial index of due deadlines, however
many deadlines are open.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone

from organisations.models import OfficialRole, User
from organisations.selectors import officials_by_public_body, representatives_by_association
from workflow.deadlines import schedule_of
from workflow.links import audience_of, page_path
from workflow.locking import locked
from workflow.models import Deadline, Notification, Recipients
from workflow.outbox import notification_rows, write
from workflow.reminders import next_reminder, recipients_of

log = logging.getLogger(__name__)

Directory = dict[str, dict[int, list[User]]]


# Reminders to officials go to the holders of a role in the deadline's public body.
_OFFICIAL_ROLES = {
    Recipients.PREPARERS: OfficialRole.Role.PREPARER,
    Recipients.LIAISONS: OfficialRole.Role.LIAISON,
}


def _associations(deadline: Deadline) -> list[int]:
    """The associations whose representatives are reminded: every party the deadline's record
    names (`association_ids`: an agreement's several associations), else the deadline's own."""
    named = getattr(deadline.subject, "association_ids", None)
    if named:
        return list(named)
    return [deadline.association_id] if deadline.association_id else []


def _directory(deadlines: list[Deadline]) -> Directory:
    """Who the batch's reminders may go to, read once for the whole batch."""
    bodies = {d.public_body_id for d in deadlines if d.public_body_id}
    directory: Directory = {
        Recipients.ASSOCIATION: representatives_by_association(
            {a for d in deadlines for a in _associations(d)}
        )
    }
    wanted = {who for d in deadlines for who in (d.remind_to, d.overdue_to)}
    for who, role in _OFFICIAL_ROLES.items():
        directory[who] = officials_by_public_body(bodies, role) if who in wanted else {}
    return directory


def _people(deadline: Deadline, who: str, directory: Directory) -> list[User]:
    if who == Recipients.ASSOCIATION:
        people = {p.pk: p for a in _associations(deadline) for p in directory[who].get(a, [])}
        return list(people.values())
    if who in _OFFICIAL_ROLES:
        return directory[who].get(deadline.public_body_id, [])
    return []


def _reminders(deadline: Deadline, directory: Directory, now: datetime) -> list[Notification]:
    """The deadline's due reminder as outbox rows; moves the deadline to its next step."""
    step = deadline.next_step
    schedule = schedule_of(deadline)
    phase = "before" if step.startswith("before-") else "overdue"
    who = recipients_of(step, schedule)
    rows = notification_rows(
        _people(deadline, who, directory),
        kind=f"{deadline.kind}_{phase}",
        key=f"deadline:{deadline.pk}:{deadline.due_on.isoformat()}:{step}",
        context={
            "title": deadline.title,
            "due_on": deadline.due_on,
            "association": deadline.association.name if deadline.association else "",
            "days_left": (deadline.due_on - timezone.localdate(now)).days,
            # The page of the deadline's record for the people reminded.
            "path": page_path(deadline.subject, audience_of(who)),
        },
        deadline=deadline,
    )
    # One reminder a day at most: steps that fell on the same working day, or that a stopped
    # scan left behind, are skipped rather than sent in a burst.
    following = next_reminder(
        deadline.due_on, schedule, after=step, today=timezone.localdate(now) + timedelta(days=1)
    )
    deadline.next_step, deadline.next_reminder_at = following or ("", None)
    return rows


def _remind(candidates: QuerySet[Deadline], now: datetime, batch: int) -> int:
    """Claim up to `batch` of the candidates that are due; return how many were reminded."""
    with transaction.atomic():
        claimed = list(
            locked(
                candidates.filter(status=Deadline.Status.OPEN, next_reminder_at__lte=now)
                .select_related("association")
                .order_by("next_reminder_at", "pk")[:batch],
                skip_locked=True,
            )
        )
        if not claimed:
            return 0
        # The deadlines' records, for the links: one query per kind of record.
        prefetch_related_objects(claimed, "subject")
        directory = _directory(claimed)
        rows: list[Notification] = []
        reminded = 0
        for deadline in claimed:
            try:
                rows += _reminders(deadline, directory, now)
                reminded += 1
            except Exception:
                # One broken deadline must not stop the others: push it back a day.
                log.exception("Reminder for deadline %s failed", deadline.pk)
                deadline.next_reminder_at = now + timedelta(days=1)
        write(rows)
        _move(claimed)
    return reminded


def _move(deadlines: list[Deadline]) -> None:
    """Save each deadline's next step. Deadlines of one cohort (same due date and schedule)
    move together, so one plain UPDATE per distinct next step does what a CASE per row would."""
    moves: dict[tuple[str, datetime | None], list[int]] = defaultdict(list)
    for deadline in deadlines:
        moves[(deadline.next_step, deadline.next_reminder_at)].append(deadline.pk)
    for (step, at), ids in moves.items():
        Deadline.objects.filter(pk__in=ids).update(next_step=step, next_reminder_at=at)


def remind_one(deadline_id: int, now: datetime) -> bool:
    """Write one deadline's due reminder. False: not due, or another scan holds it."""
    return _remind(Deadline.objects.filter(pk=deadline_id), now, batch=1) == 1


def remind_due(now: datetime | None = None, batch: int = 500) -> int:
    """Write every reminder due by `now`, a batch at a time; return how many were written."""
    now = now or timezone.now()
    handled = 0
    while True:
        done = _remind(Deadline.objects.all(), now, batch)
        handled += done
        if done < batch:
            return handled
