"""A version's page: its terms, the difference from the version it is based on, comments,
the review, the signatures and the actions on it."""

from typing import Any

from django import forms
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from agreements import selectors, services
from agreements.models import (
    AgreementParty,
    AgreementVersion,
    Resource,
    Signature,
    VersionComment,
)
from agreements.portal.labels import (
    OUTCOMES,
    ROLES,
    SIDES,
    STEP_OUTCOMES,
    VERSION_STATES,
    badge,
    name_of,
)
from agreements.portal.pages import PORTAL, Action, action_post, draft_base
from agreements.portal.signing import signature_rows
from agreements.portal.terms_view import difference, terms_view
from agreements.portal_forms import (
    CommentForm,
    ConfirmForm,
    DecideForm,
    DecideRectificationForm,
    RecordStepForm,
    RequestRectificationForm,
    ReturnToNegotiationForm,
    SubmitForReviewForm,
)
from agreements.rules import side_of
from portal.portals import portal_required
from portal.posting import form_post
from workflow import chains
from workflow.models import ApprovalRun, StepRecord
from workflow.rules import is_official
from workflow.transitions import available_transitions

S = AgreementVersion.State


def version_or_404(user: Any, pk: int, number: int) -> AgreementVersion:
    """The version if the person sees it; what the page needs loaded with it (the selector
    decides what is visible, its prefetches are replaced by the page's)."""
    return get_object_or_404(
        selectors.versions_for_user(user)
        .select_related("agreement__public_body", "agreement__liaison", "agreement__contact")
        .prefetch_related(None)
        .prefetch_related(
            "goals",
            Prefetch("resources", queryset=Resource.objects.select_related("premises")),
            "disqualifications",
            Prefetch("signatures", queryset=Signature.objects.select_related("signer")),
            Prefetch("comments", queryset=VersionComment.objects.select_related("author")),
            Prefetch(
                "agreement__parties",
                queryset=AgreementParty.objects.select_related("association"),
            ),
            Prefetch(
                "approval_runs",
                queryset=ApprovalRun.objects.prefetch_related(
                    Prefetch("steps", queryset=StepRecord.objects.select_related("actor"))
                ),
            ),
            "based_on__goals",
            "based_on__resources",
        ),
        agreement_id=pk,
        number=number,
    )


VERSION_ACTIONS = {
    "propose": Action(
        ConfirmForm,
        pgettext_lazy("action", "Propose to the other side"),
        pgettext_lazy("button", "Propose"),
        gettext_lazy("The version has been proposed to the other side."),
        gettext_lazy(
            "The other side sees this version and can accept it or make a counter-proposal. "
            "A proposed version is no longer edited."
        ),
    ),
    "accept": Action(
        ConfirmForm,
        pgettext_lazy("action", "Accept these terms"),
        pgettext_lazy("button", "Accept"),
        gettext_lazy("You have accepted the version."),
        gettext_lazy(
            "Your side agrees to these terms. The public body's liaison then submits the "
            "version for review; signatures come after the decision."
        ),
    ),
    "submit_for_review": Action(
        SubmitForReviewForm,
        pgettext_lazy("action", "Submit for review"),
        pgettext_lazy("button", "Submit for review"),
        gettext_lazy("The version has been submitted for review."),
        gettext_lazy("Both sides have agreed. Choose the approval chain that decides it."),
        kwargs=lambda version: {"version": version},
    ),
    "record_step": Action(
        RecordStepForm,
        pgettext_lazy("action", "Record your step"),
        pgettext_lazy("button", "Record the step"),
        gettext_lazy("Your step has been recorded."),
        gettext_lazy("The version then moves to the next step of the approval chain."),
    ),
    "decide": Action(
        DecideForm,
        pgettext_lazy("action", "Decide"),
        pgettext_lazy("button", "Record the decision"),
        gettext_lazy("The decision has been recorded."),
        gettext_lazy("An approved version goes to both sides for signatures."),
        kwargs=lambda version: {"version": version},
    ),
    "return_to_negotiation": Action(
        ReturnToNegotiationForm,
        pgettext_lazy("action", "Return to negotiation"),
        pgettext_lazy("button", "Return to negotiation"),
        gettext_lazy("The version has been returned to negotiation."),
        gettext_lazy("The review stops and the sides negotiate again."),
        danger=True,
    ),
    "request_rectification": Action(
        RequestRectificationForm,
        pgettext_lazy("action", "Request rectification of the decision"),
        pgettext_lazy("button", "Send the request"),
        gettext_lazy("The request for rectification has been sent to the public body."),
        gettext_lazy(
            "Within 14 days of being notified of the decision, a party may ask the public body "
            "to review it (Local Government Act 134 §). The agreement's money waits for the "
            "answer."
        ),
    ),
    "decide_rectification": Action(
        DecideRectificationForm,
        pgettext_lazy("action", "Decide the request for rectification"),
        pgettext_lazy("button", "Record the decision"),
        gettext_lazy("The request for rectification was decided."),
        gettext_lazy(
            "A changed decision turns an approval into a rejection, or a rejection into an "
            "approval that goes to the signatures. Appeal then goes to the administrative court."
        ),
    ),
    "sign": Action(
        ConfirmForm,
        pgettext_lazy("action", "Sign the agreement"),
        pgettext_lazy("button", "Sign"),
        gettext_lazy("You have signed the agreement."),
        gettext_lazy(
            "Your signature binds your side to these terms. The version comes into force "
            "when every side has the signatures it requires."
        ),
    ),
    "withdraw": Action(
        ConfirmForm,
        pgettext_lazy("action", "Withdraw this version"),
        pgettext_lazy("button", "Withdraw"),
        gettext_lazy("The version has been withdrawn."),
        gettext_lazy("The version is no longer on the table."),
        danger=True,
    ),
}


