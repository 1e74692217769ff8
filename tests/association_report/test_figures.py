"""The report's figures (association_report.figures.yearly_report) against the hand-built
year of conftest.py, each sum worked out by hand here."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localdate

from association_report.figures import yearly_report
from finance.models import Payment
from grants.models import PremisesUse
from liaison.models import RaisedMatter
from tests.agreements.builders import at
from tests.association_report.conftest import S, grant, pay
from tests.factories import AssociationFactory, CallFactory

pytestmark = pytest.mark.django_db


def grant_figures(row) -> tuple:
    return (row.applied_count, row.applied, row.granted_count, row.granted, row.paid)


def test_grants_are_counted_by_category_call_and_association(body, grants_year):
    grants = yearly_report(body, 2026).grants

    # General (Nuorisoavustukset): applied a1 5 000 (a2 and a6 were sent in 2025); granted
    # a1 4 000 + a2 1 500 = 5 500 (a2 decided in 2026); paid 2 500 + 1 500 + 500 = 4 500.
    # Project (Tapahtuma-avustukset): applied a3 2 000 + a4 1 200 = 3 200 (a5 withdrawn);
    # a3 rejected: nothing granted or paid.
    assert [(r.key, *grant_figures(r)) for r in grants.by_category] == [
        ("general", 1, Decimal("5000.00"), 2, Decimal("5500.00"), Decimal("4500.00")),
        ("project", 2, Decimal("3200.00"), 0, 0, 0),
    ]
    assert [(r.name, *grant_figures(r)) for r in grants.by_call] == [
        ("Nuorisoavustukset", 1, Decimal("5000.00"), 2, Decimal("5500.00"), Decimal("4500.00")),
        ("Tapahtuma-avustukset", 2, Decimal("3200.00"), 0, 0, 0),
    ]
    assert grants.by_call[0].name_in("sv") == "Ungdomsbidrag"
    assert grants.by_call[1].name_in("sv") == "Tapahtuma-avustukset"
    # Alfa: applied a1 5 000 + a3 2 000; granted a1 4 000; paid a1 2 500 + a6 500.
    # Beta: applied a4 1 200; granted a2 1 500; paid a2 1 500.
    assert [(r.name, *grant_figures(r)) for r in grants.by_association] == [
        ("Alfa ry", 2, Decimal("7000.00"), 1, Decimal("4000.00"), Decimal("3000.00")),
        ("Beta ry", 1, Decimal("1200.00"), 1, Decimal("1500.00"), Decimal("1500.00")),
    ]
    assert grant_figures(grants.total) == (
        3,
        Decimal("8200.00"),
        2,
        Decimal("5500.00"),
        Decimal("4500.00"),
    )


def test_the_year_before_counts_its_own_applications_grants_and_payments(body, grants_year):
    grants = yearly_report(body, 2025).grants

    # 2025: a2 (3 000) and a6 (1 000) sent; a6 granted 1 000 and 500 paid.
    assert grant_figures(grants.total) == (
        2,
        Decimal("4000.00"),
        1,
        Decimal("1000.00"),
        Decimal("500.00"),
    )


def test_a_reversal_and_money_paid_back_lower_the_paid_sum(body, people, grants_year):
    (a1,) = [a for a in grants_year["youth"].applications.all() if a.requested_amount == 5000]
    payment = pay(a1, "1500.00", date(2026, 6, 1), people["finance"])
    Payment.objects.create(
        payable=payment.payable,
        amount=Decimal("-1500.00"),
        paid_on=date(2026, 6, 2),
        recorded_by=people["finance"],
        reverses=payment,
        reason="Väärä tili.",
    )

    assert yearly_report(body, 2026).grants.total.paid == Decimal("4500.00")


def test_the_indicators_are_the_forms_answers_of_the_year(body, grants_year):
    indicators = yearly_report(body, 2026).indicators

    # a1 (members 40, under 29 12, volunteers 6, two events), a3 (10, 5), a4 (20, volunteers
    # 3); a2 was sent in 2025 and a5 withdrawn.
    assert indicators.total.applications == 3
    assert indicators.total.indicators == {
        "members": 70,
        "members_under_29": 17,
        "volunteers": 9,
        "events": 2,
        "participants": 0,
    }


def test_the_agreement_counts_its_premises_for_the_year(
    body, association, agreement_year, time_machine
):
    time_machine.move_to(at(date(2027, 1, 10)), tick=False)
    agreements = yearly_report(body, 2026).agreements

    # In force the whole of 2026: all its 120 hours of premises, worth 1 800 €.
    assert agreements.total.agreements == 1
    assert (agreements.total.premises_hours, agreements.total.premises_value) == (
        Decimal("120.0"),
        Decimal("1800.00"),
    )
    assert [r.association_id for r in agreements.rows] == [association.pk]


def test_another_body_sees_none_of_it(people, grants_year):
    foreign = people["foreign_preparer"].official_roles.get().public_body

    report = yearly_report(foreign, 2026)

    assert [r.name for r in report.grants.by_association] == ["Alfa ry"]
    assert report.grants.total.granted == Decimal("9999.00")


def test_free_premises_are_summed_per_association_and_per_premises(
    body, association, grants_year, agreement_year, time_machine
):
    time_machine.move_to(at(date(2027, 1, 10)), tick=False)
    premises = yearly_report(body, 2026).premises

    # The agreement: 120 h of the hall at 20 €/h = 2 400 € (the catalogue's value, not the
    # 1 800 € the agreement states); a1's in-kind support: 30 h of the club room at 10 €/h =
    # 300 € (its 5 h of 2027 and the rejected a3's 9 h do not count).
    assert [(r.name, r.hours, r.value) for r in premises.by_association] == [
        ("Alfa ry", Decimal("30.0"), Decimal("300.00")),
        (association.name, Decimal("120.0"), Decimal("2400.00")),
    ]
    assert [(r.name_in("sv"), r.hours, r.value) for r in premises.by_premises] == [
        ("Kerhohuone (sv)", Decimal("30.0"), Decimal("300.00")),
        ("Ungdomsgårdens sal", Decimal("120.0"), Decimal("2400.00")),
    ]
    assert (premises.total.hours, premises.total.value) == (Decimal("150.0"), Decimal("2700.00"))


def test_the_meetings_held_with_the_matters_raised(body, meetings_year):
    meetings = yearly_report(body, 2026).meetings

    assert meetings.count == 2
    assert [localdate(m.starts_at) for m in meetings.held] == [date(2026, 3, 10), date(2026, 10, 5)]
    assert meetings.matters_count == 2
    assert [(m.association.name, m.matter) for m in meetings.held[0].matters.all()] == [
        ("Alfa ry", "Tilavuorot iltaisin"),
        ("Beta ry", "Avustushaun aikataulu"),
    ]


def test_the_report_reads_in_the_same_number_of_queries_however_much_there_is(
    body, grants_year, meetings_year
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            yearly_report(body, 2026)
        return len(captured)

    yearly_report(body, 2026)  # the content type cached
    before = queries()
    for n in range(3):
        application = grant(
            CallFactory(public_body=body, name=f"Lisähaku {n}"),
            AssociationFactory(),
            "100.00",
            submitted=date(2026, 5, 1),
            state=S.PAID,
            decided=date(2026, 6, 1),
            outcome="approved",
            granted="100.00",
        )
        PremisesUse.objects.create(
            application=application, premises=grants_year["club_room"], year=2026, hours=1
        )
        RaisedMatter.objects.create(meeting=meetings_year, matter=f"Asia {n}")

    assert queries() == before
