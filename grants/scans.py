"""What the beat scans do for grants, as plain functions the tests call directly.

Each handles one record at a time through the transition service and returns how many it
handled, so a failing record is logged and skipped instead of blocking the rest.
"""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from grants.models import Application
from organisations.models import OfficialRole
from organisations.selectors import officials_of
from workflow.links import Audience, page_path
from workflow.models import Deadline
from workflow.outbox import notify
from workflow.time_limits import next_working_day
from workflow.transitions import perform_as_system


def expire_drafts_of_closed_calls(batch: int = 500) -> int:
    """Drafts left in a call that has closed expire: they can no longer be submitted."""
    due = Application.objects.filter(
        state=Application.State.DRAFT, call__closes_at__lte=timezone.now()
    ).order_by("id")[:batch]
    return perform_as_system(due, "expire")


def make_decisions_legally_valid(batch: int = 500) -> int:
    """Local Government Act 134 §: with the rectification period over and no request filed,
    a decision is legally valid. Finance is told of the payable ones in the same transaction;
    a rejection then has nothing left to do and closes."""
    due = Application.objects.filter(
        state=Application.State.NOTIFIED, appeal_ends_on__lt=timezone.localdate()
    ).order_by("id")[:batch]
    done = perform_as_system(due, "become_legally_valid")
    perform_as_system(
        Application.objects.filter(state=Application.State.LEGALLY_VALID, granted_amount=0),
        "close",
    )
    return done


def preparers_weekly_digest(today: date | None = None) -> int:
    """On the first working day of each week (Monday, unless it is a holiday) every preparer
    gets one message: the overdue reports and the reports waiting for review."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    if today != next_working_day(monday):
        return 0
    year, week, _ = today.isocalendar()
    overdue = Deadline.objects.filter(
        kind="report_due", status=Deadline.Status.OPEN, due_on__lt=today
    ).values_list("public_body_id", "title", "due_on", "object_id")
    waiting = Application.objects.filter(state=Application.State.REPORT_SUBMITTED).values_list(
        "call__public_body_id", "call__name", "association__name", "pk"
    )
    by_body: dict[int, dict[str, list]] = {}
    for body_id, title, due_on, application_id in overdue:
        items = by_body.setdefault(body_id, {"overdue": [], "waiting": []})
        items["overdue"].append(
            {"title": title, "due_on": due_on, "path": _workbench_page(application_id)}
        )
    for body_id, call_name, association, application_id in waiting:
        items = by_body.setdefault(body_id, {"overdue": [], "waiting": []})
        items["waiting"].append(
            {"title": f"{call_name}: {association}", "path": _workbench_page(application_id)}
        )
    for body_id, items in by_body.items():
        notify(
            officials_of(body_id, OfficialRole.Role.PREPARER),
            kind="preparer_weekly",
            key=f"weekly:{year}-W{week:02d}:{body_id}",
            context={**items, "path": reverse("officials:home")},
        )
    return len(by_body)


def _workbench_page(application_id: int) -> str:
    # The registry reads only the id: no need to load the application.
    return page_path(Application(pk=application_id), Audience.OFFICIALS)
