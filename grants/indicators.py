"""The indicators of a public body's year: for each form field marked as an indicator
(application_forms.definition.INDICATORS: members, of whom under 29, volunteers, events,
participants), the sum of the answers over the applications sent in the year, per call and in
total, for the body's yearly and welfare reports.

An application counts from the day it was sent (`submitted_at`, in the year in Finnish time)
in whatever state it is now, returned for completion included; a withdrawn one does not (the
association took it back). Each application is read against its own form version, so a field
renamed or added in a later version is summed under its indicator all the same. A number,
money or count answer adds its value; a table adds its rows (an events table: the events).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import pgettext_lazy

from application_forms import definition as d
from application_forms.models import FormVersion
from grants.models import Application, Call

S = Application.State
# What a report calls each indicator (its column), in application_forms.definition's order.
LABELS = {
    "members": pgettext_lazy("indicator", "Members"),
    "members_under_29": pgettext_lazy("indicator", "Of them under 29"),
    "volunteers": pgettext_lazy("indicator", "Volunteers"),
    "events": pgettext_lazy("indicator", "Events"),
    "participants": pgettext_lazy("indicator", "Participants"),
}
assert tuple(LABELS) == d.INDICATORS, "every indicator has its label"


@dataclass
class Figures:
    """The applications counted and each indicator's sum (only the indicators asked)."""

    applications: int = 0
    sums: dict[str, Decimal] = field(default_factory=dict)

    def add(self, sums: dict[str, Decimal], applications: int = 1) -> None:
        self.applications += applications
        for name, value in sums.items():
            self.sums[name] = self.sums.get(name, Decimal(0)) + value

    @property
    def indicators(self) -> dict[str, Decimal]:
        """Every indicator in its definition's order; 0 where no form asked it."""
        return {name: self.sums.get(name, Decimal(0)) for name in d.INDICATORS}


@dataclass
class CallFigures(Figures):
    call_id: int = 0
    call_name: str = ""


@dataclass
class IndicatorReport:
    public_body_id: int
    year: int
    calls: list[CallFigures]
    total: Figures


def indicator_fields(content: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(answer key, indicator, field type) of each field of a form's content marked as one."""
    return [
        (item["key"], item["indicator"], item["type"])
        for section in content.get("sections", [])
        for item in section.get("fields", [])
        if item.get("indicator") in d.INDICATORS
    ]


def _value(kind: str, answer: Any) -> Decimal | None:
    if answer is None or answer == "":
        return None
    if kind == d.TABLE:
        return Decimal(len(answer)) if isinstance(answer, list) else None
    if isinstance(answer, bool):  # not a figure, though Python counts it as one
        return None
    try:
        return Decimal(str(answer))
    except ArithmeticError:  # decimal.InvalidOperation: stored before the form checked it
        return None


def answers_sums(fields: Iterable[tuple[str, str, str]], answers: Any) -> dict[str, Decimal]:
    """One application's answers summed per indicator (the fields it answered)."""
    sums: dict[str, Decimal] = {}
    if not isinstance(answers, dict):
        return sums
    for key, name, kind in fields:
        value = _value(kind, answers.get(key))
        if value is not None:
            sums[name] = sums.get(name, Decimal(0)) + value
    return sums


def indicator_sums(public_body_id: int, year: int) -> IndicatorReport:
    """The body's indicators for `year`, per call (those with an application sent in the year,
    by name) and in total, in three queries: the applications, their form versions, the
    calls' names."""
    rows = (
        Application.objects.filter(
            call__public_body_id=public_body_id,
            submitted_at__isnull=False,
            submitted_at__year=year,
        )
        .exclude(state=S.WITHDRAWN)
        .order_by()
        .values_list("call_id", "form_version_id", "answers")
    )
    answers_of = list(rows)
    versions = {
        pk: indicator_fields(content)
        for pk, content in FormVersion.objects.filter(
            pk__in={version_id for _, version_id, _ in answers_of if version_id}
        ).values_list("pk", "content")
    }
    per_call: dict[int, Figures] = defaultdict(Figures)
    for call_id, version_id, answers in answers_of:
        per_call[call_id].add(answers_sums(versions.get(version_id, []), answers))
    names = dict(Call.objects.filter(pk__in=per_call).values_list("pk", "name"))
    calls = []
    total = Figures()
    for call_id, figures in per_call.items():
        calls.append(CallFigures(figures.applications, figures.sums, call_id, names[call_id]))
        total.add(figures.sums, figures.applications)
    calls.sort(key=lambda c: (c.call_name, c.call_id))
    return IndicatorReport(public_body_id, year, calls, total)
