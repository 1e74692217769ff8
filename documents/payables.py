"""What finance must pay and what it has paid: the one place for the money of grants and
agreements alike.

A record that carries money to pay (a grant application, an agreement) opens a `Payable` for
each sum with `payable_open`, and declares a django-fsm transition

    record_payment(self, *, actor, comment, payable_id: int | None = None,
                   amount, paid_on, reference="")

that calls `payment_record` for one of its payables. Finance records payments through
`payment_record_for`, which performs that transition on the payable's subject with the
transition service (workflow.transitions.transition_perform): the subject's row is locked, the
actor's permission checked and the payment audited like any other state change.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents.models import MONEY, Payable, Payment
from organisations.models import OfficialRole
from organisations.roles import roles_of
from workflow import formats
from workflow.enqueue import enqueue_on_commit
from workflow.locking import locked
from workflow.transitions import transition_names, transition_perform

CENT = Decimal("0.01")


def finance_bodies(user: Any) -> frozenset[int]:
    """The public bodies where the person works in finance."""
    return roles_of(user).public_bodies(OfficialRole.Role.FINANCE)


def payables_of(subject: models.Model) -> models.QuerySet[Payable]:
    return Payable.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    )


def payments_of(subject: models.Model) -> models.QuerySet[Payment]:
    """Every payment on the subject's payables, oldest first."""
    return Payment.objects.filter(
        payable__content_type=ContentType.objects.get_for_model(subject),
        payable__object_id=subject.pk,
    ).order_by("paid_on", "id")


def payment_order_source(payable: Payable) -> str:
    """What a payable's payment order is made for (GeneratedDocument.source)."""
    return f"payable:{payable.pk}"


def paid_total(payable: Payable) -> Decimal:
    """What has been paid on the payable, read from the database."""
    total = payable.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return Decimal(total).quantize(CENT)  # SQLite sums decimals as floats


def with_paid_amount(payables: models.QuerySet[Payable]) -> models.QuerySet[Payable]:
    """The payables, each with `paid_amount`: the sum of its payments, in the same query."""
    paid = (
        Payment.objects.filter(payable=OuterRef("pk"))
        .values("payable")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return payables.annotate(
        paid_amount=Coalesce(Subquery(paid), Value(Decimal(0)), output_field=DecimalField(**MONEY))
    )


def _takes_payments(model: type[models.Model]) -> bool:
    """Finance records payments through the subject's `record_payment` transition, so only a
    model that declares one may carry payables."""
    try:
        return "record_payment" in transition_names(model)
    except (StopIteration, KeyError):  # no state field, or no transitions on it
        return False


def payable_open(
    subject: models.Model,
    *,
    source: str,
    public_body_id: int,
    association_id: int,
    amount: Decimal,
    decision_number: str,
    decided_on: date,
    payable_on: date,
    title: str,
    cost_centre: str = "",
    account: str = "",
) -> Payable:
    """The subject's payable for `source`, opened the first time: a retried transition or task
    gets the same row back, unchanged. Once a new payable commits, the hand-over task makes
    its payment order and sends it to the body's finance mailbox (see services)."""
    if not _takes_payments(type(subject)):
        raise TypeError(f"{type(subject).__name__} declares no record_payment transition.")
    if amount <= 0:
        raise ValidationError({"amount": _("A payable must be a positive amount.")})
    payable, created = Payable.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        source=source,
        defaults={
            "public_body_id": public_body_id,
            "association_id": association_id,
            "amount": amount,
            "decision_number": decision_number,
            "decided_on": decided_on,
            "payable_on": payable_on,
            "title": title,
            "cost_centre": cost_centre,
            "account": account,
        },
    )
    if created:
        from documents import tasks  # tasks -> services -> the subject apps -> this module

        enqueue_on_commit(tasks.hand_over_to_finance, payable.pk)
    return payable


def payment_record(
    payable: Payable, *, actor: Any, amount: Decimal, paid_on: date, reference: str = ""
) -> Decimal:
    """Record a payment on the payable and return what is left to pay.

    Called inside the subject's `record_payment` transition, which holds the subject's row
    lock. The payable's row is locked too, so a payment batch made meanwhile waits and then
    sees the lower remaining amount (documents.finance.payment_batch_create locks the same).
    """
    if amount <= 0:
        raise ValidationError({"amount": _("A payment must be a positive amount.")})
    payable = locked(Payable.objects.filter(pk=payable.pk)).get()
    remaining = payable.amount - paid_total(payable)
    if amount > remaining:
        left = _("Only %(left)s is left to pay.") % {
            "left": formats.money(remaining, translation.get_language())
        }
        raise ValidationError({"amount": left})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("A payment cannot be recorded in the future.")})
    Payment.objects.create(
        payable=payable, amount=amount, paid_on=paid_on, reference=reference, recorded_by=actor
    )
    return remaining - amount


def payment_record_for(
    payable_id: int, *, user: Any, amount: Decimal, paid_on: date, reference: str = ""
) -> Payable:
    """Finance records a payment on one of its bodies' payables: the `record_payment`
    transition of the payable's subject, through the transition service.

    Payable.DoesNotExist for a payable of a body the person does not pay for (the API answers
    404, as for a missing one); otherwise the service's errors: PermissionDenied, 409 when the
    subject's state takes no payment, ValidationError for a bad amount or date (nothing saved).
    """
    payable = Payable.objects.filter(public_body_id__in=finance_bodies(user)).get(pk=payable_id)
    transition_perform(
        payable.subject,
        "record_payment",
        actor=user,
        params={
            "payable_id": payable.pk,
            "amount": amount,
            "paid_on": paid_on,
            "reference": reference,
        },
    )
    return payable
