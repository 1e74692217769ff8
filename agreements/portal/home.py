"""The list of the agreements the person sees."""

from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from agreements import selectors
from agreements.models import Agreement, Evaluation
from agreements.portal.labels import AGREEMENT_STATES, agreement_badge
from agreements.portal.pages import PORTAL
from organisations.models import AssociationRole, OfficialRole
from organisations.roles import roles_of
from portal.portals import portal_required

PAGE_SIZE = 25

A = Agreement.State
E = Evaluation.State


def _may_start(user: Any) -> bool:
    roles = roles_of(user)
    return bool(
        roles.public_bodies(OfficialRole.Role.LIAISON)
        or roles.associations(AssociationRole.Role.REPRESENTATIVE)
    )


def _summary(agreement: Agreement, today: date) -> dict[str, Any]:
    """What the list shows of an agreement, from what the selector prefetched."""
    version = agreement.in_force_version or agreement.terms
    meetings = [m for m in agreement.meetings.all() if not m.cancelled]
    upcoming = sorted(
        (m for m in meetings if m.held_on is None and m.due_on >= today), key=lambda m: m.due_on
    )
    missed = [m for m in meetings if m.held_on is None and m.due_on < today]
    evaluations = sorted(agreement.evaluations.all(), key=lambda e: e.due_on)
    due = [e for e in evaluations if e.state == E.DUE] or [
        e for e in evaluations if e.state == E.SCHEDULED
    ]
    evaluation = due[0] if due else None
    return {
        "agreement": agreement,
        "badge": agreement_badge(agreement),
        "version": version,
        "ends_on": agreement.ends_on or (version.ends_on if version else None),
        "parties": [p.association.name for p in agreement.parties.all()],
        "next_meeting": upcoming[0] if upcoming else None,
        "missed": len(missed),
        "evaluation": evaluation,
        "evaluation_overdue": evaluation is not None
        and evaluation.state == E.DUE
        and evaluation.due_on < today,
    }


@portal_required(PORTAL)
def home(request: HttpRequest) -> HttpResponse:
    """The agreements the person sees, newest first, a page at a time."""
    agreements = selectors.agreements_for_user(request.user).select_related("public_body")
    state = request.GET.get("state", "")
    if state in A.values:
        agreements = agreements.filter(state=state)
    page_obj = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "partnerships/home.html",
        {
            "page_obj": page_obj,
            "rows": [_summary(a, today) for a in page_obj],
            "state": state,
            "states": [(value, label) for value, (label, _tone) in AGREEMENT_STATES.items()],
            "may_start": _may_start(request.user),
        },
    )
