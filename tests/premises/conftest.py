"""Catalogue fixtures: two entries of `body`'s catalogue, one of a foreign body's."""

from decimal import Decimal

import pytest

from premises.models import Premises
from tests.agreements.conftest import agreement_chain, draft, signatories  # noqa: F401
from tests.factories import PublicBodyFactory


def entry(body, name: str, value: str = "20.00", **fields) -> Premises:
    return Premises.objects.create(
        public_body=body,
        name=name,
        name_sv=fields.pop("name_sv", f"{name} (sv)"),
        name_en=fields.pop("name_en", f"{name} (en)"),
        address="Kirkkokatu 1",
        postal_code="99100",
        town="Esimerkkilä",
        capacity=40,
        hours_available="ma–pe 17–21",
        booking_email="tilavaraus@esimerkkila.example.fi",
        value_per_hour=Decimal(value),
        **fields,
    )


@pytest.fixture
def hall(body):
    return entry(body, "Nuorisotalon sali", "20.00", step_free_access=True)


@pytest.fixture
def club_room(body):
    return entry(body, "Kerhohuone", "10.00")


@pytest.fixture
def foreign_hall():
    return entry(PublicBodyFactory(), "Naapurin sali", "15.00")
