"""The application form: a new application to a call, a draft edited or an application
returned for completion completed, saved as a draft or sent at once; and the application
page's send button."""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from application_forms import rendering
from application_forms.definition import FILE, fields
from application_forms.models import FormVersion
from application_forms.validation import AnswersInvalid
from grants import services
from grants.models import Application, Call
from grants.portal import uploads
from grants.portal.common import (
    PORTAL,
    S,
    application_or_404,
    back_to_application,
    call_or_404,
    conflict_message,
    is_representative,
    represented,
)
from grants.portal.sending import check_page
from grants.portal_forms import (
    MAX_BUDGET_LINES,
    ApplicationForm,
    BudgetLineFormSet,
    CompletionReplyForm,
    budget_lines,
)
from portal.pages import breadcrumbs
from portal.portals import portal_required
from portal.posting import form_post
from portal.templatetags.formats import money
from workflow.errors import TransitionConflict
from workflow.transitions import transition_perform

# The services name the upload `file`; the form's field takes several.
_FIELD_ALIASES = {"file": "files"}


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


def _version(call: Call, application: Application | None) -> FormVersion | None:
    """The questions the page asks: the application's own version, or for a new one the
    call's current version (None: the call asks nothing of its own)."""
    if application is not None:
        return application.form_version
    return call.form.current_version() if call.form_id else None


def _form_context(
    call: Call,
    application: Application | None,
    *,
    form: ApplicationForm,
    formset: Any,
    reply: CompletionReplyForm | None = None,
    budget_errors: list[str] = (),
    answers: dict[str, Any] | None = None,
    answer_errors: dict[str, list[str]] | None = None,
    kept: list[uploads.Pending] = (),
    files_lost: bool = False,
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
    version = _version(call, application)
    attachments = list(application.attachments.all()) if application else []
    if answers is None:
        answers = application.answers if application else {}
    sections = (
        rendering.page_sections(
            version.content,
            answers,
            answer_errors,
            files={attachment.pk: attachment.name for attachment in attachments},
        )
        if version
        else []
    )
    return {
        "call": call,
        "application": application,
        "sections": sections,
        "answer_errors": rendering.error_list(sections),
        "form": form,
        "formset": formset,
        "reply": reply or CompletionReplyForm(),
        "attachments": attachments,
        "budget_errors": list(budget_errors),
        "total": _budget_total(formset),
        # The files set aside after an error (grants.portal.uploads), attached when the form is
        # saved; those refused must be chosen again.
        "kept": list(kept),
        "files_lost": files_lost,
        "breadcrumbs": breadcrumbs(*trail),
    }


def _sent_message(application: Application, transition: str) -> str:
    """The message after sending, with the number the receipt shows."""
    if transition == "resubmit":
        return _("The completed application (number %(number)s) was sent to the official.") % {
            "number": application.pk
        }
    return _(
        "The application (number %(number)s) was sent. You will get a message when it has "
        "been decided."
    ) % {"number": application.pk}


def _sent(request: HttpRequest, application: Application, transition: str) -> HttpResponse:
    messages.success(request, _sent_message(application, transition))
    return redirect("associations:receipt", pk=application.pk)


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
    answers = _posted_answers(request, call, application)
    with transaction.atomic():
        if application is None:
            application = services.application_create(
                user=request.user,
                call=call,
                association=data["association"],
                requested_amount=data["requested_amount"],
                purpose=data["purpose"],
                budget_lines=budget_lines(formset),
                answers=answers,
            )
        else:
            services.application_update(
                application,
                user=request.user,
                requested_amount=data["requested_amount"],
                purpose=data["purpose"],
                budget_lines=budget_lines(formset),
                answers=answers,
            )
        kept = uploads.pending(request)
        general = [uploads.opened(e) for e in kept if e.slot == uploads.GENERAL]
        for upload in [*general, *data["files"]]:
            services.attachment_add(application, user=request.user, upload=upload)
        # A file question's upload (or the one kept after an error) becomes an attachment its
        # answer names.
        chosen = {e.slot: uploads.opened(e) for e in kept if e.slot != uploads.GENERAL}
        chosen.update(_file_uploads(request, application.form_version))
        for key, upload in chosen.items():
            stored = services.attachment_add(application, user=request.user, upload=upload)
            answers[key] = stored.pk
        if chosen:
            services.application_update(application, user=request.user, answers=answers)
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


def _posted_answers(
    request: HttpRequest, call: Call, application: Application | None
) -> dict[str, Any]:
    """The answers on the page as typed, with the files already saved for its file
    questions (a file is chosen again only to replace it)."""
    version = _version(call, application)
    if version is None:
        return {}
    answers = rendering.answers_from_post(version.content, request.POST)
    stored = application.answers if application else {}
    for field in fields(version.content):
        if field["type"] == FILE and field["key"] in stored:
            answers[field["key"]] = stored[field["key"]]
    return answers


def _file_uploads(request: HttpRequest, version: FormVersion | None) -> dict[str, Any]:
    if version is None:
        return {}
    return {
        field["key"]: request.FILES[f"{rendering.PREFIX}{field['key']}"]
        for field in fields(version.content)
        if field["type"] == FILE and f"{rendering.PREFIX}{field['key']}" in request.FILES
    }


def _answers_refused(invalid: AnswersInvalid, into: dict[str, list[str]]) -> ValidationError:
    """The refused answers kept for the page (each next to its question), and the message
    at the top of the form."""
    into.update(invalid.errors)
    return ValidationError(_("Some answers need correcting: see the questions marked below."))


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
    answer_errors: dict[str, list[str]] = {}

    def shown(status: int) -> HttpResponse:
        # What was typed is shown again as typed, and the files chosen are kept: nothing lost.
        version = _version(call, application)
        typed = rendering.answers_from_post(version.content, request.POST) if version else {}
        posted = [(uploads.GENERAL, f) for f in request.FILES.getlist("files")]
        posted += list(_file_uploads(request, version).items())
        refused = uploads.keep(request, posted)
        context = _form_context(
            call,
            application,
            form=form,
            formset=formset,
            reply=reply,
            budget_errors=budget_errors,
            answers={**(application.answers if application else {}), **typed},
            answer_errors=answer_errors,
            kept=uploads.pending(request),
            files_lost=bool(refused),
        )
        return render(request, "associations/application_form.html", context, status=status)

    def refused(conflict: TransitionConflict) -> HttpResponse:
        form.add_error(None, conflict_message(conflict, application))
        return shown(409)

    def saved(result: tuple[Application, str]) -> HttpResponse:
        saved, transition = result
        uploads.forget(request)
        if transition:
            return _sent(request, saved, transition)
        if "check" in request.POST:
            # "Save and check your answers": the draft saved, the answers read before sending.
            return redirect("associations:check", pk=saved.pk)
        messages.success(
            request,
            _("The draft was saved. You can come back to it until the call closes."),
        )
        return redirect("associations:edit", pk=saved.pk)

    def write() -> tuple[Application, str]:
        try:
            return _save(request, application, call=call, form=form, formset=formset, reply=reply)
        except AnswersInvalid as invalid:
            raise _answers_refused(invalid, answer_errors) from invalid

    answer = form_post(
        request,
        [form, reply],
        write,
        back=request.path,
        then=saved,
        conflict=refused,
        valid=all([form.is_valid(), formset.is_valid(), reply.is_valid()]),
        aliases=_FIELD_ALIASES,
        aside={"budget_lines": budget_errors},
    )
    return answer or shown(400)


@portal_required(PORTAL)
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """A new application to a call, for one of the person's associations: saved as a draft,
    or sent at once."""
    the_call = call_or_404(request.user, pk)
    associations = represented(request.user)
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
    context = _form_context(
        the_call, None, form=form, formset=formset, kept=uploads.pending(request)
    )
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
    if not is_representative(request.user, application):
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
    application = application_or_404(request.user, pk)
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
        application.call,
        application,
        form=form,
        formset=_initial_formset(application),
        kept=uploads.pending(request),
    )
    return render(request, "associations/application_form.html", context)


