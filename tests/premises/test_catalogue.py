"""The catalogue (premises.models, premises.services): an entry is checked whole, saved by an
official of its body and audited; an official administers only their bodies' entries."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from premises.models import Premises
from premises.selectors import premises_of_official, premises_public
from premises.services import premises_of_body_check, premises_save
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def new_entry(body, **fields) -> Premises:
    return Premises(
        public_body=body,
        name="Kerhohuone",
        address="Koulukatu 12",
        postal_code=fields.pop("postal_code", "99130"),
        town="Esimerkkilä",
        capacity=fields.pop("capacity", 20),
        hours_available="ma–to 16–20",
        booking_email=fields.pop("booking_email", "nuorisotalo@esimerkkila.example.fi"),
        value_per_hour=fields.pop("value_per_hour", Decimal("12.00")),
        **fields,
    )


def test_an_official_of_the_body_creates_and_edits_an_entry_audited(body, people):
    created = premises_save(new_entry(body), user=people["liaison"])
    created.capacity = 25
    premises_save(created, user=people["preparer"], changed=["capacity"])

    assert Premises.objects.get().capacity == 25
    log = TransitionLog.objects.filter(object_id=created.pk).order_by("pk")
    assert [(e.transition, e.data) for e in log] == [
        ("create", {}),
        ("edit", {"changed": ["capacity"]}),
    ]


def test_another_bodys_official_may_not_save(body, people):
    with pytest.raises(PermissionDenied):
        premises_save(new_entry(body), user=people["foreign_preparer"])

    assert not Premises.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"postal_code": "9910"}, "postal_code"),
        ({"booking_email": ""}, "booking_email"),
        ({"value_per_hour": Decimal("-1")}, "value_per_hour"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_a_bad_entry_is_refused_with_its_field(body, people, fields, field):
    entry = new_entry(body, **fields)

    with pytest.raises(ValidationError) as refused:
        premises_save(entry, user=people["liaison"])

    assert field in refused.value.message_dict
    assert not Premises.objects.exists()


def test_a_phone_alone_is_a_booking_contact(body, people):
    saved = premises_save(
        new_entry(body, booking_email="", booking_phone="09 123 4600"), user=people["liaison"]
    )

    assert saved.pk


def test_an_official_administers_only_their_bodies_entries(people, hall, foreign_hall):
    assert list(premises_of_official(people["liaison"])) == [hall]
    assert list(premises_of_official(people["foreign_preparer"])) == []  # foreign_hall's body
    assert foreign_hall in premises_of_official(type(people["liaison"])(is_superuser=True))


def test_the_public_sees_only_active_entries(hall, club_room):
    Premises.objects.filter(pk=club_room.pk).update(active=False)

    assert list(premises_public()) == [hall]


def test_an_entry_of_another_body_is_named_in_the_refusal(body, foreign_hall, hall):
    premises_of_body_check(hall, body.pk, field="premises")
    premises_of_body_check(None, body.pk, field="premises")

    with pytest.raises(ValidationError) as refused:
        premises_of_body_check(foreign_hall, body.pk, field="resources")

    assert refused.value.message_dict == {
        "resources": ["Tila ”Naapurin sali” ei ole tämän julkisyhteisön tilaluettelossa."]
    }


def test_the_admin_lists_the_entries_to_an_administrator(admin_client, hall, foreign_hall):
    response = admin_client.get("/admin/premises/premises/")

    assert response.status_code == 200
    assert "Nuorisotalon sali" in response.content.decode()
    assert "Naapurin sali" in response.content.decode()
