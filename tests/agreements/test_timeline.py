"""One timeline per agreement (issue 17): signed, in force from the term's first day, ended;
meetings planned and recorded only inside the term; re-planning after an amendment keeps what
was held and what the liaison scheduled by hand, and never plans two meetings for one period."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements import scans, services
from agreements.models import Agreement
from agreements.schedule import meeting_periods
from tests.agreements.builders import at, fresh, log_of, terms, version_of
from tests.conftest import as_user

pytestmark = pytest.mark.django_db

A = Agreement.State


def live(agreement: Agreement) -> list[date]:
    """The due dates of the meetings not cancelled, in order."""
    return list(
        agreement.meetings.filter(cancelled=False)
        .order_by("due_on")
        .values_list("due_on", flat=True)
    )


@pytest.fixture
def signed(draft, negotiate_to_force, time_machine):
    """Signed jointly on 6 December 2026; the term begins on 1 January 2027."""
    time_machine.move_to(at(date(2026, 12, 6)), tick=False)
    negotiate_to_force(version_of(draft))
    return fresh(draft)


def test_signed_before_its_term_it_comes_into_force_on_the_first_day_once(
    signed, api, client, representative, time_machine
):
    assert (signed.state, signed.activated_on, signed.starts_on) == (
        A.SIGNED,
        None,
        date(2027, 1, 1),
    )
    shown = as_user(api, representative).get(f"/api/v1/agreements/{signed.pk}/").data
    assert (shown["state"], shown["starts_on"]) == ("signed", "2027-01-01")
    client.force_login(representative)
    page = client.get(reverse("partnerships:agreement", args=[signed.pk]))
    assert "1.1.2027" in page.content.decode()

    time_machine.move_to(at(date(2026, 12, 31), 23), tick=False)
    assert scans.activate_signed_agreements() == 0
    time_machine.move_to(at(date(2027, 1, 1), 0), tick=False)
    assert scans.activate_signed_agreements() == 1
    assert scans.activate_signed_agreements() == 0

    active = fresh(signed)
    assert (active.state, active.activated_on) == (A.ACTIVE, date(2027, 1, 1))
    assert log_of(active).count("activate") == 1


def test_signed_after_the_term_began_it_is_in_force_from_the_last_signature(
    body, association, representative, negotiate_to_force, time_machine
):
    time_machine.move_to(at(date(2027, 1, 12)), tick=False)
    agreement = services.agreement_create(
        user=representative, public_body=body, associations=[association], terms_given=terms()
    )
    negotiate_to_force(version_of(agreement))
    agreement = fresh(agreement)
    assert (agreement.state, agreement.activated_on) == (A.ACTIVE, date(2027, 1, 12))


def test_no_meeting_is_planned_after_the_term(
    body, association, representative, negotiate_to_force, time_machine
):
    """31 December 2028 is a Sunday: its meeting is due the Friday before, not on 2.1.2029."""
    time_machine.move_to(at(date(2026, 12, 6)), tick=False)
    two_years = terms(
        ends_on=date(2028, 12, 31),
        resources=[r for r in terms()["resources"] if r["year"] < 2029],
    )
    agreement = services.agreement_create(
        user=representative, public_body=body, associations=[association], terms_given=two_years
    )
    negotiate_to_force(version_of(agreement))

    assert live(agreement) == [
        date(2027, 6, 30),
        date(2027, 12, 31),
        date(2028, 6, 30),
        date(2028, 12, 29),
    ]
    evaluations = agreement.evaluations.order_by("period_starts_on")
    assert max(e.period_ends_on for e in evaluations) == date(2028, 12, 31)


def test_every_period_has_its_meeting_inside_the_term():
    version = type("Terms", (), {})()
    version.starts_on, version.ends_on, version.meetings_per_year = (
        date(2027, 1, 1),
        date(2029, 12, 31),
        4,
    )
    periods = meeting_periods(version)
    assert len(periods) == 12
    assert all(version.starts_on <= start <= due <= version.ends_on for start, due in periods)


def test_a_meeting_is_recorded_only_inside_the_term(signed, api, people, time_machine):
    """The walk-through recorded a meeting as held on 5 December 2026, before the signing
    and the term: refused with a 400 that says from when, and nothing saved."""
    liaison = as_user(api, people["liaison"])
    meeting = signed.meetings.order_by("due_on").first()
    url = f"/api/v1/agreement-meetings/{meeting.pk}/record/"

    response = liaison.post(url, {"held_on": "2026-12-05", "notes": "Aloituspalaveri."})
    assert response.status_code == 400
    assert "1.1.2027" in str(response.data["held_on"])

    time_machine.move_to(at(date(2027, 3, 2)), tick=False)
    response = liaison.post(url, {"held_on": "2026-12-30", "notes": "Aloituspalaveri."})
    assert response.status_code == 400
    assert fresh(meeting).held_on is None

    response = liaison.post(url, {"held_on": "2027-03-01", "notes": "Aloituspalaveri."})
    assert response.status_code == 200, response.data
    assert fresh(meeting).held_on == date(2027, 3, 1)


def test_a_meeting_is_scheduled_only_inside_the_term(active, people):
    with pytest.raises(ValidationError) as late:
        services.meeting_add(active, user=people["liaison"], due_on=date(2030, 1, 2))
    assert "31.12.2029" in str(late.value)
    assert not active.meetings.filter(due_on=date(2030, 1, 2)).exists()


def test_an_amendment_keeps_the_meeting_held_and_the_one_scheduled_by_hand(
    active, people, negotiate_to_force, time_machine
):
    """The walk-through's amendment planned a second meeting due 30.6.2027 beside the one
    held for that half-year and cancelled the one the liaison had scheduled."""
    liaison = people["liaison"]
    time_machine.move_to(at(date(2027, 5, 10)), tick=False)
    first = active.meetings.get(due_on=date(2027, 6, 30))
    services.meeting_record(first, user=liaison, held_on=date(2027, 5, 10), notes="Kevät.")
    by_hand = services.meeting_add(active, user=liaison, due_on=date(2027, 9, 15))

    time_machine.move_to(at(date(2027, 5, 20)), tick=False)
    changed = terms()["resources"]
    changed[0]["amount"] = Decimal("13000.00")
    amendment = services.version_draft(active, user=liaison, terms_given={"resources": changed})
    negotiate_to_force(amendment)

    agreement = fresh(active)
    assert agreement.in_force_version == fresh(amendment)
    first_half = agreement.meetings.filter(
        cancelled=False, due_on__range=(date(2027, 1, 1), date(2027, 6, 30))
    )
    assert list(first_half) == [first]
    assert not fresh(by_hand).cancelled
    assert live(agreement) == [
        date(2027, 6, 30),
        date(2027, 9, 15),
        date(2027, 12, 31),
        date(2028, 6, 30),
        date(2029, 1, 2),
        date(2029, 7, 2),
        date(2029, 12, 31),
    ]
