"""Who reads which entries of a record's audit log: the one rule behind the API's `history/`
endpoint and the portals' timelines."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from workflow.models import TransitionLog
from workflow.rules import is_official

# Internal preparation (the review steps before the decision, conflict-of-interest
# declarations) is the officials' working material, not the association's to read.
INTERNAL = frozenset({"record_step", "declare_disqualification"})


def hidden_from(user: Any, subject: Model) -> frozenset[str]:
    """The transitions of `subject`'s log the person does not see: none for its officials,
    the internal preparation for everyone else."""
    return frozenset() if is_official(user, subject) else INTERNAL


def history_for(user: Any, subject: Model) -> QuerySet[TransitionLog]:
    """The entries of `subject`'s audit log the person may read, oldest first, with their
    actors."""
    return (
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
        )
        .exclude(transition__in=hidden_from(user, subject))
        .select_related("actor")
        .order_by("at", "id")
    )
