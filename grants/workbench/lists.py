"""The workbench's lists: applications (with their filters), letters to post, deadlines,
calls and a call's page."""

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from grants import workbench_selectors as selectors
from grants.models import Call
from grants.workbench.common import (
    S,
    checked_id,
    crumbs,
    deadline_rows,
    toned,
)
from grants.workbench.forms import (
    ApplicationFilterForm,
)
from portal.pages import page
from portal.portals import portal_required


@require_GET
@portal_required("officials")
def applications(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ApplicationFilterForm(request.GET or None, calls=selectors.call_choices(user))
    # Newest first by id: the index answers a page without sorting every application.
    queryset = selectors.applications_for_official(user).order_by("-pk")
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        queryset = queryset.none()
    elif form.is_bound:
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            queryset = queryset.filter(
                Q(association__name__icontains=q)
                | Q(association__business_id__icontains=q)
                | Q(decision_number__icontains=q)
            )
        if data["call"]:
            queryset = queryset.filter(call=data["call"])
        if data["state"]:
            queryset = queryset.filter(state=data["state"])
        if data["decision_number"]:
            queryset = queryset.filter(decision_number__icontains=data["decision_number"].strip())
        if data["waiting"]:
            queryset = selectors.waiting_for(user, queryset)
    page_obj = page(request, queryset)
    page_obj.object_list = toned(page_obj.object_list)
    return render(
        request,
        "officials/applications.html",
        {
            "form": form,
            "page_obj": page_obj,
            "filtered": form.is_bound,
            "breadcrumbs": crumbs((pgettext_lazy("workbench", "Applications"), None)),
        },
        status=status,
    )


# --- letters to post ------------------------------------------------------------------------


@require_GET
@portal_required("officials")
def letters(request: HttpRequest) -> HttpResponse:
    """The registry's list: decisions to print and post to associations that have not
    consented to electronic notification, each with its print-ready copy and the form that
    records the day it was posted (which starts the appeal period)."""
    return render(
        request,
        "officials/letters.html",
        {
            "letters": selectors.letters_to_post(request.user),
            "today": timezone.localdate(),
            "breadcrumbs": crumbs((pgettext_lazy("workbench", "Letters to post"), None)),
        },
    )


# --- deadlines -----------------------------------------------------------------------------


@require_GET
@portal_required("officials")
def deadlines(request: HttpRequest) -> HttpResponse:
    page_obj = page(request, selectors.open_deadlines_for_official(request.user))
    page_obj.object_list = deadline_rows(list(page_obj.object_list))
    return render(
        request,
        "officials/deadlines.html",
        {
            "page_obj": page_obj,
            "breadcrumbs": crumbs((pgettext_lazy("workbench", "Deadlines"), None)),
        },
    )


# --- calls ---------------------------------------------------------------------------------


@require_GET
@portal_required("officials")
def calls(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "officials/calls.html",
        {
            "page_obj": page(request, selectors.calls_for_official(request.user)),
            "now": timezone.now(),
            "breadcrumbs": crumbs((pgettext_lazy("workbench", "Calls"), None)),
        },
    )


@require_GET
@portal_required("officials")
def call(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = selectors.call_for_official(request.user, checked_id(pk))
    except Call.DoesNotExist:
        raise Http404 from None
    counts = {row["state"]: row["count"] for row in selectors.states_of_call(request.user, found)}
    states = [
        {"state": value, "label": label, "count": counts[value]}
        for value, label in S.choices
        if counts.get(value)
    ]
    return render(
        request,
        "officials/call.html",
        {
            "call": found,
            "steps": list(found.chain.steps.all()),
            "states": states,
            "now": timezone.now(),
            "admin_url": reverse("admin:workflow_approvalchain_change", args=[found.chain_id])
            if request.user.is_staff
            else None,
            "breadcrumbs": crumbs(
                (pgettext_lazy("workbench", "Calls"), reverse("officials:calls")),
                (found.name, None),
            ),
        },
    )
