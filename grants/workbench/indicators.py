"""The year's indicators of the official's public bodies (grants.indicators) as a table per
body: a row per call and the total, the year chosen with a small form (GET, no script)."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from grants import indicators
from grants.workbench.common import crumbs
from organisations.models import PublicBody
from organisations.roles import roles_of
from portal.portals import portal_required
from workflow import formats
from workflow.validation import FIRST_YEAR, LAST_YEAR


def _cells(figures: indicators.Figures) -> list[str]:
    """The applications and each indicator, written the page language's way."""
    language = translation.get_language()
    values = [figures.applications, *figures.indicators.values()]
    return [formats.number(value, language) for value in values]


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=pgettext_lazy("indicators", "Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )


@require_GET
@portal_required("officials")
def indicators_page(request: HttpRequest) -> HttpResponse:
    form = YearForm(request.GET or {"year": timezone.localdate().year})
    reports, status = [], 200
    if form.is_valid():
        bodies = PublicBody.objects.filter(
            pk__in=roles_of(request.user).all_public_bodies
        ).order_by("name")
        year = form.cleaned_data["year"]
        for body in bodies:
            report = indicators.indicator_sums(body.pk, year)
            rows = [(row, _cells(row)) for row in report.calls]
            reports.append(
                {"body": body, "year": year, "rows": rows, "total": _cells(report.total)}
            )
    else:
        status = 400
    return render(
        request,
        "officials/indicators.html",
        {
            "form": form,
            "reports": reports,
            "labels": list(indicators.LABELS.values()),
            "breadcrumbs": crumbs((pgettext_lazy("workbench", "Indicators"), None)),
        },
        status=status,
    )
