"""Partnership agreements as both sides see them: terms, versions and their differences,
comments, review, signatures, meetings, evaluations, renewal and termination.

Every record is read through `agreements.selectors` (what the person's side may not see
answers 404, a draft the other side has not proposed included) and changed through
`agreements.services` or `workflow.transitions.transition_perform`. A `ValidationError` comes
back as the form's errors (400, nothing saved), `PermissionDenied` is the 403 page and a
`TransitionConflict` (someone acted first, the state moved on) is a message on the page the
person came from. Every form goes through `_submit`, which does all of that once.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from agreements import selectors, services, terms
from agreements.models import (
    Agreement,
    AgreementParty,
    AgreementVersion,
    Evaluation,
    GoalResult,
    Meeting,
    Resource,
    Side,
    Signature,
    VersionComment,
)
from agreements.portal_forms import (
    AgreementCreateForm,
    AttachmentForm,
    CommentForm,
    ConfirmForm,
    DecideForm,
    EvaluateForm,
    EvaluationSubmitForm,
    GoalFormSet,
    MeetingAddForm,
    MeetingRecordForm,
    RecordStepForm,
    RenewForm,
    ResourceFormSet,
    ReturnEvaluationForm,
    ReturnToNegotiationForm,
    SubmitForReviewForm,
    TerminateForm,
    TermsForm,
    rows_of,
)
from agreements.rules import sees_agreement, side_of
from documents.downloads import docx_response, file_response
from documents.models import GeneratedDocument, Kind
from documents.selectors import subject_documents_for
from organisations.models import Association, AssociationRole, OfficialRole, PublicBody
from organisations.roles import roles_of
from portal.forms import errors_apply
from portal.portals import portal_required
from workflow import formats
from workflow.errors import TransitionConflict
from workflow.history import hidden_from
from workflow.models import ApprovalRun, StepRecord, TransitionLog
from workflow.rules import is_liaison, is_official
from workflow.transitions import available_transitions, transition_perform

S = AgreementVersion.State
A = Agreement.State
E = Evaluation.State
PORTAL = "partnerships"
PAGE_SIZE = 25

# --- how the pages name states, sides and steps (each with the badge's tone) -----------------

AGREEMENT_STATES = {
    A.DRAFT: (pgettext_lazy("agreement state", "Being negotiated"), "info"),
    A.ACTIVE: (pgettext_lazy("agreement state", "Active"), "success"),
    A.RENEWAL_DUE: (pgettext_lazy("agreement state", "Renewal due"), "warning"),
    A.TERMINATING: (pgettext_lazy("agreement state", "Terminated, notice running"), "warning"),
    A.RENEWED: (pgettext_lazy("agreement state", "Renewed"), "success"),
    A.ENDED: (pgettext_lazy("agreement state", "Ended"), "neutral"),
    A.CANCELLED: (pgettext_lazy("agreement state", "Cancelled"), "neutral"),
}
VERSION_STATES = {
    S.DRAFT: (pgettext_lazy("version state", "Draft"), "neutral"),
    S.NEGOTIATION: (pgettext_lazy("version state", "In negotiation"), "info"),
    S.AGREED: (pgettext_lazy("version state", "Agreed by both sides"), "info"),
    S.IN_REVIEW: (pgettext_lazy("version state", "In review"), "info"),
    S.APPROVED: (pgettext_lazy("version state", "Approved"), "success"),
    S.AWAITING_SIGNATURES: (pgettext_lazy("version state", "Awaiting signatures"), "warning"),
    S.IN_FORCE: (pgettext_lazy("version state", "In force"), "success"),
    S.SUPERSEDED: (pgettext_lazy("version state", "Superseded by an amendment"), "neutral"),
    S.COUNTERED: (pgettext_lazy("version state", "Replaced by a counter-proposal"), "neutral"),
    S.REJECTED: (pgettext_lazy("version state", "Rejected"), "danger"),
    S.WITHDRAWN: (pgettext_lazy("version state", "Withdrawn"), "neutral"),
}
EVALUATION_STATES = {
    E.SCHEDULED: (pgettext_lazy("evaluation state", "Scheduled"), "neutral"),
    E.DUE: (pgettext_lazy("evaluation state", "Due"), "warning"),
    E.SUBMITTED: (pgettext_lazy("evaluation state", "Submitted"), "info"),
    E.EVALUATED: (pgettext_lazy("evaluation state", "Evaluated"), "success"),
    E.CANCELLED: (pgettext_lazy("evaluation state", "Cancelled"), "neutral"),
}
MEETING_STATUSES = {
    "scheduled": (pgettext_lazy("meeting", "Scheduled"), "info"),
    "held": (pgettext_lazy("meeting", "Held"), "success"),
    "missed": (pgettext_lazy("meeting", "Missed: not recorded as held"), "danger"),
    "cancelled": (pgettext_lazy("meeting", "Cancelled"), "neutral"),
}
SIDES = {
    Side.PUBLIC_BODY: pgettext_lazy("side", "The public body"),
    Side.ASSOCIATION: pgettext_lazy("side", "The association"),
}
KINDS = {
    Resource.Kind.MONEY: pgettext_lazy("resource kind", "Money"),
    Resource.Kind.PREMISES: pgettext_lazy("resource kind", "Free premises"),
    Resource.Kind.STAFF: pgettext_lazy("resource kind", "Staff time"),
}
HOURS_PER = {
    Resource.Per.WEEK: pgettext_lazy("hours", "a week"),
    Resource.Per.YEAR: pgettext_lazy("hours", "a year"),
}
OUTCOMES = {
    AgreementVersion.Outcome.APPROVED: pgettext_lazy("decision outcome", "Approved"),
    AgreementVersion.Outcome.REJECTED: pgettext_lazy("decision outcome", "Rejected"),
}
STEP_OUTCOMES = {
    "proposed": pgettext_lazy("step outcome", "Proposed"),
    **OUTCOMES,
}
ROLES = {
    OfficialRole.Role.PREPARER: pgettext_lazy("role", "Preparer"),
    OfficialRole.Role.DECISION_MAKER: pgettext_lazy("role", "Decision-maker"),
    OfficialRole.Role.LIAISON: pgettext_lazy("role", "Liaison"),
    OfficialRole.Role.FINANCE: pgettext_lazy("role", "Finance"),
    OfficialRole.Role.ADMINISTRATOR: pgettext_lazy("role", "Administrator"),
}
# What the history calls each audited action.
ACTIONS = {
    "create": pgettext_lazy("history", "Created"),
    "edit": pgettext_lazy("history", "Draft edited"),
    "comment": pgettext_lazy("history", "Commented"),
    "attach": pgettext_lazy("history", "File attached"),
    "propose": pgettext_lazy("history", "Proposed to the other side"),
    "accept": pgettext_lazy("history", "Accepted"),
    "set_aside": pgettext_lazy("history", "Replaced by a counter-proposal"),
    "withdraw": pgettext_lazy("history", "Withdrawn"),
    "submit_for_review": pgettext_lazy("history", "Submitted for review"),
    "record_step": pgettext_lazy("history", "Review step recorded"),
    "return_to_negotiation": pgettext_lazy("history", "Returned to negotiation"),
    "decide": pgettext_lazy("history", "Decided"),
    "sign": pgettext_lazy("history", "Signed"),
    "supersede": pgettext_lazy("history", "Superseded by an amendment"),
    "activate": pgettext_lazy("history", "Came into force"),
    "open_renewal": pgettext_lazy("history", "Renewal due"),
    "renew": pgettext_lazy("history", "Renewal drafted"),
    "terminate": pgettext_lazy("history", "Notice of termination given"),
    "end": pgettext_lazy("history", "Ended"),
    "cancel": pgettext_lazy("history", "Cancelled"),
    "record_payment": pgettext_lazy("history", "Instalment paid"),
    "reverse_payment": pgettext_lazy("history", "Instalment payment reversed"),
    "record_meeting": pgettext_lazy("history", "Meeting recorded as held"),
    "schedule_meeting": pgettext_lazy("history", "Meeting scheduled"),
    "open": pgettext_lazy("history", "Evaluation opened"),
    "submit": pgettext_lazy("history", "Evaluation submitted"),
    "return_evaluation": pgettext_lazy("history", "Evaluation returned"),
    "evaluate": pgettext_lazy("history", "Evaluated"),
    "declare_disqualification": pgettext_lazy("history", "Conflict of interest declared"),
}
# The terms' fields, as the difference between versions names them.
TERM_LABELS = {
    "title": pgettext_lazy("agreement", "Title"),
    "purpose": pgettext_lazy("agreement", "Purpose"),
    "starts_on": pgettext_lazy("agreement", "Starts on"),
    "ends_on": pgettext_lazy("agreement", "Ends on"),
    "public_body_responsibilities": gettext_lazy("The public body's responsibilities"),
    "association_responsibilities": gettext_lazy("The association's responsibilities"),
    "meetings_per_year": gettext_lazy("Cooperation meetings a year"),
    "evaluation_every_months": gettext_lazy("Evaluation every (months)"),
    "notice_period_months": gettext_lazy("Notice period (months)"),
}


@dataclass(frozen=True)
class Badge:
    label: Any
    tone: str


def _badge(states: dict, value: str) -> Badge:
    label, tone = states.get(value, (value, "neutral"))
    return Badge(label, tone)


def _name(user: Any) -> str:
    if user is None:
        return _("System")
    return user.get_full_name() or user.get_username()


def _figure(value: Decimal | None) -> str:
    """A target or a number of hours as the language writes it: no trailing zeros, and a
    decimal comma in Finnish and Swedish."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text if get_language() == "en" else text.replace(".", ",")


