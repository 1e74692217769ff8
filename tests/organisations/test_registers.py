"""The register of decisions: each body numbers its decisions per year, from 1."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction

from organisations.models import SectionRegister
from organisations.registers import section_take
from tests.factories import PublicBodyFactory

pytestmark = pytest.mark.django_db


def test_sections_follow_each_other_within_a_year():
    body = PublicBodyFactory()
    taken = [section_take(body, date(2026, month, 1)) for month in (1, 6, 12)]
    assert taken == ["§ 1/2026", "§ 2/2026", "§ 3/2026"]
    assert SectionRegister.objects.get(public_body=body, year=2026).last_section == 3


def test_a_new_year_starts_again_from_one():
    body = PublicBodyFactory()
    section_take(body, date(2026, 12, 31))
    section_take(body, date(2026, 12, 31))
    assert section_take(body, date(2027, 1, 1)) == "§ 1/2027"
    assert section_take(body, date(2026, 12, 31)) == "§ 3/2026"


def test_each_body_keeps_its_own_register():
    first, second = PublicBodyFactory(), PublicBodyFactory()
    section_take(first, date(2026, 3, 1))
    section_take(first, date(2026, 3, 1))
    assert section_take(second, date(2026, 3, 1)) == "§ 1/2026"
    assert section_take(first, date(2026, 3, 1)) == "§ 3/2026"


def test_a_rolled_back_decision_gives_its_section_back():
    body = PublicBodyFactory()
    section_take(body, date(2026, 3, 1))

    def refused_decision() -> None:
        with transaction.atomic():
            section_take(body, date(2026, 3, 1))
            raise RuntimeError("the decision was refused")

    with pytest.raises(RuntimeError):
        refused_decision()
    assert section_take(body, date(2026, 3, 1)) == "§ 2/2026"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing", [False, True], ids=["first of the year", "later"])
def test_decisions_at_the_same_moment_take_different_sections(existing):
    """Two transactions taking a section at once (the register's row created by neither, or
    already there): the second waits for the first and takes the next number."""
    body = PublicBodyFactory()
    if existing:
        section_take(body, date(2026, 3, 1))
    start = threading.Barrier(2)
    results: list[str] = []

    def decide() -> None:
        try:
            start.wait()
            with transaction.atomic():
                results.append(section_take(body, date(2026, 3, 1)))
        finally:
            connection.close()

    threads = [threading.Thread(target=decide) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    offset = 1 if existing else 0
    assert sorted(results) == [f"§ {offset + 1}/2026", f"§ {offset + 2}/2026"]
