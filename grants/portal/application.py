"""An application's page as its association reads it (state, decision documents, payments,
report, timeline), its files, and the list of the association's applications."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from documents.downloads import docx_response, file_response
from documents.models import DECISION_KINDS, GeneratedDocument
from documents.selectors import subject_documents_for
from grants import services
from grants.models import Application
from grants.portal.common import (
    PORTAL,
    S,
    application_or_404,
    applications_of,
    is_representative,
    report_of,
    tone,
)
from portal.pages import breadcrumbs, page
from portal.portals import portal_required
from workflow.api import MAX_ID
from workflow.history import history_for
from workflow.transitions import available_transitions

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


@dataclass
class Event:
    at: Any
    label: str
    actor: str
    comment: str
    times: int = 1


def _timeline(user: Any, application: Application) -> list[Event]:
    """The audit log as the association may read it: without the officials' internal entries
    (the same rule as the API's history), consecutive edits of a draft shown as one."""
    entries = history_for(user, application)
    events: list[Event] = []
    for entry in entries:
        actor = entry.actor.display_name if entry.actor else _("The system")
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
    app = application_or_404(user, pk)
    names = set(available_transitions(app, user))
    report = report_of(app)
    decided = app.decided_at is not None and app.state not in (S.DRAFT, S.SUBMITTED)
    return render(
        request,
        "associations/application.html",
        {
            "application": app,
            "tone": tone(app),
            "representative": is_representative(user, app),
            "editable": app.state in services.EDITABLE_STATES and is_representative(user, app),
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
            "breadcrumbs": breadcrumbs(
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
    app = application_or_404(request.user, pk)
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
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    application = application_or_404(request.user, pk)
    found = next((a for a in application.attachments.all() if a.pk == attachment_pk), None)
    if found is None:
        raise Http404
    return file_response(found.file, found.name, found.content_type)


@portal_required(PORTAL)
def applications(request: HttpRequest) -> HttpResponse:
    rows = applications_of(request.user).prefetch_related(None).order_by("-created_at", "-id")
    page_obj = page(request, rows)
    return render(
        request,
        "associations/applications.html",
        {
            "page_obj": page_obj,
            "rows": [(a, tone(a)) for a in page_obj],
            "breadcrumbs": breadcrumbs((pgettext_lazy("association portal", "Applications"), None)),
        },
    )