def _version_context(
    request: HttpRequest, version: AgreementVersion, bound: dict[str, forms.Form]
) -> dict[str, Any]:
    user = request.user
    agreement = version.agreement
    available = set(available_transitions(version, user))
    actions = []
    for name, spec in VERSION_ACTIONS.items():
        if name in bound:
            form = bound[name]
        elif name in available:
            form = spec.form(prefix=name, **spec.kwargs(version))
        else:
            continue
        url = reverse("partnerships:version_action", args=[agreement.pk, version.number, name])
        actions.append({"name": name, "spec": spec, "form": form, "url": url})
    side = side_of(user, version)
    official = is_official(user, version)
    runs = []
    if official:
        for run in version.approval_runs.all():
            runs.append(
                {
                    "run": run,
                    "steps": [
                        {
                            "step": step,
                            "role": ROLES.get(step.role, step.role),
                            "outcome": STEP_OUTCOMES.get(step.outcome, step.outcome),
                        }
                        for step in run.steps.all()
                    ],
                }
            )
    label = _("Version %(number)s") % {"number": version.number}
    return {
        "version": version,
        "agreement": agreement,
        "badge": badge(VERSION_STATES, version.state),
        "author": SIDES.get(version.author_side, version.author_side),
        "outcome": OUTCOMES.get(version.outcome, ""),
        "terms": terms_view(version),
        "difference": difference(version.based_on, version) if version.based_on else None,
        "signatures": signature_rows(version),
        "show_signatures": version.state in (S.APPROVED, S.AWAITING_SIGNATURES, S.IN_FORCE)
        or bool(version.signatures.all()),
        "actions": actions,
        "runs": runs,
        "waiting": _waiting_step(version) if official else None,
        "comments": _comments(version),
        "comment_form": bound.get("comment") or CommentForm(prefix="comment"),
        "may_comment": side is not None
        and version.state in AgreementVersion.OPEN_STATES
        and (version.state != S.DRAFT or side == version.author_side),
        "may_edit": version.state == S.DRAFT and side == version.author_side,
        "may_draft": version.state in (S.NEGOTIATION, S.AGREED)
        and draft_base(agreement, side)[0] == version,
        "breadcrumbs": [
            (_("Partnership agreements"), reverse("partnerships:home")),
            (agreement.number, reverse("partnerships:agreement", args=[agreement.pk])),
            (label, None),
        ],
    }


def _waiting_step(version: AgreementVersion) -> dict[str, Any] | None:
    """The step waiting in the review and who may do it, for the body's officials."""
    step = chains.current_step(version)
    if step is None:
        return None
    return {
        "step": step,
        "role": ROLES.get(step.role, step.role),
        "people": [name_of(person) for person in chains.next_actors(version)],
    }


def _comments(version: AgreementVersion) -> list[dict[str, Any]]:
    return [
        {"comment": c, "author": name_of(c.author), "side": SIDES.get(c.side, c.side)}
        for c in version.comments.all()
    ]


def _version_page(
    request: HttpRequest,
    version: AgreementVersion,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "partnerships/version.html",
        _version_context(request, version, bound or {}),
        status=status,
    )


@portal_required(PORTAL)
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    return _version_page(request, version_or_404(request.user, pk, number))


@require_POST
@portal_required(PORTAL)
def version_action(request: HttpRequest, pk: int, number: int, name: str) -> HttpResponse:
    """One transition of the version: propose, accept, withdraw, submit for review, record a
    step, return to negotiation, decide or sign."""
    return action_post(
        request,
        VERSION_ACTIONS,
        name,
        lambda: version_or_404(request.user, pk, number),
        back=reverse("partnerships:version", args=[pk, number]),
        page=_version_page,
    )


@require_POST
@portal_required(PORTAL)
def version_comment(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A comment from either side; with htmx the comments are swapped in place, and so is
    the form with its errors (a 400 the form's data-swap-errors lets htmx swap)."""
    version = version_or_404(request.user, pk, number)
    form = CommentForm(request.POST, prefix="comment")
    back = reverse("partnerships:version", args=[pk, number])

    def added(_comment: VersionComment) -> HttpResponse:
        if not request.htmx:
            return redirect(back + "#comments")
        # The comments again, the new one with them; the message comes out of band.
        context = _version_context(request, version_or_404(request.user, pk, number), {})
        context["added"] = True
        return render(request, "partnerships/_comments.html", context)

    answer = form_post(
        request,
        form,
        lambda: services.comment_add(version, user=request.user, body=form.cleaned_data["body"]),
        back=back,
        done=None if request.htmx else _("Your comment has been added."),
        then=added,
    )
    if answer:
        return answer
    if request.htmx:
        context = _version_context(request, version, {"comment": form})
        return render(request, "partnerships/_comments.html", context, status=400)
    return _version_page(request, version, {"comment": form}, status=400)
