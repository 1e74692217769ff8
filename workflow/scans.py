"""The reminder scan: turn due reminder steps into outbox rows.

Small units: `remind_one` handles one deadline and says whether it did; `remind_due` loops.
Each deadline is claimed with a row lock that skips rows another scan holds, and each
reminder's outbox key is unique, so two scans at once, a retried task or a killed worker
never write a reminder twice.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from organisations.models import OfficialRole
from organisations.selectors import officials_of, representatives_of
from workflow.deadlines import schedule_of
from workflow.locking import locked
from workflow.models import Deadline, Recipients
from workflow.outbox import notify
from workflow.reminders import next_reminder, recipients_of

log = logging.getLogger(__name__)


def _people(deadline: Deadline, who: str):
    if who == Recipients.ASSOCIATION and deadline.association_id:
        return list(representatives_of(deadline.association_id))
    if who == Recipients.PREPARERS and deadline.public_body_id:
        return list(officials_of(deadline.public_body_id, OfficialRole.Role.PREPARER))
    return []


def remind_one(deadline_id: int, now: datetime) -> bool:
    """Write the deadline's due reminder and move it to its next step. False: nothing to do."""
    with transaction.atomic():
        deadline = (
            locked(
                Deadline.objects.filter(
                    pk=deadline_id, status=Deadline.Status.OPEN, next_reminder_at__lte=now
                ),
                skip_locked=True,
            )
            .select_related("association")
            .first()
        )
        if deadline is None:
            return False  # another scan holds it, or it was met or moved meanwhile
        step = deadline.next_step
        schedule = schedule_of(deadline)
        phase = "before" if step.startswith("before-") else "overdue"
        notify(
            _people(deadline, recipients_of(step, schedule)),
            kind=f"{deadline.kind}_{phase}",
            key=f"deadline:{deadline.pk}:{deadline.due_on.isoformat()}:{step}",
            context={
                "title": deadline.title,
                "due_on": deadline.due_on,
                "association": deadline.association.name if deadline.association else "",
                "days_left": (deadline.due_on - timezone.localdate(now)).days,
            },
            deadline=deadline,
        )
        # One reminder a day at most: steps that fell on the same working day, or that a
        # stopped scan left behind, are skipped rather than sent in a burst.
        following = next_reminder(
            deadline.due_on, schedule, after=step, today=timezone.localdate(now) + timedelta(1)
        )
        deadline.next_step, deadline.next_reminder_at = following or ("", None)
        deadline.save(update_fields=["next_step", "next_reminder_at"])
    return True


def remind_due(now: datetime | None = None, batch: int = 500) -> int:
    """Write every reminder due by `now`; return how many deadlines were handled."""
    now = now or timezone.now()
    handled = 0
    while True:
        due = list(
            Deadline.objects.filter(status=Deadline.Status.OPEN, next_reminder_at__lte=now)
            .order_by("next_reminder_at")
            .values_list("pk", flat=True)[:batch]
        )
        done = 0
        for deadline_id in due:
            try:
                done += remind_one(deadline_id, now)
            except Exception:
                # One broken deadline must not stop the others: push it back a day and go on.
                log.exception("Reminder for deadline %s failed", deadline_id)
                Deadline.objects.filter(pk=deadline_id).update(
                    next_reminder_at=now + timedelta(days=1)
                )
        handled += done
        if len(due) < batch or done == 0:
            return handled
