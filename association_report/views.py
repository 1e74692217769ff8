"""The officials' page of the yearly association report (`/workbench/report/?year=&body=`),
printable on A4, with its bar charts drawn on the server (SVG, each bar named with its figure,
the same figures in the table under it), and the same report as XLSX and CSV.

Only the officials of the body see its report: another body's id is a 404, a person outside
the workbench a 403; a year that is not one is a 400 with the form's message."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from association_report.figures import GrantRow, YearlyReport, category_label, yearly_report
from association_report.tables import EXPORTS, MONEY, TEXT, Table, report_tables
from grants.workbench.common import crumbs
from grants.workbench.dashboard import Chart, ChartRow
from organisations.models import PublicBody
from organisations.roles import roles_of
from portal.portals import portal_required
from workflow import formats
from workflow.api import parse_id
from workflow.validation import FIRST_YEAR, LAST_YEAR


class ReportForm(forms.Form):
    year = forms.IntegerField(
        label=pgettext_lazy("report", "Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    body = forms.TypedChoiceField(
        label=pgettext_lazy("report", "Public body"), coerce=int, required=False
    )

    def __init__(self, data: Any, bodies: list[PublicBody]) -> None:
        super().__init__(data)
        self.fields["body"].choices = [(b.pk, b.name) for b in bodies]


def _bodies(request: HttpRequest) -> list[PublicBody]:
    return list(
        PublicBody.objects.filter(pk__in=roles_of(request.user).all_public_bodies).order_by(
            "name", "pk"
        )
    )


def _asked_body(request: HttpRequest, bodies: list[PublicBody]) -> None:
    """Another body's id is a 404, whatever the rest of the query says: the page does not
    tell which bodies exist."""
    asked = parse_id(request.GET.get("body", ""))
    if asked is not None and asked not in {b.pk for b in bodies}:
        raise Http404


def _report_of(request: HttpRequest) -> tuple[ReportForm, YearlyReport | None, PublicBody | None]:
    bodies = _bodies(request)
    _asked_body(request, bodies)
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    if bodies and not data.get("body"):
        data["body"] = str(bodies[0].pk)
    form = ReportForm(data, bodies)
    if not form.is_valid():
        return form, None, None
    body = next((b for b in bodies if b.pk == form.cleaned_data["body"]), None)
    if body is None:  # no body of one's own to report on
        raise Http404
    return form, yearly_report(body, form.cleaned_data["year"]), body


def _cell(value: Any, kind: str, language: str) -> str:
    if kind == TEXT:
        return value
    if kind == MONEY:
        return formats.money(value, language)
    return formats.number(value, language)


@dataclass
class ShownTable:
    """A table's rows as the page writes them: (text, is a figure) per cell."""

    table: Table
    rows: list[list[tuple[str, bool]]]
    total: list[tuple[str, bool]] | None


def _shown(table: Table, language: str) -> ShownTable:
    def cells(values: list[Any]) -> list[tuple[str, bool]]:
        return [
            (_cell(v, c.kind, language), c.kind != TEXT)
            for v, c in zip(values, table.columns, strict=True)
        ]

    return ShownTable(
        table, [cells(row) for row in table.rows], cells(table.total) if table.total else None
    )


def _granted_chart(rows: list[tuple[str, GrantRow]], language: str) -> Chart:
    """Bars of the sums granted, each as long as its share of the largest."""
    largest = max((row.granted for _, row in rows), default=0) or 1
    return Chart(
        columns=[],
        rows=[
            ChartRow(
                label=name,
                percent=float(row.granted / largest * 100),
                text=_("%(name)s: granted %(granted)s")
                % {
                    "name": name,
                    "granted": formats.money(row.granted, language),
                },
                shown=formats.money(row.granted, language),
                cells=[],
            )
            for name, row in rows
        ],
    )


def _hours_chart(report: YearlyReport, language: str) -> Chart:
    """Bars of the free premises hours per association, each as long as its share of the
    largest."""
    rows = report.premises.by_association
    largest = max((row.hours for row in rows), default=0) or 1
    return Chart(
        columns=[],
        rows=[
            ChartRow(
                label=row.name,
                percent=float(row.hours / largest * 100),
                text=_("%(name)s: %(hours)s hours")
                % {
                    "name": row.name,
                    "hours": formats.number(row.hours, language),
                },
                shown=formats.number(row.hours, language),
                cells=[],
            )
            for row in rows
        ],
    )


def _charts(report: YearlyReport, language: str) -> dict[str, Chart]:
    grants = report.grants
    return {
        "premises": _hours_chart(report, language),
        "by_category": _granted_chart(
            [(category_label(row.key), row) for row in grants.by_category], language
        ),
        "by_call": _granted_chart(
            [(row.name_in(language), row) for row in grants.by_call], language
        ),
    }


@require_GET
@portal_required("officials")
def report_page(request: HttpRequest) -> HttpResponse:
    form, report, body = _report_of(request)
    language = translation.get_language() or "fi"
    context: dict[str, Any] = {
        "form": form,
        "report": report,
        "body": body,
        "breadcrumbs": crumbs((pgettext_lazy("workbench", "Yearly report"), None)),
    }
    if report is None:
        return render(request, "association_report/report.html", context, status=400)
    tables = {t.key: _shown(t, language) for t in report_tables(report, language)}
    query = urlencode({"year": report.year, "body": report.public_body_id})
    context.update(
        tables=tables,
        charts=_charts(report, language),
        downloads=[
            (kind.upper(), f"{reverse('report:export', args=[kind])}?{query}") for kind in EXPORTS
        ],
    )
    return render(request, "association_report/report.html", context)


@require_GET
@portal_required("officials")
def report_export(request: HttpRequest, kind: str) -> HttpResponse:
    form, report, body = _report_of(request)
    if report is None:
        return HttpResponse(
            "\n".join(str(m) for messages in form.errors.values() for m in messages),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    render_file, content_type = EXPORTS[kind]
    language = translation.get_language() or "fi"
    response = HttpResponse(render_file(report, language), content_type=content_type)
    filename = f"jarjestotietoraportti-{body.pk}-{report.year}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
