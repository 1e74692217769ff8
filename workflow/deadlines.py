"""Dated obligations of any record. Transitions open and close them; reminders scan them."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from workflow.models import Deadline


def deadline_set(subject: models.Model, *, kind: str, due_on: date) -> Deadline:
    """Open the deadline of this kind, or move the open one to the new date.

    Called inside a transition, with the subject's row locked, so a plain update-then-insert
    cannot race another writer (at most two statements, not update_or_create's six).
    """
    content_type = ContentType.objects.get_for_model(subject)
    open_one = Deadline.objects.filter(
        content_type=content_type, object_id=subject.pk, kind=kind, status=Deadline.Status.OPEN
    )
    if open_one.update(due_on=due_on):
        return open_one.get()
    return Deadline.objects.create(
        content_type=content_type, object_id=subject.pk, kind=kind, due_on=due_on
    )


def deadline_close(subject: models.Model, *, kind: str, status: str = Deadline.Status.MET) -> int:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        kind=kind,
        status=Deadline.Status.OPEN,
    ).update(status=status, closed_at=timezone.now())


def deadlines_of(subject: models.Model) -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    )