@portal_required(PORTAL)
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The submit button of the application's page: sends the application as it is saved.
    When it is not complete, the form comes back with the errors next to its fields."""
    application = application_or_404(request.user, pk)
    refused = _editable_or_redirect(request, application)
    if refused is not None:
        return refused
    transition = "resubmit" if application.state == S.RETURNED else "submit"
    # A completed application carries the message to the official from the check page; a
    # refused one (too long) comes back there with its error, nothing sent.
    reply = CompletionReplyForm(request.POST)
    if not reply.is_valid():
        return check_page(request, application, reply, status=400)
    form, formset = _bound_forms(application)
    budget_errors: list[str] = []
    answer_errors: dict[str, list[str]] = {}
    try:
        # The answers first, so that each refused one shows next to its question.
        application.answers_check(complete=True)
    except AnswersInvalid as invalid:
        form.add_error(None, _answers_refused(invalid, answer_errors))
        answer = None
    else:
        answer = form_post(
            request,
            [form, reply],
            lambda: transition_perform(
                application,
                transition,
                actor=request.user,
                comment=reply.cleaned_data["comment"],
            ),
            back=reverse("associations:application", args=[application.pk]),
            then=lambda sent: _sent(request, sent, transition),
            conflict=back_to_application(request, application),
            valid=True,
            aliases=_FIELD_ALIASES,
            aside={"budget_lines": budget_errors},
        )
    if answer is not None:
        return answer
    context = _form_context(
        application.call,
        application,
        form=form,
        formset=formset,
        reply=reply,
        budget_errors=budget_errors,
        answer_errors=answer_errors,
    )
    return render(request, "associations/application_form.html", context, status=400)
