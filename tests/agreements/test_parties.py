"""Several associations as parties (issue 17), and each side's contact person set through the
API."""

from datetime import date

import pytest

from agreements.models import Agreement
from organisations.models import OfficialRole
from tests.agreements.builders import act, at, log_of, version_of
from tests.conftest import as_user
from tests.factories import UserFactory, grant_role

pytestmark = pytest.mark.django_db
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
