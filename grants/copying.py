"""Last year's application copied into a new draft (issue 14: as Helsinki's grant service
offers): the same association, the new call's current form version, the answers whose
questions are still asked and still pass the new version's check, the budget, and the
attachments referenced rather than uploaded again."""

from typing import Any

from django.db import transaction

from application_forms.definition import FILE, fields
from application_forms.validation import AnswersInvalid
from grants import services
from grants.models import Application, Attachment, Call
from workflow.audit import action_record


def _attachments_referenced(
    source: Application, draft: Application, *, user: Any
) -> dict[int, int]:
    """A row for each of the earlier application's files in the new draft, pointing at the
    same stored file (a file is never changed once stored, workflow.attachments). Returns the
    new rows' ids by the old ones'."""
    copied = {}
    for old in source.attachments.all():
        new = Attachment.objects.create(
            application=draft,
            file=old.file.name,
            name=old.name,
            size=old.size,
            content_type=old.content_type,
            uploaded_by=user,
        )
        action_record(draft, action="attach", actor=user, data={"name": new.name})
        copied[old.pk] = new.pk
    return copied


def _answers_kept(draft: Application, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers the draft's version still takes: those refused are dropped one question at
    a time (a dropped answer may make another one hidden, hence the loop), until the rest
    passes the check a saved draft passes."""
    kept = dict(answers)
    while True:
        try:
            return draft.answers_check(kept)
        except AnswersInvalid as invalid:
            refused = {path.split(".")[0] for path in invalid.errors} & kept.keys()
            if not refused:
                return {}
            for key in refused:
                del kept[key]


def application_copy(source: Application, *, user: Any, call: Call) -> Application:
    """A new draft to `call` for the association of `source`, started from it. The person must
    represent the association and the call be open: services.application_create checks both."""
    with transaction.atomic():
        draft = services.application_create(
            user=user,
            call=call,
            association=source.association,
            requested_amount=source.requested_amount,
            purpose=source.purpose,
            budget_lines=[
                {"description": line.description, "amount": line.amount}
                for line in source.budget_lines.all()
            ],
        )
        copied = _attachments_referenced(source, draft, user=user)
        if draft.form_version is None:
            return draft
        asked = {field["key"]: field for field in fields(draft.form_version.content)}
        answers = {}
        for key, value in source.answers.items():
            if key not in asked:
                continue
            if asked[key]["type"] == FILE:
                if value in copied:
                    answers[key] = copied[value]
                continue
            answers[key] = value
        kept = _answers_kept(draft, answers)
        if kept:
            draft = services.application_update(draft, user=user, answers=kept)
    return draft
