"""The yearly summary of a public body's agreements (agreements.summary and its API).

The world, summarised for 2028 on 1 March 2029:

- A (association X, 2027–2029), in force all year: four goals, the 2028 evaluation finds two
  met, one not met and one unmarked; the 2027 evaluation (all met) is of another year. In
  2028 the body gives 6 h a week of premises (3 000 €) and 50 h of staff time; the
  association's own 200 h of staff time are not the body's. Instalments of 10 000 € paid on
  1.2.2027 and 1.2.2028. Meetings held 28.6.2028 and 15.12.2028 (the one due 2.1.2029).
- B (X and Y jointly, 1.6.2028–31.5.2030), in force from its signing on 15.6.2028: 4 h a week
  of premises (2 000 €), 2 h a week of staff time; its 5 000 € instalment goes to X, the lead
  association: 3 000 € paid 5.7.2028 (payable from 4.7., after the period for a request
  for rectification), 2 000 € on 25.1.2029. Its premises and staff time count for the 200 of
  its 214 days of 2028 it was in force. An extra meeting held 15.9.2028;
  the one due 30.11.2028 was missed.
- E (Y, 2028–2030), terminated on 1.2.2028 with three months' notice, ended 1.5.2028: 100 h of
  premises (500 €), 4 000 € paid 25.1.2028, an extra meeting held 15.3.2028; its later
  meetings were cancelled when it ended, and its premises count for its 122 days in force.
- C (X, 2025–2027) ended on 31.12.2027; D (X) is a foreign body's agreement for 2028.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from agreements import instalments, scans, services
from agreements.models import Agreement, AgreementVersion, Evaluation, GoalResult, Meeting
from agreements.summary import Row, summary_csv, summary_xlsx, yearly_summary
from finance import payables
from organisations.models import AssociationRole, OfficialRole
from tests.agreements.builders import act, terms, version_of
from tests.conftest import as_user
from tests.factories import (
    AssociationFactory,
    PublicBodyFactory,
    UserFactory,
    chain_with_steps,
    grant_role,
    represent,
)
from workflow.actors import SYSTEM
from workflow.models import ApprovalChain

AGREEMENT = ApprovalChain.SubjectKind.AGREEMENT_VERSION

pytestmark = pytest.mark.django_db

Role = OfficialRole.Role
HELSINKI = ZoneInfo("Europe/Helsinki")
URL = "/api/v1/agreements-summary/"


def on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=HELSINKI)


def into_force(version, *, author, other, officials, chain, signers) -> AgreementVersion:
    """From draft to in force: proposed, accepted, reviewed, approved and signed."""
    version = act(version, "propose", author)
    version = act(version, "accept", other)
    version = act(version, "submit_for_review", officials["liaison"], chain_id=chain.pk)
    version = act(version, "record_step", officials["preparer"], comment="Esitän hyväksymistä.")
    version = act(
        version, "decide", officials["decision_maker"], outcome="approved", reasons="Tavoitteet."
    )
    for signer in signers:
        version = act(version, "sign", signer)
    assert version.state == AgreementVersion.State.IN_FORCE
    return version


def money(year: int, amount: str, pays_on: date) -> dict:
    return {"year": year, "kind": "money", "amount": Decimal(amount), "pays_on": pays_on}


def premises(year: int, hours: int, per: str, value: str) -> dict:
    return {
        "year": year,
        "kind": "premises",
        "description": "Seniorikeskus, liikuntasali",
        "hours": Decimal(hours),
        "hours_per": per,
        "amount": Decimal(value),
    }


def staff(year: int, hours: int, per: str, provided_by: str = "public_body") -> dict:
    return {
        "year": year,
        "kind": "staff",
        "provided_by": provided_by,
        "hours": Decimal(hours),
        "hours_per": per,
        "amount": Decimal(hours * 20),
    }


def pay(agreement: Agreement, year: int, amount: str, finance) -> None:
    """Pay (part of) a year's instalment today, through finance's path."""
    resource = agreement.in_force_version.resources.get(kind="money", year=year)
    payable = instalments.instalment_open(resource)
    payables.payment_record_for(payable.pk, user=finance, amount=Decimal(amount), paid_on=today())


def today() -> date:
    return timezone.localdate()


def hold(meeting: Meeting, liaison) -> None:
    services.meeting_record(meeting, user=liaison, held_on=today(), notes="Käytiin läpi vuosi.")


def meeting_due(agreement: Agreement, due_on: date) -> Meeting:
    return Meeting.objects.get(agreement=agreement, due_on=due_on)


def evaluate(agreement, period_ends_on, *, representative, liaison, meeting, met, travel):
    """The evaluation of the period ending `period_ends_on`: opened the next working day,
    submitted a week later, evaluated at `meeting` ten days after that."""
    evaluation = Evaluation.objects.get(agreement=agreement, period_ends_on=period_ends_on)
    travel(date(period_ends_on.year + 1, 1, 2))
    evaluation = act(evaluation, "open", liaison)
    travel(date(period_ends_on.year + 1, 1, 10))
    goals = list(evaluation.agreement.in_force_version.goals.all())
    evaluation = act(
        evaluation,
        "submit",
        representative,
        report="Ryhmät kokoontuivat.",
        results=[{"goal": g.pk, "value": Decimal(10)} for g in goals],
    )
    travel(date(period_ends_on.year + 1, 1, 20))
    evaluation = act(
        evaluation,
        "evaluate",
        liaison,
        assessment="Hyvä vuosi.",
        meeting_id=meeting.pk,
        goals_met=[goals[i].pk for i in met],
    )
    assert evaluation.state == Evaluation.State.EVALUATED
    return evaluation


FOUR_GOALS = [
    {"title": f"Tavoite {n}", "indicator": "Osallistujia", "target": Decimal(10)}
    for n in (1, 2, 3, 4)
]


@pytest.fixture
def world(body, people, association, representative, signatories, agreement_chain, time_machine):
    def travel(day: date) -> None:
        # The daily scan brings into force what was signed before its term.
        time_machine.move_to(on(day), tick=False)
        scans.activate_signed_agreements()

    liaison, finance = people["liaison"], people["finance"]
    x = association
    x.name = "Alppilan eläkeläiset ry"
    x.save(update_fields=["name"])
    # A name a spreadsheet would run as a formula.
    y = AssociationFactory(name="=Ysien kerho ry")
    rep_y = represent(UserFactory(username="rep_y"), y)
    signer_y = represent(UserFactory(username="signer_y"), y, AssociationRole.Role.SIGNATORY)
    ours = {"officials": people, "chain": agreement_chain}
    x_signers = [*signatories, people["decision_maker"]]

    def create(user, associations, **overrides):
        return services.agreement_create(
            user=user,
            public_body=body,
            associations=associations,
            terms_given=terms(**overrides),
            signatures_required={y.pk: 1},
        )

    # C: 2025–2027, ended the year before.
    travel(date(2024, 12, 10))
    c = create(
        representative,
        [x],
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
        resources=[money(2027, "6000.00", date(2027, 2, 1))],
    )
    into_force(version_of(c), author=representative, other=liaison, signers=x_signers, **ours)

    # A: 2027–2029, in force all of 2028.
    travel(date(2026, 12, 15))
    a = create(
        representative,
        [x],
        goals=FOUR_GOALS,
        resources=[
            *(money(year, "10000.00", date(year, 2, 1)) for year in (2027, 2028, 2029)),
            premises(2027, 10, "week", "5000.00"),
            premises(2028, 6, "week", "3000.00"),
            staff(2028, 50, "year"),
            staff(2028, 200, "year", provided_by="association"),
        ],
    )
    into_force(version_of(a), author=representative, other=liaison, signers=x_signers, **ours)

    travel(date(2027, 2, 1))
    pay(Agreement.objects.get(pk=a.pk), 2027, "10000.00", finance)
    pay(Agreement.objects.get(pk=c.pk), 2027, "6000.00", finance)

    # E: Y alone, 2028–2030, signed before its term begins.
    travel(date(2027, 11, 15))
    e = create(
        liaison,
        [y],
        starts_on=date(2028, 1, 1),
        ends_on=date(2030, 12, 31),
        resources=[money(2028, "4000.00", date(2028, 1, 10)), premises(2028, 100, "year", "500")],
    )
    into_force(
        version_of(e),
        author=liaison,
        other=rep_y,
        signers=[signer_y, people["decision_maker"]],
        **ours,
    )

    # D: a foreign body's agreement with X for 2028.
    travel(date(2027, 12, 1))
    foreign = PublicBodyFactory()
    theirs = {
        "liaison": grant_role(UserFactory(username="f_liaison"), foreign, Role.LIAISON),
        "preparer": grant_role(UserFactory(username="f_preparer"), foreign, Role.PREPARER),
        "decision_maker": grant_role(UserFactory(username="f_dm"), foreign, Role.DECISION_MAKER),
        "finance": grant_role(UserFactory(username="f_finance"), foreign, Role.FINANCE),
    }
    d = services.agreement_create(
        user=theirs["liaison"],
        public_body=foreign,
        associations=[x],
        terms_given=terms(
            starts_on=date(2028, 1, 1),
            ends_on=date(2028, 12, 31),
            resources=[money(2028, "7000.00", date(2028, 2, 1)), premises(2028, 5, "week", "900")],
        ),
    )
    into_force(
        version_of(d),
        author=theirs["liaison"],
        other=representative,
        officials=theirs,
        chain=chain_with_steps(foreign, (Role.PREPARER,), (Role.DECISION_MAKER,), kind=AGREEMENT),
        signers=[*signatories, theirs["decision_maker"]],
    )

    travel(date(2027, 12, 20))
    hold(meeting_due(a, date(2027, 12, 31)), liaison)

    travel(date(2028, 1, 2))
    act(Agreement.objects.get(pk=c.pk), "end", SYSTEM)

    evaluate(
        a,
        date(2027, 12, 31),
        representative=representative,
        liaison=liaison,
        meeting=meeting_due(a, date(2027, 12, 31)),
        met=[0, 1, 2, 3],
        travel=travel,
    )

    travel(date(2028, 1, 25))
    pay(Agreement.objects.get(pk=e.pk), 2028, "4000.00", finance)

    travel(date(2028, 2, 1))
    pay(Agreement.objects.get(pk=a.pk), 2028, "10000.00", finance)
    pay(Agreement.objects.get(pk=d.pk), 2028, "7000.00", theirs["finance"])
    act(Agreement.objects.get(pk=e.pk), "terminate", liaison, reason="Yhdistys lopettaa.")

    travel(date(2028, 3, 15))
    hold(services.meeting_add(e, user=liaison, due_on=today()), liaison)

    travel(date(2028, 5, 2))
    act(Agreement.objects.get(pk=e.pk), "end", SYSTEM)

    # B: X and Y jointly, from mid-2028.
    travel(date(2028, 5, 10))
    b = create(
        representative,
        [x, y],
        starts_on=date(2028, 6, 1),
        ends_on=date(2030, 5, 31),
        resources=[
            money(2028, "5000.00", date(2028, 7, 1)),
            premises(2028, 4, "week", "2000.00"),
            staff(2028, 2, "week"),
        ],
    )
    travel(date(2028, 6, 15))
    into_force(
        version_of(b),
        author=representative,
        other=liaison,
        signers=[*signatories, signer_y, people["decision_maker"]],
        **ours,
    )

    travel(date(2028, 6, 28))
    hold(meeting_due(a, date(2028, 6, 30)), liaison)

    travel(date(2028, 7, 5))
    pay(Agreement.objects.get(pk=b.pk), 2028, "3000.00", finance)

    travel(date(2028, 9, 15))
    hold(services.meeting_add(b, user=liaison, due_on=today()), liaison)

    travel(date(2028, 12, 15))
    last_of_2028 = meeting_due(a, date(2029, 1, 2))
    hold(last_of_2028, liaison)

    evaluation = evaluate(
        a,
        date(2028, 12, 31),
        representative=representative,
        liaison=liaison,
        meeting=last_of_2028,
        met=[0, 1],
        travel=travel,
    )
    # Historic data: a result whose finding was never recorded (brought over from the
    # register used before) counts as neither met nor not met.
    GoalResult.objects.filter(evaluation=evaluation, goal__position=4).update(met=None)

    travel(date(2029, 1, 25))
    pay(Agreement.objects.get(pk=b.pk), 2028, "2000.00", finance)

    travel(date(2029, 3, 1))
    return SimpleNamespace(
        body=body,
        a=a,
        b=b,
        c=c,
        d=d,
        e=e,
        x=x,
        y=y,
        rep_y=rep_y,
        foreign=foreign,
        theirs=theirs,
        travel=travel,
    )


def figures(row: Row) -> dict:
    return {
        "agreements": row.agreements,
        "goals_met": row.goals_met,
        "goals_not_met": row.goals_not_met,
        "money": row.money,
        "premises_hours": row.premises_hours,
        "premises_value": row.premises_value,
        "staff_hours": row.staff_hours,
        "meetings_held": row.meetings_held,
        "meetings_missed": row.meetings_missed,
    }


# Y (B and E) sorts before X (A and B): "=" comes before "A".
Y_2028 = {
    "agreements": 2,
    "goals_met": 0,
    "goals_not_met": 0,
    "money": Decimal("4000.00"),  # E; B's instalment is paid to X
    # B's premises and staff time pro-rated by its days in force (200 of its term's 214 in
    # 2028), then by Y's share, half of it (agreements.summary.party_figures); E whole (Y's
    # alone), pro-rated (122 of 366 days).
    # B 4 × 52 × 200/214 = 194.4, / 2 = 97.2; + E 100 × 122/366 = 33.3
    "premises_hours": Decimal("130.5"),
    # B 2 000 × 200/214 = 1 869.16, / 2 = 934.58; + E 500 × 122/366 = 166.67
    "premises_value": Decimal("1101.25"),
    "staff_hours": Decimal("48.6"),  # B 2 × 52 × 200/214 = 97.2, / 2
    "meetings_held": 2,  # B 15.9., E 15.3.
    "meetings_missed": 1,  # B 30.11.
}
X_2028 = {
    "agreements": 2,
    "goals_met": 2,
    "goals_not_met": 1,
    "money": Decimal("13000.00"),  # A 10 000 + B 3 000 (2 000 more in 2029)
    "premises_hours": Decimal("409.2"),  # A 6 × 52 + B 194.4 / 2 (as in Y's row)
    "premises_value": Decimal("3934.58"),  # A 3 000 + B 1 869.16 / 2
    "staff_hours": Decimal("98.6"),  # A 50 + B 97.2 / 2
    "meetings_held": 3,  # A 28.6. and 15.12., B 15.9.
    "meetings_missed": 1,
}
# A, B and E once each: B is not counted twice, so the total is less than the rows' sum.
TOTAL_2028 = {
    "agreements": 3,
    "goals_met": 2,
    "goals_not_met": 1,
    "money": Decimal("17000.00"),
    "premises_hours": Decimal("539.7"),
    "premises_value": Decimal("5035.83"),
    "staff_hours": Decimal("147.2"),
    "meetings_held": 4,
    "meetings_missed": 1,
}


def test_the_summary_counts_each_agreement_in_force_during_the_year(world):
    summary = yearly_summary(world.body.pk, 2028)

    assert [(r.association_id, r.association_name, r.business_id) for r in summary.rows] == [
        (world.y.pk, "=Ysien kerho ry", world.y.business_id),
        (world.x.pk, "Alppilan eläkeläiset ry", world.x.business_id),
    ]
    assert [figures(r) for r in summary.rows] == [Y_2028, X_2028]
    assert summary.total.association_id is None
    assert figures(summary.total) == TOTAL_2028


def test_the_total_counts_a_joint_agreement_once(world):
    summary = yearly_summary(world.body.pk, 2028)

    assert sum(r.agreements for r in summary.rows) == 4
    assert summary.total.agreements == 3
    # Money goes to the payee's row only, premises and staff time by each party's share: they
    # add up; the counts of a joint agreement do not.
    for name in ("money", "premises_hours", "premises_value", "staff_hours"):
        assert sum(getattr(r, name) for r in summary.rows) == getattr(summary.total, name)


def test_the_year_before_counts_the_agreement_that_ended_in_it(world):
    summary = yearly_summary(world.body.pk, 2027)

    # A and C; E was signed in 2027 but in force only from 1.1.2028. C's 2027 meetings and
    # A's first were missed.
    (x,) = summary.rows
    assert x.association_id == world.x.pk
    assert (
        figures(x)
        == figures(summary.total)
        == {
            "agreements": 2,
            "goals_met": 4,
            "goals_not_met": 0,
            "money": Decimal("16000.00"),  # A 10 000 + C 6 000
            "premises_hours": Decimal("520.0"),  # A 10 × 52
            "premises_value": Decimal("5000.00"),
            "staff_hours": Decimal("0.0"),
            "meetings_held": 1,  # A's due 31.12., held 20.12.
            "meetings_missed": 3,  # A 30.6., C 30.6. and 31.12.
        }
    )


def test_a_meeting_not_yet_due_is_not_missed(world):
    world.travel(date(2028, 11, 29))

    assert yearly_summary(world.body.pk, 2028).total.meetings_missed == 0


def test_a_body_without_agreements_has_an_empty_summary(world):
    summary = yearly_summary(world.body.pk, 2024)

    assert summary.rows == []
    assert figures(summary.total) == {
        "agreements": 0,
        "goals_met": 0,
        "goals_not_met": 0,
        "money": Decimal("0.00"),
        "premises_hours": Decimal("0.0"),
        "premises_value": Decimal("0.00"),
        "staff_hours": Decimal("0.0"),
        "meetings_held": 0,
        "meetings_missed": 0,
    }


# --- exports --------------------------------------------------------------------------------


def test_the_csv_is_semicolon_separated_utf8_with_decimal_commas(world):
    data = summary_csv(yearly_summary(world.body.pk, 2028))

    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert table == [
        [
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
        # A name that would run as a formula is quoted.
        [
            "'=Ysien kerho ry",
            world.y.business_id,
            *("2", "0", "0", "4000,00", "130,5", "1101,25", "48,6", "2", "1"),
        ],
        [
            "Alppilan eläkeläiset ry",
            world.x.business_id,
            *("2", "2", "1", "13000,00", "409,2", "3934,58", "98,6", "3", "1"),
        ],
        ["Yhteensä", "", "3", "2", "1", "17000,00", "539,7", "5035,83", "147,2", "4", "1"],
    ]


def test_the_csv_speaks_swedish_and_english(world):
    summary = yearly_summary(world.body.pk, 2028)

    sv = summary_csv(summary, "sv").decode("utf-8-sig").splitlines()
    en = summary_csv(summary, "en").decode("utf-8-sig").splitlines()
    assert sv[0].split(";")[:3] == ["Förening", "FO-nummer", "Avtal"]
    assert sv[-1].split(";")[0] == "Totalt"
    assert en[0].split(";")[:3] == ["Association", "Business ID", "Agreements"]
    assert en[-1].split(";")[0] == "Total"


def test_the_xlsx_has_a_bold_header_numbers_with_formats_and_a_total_row(world):
    data = summary_xlsx(yearly_summary(world.body.pk, 2028), "en")

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Partnership agreements 2028"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [
        (
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
        ),
        ("=Ysien kerho ry", world.y.business_id, 2, 0, 0, 4000, 130.5, 1101.25, 48.6, 2, 1),
        (
            "Alppilan eläkeläiset ry",
            world.x.business_id,
            2,
            2,
            1,
            13000,
            409.2,
            3934.58,
            98.6,
            3,
            1,
        ),
        ("Total", None, 3, 2, 1, 17000, 539.7, 5035.83, 147.2, 4, 1),
    ]
    assert all(cell.font.bold for cell in sheet[1])
    assert all(cell.font.bold for cell in sheet[4] if cell.value is not None)
    assert not sheet["A2"].font.bold
    assert sheet["A2"].data_type == "s"  # text, not a formula
    assert [sheet.cell(2, col).number_format for col in range(3, 12)] == [
        "0",
        "0",
        "0",
        '#,##0.00 "€"',
        "#,##0.0",
        '#,##0.00 "€"',
        "#,##0.0",
        "0",
        "0",
    ]


# --- the API --------------------------------------------------------------------------------


def query(**params) -> str:
    return URL + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def as_json(values: dict) -> dict:
    return {
        k: (f"{v:.1f}" if k.endswith("hours") else f"{v:.2f}") if isinstance(v, Decimal) else v
        for k, v in values.items()
    }


def test_any_official_of_the_body_gets_the_summary(api, world, people):
    url = query(public_body=world.body.pk, year=2028)
    response = as_user(api, people["liaison"]).get(url)

    assert response.status_code == 200
    assert response.json() == {
        "public_body": world.body.pk,
        "year": 2028,
        "rows": [
            {
                "association": world.y.pk,
                "association_name": "=Ysien kerho ry",
                "business_id": world.y.business_id,
                **as_json(Y_2028),
            },
            {
                "association": world.x.pk,
                "association_name": "Alppilan eläkeläiset ry",
                "business_id": world.x.business_id,
                **as_json(X_2028),
            },
        ],
        "total": {
            "association": None,
            "association_name": "",
            "business_id": "",
            **as_json(TOTAL_2028),
        },
    }
    for role in ("finance", "administrator", "preparer"):
        other = as_user(APIClient(), people[role]).get(url)
        assert (role, other.json()) == (role, response.json())


def test_the_api_exports_csv_and_xlsx(api, world, people):
    client = as_user(api, people["liaison"])

    response = client.get(query(public_body=world.body.pk, year=2028, format="csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="kumppanuussopimukset-{world.body.pk}-2028.csv"'
    )
    assert response.content == summary_csv(yearly_summary(world.body.pk, 2028))

    response = client.get(query(public_body=world.body.pk, year=2028, format="xlsx", language="sv"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Förening"
    assert sheet["A4"].value == "Totalt"
    assert sheet["C4"].value == 3


def test_the_summary_is_not_found_for_anyone_but_the_bodys_officials(
    api, world, people, representative
):
    ours = query(public_body=world.body.pk, year=2028)
    for person in (people["foreign_preparer"], world.theirs["liaison"], representative):
        assert as_user(api, person).get(ours).status_code == 404
    # A body that does not exist looks the same.
    missing = query(public_body=world.foreign.pk + 1000, year=2028)
    assert as_user(api, people["liaison"]).get(missing).status_code == 404
    # The foreign body's own officials see theirs: D only.
    response = as_user(api, world.theirs["finance"]).get(
        query(public_body=world.foreign.pk, year=2028)
    )
    assert response.status_code == 200
    assert [r["association"] for r in response.json()["rows"]] == [world.x.pk]
    assert response.json()["total"]["agreements"] == 1


def test_an_anonymous_request_is_refused(api, world):
    assert api.get(query(public_body=world.body.pk, year=2028)).status_code in (401, 403)


@pytest.mark.parametrize(
    "params",
    [
        {"year": "2028"},
        {"public_body": "BODY"},
        {"public_body": "BODY", "year": ""},
        {"public_body": "BODY", "year": "20x8"},
        {"public_body": "BODY", "year": "0"},
        {"public_body": "BODY", "year": "10000"},
        {"public_body": "abc", "year": "2028"},
        {"public_body": "0", "year": "2028"},
        {"public_body": str(2**63), "year": "2028"},
        {"public_body": "BODY", "year": "2028", "format": "pdf"},
        {"public_body": "BODY", "year": "2028", "language": "de"},
    ],
)
def test_a_missing_or_bad_parameter_is_a_400(api, body, people, params):
    params = {k: (str(body.pk) if v == "BODY" else v) for k, v in params.items()}

    response = as_user(api, people["liaison"]).get(URL, params)

    assert response.status_code == 400
    assert set(response.json()) <= {"public_body", "year", "format", "language"}


# --- queries --------------------------------------------------------------------------------


def test_the_summary_costs_the_same_queries_for_one_and_five_agreements(
    body, association, representative, people, negotiate_to_force, time_machine
):
    def agreement_in_force() -> None:
        draft = services.agreement_create(
            user=representative, public_body=body, associations=[association], terms_given=terms()
        )
        negotiate_to_force(version_of(draft))

    def counted(agreements: int) -> int:
        time_machine.move_to(on(date(2027, 7, 1)), tick=False)
        yearly_summary(body.pk, 2027)  # caches the agreements' content type
        with CaptureQueriesContext(connection) as queries:
            summary = yearly_summary(body.pk, 2027)
        assert summary.total.agreements == agreements
        return len(queries)

    time_machine.move_to(on(date(2026, 12, 15)), tick=False)
    agreement_in_force()
    one = counted(1)
    time_machine.move_to(on(date(2026, 12, 16)), tick=False)
    for _ in range(4):
        agreement_in_force()

    assert counted(5) == one == 6
