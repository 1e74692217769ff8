"""An application in the workbench: its page, its actions (each a transition through the
one door) and the declaration of a conflict of interest, its attachments and documents."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from documents.downloads import docx_response, file_response
from grants import in_kind
from grants import workbench_selectors as selectors
from grants.answers import application_summary
from grants.models import Application, Attachment, Outcome
from grants.workbench.common import (
    application_or_404,
    checked_id,
    crumbs,
    deadline_rows,
    toned,
)
from grants.workbench.forms import (
    ACTION_FORMS,
    ActionForm,
    DisqualificationForm,
    InKindForm,
)
from portal.portals import portal_required, safe_next
from portal.posting import form_post, refused, transition_post
from workflow.chains import run_in_progress
from workflow.disqualification import disqualification_declare
from workflow.history import history_for
from workflow.rules import is_official
from workflow.transitions import available_transitions, is_disqualified

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


def _render_application(
    request: HttpRequest,
    application: Application,
    *,
    bound: ActionForm | DisqualificationForm | InKindForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    toned([application])
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
    in_kind_form = None
    if in_kind.may_set(user, application) and in_kind.in_kind_stands(application):
        in_kind_form = (
            bound if isinstance(bound, InKindForm) else InKindForm(application=application)
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
            "in_kind_form": in_kind_form,
            "runs": runs,
            "run_in_progress": run_in_progress(application),
            "history": history,
            "documents": list(selectors.documents_of(application)),
            "deadlines": deadline_rows(list(selectors.deadlines_of(application))),
            "report": report,
            "disqualifications": list(application.disqualifications.all()),
            "budget_total": sum(line.amount for line in application.budget_lines.all()),
            # The answers come before the actions: the content is read first (issue 14).
            "answer_sections": application_summary(application),
            "breadcrumbs": crumbs(
                (pgettext_lazy("workbench", "Applications"), reverse("officials:applications")),
                (application.association.name, None),
            ),
        },
        status=status,
    )


@require_GET
@portal_required("officials")
def application(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_application(request, application_or_404(request, pk))


def _conflict(request: HttpRequest, application: Application, message: str) -> HttpResponse:
    messages.error(request, message)
    response = _render_application(request, application_or_404(request, application.pk), status=409)
    return response


@require_POST
@portal_required("officials")
def application_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    application = application_or_404(request, pk)
    form_class = ACTION_FORMS.get(name)
    if form_class is None:
        raise Http404
    refusal = refused(application, name, request.user)
    if refusal == "forbidden":
        raise PermissionDenied
    if refusal == "conflict":
        return _conflict(request, application, _("This action is not available any more."))
    form = form_class(request.POST, application=application)
    answer = transition_post(
        request,
        application,
        name,
        form,
        params=form.params if form.takes_params() else None,
        back=safe_next(request, reverse("officials:application", args=[application.pk])),
        done=DONE[name],
        conflict=lambda conflict: _conflict(request, application, conflict.message),
    )
    if answer is not None:
        return answer
    return _render_application(request, application, bound=form, status=400)


@require_POST
@portal_required("officials")
def application_disqualification(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_or_404(request, pk)
    if not is_official(request.user, application):
        raise PermissionDenied
    form = DisqualificationForm(request.POST)
    answer = form_post(
        request,
        form,
        lambda: disqualification_declare(
            application, user=request.user, reason=form.cleaned_data["reason"]
        ),
        back=reverse("officials:application", args=[application.pk]),
        done=_("Your conflict of interest was recorded: another official acts instead."),
    )
    if answer is not None:
        return answer
    return _render_application(request, application, bound=form, status=400)


@require_POST
@portal_required("officials")
def application_in_kind(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_or_404(request, pk)
    if not in_kind.may_set(request.user, application):
        raise PermissionDenied
    form = InKindForm(request.POST, application=application)
    answer = form_post(
        request,
        form,
        lambda: in_kind.in_kind_set(application, user=request.user, **form.cleaned_data),
        back=reverse("officials:application", args=[application.pk]),
        done=_("The in-kind support was saved."),
        conflict=lambda conflict: _conflict(request, application, conflict.message),
    )
    if answer is not None:
        return answer
    return _render_application(request, application, bound=form, status=400)


@require_GET
@portal_required("officials")
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    visible = selectors.applications_for_official(request.user).filter(pk=checked_id(pk))
    try:
        found = Attachment.objects.get(pk=checked_id(attachment_pk), application__in=visible)
    except Attachment.DoesNotExist:
        raise Http404 from None
    return file_response(found.file, found.name, found.content_type)


@require_GET
@portal_required("officials")
def document(request: HttpRequest, pk: int) -> FileResponse:
    try:
        found = selectors.document_for_official(request.user, checked_id(pk))
    except selectors.GeneratedDocument.DoesNotExist:
        raise Http404 from None
    return docx_response(found)
