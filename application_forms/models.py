"""Application forms as data: a public body's form definitions and their versions.

A version's content (sections of fields, `application_forms.definition`) is frozen once an
application uses it: editing then makes the next version, the way an approval chain bumps its
`version`, so an application is always read against the questions it was answered on.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import PublicBody


class FormDefinition(models.Model):
    """A form a call asks its applicants to fill in (hakulomake), with its versions."""

    public_body = models.ForeignKey(
        PublicBody, on_delete=models.PROTECT, related_name="form_definitions"
    )
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("application form")
        verbose_name_plural = _("application forms")
        ordering = ["public_body", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> "FormVersion | None":
        return self.versions.order_by("-number").first()


class FormVersion(models.Model):
    """One version of a form's content; see `application_forms.versions` for when it may
    still change."""

    definition = models.ForeignKey(
        FormDefinition, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["definition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "number"], name="unique_form_version")
        ]

    def __str__(self) -> str:
        return f"{self.definition} v{self.number}"

    def is_used(self) -> bool:
        """Whether a record (an application) was started on this version. Asked through the
        relations that point here, so this app names no subject app (docs/architecture.md,
        the contracts)."""
        for relation in self._meta.related_objects:
            model: Any = relation.related_model
            if model._default_manager.filter(**{relation.field.name: self}).exists():
                return True
        return False
