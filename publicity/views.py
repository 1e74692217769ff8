"""The pages anyone may read without signing in, in Finnish, Swedish and English: open calls
with their criteria, form and how to apply; decisions in their published form (Local Government
Act 410/2015 140 §); granted support by year, call and association; and the open data
(publicity.open_data). Every read goes through publicity.selectors: what is not published is
a 404."""

import json
from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from application_forms.rendering import page_sections
from grants.models import Call
from organisations.languages import in_language
from portal.pages import page
from publicity import open_data, selectors
from publicity.caching import cacheable

# The open data's rows per page: about 100 kB of JSON, rendered in a few milliseconds (its
# time grows with the rows; bench/pages.py measures it at 100 000 applications).
OPEN_DATA_PAGE_SIZE = 200


def _trail(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Public information"), reverse("public:home")), *trail]


@require_safe
@cacheable(public=False)
def home(request: HttpRequest) -> HttpResponse:
    """Open calls, the latest published decisions, and the way to the support and the data."""
    return render(
        request,
        "public/home.html",
        {
            "calls": selectors.calls_open(),
            "decisions": selectors.decisions_in_appeal_period()[:10],
            "years": selectors.years(),
        },
    )


@require_safe
@cacheable(public=False)
def call(request: HttpRequest, pk: int) -> HttpResponse:
    """A call as an applicant reads it before signing in: what it funds, when, its criteria,
    its questions (read only) and how to apply."""
    found = selectors.call_public(pk)
    if found is None:
        raise Http404
    version = found.form.current_version() if found.form_id else None
    name = _call_name(found)
    return render(
        request,
        "public/call.html",
        {
            "call": found,
            "is_open": found.is_open(),
            "sections": page_sections(version.content, {}) if version else [],
            "breadcrumbs": _trail((name, None)),
            "call_name": name,
        },
    )


@require_safe
@cacheable(public=False)
def decisions(request: HttpRequest) -> HttpResponse:
    """The decisions in their appeal period, newest first."""
    return render(
        request,
        "public/decisions.html",
        {
            "page_obj": page(request, selectors.decisions_in_appeal_period()),
            "breadcrumbs": _trail((pgettext("public", "Decisions"), None)),
        },
    )


@require_safe
@cacheable(public=False)
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision in its published form; after its appeal period, the granted support."""
    publication = selectors.publications().filter(pk=pk).first()
    if publication is None:
        raise Http404
    return render(
        request,
        "public/decision.html",
        {
            "publication": publication,
            "application": publication.application,
            "call_name": _call_name(publication.call),
            "breadcrumbs": _trail(
                (pgettext("public", "Decisions"), reverse("public:decisions")),
                (publication.application.decision_number or _("Decision"), None),
            ),
        },
    )


@require_safe
@cacheable(public=False)
def support(request: HttpRequest) -> HttpResponse:
    """Granted support in a year: in total, per call and per association (optionally within
    one call)."""
    years = selectors.years()
    year = _int_param(request, "year")
    call_id = _int_param(request, "call")
    if year is None:
        year = years[0] if years else None
    found = selectors.support(year, call_id) if year in years else None
    calls = {row.pk: row.name for row in found.by_call} if found else {}
    if call_id is not None and call_id not in calls:
        raise Http404
    return render(
        request,
        "public/support.html",
        {
            "years": years,
            "year": year,
            "support": found,
            "call_id": call_id,
            "call_name": calls.get(call_id, ""),
            "page_obj": page(request, found.by_association) if found else None,
            "breadcrumbs": _trail((_("Granted support"), None)),
        },
    )


def _int_param(request: HttpRequest, name: str) -> int | None:
    """A whole-number query parameter; a missing one is None, a malformed one a 404 (no such
    year, no such call), never a server error."""
    raw = request.GET.get(name, "")
    if raw == "":
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise Http404
    return int(raw)


def _call_name(found: Call) -> str:
    return in_language(found, "name", (get_language() or "fi")[:2])


# --- open data -----------------------------------------------------------------------------


def _grants_page(
    request: HttpRequest, view_name: str
) -> tuple[list[dict[str, Any]], dict[str, str]] | HttpResponse:
    """(the page's grants as 360Giving rows, links to its neighbours) or an error response."""
    paginator = Paginator(selectors.granted_support(), OPEN_DATA_PAGE_SIZE)
    try:
        current = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return HttpResponseBadRequest(_("The page must be a whole number."))
    except EmptyPage as missing:
        if request.GET.get("page", "1") == "1":  # nothing published yet: an empty first page
            current = paginator.get_page(1)
        else:
            raise Http404 from missing
    base = settings.SITE_URL + reverse(view_name)
    links = {"first": f"{base}?page=1", "last": f"{base}?page={paginator.num_pages}"}
    if current.has_previous():
        links["prev"] = f"{base}?page={current.previous_page_number()}"
    if current.has_next():
        links["next"] = f"{base}?page={current.next_page_number()}"
    publications = list(current.object_list)
    paid = selectors.disbursed([p["application_id"] for p in publications])
    urls = open_data.page_urls(settings.SITE_URL)
    rows = [
        open_data.grant(
            p,
            paid=paid[p["application_id"]].amount,
            paid_recorded_at=paid[p["application_id"]].last_recorded_at,
            urls=urls,
        )
        for p in publications
    ]
    return rows, links


def _link_header(links: dict[str, str]) -> str:
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())


@require_safe
@cacheable(public=True)
def grants_json(request: HttpRequest) -> HttpResponse:
    """`/open/v1/grants.json?page=N`: a 360Giving grant package, oldest grant first."""
    found = _grants_page(request, "public:grants-json")
    if isinstance(found, HttpResponse):
        return found
    rows, links = found
    response = HttpResponse(
        json.dumps(open_data.package(rows, links), ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Link"] = _link_header(links)
    return response


@require_safe
@cacheable(public=True)
def grants_csv(request: HttpRequest) -> HttpResponse:
    """`/open/v1/grants.csv?page=N`: the same page as CSV with 360Giving's column titles."""
    found = _grants_page(request, "public:grants-csv")
    if isinstance(found, HttpResponse):
        return found
    rows, links = found
    response = HttpResponse(open_data.as_csv(rows), content_type="text/csv; charset=utf-8")
    response["Link"] = _link_header(links)
    response["Content-Disposition"] = 'inline; filename="grants.csv"'
    return response
