"""Several associations as parties (issue 17), and each side's contact person set through the
API."""

from datetime import date
from decimal import Decimal

import pytest

from agreements import instalments, services
from agreements.models import Agreement
from agreements.summary import yearly_summary
from agreements.tasks import daily_scan
from finance.models import Payable
from organisations.models import AssociationRole, OfficialRole
from tests.agreements.builders import act, at, log_of, terms, version_of
from tests.conftest import as_user
from tests.factories import AssociationFactory, UserFactory, grant_role, represent
from workflow.models import Notification
from workflow.scans import remind_due

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")
URL = "/api/v1/agreements/"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(date(2026, 12, 15)), tick=False)
    return time_machine


@pytest.fixture
def draft(draft, representative, clock):
    """The agreement once proposed: both sides see it."""
    act(version_of(draft), "propose", representative)
    return Agreement.objects.get(pk=draft.pk)


def contacts(client, agreement: Agreement, **body):
    return client.post(f"{URL}{agreement.pk}/contacts/", body, format="json")


def test_each_side_names_its_own_contact_person(api, clock, draft, people, representative, body):
    other_liaison = grant_role(UserFactory(), body, OfficialRole.Role.LIAISON)
    answer = contacts(as_user(api, people["liaison"]), draft, liaison_id=other_liaison.pk)
    assert answer.status_code == 200, answer.content
    assert answer.json()["liaison"]["id"] == other_liaison.pk

    answer = contacts(as_user(api, representative), draft, contact_id=representative.pk)
    assert answer.status_code == 200, answer.content
    assert answer.json()["contact"]["id"] == representative.pk
    assert log_of(draft).count("set_contacts") == 2


@pytest.mark.parametrize(
    ("who", "field", "person", "status"),
    [
        # A liaison names only a liaison of the body, and not the association's contact.
        ("liaison", "liaison_id", "finance", 400),
        ("liaison", "contact_id", "representative", 403),
        # A representative names a representative of a party, and not the body's liaison.
        ("representative", "contact_id", "foreign_representative", 400),
        ("representative", "liaison_id", "liaison", 403),
        ("representative", "contact_id", "nobody", 400),
    ],
)
def test_a_contact_of_the_wrong_side_is_refused_and_nothing_changes(
    api, clock, draft, people, representative, foreign_representative, who, field, person, status
):
    cast = {**people, "representative": representative}
    cast["foreign_representative"] = foreign_representative
    person_id = 2**31 if person == "nobody" else cast[person].pk
    named = (draft.liaison_id, draft.contact_id)
    answer = contacts(as_user(api, cast[who]), draft, **{field: person_id})
    assert answer.status_code == status, answer.content
    draft.refresh_from_db()
    assert (draft.liaison_id, draft.contact_id) == named
    assert "set_contacts" not in log_of(draft)


def test_an_empty_or_bad_body_is_a_400(api, clock, draft, people):
    liaison = as_user(api, people["liaison"])
    assert contacts(liaison, draft).status_code == 400
    assert contacts(liaison, draft, liaison_id="x").status_code == 400


def test_a_foreign_agreement_is_a_404(api, clock, draft, foreign_representative, people):
    assert contacts(as_user(api, foreign_representative), draft, contact_id=1).status_code == 404
    assert (
        contacts(as_user(api, people["foreign_preparer"]), draft, liaison_id=1).status_code == 404
    )


# --- several associations as parties ------------------------------------------------------------


@pytest.fixture
def partner():
    return AssociationFactory(name="Toinen yhdistys", accepts_electronic_notification=True)


@pytest.fixture
def partner_people(partner):
    return {
        "representative": represent(UserFactory(username="partner_rep"), partner),
        "signatory": represent(
            UserFactory(username="partner_signer"), partner, AssociationRole.Role.SIGNATORY
        ),
    }


@pytest.fixture
def joint(
    body,
    association,
    partner,
    representative,
    people,
    signatories,
    partner_people,
    agreement_chain,
    time_machine,
):
    """An agreement of `association` (the lead) and `partner` in force from 15 December 2026;
    the 2028 instalment is paid to the partner."""
    time_machine.move_to(at(date(2026, 12, 15)), tick=False)
    given = terms()
    (money_2028,) = [r for r in given["resources"] if (r["year"], r["kind"]) == (2028, "money")]
    money_2028["payee"] = partner
    agreement = services.agreement_create(
        user=representative,
        public_body=body,
        associations=[association, partner],
        terms_given=given,
        signatures_required={association.pk: 2, partner.pk: 1},
    )
    version = act(version_of(agreement), "propose", representative)
    version = act(version, "accept", people["liaison"])
    version = act(version, "submit_for_review", people["liaison"], chain_id=agreement_chain.pk)
    version = act(version, "record_step", people["preparer"], comment="Esitän.")
    version = act(version, "decide", people["decision_maker"], outcome="approved", reasons="Hyvä.")
    for signer in (*signatories, partner_people["signatory"], people["decision_maker"]):
        version = act(version, "sign", signer)
    assert version.state == "in_force"
    return Agreement.objects.get(pk=agreement.pk)


def test_each_partys_representatives_get_the_evaluation_reminders(
    joint, representative, partner_people, time_machine
):
    # The 2027 evaluation opens when the year is over; it is due 60 days later and reminded
    # to the association 30 days before.
    for day in (date(2028, 1, 1), date(2028, 2, 1), date(2028, 2, 2)):
        time_machine.move_to(at(day, 9), tick=False)
        daily_scan()
        remind_due()
    reminded = set(
        Notification.objects.filter(kind="evaluation_due_before").values_list(
            "recipient__username", flat=True
        )
    )
    assert {representative.username, partner_people["representative"].username} <= reminded


def test_each_resource_names_its_payee_and_the_instalment_is_paid_to_it(
    joint, association, partner, time_machine
):
    version = joint.in_force_version
    money = version.resources.filter(kind="money").order_by("year")
    assert [(r.year, r.payee) for r in money] == [(2027, None), (2028, partner), (2029, None)]
    for day in (date(2027, 2, 1), date(2028, 2, 1)):
        time_machine.move_to(at(day), tick=False)
        instalments.open_due_instalments()
    paid_to = dict(
        Payable.objects.filter(object_id=joint.pk).values_list("source", "association_id")
    )
    assert paid_to == {"instalment:2027": association.pk, "instalment:2028": partner.pk}


def test_a_payee_who_is_no_party_is_refused(api, body, association, representative, clock):
    given = terms()
    given["resources"][0]["payee"] = AssociationFactory()
    agreement = services.agreement_create(
        user=representative, public_body=body, associations=[association], terms_given=given
    )
    answer = as_user(api, representative).post(
        f"/api/v1/agreement-versions/{version_of(agreement).pk}/transitions/",
        {"transition": "propose"},
    )
    assert answer.status_code == 400
    assert "resources" in answer.json()


def test_the_summary_counts_a_joint_agreement_once_and_each_party_by_its_share(
    joint, body, association, partner
):
    joint.parties.filter(association=association).update(share=Decimal(70))
    summary = yearly_summary(body.pk, 2027)
    rows = {r.association_id: r for r in summary.rows}
    assert summary.total.agreements == 1
    assert (rows[association.pk].agreements, rows[partner.pk].agreements) == (1, 1)
    value = summary.total.premises_value
    assert value > 0
    # The partner, with no share of its own, has what the lead's 70 % leaves.
    assert rows[association.pk].premises_value == (value * Decimal("0.7")).quantize(CENT)
    assert rows[partner.pk].premises_value == (value * Decimal("0.3")).quantize(CENT)
