"""What finance must pay and what it has paid: the one place for the money of grants and
agreements alike.

A record that carries money to pay (a grant application, an agreement) opens a `Payable` for
each sum with `payable_open`, and declares two django-fsm transitions

    record_payment(self, *, actor, comment, payable_id: int | None = None,
                   amount, paid_on, reference="", batch_item_id: int | None = None)
    reverse_payment(self, *, actor, comment, payment_id: int, reason: str)

that call `payment_record` for one of its payables and `payment_reverse` for one of its
payments, and move its own state as the money says. Finance performs them through
`payment_record_for` and `payment_reverse_for` (one payment, confirmed by a person or sent by
an integration) or by marking a payment batch as sent to the bank (finance.batches), always
with the transition service (workflow.transitions.transition_perform): the subject's row is
locked, the actor's permission checked and the entry audited like any other state change.

The payments of a payable are a ledger that only grows: a wrong payment is corrected by a
reversing entry, never edited or deleted (see finance.models.Payment).
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from finance.models import MONEY, Payable, Payment, PaymentBatchItem
from organisations.association_register import payment_refusal
from organisations.models import Association, OfficialRole
from organisations.roles import roles_of
from workflow import formats
from workflow.enqueue import enqueue_on_commit
from workflow.errors import TransitionConflict
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
    """Every entry on the subject's payables, payments and reversing entries, oldest first."""
    return Payment.objects.filter(
        payable__content_type=ContentType.objects.get_for_model(subject),
        payable__object_id=subject.pk,
    ).order_by("paid_on", "id")


def standing(entries: Iterable[Payment]) -> list[Payment]:
    """The payments among ledger entries that stand: neither reversed nor reversing. Read
    from the entries themselves, so prefetched ones cost no query."""
    entries = list(entries)
    reversed_ids = {entry.reverses_id for entry in entries if entry.reverses_id}
    return [e for e in entries if e.reverses_id is None and e.pk not in reversed_ids]


def payment_order_source(payable: Payable) -> str:
    """What a payable's payment order is made for (GeneratedDocument.source): a reduced
    payable's order is made again for its new amount, once per reduction
    (finance.adjustments.payable_reduce), so each has a source of its own."""
    reductions = sum(1 for entry in payable.reasons or [] if entry.get("change") == "reduction")
    return payment_orders_of(payable.pk) + (f":r{reductions}" if reductions else "")


def payment_orders_of(payable_id: int) -> str:
    """What every payment order of a payable is made for, before its reductions: the key
    under which its newest order is found."""
    return f"payable:{payable_id}"


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
    kind: str = Payable.Kind.PAYMENT,
    reasons: list[dict[str, Any]] | None = None,
) -> Payable:
    """The subject's payable for `source`, opened the first time: a retried transition or task
    gets the same row back, unchanged. `reasons`: why the sum is not simply the decision's
    (finance.reasons). Once a new payable commits, the hand-over task makes
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
            "kind": kind,
            "reasons": reasons or [],
        },
    )
    if created and kind == Payable.Kind.PAYMENT:
        # finance.tasks -> hand_over -> this module: imported when first needed.
        from finance import tasks

        enqueue_on_commit(tasks.hand_over_to_finance, payable.pk)
    return payable


def payment_record(
    payable: Payable,
    *,
    actor: Any,
    amount: Decimal,
    paid_on: date,
    reference: str = "",
    batch_item_id: int | None = None,
) -> Decimal:
    """Record a payment on the payable and return what is left to pay.

    Called inside the subject's `record_payment` transition, which holds the subject's row
    lock. The payable's row is locked too, so a payment batch made meanwhile waits and then
    sees the lower remaining amount (finance.batches.payment_batch_create locks the same).
    `batch_item_id` ties the payment to the batch item it pays (one payment per item).
    """
    if amount <= 0:
        raise ValidationError({"amount": _("A payment must be a positive amount.")})
    payable = locked(Payable.objects.filter(pk=payable.pk)).get()
    if payable.kind == Payable.Kind.PAYMENT:
        # Money returned on a recovery claim is taken whatever the register says.
        payment_allowed_check(Association.objects.get(pk=payable.association_id))
    remaining = payable.amount - paid_total(payable)
    if amount > remaining:
        left = _("Only %(left)s is left to pay.") % {
            "left": formats.money(remaining, translation.get_language())
        }
        raise ValidationError({"amount": left})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("A payment cannot be recorded in the future.")})
    if paid_on < payable.payable_on:
        # Payable from the day the decision became legally valid (Local Government Act
        # 134 §) or the instalment's date: before it, nothing was in finance's inbox to pay.
        raise ValidationError(
            {
                "paid_on": _("This became payable on %(day)s: a payment cannot be dated earlier.")
                % {"day": formats.local_date(payable.payable_on, translation.get_language())}
            }
        )
    if batch_item_id is not None:
        item = PaymentBatchItem.objects.filter(pk=batch_item_id, payable=payable).first()
        if item is None:
            raise ValidationError({"batch_item_id": _("Not a batch item of this payable.")})
        if Payment.objects.filter(batch_item=item).exists():
            raise TransitionConflict(_("This batch item has already been paid."))
    Payment.objects.create(
        payable=payable,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        recorded_by=actor,
        batch_item_id=batch_item_id,
    )
    return remaining - amount


def payment_allowed_check(association: Association) -> None:
    """No money to an association the register shows in liquidation, bankrupt or
    deregistered, or whose reading is too old (organisations.association_register): a 409
    with the reason, nothing recorded."""
    refusal = payment_refusal(association)
    if refusal:
        raise TransitionConflict(refusal, "register")


def payment_reverse(subject: models.Model, *, actor: Any, payment_id: int, reason: str) -> Payment:
    """Reverse one of the subject's payments with a reversing entry and return that entry.

    Called inside the subject's `reverse_payment` transition (the subject's row is locked);
    the payable's row is locked as for a payment. ValidationError (400) without a reason, for
    a payment that is not the subject's, or for a reversing entry; TransitionConflict (409)
    for a payment reversed already.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reversing the payment.")})
    payment = payments_of(subject).filter(pk=payment_id).first()
    if payment is None:
        raise ValidationError({"payment_id": _("Not a payment of this record.")})
    if payment.is_reversal:
        raise ValidationError(
            {"payment_id": _("This is a reversing entry: it cannot be reversed in turn.")}
        )
    payable = locked(Payable.objects.filter(pk=payment.payable_id)).get()
    earlier = Payment.objects.filter(reverses=payment).select_related("recorded_by").first()
    if earlier is not None:
        raise TransitionConflict(
            _("This payment was already reversed on %(day)s by %(person)s.")
            % {
                "day": formats.local_date(
                    timezone.localdate(earlier.recorded_at), translation.get_language()
                ),
                "person": earlier.recorded_by.display_name,
            }
        )
    return Payment.objects.create(
        payable=payable,
        amount=-payment.amount,
        paid_on=payment.paid_on,
        reference=payment.reference,
        recorded_by=actor,
        reverses=payment,
        reason=reason,
    )


