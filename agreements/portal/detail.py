"""The agreement's page: its terms, versions, meetings, evaluations, documents, attachments
and history; and its own actions (renew, terminate, cancel)."""

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from agreements import selectors, services
from agreements.models import Agreement, Evaluation
from agreements.portal.history import history
from agreements.portal.labels import (
    EVALUATION_STATES,
    MEETING_STATUSES,
    SIDES,
    VERSION_STATES,
    agreement_badge,
    badge,
)
from agreements.portal.pages import (
    PORTAL,
    Action,
    agreement_or_404,
    draft_base,
)
from agreements.portal.signing import signature_rows, under_signature
from agreements.portal.terms_view import terms_view
from agreements.portal_forms import (
    AttachmentForm,
    CancelByDecisionForm,
    ConfirmForm,
    DecideRectificationForm,
    ProposeCancellationForm,
    RenewForm,
    RequestRectificationForm,
    TerminateForm,
)
from agreements.rules import sees_agreement, side_of
from documents.downloads import docx_response, file_response
from documents.models import GeneratedDocument, Kind
from documents.selectors import subject_documents_for
from portal.portals import portal_required
from portal.posting import form_post, transition_post
from workflow.rules import is_liaison
from workflow.transitions import available_transitions

A = Agreement.State
E = Evaluation.State


DOCUMENT_SOURCE = re.compile(r"v(\d+):(approved|signed)")


def _agreement_documents(user: Any, agreement: Agreement) -> QuerySet[GeneratedDocument]:
    """The agreement's own documents (not its payment orders), as documents.selectors lets the
    person see them."""
    return subject_documents_for(user, agreement).filter(kind=Kind.AGREEMENT)


def _documents(user: Any, agreement: Agreement) -> list[dict[str, Any]]:
    rows = []
    for document in _agreement_documents(user, agreement).order_by("-created_at", "-pk"):
        source = DOCUMENT_SOURCE.fullmatch(document.source or "")
        if source and source.group(2) == "signed":
            label = _("Version %(number)s, signed") % {"number": source.group(1)}
        elif source:
            label = _("Version %(number)s, as approved") % {"number": source.group(1)}
        else:
            label = _("Agreement document")
        rows.append({"document": document, "label": label})
    return rows


def _meeting_rows(agreement: Agreement, user: Any) -> list[dict[str, Any]]:
    liaison = is_liaison(user, agreement)
    in_force = agreement.state in Agreement.IN_FORCE_STATES
    return [
        {
            "meeting": m,
            "badge": badge(MEETING_STATUSES, m.status),
            "may_record": liaison and in_force and not m.cancelled and m.held_on is None,
        }
        for m in sorted(agreement.meetings.all(), key=lambda m: (m.due_on, m.pk))
    ]


AGREEMENT_ACTIONS = ("renew", "terminate", "cancel")
# Signed before its term (agreements.cancellation): offered where the engine offers them.
CANCELLATION_ACTIONS = (
    "propose_cancellation",
    "agree_cancellation",
    "decline_cancellation",
    "withdraw_cancellation",
    "cancel_by_decision",
    # The body's decision to cancel may be the subject of a request for rectification.
    "request_rectification",
    "decide_rectification",
)


def _successor(user: Any, agreement: Agreement) -> Agreement | None:
    """The renewal, once the person's side may see it (the liaison drafts it first)."""
    successor = getattr(agreement, "successor", None)
    return successor if successor is not None and sees_agreement(user, successor) else None


