"""The documents of finance: the payment order's data (in the shape of its sample in
documents/samples.py), and finance's share of the documents people may see."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, Model, OuterRef, Q
from django.utils import timezone

from documents.contexts import body_fields, payee_fields, person_fields
from finance.models import Payable
from finance.payables import finance_bodies, paid_total, standing
from finance.references import creditor_reference, printed
from workflow.time_limits import next_working_day


@dataclass(frozen=True)
class PaymentBasis:
    """What a payable is paid on, as its subject tells finance (which reads no subject app):
    the kind of decision ("grant_decision", "agreement"), its section in the body's register,
    the day it became legally valid (None when the payment does not wait for that day of its
    own, as an agreement's instalment, which has its own date) and who made it. The maker of
    the decision approved the payment: the order is made, without another person's act, when
    the payable falls due (finance.hand_over)."""

    kind: str
    section: str
    legally_valid_on: date | None
    decided_by: Any


_BASES: dict[type[Model], Callable[[Any], PaymentBasis]] = {}


def payment_basis_register(model: type[Model], basis: Callable[[Any], PaymentBasis]) -> None:
    """`basis(record)`: the PaymentBasis of the payables of a `model` record (each subject
    that takes payments registers it in its AppConfig.ready)."""
    _BASES[model] = basis


def documents_finance_sees(user: Any) -> Q:
    """Finance sees every document of a subject with a payable of the bodies where the person
    works in finance (registered with documents.selectors.visibility_register)."""
    paid_by_me = Payable.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        public_body_id__in=finance_bodies(user),
    )
    return Q(Exists(paid_by_me))


def payment_order(payable: Payable) -> dict[str, Any]:
    """The order to pay what is left of a payable, whatever its subject, in the language
    finance works in: on what basis (the decision or agreement, never called otherwise),
    with the payment's RF creditor reference, and who approved it and when."""
    today = timezone.localdate()
    paid = paid_total(payable)
    subject = payable.subject
    basis = _BASES[type(subject)](subject)
    language = settings.FINANCE_DOCUMENT_LANGUAGE
    approver = person_fields(basis.decided_by, payable.public_body, language)
    return {
        "public_body": body_fields(payable.public_body, subject.unit, language),
        "order": {
            "number": f"MO-{today:%Y}-{payable.pk:05d}",
            "date": today,
            "due_on": next_working_day(today + timedelta(days=settings.PAYMENT_ORDER_DUE_DAYS)),
        },
        "payee": payee_fields(payable.association),
        "basis": {
            "kind": basis.kind,
            "number": payable.decision_number,
            "date": payable.decided_on,
            "section": basis.section,
            "legally_valid_on": basis.legally_valid_on,
            "amount": payable.amount,
            "paid_before": paid,
        },
        "payment": {
            "amount": payable.amount - paid,
            # The payments that stand: a reversed one and its reversing entry paid nothing.
            "instalment": f"{len(standing(payable.payments.all())) + 1}",
            "payable_on": payable.payable_on,
            "reference": printed(creditor_reference(payable)),
            # The number is the basis's: the message does not repeat it.
            "message": payable.title,
        },
        "accounting": {"cost_centre": payable.cost_centre, "account": payable.account},
        # Approved when it became payable: the payable opens when the decision is legally
        # valid or the instalment's day has come (PaymentBasis).
        "approver": {
            "name": approver["name"],
            "title": approver["title"],
            "approved_at": timezone.localtime(payable.created_at),
        },
    }
