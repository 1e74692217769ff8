"""Where a person finds a record: the page of each kind of record for each audience.

Every email and calendar event links to the page it is about, and which page that is depends
on who reads it: an association's people read the association portal, officials the
workbench, finance the finance portal. The engine knows no subject app, so each app registers
its models' pages from its `AppConfig.ready` (`page_register`); the engine asks for a record's
page for an audience (`page_path`) and makes it absolute for a message (`absolute_url`).
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from workflow.models import Recipients


class Audience(StrEnum):
    ASSOCIATION = "association"
    OFFICIALS = "officials"
    FINANCE = "finance"


Page = Callable[[Any], str]

_PAGES: dict[type[models.Model], dict[str, Page]] = {}


def page_register(model: type[models.Model], **pages: Page) -> None:
    """Register the site-relative page of `model`'s records for each audience named:
    `page_register(Application, association=..., officials=...)`."""
    unknown = set(pages) - {audience.value for audience in Audience}
    if unknown:
        raise ValueError(f"Unknown audiences: {sorted(unknown)}")
    _PAGES.setdefault(model, {}).update(pages)


def registered_pages() -> dict[type[models.Model], dict[str, Page]]:
    return {model: dict(pages) for model, pages in _PAGES.items()}


def page_path(record: Any, audience: str) -> str:
    """The record's page for the audience; the home page (which takes each person to their
    portal) when the record has none for it."""
    page = _PAGES.get(type(record), {}).get(audience)
    return page(record) if page is not None else reverse("home")


def audience_of(recipients: str) -> str:
    """The audience of a deadline's reminders (`workflow.models.Recipients`)."""
    if recipients == Recipients.ASSOCIATION:
        return Audience.ASSOCIATION
    return Audience.OFFICIALS


def absolute_url(path: str | None) -> str:
    """The address a person opens from an email or a calendar: SITE_URL and the path (the
    home page without one, as for messages written before they carried their page)."""
    return settings.SITE_URL.rstrip("/") + (path or reverse("home"))
