"""Dated obligations of any record. Transitions open and close them; the reminder scan
(`workflow.scans`) reads them. Each app names its kinds of deadline (`kind_register`), so the
workbench, the portals and the calendars call a deadline the same in every language."""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise

from workflow.models import Deadline
from workflow.reminders import Schedule, next_reminder


def deadline_set(
    subject: models.Model,
    *,
    kind: str,
    due_on: date,
    title: str = "",
    association_id: int | None = None,
    public_body_id: int | None = None,
    schedule: Schedule | None = None,
) -> Deadline:
    """Open the deadline of this kind, or move the open one to the new date.

    Called inside a transition, with the subject's row locked, so a plain update-then-insert
    cannot race another writer (at most two statements, not update_or_create's six).
    """
    schedule = schedule or Schedule()
    # Reminders start tomorrow: whoever caused the deadline has just been told of it.
    first = next_reminder(
        due_on, schedule, after=None, today=timezone.localdate() + timedelta(days=1)
    )
    fields = {
        "due_on": due_on,
        "title": title[:300],
        "association_id": association_id,
        "public_body_id": public_body_id,
        "remind_days_before": list(schedule.days_before),
        "remind_to": schedule.remind_to,
        "overdue_every_days": schedule.overdue_every_days,
        "overdue_to": schedule.overdue_to,
        "next_step": first[0] if first else "",
        "next_reminder_at": first[1] if first else None,
    }
    content_type = ContentType.objects.get_for_model(subject)
    open_one = Deadline.objects.filter(
        content_type=content_type, object_id=subject.pk, kind=kind, status=Deadline.Status.OPEN
    )
    if open_one.update(**fields):
        return open_one.get()
    return Deadline.objects.create(
        content_type=content_type, object_id=subject.pk, kind=kind, **fields
    )


def deadline_close(subject: models.Model, *, kind: str, status: str = Deadline.Status.MET) -> int:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        kind=kind,
        status=Deadline.Status.OPEN,
    ).update(status=status, closed_at=timezone.now(), next_reminder_at=None)


def deadlines_of(subject: models.Model) -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    )


def schedule_of(deadline: Deadline) -> Schedule:
    return Schedule(
        days_before=tuple(deadline.remind_days_before),
        remind_to=deadline.remind_to,
        overdue_every_days=deadline.overdue_every_days,
        overdue_to=deadline.overdue_to,
    )


_KIND_LABELS: dict[str, Promise] = {}


def kind_register(kind: str, label: Promise) -> None:
    """Name a kind of deadline (a lazy translation): called from the app's `AppConfig.ready`."""
    _KIND_LABELS[kind] = label


def registered_kinds() -> set[str]:
    return set(_KIND_LABELS)


def kind_label(kind: str) -> str:
    """The kind's name in the active language; an unregistered kind reads as its code."""
    label = _KIND_LABELS.get(kind)
    return str(label) if label is not None else kind.replace("_", " ").capitalize()
