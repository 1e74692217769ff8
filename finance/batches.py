"""Finance's side of every payable (a grant decision's money, an agreement's instalment): the
inbox of what is payable now, payment batches and their files (CSV and XLSX in
finance.exports, the SEPA pain.001 for the bank in finance.sepa).

Only the finance people (OfficialRole finance) of a public body see its payables and batches.
Payments themselves are recorded through the `record_payment` transition of the payable's
subject: one at a time (finance.payables.payment_record_for), or all the items of a payment
batch at once when finance marks the batch as sent to the bank (`payment_batch_mark_sent`).

A batch's payments are dated the day finance sent the batch to the bank, not its requested
execution date. That day is a fact when finance marks the batch, while the execution date is
often still ahead (the file goes to the bank a few days before), and a payment is never
recorded for a day that has not come (payables.payment_record); it is also the day the
municipality's order to pay became irrevocable. The execution date stays on the batch and in
its bank file, and each payment names the batch item it paid, so the bank statement is
reconciled against the batch.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from stdnum import iban as iban_number

from documents.models import GeneratedDocument, Kind
from documents.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from finance.exports import batch_csv, batch_xlsx
from finance.models import Payable, Payment, PaymentBatch, PaymentBatchItem
from finance.payables import (
    finance_bodies,
    payment_allowed_check,
    payment_orders_of,
    with_paid_amount,
)
from finance.sepa import SEPA_CONTENT_TYPE, batch_sepa, payment_facts_check
from organisations.association_register import payment_refusal
from organisations.models import PublicBody
from workflow import formats
from workflow.audit import action_record
from workflow.errors import TransitionConflict
from workflow.locking import locked
from workflow.transitions import transition_perform

CENT = Decimal("0.01")


def is_finance_person(user: Any) -> bool:
    return bool(finance_bodies(user))


# --- the inbox ------------------------------------------------------------------------------


@dataclass
class InboxRow:
    """A payable with money left, as finance's inbox shows it."""

    payable: Payable
    paid: Decimal
    remaining: Decimal
    # The newest version of each document of its subject (decision, agreement...) and its
    # own payment order.
    documents: list[GeneratedDocument] = field(default_factory=list)
    # The payment batches it is already in, oldest first.
    batch_ids: list[int] = field(default_factory=list)
    # Its ledger, oldest first: payments and reversing entries, each with its reversal.
    entries: list[Payment] = field(default_factory=list)

    @property
    def subject_kind(self) -> str:
        return self.payable.content_type.model

    @property
    def payment_refusal(self) -> str:
        """Why the association may not be paid now (the association register), or ""."""
        return payment_refusal(self.payable.association)


def payables_for(user: Any) -> QuerySet[Payable]:
    """The payables of the person's finance bodies, paid or not. Each row carries
    `paid_amount` (the sum of its payments)."""
    return (
        with_paid_amount(Payable.objects.filter(public_body_id__in=finance_bodies(user)))
        .select_related("association", "content_type")
        .order_by("payable_on", "id")
    )


def payable_inbox(user: Any) -> QuerySet[Payable]:
    """What the person's finance bodies must pay now: payables with money left whose day has
    come, oldest first (a recovery claim is money to collect, not to pay)."""
    return payables_for(user).filter(
        payable_on__lte=timezone.localdate(),
        amount__gt=F("paid_amount"),
        kind=Payable.Kind.PAYMENT,
    )


def inbox_rows(payables: Iterable[Payable], *, ledger: bool = False) -> list[InboxRow]:
    """The rows of `payables_for` with their documents and batches, and with `ledger` their
    ledgers too: two queries whatever their number (three with the ledgers)."""
    payables = list(payables)
    documents: dict[tuple[int, int], dict[str, GeneratedDocument]] = {}
    orders: dict[str, GeneratedDocument] = {}
    batches: dict[int, list[int]] = {}
    entries: dict[int, list[Payment]] = {}
    if payables:
        subjects: dict[int, set[int]] = {}
        for payable in payables:
            subjects.setdefault(payable.content_type_id, set()).add(payable.object_id)
        of_subjects = reduce(
            or_,
            (Q(content_type_id=ct, object_id__in=ids) for ct, ids in subjects.items()),
        )
        rows = (
            GeneratedDocument.objects.filter(of_subjects)
            .defer("data")
            .order_by("content_type_id", "object_id", "kind", "-version")
        )
        for document in rows:
            if document.kind == Kind.PAYMENT_ORDER:
                # A subject may have several payables, each with its own order; a reduced
                # payable's newest order (source "payable:<pk>:r<n>") is its current one.
                key = ":".join(document.source.split(":")[:2])
                orders.setdefault(key, document)
            else:
                key = (document.content_type_id, document.object_id)
                documents.setdefault(key, {}).setdefault(document.kind, document)
        for payable_id, batch_id in (
            PaymentBatchItem.objects.filter(payable__in=[p.pk for p in payables])
            .order_by("batch_id")
            .values_list("payable_id", "batch_id")
        ):
            batches.setdefault(payable_id, []).append(batch_id)
        if ledger:
            for entry in (
                Payment.objects.filter(payable__in=[p.pk for p in payables])
                .select_related("recorded_by", "batch_item", "reverses", "reversal__recorded_by")
                .order_by("paid_on", "id")
            ):
                entries.setdefault(entry.payable_id, []).append(entry)
    result = []
    for payable in payables:
        paid = Decimal(payable.paid_amount).quantize(CENT)
        own = documents.get((payable.content_type_id, payable.object_id), {})
        order = orders.get(payment_orders_of(payable.pk))
        result.append(
            InboxRow(
                payable=payable,
                paid=paid,
                remaining=payable.amount - paid,
                documents=[*own.values(), *([order] if order else [])],
                batch_ids=batches.get(payable.pk, []),
                entries=entries.get(payable.pk, []),
            )
        )
    return result