def _agreement_context(
    request: HttpRequest, agreement: Agreement, attachment_form: forms.Form | None = None
) -> dict[str, Any]:
    user = request.user
    versions = sorted(agreement.versions.all(), key=lambda v: v.number)
    evaluations = sorted(
        (e for e in agreement.evaluations.all() if e.state != E.CANCELLED),
        key=lambda e: e.period_starts_on,
    )
    in_force = agreement.in_force_version
    shown = in_force or agreement.terms
    available = set(available_transitions(agreement, user))
    side = side_of(user, agreement)
    base, _why_not = draft_base(agreement, side)
    signing = under_signature(agreement)
    return {
        "agreement": agreement,
        "badge": agreement_badge(agreement),
        "terms": terms_view(shown) if shown else None,
        "terms_in_force": in_force is not None,
        "shown_badge": badge(VERSION_STATES, shown.state) if shown else None,
        "parties": [p.association for p in agreement.parties.all()],
        "versions": [
            {
                "version": v,
                "badge": badge(VERSION_STATES, v.state),
                "author": SIDES.get(v.author_side, v.author_side),
            }
            for v in reversed(versions)
        ],
        "meetings": _meeting_rows(agreement, user),
        "evaluations": [
            {"evaluation": e, "badge": badge(EVALUATION_STATES, e.state)} for e in evaluations
        ],
        "signing": signing,
        "signatures": signature_rows(signing) if signing else [],
        "attachments": list(agreement.attachments.all()),
        "attachment_form": attachment_form or AttachmentForm(),
        "documents": _documents(user, agreement),
        "history": history(user, agreement, versions, evaluations),
        "actions": [name for name in AGREEMENT_ACTIONS if name in available],
        "cancellation_actions": [
            (name, AGREEMENT_ACTION_SPECS[name].title)
            for name in CANCELLATION_ACTIONS
            if name in available
        ],
        "cancellation_by": SIDES.get(agreement.cancellation_side, ""),
        "may_attach": side is not None and agreement.state not in (A.ENDED, A.CANCELLED),
        "may_draft": base is not None,
        "may_schedule": is_liaison(user, agreement)
        and agreement.state in Agreement.IN_FORCE_STATES,
        "notice_by": SIDES.get(agreement.notice_given_by, ""),
        "successor": _successor(user, agreement),
        "breadcrumbs": [
            (_("Partnership agreements"), reverse("partnerships:home")),
            (agreement.number, None),
        ],
    }


@portal_required(PORTAL)
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_or_404(request.user, pk)
    return render(request, "partnerships/agreement.html", _agreement_context(request, agreement))


@portal_required(PORTAL)
def agreement_document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """The agreement document, for whoever sees the agreement (404 for anyone else)."""
    agreement = get_object_or_404(
        selectors.agreements_for_user(request.user).prefetch_related(None), pk=pk
    )
    document = get_object_or_404(_agreement_documents(request.user, agreement), pk=document_pk)
    return docx_response(
        document, f"{agreement.number}-v{document.version}-{document.language}.docx"
    )


@portal_required(PORTAL)
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    agreement = get_object_or_404(
        selectors.agreements_for_user(request.user).prefetch_related(None), pk=pk
    )
    item = get_object_or_404(agreement.attachments.all(), pk=attachment_pk)
    return file_response(item.file, item.name)


