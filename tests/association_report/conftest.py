"""A hand-built year (2026) of one public body: grants in two categories and calls, one
application submitted in 2025 but decided in 2026, a partial payment and an instalment of a
2025 grant, the forms' indicators, a partnership agreement with free premises of the
catalogue, a grant's in-kind premises, and the association meetings held. Every figure the
tests expect is worked out by hand in their docstrings."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from agreements import scans, services
from finance.models import Payable, Payment
from grants.choices import Outcome
from grants.models import Application, Call, PremisesUse
from liaison.models import AssociationMeeting, RaisedMatter
from tests.agreements.builders import at, terms, version_of
from tests.agreements.conftest import (  # noqa: F401  (fixtures)
    agreement_chain,
    negotiate_to_force,
    signatories,
)
from tests.application_forms.forms import field, words
from tests.factories import (
    ApplicationFactory,
    AssociationFactory,
    CallFactory,
    PublicBodyFactory,
    form_of,
)
from tests.premises.conftest import entry

S = Application.State
HELSINKI = ZoneInfo("Europe/Helsinki")


def moment(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=12), tzinfo=HELSINKI)


def indicator_form() -> dict:
    return {
        "sections": [
            {
                "key": "association",
                "title": words("Association"),
                "fields": [
                    field("members", "count", indicator="members"),
                    field("young", "count", indicator="members_under_29"),
                    field("volunteers", "count", indicator="volunteers"),
                    field(
                        "events",
                        "table",
                        max_rows=10,
                        indicator="events",
                        columns=[field("name", "short_text")],
                    ),
                ],
            }
        ]
    }


def grant(
    call,
    association,
    requested: str,
    *,
    submitted: date | None,
    state=S.SUBMITTED,
    decided: date | None = None,
    outcome: str = "",
    granted: str | None = None,
    answers: dict | None = None,
) -> Application:
    application = ApplicationFactory(
        call=call,
        association=association,
        requested_amount=Decimal(requested),
        form_version=call.form.current_version(),
        answers=answers or {},
    )
    Application.objects.filter(pk=application.pk).update(
        state=state,
        submitted_at=moment(submitted) if submitted else None,
        decided_at=moment(decided) if decided else None,
        outcome=outcome,
        granted_amount=Decimal(granted) if granted is not None else None,
    )
    return application


def pay(application, amount: str, paid_on: date, user, *, payable_amount: str | None = None):
    payable, _ = Payable.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(Application),
        object_id=application.pk,
        source="grant",
        defaults={
            "public_body": application.call.public_body,
            "association": application.association,
            "amount": Decimal(payable_amount or amount),
            "decision_number": f"AV-{application.pk}",
            "decided_on": paid_on,
            "payable_on": paid_on,
            "title": "Avustus",
        },
    )
    return Payment.objects.create(
        payable=payable, amount=Decimal(amount), paid_on=paid_on, recorded_by=user
    )


@pytest.fixture
def alfa():
    return AssociationFactory(name="Alfa ry")


@pytest.fixture
def beta():
    return AssociationFactory(name="Beta ry")


@pytest.fixture
def hall(body):
    return entry(body, "Nuorisotalon sali", "20.00", name_sv="Ungdomsgårdens sal")


@pytest.fixture
def club_room(body):
    return entry(body, "Kerhohuone", "10.00")


@pytest.fixture
def grants_year(body, people, alfa, beta, club_room):
    """2026 of `body`:

    - Nuorisoavustukset (general activity): a1 Alfa asked 5 000, sent 2026, granted 4 000,
      2 500 paid (partial); a2 Beta asked 3 000, sent December 2025, granted 1 500 in January
      2026, paid 1 500; a6 Alfa, sent and granted 1 000 in 2025, paid 500 in 2025 and 500 in
      2026.
    - Tapahtuma-avustukset (project): a3 Alfa asked 2 000, rejected in 2026; a4 Beta asked
      1 200, in review; a5 Alfa asked 800 and withdrew (not counted).
    - A foreign body's application sent and granted in 2026 (not counted).
    - In-kind premises: a1 30 h of the club room (10 €/h) in 2026 and 5 h in 2027; the
      rejected a3 9 h (never given).
    """
    finance = people["finance"]
    youth = CallFactory(
        public_body=body,
        name="Nuorisoavustukset",
        name_sv="Ungdomsbidrag",
        category=Call.Category.GENERAL,
        form=form_of(body, indicator_form()),
    )
    events = CallFactory(
        public_body=body,
        name="Tapahtuma-avustukset",
        category=Call.Category.PROJECT,
        form=form_of(body, indicator_form()),
    )
    a1 = grant(
        youth,
        alfa,
        "5000.00",
        submitted=date(2026, 2, 1),
        state=S.PAID,
        decided=date(2026, 4, 1),
        outcome=Outcome.APPROVED,
        granted="4000.00",
        answers={
            "members": 40,
            "young": 12,
            "volunteers": 6,
            "events": [{"name": "Kevätjuhla"}, {"name": "Leiri"}],
        },
    )
    pay(a1, "2500.00", date(2026, 5, 4), finance, payable_amount="4000.00")
    PremisesUse.objects.create(application=a1, premises=club_room, year=2026, hours=30)
    PremisesUse.objects.create(application=a1, premises=club_room, year=2027, hours=5)
    a2 = grant(
        youth,
        beta,
        "3000.00",
        submitted=date(2025, 12, 15),
        state=S.PAID,
        decided=date(2026, 1, 20),
        outcome=Outcome.PARTIALLY_APPROVED,
        granted="1500.00",
        answers={"members": 500},
    )
    pay(a2, "1500.00", date(2026, 2, 2), finance)
    a6 = grant(
        youth,
        alfa,
        "1000.00",
        submitted=date(2025, 3, 1),
        state=S.PAID,
        decided=date(2025, 5, 1),
        outcome=Outcome.APPROVED,
        granted="1000.00",
    )
    pay(a6, "500.00", date(2025, 6, 1), finance, payable_amount="1000.00")
    pay(a6, "500.00", date(2026, 1, 12), finance)
    a3 = grant(
        events,
        alfa,
        "2000.00",
        submitted=date(2026, 3, 1),
        state=S.DECIDED,
        decided=date(2026, 4, 1),
        outcome=Outcome.REJECTED,
        granted="0.00",
        answers={"members": 10, "young": 5},
    )
    PremisesUse.objects.create(application=a3, premises=club_room, year=2026, hours=9)
    grant(
        events,
        beta,
        "1200.00",
        submitted=date(2026, 9, 1),
        state=S.IN_REVIEW,
        answers={"members": 20, "volunteers": 3},
    )
    grant(
        events,
        alfa,
        "800.00",
        submitted=date(2026, 3, 5),
        state=S.WITHDRAWN,
        answers={"members": 1000},
    )
    foreign = people["foreign_preparer"].official_roles.get().public_body
    grant(
        CallFactory(public_body=foreign, form=form_of(foreign, indicator_form())),
        alfa,
        "9999.00",
        submitted=date(2026, 2, 1),
        state=S.DECIDED,
        decided=date(2026, 3, 1),
        outcome=Outcome.APPROVED,
        granted="9999.00",
        answers={"members": 999},
    )
    return {"youth": youth, "events": events, "club_room": club_room}


@pytest.fixture
def agreement_year(body, association, representative, negotiate_to_force, time_machine, hall):  # noqa: F811
    """A partnership agreement with `association` for 2026–2027, in force from 1 January
    2026, with 120 hours of the hall (20 €/h) for 2026, stated as worth 1 800 €."""
    time_machine.move_to(at(date(2025, 11, 3)), tick=False)
    agreement = services.agreement_create(
        user=representative,
        public_body=body,
        associations=[association],
        terms_given=terms(
            starts_on=date(2026, 1, 1),
            ends_on=date(2027, 12, 31),
            resources=[
                {
                    "year": 2026,
                    "kind": "premises",
                    "description": "Nuorisotila",
                    "premises": hall,
                    "hours": Decimal(120),
                    "hours_per": "year",
                    "amount": Decimal("1800.00"),
                }
            ],
        ),
    )
    negotiate_to_force(version_of(agreement))
    time_machine.move_to(at(date(2026, 1, 2)), tick=False)
    scans.activate_signed_agreements()
    return agreement


@pytest.fixture
def meetings_year(body, alfa, beta):
    """Held in 2026: 10 March (Alfa and Beta each raised a matter) and 5 October (none
    raised); a meeting planned for December 2026 (not held), one cancelled, one held in 2025,
    and a foreign body's held in 2026 do not count."""

    def meeting(day: date, state=AssociationMeeting.State.HELD, public_body=body):
        return AssociationMeeting.objects.create(
            public_body=public_body,
            starts_at=moment(day),
            place="Kaupungintalo",
            agenda="Ajankohtaiset asiat",
            state=state,
        )

    march = meeting(date(2026, 3, 10))
    RaisedMatter.objects.create(
        meeting=march,
        association=alfa,
        matter="Tilavuorot iltaisin",
        response="Selvitetään.",
        position=1,
    )
    RaisedMatter.objects.create(
        meeting=march, association=beta, matter="Avustushaun aikataulu", position=2
    )
    meeting(date(2026, 10, 5))
    meeting(date(2026, 12, 14), state=AssociationMeeting.State.PLANNED)
    meeting(date(2026, 6, 1), state=AssociationMeeting.State.CANCELLED)
    meeting(date(2025, 11, 20))
    meeting(date(2026, 4, 1), public_body=PublicBodyFactory())
    return march
