"""An agreement's premises resource names an entry of its body's catalogue: the API writes and
shows it by name, another body's entry is a 400 naming it, and a resource that is not
premises names none."""

from datetime import date

import pytest
from django.urls import reverse

from agreements import terms
from tests.agreements.builders import at, version_of
from tests.conftest import as_user

pytestmark = pytest.mark.django_db
VERSIONS = "/api/v1/agreement-versions/"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(date(2026, 12, 15)), tick=False)


def premises_row(premises_id: int | None, kind: str = "premises") -> dict:
    return {
        "year": 2027,
        "kind": kind,
        "description": "Maanantai-illat",
        "hours": "4",
        "hours_per": "week",
        "amount": "1600.00",
        "premises": premises_id,
    }


def patch(api, user, version, rows):
    return as_user(api, user).patch(f"{VERSIONS}{version.pk}/", {"resources": rows})


def test_a_premises_resource_names_an_entry_of_the_body(api, clock, draft, representative, hall):
    v1 = version_of(draft)

    response = patch(api, representative, v1, [premises_row(hall.pk)])

    assert response.status_code == 200, response.data
    [row] = response.data["resources"]
    assert (row["premises"], row["premises_name"]) == (hall.pk, "Nuorisotalon sali")
    assert v1.resources.get().premises == hall
    assert terms.terms_of(v1)["resources"][0]["premises"] == hall


def test_another_bodys_entry_is_refused_by_name(
    api, clock, draft, representative, hall, foreign_hall
):
    v1 = version_of(draft)
    before = list(v1.resources.values_list("pk", flat=True))

    response = patch(api, representative, v1, [premises_row(foreign_hall.pk)])

    assert response.status_code == 400
    assert "Naapurin sali" in str(response.data["resources"])
    assert list(v1.resources.values_list("pk", flat=True)) == before


def test_only_a_premises_resource_names_premises(api, clock, draft, representative, hall):
    response = patch(api, representative, version_of(draft), [premises_row(hall.pk, "staff")])

    assert response.status_code == 400
    assert "resources" in response.data


def test_a_resource_without_an_entry_shows_no_name(api, clock, draft, representative):
    response = patch(api, representative, version_of(draft), [premises_row(None)])

    assert response.status_code == 200, response.data
    assert response.data["resources"][0]["premises_name"] is None


def test_the_agreement_page_shows_the_entry_by_name(client, clock, draft, representative, hall):
    version = version_of(draft)
    version.resources.update(premises=hall)
    client.force_login(representative)

    page = client.get(reverse("partnerships:version", args=[draft.pk, version.number]))

    assert page.status_code == 200
    assert "Nuorisotalon sali: Seniorikeskus, liikuntasali" in page.content.decode()
