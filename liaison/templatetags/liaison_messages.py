"""A filter for the meetings' messages, which render in their reader's language."""

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def clock(value: str) -> str:
    """A time of day kept as "HH:MM", as the reader's language writes it: 18.00 in Finnish and
    Swedish, 18:00 in English."""
    hour, _sep, minute = str(value).partition(":")
    separator = ":" if translation.get_language() == "en" else "."
    return f"{int(hour)}{separator}{minute}"