# --- payment batches ------------------------------------------------------------------------


def batches_for(user: Any) -> QuerySet[PaymentBatch]:
    """The payment batches of the person's finance bodies, newest first, each with its items
    and, once sent, the payment of each item (and its reversal, if any)."""
    return (
        PaymentBatch.objects.filter(public_body_id__in=finance_bodies(user))
        .select_related("public_body", "created_by", "sent_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=PaymentBatchItem.objects.select_related(
                    "payable__content_type", "payment__reversal"
                ),
            )
        )
    )


def payment_batch_create(
    *, user: Any, public_body_id: int, payable_ids: Sequence[int], execution_date: date
) -> PaymentBatch:
    """A batch of transfers for the body's payables, each for what is left to pay.

    PermissionDenied unless the person works in the body's finance; ValidationError (nothing
    saved) when the body lacks what its payment file must state (naming it), and for a
    payable that is not in the body's inbox, whether it is another body's, not yet payable,
    fully paid or missing: the message does not say which.

    A payable already in another batch may be batched again (say the bank refused the first
    file, or a payment of it was reversed): what lowers the remaining amount is a payment,
    recorded when a batch is marked as sent (`payment_batch_mark_sent`) or one at a time. The
    inbox shows the batches a payable is already in, so a second transfer is a visible choice,
    and marking a second batch sent refuses an item paid meanwhile.
    """
    if public_body_id not in finance_bodies(user):
        raise PermissionDenied(_("You do not handle the payments of this public body."))
    # Refused before anything is chosen: the batch exists to become the bank's file.
    payment_facts_check(PublicBody.objects.get(pk=public_body_id))
    ids = list(dict.fromkeys(payable_ids))
    if not ids:
        raise ValidationError({"payables": _("Choose at least one payable.")})
    if execution_date < timezone.localdate():
        raise ValidationError({"execution_date": _("The execution date cannot be in the past.")})
    with transaction.atomic():
        # Lock the payables first: a payment being recorded (payables.payment_record locks the
        # payable too) commits before the next statement reads the amounts paid.
        list(locked(Payable.objects.filter(public_body_id=public_body_id, pk__in=ids)).only("pk"))
        payables = {
            p.pk: p for p in payable_inbox(user).filter(public_body_id=public_body_id, pk__in=ids)
        }
        missing = [pk for pk in ids if pk not in payables]
        if missing:
            raise ValidationError(
                {
                    "payables": _("Not payable by this public body: %(ids)s.")
                    % {"ids": ", ".join(str(pk) for pk in missing)}
                }
            )
        for pk in ids:
            payment_allowed_check(payables[pk].association)
        batch = PaymentBatch.objects.create(
            public_body_id=public_body_id, created_by=user, execution_date=execution_date
        )
        items = []
        for pk in ids:
            payable = payables[pk]
            association = payable.association
            items.append(
                PaymentBatchItem(
                    batch=batch,
                    payable=payable,
                    payee=association.name,
                    business_id=association.business_id or "",  # "": an unregistered group
                    iban=iban_number.compact(association.iban),
                    amount=payable.amount - Decimal(payable.paid_amount).quantize(CENT),
                    reference=payable.decision_number,
                )
            )
        PaymentBatchItem.objects.bulk_create(items)
        action_record(
            batch,
            action="create_payment_batch",
            actor=user,
            data={
                "payables": ids,
                "execution_date": execution_date,
                "total": sum((i.amount for i in items), Decimal(0)),
            },
        )
    return batch


