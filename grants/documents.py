"""A grant application's documents: the grant decision and the decision on a request for
rectification, rendered in the association's language when a decision commits (grants.signals),
with a sweep for any whose task was lost while the broker was down. The data follows the kinds'
samples in documents/samples.py."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation

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
from grants.answers import application_answers
from grants.models import Application, Channel, Rectification
from organisations.languages import in_language
from workflow.catch_up import catch_up
from workflow.time_limits import appeal_dates


def _language(application: Application) -> str:
    """The language of the matter: the association's (Language Act 423/2003 10 §); the
    document is written in it and names everything in it (organisations.languages)."""
    return application.association.language


def _public_body(application: Application) -> dict[str, Any]:
    return body_fields(application.call.public_body, application.call.unit, _language(application))


def _maker(application: Application, maker: Any, at: datetime | None) -> dict[str, Any]:
    return decision_maker_fields(maker, application.call.public_body, _language(application), at)


def _contact(application: Application) -> dict[str, Any]:
    return person_fields(
        preparer_of(application), application.call.public_body, _language(application)
    )


def _association(application: Application) -> dict[str, Any]:
    return payee_fields(application.association)


def _appeal(
    application: Application, period_days: int, authority: str, address: str, email: str
) -> dict[str, Any]:
    """The appeal instructions' dates: as recorded when the decision was sent (`notify`), or
    until then as they will be if it is sent on the decision day by the association's
    channel. The document is rendered again when the recorded dates differ."""
    if application.notified_on:
        sent_on, channel = application.notified_on, application.notification_channel
        received, ends = application.deemed_received_on, application.appeal_ends_on
    else:
        sent_on = _decided_on(application)
        electronic = application.association.accepts_electronic_notification
        channel = Channel.ELECTRONIC if electronic else Channel.LETTER
        received, ends = appeal_dates(sent_on, electronic=electronic, period_days=period_days)
    return {
        "period_days": period_days,
        "sent_on": sent_on,
        "deemed_received_on": received,
        "ends_on": ends,
        "channel": channel,
        "authority": authority,
        "address": address,
        "email": email,
    }


def _decided_on(application: Application) -> date:
    return timezone.localtime(application.decided_at).date()


def _report_due(application: Application, appeal_ends_on: date) -> date:
    # A fixed date from the call, or the days after payment counted from the last day of the
    # appeal period (payment waits for legal validity), which is what the decision can promise.
    return application.call.report_due_date(appeal_ends_on)


def grant_decision(application: Application) -> dict[str, Any]:
    body = _public_body(application)
    decided_on = _decided_on(application)
    appeal = _appeal(
        application,
        settings.RECTIFICATION_PERIOD_DAYS,
        authority=body["unit"] or body["name"],
        # A request for rectification is filed with the registry (Local Government Act 134 §).
        address=body["registry_address"],
        email=body["email"],
    )
    lines = [
        {"description": line.description, "amount": line.amount}
        for line in application.budget_lines.all()
    ]
    return {
        "public_body": body,
        "decision": {
            "number": application.decision_number,
            "section": application.decision_section,
            "date": decided_on,
            **_maker(application, application.decided_by, application.decided_at),
            "outcome": application.outcome,
            "reasons": application.reasons,
            "conditions": application.conditions,
        },
        "association": _association(application),
        "application": {
            "call": in_language(application.call, "name", _language(application)),
            "purpose": application.purpose,
            "received_on": timezone.localtime(application.submitted_at).date(),
            "requested_amount": application.requested_amount,
            "granted_amount": application.granted_amount,
            "budget_lines": lines,
            "budget_total": sum((line["amount"] for line in lines), Decimal(0)),
        },
        # The answers to the call's own questions, in the matter's language (issue 14): what
        # the decision was made on, as the association gave it.
        "answers": _answers(application),
        "report": {"due_on": _report_due(application, appeal["ends_on"])},
        "contact": _contact(application),
        "appeal": appeal,
    }


def _answers(application: Application) -> list[dict[str, str]]:
    with translation.override(_language(application)):
        return application_answers(application)


def rectification_decision(application: Application, rectification: Rectification) -> dict:
    body = _public_body(application)
    court = application.call.public_body.administrative_court
    decided_on = timezone.localtime(rectification.decided_at).date()
    return {
        "public_body": body,
        # A decision of its own (its number and section); `original` is the one it reviews.
        "decision": {
            "number": rectification.decision_number,
            "section": rectification.decision_section,
            "date": decided_on,
            **_maker(application, rectification.decided_by, rectification.decided_at),
            "outcome": rectification.outcome,
            "reasons": rectification.reasons,
            "granted_amount": application.granted_amount,
        },
        "original": {
            "number": application.decision_number,
            "section": application.decision_section,
            "date": timezone.localtime(rectification.original_decided_at).date(),
            "granted_amount": rectification.original_granted_amount,
        },
        "rectification": {
            "filed_on": timezone.localtime(rectification.filed_at).date(),
            "grounds": rectification.grounds,
        },
        "association": _association(application),
        "contact": _contact(application),
        # Local Government Act 135 §: the appeal now goes to the administrative court.
        "appeal": _appeal(
            application,
            settings.ADMINISTRATIVE_COURT_APPEAL_DAYS,
            authority=court["name"],
            address=court["address"],
            email=court["email"],
        ),
    }


def payment_basis(application: Application) -> PaymentBasis:
    """A grant is paid on its decision once legally valid; its maker approved the payment
    (registered with finance.documents.payment_basis_register)."""
    return PaymentBasis(
        kind=Kind.GRANT_DECISION,
        section=application.decision_section,
        legally_valid_on=application.legally_valid_on,
        decided_by=application.decided_by,
    )


def _application(application_id: int) -> Application:
    return Application.objects.select_related(
        "call__public_body", "call__unit", "association", "decided_by"
    ).get(pk=application_id)


def decision_document_generate(application_id: int) -> GeneratedDocument | None:
    """The document of the application's current decision, in the association's language:
    the grant decision, or the decision on a request for rectification."""
    application = _application(application_id)
    if application.decided_at is None:
        return None
    rectification = application.rectifications.filter(decided_at__isnull=False).last()
    if rectification is not None and rectification.decided_at == application.decided_at:
        kind = Kind.RECTIFICATION_DECISION
        context = rectification_decision(application, rectification)
    else:
        kind, context = Kind.GRANT_DECISION, grant_decision(application)
    # One document per decision and appeal dates: sending it on another day or channel than
    # planned (recorded by `notify`) makes a new version with the real dates.
    source = f"decision:{application.decided_at.isoformat()}:{context['appeal']['ends_on']}"
    return document_generate(
        application,
        kind=kind,
        language=_language(application),
        source=source,
        context=context,
    )


def decision_documents_sweep(batch: int = 200) -> int:
    """Makes the documents of decisions that have none (their task never ran); how many."""
    documents = GeneratedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=OuterRef("pk")
    )
    # A document of the current decision: made after it (a rectification decides anew).
    missing = (
        Application.objects.filter(decided_at__isnull=False)
        .exclude(
            Exists(
                documents.filter(
                    kind__in=[Kind.GRANT_DECISION, Kind.RECTIFICATION_DECISION],
                    created_at__gte=OuterRef("decided_at"),
                )
            )
        )
        .order_by("decided_at")
        .values_list("pk", flat=True)[:batch]
    )
    return catch_up(
        missing, decision_document_generate, "The decision document of application %s failed"
    )
