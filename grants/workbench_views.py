"""The official workbench: the work waiting for me, applications and their actions, calls and
their approval chains, and the dashboard.

Views stay thin: they read through `grants.workbench_selectors` (an official sees only their
public bodies' applications: anything else is a 404), and every action goes through
`workflow.transitions.transition_perform` with parameters validated by the API's serializers.
Bad input re-renders the page with the errors at their fields (400, nothing saved); an action
the person may not take is a 403, one the record's state no longer allows a message (409).
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_fsm import can_proceed

from documents.downloads import docx_response, file_response
from grants import workbench_selectors as selectors
from grants.models import Application, Attachment, Call, Outcome
from grants.serializers import TRANSITION_PARAMS
from grants.workbench_forms import (
    ACTION_FORMS,
    ActionForm,
    ApplicationFilterForm,
    DisqualificationForm,
    validation_errors,
)
from portal.portals import portal_required, safe_next
from portal.templatetags.formats import local_date, money
from workflow.api import MAX_ID
from workflow.chains import run_in_progress
from workflow.deadlines import kind_label
from workflow.disqualification import disqualification_declare
from workflow.errors import TransitionConflict
from workflow.history import history_for
from workflow.rules import is_official
from workflow.transitions import available_transitions, is_disqualified, transition_perform

PAGE_SIZE = 25
QUEUE_ROWS = 10
S = Application.State

DONE: dict[str, Any] = {
    "start_review": gettext_lazy("The review has started."),
    "request_completion": gettext_lazy("The request for completion was sent to the association."),
    "record_step": gettext_lazy("Your step was recorded; the application moves to the next step."),
    "decide": gettext_lazy("The decision was made."),
    "notify": gettext_lazy("The decision was sent; the appeal period runs from its sending."),
    "decide_rectification": gettext_lazy("The request for rectification was decided."),
    "become_legally_valid": gettext_lazy("The decision is legally valid."),
    "close": gettext_lazy("The application was closed."),
    "accept_report": gettext_lazy("The report was accepted and the application closed."),
    "return_report": gettext_lazy("The report was returned to the association."),
}
HISTORY_LABELS: dict[str, Any] = {
    "create": gettext_lazy("Created"),
    "edit": pgettext_lazy("workbench", "Edited"),
    "attach": gettext_lazy("Attachment added"),
    "submit": pgettext_lazy("workbench", "Submitted"),
    "resubmit": gettext_lazy("Completed and resubmitted"),
    "withdraw": gettext_lazy("Withdrawn by the association"),
    "expire": gettext_lazy("Expired unsent"),
    "request_completion": gettext_lazy("Completion requested"),
    "start_review": gettext_lazy("Review started"),
    "record_step": gettext_lazy("Step recorded"),
    "decide": pgettext_lazy("workbench", "Decided"),
    "notify": gettext_lazy("Decision sent"),
    "file_rectification": gettext_lazy("Request for rectification filed"),
    "decide_rectification": gettext_lazy("Request for rectification decided"),
    "become_legally_valid": gettext_lazy("Became legally valid"),
    "record_payment": gettext_lazy("Payment recorded"),
    "reverse_payment": gettext_lazy("Payment reversed"),
    "submit_report": pgettext_lazy("workbench", "Report submitted"),
    "return_report": pgettext_lazy("workbench", "Report returned"),
    "accept_report": gettext_lazy("Report accepted"),
    "close": pgettext_lazy("workbench", "Closed"),
    "declare_disqualification": gettext_lazy("Conflict of interest declared"),
}


def _crumbs(*trail: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return [(pgettext_lazy("workbench", "Workbench"), reverse("officials:home")), *trail]


# The badge of each state: the label carries the meaning, the tone only adds to it.
TONES = {
    S.SUBMITTED: "info",
    S.RETURNED: "warning",
    S.IN_REVIEW: "info",
    S.DECIDED: "success",
    S.NOTIFIED: "success",
    S.UNDER_RECTIFICATION: "warning",
    S.LEGALLY_VALID: "success",
    S.PAID: "success",
    S.REPORT_SUBMITTED: "info",
    S.REPORT_RETURNED: "warning",
}


def _toned(applications: Any) -> list[Application]:
    applications = list(applications)
    for application in applications:
        application.tone = TONES.get(application.state, "neutral")
    return applications


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _deadline_rows(deadlines: list[Any]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    applications = selectors.application_ids_of(deadlines)
    return [
        {
            "deadline": deadline,
            "kind": kind_label(deadline.kind),
            "overdue": deadline.due_on < today,
            "days": (deadline.due_on - today).days,
            "late": (today - deadline.due_on).days,
            "url": reverse("officials:application", args=[deadline.object_id])
            if deadline.object_id in applications
            else None,
        }
        for deadline in deadlines
    ]


# --- the work queue ------------------------------------------------------------------------


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
        queue["rows"] = _toned(queue["queryset"][:QUEUE_ROWS]) if queue["count"] else []
    deadlines = selectors.deadlines_for_official(user, days=selectors.QUEUE_DAYS)
    deadline_count = deadlines.count()
    return render(
        request,
        "officials/home.html",
        {
            "queues": queues,
            "deadlines": _deadline_rows(list(deadlines[:20])) if deadline_count else [],
            "deadline_count": deadline_count,
            "queue_days": selectors.QUEUE_DAYS,
        },
    )


# --- applications --------------------------------------------------------------------------


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
    page = _page(request, queryset)
    page.object_list = _toned(page.object_list)
    return render(
        request,
        "officials/applications.html",
        {
            "form": form,
            "page_obj": page,
            "filtered": form.is_bound,
            "breadcrumbs": _crumbs((pgettext_lazy("workbench", "Applications"), None)),
        },
        status=status,
    )


def _id(pk: int) -> int:
    """Ids fit a bigint: a larger number in the path is a 404, never a database overflow."""
    if pk > MAX_ID:
        raise Http404
    return pk


def _application_or_404(request: HttpRequest, pk: int) -> Application:
    _id(pk)
    try:
        return selectors.application_for_official(request.user, pk)
    except Application.DoesNotExist:
        raise Http404 from None


def _render_application(
    request: HttpRequest,
    application: Application,
    *,
    bound: ActionForm | DisqualificationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    _toned([application])
    available = set(available_transitions(application, user))
    actions = []
    for name, form_class in ACTION_FORMS.items():
        if name not in available:
            continue
        if bound is not None and bound.prefix == name:
            actions.append(bound)
        else:
            actions.append(form_class(application=application))
    disqualified = is_disqualified(application, user)
    disqualification_form = None
    if is_official(user, application) and not disqualified:
        disqualification_form = (
            bound if isinstance(bound, DisqualificationForm) else DisqualificationForm()
        )
    runs = sorted(application.approval_runs.all(), key=lambda run: run.started_at, reverse=True)
    outcomes = {"proposed": pgettext_lazy("workbench", "Proposed"), **dict(Outcome.choices)}
    for run in runs:
        for step in run.steps.all():
            step.outcome_label = outcomes.get(step.outcome, step.outcome)
    history = [
        {"entry": entry, "label": HISTORY_LABELS.get(entry.transition, entry.transition)}
        for entry in history_for(user, application)
    ]
    report = getattr(application, "report", None)
    return render(
        request,
        "officials/application.html",
        {
            "application": application,
            "actions": actions,
            "disqualified": disqualified,
            "disqualification_form": disqualification_form,
            "runs": runs,
            "run_in_progress": run_in_progress(application),
            "history": history,
            "documents": list(selectors.documents_of(application)),
            "deadlines": _deadline_rows(list(selectors.deadlines_of(application))),
            "report": report,
            "disqualifications": list(application.disqualifications.all()),
            "budget_total": sum(line.amount for line in application.budget_lines.all()),
            "breadcrumbs": _crumbs(
                (pgettext_lazy("workbench", "Applications"), reverse("officials:applications")),
                (application.association.name, None),
            ),
        },
        status=status,
    )


@require_GET
@portal_required("officials")
def application(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_application(request, _application_or_404(request, pk))


def _refused(application: Application, name: str, user: Any) -> str | None:
    """Why the person cannot take the action now: "forbidden" (403: not their role, or a
    declared conflict of interest), "conflict" (409: the state or a condition does not allow
    it), or None when they can."""
    if name in available_transitions(application, user):
        return None
    method = getattr(application, name)
    if not can_proceed(method, check_conditions=False):
        return "conflict"
    meta = method._django_fsm
    if is_disqualified(application, user) or not meta.has_transition_perm(
        application, application.state, user
    ):
        return "forbidden"
    return "conflict"


def _conflict(request: HttpRequest, application: Application, message: str) -> HttpResponse:
    messages.error(request, message)
    response = _render_application(
        request, _application_or_404(request, application.pk), status=409
    )
    return response


@require_POST
@portal_required("officials")
def application_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    application = _application_or_404(request, pk)
    form_class = ACTION_FORMS.get(name)
    if form_class is None:
        raise Http404
    refusal = _refused(application, name, request.user)
    if refusal == "forbidden":
        raise PermissionDenied
    if refusal == "conflict":
        return _conflict(request, application, _("This action is not available any more."))
    form = form_class(request.POST, application=application)
    if form.is_valid():
        params = form.params()
        serializer_class = TRANSITION_PARAMS.get(name)
        if serializer_class is not None:
            serializer = serializer_class(data=params)
            if serializer.is_valid():
                params = dict(serializer.validated_data)
            else:
                form.add_errors(serializer.errors)
    if form.is_valid():
        try:
            transition_perform(
                application,
                name,
                actor=request.user,
                comment=form.cleaned_data["comment"],
                params=params if TRANSITION_PARAMS.get(name) else None,
            )
        except ValidationError as error:
            form.add_errors(validation_errors(error))
        except TransitionConflict as conflict:
            return _conflict(request, application, conflict.message)
        else:
            messages.success(request, DONE[name])
            return redirect(
                safe_next(request, reverse("officials:application", args=[application.pk]))
            )
    return _render_application(request, application, bound=form, status=400)


@require_POST
@portal_required("officials")
def application_disqualification(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    if not is_official(request.user, application):
        raise PermissionDenied
    form = DisqualificationForm(request.POST)
    if form.is_valid():
        try:
            disqualification_declare(
                application, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_errors(validation_errors(error))
        else:
            messages.success(
                request,
                _("Your conflict of interest was recorded: another official acts instead."),
            )
            return redirect("officials:application", pk=application.pk)
    return _render_application(request, application, bound=form, status=400)


@require_GET
@portal_required("officials")
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    visible = selectors.applications_for_official(request.user).filter(pk=_id(pk))
    try:
        found = Attachment.objects.get(pk=_id(attachment_pk), application__in=visible)
    except Attachment.DoesNotExist:
        raise Http404 from None
    return file_response(found.file, found.name, found.content_type)


@require_GET
@portal_required("officials")
def document(request: HttpRequest, pk: int) -> FileResponse:
    try:
        found = selectors.document_for_official(request.user, _id(pk))
    except selectors.GeneratedDocument.DoesNotExist:
        raise Http404 from None
    return docx_response(found)


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
            "breadcrumbs": _crumbs((pgettext_lazy("workbench", "Letters to post"), None)),
        },
    )


# --- deadlines -----------------------------------------------------------------------------


@require_GET
@portal_required("officials")
def deadlines(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.open_deadlines_for_official(request.user))
    page.object_list = _deadline_rows(list(page.object_list))
    return render(
        request,
        "officials/deadlines.html",
        {
            "page_obj": page,
            "breadcrumbs": _crumbs((pgettext_lazy("workbench", "Deadlines"), None)),
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
            "page_obj": _page(request, selectors.calls_for_official(request.user)),
            "now": timezone.now(),
            "breadcrumbs": _crumbs((pgettext_lazy("workbench", "Calls"), None)),
        },
    )


@require_GET
@portal_required("officials")
def call(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = selectors.call_for_official(request.user, _id(pk))
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
            "breadcrumbs": _crumbs(
                (pgettext_lazy("workbench", "Calls"), reverse("officials:calls")),
                (found.name, None),
            ),
        },
    )


# --- the dashboard -------------------------------------------------------------------------


@dataclass
class ChartRow:
    """One bar of a chart and the same figures as a row of the chart's table."""

    label: str
    percent: float  # the bar's length, 0–100
    text: str  # what the bar says: the image's name and title
    shown: Any  # the figure written beside the bar (hidden from screen readers)
    cells: list[Any]  # the table row's figures after its label
    href: str = ""  # where the label leads, if anywhere


