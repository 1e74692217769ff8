"""The association portal's home: the person's associations and roles, what waits for them
(grant applications and agreements alike), their latest notifications and their
associations' calendar feeds; and a new address for a feed."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.models import AgreementVersion, Evaluation
from agreements.selectors import evaluations_for_user, versions_for_user
from grants.portal.common import REPORT_STATES, S, applications_of
from organisations.models import Association, AssociationRole
from organisations.roles import roles_of
from portal.notifications import notification_rows, notifications_of
from portal.portals import portal_required
from workflow.api import parse_id
from workflow.calendar import (
    calendar_feed_for_association,
    calendar_feed_rotate,
    feed_url,
    feeds_visible_to,
    may_rotate,
)
from workflow.transitions import available_transitions

PORTAL = "associations"


def _link(name: str, *args: Any, fallback: str) -> str:
    """A page of another portal when it exists, else that portal's home."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse(fallback)


@dataclass
class Task:
    """Something waiting for the person: what, for which association, by when, and where."""

    title: str
    what: str
    association: str
    due_on: date | None
    url: str
    urgent: bool = False


def _application_tasks(user: Any) -> list[Task]:
    today = timezone.localdate()
    waiting = (
        applications_of(user)
        .filter(state__in=[S.DRAFT, S.RETURNED, *REPORT_STATES])
        .prefetch_related(None)
        .order_by("created_at", "id")
    )
    tasks = []
    for application in waiting:
        url = reverse("associations:application", args=[application.pk])
        if application.state == S.DRAFT:
            if not application.call.is_open():
                continue
            due = timezone.localdate(application.call.closes_at)
            what = _("Draft: submit it before the call closes")
        elif application.state == S.RETURNED:
            due = application.completion_due_on
            what = _("Request for completion: complete and send the application")
            url = reverse("associations:edit", args=[application.pk])
        else:
            due = application.report_due_on
            what = _("Follow-up report due")
            url = reverse("associations:report", args=[application.pk])
        tasks.append(
            Task(
                title=application.call.name,
                what=what,
                association=application.association.name,
                due_on=due,
                url=url,
                urgent=due is not None and due <= today,
            )
        )
    return tasks


def _agreement_tasks(user: Any) -> list[Task]:
    """Agreement versions waiting for the person's signature or answer, and evaluations due.
    Whether the person may act is the transitions' own rule (`available_transitions`)."""
    tasks = []
    versions = versions_for_user(user).filter(
        state__in=[
            AgreementVersion.S.NEGOTIATION,
            AgreementVersion.S.APPROVED,
            AgreementVersion.S.AWAITING_SIGNATURES,
        ]
    )
    for version in versions:
        names = available_transitions(version, user)
        url = _link(
            "partnerships:version",
            version.agreement_id,
            version.number,
            fallback="partnerships:home",
        )
        signed = any(s.signer_id == user.pk for s in version.signatures.all())
        if "sign" in names and not signed:
            what = _("Agreement awaiting your signature")
        elif "accept" in names:
            what = _("Agreement proposal to read, comment on and accept")
        else:
            continue
        tasks.append(
            Task(
                title=version.title,
                what=what,
                association="",
                due_on=None,
                url=url,
            )
        )
    today = timezone.localdate()
    for evaluation in evaluations_for_user(user).filter(state=Evaluation.S.DUE):
        if "submit" not in available_transitions(evaluation, user):
            continue
        terms = evaluation.agreement.in_force_version
        tasks.append(
            Task(
                title=terms.title if terms else evaluation.agreement.number,
                what=_("Yearly evaluation of the agreement due"),
                association="",
                due_on=evaluation.due_on,
                url=_link(
                    "partnerships:evaluation",
                    evaluation.agreement_id,
                    evaluation.pk,
                    fallback="partnerships:home",
                ),
                urgent=evaluation.due_on <= today,
            )
        )
    return tasks


@portal_required(PORTAL)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = roles_of(user)
    held: dict[int, list[str]] = {}
    for role, ids in roles.association.items():
        for association_id in ids:
            held.setdefault(association_id, []).append(AssociationRole.Role(role).label)
    associations = list(Association.objects.filter(pk__in=held).order_by("name", "pk"))
    tasks = _application_tasks(user) + _agreement_tasks(user)
    tasks.sort(key=lambda t: (t.due_on is None, t.due_on or date.max, t.title))
    feeds = [
        (feed, feed_url(feed), may_rotate(feed, user))
        for feed in (calendar_feed_for_association(a, user) for a in associations)
    ]
    notifications = notifications_of(user)
    return render(
        request,
        "associations/home.html",
        {
            "associations": [(a, held[a.pk]) for a in associations],
            "tasks": tasks,
            "notifications": notification_rows(notifications[:5]),
            "unread": notifications.filter(read_at__isnull=True).count(),
            "feeds": feeds,
        },
    )


@portal_required(PORTAL)
@require_POST
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    """A new address for an association's calendar feed; the old one stops working."""
    feed_id = parse_id(request.POST.get("feed", ""))
    if feed_id is None:
        raise Http404
    feed = get_object_or_404(
        feeds_visible_to(request.user).filter(association__isnull=False), pk=feed_id
    )
    calendar_feed_rotate(feed, request.user)  # PermissionDenied: 403
    messages.success(
        request,
        _("The calendar has a new address. Subscribe to it again in your calendar application."),
    )
    return redirect(reverse("associations:home") + "#calendar")
