"""The choices a grant decision and its notification are made of."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    PARTIALLY_APPROVED = "partially_approved", _("Partially approved")
    REJECTED = "rejected", _("Rejected")


# The outcomes that grant support: money, and the free use of premises with it.
GRANTED = (Outcome.APPROVED, Outcome.PARTIALLY_APPROVED)


class Channel(models.TextChoices):
    LETTER = "letter", _("Ordinary letter")
    ELECTRONIC = "electronic", _("Electronically, with consent")
