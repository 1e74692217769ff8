"""The agreement document (document kind "agreement"): one version's terms, the parties, the
public body's decision approving it and the signatures each side requires.

It is rendered when the version is approved, and once more when the last signature brings it
into force, so that the signed copy names who signed and when (agreements.signals queues
both). The document belongs to the agreement, not to the version: finance looks for the
decision document beside the agreement's payables (finance.hand_over.finance_hand_over).
Each version's documents are told apart by their `source`, which also makes a retried task
return the document already made instead of a second one.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Exists, OuterRef, QuerySet, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from agreements.effects import matter_language
from agreements.models import Agreement, AgreementRectification, AgreementVersion
from agreements.signatures import signature_slots
from documents.contexts import (
    body_fields,
    decision_maker_fields,
    payee_fields,
    person_fields,
    preparer_of,
)
from documents.generation import document_generate
from documents.models import GeneratedDocument, Kind
from finance.documents import PaymentBasis
from organisations.languages import in_language
from workflow import formats
from workflow.catch_up import catch_up

APPROVED, SIGNED = "approved", "signed"


def source_of(version: AgreementVersion) -> str:
    """What the document is made for: the version as approved, or as signed into force (the
    source `Agreement.decision_document_source` names for finance)."""
    return f"v{version.number}:{SIGNED if version.in_force_from else APPROVED}"


def _resources(version: AgreementVersion, language: str) -> tuple[list[dict], list[dict]]:
    """Each resource as a row, and per year the money and the value of premises and staff
    time (the kinds' values are the keys the template reads)."""
    rows, years = [], {}
    for resource in version.resources.all():
        rows.append(
            {
                "year": resource.year,
                "kind": resource.kind,
                "provided_by": resource.provided_by,
                "description": resource.description,
                "amount": resource.amount,
                "hours": formats.number(resource.hours, language),
                "hours_per": resource.hours_per,
                "hours_per_year": formats.number(resource.hours_per_year, language)
                if resource.hours is not None
                else "",
                "pays_on": resource.pays_on,
            }
        )
        totals = years.setdefault(resource.year, dict.fromkeys(resource.Kind.values, Decimal(0)))
        totals[resource.kind] += resource.amount
    return rows, [
        {"year": year, **totals, "total": sum(totals.values(), Decimal(0))}
        for year, totals in sorted(years.items())
    ]


def _signatories(version: AgreementVersion, language: str) -> list[dict[str, Any]]:
    """One slot per signature each side requires (agreements.signatures: the public body's
    first, then each association's in the parties' order); a signed slot names who signed and
    when, an official with their title in the body."""
    body = version.agreement.public_body
    slots = []
    for side in signature_slots(version):
        for index in range(max(side.required, len(side.signed))):
            signature = side.signed[index] if index < len(side.signed) else None
            person = person_fields(signature.signer if signature else None, body, language)
            slots.append(
                {
                    "side": side.side,
                    "party": side.name,
                    "name": person["name"],
                    "title": person["title"],
                    "signed_at": timezone.localtime(signature.signed_at).date()
                    if signature
                    else None,
                }
            )
    return slots


def _contacts(version: AgreementVersion, language: str) -> dict[str, dict[str, Any]]:
    """Each side's contact person (named when a side first proposes or accepts, see
    agreements.effects.contact_name); for associations without one, the lead association."""
    agreement = version.agreement
    if agreement.contact is None:
        lead = agreement.lead_association
        association = {"name": lead.name, "title": "", "email": lead.email, "phone": ""}
    else:
        association = person_fields(agreement.contact)
    return {
        "public_body": person_fields(agreement.liaison, agreement.public_body, language),
        "association": association,
    }


def agreement_context(version: AgreementVersion, language: str) -> dict[str, Any]:
    """The data the agreement template renders (the shape of documents.samples "agreement")."""
    agreement = version.agreement
    public_body = agreement.public_body
    body = body_fields(public_body, agreement.unit, language)
    decided_on = timezone.localtime(version.decided_at).date()
    resources, years = _resources(version, language)
    return {
        "public_body": body,
        "agreement": {
            "number": agreement.number,
            "version": version.number,
            "title": in_language(version, "title", language),
            "purpose": version.purpose,
            "starts_on": version.starts_on,
            "ends_on": version.ends_on,
            "in_force_from": version.in_force_from,
            "meetings_per_year": version.meetings_per_year,
            "evaluation_every_months": version.evaluation_every_months,
            "notice_period_months": version.notice_period_months,
        },
        "associations": [
            {**payee_fields(party.association), "signatures_required": party.signatures_required}
            for party in agreement.parties.all()
        ],
        "goals": [
            {
                "goal": goal.title,
                "indicator": goal.indicator,
                "target": formats.number(goal.target, language),
            }
            for goal in version.goals.all()
        ],
        "responsibilities": {
            "public_body": version.public_body_responsibilities,
            "association": version.association_responsibilities,
        },
        "resources": resources,
        "years": years,
        "contacts": _contacts(version, language),
        # Administrative Procedure Act 44 §: the deciding authority, the date, the reasons and
        # the person who gives more information (whoever prepared it, or else the liaison).
        "decision": {
            "number": agreement.number,
            "section": version.decision_section,
            "date": decided_on,
            **decision_maker_fields(version.decided_by, public_body, language, version.decided_at),
            "reasons": version.reasons,
        },
        "contact": person_fields(preparer_of(version) or agreement.liaison, public_body, language),
        # The dates effects.decision_record computed when the version was approved: the
        # decision counted as sent that day by the lead association's channel (Local
        # Government Act 134 §, 139 §).
        "appeal": {
            "period_days": settings.RECTIFICATION_PERIOD_DAYS,
            "sent_on": decided_on,
            "deemed_received_on": version.deemed_received_on,
            "ends_on": version.appeal_ends_on,
            "channel": "electronic"
            if agreement.lead_association.accepts_electronic_notification
            else "letter",
            "authority": body["unit"] or body["name"],
            # A request for rectification is filed with the registry (Local Government Act
            # 134 §).
            "address": body["registry_address"],
            "email": body["email"],
        },
        "signatories": _signatories(version, language),
    }


def rectification_context(rectification: AgreementRectification, language: str) -> dict[str, Any]:
    """The data the agreement rectification decision renders (the shape of documents.samples
    "agreement_rectification_decision"): a decision of its own (its section), `original` the
    decision on the version it reviews."""
    version = rectification.version
    agreement = version.agreement
    public_body = agreement.public_body
    body = body_fields(public_body, agreement.unit, language)
    court = public_body.administrative_court
    decided_on = timezone.localtime(rectification.decided_at).date()
    # The appeal dates of the decision reviewed: the version's, or the agreement's for its
    # cancellation (agreements.cancellation).
    if rectification.subject == AgreementRectification.Subject.CANCELLATION:
        received, ends = (
            agreement.cancellation_deemed_received_on,
            agreement.cancellation_appeal_ends_on,
        )
    else:
        received, ends = version.deemed_received_on, version.appeal_ends_on
    return {
        "public_body": body,
        "decision": {
            "number": agreement.number,
            "section": rectification.decision_section,
            "date": decided_on,
            **decision_maker_fields(
                rectification.decided_by, public_body, language, rectification.decided_at
            ),
            "outcome": rectification.outcome,
            "reasons": rectification.reasons,
        },
        "original": {
            "number": agreement.number,
            "version": version.number,
            "section": rectification.original_section,
            "date": timezone.localtime(rectification.original_decided_at).date(),
            "outcome": rectification.original_outcome,
            # "decision" (approving or rejecting the version) or "cancellation" (the
            # decision to cancel the agreement before its term).
            "subject": rectification.subject,
        },
        "agreement": {"title": in_language(version, "title", language)},
        "rectification": {
            "filed_on": timezone.localtime(rectification.filed_at).date(),
            "grounds": rectification.grounds,
        },
        "association": payee_fields(rectification.association),
        "contact": person_fields(preparer_of(version) or agreement.liaison, public_body, language),
        # Local Government Act 135 §: the appeal now goes to the administrative court, within
        # the period effects.rectification_decide counted from this decision.
        "appeal": {
            "period_days": settings.ADMINISTRATIVE_COURT_APPEAL_DAYS,
            "sent_on": decided_on,
            "deemed_received_on": received,
            "ends_on": ends,
            "channel": "electronic"
            if rectification.association.accepts_electronic_notification
            else "letter",
            "authority": court["name"],
            "address": court["address"],
            "email": court["email"],
        },
    }


def rectification_document_generate(version_id: int) -> GeneratedDocument | None:
    """The decision on the version's request for rectification, in the matter's language;
    None while undecided. Idempotent: one document per version's rectification."""
    rectification = (
        AgreementRectification.objects.select_related(
            "association", "decided_by", *(f"version__{name}" for name in _VERSION_RELATED)
        )
        .filter(
            version_id=version_id,
            subject=AgreementRectification.Subject.DECISION,
            decided_at__isnull=False,
        )
        .first()
    )
    if rectification is None:
        return None
    return _rectification_document(rectification, f"v{rectification.version.number}")


def _rectification_document(
    rectification: AgreementRectification, of: str
) -> GeneratedDocument | None:
    agreement = rectification.version.agreement
    language = matter_language(agreement)
    return document_generate(
        agreement,
        kind=Kind.AGREEMENT_RECTIFICATION_DECISION,
        language=language,
        context=rectification_context(rectification, language),
        source=f"{of}:rectification",
    )


CANCELLATION_SOURCE = "cancellation-"


def cancellation_rectification_document_generate(
    rectification_id: int,
) -> GeneratedDocument | None:
    """The decision on a request for rectification of the decision to cancel the agreement,
    by the same kind and template as a version's (`original.subject` tells them apart); None
    while undecided. Idempotent: one document per request."""
    rectification = (
        AgreementRectification.objects.select_related(
            "association", "decided_by", *(f"version__{name}" for name in _VERSION_RELATED)
        )
        .filter(
            pk=rectification_id,
            subject=AgreementRectification.Subject.CANCELLATION,
            decided_at__isnull=False,
        )
        .first()
    )
    if rectification is None:
        return None
    return _rectification_document(rectification, f"{CANCELLATION_SOURCE}{rectification.pk}")


def payment_basis(agreement: Agreement) -> PaymentBasis:
    """An instalment is paid on the agreement in force, whose decision approved its money;
    it falls due on its own date, not on a day of legal validity (registered with
    finance.documents.payment_basis_register)."""
    version = agreement.in_force_version
    return PaymentBasis(
        kind=Kind.AGREEMENT,
        section=version.decision_section if version else "",
        legally_valid_on=None,
        decided_by=version.decided_by if version else None,
    )


_VERSION_RELATED = (
    "agreement__public_body",
    "agreement__unit",
    "agreement__liaison",
    "agreement__contact",
    "decided_by",
)


def _version(version_id: int) -> AgreementVersion:
    return (
        AgreementVersion.objects.select_related(*_VERSION_RELATED)
        .prefetch_related(
            "goals",
            "resources",
            "signatures__signer",
            "agreement__parties__association",
            "approval_runs",
        )
        .get(pk=version_id)
    )


def agreement_document_generate(version_id: int) -> GeneratedDocument | None:
    """The agreement document of an approved version, in the lead association's language:
    made when the version is approved and again when it is signed into force; None for a
    version that was not approved. Idempotent: the document already made for the version's
    state is returned."""
    version = _version(version_id)
    if version.outcome != AgreementVersion.Outcome.APPROVED:
        return None
    agreement = version.agreement
    language = matter_language(agreement)
    return document_generate(
        agreement,
        kind=Kind.AGREEMENT,
        language=language,
        context=agreement_context(version, language),
        source=source_of(version),
    )


def versions_without_document() -> QuerySet[AgreementVersion]:
    """Approved versions whose document for their state (approved, or signed into force) was
    never made: its task was lost while the broker was down."""
    made = GeneratedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Agreement),
        object_id=OuterRef("agreement_id"),
        kind=Kind.AGREEMENT,
        source=OuterRef("document_source"),
    )
    return (
        AgreementVersion.objects.filter(outcome=AgreementVersion.Outcome.APPROVED)
        .annotate(
            # source_of(), in SQL
            document_source=Concat(
                Value("v"),
                Cast("number", CharField()),
                Case(
                    When(in_force_from__isnull=True, then=Value(f":{APPROVED}")),
                    default=Value(f":{SIGNED}"),
                ),
            )
        )
        .exclude(Exists(made))
        .order_by("decided_at", "pk")
    )


