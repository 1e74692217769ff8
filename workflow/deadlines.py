"""Dated obligations of any record. Transitions open and close them; reminders scan them."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from workflow.models import Deadline


def deadline_set(subject: models.Model, *, kind: str, due_on: date) -> Deadline:
    """Open the deadline of this kind, or move the open one to the new date."""
    deadline, _created = Deadline.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        kind=kind,
        status=Deadline.Status.OPEN,
        defaults={"due_on": due_on},
    )
    return deadline


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
