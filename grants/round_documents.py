"""The round's decision list, as CSV and as a document: the annex the decision-maker signs, or
the board signs with its minutes (Local Government Act 140 §), in Finnish and in Swedish. The
document is made when the round is decided (grants.tasks, once the decision commits), with a
sweep for one whose task was lost while the broker was down, and is immutable and traceable
like every generated document (documents.generation). The data follows the kind's sample in
documents/samples.py."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from documents.contexts import body_fields, decision_maker_fields
from documents.generation import document_generate
from documents.models import GeneratedDocument, Kind
from documents.spreadsheets import csv_bytes
from grants.choices import Outcome
from grants.models import Application, RoundDecision
from organisations.languages import in_language
from workflow.catch_up import catch_up


@dataclass(frozen=True)
class ListRow:
    """One application of a round decision's list, as the CSV and the document show it."""

    application_id: int
    association: str
    business_id: str
    requested: Decimal
    granted: Decimal
    outcome: str
    decision_number: str
    section: str
    reasons: str


def decision_list_rows(record: RoundDecision, language: str) -> list[ListRow]:
    """The round decision's applications with their decisions, by association, the outcome
    named in `language`: what the decision list shows, as CSV or as a document."""
    applications = record.applications.select_related("association").order_by(
        "association__name", "pk"
    )
    with translation.override(language):
        return [
            ListRow(
                application_id=a.pk,
                association=a.association.name,
                # An unregistered group: who answers for it, where the business ID would be.
                business_id=a.association.business_id or a.association.unregistered_label,
                requested=a.requested_amount,
                granted=a.granted_amount,
                outcome=str(Outcome(a.outcome).label),
                decision_number=a.decision_number,
                section=a.decision_section,
                reasons=a.reasons,
            )
            for a in applications
        ]


def decision_list_csv(record: RoundDecision, language: str) -> bytes:
    """The round's decision list, the annex the decision-maker or the board signs: one row per
    application with its decision, as Finnish Excel opens a CSV (documents.spreadsheets), its
    columns in `language` (fi or sv)."""
    with translation.override(language):
        header = [
            _("Association"),
            _("Business ID"),
            _("Requested (€)"),
            _("Granted (€)"),
            _("Outcome"),
            _("Decision number"),
            _("Section"),
            _("Reasons"),
        ]
    rows = [
        [
            row.association,
            row.business_id,
            row.requested,
            row.granted,
            row.outcome,
            row.decision_number,
            row.section,
            row.reasons,
        ]
        for row in decision_list_rows(record, language)
    ]
    return csv_bytes(header, rows)


# The languages of the list: a bilingual body's board signs both; a monolingual one files
# the other for the associations that use it.
LANGUAGES = ("fi", "sv")

# The list shows the reasons in short; each application's own decision gives them in full.
SHORT_REASONS = 200


def _source(record: RoundDecision, language: str) -> str:
    # One list per round decision and language: a retried task finds it made.
    return f"round:{record.pk}:{language}:{record.decided_at.isoformat()}"


def decision_list(record: RoundDecision, language: str) -> dict[str, Any]:
    """The list's data: the call, the body, who decided (and for which board, its meeting and
    section), every application with its decision, and the totals against the budget."""
    call = record.call
    body = call.public_body
    rows = decision_list_rows(record, language)
    requested = sum((row.requested for row in rows), Decimal(0))
    granted = sum((row.granted or Decimal(0) for row in rows), Decimal(0))
    # Everything the call has granted (this round, earlier rounds and single decisions).
    call_granted = Application.objects.filter(call=call, granted_amount__isnull=False).aggregate(
        total=Sum("granted_amount")
    )["total"] or Decimal(0)
    return {
        "public_body": body_fields(body, call.unit, language),
        "call": {"name": in_language(call, "name", language), "budget": call.budget},
        "decision": {
            "date": timezone.localtime(record.decided_at).date(),
            **decision_maker_fields(record.decided_by, body, language, record.decided_at),
            "board": record.board,
            "meeting_date": record.meeting_date,
            "section": record.meeting_section,
        },
        "applications": [
            {
                "number": row.application_id,
                "association": row.association,
                "business_id": row.business_id,
                "requested": row.requested,
                "granted": row.granted,
                "outcome": row.outcome,
                "decision_number": row.decision_number,
                "reasons": Truncator(row.reasons).chars(SHORT_REASONS),
            }
            for row in rows
        ],
        "totals": {
            "count": len(rows),
            "approved": sum(1 for row in rows if row.granted),
            "requested": requested,
            "granted": granted,
            "call_granted": call_granted,
            "left": call.budget - call_granted,
        },
    }


def _record(record_id: int) -> RoundDecision:
    return RoundDecision.objects.select_related(
        "call__public_body", "call__unit", "decided_by"
    ).get(pk=record_id)


def decision_list_generate(record_id: int, language: str) -> GeneratedDocument:
    """The round decision's list in `language`: made once (a retried task finds it made)."""
    record = _record(record_id)
    return document_generate(
        record,
        kind=Kind.ROUND_DECISION_LIST,
        language=language,
        source=_source(record, language),
        context=decision_list(record, language),
    )


def decision_lists_generate(record_id: int) -> list[GeneratedDocument]:
    """The list in each of its languages."""
    return [decision_list_generate(record_id, language) for language in LANGUAGES]


def decision_list_document(record: RoundDecision, language: str) -> GeneratedDocument:
    """The list of record in `language`, made now if its task has not run yet: the round page
    never answers that a decided round has no list."""
    made = GeneratedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(RoundDecision),
        object_id=record.pk,
        kind=Kind.ROUND_DECISION_LIST,
        language=language,
    ).first()
    return made or decision_list_generate(record.pk, language)


def decision_lists_sweep(batch: int = 50) -> int:
    """Makes the lists of round decisions that lack one in a language (their task never ran);
    how many round decisions."""
    documents = GeneratedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(RoundDecision),
        object_id=OuterRef("pk"),
        kind=Kind.ROUND_DECISION_LIST,
    )
    made = [Exists(documents.filter(language=language)) for language in LANGUAGES]
    missing = (
        RoundDecision.objects.exclude(made[0] & made[1])
        .order_by("decided_at")
        .values_list("pk", flat=True)[:batch]
    )
    return catch_up(
        missing, decision_lists_generate, "The decision list of round decision %s failed"
    )
