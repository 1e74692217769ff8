"""Writes on applications that are not state transitions: creating and editing a draft and
adding attachments. Each runs in a transaction and leaves an audit record; state changes go
through `workflow.transitions.transition_perform`."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from application_forms import versions as forms
from grants.models import Application, Attachment, BudgetLine, Call
from organisations.models import Association
from organisations.rules import represents
from workflow.attachments import attachment_store
from workflow.audit import action_record
from workflow.errors import TransitionConflict
from workflow.rules import is_representative

EDITABLE_STATES = {Application.State.DRAFT, Application.State.RETURNED}


def _replace_budget_lines(application: Application, lines: list[dict[str, Any]]) -> None:
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application,
            position=i,
            description=line["description"],
            amount=line["amount"],
        )
        for i, line in enumerate(lines, start=1)
    )


@transaction.atomic
def application_create(
    *,
    user: Any,
    call: Call,
    association: Association,
    requested_amount: Decimal,
    purpose: str,
    budget_lines: list[dict[str, Any]] = (),
    answers: dict[str, Any] | None = None,
) -> Application:
    """A new draft, started on the call's current form version (kept when the form changes)
    with the answers typed so far: checked, but nothing required until it is sent."""
    if not represents(user, association):
        raise ValidationError({"association": _("You do not represent this association.")})
    if not call.is_open():
        raise ValidationError({"call": _("The call is not open for applications.")})
    application = Application(
        call=call,
        association=association,
        requested_amount=requested_amount,
        purpose=purpose,
        created_by=user,
        form_version=forms.current_held(call.form) if call.form_id else None,
    )
    application.answers = application.answers_check(answers or {})
    application.save()
    _replace_budget_lines(application, list(budget_lines))
    # Drafts left unsent are reminded before the call closes (and expire when it does).
    application.open_deadline("call_closes", timezone.localdate(call.closes_at))
    action_record(application, action="create", actor=user)
    return application


@transaction.atomic
def application_update(
    application: Application,
    *,
    user: Any,
    requested_amount: Decimal | None = None,
    purpose: str | None = None,
    budget_lines: list[dict[str, Any]] | None = None,
    answers: dict[str, Any] | None = None,
) -> Application:
    """Edit a draft, or an application returned for completion. New answers replace the old
    ones whole, checked against the version the application was started on."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not is_representative(user, application):
        raise PermissionDenied(_("Only the association's representatives edit its applications."))
    if application.state not in EDITABLE_STATES:
        raise TransitionConflict(_("The application can no longer be edited."), "not_editable")
    changed = []
    if requested_amount is not None:
        application.requested_amount = requested_amount
        changed.append("requested_amount")
    if purpose is not None:
        application.purpose = purpose
        changed.append("purpose")
    if answers is not None:
        application.answers = application.answers_check(answers)
        changed.append("answers")
    application.save(update_fields=changed or None)
    if budget_lines is not None:
        _replace_budget_lines(application, budget_lines)
        changed.append("budget_lines")
    action_record(application, action="edit", actor=user, data={"changed": changed})
    return application


@transaction.atomic
def attachment_add(application: Application, *, user: Any, upload: UploadedFile) -> Attachment:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not is_representative(user, application):
        raise PermissionDenied(_("Only the association's representatives add attachments."))
    if application.state not in EDITABLE_STATES:
        raise TransitionConflict(_("The application can no longer be edited."), "not_editable")
    return attachment_store(Attachment, application, user=user, upload=upload)
