"""A yearly evaluation's page and its actions: open, submit, evaluate, return."""

from typing import Any

from django import forms
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from agreements import selectors
from agreements.models import AgreementParty, Evaluation, GoalResult, Meeting
from agreements.portal.labels import EVALUATION_STATES, badge, figure, local_date
from agreements.portal.pages import PORTAL, Action, action_post, agreement_crumbs
from agreements.portal_forms import (
    ConfirmForm,
    EvaluateForm,
    EvaluationSubmitForm,
    ReturnEvaluationForm,
)
from portal.portals import portal_required
from workflow.transitions import available_transitions

E = Evaluation.State


def _evaluation_or_404(user: Any, pk: int, evaluation_pk: int) -> Evaluation:
    return get_object_or_404(
        selectors.evaluations_for_user(user)
        .select_related("agreement__public_body", "meeting")
        .prefetch_related(None)
        .prefetch_related(
            "disqualifications",
            Prefetch("results", queryset=GoalResult.objects.select_related("goal")),
            "agreement__in_force_version__goals",
            "agreement__meetings",
            Prefetch(
                "agreement__parties",
                queryset=AgreementParty.objects.select_related("association"),
            ),
        ),
        pk=evaluation_pk,
        agreement_id=pk,
    )


def _held_meetings(evaluation: Evaluation) -> list[Meeting]:
    held = sorted(
        (m for m in evaluation.agreement.meetings.all() if m.held_on is not None),
        key=lambda m: m.held_on,
        reverse=True,
    )
    for meeting in held:
        meeting.label = local_date(meeting.held_on)
    return held


def _goals(evaluation: Evaluation) -> list:
    version = evaluation.agreement.in_force_version
    return list(version.goals.all()) if version is not None else []


EVALUATION_ACTIONS = {
    "open": Action(
        ConfirmForm,
        pgettext_lazy("action", "Open the evaluation"),
        pgettext_lazy("button", "Open the evaluation now"),
        gettext_lazy("The evaluation is open for the association's report."),
        gettext_lazy("The period is over; the association is asked for its report."),
    ),
    "submit": Action(
        EvaluationSubmitForm,
        pgettext_lazy("action", "Submit the evaluation"),
        pgettext_lazy("button", "Submit the evaluation"),
        gettext_lazy("The evaluation has been submitted to the liaison."),
        gettext_lazy(
            "Give the indicator's figure for each goal, and tell in your own words how the "
            "year went. The liaison evaluates it with you at a cooperation meeting."
        ),
        kwargs=lambda e: {"goals": _goals(e)},
    ),
    "evaluate": Action(
        EvaluateForm,
        pgettext_lazy("action", "Evaluate"),
        pgettext_lazy("button", "Record the evaluation"),
        gettext_lazy("The evaluation has been recorded."),
        gettext_lazy("Your assessment, the goals met and the meeting where you discussed it."),
        kwargs=lambda e: {"goals": _goals(e), "meetings": _held_meetings(e)},
    ),
    "return_evaluation": Action(
        ReturnEvaluationForm,
        pgettext_lazy("action", "Return the evaluation"),
        pgettext_lazy("button", "Return to the association"),
        gettext_lazy("The evaluation has been returned to the association."),
        gettext_lazy("The association completes it and submits it again."),
        danger=True,
    ),
}


def _evaluation_page(
    request: HttpRequest,
    evaluation: Evaluation,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    agreement = evaluation.agreement
    available = set(available_transitions(evaluation, request.user))
    actions = []
    for name, spec in EVALUATION_ACTIONS.items():
        if name in bound:
            form = bound[name]
        elif name in available:
            initial = {}
            if name == "submit":
                initial = {"report": evaluation.report}
                for result in evaluation.results.all():
                    initial[f"value_{result.goal_id}"] = result.value
                    initial[f"comment_{result.goal_id}"] = result.comment
            form = spec.form(prefix=name, initial=initial, **spec.kwargs(evaluation))
        else:
            continue
        url = reverse("partnerships:evaluation_action", args=[agreement.pk, evaluation.pk, name])
        actions.append({"name": name, "spec": spec, "form": form, "url": url})
    title = _("Evaluation %(start)s–%(end)s") % {
        "start": local_date(evaluation.period_starts_on),
        "end": local_date(evaluation.period_ends_on),
    }
    today = timezone.localdate()
    return render(
        request,
        "partnerships/evaluation.html",
        {
            "evaluation": evaluation,
            "agreement": agreement,
            "title": title,
            "badge": badge(EVALUATION_STATES, evaluation.state),
            "overdue": evaluation.state == E.DUE and evaluation.due_on < today,
            "results": [
                {
                    "result": r,
                    "target": figure(r.goal.target),
                    "value": figure(r.value),
                }
                for r in evaluation.results.all()
            ],
            "actions": actions,
            "record_meeting_first": "evaluate" in available and not _held_meetings(evaluation),
            "breadcrumbs": agreement_crumbs(agreement, title),
        },
        status=status,
    )


@portal_required(PORTAL)
def evaluation_detail(request: HttpRequest, pk: int, evaluation_pk: int) -> HttpResponse:
    return _evaluation_page(request, _evaluation_or_404(request.user, pk, evaluation_pk))


@require_POST
@portal_required(PORTAL)
def evaluation_action(request: HttpRequest, pk: int, evaluation_pk: int, name: str) -> HttpResponse:
    """Open, submit, evaluate or return the evaluation."""
    return action_post(
        request,
        EVALUATION_ACTIONS,
        name,
        lambda: _evaluation_or_404(request.user, pk, evaluation_pk),
        back=reverse("partnerships:evaluation", args=[pk, evaluation_pk]),
        page=_evaluation_page,
    )
