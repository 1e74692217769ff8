"""The audit trail of an agreement, its versions and its evaluations, as the pages show it."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementVersion, Evaluation
from agreements.portal.labels import (
    ACTIONS,
    AGREEMENT_STATES,
    EVALUATION_STATES,
    VERSION_STATES,
    badge,
    local_date,
    name_of,
)
from workflow.history import hidden_from
from workflow.models import TransitionLog


def history(
    user: Any,
    agreement: Agreement,
    versions: list[AgreementVersion],
    evaluations: list[Evaluation],
) -> list[dict[str, Any]]:
    """The audit trail of the agreement, its versions the person sees and its evaluations,
    oldest first. The association's people do not see the officials' internal steps: the
    rule of every history (workflow.history)."""
    hidden = hidden_from(user, agreement)
    types = ContentType.objects.get_for_models(Agreement, AgreementVersion, Evaluation)
    by_version = {v.pk: v for v in versions}
    by_evaluation = {e.pk: e for e in evaluations}
    entries = (
        TransitionLog.objects.filter(
            Q(content_type=types[Agreement], object_id=agreement.pk)
            | Q(content_type=types[AgreementVersion], object_id__in=list(by_version))
            | Q(content_type=types[Evaluation], object_id__in=list(by_evaluation))
        )
        .exclude(transition__in=hidden)
        .select_related("actor")
        .order_by("at", "id")
    )
    rows = []
    for entry in entries:
        if entry.content_type_id == types[AgreementVersion].pk:
            version = by_version[entry.object_id]
            what = _("Version %(number)s") % {"number": version.number}
            state = badge(VERSION_STATES, entry.to_state)
        elif entry.content_type_id == types[Evaluation].pk:
            evaluation = by_evaluation[entry.object_id]
            what = _("Evaluation %(start)s–%(end)s") % {
                "start": local_date(evaluation.period_starts_on),
                "end": local_date(evaluation.period_ends_on),
            }
            state = badge(EVALUATION_STATES, entry.to_state)
        else:
            what = _("Agreement")
            state = badge(AGREEMENT_STATES, entry.to_state)
        rows.append(
            {
                "at": entry.at,
                "what": what,
                "action": ACTIONS.get(entry.transition, entry.transition),
                "state": state,
                "actor": name_of(entry.actor),
                "comment": entry.comment,
            }
        )
    return rows
