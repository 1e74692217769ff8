"""`liaison.meetings.meetings_held`: what the yearly association report counts."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.meetings import meetings_held
from liaison.models import AssociationMeeting, RaisedMatter
from tests.factories import PublicBodyFactory

pytestmark = pytest.mark.django_db
State = AssociationMeeting.State


def _meeting(body, when: str, state: str = State.HELD, matters: int = 0) -> AssociationMeeting:
    starts_at = timezone.make_aware(datetime.fromisoformat(when))
    meeting = AssociationMeeting.objects.create(
        public_body=body, starts_at=starts_at, place="Kirjasto", agenda="Ajankohtaista", state=state
    )
    for n in range(matters):
        RaisedMatter.objects.create(meeting=meeting, matter=f"Asia {n}", position=n + 1)
    return meeting


def test_held_meetings_of_the_year_in_date_order_with_their_matters_counted(body):
    autumn = _meeting(body, "2026-10-01 18:00", matters=3)
    spring = _meeting(body, "2026-03-12 18:00", matters=1)
    _meeting(body, "2026-05-01 18:00", state=State.PLANNED)
    _meeting(body, "2026-06-01 18:00", state=State.CANCELLED)
    # Local time: a meeting on New Year's Eve late in Helsinki is still of 2025.
    _meeting(body, "2025-12-31 23:30")
    _meeting(body, "2027-01-01 00:30")
    _meeting(PublicBodyFactory(), "2026-04-01 18:00")

    with CaptureQueriesContext(connection) as queries:
        held = meetings_held(body, 2026)
        counts = [m.matters_count for m in held]

    assert held == [spring, autumn]
    assert counts == [1, 3]
    assert len(queries) == 1


def test_a_body_given_by_id_reads_the_same(body):
    meeting = _meeting(body, "2026-03-12 18:00")
    assert meetings_held(body.pk, 2026) == [meeting]
    assert meetings_held(body, 2025) == []


def test_the_workbench_list_reads_in_a_constant_number_of_queries(body, people, client):
    client.force_login(people["liaison"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/workbench/meetings/").status_code == 200
        return len(captured)

    # Two a year from the start: the warning under two (and its one query) stays away.
    _meeting(body, "2026-02-12 18:00", matters=2)
    _meeting(body, "2026-03-12 18:00", matters=2)
    client.get("/workbench/meetings/")  # the first request's one-off reads (session, caches)
    few = queries()
    for month in range(4, 10):
        _meeting(body, f"2026-{month:02d}-12 18:00", matters=3)
    assert queries() == few
