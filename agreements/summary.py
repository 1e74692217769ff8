"""The yearly summary of a public body's partnership agreements, for its welfare report
(hyvinvointikertomus): per association and in total, the agreements in force, the goals met,
the money, free premises and staff time the body provided and the cooperation meetings held.

Six queries whatever the number of agreements: the agreements of the year (with their terms
in force), their parties, their premises and staff resources, then the goal results, the
meetings and the payments, each aggregated in the database.
"""

import io
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Sum, When
from django.utils import timezone

from agreements.models import (
    Agreement,
    AgreementParty,
    AgreementVersion,
    Evaluation,
    GoalResult,
    Meeting,
    Resource,
    Side,
)
from documents.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes
from finance.models import Payable, Payment
from organisations.models import Association
from premises.models import Premises

LANGUAGES = ("fi", "sv", "en")
CENT, HOUR = Decimal("0.01"), Decimal("0.1")

# The columns, in the order of `Row.values()`, in each language the exports speak.
COLUMNS = {
    "fi": [
        "Yhdistys",
        "Y-tunnus",
        "Sopimuksia",
        "Tavoitteita saavutettu",
        "Tavoitteita ei saavutettu",
        "Rahoitus (€)",
        "Tilat (tuntia)",
        "Tilojen arvo (€)",
        "Henkilöstöaika (tuntia)",
        "Tapaamisia pidetty",
        "Tapaamisia väliin jäänyt",
    ],
    "sv": [
        "Förening",
        "FO-nummer",
        "Avtal",
        "Mål uppnådda",
        "Mål inte uppnådda",
        "Finansiering (€)",
        "Lokaler (timmar)",
        "Lokalernas värde (€)",
        "Personaltid (timmar)",
        "Möten hållna",
        "Möten uteblivna",
    ],
    "en": [
        "Association",
        "Business ID",
        "Agreements",
        "Goals met",
        "Goals not met",
        "Money (€)",
        "Premises (hours)",
        "Premises value (€)",
        "Staff time (hours)",
        "Meetings held",
        "Meetings missed",
    ],
}
TOTAL_LABEL = {"fi": "Yhteensä", "sv": "Totalt", "en": "Total"}
SHEET_TITLE = {
    "fi": "Kumppanuussopimukset {year}",
    "sv": "Partnerskapsavtal {year}",
    "en": "Partnership agreements {year}",
}
# How the spreadsheet shows the figures that are not counts.
EUROS = '#,##0.00 "€"'
HOURS = "#,##0.0"
NUMBER_FORMATS = {
    "money": EUROS,
    "premises_value": EUROS,
    "premises_hours": HOURS,
    "staff_hours": HOURS,
}


@dataclass
class Figures:
    agreements: int = 0
    goals_met: int = 0
    goals_not_met: int = 0
    money: Decimal = Decimal("0.00")
    premises_hours: Decimal = Decimal("0.0")
    premises_value: Decimal = Decimal("0.00")
    staff_hours: Decimal = Decimal("0.0")
    meetings_held: int = 0
    meetings_missed: int = 0

    def add(self, other: "Figures") -> None:
        for f in fields(Figures):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class Row(Figures):
    """One association's figures; the total row has no association."""

    association_id: int | None = None
    association_name: str = ""
    business_id: str = ""

    def values(self) -> list[Any]:
        return [
            self.association_name,
            self.business_id,
            *(getattr(self, f.name) for f in fields(Figures)),
        ]


@dataclass
class Summary:
    """The rows (by association name) and the total.

    An agreement with several associations counts once in the total, and in each of their
    rows with its goals and meetings whole, but the premises and staff time by the party's
    share (`party_figures`). Money is counted only in the row of the association each
    payable pays (the payee). The premises, staff time and money add up to the total; the
    counts of a joint agreement do not.
    """

    public_body_id: int
    year: int
    rows: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=Row)