def _finance_payable(payable_id: int, user: Any) -> Payable:
    """One of the payables of the person's finance bodies; Payable.DoesNotExist otherwise (the
    API and the pages answer 404, as for a missing one)."""
    return Payable.objects.filter(public_body_id__in=finance_bodies(user)).get(pk=payable_id)


def payment_record_for(
    payable_id: int,
    *,
    user: Any,
    amount: Decimal,
    paid_on: date,
    reference: str = "",
    entries_seen: int | None = None,
) -> Payable:
    """Finance records a payment on one of its bodies' payables: the `record_payment`
    transition of the payable's subject, through the transition service.

    Payable.DoesNotExist for a payable of a body the person does not pay for (the API answers
    404, as for a missing one); otherwise the service's errors: PermissionDenied, 409 when the
    subject's state takes no payment, ValidationError for a bad amount or date (nothing saved).

    `entries_seen` is the number of ledger entries the person saw when they confirmed the
    payment: if it has changed (a second press of the button, a payment made meanwhile), the
    payment is refused with a 409 instead of being recorded twice.
    """
    payable = _finance_payable(payable_id, user)
    subject = payable.subject
    with transaction.atomic():
        if entries_seen is not None:
            # The subject's row first, as the transition service locks it: no payment or
            # reversal of this subject can commit between this count and the payment.
            locked(type(subject)._default_manager.filter(pk=subject.pk)).get()
            if payable.payments.count() != entries_seen:
                raise TransitionConflict(
                    _(
                        "The payments of this payable changed after you checked this one. "
                        "Nothing was recorded: check the payment again."
                    )
                )
        transition_perform(
            subject,
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


class _Checked(Exception):
    """Ends the dry run of `payment_check_for`, rolling back the payment it recorded."""


def payment_check_for(
    payable_id: int, *, user: Any, amount: Decimal, paid_on: date, reference: str = ""
) -> None:
    """Everything `payment_record_for` checks, without recording the payment: what a person
    is shown to confirm can be recorded. The payment is recorded in a transaction that is
    then rolled back, with the effects it registered for the commit, so the check is the
    rules themselves (the subject's state, the permission, what is left, the day), not a copy
    of them. Raises what `payment_record_for` raises."""
    try:
        with transaction.atomic():
            payment_record_for(
                payable_id, user=user, amount=amount, paid_on=paid_on, reference=reference
            )
            raise _Checked
    except _Checked:
        pass


def payment_reverse_for(payable_id: int, *, user: Any, payment_id: int, reason: str) -> Payable:
    """Finance reverses a payment of one of its bodies' payables: the `reverse_payment`
    transition of the payable's subject, through the transition service. Errors as for
    `payment_record_for`; a payment of another payable is a ValidationError."""
    payable = _finance_payable(payable_id, user)
    if not payable.payments.filter(pk=payment_id).exists():
        raise ValidationError({"payment_id": _("Not a payment of this payable.")})
    transition_perform(
        payable.subject,
        "reverse_payment",
        actor=user,
        params={"payment_id": payment_id, "reason": reason},
    )
    return payable
