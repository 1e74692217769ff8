"""The association portal: an association's people and their applications, reports and decisions.

Every record is read through the selectors, narrowed to the person's own associations (an
official who also belongs to an association sees here only the association's side), so a
foreign record is a 404. Writes go through `grants.services` and `transition_perform`; a
ValidationError comes back as field errors with status 400 and nothing saved, a refused state
change as a message (or 409 when the form is shown again).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from agreements.models import AgreementVersion, Evaluation
from agreements.selectors import evaluations_for_user, versions_for_user
from documents.downloads import docx_response, file_response
from documents.models import GeneratedDocument
from documents.selectors import subject_documents_for
from documents.services import DECISION_KINDS
from grants import selectors, services
from grants.models import Application, Call, FollowUpReport
from grants.portal_forms import (
    MAX_BUDGET_LINES,
    ApplicationForm,
    BudgetLineFormSet,
    CompletionReplyForm,
    RectificationForm,
    ReportForm,
    WithdrawForm,
    attachment_limits,
    budget_lines,
)
from organisations.models import Association, AssociationRole
from organisations.roles import roles_of
from portal.portals import portal_required
from portal.templatetags.formats import money
from workflow.api import MAX_ID, parse_id
from workflow.calendar import (
    calendar_feed_for_association,
    calendar_feed_rotate,
    feed_url,
    feeds_visible_to,
    may_rotate,
)
from workflow.errors import TransitionConflict
from workflow.history import history_for
from workflow.messages import subject_of
from workflow.models import Notification, TransitionLog
from workflow.transitions import available_transitions, transition_perform

S = Application.State
PORTAL = "associations"
PAGE_SIZE = 25

# The audit log's entries as the association reads them in its timeline.
EVENT_LABELS = {
    "create": gettext_lazy("Draft created"),
    "edit": gettext_lazy("Draft edited"),
    "attach": gettext_lazy("Attachment added"),
    "submit": gettext_lazy("Application submitted"),
    "resubmit": gettext_lazy("Completed application sent"),
    "withdraw": gettext_lazy("Application withdrawn"),
    "expire": gettext_lazy("Draft expired when the call closed"),
    "request_completion": gettext_lazy("Completion requested"),
    "start_review": gettext_lazy("Review started"),
    "decide": gettext_lazy("Decision made"),
    "notify": gettext_lazy("Decision sent"),
    "file_rectification": gettext_lazy("Request for rectification filed"),
    "decide_rectification": gettext_lazy("Request for rectification decided"),
    "become_legally_valid": gettext_lazy("Decision became legally valid"),
    "record_payment": gettext_lazy("Payment made"),
    "reverse_payment": gettext_lazy("Payment corrected"),
    "submit_report": gettext_lazy("Report submitted"),
    "return_report": gettext_lazy("Report returned for completion"),
    "accept_report": gettext_lazy("Report accepted"),
    "close": gettext_lazy("Application closed"),
}
STATE_TONES = {
    S.DRAFT: "neutral",
    S.SUBMITTED: "info",
    S.RETURNED: "warning",
    S.IN_REVIEW: "info",
    S.DECIDED: "info",
    S.NOTIFIED: "info",
    S.UNDER_RECTIFICATION: "info",
    S.LEGALLY_VALID: "success",
    S.PAID: "warning",
    S.REPORT_SUBMITTED: "info",
    S.REPORT_RETURNED: "warning",
    S.CLOSED: "success",
    S.WITHDRAWN: "neutral",
    S.EXPIRED: "neutral",
}
REPORT_STATES = (S.PAID, S.REPORT_RETURNED)


# --- reading ----------------------------------------------------------------------------------


def _association_ids(user: Any) -> frozenset[int]:
    return roles_of(user).all_associations


def _represented(user: Any) -> QuerySet[Association]:
    """The associations where the person may write applications."""
    ids = roles_of(user).associations(AssociationRole.Role.REPRESENTATIVE)
    return Association.objects.filter(pk__in=ids).order_by("name", "pk")


def _applications(user: Any) -> QuerySet[Application]:
    """The applications of the person's own associations (officials' access left out)."""
    return selectors.applications_for_user(user).filter(association_id__in=_association_ids(user))


def _application_or_404(user: Any, pk: int) -> Application:
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(
        _applications(user).select_related("report").prefetch_related("attachments"), pk=pk
    )


def _call_or_404(user: Any, pk: int) -> Call:
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(selectors.calls_for_user(user), pk=pk)


def _tone(application: Application) -> str:
    return STATE_TONES.get(application.state, "neutral")


def _is_representative(user: Any, application: Application) -> bool:
    return application.association_id in roles_of(user).associations(
        AssociationRole.Role.REPRESENTATIVE
    )


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _link(name: str, *args: Any, fallback: str) -> str:
    """A page of another portal when it exists, else that portal's home."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse(fallback)


