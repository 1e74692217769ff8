"""Audited actions: what people and the system do to a record without changing its state (a
record created or edited, a file attached, a message sent, a token issued). They go into the
audit log beside the transitions, as entries of their own kind; transitions are written by the
one door, `workflow.transitions.transition_perform`, and by nothing else."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django_fsm import FSMFieldMixin

from workflow.actors import SystemActor
from workflow.models import TransitionLog


def _state_of(subject: models.Model) -> str:
    """The record's state, or "" for a record without one (an association, a person)."""
    field = next((f for f in subject._meta.concrete_fields if isinstance(f, FSMFieldMixin)), None)
    return "" if field is None else field.get_state(subject)


def action_record(
    subject: models.Model,
    *,
    action: str,
    actor: Any,
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> TransitionLog:
    """Append an audited action on `subject` by `actor` (the system: SYSTEM) to the audit log,
    with the state the record is in, and what the action was given (`data`)."""
    state = _state_of(subject)
    return TransitionLog.objects.create(
        kind=TransitionLog.Kind.ACTION,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        from_state=state,
        to_state=state,
        transition=action,
        actor=None if isinstance(actor, SystemActor) else actor,
        comment=comment,
        data=data or {},
    )
