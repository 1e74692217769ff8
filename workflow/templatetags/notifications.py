"""Filters for notification templates, which render in the language of their reader."""

from datetime import date
from decimal import Decimal

from django import template
from django.utils import translation

from workflow import formats
from workflow.links import absolute_url

register = template.Library()


@register.filter
def local_date(value: date | str) -> str:
    """The date as the active language writes it (1.12.2026, or 1 December 2026 in English)."""
    return formats.local_date(value, translation.get_language())


@register.filter
def money(value: Decimal | int | str | None) -> str:
    """The sum as the active language writes it (5 000,00 €, or €5,000.00 in English); the
    outbox keeps amounts as strings, which this reads too."""
    return formats.money(value, translation.get_language())


@register.filter
def site_url(path: str | None) -> str:
    """A site-relative path as the absolute address a reader opens (a list item's page; the
    message's own page is `link`)."""
    return absolute_url(path)
