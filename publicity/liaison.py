"""The public page of the liaison people and the association meetings (seed 001 and 003: the
body names its liaison, whose duties are written down and given working time, and convenes its
associations at least twice a year). Anyone may read it without signing in: the liaison
people's work contact (a public official's, not a private person's), and of each meeting held
its date, place and the summary written for the public; never the minutes, nor who raised
what."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from liaison.selectors import liaison_people_public, meetings_held_public
from portal.pages import page
from publicity.caching import cacheable


@require_safe
@cacheable(public=False)
def liaison(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/liaison.html",
        {
            "people": liaison_people_public(),
            "page_obj": page(request, meetings_held_public()),
            "breadcrumbs": [
                (_("Public information"), reverse("public:home")),
                (_("Liaison people and association meetings"), None),
            ],
        },
    )
