"""A version's terms as every page shows them, and the difference between two versions as
rows a person reads (`terms.diff`)."""

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from agreements import terms
from agreements.models import AgreementVersion, Resource
from agreements.portal.labels import HOURS_PER, KINDS, SIDES, figure, local_date, money
from agreements.portal_forms import TermsForm
from organisations.languages import in_language

# The terms' fields as the difference between versions names them: as the terms form does.
TERM_LABELS = {name: TermsForm.base_fields[name].label for name in terms.TERM_FIELDS}


def terms_view(version: AgreementVersion) -> dict[str, Any]:
    """A version's terms ready to show: goals, resources with their labels, and per year the
    money and the hours and value of premises and staff time."""
    resources = []
    years: dict[int, dict[str, Decimal]] = {}
    for resource in version.resources.all():
        resources.append(
            {
                "resource": resource,
                "kind": KINDS.get(resource.kind, resource.kind),
                "provided_by": SIDES.get(resource.provided_by, resource.provided_by),
                "hours": figure(resource.hours) if resource.hours is not None else "",
                "per": HOURS_PER.get(resource.hours_per, ""),
            }
        )
        year = years.setdefault(
            resource.year,
            {
                "money": Decimal(0),
                "premises_hours": Decimal(0),
                "premises_value": Decimal(0),
                "staff_hours": Decimal(0),
                "staff_value": Decimal(0),
            },
        )
        if resource.kind == Resource.Kind.MONEY:
            year["money"] += resource.amount
        elif resource.kind in (Resource.Kind.PREMISES, Resource.Kind.STAFF):
            prefix = "premises" if resource.kind == Resource.Kind.PREMISES else "staff"
            year[f"{prefix}_hours"] += resource.hours_per_year
            year[f"{prefix}_value"] += resource.amount
    return {
        "version": version,
        "goals": [{"goal": g, "target": figure(g.target)} for g in version.goals.all()],
        "resources": resources,
        "years": [
            {
                "year": year,
                **totals,
                "premises_hours": figure(totals["premises_hours"]),
                "staff_hours": figure(totals["staff_hours"]),
            }
            for year, totals in sorted(years.items())
        ],
    }


def _row_lines(kind: str, row: dict[str, Any] | None) -> list[str] | None:
    """A goal or a resource of the difference, one line per part."""
    if row is None:
        return None
    if kind == "goals":
        parts = [
            (pgettext_lazy("agreement", "Goal"), row["title"]),
            (gettext_lazy("Indicator"), row["indicator"]),
            (gettext_lazy("Target value"), figure(row["target"])),
        ]
    else:
        hours = ""
        if row["hours"] is not None:
            hours = f"{figure(row['hours'])} {HOURS_PER.get(row['hours_per'], '')}".strip()
        parts = [
            (pgettext_lazy("resource", "Year"), str(row["year"])),
            (pgettext_lazy("resource", "Kind"), KINDS.get(row["kind"], row["kind"])),
            (gettext_lazy("Provided by"), SIDES.get(row["provided_by"], row["provided_by"])),
            (
                gettext_lazy("Premises"),
                in_language(row["premises"], "name", (get_language() or "fi")[:2])
                if row.get("premises")
                else "",
            ),
            (pgettext_lazy("resource", "Description"), row["description"]),
            (gettext_lazy("Euros"), money(row["amount"])),
            (pgettext_lazy("resource", "Hours"), hours),
            (
                pgettext_lazy("resource", "Paid on"),
                local_date(row["pays_on"]) if row["pays_on"] else "",
            ),
        ]
    return [f"{label}: {value}" for label, value in parts if value]


def _value_lines(value: Any) -> list[str]:
    if isinstance(value, date):
        return [local_date(value)]
    if isinstance(value, Decimal):
        return [figure(value)]
    return [str(value)]


def difference(older: AgreementVersion, newer: AgreementVersion) -> list[dict[str, Any]]:
    """`terms.diff` as rows a person reads: what, before, after (None: not in that version)."""
    rows = []
    for change in terms.diff(older, newer):
        row = re.fullmatch(r"(goals|resources)\[(\d+)\]", change["field"])
        if row:
            kind, number = row.groups()
            label = (_("Goal %(number)s") if kind == "goals" else _("Resource %(number)s")) % {
                "number": number
            }
            before = _row_lines(kind, change["before"])
            after = _row_lines(kind, change["after"])
        else:
            label = TERM_LABELS.get(change["field"], change["field"])
            before = _value_lines(change["before"])
            after = _value_lines(change["after"])
        rows.append({"label": label, "before": before, "after": after})
    return rows