@dataclass
class Chart:
    """The bars of a chart drawn by `officials/includes/bar_chart.html`, and the headers of
    the table that repeats their figures."""

    columns: list[str]  # the rows' label, then each of their cells
    rows: list[ChartRow]


def _budget_chart(bars: list[selectors.Bar]) -> Chart:
    rows = []
    for bar in bars:
        budget = money(bar.extra["budget"])
        used = money(bar.value)
        percent = floatformat(bar.percent, 0)
        text = _("%(used)s of %(budget)s (%(percent)s %%)") % {
            "used": used,
            "budget": budget,
            "percent": percent,
        }
        rows.append(
            ChartRow(
                label=bar.label,
                percent=bar.percent,
                text=text,
                shown=text,
                cells=[budget, used, money(bar.extra["left"]), f"{percent} %"],
                href=reverse("officials:call", args=[bar.extra["call"].pk]),
            )
        )
    return Chart(
        columns=[
            pgettext("workbench", "Call"),
            pgettext("workbench", "Budget"),
            pgettext("workbench", "Granted"),
            pgettext("workbench", "Left"),
            pgettext("workbench", "Used"),
        ],
        rows=rows,
    )


def _states_chart(bars: list[selectors.Bar]) -> Chart:
    applications = reverse("officials:applications")
    rows = [
        ChartRow(
            label=bar.label,
            percent=bar.percent,
            text=ngettext("%(counter)s application", "%(counter)s applications", bar.value)
            % {"counter": bar.value},
            shown=bar.value,
            cells=[bar.value],
            href=f"{applications}?state={bar.extra['state']}",
        )
        for bar in bars
    ]
    return Chart(
        columns=[pgettext("workbench", "State"), pgettext("workbench", "Applications")],
        rows=rows,
    )


def _deadlines_chart(bars: list[selectors.Bar]) -> Chart:
    rows = [
        ChartRow(
            label=_("%(first)s – %(last)s")
            % {"first": local_date(bar.extra["first"]), "last": local_date(bar.extra["last"])},
            percent=bar.percent,
            text=ngettext("%(counter)s deadline", "%(counter)s deadlines", bar.value)
            % {"counter": bar.value},
            shown=bar.value,
            cells=[bar.value],
        )
        for bar in bars
    ]
    return Chart(
        columns=[pgettext("workbench", "Week"), pgettext("workbench", "Deadlines")],
        rows=rows,
    )


@require_GET
@portal_required("officials")
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    overdue = selectors.deadlines_for_official(user, days=0).filter(due_on__lt=timezone.localdate())
    return render(
        request,
        "officials/dashboard.html",
        {
            "budgets": _budget_chart(selectors.budget_per_call(user)),
            "states": _states_chart(selectors.applications_by_state(user)),
            "weeks": _deadlines_chart(selectors.deadlines_by_week(user)),
            "overdue_count": overdue.count(),
            "days": selectors.DASHBOARD_DAYS,
            "breadcrumbs": _crumbs((pgettext_lazy("workbench", "Dashboard"), None)),
        },
    )