def _item_label(item: PaymentBatchItem) -> str:
    """A batch item as a message names it: payee, decision number and amount."""
    return _("%(payee)s, %(number)s (%(amount)s)") % {
        "payee": item.payee,
        "number": item.reference,
        "amount": formats.money(item.amount, translation.get_language()),
    }


def batch_items_pay(batch: PaymentBatch, *, actor: Any, sent_on: date) -> list[Payment]:
    """Record the payment of every item of the batch, dated `sent_on`: one `record_payment`
    transition of each item's subject, through the transition service, inside the batch's
    own `mark_sent` transition (one transaction, so all of them or none).

    An item that can no longer be paid (paid meanwhile, its subject in a state that takes no
    payment) refuses the whole marking with a TransitionConflict naming the item.
    """
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("A batch cannot be marked as sent in the future.")})
    made_on = timezone.localdate(batch.created_at)
    if sent_on < made_on:
        raise ValidationError(
            {
                "sent_on": _("The batch was made on %(day)s: it cannot have been sent before.")
                % {"day": formats.local_date(made_on, translation.get_language())}
            }
        )
    # The subjects' rows are locked in one order whatever the batch, so two batches sharing
    # subjects marked at once wait for each other instead of deadlocking.
    items = list(
        batch.items.select_related("payable__content_type").order_by(
            "payable__content_type_id", "payable__object_id", "id"
        )
    )
    for item in items:
        try:
            transition_perform(
                item.payable.subject,
                "record_payment",
                actor=actor,
                params={
                    "payable_id": item.payable_id,
                    "amount": item.amount,
                    "paid_on": sent_on,
                    "reference": item.reference,
                    "batch_item_id": item.pk,
                },
            )
        except (ValidationError, TransitionConflict, PermissionDenied) as refused:
            reason = (
                refused.message
                if isinstance(refused, TransitionConflict)
                else " ".join(refused.messages)
                if isinstance(refused, ValidationError)
                else str(refused)
            )
            raise TransitionConflict(
                _(
                    "%(item)s can no longer be paid: %(reason)s Nothing was recorded; make a "
                    "new batch without it."
                )
                % {"item": _item_label(item), "reason": reason},
                code="item_not_payable",
            ) from refused
    return list(Payment.objects.filter(batch_item__batch=batch).order_by("id"))


def payment_batch_mark_sent(*, user: Any, batch_id: int, sent_on: date) -> PaymentBatch:
    """Finance marks a batch of its bodies as sent to the bank on `sent_on`: its `mark_sent`
    transition, through the transition service, records the payment of each item.

    PaymentBatch.DoesNotExist for another body's batch (404); TransitionConflict (409) for a
    batch marked already or an item that can no longer be paid; ValidationError (400) for a
    day in the future or before the batch was made. Nothing is saved on any error.
    """
    batch = batches_for(user).get(pk=batch_id)
    with transaction.atomic():
        # The batch's row first, as the transition service locks it: the one who marks it
        # second waits, then reads who marked it before them (`sent_by` in a query of its
        # own: one joined to the locking query would be read as it was before the wait).
        current = locked(PaymentBatch.objects.filter(pk=batch.pk)).get()
        if current.state == PaymentBatch.State.SENT:
            raise TransitionConflict(
                _("Payment batch %(number)s was already marked as sent on %(day)s by %(person)s.")
                % {
                    "number": current.pk,
                    "day": formats.local_date(current.sent_on, translation.get_language()),
                    "person": current.sent_by.display_name,
                },
                code="already_sent",
            )
        return transition_perform(current, "mark_sent", actor=user, params={"sent_on": sent_on})


def batch_total(batch: PaymentBatch) -> Decimal:
    return sum((item.amount for item in batch.items.all()), Decimal(0))


# --- files ----------------------------------------------------------------------------------

EXPORTS = {
    "csv": (batch_csv, CSV_CONTENT_TYPE, "csv"),
    "xlsx": (batch_xlsx, XLSX_CONTENT_TYPE, "xlsx"),
    "sepa": (batch_sepa, SEPA_CONTENT_TYPE, "pain001.xml"),
}


def batch_export(batch: PaymentBatch, export_format: str) -> tuple[bytes, str, str]:
    """The file of a batch in `export_format` (csv, xlsx, sepa): bytes, content type, name.
    ValidationError for an unknown format, and for a body that lacks what the file must
    state (sepa.payment_facts_check)."""
    if export_format not in EXPORTS:
        raise ValidationError(
            {"format": _("Choose one of: %(formats)s.") % {"formats": ", ".join(EXPORTS)}}
        )
    render, content_type, extension = EXPORTS[export_format]
    return render(batch), content_type, f"maksuera-{batch.pk}.{extension}"
