"""The demo's municipality is described in full: its documents state every fact, name it in
Swedish, and carry a title under every official's name."""

import pytest

from grants.demo import PEOPLE
from organisations.demo import TITLES, municipality_create
from organisations.facts import DECISION, NOTIFICATION, PAYMENT, missing_facts
from organisations.models import OfficialRole

pytestmark = pytest.mark.django_db


def test_the_demo_municipality_lacks_no_fact_and_is_named_in_swedish():
    city = municipality_create()
    assert [missing_facts(city, p) for p in (DECISION, NOTIFICATION, PAYMENT)] == [[], [], []]
    assert city.name_sv
    assert city.court_name
    assert all(unit.name_sv for unit in city.units.all())


def test_every_demo_official_has_a_title_in_finnish_and_swedish():
    officials = {username for username, _n, _l, role, _o in PEOPLE if role in OfficialRole.Role}
    assert officials <= set(TITLES)
    assert all(fi and sv for fi, sv, _en in TITLES.values())