def _agreements_of_year(public_body_id: int, first: date, last: date) -> list[Agreement]:
    """The body's agreements that existed in the year from `first` to `last`, whatever their
    term: those in force on any day of it (from the day their first version came into force
    to the day they ended, or will end: the term's end, or earlier after a notice of
    termination), and those with money paid or a meeting held in it (an instalment paid
    before the term begins, say, even when the agreement was then cancelled before its term
    and the money paid back). Each carries `days_in_force` in the year."""
    came_into_force = (
        AgreementVersion.objects.filter(agreement=OuterRef("pk"), in_force_from__isnull=False)
        .order_by("in_force_from")
        .values("in_force_from")[:1]
    )
    paid = Payment.objects.filter(
        payable__content_type=ContentType.objects.get_for_model(Agreement),
        payable__object_id=OuterRef("pk"),
        paid_on__range=(first, last),
    )
    held = Meeting.objects.filter(agreement=OuterRef("pk"), held_on__range=(first, last))
    own_resources = Resource.objects.filter(
        year=first.year,
        provided_by=Side.PUBLIC_BODY,
        kind__in=[Resource.Kind.PREMISES, Resource.Kind.STAFF],
    ).select_related("premises")
    agreements = (
        Agreement.objects.filter(
            public_body_id=public_body_id,
            in_force_version__isnull=False,
            state__in=Agreement.MONEY_STATES,
        )
        .annotate(in_force_since=Subquery(came_into_force))
        .filter(
            (
                Q(state__in=Agreement.SIGNED_STATES)
                & (
                    (
                        Q(in_force_since__lte=last)
                        & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))
                    )
                    | Exists(held)
                )
            )
            # One cancelled before its term never was in force; the money paid ahead of it,
            # and paid back, still happened in the year.
            | Exists(paid)
        )
        .select_related("in_force_version")
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("association")),
            Prefetch(
                "in_force_version__resources", queryset=own_resources, to_attr="year_resources"
            ),
        )
        .order_by("pk")
    )
    result = []
    for agreement in agreements:
        # The end is Agreement.ends_on (the term or the notice period), read in Python so the
        # rule lives in one place.
        agreement.days_in_force = (
            0
            if agreement.state == Agreement.S.CANCELLED
            else _days(agreement.in_force_since, agreement.ends_on, first, last)
        )
        result.append(agreement)
    return result


def _days(start: date, end: date, first: date, last: date) -> int:
    """The days from `start` to `end` that fall from `first` to `last`."""
    return max(0, (min(end, last) - max(start, first)).days + 1)


def _goal_counts(ids: list[int], first: date, last: date) -> dict[int, dict[str, int]]:
    """Goals found met and not met in the evaluations of periods ending in the year; a result
    the liaison has not marked (met is null) counts as neither."""
    rows = (
        GoalResult.objects.filter(
            evaluation__agreement_id__in=ids,
            evaluation__state=Evaluation.State.EVALUATED,
            evaluation__period_ends_on__range=(first, last),
        )
        .values("evaluation__agreement_id")
        .annotate(
            goals_met=Count("pk", filter=Q(met=True)),
            goals_not_met=Count("pk", filter=Q(met=False)),
        )
        .order_by()
    )
    return {r["evaluation__agreement_id"]: r for r in rows}


def _meeting_counts(ids: list[int], first: date, last: date) -> dict[int, dict[str, int]]:
    """Meetings held in the year, and missed: due in the year, passed, neither held nor
    cancelled (Meeting.status "missed")."""
    held = Q(held_on__range=(first, last))
    due = Q(due_on__range=(first, last))
    missed = due & Q(held_on__isnull=True, cancelled=False, due_on__lt=timezone.localdate())
    rows = (
        Meeting.objects.filter(held | due, agreement_id__in=ids)
        .values("agreement_id")
        .annotate(held=Count("pk", filter=held), missed=Count("pk", filter=missed))
        .order_by()
    )
    return {r["agreement_id"]: r for r in rows}