def _breadcrumbs(*trail: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return [(gettext_lazy("Association portal"), reverse("associations:home")), *trail]


# --- home -------------------------------------------------------------------------------------


@dataclass
class Task:
    """Something waiting for the person: what, for which association, by when, and where."""

    title: str
    what: str
    association: str
    due_on: date | None
    url: str
    urgent: bool = False


def _application_tasks(user: Any) -> list[Task]:
    today = timezone.localdate()
    waiting = (
        _applications(user)
        .filter(state__in=[S.DRAFT, S.RETURNED, *REPORT_STATES])
        .prefetch_related(None)
        .order_by("created_at", "id")
    )
    tasks = []
    for application in waiting:
        url = reverse("associations:application", args=[application.pk])
        if application.state == S.DRAFT:
            if not application.call.is_open():
                continue
            due = timezone.localdate(application.call.closes_at)
            what = _("Draft: submit it before the call closes")
        elif application.state == S.RETURNED:
            due = application.completion_due_on
            what = _("Request for completion: complete and send the application")
            url = reverse("associations:edit", args=[application.pk])
        else:
            due = application.report_due_on
            what = _("Follow-up report due")
            url = reverse("associations:report", args=[application.pk])
        tasks.append(
            Task(
                title=application.call.name,
                what=what,
                association=application.association.name,
                due_on=due,
                url=url,
                urgent=due is not None and due <= today,
            )
        )
    return tasks


def _agreement_tasks(user: Any) -> list[Task]:
    """Agreement versions waiting for the person's signature or answer, and evaluations due.
    Whether the person may act is the transitions' own rule (`available_transitions`)."""
    tasks = []
    versions = versions_for_user(user).filter(
        state__in=[
            AgreementVersion.S.NEGOTIATION,
            AgreementVersion.S.APPROVED,
            AgreementVersion.S.AWAITING_SIGNATURES,
        ]
    )
    for version in versions:
        names = available_transitions(version, user)
        url = _link(
            "partnerships:version",
            version.agreement_id,
            version.number,
            fallback="partnerships:home",
        )
        signed = any(s.signer_id == user.pk for s in version.signatures.all())
        if "sign" in names and not signed:
            what = _("Agreement awaiting your signature")
        elif "accept" in names:
            what = _("Agreement proposal to read, comment on and accept")
        else:
            continue
        tasks.append(
            Task(
                title=version.title,
                what=what,
                association="",
                due_on=None,
                url=url,
            )
        )
    today = timezone.localdate()
    for evaluation in evaluations_for_user(user).filter(state=Evaluation.S.DUE):
        if "submit" not in available_transitions(evaluation, user):
            continue
        terms = evaluation.agreement.in_force_version
        tasks.append(
            Task(
                title=terms.title if terms else evaluation.agreement.number,
                what=_("Yearly evaluation of the agreement due"),
                association="",
                due_on=evaluation.due_on,
                url=_link(
                    "partnerships:evaluation",
                    evaluation.agreement_id,
                    evaluation.pk,
                    fallback="partnerships:home",
                ),
                urgent=evaluation.due_on <= today,
            )
        )
    return tasks


def _notifications(user: Any) -> QuerySet[Notification]:
    """The person's in-app list (workflow.inbox): their own notifications, newest first."""
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-id")


@dataclass
class NotificationRow:
    notification: Notification
    subject: str
    # The page the message is about, as its email links to it (none on older messages).
    path: str


def _notification_rows(notifications: Iterable[Notification]) -> list[NotificationRow]:
    rows = []
    for notification in notifications:
        try:
            subject = subject_of(notification)
        except TemplateDoesNotExist:
            subject = notification.context.get("title") or notification.kind
        rows.append(NotificationRow(notification, subject, notification.context.get("path", "")))
    return rows


@portal_required(PORTAL)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = roles_of(user)
    held: dict[int, list[str]] = {}
    for role, ids in roles.association.items():
        for association_id in ids:
            held.setdefault(association_id, []).append(AssociationRole.Role(role).label)
    associations = list(Association.objects.filter(pk__in=held).order_by("name", "pk"))
    tasks = _application_tasks(user) + _agreement_tasks(user)
    tasks.sort(key=lambda t: (t.due_on is None, t.due_on or date.max, t.title))
    feeds = [
        (feed, feed_url(feed), may_rotate(feed, user))
        for feed in (calendar_feed_for_association(a, user) for a in associations)
    ]
    notifications = _notifications(user)
    return render(
        request,
        "associations/home.html",
        {
            "associations": [(a, held[a.pk]) for a in associations],
            "tasks": tasks,
            "notifications": _notification_rows(notifications[:5]),
            "unread": notifications.filter(read_at__isnull=True).count(),
            "feeds": feeds,
        },
    )


@portal_required(PORTAL)
@require_POST
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    """A new address for an association's calendar feed; the old one stops working."""
    feed_id = parse_id(request.POST.get("feed", ""))
    if feed_id is None:
        raise Http404
    feed = get_object_or_404(
        feeds_visible_to(request.user).filter(association__isnull=False), pk=feed_id
    )
    calendar_feed_rotate(feed, request.user)  # PermissionDenied: 403
    messages.success(
        request,
        _("The calendar has a new address. Subscribe to it again in your calendar application."),
    )
    return redirect(reverse("associations:home") + "#calendar")


# --- calls ------------------------------------------------------------------------------------


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
            "page_obj": _page(request, open_calls),
            "breadcrumbs": _breadcrumbs((gettext_lazy("Open calls"), None)),
        },
    )


