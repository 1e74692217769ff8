"""The yearly association report of a public body (järjestötietoraportti): what the body's
associations applied for, were granted and were paid, what their applications told of their
work (the indicators), the partnership agreements, the free premises hours the body provided
and the association meetings (yhdistysilta) it held, for the welfare report
(hyvinvointikertomus, Health Care Act 12 §, Local Government Act 1 §) and the seed's
"järjestötietoraportti vuosittain hvk-raportoinnin yhteydessä" (docs/association-report.md).

One function, `yearly_report(body, year)`, in a constant number of queries whatever the size of
the year: the grants in three (the payments of the year, the applications they touch, the
content type), the indicators from `grants.indicators`, the agreements from
`agreements.summary`, the premises from `association_report.premises_hours`, the meetings
from `liaison.meetings` (with the matters raised, one query more).
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    When,
    prefetch_related_objects,
)

from agreements.summary import Summary, yearly_summary
from association_report.premises_hours import hours_provided
from finance.models import Payable, Payment
from grants.choices import GRANTED
from grants.indicators import IndicatorReport, indicator_sums
from grants.models import Application, Call
from liaison.meetings import meetings_held
from liaison.models import AssociationMeeting, RaisedMatter
from organisations.models import PublicBody

S = Application.State
ZERO = Decimal("0.00")


@dataclass
class GrantFigures:
    """Applied: the applications submitted in the year (not withdrawn) and the sum they
    asked; granted: the decisions made in the year that granted money and the sum; paid:
    the payments recorded in the year, less reversals and money paid back."""

    applied_count: int = 0
    applied: Decimal = ZERO
    granted_count: int = 0
    granted: Decimal = ZERO
    paid: Decimal = ZERO

    def add(self, other: "GrantFigures") -> None:
        for f in fields(GrantFigures):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class GrantRow(GrantFigures):
    """One category, call or association. `names`: a call's name per language."""

    key: Any = None
    name: str = ""
    names: dict[str, str] = field(default_factory=dict)
    business_id: str = ""

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.names.get("fi") or self.name


@dataclass
class Grants:
    by_category: list[GrantRow] = field(default_factory=list)
    by_call: list[GrantRow] = field(default_factory=list)
    by_association: list[GrantRow] = field(default_factory=list)
    total: GrantFigures = field(default_factory=GrantFigures)


@dataclass
class PremisesRow:
    """The free premises hours of one association or one catalogue entry (key None: the
    premises agreements name without an entry of the catalogue), and their value."""

    key: Any = None
    name: str = ""
    names: dict[str, str] = field(default_factory=dict)
    business_id: str = ""
    hours: Decimal = Decimal("0.0")
    value: Decimal = ZERO

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.names.get("fi") or self.name


@dataclass
class PremisesSection:
    by_association: list[PremisesRow] = field(default_factory=list)
    by_premises: list[PremisesRow] = field(default_factory=list)
    total: PremisesRow = field(default_factory=PremisesRow)


@dataclass
class Meetings:
    """The association meetings held in the year, by date, each with `matters_count` and
    its `matters` raised (their associations loaded)."""

    held: list[AssociationMeeting] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.held)

    @property
    def matters_count(self) -> int:
        return sum(meeting.matters_count for meeting in self.held)


@dataclass
class YearlyReport:
    public_body_id: int
    public_body_name: str
    year: int
    grants: Grants
    indicators: IndicatorReport
    agreements: Summary
    premises: PremisesSection
    meetings: Meetings


