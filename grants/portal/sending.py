"""Before and after sending: the "check your answers" page (every answer, grouped by section,
each with a link back to its question), the receipt with the application number, and a new
draft copied from an association's earlier application."""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from grants.answers import application_summary
from grants.copying import application_copy
from grants.models import Application
from grants.portal.common import (
    PORTAL,
    S,
    application_or_404,
    applications_of,
    call_or_404,
    is_representative,
)
from grants.portal_forms import CompletionReplyForm
from grants.services import EDITABLE_STATES
from portal.pages import breadcrumbs
from portal.portals import portal_required
from workflow.api import MAX_ID


@portal_required(PORTAL)
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """Every answer as it will be sent, with "change" links to the form; the send button posts
    to `submit` (grants.portal.application_form), which checks it all again. A draft, or an
    application returned for completion: that one with the message to the official."""
    application = application_or_404(request.user, pk)
    if not is_representative(request.user, application):
        raise PermissionDenied(_("Only the association's representatives send its applications."))
    if application.state not in EDITABLE_STATES:
        return redirect("associations:application", pk=application.pk)
    return check_page(request, application)


def check_page(
    request: HttpRequest,
    application: Application,
    reply: CompletionReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The check page; `reply` the message to the official as posted (a returned application),
    shown again with its error when refused."""
    if application.state == S.RETURNED and reply is None:
        reply = CompletionReplyForm()
    return render(
        request,
        "associations/check.html",
        {
            "application": application,
            "reply": reply,
            "sections": application_summary(application, unanswered=True),
            "budget_total": sum(
                (line.amount for line in application.budget_lines.all()), Decimal(0)
            ),
            "breadcrumbs": breadcrumbs(
                (
                    application.call.name,
                    reverse("associations:application", args=[application.pk]),
                ),
                (gettext_lazy("Check your answers"), None),
            ),
        },
        status=status,
    )


@portal_required(PORTAL)
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt of a sent application: its number and when it arrived."""
    application = application_or_404(request.user, pk)
    if application.submitted_at is None:
        return redirect("associations:application", pk=application.pk)
    return render(
        request,
        "associations/receipt.html",
        {
            "application": application,
            "breadcrumbs": breadcrumbs(
                (application.call.name, reverse("associations:application", args=[pk])),
                (gettext_lazy("Receipt"), None),
            ),
        },
    )


def _source_or_404(request: HttpRequest) -> Application:
    raw = request.POST.get("source", "")
    if not raw.isdigit() or int(raw) > MAX_ID:
        raise Http404
    return application_or_404(request.user, int(raw))


@portal_required(PORTAL)
@require_POST
def copy(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft to the call started from one of the association's earlier applications."""
    the_call = call_or_404(request.user, pk)
    source = _source_or_404(request)
    try:
        draft = application_copy(source, user=request.user, call=the_call)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("associations:call", pk=the_call.pk)
    messages.success(
        request,
        _(
            "A new draft was started from your earlier application. Check every answer: "
            "the questions no longer asked were left out."
        ),
    )
    return redirect("associations:edit", pk=draft.pk)


def earlier_applications(user: Any, call_pk: int) -> list[Application]:
    """The applications the person's associations sent to other calls, newest first: what
    "copy last year's application" offers."""
    return list(
        applications_of(user)
        .exclude(call_id=call_pk)
        .exclude(submitted_at=None)
        .select_related("call", "association")
        .prefetch_related(None)
        .order_by("-submitted_at", "-id")[:10]
    )