def _date(value: date | None) -> str:
    return formats.local_date(value, get_language())


def _money(value: Decimal | None) -> str:
    return formats.money(value, get_language())


# --- a posted form, saved: the one way every page writes --------------------------------------


def _go(request: HttpRequest, to: str) -> HttpResponse:
    """A redirect. To htmx the browser follows it itself (HX-Redirect): a 302 would be
    followed inside the request and the whole page it leads to swapped into the fragment."""
    if request.htmx:
        return HttpResponseClientRedirect(to)
    return redirect(to)


def _submit(
    request: HttpRequest,
    form: forms.Form,
    write: Callable[[], Any],
    *,
    back: str,
    done: Any = None,
    then: Callable[[Any], HttpResponse] | None = None,
    valid: bool | None = None,
) -> HttpResponse | None:
    """Save what a posted form asks for through `write` (a service or a transition) and
    redirect: to `then(what write returned)`, or else to `back`, with `done` as the success
    message (None: no message). A `TransitionConflict` redirects to `back` with its message.

    None when the form is not valid (an unbound one, a page shown before a POST, never is) or
    `write` raised a `ValidationError`, now among the form's errors: the caller shows the form
    (again, with a 400 once bound). `valid` replaces the form's own check where formsets are
    posted with it."""
    if not (form.is_valid() if valid is None else valid):
        return None
    try:
        result = write()
    except ValidationError as error:
        errors_apply(form, error)
        return None
    except TransitionConflict as conflict:
        messages.error(request, conflict.message)
        return _go(request, back)
    if done is not None:
        messages.success(request, done)
    return then(result) if then is not None else _go(request, back)


