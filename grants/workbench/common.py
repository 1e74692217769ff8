"""What the official workbench's pages share: badges, breadcrumbs, ids, the
application an official sees, and deadline rows."""

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from grants import workbench_selectors as selectors
from grants.models import Application
from workflow.api import MAX_ID
from workflow.deadlines import kind_label

S = Application.State


def crumbs(*trail: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return [(pgettext_lazy("workbench", "Workbench"), reverse("officials:home")), *trail]


# The badge of each state: the label carries the meaning, the tone only adds to it.
TONES = {
    S.SUBMITTED: "info",
    S.RETURNED: "warning",
    S.IN_REVIEW: "info",
    S.DECIDED: "success",
    S.NOTIFIED: "success",
    S.UNDER_RECTIFICATION: "warning",
    S.LEGALLY_VALID: "success",
    S.PAID: "success",
    S.REPORT_SUBMITTED: "info",
    S.REPORT_RETURNED: "warning",
}


def toned(applications: Any) -> list[Application]:
    applications = list(applications)
    for application in applications:
        application.tone = TONES.get(application.state, "neutral")
    return applications


def deadline_rows(deadlines: list[Any]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    applications = selectors.application_ids_of(deadlines)
    return [
        {
            "deadline": deadline,
            "kind": kind_label(deadline.kind),
            "overdue": deadline.due_on < today,
            "days": (deadline.due_on - today).days,
            "late": (today - deadline.due_on).days,
            "url": reverse("officials:application", args=[deadline.object_id])
            if deadline.object_id in applications
            else None,
        }
        for deadline in deadlines
    ]


def checked_id(pk: int) -> int:
    """Ids fit a bigint: a larger number in the path is a 404, never a database overflow."""
    if pk > MAX_ID:
        raise Http404
    return pk


def application_or_404(request: HttpRequest, pk: int) -> Application:
    checked_id(pk)
    try:
        return selectors.application_for_official(request.user, pk)
    except Application.DoesNotExist:
        raise Http404 from None