def versions_without_rectification_document() -> QuerySet[AgreementVersion]:
    """Versions whose request for rectification was decided but whose decision document was
    never made (rectification_document_generate's source, in SQL)."""
    made = GeneratedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Agreement),
        object_id=OuterRef("agreement_id"),
        kind=Kind.AGREEMENT_RECTIFICATION_DECISION,
        source=Concat(Value("v"), Cast(OuterRef("number"), CharField()), Value(":rectification")),
    )
    return (
        AgreementVersion.objects.filter(
            rectifications__subject=AgreementRectification.Subject.DECISION,
            rectifications__decided_at__isnull=False,
        )
        .exclude(Exists(made))
        .order_by("rectifications__decided_at", "pk")
    )


def cancellation_rectifications_without_document() -> QuerySet[AgreementRectification]:
    """Decided requests about a decision to cancel whose decision document was never made."""
    made = GeneratedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Agreement),
        object_id=OuterRef("version__agreement_id"),
        kind=Kind.AGREEMENT_RECTIFICATION_DECISION,
        source=Concat(
            Value(CANCELLATION_SOURCE), Cast(OuterRef("pk"), CharField()), Value(":rectification")
        ),
    )
    return (
        AgreementRectification.objects.filter(
            subject=AgreementRectification.Subject.CANCELLATION, decided_at__isnull=False
        )
        .exclude(Exists(made))
        .order_by("decided_at", "pk")
    )


def agreement_documents_sweep(batch: int = 200) -> int:
    """Make the documents whose task never ran, of both kinds the agreements make: the
    agreement document and the decision on a request for rectification. One failing version
    is logged and skipped. Returns how many were made."""
    return (
        catch_up(
            versions_without_document().values_list("pk", flat=True)[:batch],
            agreement_document_generate,
            "The agreement document of version %s failed",
        )
        + catch_up(
            versions_without_rectification_document().values_list("pk", flat=True)[:batch],
            rectification_document_generate,
            "The rectification decision of version %s failed",
        )
        + catch_up(
            cancellation_rectifications_without_document().values_list("pk", flat=True)[:batch],
            cancellation_rectification_document_generate,
            "The decision on the request for rectification %s of a cancellation failed",
        )
    )
