"""Document templates (versioned uploads) and generated documents (immutable, traceable)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Language
from workflow.models import SubjectMixin


def next_version(versions: models.QuerySet) -> int:
    """The version number after the highest in `versions` (1 for the first)."""
    return (versions.aggregate(highest=models.Max("version"))["highest"] or 0) + 1


class Kind(models.TextChoices):
    GRANT_DECISION = "grant_decision", _("Grant decision")
    RECTIFICATION_DECISION = "rectification_decision", _("Decision on a request for rectification")
    PAYMENT_ORDER = "payment_order", _("Payment order")
    AGREEMENT = "agreement", _("Partnership agreement")
    ROUND_DECISION_LIST = "round_decision_list", _("Decision list of a round")
    AGREEMENT_RECTIFICATION_DECISION = (
        "agreement_rectification_decision",
        _("Decision on a request for rectification of an agreement decision"),
    )


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


# The documents addressed to the association that decide its money: what its people see of a
# subject's documents, and what finance receives with a payment order.
DECISION_KINDS = (Kind.GRANT_DECISION, Kind.RECTIFICATION_DECISION, Kind.AGREEMENT)
