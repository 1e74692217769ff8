"""The public catalogue of free premises (premises.models): every body's active entries, and
one entry's page with its address, accessibility, capacity, hours and booking contact, for
anyone without signing in, in Finnish, Swedish and English. An inactive entry, or an id that
is no entry, is a 404."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from organisations.languages import in_language
from premises.selectors import premises_public
from publicity.caching import cacheable


def _trail(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Public information"), reverse("public:home")), *trail]


def _language() -> str:
    return (get_language() or "fi")[:2]


@require_safe
@cacheable(public=False)
def premises_list(request: HttpRequest) -> HttpResponse:
    """The active entries by body and name."""
    language = _language()
    entries = list(premises_public().order_by("public_body__name", "name", "pk"))
    for entry in entries:
        entry.name_shown = in_language(entry, "name", language)
    return render(
        request,
        "public/premises_list.html",
        {"entries": entries, "breadcrumbs": _trail((_("Free premises"), None))},
    )


@require_safe
@cacheable(public=False)
def premises_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = premises_public().filter(pk=pk).first()
    if found is None:
        raise Http404
    language = _language()
    name = in_language(found, "name", language)
    return render(
        request,
        "public/premises_detail.html",
        {
            "entry": found,
            "name": name,
            "accessibility": in_language(found, "accessibility", language),
            "hours_available": in_language(found, "hours_available", language),
            "breadcrumbs": _trail(
                (_("Free premises"), reverse("public:premises-list")), (name, None)
            ),
        },
    )
