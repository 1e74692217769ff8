"""The free premises hours a public body provided to each association in a year, and their
value, for the yearly association report (järjestötietoraportti) and the welfare report
(hyvinvointikertomus) it feeds.

Two sources: the free premises resources of the body's partnership agreements, counted as
their yearly summary counts them (`agreements.summary.premises_parts`: pro-rated by the days
in force and split by the parties' shares), and the in-kind support of grants (free use of a
premises entry for some hours of the year, `grants.PremisesUse`). An hour of an entry of the
body's catalogue is valued at the entry's value per hour; an agreement's premises without an
entry keep the value the agreement states. Four queries whatever the number of agreements
and grants."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from agreements.summary import premises_parts
from grants.choices import GRANTED
from grants.in_kind import AFTER_DECISION
from grants.models import PremisesUse
from organisations.models import Association, PublicBody
from premises.models import Premises

CENT = Decimal("0.01")


@dataclass(frozen=True)
class PremisesHours:
    """One association's hours in one catalogue entry (None: an agreement's premises with no
    entry) in the year, and their value in euros."""

    association: Association
    premises: Premises | None
    hours: Decimal
    value: Decimal


def _value(hours: Decimal, premises: Premises) -> Decimal:
    return (hours * premises.value_per_hour).quantize(CENT, rounding=ROUND_HALF_UP)


def hours_provided(body: PublicBody, year: int) -> list[PremisesHours]:
    """Per association and entry, the hours of free premises the body provided in `year`
    through its agreements and its grants' in-kind support, by association name and entry
    name (the premises with no entry last)."""
    totals: dict[tuple[int, int | None], list] = {}
    associations: dict[int, Association] = {}
    entries: dict[int, Premises] = {}

    def add(association: Association, premises: Premises | None, hours: Decimal, value: Decimal):
        associations[association.pk] = association
        if premises is not None:
            entries[premises.pk] = premises
        key = (association.pk, premises.pk if premises else None)
        found = totals.setdefault(key, [Decimal("0.0"), Decimal("0.00")])
        found[0] += hours
        found[1] += value

    for part in premises_parts(body.pk, year):
        value = _value(part.hours, part.premises) if part.premises else part.stated_value
        add(part.association, part.premises, part.hours, value)
    uses = PremisesUse.objects.filter(
        year=year,
        application__call__public_body=body,
        # A decision that granted support and stands.
        application__outcome__in=GRANTED,
        application__state__in=AFTER_DECISION,
    ).select_related("application__association", "premises")
    for use in uses:
        add(use.application.association, use.premises, use.hours, _value(use.hours, use.premises))

    rows = [
        PremisesHours(
            association=associations[association_id],
            premises=entries.get(premises_id) if premises_id else None,
            hours=hours,
            value=value,
        )
        for (association_id, premises_id), (hours, value) in totals.items()
    ]
    return sorted(rows, key=_order)


def _order(row: PremisesHours) -> tuple:
    return (
        row.association.name,
        row.association.pk,
        row.premises is None,
        row.premises.name if row.premises else "",
        row.premises.pk if row.premises else 0,
    )


__all__ = ["PremisesHours", "hours_provided"]
