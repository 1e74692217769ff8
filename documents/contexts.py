"""The data a document is rendered from, built from the records. Each function returns the
same shape as the kind's sample in documents/samples.py (the lint checks templates against it)."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from stdnum import iban

from documents.models import Payable
from documents.payables import paid_total, standing
from grants.models import Application, Channel, Rectification
from organisations.models import Association, PublicBody, Unit
from workflow.models import ApprovalRun, StepRecord
from workflow.time_limits import appeal_dates, next_working_day


def body_fields(body: PublicBody, unit: Unit | None) -> dict[str, Any]:
    return {
        "name": body.name,
        "business_id": body.business_id,
        "unit": unit.name if unit else "",
        "address": body.address,
        "email": body.registry_email,
    }


def _public_body(application: Application) -> dict[str, Any]:
    return body_fields(application.call.public_body, application.call.unit)


def _association(application: Application) -> dict[str, Any]:
    return payee_fields(application.association)


def payee_fields(association: Association) -> dict[str, Any]:
    return {
        "name": association.name,
        "business_id": association.business_id,
        "register_number": association.register_number,
        "iban": iban.format(association.iban),
        "email": association.email,
        "postal_address": "\n".join(association.address_lines),
    }


def person_fields(user: Any) -> dict[str, Any]:
    if user is None:
        return {"name": "", "title": "", "email": "", "phone": ""}
    return {
        "name": user.get_full_name() or user.username,
        "title": user.title,
        "email": user.email,
        "phone": user.phone,
    }


def maker_fields(user: Any) -> dict[str, str]:
    person = person_fields(user)
    return {"maker": person["name"], "maker_title": person["title"]}


def preparer_of(application: Application) -> Any:
    """The person who can give more information (Administrative Procedure Act 44 §): whoever
    prepared the decision, the actor of the first done step of its latest approval run."""
    run = (
        application.approval_runs.exclude(status=ApprovalRun.Status.CANCELLED)
        .order_by("-started_at", "-pk")
        .first()
    )
    first = run.steps.filter(status=StepRecord.Status.DONE).first() if run else None
    return first.actor if first else None


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
        address=body["address"],
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
            "date": decided_on,
            **maker_fields(application.decided_by),
            "outcome": application.outcome,
            "reasons": application.reasons,
            "conditions": application.conditions,
        },
        "association": _association(application),
        "application": {
            "call": application.call.name,
            "purpose": application.purpose,
            "received_on": timezone.localtime(application.submitted_at).date(),
            "requested_amount": application.requested_amount,
            "granted_amount": application.granted_amount,
            "budget_lines": lines,
            "budget_total": sum((line["amount"] for line in lines), Decimal(0)),
        },
        "report": {"due_on": _report_due(application, appeal["ends_on"])},
        "contact": person_fields(preparer_of(application)),
        "appeal": appeal,
    }


def rectification_decision(application: Application, rectification: Rectification) -> dict:
    body = _public_body(application)
    decided_on = timezone.localtime(rectification.decided_at).date()
    return {
        "public_body": body,
        "decision": {
            "number": application.decision_number,
            "date": decided_on,
            **maker_fields(rectification.decided_by),
            "outcome": rectification.outcome,
            "reasons": rectification.reasons,
            "granted_amount": application.granted_amount,
        },
        "original": {
            "number": application.decision_number,
            "date": timezone.localtime(rectification.original_decided_at).date(),
            "granted_amount": rectification.original_granted_amount,
        },
        "rectification": {
            "filed_on": timezone.localtime(rectification.filed_at).date(),
            "grounds": rectification.grounds,
        },
        "association": _association(application),
        "contact": person_fields(preparer_of(application)),
        # Local Government Act 135 §: the appeal now goes to the administrative court.
        "appeal": _appeal(
            application,
            settings.ADMINISTRATIVE_COURT_APPEAL_DAYS,
            authority=settings.ADMINISTRATIVE_COURT["name"],
            address=settings.ADMINISTRATIVE_COURT["address"],
            email=settings.ADMINISTRATIVE_COURT["email"],
        ),
    }


def _unit_of(subject: Any) -> Unit | None:
    """The unit that handles the subject: a grant's comes from its call, an agreement names
    its own."""
    holder = subject.call if isinstance(subject, Application) else subject
    return getattr(holder, "unit", None)


def payment_order(payable: Payable, approver: Any = None) -> dict[str, Any]:
    """The order to pay what is left of a payable, whatever its subject."""
    today = timezone.localdate()
    paid = paid_total(payable)
    return {
        "public_body": body_fields(payable.public_body, _unit_of(payable.subject)),
        "order": {
            "number": f"MO-{today:%Y}-{payable.pk:05d}",
            "date": today,
            "due_on": next_working_day(today + timedelta(days=settings.PAYMENT_ORDER_DUE_DAYS)),
        },
        "payee": payee_fields(payable.association),
        "payment": {
            "amount": payable.amount - paid,
            # The payments that stand: a reversed one and its reversing entry paid nothing.
            "instalment": f"{len(standing(payable.payments.all())) + 1}",
            "reference": payable.decision_number,
            "message": f"{payable.title}: {payable.decision_number}",
        },
        "decision": {
            "number": payable.decision_number,
            "date": payable.decided_on,
            "legally_valid_on": payable.payable_on,
            "granted_amount": payable.amount,
            "paid_before": paid,
        },
        "accounting": {"cost_centre": payable.cost_centre, "account": payable.account},
        "approver": {k: v for k, v in person_fields(approver).items() if k in ("name", "title")},
    }
