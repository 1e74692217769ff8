"""Reads: which records a person may see, loaded with a constant number of queries."""

from django.db.models import Prefetch, Q, QuerySet

from grants.models import Application, Call
from organisations.roles import roles_of
from workflow.models import ApprovalRun


def applications_for_user(user) -> QuerySet[Application]:
    """An association's people see its applications; officials those of their public body
    that have been submitted (a draft is the association's own until it sends it)."""
    roles = roles_of(user)
    return (
        Application.objects.filter(
            Q(association_id__in=roles.all_associations)
            | Q(call__public_body_id__in=roles.all_public_bodies, submitted_at__isnull=False)
        )
        .select_related("call", "association")
        .prefetch_related(
            "budget_lines",
            "payables__payments",
            "rectifications",
            "disqualifications",
            Prefetch("approval_runs", queryset=ApprovalRun.objects.prefetch_related("steps")),
        )
    )


def calls_for_user(user) -> QuerySet[Call]:
    """Calls are public: every signed-in person sees them all."""
    return Call.objects.select_related("public_body")
