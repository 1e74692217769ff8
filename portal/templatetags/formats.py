"""Money, dates and times in the active language's conventions: `{% load formats %}`.

    {{ application.requested_amount|money }}   5 000,00 € · 5 000,00 € · €5,000.00
    {{ call.closes_on|local_date }}           1.12.2026 · 1.12.2026 · 1 December 2026
    {{ log.created_at|local_datetime }}        1.12.2026 klo 14.05 · 1.12.2026 kl. 14.05 ·
                                              1 December 2026, 14:05

The same helpers (workflow/formats.py) write documents and messages, so a sum reads the same
on the page, in the email and in the decision.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django import template
from django.utils import timezone, translation

from workflow import formats

register = template.Library()

_TIME = {"fi": "{date} klo {hour}.{minute:02d}", "sv": "{date} kl. {hour}.{minute:02d}"}
_TIME_EN = "{date}, {hour}:{minute:02d}"


@register.filter
def money(value: Decimal | int | str | None) -> str:
    return formats.money(value, translation.get_language())


@register.filter
def local_date(value: date | str | None) -> str:
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return formats.local_date(value, translation.get_language())


@register.filter
def local_datetime(value: datetime | None) -> str:
    """In the service's time zone (Europe/Helsinki), whatever zone the value is in."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    language = translation.get_language()
    pattern = _TIME.get(language, _TIME_EN)
    return pattern.format(
        date=formats.local_date(local.date(), language), hour=local.hour, minute=local.minute
    )


@register.filter
def minutes(value: timedelta | None) -> int:
    """A duration in whole minutes, for `{% blocktranslate count %}`."""
    return int(value.total_seconds() // 60) if value else 0
