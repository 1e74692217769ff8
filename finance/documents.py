"""The documents of finance: the payment order's data (in the shape of its sample in
documents/samples.py), and finance's share of the documents people may see."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from documents.contexts import body_fields, payee_fields, person_fields
from finance.models import Payable
from finance.payables import finance_bodies, paid_total, standing
from workflow.time_limits import next_working_day


def documents_finance_sees(user: Any) -> Q:
    """Finance sees every document of a subject with a payable of the bodies where the person
    works in finance (registered with documents.selectors.visibility_register)."""
    paid_by_me = Payable.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        public_body_id__in=finance_bodies(user),
    )
    return Q(Exists(paid_by_me))


def payment_order(payable: Payable, approver: Any = None) -> dict[str, Any]:
    """The order to pay what is left of a payable, whatever its subject."""
    today = timezone.localdate()
    paid = paid_total(payable)
    return {
        "public_body": body_fields(payable.public_body, payable.subject.unit),
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
