"""The free premises hours a body provided per association in a year
(association_report.premises_hours), against a hand-built 2028:

- E (association X alone, 2028–2030), 100 h a year of the hall (20 €/h), terminated on
  1.2.2028 with three months' notice and ended 1.5.2028: in force 122 of the year's 366
  days, 33.3 h, 666.00 €.
- B (X 75 % and Y 25 %, 2028 whole): 200 h a year of the club room (10 €/h) and 50 h a year
  of premises not in the catalogue valued at 400 € by the agreement: X 150 h (1 500 €) and
  37.5 h (300 €), Y 50 h (500 €) and 12.5 h (100 €).
- A grant to X with 40 h of the hall in 2028 (800 €), 10 h in 2029; a rejected application of
  Y with hours it never got.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import scans, services
from agreements.models import Agreement, AgreementVersion
from association_report.premises_hours import PremisesHours, hours_provided
from grants import in_kind
from grants.models import PremisesUse
from organisations.models import AssociationRole
from tests.agreements.builders import act, terms, version_of
from tests.factories import (
    ApplicationFactory,
    AssociationFactory,
    PublicBodyFactory,
    UserFactory,
    represent,
)
from tests.premises.conftest import entry
from workflow.actors import SYSTEM

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


def premises_row(hours: int, value: str, premises=None) -> dict:
    return {
        "year": 2028,
        "kind": "premises",
        "description": "Tilat",
        "hours": Decimal(hours),
        "hours_per": "year",
        "amount": Decimal(value),
        "premises": premises,
    }


def into_force(version, *, author, other, people, chain, signers) -> AgreementVersion:
    version = act(version, "propose", author)
    version = act(version, "accept", other)
    version = act(version, "submit_for_review", people["liaison"], chain_id=chain.pk)
    version = act(version, "record_step", people["preparer"], comment="Esitän.")
    version = act(version, "decide", people["decision_maker"], outcome="approved", reasons="Hyvä.")
    for signer in signers:
        version = act(version, "sign", signer)
    return version


@pytest.fixture
def year_2028(
    body, people, association, representative, signatories, agreement_chain, walk, time_machine
):
    def travel(day: date) -> None:
        time_machine.move_to(datetime(day.year, day.month, day.day, 10, tzinfo=HELSINKI))
        scans.activate_signed_agreements()

    x = association
    x.name = "Alppilan eläkeläiset ry"
    x.save(update_fields=["name"])
    y = AssociationFactory(name="Ysien kerho ry")
    rep_y = represent(UserFactory(username="rep_y"), y)
    signer_y = represent(UserFactory(username="signer_y"), y, AssociationRole.Role.SIGNATORY)
    hall = entry(body, "Nuorisotalon sali", "20.00")
    club_room = entry(body, "Kerhohuone", "10.00")
    liaison = people["liaison"]

    travel(date(2027, 11, 15))
    e = services.agreement_create(
        user=representative,
        public_body=body,
        associations=[x],
        terms_given=terms(
            starts_on=date(2028, 1, 1),
            ends_on=date(2030, 12, 31),
            resources=[premises_row(100, "2000.00", hall)],
        ),
    )
    into_force(
        version_of(e),
        author=representative,
        other=liaison,
        people=people,
        chain=agreement_chain,
        signers=[*signatories, people["decision_maker"]],
    )
    b = services.agreement_create(
        user=representative,
        public_body=body,
        associations=[x, y],
        terms_given=terms(
            starts_on=date(2028, 1, 1),
            ends_on=date(2028, 12, 31),
            resources=[premises_row(200, "0", club_room), premises_row(50, "400.00")],
        ),
        signatures_required={y.pk: 1},
    )
    b.parties.filter(association=x).update(share=Decimal(75))
    b.parties.filter(association=y).update(share=Decimal(25))
    into_force(
        version_of(b),
        author=representative,
        other=liaison,
        people=people,
        chain=agreement_chain,
        signers=[*signatories, signer_y, people["decision_maker"]],
    )

    travel(date(2028, 2, 1))
    act(Agreement.objects.get(pk=e.pk), "terminate", liaison, reason="Yhdistys lopettaa.")
    travel(date(2028, 5, 2))
    act(Agreement.objects.get(pk=e.pk), "end", SYSTEM)

    granted = walk(
        ApplicationFactory(call__public_body=body, association=x, created_by=representative),
        "submit",
        "start_review",
        "record_step",
        "decide",
    )
    in_kind.in_kind_set(granted, user=people["decision_maker"], premises=hall, year=2028, hours=40)
    in_kind.in_kind_set(granted, user=people["decision_maker"], premises=hall, year=2029, hours=10)
    rejected = ApplicationFactory(call__public_body=body, association=y, created_by=rep_y)
    rejected = walk(rejected, "submit", "start_review", submit={"actor": rep_y})
    in_kind.in_kind_set(rejected, user=people["preparer"], premises=club_room, year=2028, hours=9)
    walk(
        rejected,
        "record_step",
        "decide",
        decide={"params": {"outcome": "rejected", "granted_amount": 0, "reasons": "Ei."}},
    )
    travel(date(2029, 1, 15))
    return {"x": x, "y": y, "hall": hall, "club_room": club_room}


def test_hours_of_agreements_and_grants_per_association_and_entry(body, year_2028):
    x, y, hall, club_room = (year_2028[k] for k in ("x", "y", "hall", "club_room"))

    rows = hours_provided(body, 2028)

    assert rows == [
        PremisesHours(x, club_room, Decimal("150.0"), Decimal("1500.00")),
        PremisesHours(x, hall, Decimal("73.3"), Decimal("1466.00")),
        PremisesHours(x, None, Decimal("37.5"), Decimal("300.00")),
        PremisesHours(y, club_room, Decimal("50.0"), Decimal("500.00")),
        PremisesHours(y, None, Decimal("12.5"), Decimal("100.00")),
    ]
    assert PremisesUse.objects.filter(application__association=y).count() == 1  # not counted


def test_hours_of_another_year_and_another_body(body, year_2028):
    x, hall = year_2028["x"], year_2028["hall"]

    in_2029 = hours_provided(body, 2029)

    assert in_2029 == [PremisesHours(x, hall, Decimal("10.0"), Decimal("200.00"))]
    assert hours_provided(PublicBodyFactory(), 2028) == []


def test_query_count_does_not_grow_with_the_agreements(body, year_2028):
    with CaptureQueriesContext(connection) as queries:
        hours_provided(body, 2028)

    assert len(queries) == 4, [q["sql"] for q in queries]