def _payments(ids: list[int], first: date, last: date) -> list[dict[str, Any]]:
    """What was paid in the year on the agreements' payables, per payee, less what was paid
    back on recovery claims."""
    returned = Q(payable__kind=Payable.Kind.RECOVERY)
    return list(
        Payment.objects.filter(
            payable__content_type=ContentType.objects.get_for_model(Agreement),
            payable__object_id__in=ids,
            paid_on__range=(first, last),
        )
        .values(
            "payable__association_id",
            "payable__association__name",
            "payable__association__business_id",
        )
        .annotate(
            total=Sum(Case(When(returned, then=-F("amount")), default=F("amount"))),
        )
        .order_by()
    )


def _in_force_share(agreement: Agreement, first: date, last: date) -> Decimal:
    """The days the agreement was in force of the days its term has in the year (0 when its
    term has none): an agreement terminated in March counts its premises until March, and
    one whose term is half the year counts its whole half-year's resources."""
    version = agreement.in_force_version
    term_days = _days(version.starts_on, version.ends_on, first, last)
    if not term_days:
        return Decimal(0)
    return min(Decimal(1), Decimal(agreement.days_in_force) / Decimal(term_days))


def _resource_figures(agreement: Agreement, first: date, last: date) -> Figures:
    """The premises and staff time of the year's terms, pro-rated by `_in_force_share`."""
    figures = Figures()
    share = _in_force_share(agreement, first, last)
    if not share:
        return figures
    for resource in agreement.in_force_version.year_resources:
        if resource.kind == Resource.Kind.PREMISES:
            figures.premises_hours += _part(resource.hours_per_year, share, HOUR)
            figures.premises_value += _part(resource.amount, share, CENT)
        else:
            figures.staff_hours += _part(resource.hours_per_year, share, HOUR)
    return figures


def _part(value: Decimal, share: Decimal, unit: Decimal) -> Decimal:
    return (value * share).quantize(unit, rounding=ROUND_HALF_UP)


def party_share(party: AgreementParty, parties: list[AgreementParty]) -> Decimal:
    """A party's share of a joint agreement: its own (`share`, per cent), or what the parties
    without one leave, split equally among them."""
    if party.share is not None:
        return party.share / 100
    given = sum((p.share for p in parties if p.share is not None), Decimal(0))
    unshared = sum(1 for p in parties if p.share is None)
    return max(Decimal(100) - given, Decimal(0)) / 100 / unshared


def party_figures(
    figures: Figures, party: AgreementParty, parties: list[AgreementParty]
) -> Figures:
    """What a joint agreement counts in one party's row: the agreement, its goals and meetings
    whole (they are the party's too), the premises and staff time the body provides by the
    party's share of the figures already pro-rated by the days in force, so that the rows add
    up to the total."""
    share = party_share(party, parties)
    return replace(
        figures,
        premises_hours=_part(figures.premises_hours, share, HOUR),
        premises_value=_part(figures.premises_value, share, CENT),
        staff_hours=_part(figures.staff_hours, share, HOUR),
    )


@dataclass(frozen=True)
class PremisesPart:
    """One association's part of one free premises resource the body provides in a year:
    its hours and the value the terms state, pro-rated by the days in force and split by the
    party's share as `yearly_summary` counts them (each resource rounded on its own)."""

    association: Association
    premises: Premises | None
    hours: Decimal
    stated_value: Decimal


