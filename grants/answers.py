"""An application's answers as a reader reads them (application_forms.summary), with its
attachments named: the association's check page, the official's page and the decision
document share it."""

from typing import Any

from application_forms.summary import answers_list, answers_summary
from grants.models import Application


def _files(application: Application) -> dict[int, str]:
    return {attachment.pk: attachment.name for attachment in application.attachments.all()}


def application_summary(
    application: Application, *, unanswered: bool = False
) -> list[dict[str, Any]]:
    """The answers by section (`answers_summary`); none when the call asked nothing of its own."""
    if application.form_version is None:
        return []
    return answers_summary(
        application.form_version.content,
        application.answers,
        files=_files(application),
        unanswered=unanswered,
    )


def application_answers(application: Application) -> list[dict[str, str]]:
    """The answered questions as `{label, value}`, in the active language."""
    if application.form_version is None:
        return []
    return answers_list(
        application.form_version.content, application.answers, files=_files(application)
    )
