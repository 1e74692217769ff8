"""Filters for notification templates, which render in the language of their reader."""

from datetime import date

from django import template
from django.utils import translation

from workflow import formats

register = template.Library()


@register.filter
def local_date(value: date | str) -> str:
    """The date as the active language writes it (1.12.2026, or 1 December 2026 in English)."""
    return formats.local_date(value, translation.get_language())