@portal_required(PORTAL)
def call(request: HttpRequest, pk: int) -> HttpResponse:
    the_call = _call_or_404(request.user, pk)
    mine = (
        _applications(request.user)
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
            "applications": [(a, _tone(a)) for a in mine],
            "may_apply": _represented(request.user).exists(),
            "limits": attachment_limits(),
            "breadcrumbs": _breadcrumbs(
                (gettext_lazy("Open calls"), reverse("associations:calls")),
                (the_call.name, None),
            ),
        },
    )


# --- the application form ---------------------------------------------------------------------

# The services name the upload `file`; the form's field takes several.
_FIELD_ALIASES = {"file": "files"}


def _apply_errors(error: ValidationError, *forms: Any, budget: list[str] | None = None) -> None:
    """A service's ValidationError as form errors: each message goes next to the field it
    names, the budget's to `budget` (shown by the budget lines), the rest above the form."""
    if not hasattr(error, "error_dict"):
        forms[0].add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        field = _FIELD_ALIASES.get(field, field)
        if field == "budget_lines" and budget is not None:
            budget.extend(errors)
            continue
        owner = next((f for f in forms if field in f.fields), None)
        if owner is None:
            forms[0].add_error(None, errors)
        else:
            owner.add_error(field, errors)


def _conflict_message(conflict: TransitionConflict, application: Application | None) -> str:
    """What a refused state change says to the person: the condition's own reason (the call
    has closed...), or that the application has moved on meanwhile."""
    if conflict.code == "invalid_state" and application is not None:
        application.refresh_from_db(fields=["state"])
        return _("This cannot be done now: the application is %(state)s.") % {
            "state": application.get_state_display().lower()
        }
    return conflict.message


def _budget_total(formset: Any) -> Decimal:
    """The budget's sum as the page shows it before app.js takes over: of the lines sent
    (those that read as amounts), or of the saved lines."""
    total = Decimal(0)
    for form in formset.forms:
        if form.is_bound:
            amount = getattr(form, "cleaned_data", {}).get("amount")
        else:
            amount = form.initial.get("amount")
        if amount:
            total += Decimal(amount)
    return total


