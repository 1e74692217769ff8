"""What finance must pay (payables), the payments made and reversed (an append-only ledger),
and the payment batches finance exports to the bank and marks as sent."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from organisations.models import Association, PublicBody
from workflow import rules as r
from workflow.models import SubjectMixin
from workflow.permissions import fsm_permission

MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]


class Payable(SubjectMixin):
    """One sum finance must pay, whatever it comes from: a grant decision's granted money, an
    agreement's yearly instalment. Its subject is the record whose `record_payment` transition
    records the payments (see finance.payables); `source` names what in the subject it is for,
    one payable per subject and source.

    A recovery claim is money the association owes back (an amendment lowered a year already
    paid): finance collects it, so it is never in the inbox of what to pay, and a payment
    recorded on it is money returned."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        RECOVERY = "recovery", _("Recovery claim")

    public_body = models.ForeignKey(PublicBody, on_delete=models.PROTECT, related_name="+")
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (€)"), validators=POSITIVE, **MONEY)
    # The reference finance quotes: the decision's or the agreement's number.
    decision_number = models.CharField(_("decision number"), max_length=40)
    decided_on = models.DateField(_("decided on"))
    # Payable from: the day the decision became legally valid, or the instalment's date.
    payable_on = models.DateField(_("payable on"))
    title = models.CharField(_("title"), max_length=200)
    cost_centre = models.CharField(_("cost centre"), max_length=40, blank=True)
    account = models.CharField(_("account"), max_length=40, blank=True)
    source = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PAYMENT)
    # Why the sum is what it is when not simply the decision's: a supplementary payment, an
    # amount reduced or a recovery claim after an amendment (agreements.instalments), each an
    # entry of facts (finance.reasons) rendered in the reader's language, oldest first.
    reasons = models.JSONField(
        _("reasons for the sum"), default=list, blank=True, encoder=DjangoJSONEncoder
    )
    # Text written before the reasons were stored as facts (finance 0005) that could not be
    # read back into them; shown as written.
    reason = models.TextField(_("reason as written"), blank=True)

    class Meta:
        verbose_name = _("payable")
        verbose_name_plural = _("payables")
        ordering = ["payable_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "source"], name="one_payable_per_source"
            )
        ]
        # Finance's inbox: a body's payments in the inbox's order, so that its page is read from
        # the index and stops at the page's end (at 100 000 applications its query went from
        # 150–195 ms to under 7 ms, EXPLAIN ANALYZE on the bench's data).
        indexes = [
            models.Index(
                fields=["public_body", "payable_on", "id"],
                name="payable_inbox",
                condition=models.Q(kind="payment"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision_number}: {self.amount} €"

    @property
    def reason_lines(self) -> list[str]:
        """Why the sum is what it is, a line per change, in the active language."""
        from finance.reasons import reason_lines

        return reason_lines(self)


class Payment(models.Model):
    """One entry of a payable's ledger: a payment (an instalment) made to the association's
    account, or the reversing entry that cancels one.

    The ledger is append-only: a recorded payment is never edited or deleted. A wrong one is
    corrected by a reversing entry, a row of its own with the negative amount, `reverses`
    pointing at the payment it cancels and the reason finance gave (finance.payables
    `payment_reverse`, through the subject's `reverse_payment` transition). Being a row of the
    same table, it keeps every sum of the ledger right without a special case (what is paid,
    what is left, the agreements' yearly summary) and carries its own who and when. It is dated
    as the payment it cancels, so the money paid in a period is right once corrected; when it
    was made is `recorded_at`. The database holds the rules: a payment is positive, a reversing
    entry negative with a reason, and a payment is reversed at most once (`reverses` is
    unique), a reversing entry never (it would have to be positive).
    """

    payable = models.ForeignKey(Payable, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(**MONEY)
    paid_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # The batch item this payment paid, when it was recorded from a batch sent to the bank.
    batch_item = models.OneToOneField(
        "PaymentBatchItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment",
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )
    reason = models.TextField(_("reason for the reversal"), blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0, reason="")
                | (
                    Q(reverses__isnull=False, amount__lt=0, batch_item__isnull=True) & ~Q(reason="")
                ),
                name="payment_positive_reversal_negative_with_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} € on {self.paid_on}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class PaymentBatch(FSMModelMixin, models.Model):
    """Payables finance sends to the bank together (SEPA pain.001, XLSX, CSV).

    Made, it can be exported and checked; once finance marks it as sent to the bank (the day
    and who), each of its items is recorded as a payment (finance.batches
    `payment_batch_mark_sent`)."""

    class State(models.TextChoices):
        MADE = "made", _("Made, not yet sent")
        SENT = "sent", _("Sent to the bank")

    S = State

    public_body = models.ForeignKey(PublicBody, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    execution_date = models.DateField(_("requested execution date"))
    state = FSMField(default=S.MADE, choices=State.choices, protected=True)
    sent_on = models.DateField(_("sent to the bank on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.public_body} {self.created_at:%Y-%m-%d} #{self.pk}"

    @transition(state, source=S.MADE, target=S.SENT, permission=fsm_permission(r.is_finance))
    def mark_sent(self, *, actor: Any, comment: str, sent_on: date) -> None:
        """Finance sent the batch's file to the bank on `sent_on`: each item is recorded as a
        payment, all of them or none (finance.batches.batch_items_pay)."""
        from finance.batches import batch_items_pay

        batch_items_pay(self, actor=actor, sent_on=sent_on)
        self.sent_on = sent_on
        self.sent_by = actor
        self.sent_at = timezone.now()


class PaymentBatchItem(models.Model):
    """One transfer of a batch, with the payee's details as they were when it was made."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="items")
    payable = models.ForeignKey(Payable, on_delete=models.PROTECT, related_name="batch_items")
    payee = models.CharField(max_length=200)
    business_id = models.CharField(max_length=9)
    iban = models.CharField(max_length=34)
    amount = models.DecimalField(**MONEY)
    reference = models.CharField(max_length=140)

    class Meta:
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "payable"], name="one_item_per_payable")
        ]

    def __str__(self) -> str:
        return f"{self.payee}: {self.amount} €"