# --- the list ---------------------------------------------------------------------------------


def _may_start(user: Any) -> bool:
    roles = roles_of(user)
    return bool(
        roles.public_bodies(OfficialRole.Role.LIAISON)
        or roles.associations(AssociationRole.Role.REPRESENTATIVE)
    )


def _summary(agreement: Agreement, today: date) -> dict[str, Any]:
    """What the list shows of an agreement, from what the selector prefetched."""
    version = agreement.in_force_version or agreement.terms
    meetings = [m for m in agreement.meetings.all() if not m.cancelled]
    upcoming = sorted(
        (m for m in meetings if m.held_on is None and m.due_on >= today), key=lambda m: m.due_on
    )
    missed = [m for m in meetings if m.held_on is None and m.due_on < today]
    evaluations = sorted(agreement.evaluations.all(), key=lambda e: e.due_on)
    due = [e for e in evaluations if e.state == E.DUE] or [
        e for e in evaluations if e.state == E.SCHEDULED
    ]
    evaluation = due[0] if due else None
    return {
        "agreement": agreement,
        "badge": _badge(AGREEMENT_STATES, agreement.state),
        "version": version,
        "ends_on": agreement.ends_on or (version.ends_on if version else None),
        "parties": [p.association.name for p in agreement.parties.all()],
        "next_meeting": upcoming[0] if upcoming else None,
        "missed": len(missed),
        "evaluation": evaluation,
        "evaluation_overdue": evaluation is not None
        and evaluation.state == E.DUE
        and evaluation.due_on < today,
    }


@portal_required(PORTAL)
def home(request: HttpRequest) -> HttpResponse:
    """The agreements the person sees, newest first, a page at a time."""
    agreements = selectors.agreements_for_user(request.user).select_related("public_body")
    state = request.GET.get("state", "")
    if state in A.values:
        agreements = agreements.filter(state=state)
    page_obj = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "partnerships/home.html",
        {
            "page_obj": page_obj,
            "rows": [_summary(a, today) for a in page_obj],
            "state": state,
            "states": [(value, label) for value, (label, _tone) in AGREEMENT_STATES.items()],
            "may_start": _may_start(request.user),
        },
    )


# --- the terms, as every page shows them ------------------------------------------------------


def _terms_view(version: AgreementVersion) -> dict[str, Any]:
    """A version's terms ready to show: goals, resources with their labels, and per year the
    money and the hours and value of premises and staff time."""
    resources = []
    years: dict[int, dict[str, Decimal]] = {}
    for resource in version.resources.all():
        resources.append(
            {
                "resource": resource,
                "kind": KINDS.get(resource.kind, resource.kind),
                "provided_by": SIDES.get(resource.provided_by, resource.provided_by),
                "hours": _figure(resource.hours) if resource.hours is not None else "",
                "per": HOURS_PER.get(resource.hours_per, ""),
            }
        )
        year = years.setdefault(
            resource.year,
            {
                "money": Decimal(0),
                "premises_hours": Decimal(0),
                "premises_value": Decimal(0),
                "staff_hours": Decimal(0),
                "staff_value": Decimal(0),
            },
        )
        if resource.kind == Resource.Kind.MONEY:
            year["money"] += resource.amount
        elif resource.kind in (Resource.Kind.PREMISES, Resource.Kind.STAFF):
            prefix = "premises" if resource.kind == Resource.Kind.PREMISES else "staff"
            year[f"{prefix}_hours"] += resource.hours_per_year
            year[f"{prefix}_value"] += resource.amount
    return {
        "version": version,
        "goals": [{"goal": g, "target": _figure(g.target)} for g in version.goals.all()],
        "resources": resources,
        "years": [
            {
                "year": year,
                **totals,
                "premises_hours": _figure(totals["premises_hours"]),
                "staff_hours": _figure(totals["staff_hours"]),
            }
            for year, totals in sorted(years.items())
        ],
    }