def _form_context(
    call: Call,
    application: Application | None,
    *,
    form: ApplicationForm,
    formset: Any,
    reply: CompletionReplyForm | None = None,
    budget_errors: list[str] = (),
) -> dict[str, Any]:
    if application is None:
        trail = (
            (call.name, reverse("associations:call", args=[call.pk])),
            (gettext_lazy("New application"), None),
        )
    else:
        trail = (
            (call.name, reverse("associations:application", args=[application.pk])),
            (gettext_lazy("Edit the application"), None),
        )
    return {
        "call": call,
        "application": application,
        "form": form,
        "formset": formset,
        "reply": reply or CompletionReplyForm(),
        "attachments": list(application.attachments.all()) if application else [],
        "budget_errors": list(budget_errors),
        "total": _budget_total(formset),
        # Files are not sent back to the browser: after an error they must be chosen again.
        "files_lost": form.is_bound and bool(form.files) and bool(form.errors or budget_errors),
        "breadcrumbs": _breadcrumbs(*trail),
    }


def _sent_message(transition: str) -> str:
    if transition == "resubmit":
        return _("The completed application was sent to the official.")
    return _("The application was sent. You will get a message when it has been decided.")


def _save(
    request: HttpRequest,
    application: Application | None,
    *,
    call: Call,
    form: ApplicationForm,
    formset: Any,
    reply: CompletionReplyForm,
) -> tuple[Application, str]:
    """Create or update the application, add the new attachments and, when the person pressed
    the send button, submit it: all in one transaction, so an error anywhere saves nothing.
    Returns the application and the transition performed ("" for a saved draft)."""
    data = form.cleaned_data
    with transaction.atomic():
        if application is None:
            application = services.application_create(
                user=request.user,
                call=call,
                association=data["association"],
                requested_amount=data["requested_amount"],
                purpose=data["purpose"],
                budget_lines=budget_lines(formset),
            )
        else:
            services.application_update(
                application,
                user=request.user,
                requested_amount=data["requested_amount"],
                purpose=data["purpose"],
                budget_lines=budget_lines(formset),
            )
        for upload in data["files"]:
            services.attachment_add(application, user=request.user, upload=upload)
        transition = ""
        if "send" in request.POST:
            transition = "resubmit" if application.state == S.RETURNED else "submit"
            application = transition_perform(
                application,
                transition,
                actor=request.user,
                comment=reply.cleaned_data.get("comment", ""),
            )
    return application, transition


def _form_post(
    request: HttpRequest,
    call: Call,
    application: Application | None,
    form: ApplicationForm,
) -> HttpResponse:
    """The application form sent: saved and redirected, or shown again with the errors
    (400, or 409 when the state refused) and nothing saved."""
    formset = BudgetLineFormSet(request.POST, prefix="lines")
    reply = CompletionReplyForm(request.POST)
    budget_errors: list[str] = []
    status = 400
    if all([form.is_valid(), formset.is_valid(), reply.is_valid()]):
        try:
            saved, transition = _save(
                request, application, call=call, form=form, formset=formset, reply=reply
            )
        except ValidationError as error:
            _apply_errors(error, form, reply, budget=budget_errors)
        except TransitionConflict as conflict:
            form.add_error(None, _conflict_message(conflict, application))
            status = 409
        else:
            if transition:
                messages.success(request, _sent_message(transition))
                return redirect("associations:application", pk=saved.pk)
            messages.success(
                request,
                _("The draft was saved. You can come back to it until the call closes."),
            )
            return redirect("associations:edit", pk=saved.pk)
    context = _form_context(
        call, application, form=form, formset=formset, reply=reply, budget_errors=budget_errors
    )
    return render(request, "associations/application_form.html", context, status=status)


@portal_required(PORTAL)
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """A new application to a call, for one of the person's associations: saved as a draft,
    or sent at once."""
    the_call = _call_or_404(request.user, pk)
    associations = _represented(request.user)
    if not associations:
        raise PermissionDenied(_("Only an association's representatives write its applications."))
    if not the_call.is_open():
        messages.error(request, _("The call is not open for applications."))
        return redirect("associations:call", pk=the_call.pk)
    maximum = money(the_call.max_per_application)
    if request.method == "POST":
        form = ApplicationForm(
            request.POST, request.FILES, associations=associations, maximum=maximum
        )
        return _form_post(request, the_call, None, form)
    form = ApplicationForm(associations=associations, maximum=maximum)
    formset = BudgetLineFormSet(prefix="lines")
    context = _form_context(the_call, None, form=form, formset=formset)
    return render(request, "associations/application_form.html", context)


