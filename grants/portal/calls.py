"""The open calls and one call's page, with the person's applications to it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from grants import selectors
from grants.portal.common import (
    PORTAL,
    applications_of,
    call_or_404,
    represented,
    tone,
)
from grants.portal.sending import earlier_applications
from grants.portal_forms import attachment_limits
from portal.pages import breadcrumbs, page
from portal.portals import portal_required


@portal_required(PORTAL)
def calls(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    open_calls = (
        selectors.calls_for_user(request.user)
        .filter(opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "id")
    )
    return render(
        request,
        "associations/calls.html",
        {
            "page_obj": page(request, open_calls),
            "breadcrumbs": breadcrumbs((gettext_lazy("Open calls"), None)),
        },
    )


@portal_required(PORTAL)
def call(request: HttpRequest, pk: int) -> HttpResponse:
    the_call = call_or_404(request.user, pk)
    mine = (
        applications_of(request.user)
        .filter(call=the_call)
        .prefetch_related(None)
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "associations/call.html",
        {
            "call": the_call,
            "is_open": the_call.is_open(),
            "applications": [(a, tone(a)) for a in mine],
            "may_apply": represented(request.user).exists(),
            "earlier": earlier_applications(request.user, the_call.pk),
            "limits": attachment_limits(),
            "breadcrumbs": breadcrumbs(
                (gettext_lazy("Open calls"), reverse("associations:calls")),
                (the_call.name, None),
            ),
        },
    )
