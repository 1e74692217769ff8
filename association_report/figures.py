"""The yearly association report of a public body (järjestötietoraportti): what the body's
associations applied for, were granted and were paid, what their applications told of their
work (the indicators), the partnership agreements, the free premises hours the body provided
and the association meetings (yhdistysilta) it held, for the welfare report
(hyvinvointikertomus, Health Care Act 12 §, Local Government Act 1 §) and the seed's
"järjestötietoraportti vuosittain hvk-raportoinnin yhteydessä" (docs/association-report.md).

One function, `yearly_report(body, year)`, in a constant number of queries whatever the size of
the year: the grants in six, summed in the database (the applications by call and by
association, the payments of the year by call and by association, the names of the calls and
of the associations), the indicators from `grants.indicators`, the agreements from
`agreements.summary`, the premises from `association_report.premises_hours`, the meetings
from `liaison.meetings` (with the matters raised, one query more).
"""

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
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
from organisations.models import Association, PublicBody

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


def _paid_in_year(body_id: int, year: int) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """What was paid in the year on the body's grant decisions, by call and by association:
    the payments recorded in the year, less reversals (negative entries) and money paid back
    on recovery claims."""
    payments = Payment.objects.filter(
        payable__content_type=ContentType.objects.get_for_model(Application),
        payable__public_body_id=body_id,
        paid_on__range=(date(year, 1, 1), date(year, 12, 31)),
    ).order_by()
    returned = Q(payable__kind=Payable.Kind.RECOVERY)
    signed = Sum(Case(When(returned, then=-F("amount")), default=F("amount")))
    call_of = Subquery(
        Application.objects.filter(pk=OuterRef("payable__object_id")).values("call_id")[:1]
    )
    by_call = payments.annotate(paid_call=call_of).values("paid_call").annotate(total=signed)
    # A grant's payable is paid to its application's association.
    by_association = payments.values("payable__association_id").annotate(total=signed)
    return (
        {row["paid_call"]: row["total"] for row in by_call},
        {row["payable__association_id"]: row["total"] for row in by_association},
    )


def _figures(row: dict[str, Any] | None, paid: Decimal | None) -> dict[str, Any]:
    row = row or {}
    # Added to ZERO: in cents, whatever scale the database's sum has.
    return {
        "applied_count": row.get("applied_count", 0),
        "applied": ZERO + (row.get("applied") or 0),
        "granted_count": row.get("granted_count", 0),
        "granted": ZERO + (row.get("granted") or 0),
        "paid": ZERO + (paid or 0),
    }


def grants_of_year(body_id: int, year: int) -> Grants:
    """The body's grants of the year by category (in the order of Call.Category), by call
    and by association (by name), and in total: summed in the database, so that the report
    reads the same few rows whatever the size of the year."""
    # The year of submission and decision as the indicators read it: in Finnish time.
    applied = Q(submitted_at__year=year) & ~Q(state=S.WITHDRAWN)
    granted = Q(decided_at__year=year, outcome__in=GRANTED, granted_amount__gt=0)
    sums = {
        "applied_count": Count("pk", filter=applied),
        "applied": Sum("requested_amount", filter=applied),
        "granted_count": Count("pk", filter=granted),
        "granted": Sum("granted_amount", filter=granted),
    }
    applications = Application.objects.filter(call__public_body_id=body_id).filter(
        applied | granted
    )
    by_call = {r["call_id"]: r for r in applications.values("call_id").annotate(**sums).order_by()}
    by_association = {
        r["association_id"]: r
        for r in applications.values("association_id").annotate(**sums).order_by()
    }
    paid_by_call, paid_by_association = _paid_in_year(body_id, year)
    calls = Call.objects.filter(pk__in=by_call.keys() | paid_by_call.keys()).values(
        "pk", "name", "name_sv", "name_en", "category"
    )
    associations = Association.objects.filter(
        pk__in=by_association.keys() | paid_by_association.keys()
    ).values("pk", "name", "business_id")

    grants = Grants()
    order = {value: i for i, value in enumerate(Call.Category.values)}
    categories: dict[str, GrantRow] = {}
    for call in calls:
        row = GrantRow(
            key=call["pk"],
            name=call["name"],
            names={"fi": call["name"], "sv": call["name_sv"], "en": call["name_en"]},
            **_figures(by_call.get(call["pk"]), paid_by_call.get(call["pk"])),
        )
        grants.by_call.append(row)
        category = call["category"]
        categories.setdefault(category, GrantRow(key=category, name=category)).add(row)
        grants.total.add(row)
    grants.by_call.sort(key=lambda g: (g.name, g.key))
    grants.by_category = sorted(categories.values(), key=lambda g: order.get(g.key, len(order)))
    grants.by_association = sorted(
        (
            GrantRow(
                key=a["pk"],
                name=a["name"],
                business_id=a["business_id"],
                **_figures(by_association.get(a["pk"]), paid_by_association.get(a["pk"])),
            )
            for a in associations
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