def premises_parts(public_body_id: int, year: int) -> list[PremisesPart]:
    """The free premises of the body's agreements in `year`, per resource and party: three
    queries whatever the number of agreements (the agreements, their parties, their
    resources with their catalogue entries)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    parts = []
    for agreement in _agreements_of_year(public_body_id, first, last):
        share = _in_force_share(agreement, first, last)
        parties = list(agreement.parties.all())
        for resource in agreement.in_force_version.year_resources:
            if resource.kind != Resource.Kind.PREMISES or not share:
                continue
            hours = _part(resource.hours_per_year, share, HOUR)
            value = _part(resource.amount, share, CENT)
            for party in parties:
                party_part = party_share(party, parties)
                parts.append(
                    PremisesPart(
                        association=party.association,
                        premises=resource.premises,
                        hours=_part(hours, party_part, HOUR),
                        stated_value=_part(value, party_part, CENT),
                    )
                )
    return parts


def yearly_summary(public_body_id: int, year: int) -> Summary:
    """The body's agreements by what happened in `year`, per association and in total.

    - agreements: in force on any day of the year, or with money paid or a meeting held in
      it whatever their term;
    - goals met / not met: results of their evaluations evaluated, for periods ending in
      the year;
    - money: payments on their payables paid in the year (less money paid back on recovery
      claims), in the payee's row;
    - premises hours and value, staff hours: what the body provides for the year in the
      terms in force (premises booked by the week count AGREEMENT_WEEKS_PER_YEAR weeks),
      pro-rated by the days the agreement was in force of its term's days in the year;
    - meetings held in the year, and missed (due in the year and passed, not held).

    The figures of the terms in force are today's terms: an amendment that came into force
    later in the year replaces the earlier resources for the whole year.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    agreements = _agreements_of_year(public_body_id, first, last)
    ids = [a.pk for a in agreements]
    goals = _goal_counts(ids, first, last)
    meetings = _meeting_counts(ids, first, last)

    summary = Summary(public_body_id=public_body_id, year=year)
    rows: dict[int, Row] = {}

    def row_of(association_id: int, name: str, business_id: str) -> Row:
        if association_id not in rows:
            rows[association_id] = Row(
                association_id=association_id, association_name=name, business_id=business_id
            )
        return rows[association_id]

    for agreement in agreements:
        figures = _resource_figures(agreement, first, last)
        figures.agreements = 1
        figures.goals_met = goals.get(agreement.pk, {}).get("goals_met", 0)
        figures.goals_not_met = goals.get(agreement.pk, {}).get("goals_not_met", 0)
        figures.meetings_held = meetings.get(agreement.pk, {}).get("held", 0)
        figures.meetings_missed = meetings.get(agreement.pk, {}).get("missed", 0)
        summary.total.add(figures)
        parties = list(agreement.parties.all())
        for party in parties:
            association = party.association
            row = row_of(association.pk, association.name, association.business_id or "")
            row.add(party_figures(figures, party, parties))
    for paid in _payments(ids, first, last):
        row = row_of(
            paid["payable__association_id"],
            paid["payable__association__name"],
            paid["payable__association__business_id"] or "",  # "": an unregistered group
        )
        row.money += paid["total"]
        summary.total.money += paid["total"]
    summary.rows = sorted(rows.values(), key=lambda r: (r.association_name, r.association_id))
    return summary


# --- exports --------------------------------------------------------------------------------


def summary_csv(summary: Summary, language: str = "fi") -> bytes:
    """One row per association and the total row after a header, as Finnish Excel opens it:
    UTF-8 with a byte order mark, semicolons, decimal comma. The total row is data here (it is
    not the sum of the rows)."""
    rows = [*summary.rows, _labelled_total(summary, language)]
    return csv_bytes(COLUMNS[language], [row.values() for row in rows])


def summary_xlsx(summary: Summary, language: str = "fi") -> bytes:
    """A workbook with a bold header row, one row per association (figures as numbers with
    number formats) and a bold total row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE[language].format(year=summary.year)
    sheet.append(COLUMNS[language])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in [*summary.rows, _labelled_total(summary, language)]:
        sheet.append(row.values())
        line = sheet[sheet.max_row]
        for cell in line[:2]:
            cell.data_type = "s"  # a name starting with "=" stays text, never a formula
        for cell, f in zip(line[2:], fields(Figures), strict=True):
            cell.number_format = NUMBER_FORMATS.get(f.name, "0")
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 12
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _labelled_total(summary: Summary, language: str) -> Row:
    total = Row(association_name=TOTAL_LABEL[language])
    total.add(summary.total)
    return total


EXPORTS = {
    "csv": (summary_csv, CSV_CONTENT_TYPE),
    "xlsx": (summary_xlsx, XLSX_CONTENT_TYPE),
}