def _row_lines(kind: str, row: dict[str, Any] | None) -> list[str] | None:
    """A goal or a resource of the difference, one line per part."""
    if row is None:
        return None
    if kind == "goals":
        parts = [
            (pgettext_lazy("agreement", "Goal"), row["title"]),
            (gettext_lazy("Indicator"), row["indicator"]),
            (gettext_lazy("Target value"), _figure(row["target"])),
        ]
    else:
        hours = ""
        if row["hours"] is not None:
            hours = f"{_figure(row['hours'])} {HOURS_PER.get(row['hours_per'], '')}".strip()
        parts = [
            (pgettext_lazy("resource", "Year"), str(row["year"])),
            (pgettext_lazy("resource", "Kind"), KINDS.get(row["kind"], row["kind"])),
            (gettext_lazy("Provided by"), SIDES.get(row["provided_by"], row["provided_by"])),
            (pgettext_lazy("resource", "Description"), row["description"]),
            (gettext_lazy("Euros"), _money(row["amount"])),
            (pgettext_lazy("resource", "Hours"), hours),
            (pgettext_lazy("resource", "Paid on"), _date(row["pays_on"]) if row["pays_on"] else ""),
        ]
    return [f"{label}: {value}" for label, value in parts if value]


def _value_lines(value: Any) -> list[str]:
    if isinstance(value, date):
        return [_date(value)]
    if isinstance(value, Decimal):
        return [_figure(value)]
    return [str(value)]


def _difference(older: AgreementVersion, newer: AgreementVersion) -> list[dict[str, Any]]:
    """`terms.diff` as rows a person reads: what, before, after (None: not in that version)."""
    rows = []
    for change in terms.diff(older, newer):
        row = re.fullmatch(r"(goals|resources)\[(\d+)\]", change["field"])
        if row:
            kind, number = row.groups()
            label = (_("Goal %(number)s") if kind == "goals" else _("Resource %(number)s")) % {
                "number": number
            }
            before = _row_lines(kind, change["before"])
            after = _row_lines(kind, change["after"])
        else:
            label = TERM_LABELS.get(change["field"], change["field"])
            before = _value_lines(change["before"])
            after = _value_lines(change["after"])
        rows.append({"label": label, "before": before, "after": after})
    return rows


def _signature_rows(version: AgreementVersion) -> list[dict[str, Any]]:
    """Per side (the public body, then each association): how many signatures it requires,
    who has signed and how many are still needed."""
    agreement = version.agreement
    signed: dict[tuple[str, int | None], list[Signature]] = {}
    for signature in version.signatures.all():
        signed.setdefault((signature.side, signature.association_id), []).append(signature)
    sides = [
        (
            Side.PUBLIC_BODY,
            None,
            agreement.public_body.name,
            agreement.public_body_signatures_required,
        )
    ] + [
        (Side.ASSOCIATION, p.association_id, p.association.name, p.signatures_required)
        for p in agreement.parties.all()
    ]
    return [
        {
            "side": side,
            "association_id": association_id,
            "party": party,
            "required": required,
            "signed": [
                {"name": _name(s.signer), "at": s.signed_at}
                for s in signed.get((side, association_id), [])
            ],
            "missing": max(required - len(signed.get((side, association_id), [])), 0),
        }
        for side, association_id, party, required in sides
    ]


def _may_sign(user: Any, version: AgreementVersion, rows: list[dict[str, Any]]) -> bool:
    """A signatory of a party, or a decision-maker of the body, who has not signed and
    whose side still needs a signature."""
    if any(s.signer_id == user.pk for s in version.signatures.all()):
        return False
    roles = roles_of(user)
    signs_for = roles.associations(AssociationRole.Role.SIGNATORY)
    decides = version.agreement.public_body_id in roles.public_bodies(
        OfficialRole.Role.DECISION_MAKER
    )
    return any(
        row["missing"]
        and (
            (row["side"] == Side.ASSOCIATION and row["association_id"] in signs_for)
            or (row["side"] == Side.PUBLIC_BODY and decides)
        )
        for row in rows
    )


# --- history ----------------------------------------------------------------------------------


