"""A public body's catalogue of free premises: the rooms and halls it lends to associations
free of charge, listed publicly (publicity's premises pages) so every association can find and
book them, and valued per hour for the yearly association report (järjestötietoraportti).
An agreement's premises resource and a grant's in-kind support point at an entry here; the
hours provided per association and year are counted in `association_report.premises_hours`."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organisations.models import PublicBody

POSTAL_CODE = RegexValidator(r"^\d{5}$", _("A Finnish postal code is five digits."))


class Premises(models.Model):
    """One entry of the catalogue. The Finnish texts are the base fields, the Swedish and
    English ones `<field>_sv` and `<field>_en` (organisations.languages)."""

    public_body = models.ForeignKey(
        PublicBody,
        on_delete=models.PROTECT,
        related_name="premises",
        verbose_name=_("public body"),
    )
    name = models.CharField(_("name"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=5, validators=[POSTAL_CODE])
    town = models.CharField(_("town"), max_length=100)
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    induction_loop = models.BooleanField(_("induction loop"), default=False)
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("What else a visitor with a disability needs to know: parking, lift, doors."),
    )
    accessibility_sv = models.TextField(_("accessibility in Swedish"), blank=True)
    accessibility_en = models.TextField(_("accessibility in English"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity (persons)"), validators=[MinValueValidator(1)]
    )
    hours_available = models.TextField(
        _("hours available"),
        help_text=_("One line per weekday or range of weekdays, e.g. “Mon–Fri 17–21”."),
    )
    hours_available_sv = models.TextField(_("hours available in Swedish"), blank=True)
    hours_available_en = models.TextField(_("hours available in English"), blank=True)
    # The body's own service address and number (a booking office, a front desk), never a
    # private person's: the catalogue is public.
    booking_email = models.EmailField(
        _("booking email"), blank=True, help_text=_("A service address of the body.")
    )
    booking_phone = models.CharField(
        _("booking phone"), max_length=40, blank=True, help_text=_("A service number of the body.")
    )
    value_per_hour = models.DecimalField(
        _("value per hour (€)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("What an hour's use is worth, for the yearly association report."),
    )
    active = models.BooleanField(
        pgettext_lazy("premises", "active"),
        default=True,
        help_text=_("Listed publicly and offered for new use."),
    )

    class Meta:
        verbose_name = _("premises")
        verbose_name_plural = pgettext_lazy("plural", "premises")
        ordering = ["public_body", "name", "pk"]
        indexes = [models.Index(fields=["public_body", "active"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value_per_hour__gte=0), name="premises_value_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.booking_email and not self.booking_phone:
            raise ValidationError(
                {"booking_email": _("Give a booking email or phone of the body.")}
            )
