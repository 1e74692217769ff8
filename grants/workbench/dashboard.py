"""The dashboard: budgets used per call, applications by state, deadlines by week, each a
bar chart with its table."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy
from django.views.decorators.http import require_GET

from grants import workbench_selectors as selectors
from grants.workbench.common import (
    crumbs,
)
from portal.portals import portal_required
from portal.templatetags.formats import local_date, money


@dataclass
class ChartRow:
    """One bar of a chart and the same figures as a row of the chart's table."""

    label: str
    percent: float  # the bar's length, 0–100
    text: str  # what the bar says: the image's name and title
    shown: Any  # the figure written beside the bar (hidden from screen readers)
    cells: list[Any]  # the table row's figures after its label
    href: str = ""  # where the label leads, if anywhere


@dataclass
class Chart:
    """The bars of a chart drawn by `officials/includes/bar_chart.html`, and the headers of
    the table that repeats their figures."""

    columns: list[str]  # the rows' label, then each of their cells
    rows: list[ChartRow]


def _budget_chart(bars: list[selectors.Bar]) -> Chart:
    rows = []
    for bar in bars:
        budget = money(bar.extra["budget"])
        used = money(bar.value)
        percent = floatformat(bar.percent, 0)
        text = _("%(used)s of %(budget)s (%(percent)s %%)") % {
            "used": used,
            "budget": budget,
            "percent": percent,
        }
        rows.append(
            ChartRow(
                label=bar.label,
                percent=bar.percent,
                text=text,
                shown=text,
                cells=[budget, used, money(bar.extra["left"]), f"{percent} %"],
                href=reverse("officials:call", args=[bar.extra["call"].pk]),
            )
        )
    return Chart(
        columns=[
            pgettext("workbench", "Call"),
            pgettext("workbench", "Budget"),
            pgettext("workbench", "Granted"),
            pgettext("workbench", "Left"),
            pgettext("workbench", "Used"),
        ],
        rows=rows,
    )


def _states_chart(bars: list[selectors.Bar]) -> Chart:
    applications = reverse("officials:applications")
    rows = [
        ChartRow(
            label=bar.label,
            percent=bar.percent,
            text=ngettext("%(counter)s application", "%(counter)s applications", bar.value)
            % {"counter": bar.value},
            shown=bar.value,
            cells=[bar.value],
            href=f"{applications}?state={bar.extra['state']}",
        )
        for bar in bars
    ]
    return Chart(
        columns=[pgettext("workbench", "State"), pgettext("workbench", "Applications")],
        rows=rows,
    )


def _deadlines_chart(bars: list[selectors.Bar]) -> Chart:
    rows = [
        ChartRow(
            label=_("%(first)s – %(last)s")
            % {"first": local_date(bar.extra["first"]), "last": local_date(bar.extra["last"])},
            percent=bar.percent,
            text=ngettext("%(counter)s deadline", "%(counter)s deadlines", bar.value)
            % {"counter": bar.value},
            shown=bar.value,
            cells=[bar.value],
        )
        for bar in bars
    ]
    return Chart(
        columns=[pgettext("workbench", "Week"), pgettext("workbench", "Deadlines")],
        rows=rows,
    )


@require_GET
@portal_required("officials")
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    overdue = selectors.deadlines_for_official(user, days=0).filter(due_on__lt=timezone.localdate())
    return render(
        request,
        "officials/dashboard.html",
        {
            "budgets": _budget_chart(selectors.budget_per_call(user)),
            "states": _states_chart(selectors.applications_by_state(user)),
            "weeks": _deadlines_chart(selectors.deadlines_by_week(user)),
            "overdue_count": overdue.count(),
            "days": selectors.DASHBOARD_DAYS,
            "breadcrumbs": crumbs((pgettext_lazy("workbench", "Dashboard"), None)),
        },
    )
