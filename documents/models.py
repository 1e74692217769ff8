"""Document templates (versioned uploads), generated documents (immutable, traceable), what
finance must pay (payables) with the payments made, and the payment batches finance exports to
the bank."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Association, Language, PublicBody
from workflow.models import SubjectMixin

MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]


def next_version(versions: models.QuerySet) -> int:
    """The version number after the highest in `versions` (1 for the first)."""
    return (versions.aggregate(highest=models.Max("version"))["highest"] or 0) + 1


class Kind(models.TextChoices):
    GRANT_DECISION = "grant_decision", _("Grant decision")
    RECTIFICATION_DECISION = "rectification_decision", _("Decision on a request for rectification")
    PAYMENT_ORDER = "payment_order", _("Payment order")
    AGREEMENT = "agreement", _("Partnership agreement")


def template_path(instance: "DocumentTemplate", filename: str) -> str:
    return f"templates_docx/{instance.kind}.{instance.language}.v{instance.version}.docx"


class DocumentTemplate(models.Model):
    """One version of a .docx template. The newest version of a kind and language is used;
    older ones stay, so every generated document can name the exact bytes it came from."""

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    version = models.PositiveIntegerField(_("version"), editable=False)
    file = models.FileField(_("file"), upload_to=template_path)
    sha256 = models.CharField(max_length=64, editable=False)
    # Null: shipped with the product (templates_docx/), not uploaded by a person.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "version"], name="unique_template_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language}) v{self.version}"


def document_path(instance: "GeneratedDocument", filename: str) -> str:
    return (
        f"documents/{instance.content_type_id}/{instance.object_id}/"
        f"{instance.kind}.v{instance.version}.{instance.language}.docx"
    )


class GeneratedDocument(SubjectMixin):
    """A rendered document: never overwritten; regenerating makes the next version. It keeps
    the template version and the data it was rendered from, and the SHA-256 of its bytes."""

    kind = models.CharField(max_length=40, choices=Kind.choices)
    language = models.CharField(max_length=2, choices=Language.choices)
    version = models.PositiveIntegerField()
    template = models.ForeignKey(DocumentTemplate, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(help_text=_("The context the document was rendered from."))
    file = models.FileField(upload_to=document_path)
    sha256 = models.CharField(max_length=64)
    # What the document was made for (a decision's time, say): a retried task finds it made.
    source = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    pdf = models.FileField(upload_to="documents/pdf/", blank=True)
    sent_to_finance_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["content_type", "object_id", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "version"],
                name="unique_document_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} ({self.language})"


class Payable(SubjectMixin):
    """One sum finance must pay, whatever it comes from: a grant decision's granted money, an
    agreement's yearly instalment. Its subject is the record whose `record_payment` transition
    records the payments (see documents.payables); `source` names what in the subject it is for,
    one payable per subject and source."""

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

    class Meta:
        verbose_name = _("payable")
        verbose_name_plural = _("payables")
        ordering = ["payable_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "source"], name="one_payable_per_source"
            )
        ]
        # Finance's inbox: a body's payables, oldest payable first.
        indexes = [models.Index(fields=["public_body", "payable_on"], name="payable_inbox")]

    def __str__(self) -> str:
        return f"{self.decision_number}: {self.amount} €"


class Payment(models.Model):
    """One payment (an instalment) made on a payable to the association's account."""

    payable = models.ForeignKey(Payable, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(validators=POSITIVE, **MONEY)
    paid_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.amount} € on {self.paid_on}"


class PaymentBatch(models.Model):
    """Payables finance sends to the bank together (SEPA pain.001, XLSX, CSV)."""

    public_body = models.ForeignKey(PublicBody, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    execution_date = models.DateField(_("requested execution date"))

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.public_body} {self.created_at:%Y-%m-%d} #{self.pk}"


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
