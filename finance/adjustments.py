"""What finance owes changed after a payable opened: a payable reduced (with the batches not yet
sent that hold it, and its payment order made again), and the recovery claims finance collects
when money already paid is more than is owed (agreements.instalments opens them).

A reduced payable in a batch not yet sent stays in it with the new amount: the batch's files
(CSV, XLSX, SEPA) are made from its items whenever they are downloaded, so the file for the bank
says the new amount, and marking the batch sent records it. The batch page says what changed
and that a file downloaded before must be downloaded again. Only when nothing is left to pay
does the item leave the batch. A batch already sent keeps the amount sent: what was paid beyond
the new sum is a recovery claim (docs/finance.md)."""

from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from finance.models import Payable, PaymentBatch, PaymentBatchItem
from finance.payables import finance_bodies, paid_total, with_paid_amount
from finance.reasons import reason_text
from workflow import formats
from workflow.actors import SYSTEM
from workflow.audit import action_record
from workflow.enqueue import enqueue_on_commit
from workflow.locking import locked
from workflow.models import TransitionLog

ITEM_REDUCED = "batch_item_reduced"
ITEM_REMOVED = "batch_item_removed"


def payable_reduce(payable_id: int, *, cut: Decimal, reason: dict[str, Any]) -> Payable:
    """Lower what the payable owes by `cut`, never below what is paid, with `reason` (an entry
    of finance.reasons; its old and new amount are added here).

    Each batch not yet sent that holds it for more than is now left to pay is changed with it
    (audited on the batch): the item's amount becomes what is left, or the item leaves the
    batch when nothing is. Once committed, the payable's payment order is made again for the
    new amount and handed to finance (finance.hand_over). ValueError for a cut that is not
    positive or would go below what is paid: the caller lowers only what is unpaid."""
    with transaction.atomic():
        payable = locked(Payable.objects.filter(pk=payable_id)).get()
        paid = paid_total(payable)
        if cut <= 0 or payable.amount - cut < paid:
            raise ValueError(f"Cannot cut {cut} from payable {payable.pk}: {paid} is paid.")
        before = payable.amount
        payable.amount = before - cut
        payable.reasons = [
            *payable.reasons,
            {**reason, "before": f"{before:.2f}", "after": f"{payable.amount:.2f}"},
        ]
        payable.save(update_fields=["amount", "reasons"])
        left = payable.amount - paid
        items = PaymentBatchItem.objects.filter(
            payable=payable, batch__state=PaymentBatch.State.MADE, amount__gt=left
        ).select_related("batch")
        for item in items:
            data = {
                "payable": payable.pk,
                "payee": item.payee,
                "reference": item.reference,
                "from": item.amount,
                "to": max(left, Decimal(0)),
                "reason": payable.reasons[-1],
            }
            # Only while the batch is not sent: one marked meanwhile has paid what it said.
            still_made = PaymentBatchItem.objects.filter(
                pk=item.pk, batch__state=PaymentBatch.State.MADE
            )
            if left > 0:
                changed = still_made.update(amount=left)
                action = ITEM_REDUCED
            else:
                changed = still_made.delete()[0]
                action = ITEM_REMOVED
            if changed:
                action_record(item.batch, action=action, actor=SYSTEM, data=data)
        # finance.tasks -> hand_over -> finance.payables: imported when first needed.
        from finance import tasks

        enqueue_on_commit(tasks.hand_over_to_finance, payable.pk)
    return payable


def batch_changes(batch: PaymentBatch, language: str | None = None) -> list[str]:
    """What changed in the batch after it was made (items lowered or removed because their
    payable was reduced), oldest first, as sentences in `language`: one query."""
    language = language or translation.get_language()
    entries = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(PaymentBatch),
        object_id=batch.pk,
        transition__in=[ITEM_REDUCED, ITEM_REMOVED],
    ).order_by("at", "id")
    lines = []
    with translation.override(language):
        for entry in entries:
            data = entry.data
            facts = {
                "item": _("%(payee)s, %(number)s")
                % {
                    "payee": data.get("payee", ""),
                    "number": data.get("reference", ""),
                },
                "day": formats.local_date(timezone.localdate(entry.at), language),
                "before": formats.money(Decimal(str(data.get("from", 0))), language),
                "after": formats.money(Decimal(str(data.get("to", 0))), language),
                "reason": reason_text(data.get("reason") or {}, language),
            }
            if entry.transition == ITEM_REDUCED:
                line = _(
                    "%(item)s: lowered from %(before)s to %(after)s on %(day)s. %(reason)s "
                    "The batch's files now say the new amount: if you downloaded one before, "
                    "download it again before sending it to the bank."
                )
            else:
                line = _(
                    "%(item)s: left the batch on %(day)s, nothing is left to pay on it. "
                    "%(reason)s If you downloaded the batch's file before, download it again "
                    "before sending it to the bank."
                )
            lines.append(line % facts)
    return lines


# --- recovery claims ------------------------------------------------------------------------


class ClaimState:
    OPEN = "open"
    PAID_BACK = "paid_back"


CLAIM_STATES = (ClaimState.OPEN, ClaimState.PAID_BACK)


def recovery_claims_for(user: Any, state: str = "") -> QuerySet[Payable]:
    """The recovery claims of the person's finance bodies, the newest first, each with
    `paid_amount` (what has been paid back); `state` "open" or "paid_back" narrows them.
    One query whatever their number."""
    claims = (
        with_paid_amount(
            Payable.objects.filter(
                public_body_id__in=finance_bodies(user), kind=Payable.Kind.RECOVERY
            )
        )
        .select_related("association", "content_type")
        .order_by("-payable_on", "-id")
    )
    if state == ClaimState.OPEN:
        claims = claims.filter(amount__gt=F("paid_amount"))
    elif state == ClaimState.PAID_BACK:
        claims = claims.filter(amount__lte=F("paid_amount"))
    return claims


def claim_state(claim: Payable) -> str:
    return ClaimState.PAID_BACK if claim.paid_amount >= claim.amount else ClaimState.OPEN


def claim_state_label(state: str) -> str:
    if state == ClaimState.PAID_BACK:
        return _("Paid back")
    return pgettext("recovery claim", "Open")
