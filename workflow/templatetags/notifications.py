"""Filters for notification templates, which render in the language of their reader."""

from datetime import date

from django import template
from django.utils import translation
from django.utils.dateformat import format as format_date_with

register = template.Library()

DATE_FORMATS = {"fi": "j.n.Y", "sv": "j.n.Y", "en": "j F Y"}


@register.filter
def local_date(value: date | str) -> str:
    """1.12.2026 in Finnish and Swedish, 1 December 2026 in English (the active language)."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return format_date_with(day, DATE_FORMATS.get(translation.get_language(), "j.n.Y"))