def _initial_formset(application: Application) -> Any:
    return BudgetLineFormSet(
        initial=[
            {"description": line.description, "amount": line.amount}
            for line in application.budget_lines.all()
        ],
        prefix="lines",
    )


def _bound_forms(application: Application) -> tuple[ApplicationForm, Any]:
    """The stored application as if sent back in the form: what the submit button of the
    application's page shows when sending failed, so the errors land next to the fields."""
    lines = list(application.budget_lines.all())
    data = {
        "requested_amount": str(application.requested_amount),
        "purpose": application.purpose,
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(lines)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": str(MAX_BUDGET_LINES),
    }
    for i, line in enumerate(lines):
        data[f"lines-{i}-description"] = line.description
        data[f"lines-{i}-amount"] = str(line.amount)
    form = ApplicationForm(data, maximum=money(application.call.max_per_application))
    formset = BudgetLineFormSet(data, prefix="lines")
    form.is_valid()
    formset.is_valid()
    return form, formset


def _editable_or_redirect(request: HttpRequest, application: Application) -> HttpResponse | None:
    if not _is_representative(request.user, application):
        raise PermissionDenied(_("Only the association's representatives edit its applications."))
    if application.state not in services.EDITABLE_STATES:
        messages.error(request, _("The application can no longer be edited."))
        return redirect("associations:application", pk=application.pk)
    return None


@portal_required(PORTAL)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft, or complete an application returned for completion; "save and send"
    submits (or resubmits) it in the same transaction."""
    application = _application_or_404(request.user, pk)
    refused = _editable_or_redirect(request, application)
    if refused is not None:
        return refused
    maximum = money(application.call.max_per_application)
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, maximum=maximum)
        return _form_post(request, application.call, application, form)
    form = ApplicationForm(
        initial={"requested_amount": application.requested_amount, "purpose": application.purpose},
        maximum=maximum,
    )
    context = _form_context(
        application.call, application, form=form, formset=_initial_formset(application)
    )
    return render(request, "associations/application_form.html", context)


@portal_required(PORTAL)
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The submit button of the application's page: sends the application as it is saved.
    When it is not complete, the form comes back with the errors next to its fields."""
    application = _application_or_404(request.user, pk)
    refused = _editable_or_redirect(request, application)
    if refused is not None:
        return refused
    transition = "resubmit" if application.state == S.RETURNED else "submit"
    try:
        transition_perform(application, transition, actor=request.user)
    except ValidationError as error:
        form, formset = _bound_forms(application)
        budget_errors: list[str] = []
        _apply_errors(error, form, budget=budget_errors)
        context = _form_context(
            application.call, application, form=form, formset=formset, budget_errors=budget_errors
        )
        return render(request, "associations/application_form.html", context, status=400)
    except TransitionConflict as conflict:
        messages.error(request, _conflict_message(conflict, application))
        return redirect("associations:application", pk=application.pk)
    messages.success(request, _sent_message(transition))
    return redirect("associations:application", pk=application.pk)


@portal_required(PORTAL)
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    application = _application_or_404(request.user, pk)
    found = next((a for a in application.attachments.all() if a.pk == attachment_pk), None)
    if found is None:
        raise Http404
    return file_response(found.file, found.name, found.content_type)


# --- confirming a state change with a comment ---------------------------------------------------


def _perform(
    request: HttpRequest,
    application: Application,
    transition: str,
    form: Form,
    *,
    done: str,
    comment: str = "",
    params: dict[str, Any] | None = None,
) -> HttpResponse | None:
    """Perform the state change a valid form asks for, then back to the application's page
    with `done` (or, when the state refused, the reason). None when the transition refused the
    input: its errors are on the form, to be shown again with status 400 and nothing saved."""
    try:
        transition_perform(
            application, transition, actor=request.user, comment=comment, params=params
        )
    except ValidationError as error:
        _apply_errors(error, form)
        return None
    except TransitionConflict as conflict:
        messages.error(request, _conflict_message(conflict, application))
    else:
        messages.success(request, done)
    return redirect("associations:application", pk=application.pk)


