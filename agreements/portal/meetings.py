"""Cooperation meetings: the liaison schedules an extra one and records one as held; either
side reads the minutes."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from agreements import selectors, services
from agreements.models import Agreement
from agreements.portal.labels import local_date
from agreements.portal.pages import PORTAL, agreement_crumbs, agreement_or_404
from agreements.portal_forms import MeetingAddForm, MeetingRecordForm
from documents.downloads import file_response
from portal.portals import portal_required
from portal.posting import form_post
from workflow.rules import is_liaison


def _liaison_only(user: Any, agreement: Agreement) -> None:
    if not is_liaison(user, agreement):
        raise PermissionDenied(_("The liaison keeps the record of the meetings."))


def _meeting_form(
    request: HttpRequest,
    agreement: Agreement,
    form: forms.Form,
    write: Callable[[], Any],
    *,
    done: Any,
    title: Any,
    **context: Any,
) -> HttpResponse:
    """The liaison's meeting form, saved through `write` and back to the agreement, or shown
    (again, with a 400, once posted)."""
    answer = form_post(
        request, form, write, back=reverse("partnerships:agreement", args=[agreement.pk]), done=done
    )
    if answer:
        return answer
    return render(
        request,
        "partnerships/meeting_form.html",
        {
            "agreement": agreement,
            "form": form,
            "title": title,
            "breadcrumbs": agreement_crumbs(agreement, title),
            **context,
        },
        status=400 if form.is_bound else 200,
    )


@portal_required(PORTAL)
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The liaison schedules an extra cooperation meeting."""
    agreement = agreement_or_404(request.user, pk)
    _liaison_only(request.user, agreement)
    form = MeetingAddForm(request.POST if request.method == "POST" else None)
    return _meeting_form(
        request,
        agreement,
        form,
        lambda: services.meeting_add(agreement, user=request.user, **form.cleaned_data),
        done=_("The meeting has been scheduled."),
        title=_("Schedule a cooperation meeting"),
        action_url=reverse("partnerships:meeting_add", args=[agreement.pk]),
        button=pgettext_lazy("button", "Schedule the meeting"),
    )


@portal_required(PORTAL)
def meeting_record(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """The liaison records a meeting as held: the day, what was agreed, the minutes."""
    agreement = agreement_or_404(request.user, pk)
    meeting = get_object_or_404(agreement.meetings.all(), pk=meeting_pk)
    _liaison_only(request.user, agreement)
    initial = {"held_on": min(meeting.due_on, timezone.localdate())}
    if request.method == "POST":
        form = MeetingRecordForm(request.POST, request.FILES, initial=initial)
    else:
        form = MeetingRecordForm(initial=initial)
    return _meeting_form(
        request,
        agreement,
        form,
        lambda: services.meeting_record(meeting, user=request.user, **form.cleaned_data),
        done=_("The meeting has been recorded as held."),
        title=_("Record the meeting due by %(day)s") % {"day": local_date(meeting.due_on)},
        meeting=meeting,
        action_url=reverse("partnerships:meeting_record", args=[agreement.pk, meeting.pk]),
        button=pgettext_lazy("button", "Record as held"),
        multipart=True,
    )


@portal_required(PORTAL)
def minutes(request: HttpRequest, pk: int, meeting_pk: int) -> FileResponse:
    """The minutes of a meeting, for whoever sees its agreement (as the API serves them)."""
    meeting = get_object_or_404(
        selectors.meetings_for_user(request.user), pk=meeting_pk, agreement_id=pk
    )
    if not meeting.minutes:
        raise Http404
    return file_response(meeting.minutes, meeting.minutes.name.rsplit("/", 1)[-1])