def _history(
    user: Any,
    agreement: Agreement,
    versions: list[AgreementVersion],
    evaluations: list[Evaluation],
) -> list[dict[str, Any]]:
    """The audit trail of the agreement, its versions the person sees and its evaluations,
    oldest first. The association's people do not see the officials' internal steps: the
    API's rule (workflow.history.hidden_from)."""
    hidden = hidden_from(user, agreement)
    types = ContentType.objects.get_for_models(Agreement, AgreementVersion, Evaluation)
    by_version = {v.pk: v for v in versions}
    by_evaluation = {e.pk: e for e in evaluations}
    entries = (
        TransitionLog.objects.filter(
            Q(content_type=types[Agreement], object_id=agreement.pk)
            | Q(content_type=types[AgreementVersion], object_id__in=list(by_version))
            | Q(content_type=types[Evaluation], object_id__in=list(by_evaluation))
        )
        .exclude(transition__in=hidden)
        .select_related("actor")
        .order_by("at", "id")
    )
    rows = []
    for entry in entries:
        if entry.content_type_id == types[AgreementVersion].pk:
            version = by_version[entry.object_id]
            what = _("Version %(number)s") % {"number": version.number}
            state = _badge(VERSION_STATES, entry.to_state)
        elif entry.content_type_id == types[Evaluation].pk:
            evaluation = by_evaluation[entry.object_id]
            what = _("Evaluation %(start)s–%(end)s") % {
                "start": _date(evaluation.period_starts_on),
                "end": _date(evaluation.period_ends_on),
            }
            state = _badge(EVALUATION_STATES, entry.to_state)
        else:
            what = _("Agreement")
            state = _badge(AGREEMENT_STATES, entry.to_state)
        rows.append(
            {
                "at": entry.at,
                "what": what,
                "action": ACTIONS.get(entry.transition, entry.transition),
                "state": state,
                "actor": _name(entry.actor),
                "comment": entry.comment,
            }
        )
    return rows


# --- the agreement ------------------------------------------------------------------------------


def _agreement_or_404(user: Any, pk: int) -> Agreement:
    return get_object_or_404(
        selectors.agreements_for_user(user).select_related("public_body", "predecessor"),
        pk=pk,
    )


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
            "badge": _badge(MEETING_STATUSES, m.status),
            "may_record": liaison and in_force and not m.cancelled and m.held_on is None,
        }
        for m in sorted(agreement.meetings.all(), key=lambda m: (m.due_on, m.pk))
    ]


