"""Assessment of applications against their call's criteria (arviointikriteerit).

The room knows calls and applications by their app labels only ("grants.Call"): grants reads
the totals (`selectors.totals_for_call`) for its round, so this room stays below it
(docs/architecture.md, the contract `assessments`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Criterion(models.Model):
    """A criterion a call publishes: applications are scored on its scale, weighted."""

    call = models.ForeignKey(
        "grants.Call", on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(_("name"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, help_text=_("How much the criterion counts against the others.")
    )
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)

    class Meta:
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        ordering = ["call", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="criterion_scale_rises"
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weighs"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.scale_min is not None
            and self.scale_max is not None
            and self.scale_max <= self.scale_min
        ):
            raise ValidationError({"scale_max": _("The highest score must exceed the lowest.")})
        if self.weight is not None and self.weight < 1:
            raise ValidationError({"weight": _("A criterion weighs at least 1.")})
        if self.pk and self.scores.exclude(value__range=(self.scale_min, self.scale_max)).exists():
            # The reviewers' scores stay as given: a scale that would leave one outside it
            # would make the totals meaningless.
            raise ValidationError(_("Scores already given fall outside this scale."))


class Reviewer(models.Model):
    """An official assigned to assess one application of the call, or all of them (no
    application)."""

    call = models.ForeignKey(
        "grants.Call", on_delete=models.CASCADE, related_name="reviewers", verbose_name=_("call")
    )
    application = models.ForeignKey(
        "grants.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviewers",
        verbose_name=_("application"),
        help_text=_("Leave empty to assess every application of the call."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "user"],
                condition=Q(application__isnull=True),
                name="one_call_reviewer",
            ),
            models.UniqueConstraint(
                fields=["application", "user"],
                condition=Q(application__isnull=False),
                name="one_application_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Score(models.Model):
    """A reviewer's score of one application on one criterion. Scoring again replaces it (the
    audit log keeps the earlier one); a disqualified reviewer's scores stay but do not count."""

    application = models.ForeignKey(
        "grants.Application", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    value = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion", "reviewer"], name="one_score_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