def _application_rows(body_id: int, year: int) -> tuple[list[dict[str, Any]], dict[int, Decimal]]:
    """The applications of the body's calls that were submitted, decided or paid in the year,
    with their call and association, and what was paid on each in the year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    content_type = ContentType.objects.get_for_model(Application)
    payments = Payment.objects.filter(
        payable__content_type=content_type,
        payable__public_body_id=body_id,
        paid_on__range=(first, last),
    )
    returned = Q(payable__kind=Payable.Kind.RECOVERY)
    paid = dict(
        payments.values_list("payable__object_id")
        .annotate(total=Sum(Case(When(returned, then=-F("amount")), default=F("amount"))))
        .order_by()
    )
    # The year of submission and decision as the indicators read it: in Finnish time.
    applied = Q(submitted_at__year=year) & ~Q(state=S.WITHDRAWN)
    granted = Q(decided_at__year=year, outcome__in=GRANTED, granted_amount__gt=0)
    was_paid = Exists(payments.filter(payable__object_id=OuterRef("pk")))
    rows = (
        Application.objects.filter(call__public_body_id=body_id)
        .filter(applied | granted | was_paid)
        .annotate(
            is_applied=ExpressionWrapper(applied, output_field=BooleanField()),
            is_granted=ExpressionWrapper(granted, output_field=BooleanField()),
        )
        .order_by()
        .values(
            "pk",
            "requested_amount",
            "granted_amount",
            "is_applied",
            "is_granted",
            "call_id",
            "call__name",
            "call__name_sv",
            "call__name_en",
            "call__category",
            "association_id",
            "association__name",
            "association__business_id",
        )
    )
    return list(rows), paid


def _figures(row: dict[str, Any], paid: dict[int, Decimal]) -> GrantFigures:
    figures = GrantFigures(paid=paid.get(row["pk"], ZERO))
    if row["is_applied"]:
        figures.applied_count, figures.applied = 1, row["requested_amount"]
    if row["is_granted"]:
        figures.granted_count, figures.granted = 1, row["granted_amount"]
    return figures


def _grouped(
    rows: list[tuple[dict[str, Any], GrantFigures]],
    key: Callable[[dict[str, Any]], Hashable],
    make: Callable[[dict[str, Any]], GrantRow],
) -> list[GrantRow]:
    groups: dict[Hashable, GrantRow] = {}
    for row, figures in rows:
        k = key(row)
        if k not in groups:
            groups[k] = make(row)
        groups[k].add(figures)
    return list(groups.values())


def grants_of_year(body_id: int, year: int) -> Grants:
    """The body's grants of the year by category (in the order of Call.Category), by call
    and by association (by name), and in total."""
    found, paid = _application_rows(body_id, year)
    rows = [(row, _figures(row, paid)) for row in found]
    grants = Grants()
    for _row, figures in rows:
        grants.total.add(figures)
    order = {value: i for i, value in enumerate(Call.Category.values)}
    grants.by_category = sorted(
        _grouped(
            rows,
            lambda r: r["call__category"],
            lambda r: GrantRow(key=r["call__category"], name=r["call__category"]),
        ),
        key=lambda g: order.get(g.key, len(order)),
    )
    grants.by_call = sorted(
        _grouped(
            rows,
            lambda r: r["call_id"],
            lambda r: GrantRow(
                key=r["call_id"],
                name=r["call__name"],
                names={"fi": r["call__name"], "sv": r["call__name_sv"], "en": r["call__name_en"]},
            ),
        ),
        key=lambda g: (g.name, g.key),
    )
    grants.by_association = sorted(
        _grouped(
            rows,
            lambda r: r["association_id"],
            lambda r: GrantRow(
                key=r["association_id"],
                name=r["association__name"],
                business_id=r["association__business_id"],
            ),
        ),
        key=lambda g: (g.name, g.key),
    )
    return grants


def category_label(value: str) -> str:
    """A category's name in the active language."""
    try:
        return str(Call.Category(value).label)
    except ValueError:
        return value


def premises_of_year(body: PublicBody, year: int) -> PremisesSection:
    """`hours_provided` summed per association (by name) and per catalogue entry (by name,
    the premises without an entry last), and in total."""
    section = PremisesSection()
    associations: dict[int, PremisesRow] = {}
    entries: dict[int | None, PremisesRow] = {}
    for part in hours_provided(body, year):
        association = part.association
        if association.pk not in associations:
            associations[association.pk] = PremisesRow(
                key=association.pk, name=association.name, business_id=association.business_id
            )
        key = part.premises.pk if part.premises else None
        if key not in entries:
            entries[key] = (
                PremisesRow(
                    key=key,
                    name=part.premises.name,
                    names={
                        "fi": part.premises.name,
                        "sv": part.premises.name_sv,
                        "en": part.premises.name_en,
                    },
                )
                if part.premises
                else PremisesRow()
            )
        for row in (associations[association.pk], entries[key], section.total):
            row.hours += part.hours
            row.value += part.value
    section.by_association = sorted(associations.values(), key=lambda r: (r.name, r.key))
    section.by_premises = sorted(
        entries.values(), key=lambda r: (r.key is None, r.name, r.key or 0)
    )
    return section


def meetings_of_year(body: PublicBody, year: int) -> Meetings:
    """The meetings held in the year with the matters raised at them."""
    held = meetings_held(body, year)
    prefetch_related_objects(
        held,
        Prefetch("matters", queryset=RaisedMatter.objects.select_related("association")),
    )
    return Meetings(held=held)


def yearly_report(body: PublicBody, year: int) -> YearlyReport:
    """The body's association report for `year` (see the module and
    docs/association-report.md for what each figure counts)."""
    return YearlyReport(
        public_body_id=body.pk,
        public_body_name=body.name,
        year=year,
        grants=grants_of_year(body.pk, year),
        indicators=indicator_sums(body.pk, year),
        agreements=yearly_summary(body.pk, year),
        premises=premises_of_year(body, year),
        meetings=meetings_of_year(body, year),
    )
