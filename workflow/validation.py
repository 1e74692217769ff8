"""Checks of transition parameters that every aggregate's transitions share."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.time_limits import next_working_day, time_limit_end

# The calendar years a person may ask a yearly figure for (a report, a summary, the
# indicators), on a page or through the API: the service's records with room on both sides.
# Beyond them only date arithmetic's own limits (datetime.MINYEAR, MAXYEAR) would answer, as
# a 500.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def require_choice(field: str, value: str, choices: type[models.TextChoices]) -> None:
    if value not in choices.values:
        raise ValidationError(
            {field: _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}}
        )


def require_text(field: str, value: str, message: str) -> None:
    if not value.strip():
        raise ValidationError({field: message})


def future_due_date(due_on: date | None) -> date:
    """The due date an official gave, or the default completion period; a working day ahead."""
    today = timezone.localdate()
    due_on = due_on or time_limit_end(today, settings.COMPLETION_PERIOD_DAYS)
    if due_on <= today:
        raise ValidationError({"due_on": _("The due date must be in the future.")})
    return next_working_day(due_on)