AGREEMENT_ACTIONS = ("renew", "terminate", "cancel")


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
    base, _why_not = _draft_base(agreement, side)
    return {
        "agreement": agreement,
        "badge": _badge(AGREEMENT_STATES, agreement.state),
        "terms": _terms_view(shown) if shown else None,
        "terms_in_force": in_force is not None,
        "shown_badge": _badge(VERSION_STATES, shown.state) if shown else None,
        "parties": [p.association for p in agreement.parties.all()],
        "versions": [
            {
                "version": v,
                "badge": _badge(VERSION_STATES, v.state),
                "author": SIDES.get(v.author_side, v.author_side),
            }
            for v in reversed(versions)
        ],
        "meetings": _meeting_rows(agreement, user),
        "evaluations": [
            {"evaluation": e, "badge": _badge(EVALUATION_STATES, e.state)} for e in evaluations
        ],
        "attachments": list(agreement.attachments.all()),
        "attachment_form": attachment_form or AttachmentForm(),
        "documents": _documents(user, agreement),
        "history": _history(user, agreement, versions, evaluations),
        "actions": [name for name in AGREEMENT_ACTIONS if name in available],
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
    agreement = _agreement_or_404(request.user, pk)
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
    agreement = _agreement_or_404(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    answer = _submit(
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


@dataclass(frozen=True)
class Action:
    """A transition a page offers: its form, what the page says of it and what it says after."""

    form: type[forms.Form]
    title: Any
    button: Any
    done: Any
    help: Any = ""
    kwargs: Callable[[Any], dict[str, Any]] = lambda record: {}
    danger: bool = False


def _transition_submit(
    request: HttpRequest,
    record: Any,
    name: str,
    form: forms.Form,
    *,
    back: str,
    done: Any,
    then: Callable[[Any], HttpResponse] | None = None,
) -> HttpResponse | None:
    """`_submit` for a transition's form: the transition `name` of `record`, by the person,
    with the form's comment and parameters."""
    return _submit(
        request,
        form,
        lambda: transition_perform(
            record, name, actor=request.user, comment=form.comment, params=form.params()
        ),
        back=back,
        done=done,
        then=then,
    )


def _action_post(
    request: HttpRequest,
    specs: dict[str, Action],
    name: str,
    load: Callable[[], Any],
    *,
    back: str,
    page: Callable[..., HttpResponse],
) -> HttpResponse:
    """A transition posted from a record's page: `name` is one of `specs` (else 404), the
    record comes from `load` (404 when the person does not see it), and a form with errors is
    `page(request, record, {name: form}, status=400)`."""
    spec = specs.get(name)
    if spec is None:
        raise Http404
    record = load()
    form = spec.form(request.POST, prefix=name, **spec.kwargs(record))
    answer = _transition_submit(request, record, name, form, back=back, done=spec.done)
    return answer or page(request, record, {name: form}, status=400)


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
}


@portal_required(PORTAL)
def agreement_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Renew, terminate or cancel: a page with the form, then the transition."""
    spec = AGREEMENT_ACTION_SPECS.get(name)
    if spec is None:
        raise Http404
    agreement = _agreement_or_404(request.user, pk)
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
    answer = _transition_submit(
        request, agreement, name, form, back=back, done=spec.done, then=then
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


# --- meetings ---------------------------------------------------------------------------------


def _liaison_only(user: Any, agreement: Agreement) -> None:
    if not is_liaison(user, agreement):
        raise PermissionDenied(_("The liaison keeps the record of the meetings."))


def _agreement_crumbs(agreement: Agreement, label: Any) -> list[tuple[Any, str | None]]:
    return [
        (_("Partnership agreements"), reverse("partnerships:home")),
        (agreement.number, reverse("partnerships:agreement", args=[agreement.pk])),
        (label, None),
    ]


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
    answer = _submit(
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
            "breadcrumbs": _agreement_crumbs(agreement, title),
            **context,
        },
        status=400 if form.is_bound else 200,
    )


@portal_required(PORTAL)
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The liaison schedules an extra cooperation meeting."""
    agreement = _agreement_or_404(request.user, pk)
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
    agreement = _agreement_or_404(request.user, pk)
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
        title=_("Record the meeting due by %(day)s") % {"day": _date(meeting.due_on)},
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


# --- drafting: a new agreement, a new version, a draft edited ---------------------------------


def _formset(cls: type, request: HttpRequest, prefix: str, initial: list, extra: int):
    """A formset of rows; on the page's "add a row" button one more blank row, without
    JavaScript."""
    if request.method != "POST":
        formset = cls(prefix=prefix, initial=initial)
        formset.extra = extra
        return formset
    data = request.POST
    if data.get("add") == prefix:
        data = data.copy()
        key = f"{prefix}-TOTAL_FORMS"
        try:
            total = int(data.get(key, ""))
        except ValueError:
            total = len(initial)
        data[key] = str(min(total + 1, cls.absolute_max))
    # Posted rows are taken as they come: a blank row is skipped whatever row it replaced.
    return cls(data, prefix=prefix)


def _terms_initial(version: AgreementVersion) -> dict[str, Any]:
    data = terms.terms_of(version)
    return {name: data[name] for name in terms.TERM_FIELDS}


@dataclass
class TermsForms:
    form: forms.Form
    goals: forms.BaseFormSet
    resources: forms.BaseFormSet
    adding: bool

    def valid(self) -> bool:
        # Every part is validated, so all errors show at once.
        results = [self.form.is_valid(), self.goals.is_valid(), self.resources.is_valid()]
        return all(results)

    def terms(self) -> dict[str, Any]:
        return {
            **self.form.terms(),
            "goals": rows_of(self.goals),
            "resources": rows_of(self.resources),
        }

    @property
    def has_errors(self) -> bool:
        return self.form.is_bound and bool(
            self.form.errors or self.goals.total_error_count() or self.resources.total_error_count()
        )

    @property
    def submitted(self) -> bool:
        """Posted to be saved, not to add a row."""
        return self.form.is_bound and not self.adding


def _terms_submit(
    request: HttpRequest, parts: TermsForms, write: Callable[[], Any], **how: Any
) -> HttpResponse | None:
    """`_submit` for the terms and their rows, once they are submitted: every part is
    checked, and the service's errors go to the terms form."""
    if not parts.submitted:
        return None
    return _submit(request, parts.form, write, valid=parts.valid(), **how)


def _terms_forms(
    request: HttpRequest,
    form_class: type[TermsForm],
    *,
    version: AgreementVersion | None,
    form_kwargs: dict[str, Any] | None = None,
    initial: dict[str, Any] | None = None,
) -> TermsForms:
    data = request.POST if request.method == "POST" else None
    rows = terms.terms_of(version) if version is not None else {"goals": [], "resources": []}
    goals, resources = rows["goals"], rows["resources"]
    parts = TermsForms(
        form=form_class(data, initial=initial or {}, **(form_kwargs or {})),
        goals=_formset(GoalFormSet, request, "goals", goals, extra=1 if goals else 2),
        resources=_formset(ResourceFormSet, request, "resources", resources, extra=2),
        adding=data is not None and data.get("add") in ("goals", "resources"),
    )
    if parts.adding:
        # A row added is not a submission: what is half filled in shows no errors yet.
        for form in (parts.form, *parts.goals.forms, *parts.resources.forms):
            form._errors = ErrorDict()
            form.cleaned_data = {}
        for formset in (parts.goals, parts.resources):
            formset._errors = [ErrorDict() for _form in formset.forms]
            formset._non_form_errors = formset.error_class()
    return parts


def _terms_page(request: HttpRequest, parts: TermsForms, context: dict[str, Any]) -> HttpResponse:
    """The terms form; once submitted and not saved, with its errors and a 400."""
    return render(
        request,
        "partnerships/terms_form.html",
        {"form": parts.form, "goals": parts.goals, "resources": parts.resources, **context},
        status=400 if parts.submitted else 200,
    )


@portal_required(PORTAL)
def agreement_create(request: HttpRequest) -> HttpResponse:
    """A liaison or an association's representative starts an agreement: the parties, the
    term, its purpose, each side's responsibilities, goals, resources and cadences."""
    user = request.user
    roles = roles_of(user)
    liaison_of = roles.public_bodies(OfficialRole.Role.LIAISON)
    represents = roles.associations(AssociationRole.Role.REPRESENTATIVE)
    if not liaison_of and not represents:
        raise PermissionDenied(_("Only a liaison or an association's representative starts one."))
    bodies = PublicBody.objects.order_by("name")
    if not represents:
        bodies = bodies.filter(pk__in=liaison_of)
    initial = {"associations": sorted(represents)} if represents else {}
    parts = _terms_forms(
        request,
        AgreementCreateForm,
        version=None,
        initial=initial,
        form_kwargs={"bodies": bodies, "associations": Association.objects.order_by("name")},
    )

    def create() -> Agreement:
        data = parts.form.cleaned_data
        associations = list(data["associations"])
        return services.agreement_create(
            user=user,
            public_body=data["public_body"],
            associations=associations,
            terms_given=parts.terms(),
            signatures_required={a.pk: data["signatures_required"] for a in associations},
        )

    answer = _terms_submit(
        request,
        parts,
        create,
        back=reverse("partnerships:home"),
        done=_("The draft has been saved. Only your side sees it until you propose it."),
        then=lambda agreement: redirect("partnerships:version", pk=agreement.pk, number=1),
    )
    if answer:
        return answer
    return _terms_page(
        request,
        parts,
        {
            "title": _("New partnership agreement"),
            "action_url": reverse("partnerships:agreement_create"),
            "button": pgettext_lazy("button", "Save the draft"),
            "breadcrumbs": [
                (_("Partnership agreements"), reverse("partnerships:home")),
                (_("New partnership agreement"), None),
            ],
        },
    )


def _draft_base(agreement: Agreement, side: str | None) -> tuple[AgreementVersion | None, str]:
    """The terms a new version by the person's side starts from, or why none can be drafted
    now (services.draft_base)."""
    if side is None:
        return None, ""
    try:
        return services.draft_base(agreement, side), ""
    except TransitionConflict as conflict:
        return None, conflict.message


@portal_required(PORTAL)
def version_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft a new version from the newest terms on the table (a counter-proposal) or from the
    terms in force (an amendment)."""
    agreement = _agreement_or_404(request.user, pk)
    side = side_of(request.user, agreement)
    if side is None:
        raise PermissionDenied(_("You act for neither side of this agreement."))
    base, why_not = _draft_base(agreement, side)
    if base is None:
        messages.error(request, why_not)
        return redirect("partnerships:agreement", pk=agreement.pk)
    parts = _terms_forms(request, TermsForm, version=base, initial=_terms_initial(base))
    answer = _terms_submit(
        request,
        parts,
        lambda: services.version_draft(
            agreement,
            user=request.user,
            terms_given=parts.terms(),
            change_note=parts.form.cleaned_data["change_note"],
        ),
        back=reverse("partnerships:agreement", args=[agreement.pk]),
        done=_("The new version has been saved as a draft. Propose it when it is ready."),
        then=lambda version: redirect(
            "partnerships:version", pk=agreement.pk, number=version.number
        ),
    )
    if answer:
        return answer
    title = _("New version of %(number)s") % {"number": agreement.number}
    return _terms_page(
        request,
        parts,
        {
            "title": title,
            "lead": _("Starts from version %(number)s. Change what you want to change.")
            % {"number": base.number},
            "agreement": agreement,
            "action_url": reverse("partnerships:version_draft", args=[agreement.pk]),
            "button": pgettext_lazy("button", "Save the draft"),
            "breadcrumbs": _agreement_crumbs(agreement, title),
        },
    )


def _version_or_404(user: Any, pk: int, number: int) -> AgreementVersion:
    """The version if the person sees it; what the page needs loaded with it (the selector
    decides what is visible, its prefetches are replaced by the page's)."""
    return get_object_or_404(
        selectors.versions_for_user(user)
        .select_related("agreement__public_body", "agreement__liaison", "agreement__contact")
        .prefetch_related(None)
        .prefetch_related(
            "goals",
            "resources",
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


@portal_required(PORTAL)
def version_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Edit a draft: only its author's side, only until it is proposed."""
    version = _version_or_404(request.user, pk, number)
    back = reverse("partnerships:version", args=[pk, number])
    if side_of(request.user, version) != version.author_side:
        raise PermissionDenied(_("Only the side that wrote the draft edits it."))
    if version.state != S.DRAFT:
        messages.error(request, _("A proposed version is not edited: draft a new version instead."))
        return redirect(back)
    initial = {**_terms_initial(version), "change_note": version.change_note}
    parts = _terms_forms(request, TermsForm, version=version, initial=initial)
    answer = _terms_submit(
        request,
        parts,
        lambda: services.version_update(
            version,
            user=request.user,
            terms_given=parts.terms(),
            change_note=parts.form.cleaned_data["change_note"],
        ),
        back=back,
        done=_("The draft has been saved."),
    )
    if answer:
        return answer
    title = _("Edit version %(number)s") % {"number": version.number}
    agreement = version.agreement
    return _terms_page(
        request,
        parts,
        {
            "title": title,
            "agreement": agreement,
            "action_url": reverse("partnerships:version_edit", args=[pk, number]),
            "button": pgettext_lazy("button", "Save the draft"),
            "breadcrumbs": [
                (_("Partnership agreements"), reverse("partnerships:home")),
                (agreement.number, reverse("partnerships:agreement", args=[pk])),
                (
                    _("Version %(number)s") % {"number": version.number},
                    back,
                ),
                (title, None),
            ],
        },
    )


# --- a version: its terms, difference, comments and the actions on it ------------------------


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
    ),
    "return_to_negotiation": Action(
        ReturnToNegotiationForm,
        pgettext_lazy("action", "Return to negotiation"),
        pgettext_lazy("button", "Return to negotiation"),
        gettext_lazy("The version has been returned to negotiation."),
        gettext_lazy("The review stops and the sides negotiate again."),
        danger=True,
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
    signatures = _signature_rows(version)
    if not _may_sign(user, version, signatures):
        available.discard("sign")
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
        "badge": _badge(VERSION_STATES, version.state),
        "author": SIDES.get(version.author_side, version.author_side),
        "outcome": OUTCOMES.get(version.outcome, ""),
        "terms": _terms_view(version),
        "difference": _difference(version.based_on, version) if version.based_on else None,
        "signatures": signatures,
        "show_signatures": version.state in (S.APPROVED, S.AWAITING_SIGNATURES, S.IN_FORCE)
        or bool(version.signatures.all()),
        "actions": actions,
        "runs": runs,
        "comments": _comments(version),
        "comment_form": bound.get("comment") or CommentForm(prefix="comment"),
        "may_comment": side is not None
        and version.state in AgreementVersion.OPEN_STATES
        and (version.state != S.DRAFT or side == version.author_side),
        "may_edit": version.state == S.DRAFT and side == version.author_side,
        "may_draft": version.state in (S.NEGOTIATION, S.AGREED)
        and _draft_base(agreement, side)[0] == version,
        "breadcrumbs": [
            (_("Partnership agreements"), reverse("partnerships:home")),
            (agreement.number, reverse("partnerships:agreement", args=[agreement.pk])),
            (label, None),
        ],
    }


def _comments(version: AgreementVersion) -> list[dict[str, Any]]:
    return [
        {"comment": c, "author": _name(c.author), "side": SIDES.get(c.side, c.side)}
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
    return _version_page(request, _version_or_404(request.user, pk, number))


@require_POST
@portal_required(PORTAL)
def version_action(request: HttpRequest, pk: int, number: int, name: str) -> HttpResponse:
    """One transition of the version: propose, accept, withdraw, submit for review, record a
    step, return to negotiation, decide or sign."""
    return _action_post(
        request,
        VERSION_ACTIONS,
        name,
        lambda: _version_or_404(request.user, pk, number),
        back=reverse("partnerships:version", args=[pk, number]),
        page=_version_page,
    )


@require_POST
@portal_required(PORTAL)
def version_comment(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A comment from either side; with htmx the comments are swapped in place, and so is
    the form with its errors (a 400 the form's data-swap-errors lets htmx swap)."""
    version = _version_or_404(request.user, pk, number)
    form = CommentForm(request.POST, prefix="comment")
    back = reverse("partnerships:version", args=[pk, number])

    def added(_comment: VersionComment) -> HttpResponse:
        if not request.htmx:
            return redirect(back + "#comments")
        # The comments again, the new one with them; the message comes out of band.
        context = _version_context(request, _version_or_404(request.user, pk, number), {})
        context["added"] = True
        return render(request, "partnerships/_comments.html", context)

    answer = _submit(
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


# --- evaluations ------------------------------------------------------------------------------


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
        meeting.label = _date(meeting.held_on)
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
        "start": _date(evaluation.period_starts_on),
        "end": _date(evaluation.period_ends_on),
    }
    today = timezone.localdate()
    return render(
        request,
        "partnerships/evaluation.html",
        {
            "evaluation": evaluation,
            "agreement": agreement,
            "title": title,
            "badge": _badge(EVALUATION_STATES, evaluation.state),
            "overdue": evaluation.state == E.DUE and evaluation.due_on < today,
            "results": [
                {
                    "result": r,
                    "target": _figure(r.goal.target),
                    "value": _figure(r.value),
                }
                for r in evaluation.results.all()
            ],
            "actions": actions,
            "record_meeting_first": "evaluate" in available and not _held_meetings(evaluation),
            "breadcrumbs": _agreement_crumbs(agreement, title),
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
    return _action_post(
        request,
        EVALUATION_ACTIONS,
        name,
        lambda: _evaluation_or_404(request.user, pk, evaluation_pk),
        back=reverse("partnerships:evaluation", args=[pk, evaluation_pk]),
        page=_evaluation_page,
    )
