"""The pages of the association meetings: the officials plan and record them in the workbench,
the invited associations' people read them (the agenda, and once held the minutes and the
matters raised) in their portal. Reads go through `liaison.selectors` (what is not yours is a
404), writes through `liaison.services` with `portal.posting.form_post`."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison import selectors, services
from liaison.forms import CancelForm, MatterFormSet, PlanForm, RecordForm, RespondForm
from liaison.models import AssociationMeeting
from organisations.models import OfficialRole, PublicBody
from organisations.roles import roles_of
from portal.pages import breadcrumbs
from portal.portals import portal_required
from portal.posting import form_post, go
from portal.templatetags.formats import local_datetime

log = logging.getLogger(__name__)
State = AssociationMeeting.State


def _workbench_trail(*trail: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return [
        (gettext_lazy("Official workbench"), reverse("officials:home")),
        (gettext_lazy("Association meetings"), reverse("liaison:workbench")),
        *trail,
    ]


def _liaison_bodies(user: Any) -> list[int]:
    return sorted(roles_of(user).public_bodies(OfficialRole.Role.LIAISON))


def _official_meeting(request: HttpRequest, pk: int) -> AssociationMeeting:
    return get_object_or_404(
        selectors.with_details(selectors.meetings_for_official(request.user)), pk=pk
    )


def _liaison_only(user: Any, meeting: AssociationMeeting) -> None:
    if meeting.public_body_id not in _liaison_bodies(user):
        raise PermissionDenied(_("The liaison plans and records the association meetings."))


def _form_page(
    request: HttpRequest,
    template: str,
    forms: Form | list[Any],
    write: Any,
    *,
    back: str,
    done: Any,
    valid: bool | None = None,
    **context: Any,
) -> HttpResponse:
    answer = form_post(request, forms, write, back=back, done=done, valid=valid)
    if answer:
        return answer
    return render(request, template, context, status=400 if request.method == "POST" else 200)


# --- the workbench ---------------------------------------------------------------------------


@portal_required("officials")
def workbench(request: HttpRequest) -> HttpResponse:
    """The body's meetings, to come and past, and a warning while fewer than two are planned or
    held this calendar year (seed 001 and 003: at least twice a year)."""
    year = timezone.localdate().year
    short = selectors.bodies_short_of_meetings(request.user, year)
    names = dict(PublicBody.objects.filter(pk__in=[b for b, _n in short]).values_list("pk", "name"))
    meetings = selectors.meetings_for_official(request.user).order_by("-starts_at", "-pk")
    now = timezone.now()
    return render(
        request,
        "liaison/workbench.html",
        {
            "year": year,
            "short": [(names[body], count) for body, count in short],
            "upcoming": [m for m in meetings if m.starts_at >= now and m.state == State.PLANNED][
                ::-1
            ],
            "past": [m for m in meetings if not (m.starts_at >= now and m.state == State.PLANNED)],
            "may_plan": bool(_liaison_bodies(request.user)),
            "minimum": selectors.MEETINGS_A_YEAR,
            "breadcrumbs": _workbench_trail(),
        },
    )


@portal_required("officials")
def plan(request: HttpRequest) -> HttpResponse:
    bodies = _liaison_bodies(request.user)
    if not bodies:
        raise PermissionDenied(_("The liaison plans and records the association meetings."))
    form = PlanForm(request.POST if request.method == "POST" else None, bodies=bodies)
    title = _("Plan an association meeting")

    def write() -> AssociationMeeting:
        return services.meeting_plan(
            user=request.user,
            public_body=form.cleaned_data["public_body"],
            starts_at=form.starts_at(),
            place=form.cleaned_data["place"],
            agenda=form.cleaned_data["agenda"],
        )

    answer = form_post(
        request,
        form,
        write,
        back=reverse("liaison:workbench"),
        done=_("The meeting is planned and the associations of the body are invited."),
        then=lambda meeting: go(request, reverse("liaison:workbench_meeting", args=[meeting.pk])),
        aliases={"starts_at": "day"},
    )
    if answer:
        return answer
    return render(
        request,
        "liaison/form.html",
        {
            "form": form,
            "title": title,
            "button": _("Plan and invite"),
            "back_url": reverse("liaison:workbench"),
            "breadcrumbs": _workbench_trail((title, None)),
        },
        status=400 if form.is_bound else 200,
    )


@portal_required("officials")
def workbench_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _official_meeting(request, pk)
    is_liaison = meeting.public_body_id in _liaison_bodies(request.user)
    return render(
        request,
        "liaison/workbench_meeting.html",
        {
            "meeting": meeting,
            "is_liaison": is_liaison,
            "has_begun": meeting.starts_at <= timezone.now(),
            "respond_form": RespondForm(),
            "breadcrumbs": _workbench_trail((str(_when(meeting)), None)),
        },
    )


def _when(meeting: AssociationMeeting) -> str:
    return local_datetime(meeting.starts_at)


@portal_required("officials")
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the associations that applied or made an agreement since the meeting was planned."""
    meeting = _official_meeting(request, pk)
    _liaison_only(request.user, meeting)
    back = reverse("liaison:workbench_meeting", args=[meeting.pk])
    return form_post(
        request,
        Form({}),
        lambda: services.meeting_invite(meeting, user=request.user),
        back=back,
        done=_("Every association of the body is now invited."),
    ) or go(request, back)


