"""The work queue: what waits for the official, and the deadlines near."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from grants import workbench_selectors as selectors
from grants.workbench.common import (
    S,
    deadline_rows,
    toned,
)
from portal.portals import portal_required

QUEUE_ROWS = 10


@require_GET
@portal_required("officials")
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    queues = [
        {
            "key": "steps",
            "title": gettext_lazy("Steps waiting for me"),
            "empty": gettext_lazy("No approval step waits for you."),
            "queryset": selectors.steps_waiting(user),
            "more": "?waiting=on",
        },
        {
            "key": "check",
            "title": gettext_lazy("Submitted applications to check"),
            "empty": gettext_lazy("No submitted application waits to be checked."),
            "queryset": selectors.to_check(user),
            "more": f"?state={S.SUBMITTED}",
        },
        {
            "key": "send",
            "title": gettext_lazy("Decisions to send"),
            "empty": gettext_lazy("Every decision has been sent."),
            "queryset": selectors.decisions_to_send(user),
            "more": f"?state={S.DECIDED}",
        },
        {
            "key": "reports",
            "title": gettext_lazy("Reports to review"),
            "empty": gettext_lazy("No report waits for review."),
            "queryset": selectors.reports_to_review(user),
            "more": f"?state={S.REPORT_SUBMITTED}",
        },
    ]
    counts = {"steps": queues[0]["queryset"].count(), **selectors.queue_counts(user)}
    for queue in queues:
        queue["count"] = counts[queue["key"]]
        queue["rows"] = toned(queue["queryset"][:QUEUE_ROWS]) if queue["count"] else []
    deadlines = selectors.deadlines_for_official(user, days=selectors.QUEUE_DAYS)
    deadline_count = deadlines.count()
    return render(
        request,
        "officials/home.html",
        {
            "queues": queues,
            "deadlines": deadline_rows(list(deadlines[:20])) if deadline_count else [],
            "deadline_count": deadline_count,
            "queue_days": selectors.QUEUE_DAYS,
        },
    )
