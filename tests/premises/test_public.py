"""The public catalogue of free premises (/public/premises/): anonymous, in Finnish, Swedish
and English, only active entries; an inactive entry or an id of no entry is a 404."""

import pytest
from django.test import Client

from premises.models import Premises
from tests.premises.conftest import entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous() -> Client:
    return Client()


def page(client: Client, path: str, language: str = "fi"):
    return client.get(path, headers={"accept-language": language})


@pytest.mark.parametrize(
    ("language", "name", "heading"),
    [
        ("fi", "Nuorisotalon sali", "Maksuttomat tilat"),
        ("sv", "Nuorisotalon sali (sv)", "Avgiftsfria lokaler"),
        ("en", "Nuorisotalon sali (en)", "Free premises"),
    ],
)
def test_the_catalogue_lists_active_entries_in_each_language(
    anonymous, hall, foreign_hall, body, language, name, heading
):
    entry(body, "Suljettu kerhohuone", active=False)

    response = page(anonymous, "/public/premises/", language)

    assert response.status_code == 200
    text = response.content.decode()
    assert f'<html lang="{language}">' in text
    assert f"<h1>{heading}</h1>" in text
    assert name in text
    assert "Naapurin sali" in text  # every body's catalogue is public
    assert "Suljettu kerhohuone" not in text
    assert response["ETag"]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", ["Esteetön kulku", "Ei esteetöntä wc:tä", "Varaaminen", "Tilan antaja"]),
        ("sv", ["Steglös entré", "Ingen tillgänglig toalett", "Bokning", "Lånas ut av"]),
        ("en", ["Step-free access", "No accessible toilet", "Booking"]),
    ],
)
def test_an_entry_shows_its_accessibility_hours_and_booking(anonymous, hall, language, words):
    response = page(anonymous, f"/public/premises/{hall.pk}/", language)

    assert response.status_code == 200
    text = response.content.decode()
    for word in words:
        assert word in text
    assert "ma–pe 17–21" in text
    assert "mailto:tilavaraus@esimerkkila.example.fi" in text
    assert "20,00" not in text  # the value per hour is for the report
    assert "20.00" not in text


def test_an_inactive_entry_or_no_entry_is_a_404(anonymous, hall):
    Premises.objects.filter(pk=hall.pk).update(active=False)

    assert page(anonymous, f"/public/premises/{hall.pk}/").status_code == 404
    assert page(anonymous, f"/public/premises/{hall.pk + 1000}/").status_code == 404
    assert page(anonymous, "/public/premises/x/").status_code == 404


def test_the_public_home_leads_to_the_catalogue(anonymous):
    assert 'href="/public/premises/"' in page(anonymous, "/public/").content.decode()


def test_a_second_request_with_the_etag_is_not_modified(anonymous, hall):
    first = page(anonymous, f"/public/premises/{hall.pk}/")

    again = anonymous.get(f"/public/premises/{hall.pk}/", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