def _confirm(
    request: HttpRequest,
    pk: int,
    *,
    transition: str,
    form_class: type[Form],
    template: str,
    title: str | Promise,
    not_representative: str,
    not_now: str,
    done: str,
) -> HttpResponse:
    """A page where a representative confirms a state change of the application with a
    comment: the form, then the change. Someone else of the association gets 403 (with
    `not_representative`), a representative whose application's state no longer allows it
    `not_now` on the application's page; an invalid comment is 400 with nothing saved."""
    application = _application_or_404(request.user, pk)
    if transition not in available_transitions(application, request.user):
        if not _is_representative(request.user, application):
            raise PermissionDenied(not_representative)
        messages.error(request, not_now)
        return redirect("associations:application", pk=application.pk)
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            performed = _perform(
                request,
                application,
                transition,
                form,
                done=done,
                comment=form.cleaned_data["comment"],
            )
            if performed is not None:
                return performed
    return render(
        request,
        template,
        {
            "application": application,
            "form": form,
            "breadcrumbs": _breadcrumbs(
                (
                    application.call.name,
                    reverse("associations:application", args=[application.pk]),
                ),
                (title, None),
            ),
        },
        status=status,
    )


@portal_required(PORTAL)
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the application, until it has been decided: it will not be handled."""
    return _confirm(
        request,
        pk,
        transition="withdraw",
        form_class=WithdrawForm,
        template="associations/withdraw.html",
        title=gettext_lazy("Withdraw the application"),
        not_representative=_("Only the association's representatives withdraw its applications."),
        not_now=_("The application can no longer be withdrawn."),
        done=_("The application was withdrawn."),
    )


# --- the application's page --------------------------------------------------------------------


@dataclass
class Event:
    at: Any
    label: str
    actor: str
    comment: str
    times: int = 1


def _log(application: Application) -> QuerySet[TransitionLog]:
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=application.pk
    )


def _timeline(user: Any, application: Application) -> list[Event]:
    """The audit log as the association may read it: without the officials' internal entries
    (the same rule as the API's history), consecutive edits of a draft shown as one."""
    entries = history_for(user, application)
    events: list[Event] = []
    for entry in entries:
        actor = (
            (entry.actor.get_full_name() or entry.actor.get_username())
            if entry.actor
            else _("The system")
        )
        label = EVENT_LABELS.get(entry.transition) or entry.transition.replace("_", " ")
        previous = events[-1] if events else None
        if (
            entry.transition == "edit"
            and previous is not None
            and previous.label == label
            and previous.actor == actor
        ):
            previous.at = entry.at
            previous.times += 1
            continue
        events.append(Event(entry.at, str(label), actor, entry.comment))
    return events


def _report_of(application: Application) -> FollowUpReport | None:
    # Loaded with the application (select_related); a missing one raises AttributeError.
    return getattr(application, "report", None)


def _decision_documents(user: Any, application: Application) -> QuerySet[GeneratedDocument]:
    """The decisions on the application, as documents.selectors lets the person see them."""
    return (
        subject_documents_for(user, application)
        .filter(kind__in=DECISION_KINDS)
        .order_by("-created_at", "-version")
    )


@portal_required(PORTAL)
def application(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    app = _application_or_404(user, pk)
    names = set(available_transitions(app, user))
    report = _report_of(app)
    decided = app.decided_at is not None and app.state not in (S.DRAFT, S.SUBMITTED)
    return render(
        request,
        "associations/application.html",
        {
            "application": app,
            "tone": _tone(app),
            "representative": _is_representative(user, app),
            "editable": app.state in services.EDITABLE_STATES and _is_representative(user, app),
            "may_submit": "submit" in names,
            "may_resubmit": "resubmit" in names,
            "may_withdraw": "withdraw" in names,
            "may_report": "submit_report" in names,
            "may_rectify": "file_rectification" in names,
            "decided": decided,
            "documents": list(_decision_documents(user, app)) if decided else [],
            "payments": app.payments,
            "report": report,
            "events": _timeline(user, app),
            "budget_total": sum((line.amount for line in app.budget_lines.all()), Decimal(0)),
            "breadcrumbs": _breadcrumbs(
                (
                    pgettext_lazy("association portal", "Applications"),
                    reverse("associations:applications"),
                ),
                (app.call.name, None),
            ),
        },
    )


@portal_required(PORTAL)
def document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A decision document of the person's association's application: the .docx of record,
    or its PDF copy (?format=pdf) when one was made. The same rule as documents.api: the
    application must be visible to the person (here: their own association's)."""
    app = _application_or_404(request.user, pk)
    if document_pk > MAX_ID:
        raise Http404
    doc = get_object_or_404(_decision_documents(request.user, app), pk=document_pk)
    stem = f"{doc.get_kind_display()} {app.decision_number or app.pk} v{doc.version}"
    if request.GET.get("format") == "pdf":
        if not doc.pdf:
            raise Http404
        return file_response(doc.pdf, f"{stem}.pdf", "application/pdf")
    return docx_response(doc, f"{stem}.docx")


@portal_required(PORTAL)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The follow-up report, due once the grant has been paid (or again when it came back)."""
    app = _application_or_404(request.user, pk)
    if app.state not in REPORT_STATES:
        messages.error(request, _("A report is not due for this application now."))
        return redirect("associations:application", pk=app.pk)
    if "submit_report" not in available_transitions(app, request.user):
        raise PermissionDenied(_("Only the association's representatives submit its reports."))
    previous = _report_of(app)
    initial = (
        {"activities": previous.activities, "amount_used": previous.amount_used} if previous else {}
    )
    form = ReportForm(request.POST or None, initial=initial, granted=money(app.granted_amount))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            performed = _perform(
                request,
                app,
                "submit_report",
                form,
                done=_("The report was sent. Thank you."),
                params={
                    "activities": form.cleaned_data["activities"],
                    "amount_used": form.cleaned_data["amount_used"],
                },
            )
            if performed is not None:
                return performed
    returned = None
    if app.state == S.REPORT_RETURNED:
        returned = _log(app).filter(transition="return_report").order_by("-at", "-id").first()
    return render(
        request,
        "associations/report.html",
        {
            "application": app,
            "form": form,
            "returned": returned,
            "breadcrumbs": _breadcrumbs(
                (app.call.name, reverse("associations:application", args=[app.pk])),
                (gettext_lazy("Follow-up report"), None),
            ),
        },
        status=status,
    )


@portal_required(PORTAL)
@require_http_methods(["GET", "POST"])
def rectification(request: HttpRequest, pk: int) -> HttpResponse:
    """A request for rectification of the decision, within the appeal period (Local Government
    Act 134 §: 14 days from notification)."""
    return _confirm(
        request,
        pk,
        transition="file_rectification",
        form_class=RectificationForm,
        template="associations/rectification.html",
        title=gettext_lazy("Request for rectification"),
        not_representative=_("Only the association's representatives request rectification."),
        not_now=_("A request for rectification cannot be made now."),
        done=_("The request for rectification was filed. You will get its decision."),
    )


# --- lists ------------------------------------------------------------------------------------


@portal_required(PORTAL)
def applications(request: HttpRequest) -> HttpResponse:
    rows = _applications(request.user).prefetch_related(None).order_by("-created_at", "-id")
    page_obj = _page(request, rows)
    return render(
        request,
        "associations/applications.html",
        {
            "page_obj": page_obj,
            "rows": [(a, _tone(a)) for a in page_obj],
            "breadcrumbs": _breadcrumbs(
                (pgettext_lazy("association portal", "Applications"), None)
            ),
        },
    )


@portal_required(PORTAL)
def notifications(request: HttpRequest) -> HttpResponse:
    page_obj = _page(request, _notifications(request.user))
    return render(
        request,
        "associations/notifications.html",
        {
            "page_obj": page_obj,
            "rows": _notification_rows(page_obj),
            "unread": _notifications(request.user).filter(read_at__isnull=True).exists(),
            "breadcrumbs": _breadcrumbs(
                (pgettext_lazy("association portal", "Notifications"), None)
            ),
        },
    )


@portal_required(PORTAL)
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark all of the person's notifications read (as the API's `read` does one)."""
    _notifications(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("All notifications are marked read."))
    return redirect("associations:notifications")
