"""The yearly summary by what happened when (issue 17): money in the year it was paid,
meetings in the year they were held, premises and staff time pro-rated by the days the
agreement was in force in the year, for every agreement that existed, whatever its term.

A hand-built agreement with each edge case of the walk-through: signed on 1 October 2026 for
2027–2028, its 2027 instalment of 12 000 € paid on 4 December 2026 and a meeting held on
5 December 2026 (both before the term begins), 365 h of premises (3 650 €) for 2027, and
terminated with two months' notice on 6 January 2027, so it ended on 6 March 2027."""

from datetime import date
from decimal import Decimal

import pytest

from agreements import instalments, scans, services
from agreements.models import Agreement, Meeting
from agreements.summary import yearly_summary
from finance import payables
from tests.agreements.builders import act, at, fresh, terms, version_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(body, association, representative, people, negotiate_to_force, time_machine):
    def travel(day: date) -> None:
        time_machine.move_to(at(day), tick=False)
        scans.activate_signed_agreements()
        scans.end_agreements()

    travel(date(2026, 9, 1))
    agreement = services.agreement_create(
        user=representative,
        public_body=body,
        associations=[association],
        terms_given=terms(
            ends_on=date(2028, 12, 31),
            notice_period_months=2,
            resources=[
                {
                    "year": 2027,
                    "kind": "money",
                    "amount": Decimal("12000.00"),
                    "pays_on": date(2026, 12, 1),
                },
                {
                    "year": 2027,
                    "kind": "premises",
                    "hours": Decimal(365),
                    "hours_per": "year",
                    "amount": Decimal("3650.00"),
                },
            ],
        ),
    )
    travel(date(2026, 10, 1))
    negotiate_to_force(version_of(agreement))
    assert fresh(agreement).state == Agreement.State.SIGNED

    travel(date(2026, 12, 4))
    assert instalments.open_due_instalments() == 1
    (payable,) = payables.payables_of(agreement)
    payables.payment_record_for(
        payable.pk, user=people["finance"], amount=Decimal("12000.00"), paid_on=date(2026, 12, 4)
    )
    # A meeting recorded before meetings were kept inside the term (services.meeting_record
    # refuses it now): the summary still counts it in the year it was held.
    Meeting.objects.create(
        agreement=agreement, due_on=date(2026, 12, 5), held_on=date(2026, 12, 5), notes="Aloitus."
    )

    travel(date(2027, 1, 6))
    act(fresh(agreement), "terminate", people["liaison"], reason="Toiminta loppuu.")
    travel(date(2027, 3, 7))
    agreement = fresh(agreement)
    assert (agreement.state, agreement.ended_on) == (Agreement.State.ENDED, date(2027, 3, 6))
    return agreement


def test_money_and_meetings_count_in_the_year_they_happened_whatever_the_term(year, body):
    summary = yearly_summary(body.pk, 2026)

    assert (summary.total.agreements, summary.total.money, summary.total.meetings_held) == (
        1,
        Decimal("12000.00"),
        1,
    )
    # Not in force on any day of 2026: none of its premises count.
    assert (summary.total.premises_hours, summary.total.premises_value) == (0, 0)
    assert [r.association_id for r in summary.rows] == [year.association_ids[0]]


def test_premises_count_for_the_days_in_force_after_a_termination(year, body):
    summary = yearly_summary(body.pk, 2027)

    # In force 1.1.–6.3.2027: 65 of the term's 365 days in 2027.
    assert (summary.total.agreements, summary.total.money, summary.total.meetings_held) == (
        1,
        0,
        0,
    )
    assert (summary.total.premises_hours, summary.total.premises_value) == (
        Decimal("65.0"),
        Decimal("650.00"),
    )
    # The meetings planned after its end were cancelled: none is missed.
    assert summary.total.meetings_missed == 0


def test_the_year_after_the_end_has_nothing(year, body):
    summary = yearly_summary(body.pk, 2028)

    assert (summary.rows, summary.total.agreements) == ([], 0)
