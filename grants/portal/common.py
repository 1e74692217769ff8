"""What the association portal's grant pages share: the person's applications and calls,
the badges and how a refused state change is told (paging and breadcrumbs: portal.pages)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from grants import selectors
from grants.models import Application, Call, FollowUpReport
from organisations.models import Association, AssociationRole
from organisations.roles import roles_of
from workflow.api import MAX_ID
from workflow.errors import TransitionConflict

S = Application.State
PORTAL = "associations"

STATE_TONES = {
    S.DRAFT: "neutral",
    S.SUBMITTED: "info",
    S.RETURNED: "warning",
    S.IN_REVIEW: "info",
    S.DECIDED: "info",
    S.NOTIFIED: "info",
    S.UNDER_RECTIFICATION: "info",
    S.LEGALLY_VALID: "success",
    S.PAID: "warning",
    S.REPORT_SUBMITTED: "info",
    S.REPORT_RETURNED: "warning",
    S.CLOSED: "success",
    S.WITHDRAWN: "neutral",
    S.EXPIRED: "neutral",
}
# The follow-up report is due in the states `submit_report` leaves from (once the grant has
# been paid, or again when it came back): the transition's own declaration.
REPORT_STATES = tuple(Application.submit_report._django_fsm.transitions)


def represented(user: Any) -> QuerySet[Association]:
    """The associations where the person may write applications."""
    ids = roles_of(user).associations(AssociationRole.Role.REPRESENTATIVE)
    return Association.objects.filter(pk__in=ids).order_by("name", "pk")


def applications_of(user: Any) -> QuerySet[Application]:
    """The applications of the person's own associations (officials' access left out)."""
    return selectors.applications_for_user(user).filter(
        association_id__in=roles_of(user).all_associations
    )


def application_or_404(user: Any, pk: int) -> Application:
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(
        applications_of(user).select_related("report").prefetch_related("attachments"), pk=pk
    )


def call_or_404(user: Any, pk: int) -> Call:
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(selectors.calls_for_user(user), pk=pk)


def report_of(application: Application) -> FollowUpReport | None:
    # Loaded with the application (select_related); a missing one raises AttributeError.
    return getattr(application, "report", None)


def tone(application: Application) -> str:
    return STATE_TONES.get(application.state, "neutral")


def is_representative(user: Any, application: Application) -> bool:
    return application.association_id in roles_of(user).associations(
        AssociationRole.Role.REPRESENTATIVE
    )


def conflict_message(conflict: TransitionConflict, application: Application | None) -> str:
    """What a refused state change says to the person: the condition's own reason (the call
    has closed...), or that the application has moved on meanwhile."""
    if conflict.code == "invalid_state" and application is not None:
        application.refresh_from_db(fields=["state"])
        return _("This cannot be done now: the application is %(state)s.") % {
            "state": application.get_state_display().lower()
        }
    return conflict.message


def back_to_application(
    request: HttpRequest, application: Application
) -> Callable[[TransitionConflict], HttpResponse]:
    """A refused state change told on the application's page (`form_post`'s `conflict`)."""

    def told(conflict: TransitionConflict) -> HttpResponse:
        messages.error(request, conflict_message(conflict, application))
        return redirect("associations:application", pk=application.pk)

    return told