@portal_required("officials")
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _official_meeting(request, pk)
    _liaison_only(request.user, meeting)
    form = CancelForm(request.POST if request.method == "POST" else None)
    back = reverse("liaison:workbench_meeting", args=[meeting.pk])
    title = _("Cancel the meeting")
    return _form_page(
        request,
        "liaison/form.html",
        form,
        lambda: services.meeting_cancel(meeting, user=request.user, **form.cleaned_data),
        back=back,
        done=_("The meeting is cancelled and the invited associations are told."),
        form=form,
        title=title,
        button=_("Cancel the meeting"),
        back_url=back,
        breadcrumbs=_workbench_trail((_when(meeting), back), (title, None)),
    )


@portal_required("officials")
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """The liaison records the meeting as held: the minutes, the public summary and the matters
    the associations raised."""
    meeting = _official_meeting(request, pk)
    _liaison_only(request.user, meeting)
    posted = request.method == "POST"
    form = RecordForm(request.POST if posted else None, request.FILES if posted else None)
    associations = selectors.associations_of_body(meeting.public_body_id)
    formset = MatterFormSet(
        request.POST if posted else None,
        prefix="matters",
        form_kwargs={"associations": associations},
    )
    back = reverse("liaison:workbench_meeting", args=[meeting.pk])
    title = _("Record the meeting as held")

    def write() -> AssociationMeeting:
        matters = [
            {
                "association": row["association"].pk if row.get("association") else None,
                "matter": row.get("matter", ""),
                "response": row.get("response", ""),
            }
            for row in formset.cleaned_data
        ]
        return services.meeting_record(
            meeting,
            user=request.user,
            minutes=form.cleaned_data["minutes"],
            public_summary=form.cleaned_data["public_summary"],
            minutes_file=form.cleaned_data.get("minutes_file"),
            matters=matters,
        )

    valid = posted and form.is_valid() and formset.is_valid()
    return _form_page(
        request,
        "liaison/record.html",
        form,
        write,
        back=back,
        done=_("The meeting is recorded as held."),
        valid=valid,
        form=form,
        formset=formset,
        meeting=meeting,
        title=title,
        breadcrumbs=_workbench_trail((_when(meeting), back), (title, None)),
    )


@portal_required("officials")
def respond(request: HttpRequest, pk: int, matter_pk: int) -> HttpResponse:
    meeting = _official_meeting(request, pk)
    _liaison_only(request.user, meeting)
    matter = get_object_or_404(meeting.matters.all(), pk=matter_pk)
    form = RespondForm(
        request.POST if request.method == "POST" else None, initial={"response": matter.response}
    )
    back = reverse("liaison:workbench_meeting", args=[meeting.pk])
    title = _("Response to a matter raised")
    return _form_page(
        request,
        "liaison/form.html",
        form,
        lambda: services.matter_respond(matter, user=request.user, **form.cleaned_data),
        back=back,
        done=_("The response is saved."),
        form=form,
        title=title,
        lead=matter.matter,
        button=_("Save the response"),
        back_url=back,
        breadcrumbs=_workbench_trail((_when(meeting), back), (title, None)),
    )


# --- the association portal -----------------------------------------------------------------


@portal_required("associations")
def meetings(request: HttpRequest) -> HttpResponse:
    """The meetings the person's associations are invited to: those to come, then the past."""
    found = selectors.meetings_for_association_people(request.user).order_by("-starts_at", "-pk")
    now = timezone.now()
    return render(
        request,
        "liaison/meetings.html",
        {
            "upcoming": [m for m in found if m.starts_at >= now and m.state == State.PLANNED][::-1],
            "past": [m for m in found if not (m.starts_at >= now and m.state == State.PLANNED)],
            "breadcrumbs": breadcrumbs((gettext_lazy("Association meetings"), None)),
        },
    )


@portal_required("associations")
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting as the invited read it: the time, place and agenda; once held, the minutes
    and the matters raised."""
    found = get_object_or_404(
        selectors.with_details(selectors.meetings_for_association_people(request.user)), pk=pk
    )
    return render(
        request,
        "liaison/meeting.html",
        {
            "meeting": found,
            "breadcrumbs": breadcrumbs(
                (gettext_lazy("Association meetings"), reverse("liaison:meetings")),
                (_when(found), None),
            ),
        },
    )


def minutes(request: HttpRequest, pk: int) -> FileResponse:
    """The minutes' file, for the body's officials and the invited associations' people."""
    if not request.user.is_authenticated:
        raise Http404
    found = get_object_or_404(selectors.meetings_for_user(request.user), pk=pk)
    if not found.minutes_file or found.state != State.HELD:
        raise Http404
    try:
        handle = found.minutes_file.open("rb")
    except FileNotFoundError:
        log.error("The file %s is missing from storage", found.minutes_file.name)
        raise Http404 from None
    name = found.minutes_file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)