@require_POST
@portal_required(PORTAL)
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_or_404(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    answer = form_post(
        request,
        form,
        lambda: services.attachment_add(
            agreement, user=request.user, upload=form.cleaned_data["file"]
        ),
        back=reverse("partnerships:agreement", args=[agreement.pk]),
        done=_("The file has been attached."),
    )
    if answer:
        return answer
    context = _agreement_context(request, agreement, attachment_form=form)
    return render(request, "partnerships/agreement.html", context, status=400)


AGREEMENT_ACTION_SPECS = {
    "renew": Action(
        RenewForm,
        pgettext_lazy("action", "Renew the agreement"),
        pgettext_lazy("button", "Draft the renewal"),
        gettext_lazy("The renewal has been drafted as a new agreement from the terms in force."),
        gettext_lazy(
            "A new agreement between the same parties is drafted from the terms in force for "
            "the new term. This agreement stays in force until its term ends."
        ),
    ),
    "terminate": Action(
        TerminateForm,
        pgettext_lazy("action", "Terminate the agreement"),
        pgettext_lazy("button", "Give notice of termination"),
        gettext_lazy("Notice of termination has been given."),
        gettext_lazy(
            "The agreement stays in force for the notice period of its terms and then ends. "
            "Both sides are told."
        ),
        danger=True,
    ),
    "cancel": Action(
        ConfirmForm,
        pgettext_lazy("action", "Cancel the agreement"),
        pgettext_lazy("button", "Cancel the agreement"),
        gettext_lazy("The agreement has been cancelled."),
        gettext_lazy("The agreement never came into force; its open versions are withdrawn."),
        danger=True,
    ),
    "propose_cancellation": Action(
        ProposeCancellationForm,
        pgettext_lazy("action", "Propose to cancel the agreement"),
        pgettext_lazy("button", "Propose the cancellation"),
        gettext_lazy("The cancellation has been proposed to the other side."),
        gettext_lazy(
            "The agreement is signed but its term has not begun. If the other side agrees, it "
            "is cancelled: nothing of its term happens and no money is paid for it."
        ),
    ),
    "agree_cancellation": Action(
        ConfirmForm,
        pgettext_lazy("action", "Agree to cancel the agreement"),
        pgettext_lazy("button", "Agree to the cancellation"),
        gettext_lazy("The agreement has been cancelled."),
        gettext_lazy(
            "The agreement is cancelled before its term: its meetings and evaluations are "
            "cancelled, unpaid instalments are not paid and money already paid is claimed back. "
            "Both sides are told."
        ),
        danger=True,
    ),
    "decline_cancellation": Action(
        ConfirmForm,
        pgettext_lazy("action", "Decline the cancellation"),
        pgettext_lazy("button", "Decline the cancellation"),
        gettext_lazy("The cancellation has been declined."),
        gettext_lazy("The agreement stays signed and comes into force on its term's first day."),
    ),
    "withdraw_cancellation": Action(
        ConfirmForm,
        pgettext_lazy("action", "Withdraw the proposal to cancel"),
        pgettext_lazy("button", "Withdraw the proposal"),
        gettext_lazy("The proposal to cancel has been withdrawn."),
        gettext_lazy("The agreement stays signed and comes into force on its term's first day."),
    ),
    "cancel_by_decision": Action(
        CancelByDecisionForm,
        pgettext_lazy("action", "Decide to cancel the agreement"),
        pgettext_lazy("button", "Decide to cancel"),
        gettext_lazy("The agreement has been cancelled by the decision."),
        gettext_lazy(
            "A decision of the public body with its reasons and its own section: the agreement "
            "is cancelled before its term, unpaid instalments are not paid and money already "
            "paid is claimed back. The parties may request its rectification."
        ),
        danger=True,
    ),
    "request_rectification": Action(
        RequestRectificationForm,
        pgettext_lazy("action", "Request rectification of the decision to cancel"),
        pgettext_lazy("button", "Send the request"),
        gettext_lazy("The request for rectification has been sent to the public body."),
        gettext_lazy(
            "Within 14 days of being notified of the decision to cancel the agreement, a party "
            "may ask the public body to review it (Local Government Act 134 §)."
        ),
    ),
    "decide_rectification": Action(
        DecideRectificationForm,
        pgettext_lazy("action", "Decide the request for rectification of the cancellation"),
        pgettext_lazy("button", "Record the decision"),
        gettext_lazy("The request for rectification was decided."),
        gettext_lazy(
            "Upheld, the agreement stays cancelled. Changed, the cancellation is undone: the "
            "agreement binds as signed again, its meetings and evaluations are planned again "
            "and its money is owed again. Appeal then goes to the administrative court."
        ),
    ),
}


@portal_required(PORTAL)
def agreement_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Renew, terminate or cancel (before the term too): a page with the form, then the
    transition."""
    spec = AGREEMENT_ACTION_SPECS.get(name)
    if spec is None:
        raise Http404
    agreement = agreement_or_404(request.user, pk)
    back = reverse("partnerships:agreement", args=[agreement.pk])
    if request.method != "POST" and name not in available_transitions(agreement, request.user):
        messages.error(request, _("That is not possible for this agreement now."))
        return redirect(back)

    def then(done: Agreement) -> HttpResponse:
        """A renewal goes on to the new agreement."""
        successor = Agreement.objects.filter(predecessor=done).first()
        if name == "renew" and successor is not None:
            return redirect("partnerships:agreement", pk=successor.pk)
        return redirect(back)

    form = spec.form(request.POST if request.method == "POST" else None)
    answer = transition_post(
        request, agreement, name, form, params=form.params, back=back, done=spec.done, then=then
    )
    if answer:
        return answer
    return render(
        request,
        "partnerships/agreement_action.html",
        {
            "agreement": agreement,
            "action": spec,
            "name": name,
            "form": form,
            "breadcrumbs": [
                (_("Partnership agreements"), reverse("partnerships:home")),
                (agreement.number, reverse("partnerships:agreement", args=[agreement.pk])),
                (spec.title, None),
            ],
        },
        status=400 if form.is_bound else 200,
    )
