"""What a decision on a request for rectification (oikaisuvaatimus, Local Government Act
410/2015 134–136 §) comes to: the same two outcomes for a grant decision and an agreement
decision, so the API names them once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RectificationOutcome(models.TextChoices):
    UPHELD = "upheld", _("Decision upheld")
    CHANGED = "changed", _("Decision changed")
