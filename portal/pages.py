"""Page helpers the association portal's pages share, whichever app holds them."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy

PAGE_SIZE = 25


def page(request: HttpRequest, items: Any) -> Page:
    """The `?page=` of a list, PAGE_SIZE rows at a time."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def breadcrumbs(*trail: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    """The association portal's trail: its home, then `trail` ((label, url or None), ...)."""
    return [(gettext_lazy("Association portal"), reverse("associations:home")), *trail]
