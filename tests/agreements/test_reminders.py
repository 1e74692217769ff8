"""An agreement's reminders, day by day as beat runs the scans: the cooperation meetings, the
yearly evaluation and the end of the term. Each reminder reaches its people once, on a
Finnish working day, in each reader's language.

The agreement (fixture `active`) is in force from 15 December 2026 for 2027–2029, with two
meetings a year (by 30 June and 31 December) and a yearly evaluation due 60 days after each
year. The body has two liaisons, one reading Finnish and one Swedish; the association's
representative reads English.
"""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.utils import timezone

from agreements import services
from agreements.tasks import daily_scan
from organisations.models import OfficialRole
from tests.agreements.builders import act, at, fresh
from tests.factories import UserFactory, grant_role
from workflow.messages import email_for
from workflow.models import Notification
from workflow.scans import remind_due
from workflow.time_limits import is_working_day

pytestmark = pytest.mark.django_db

LIAISONS = ("liaison", "liaison_sv")
DEADLINE_KINDS = ("meeting_due", "evaluation_due", "agreement_ends")


@pytest.fixture
def readers(body, people, representative):
    grant_role(UserFactory(username="liaison_sv", language="sv"), body, OfficialRole.Role.LIAISON)
    representative.language = "en"
    representative.save()


def live_until(clock, last: date, actions: dict[date, Callable[[], object]] | None = None) -> None:
    """Every day after the clock's day until `last`: the agreements' scan after midnight,
    the reminder scan from the reminder hour (twice, and again in the afternoon: a repeated
    run sends nothing twice), and the day's action at noon."""
    actions = actions or {}
    day = timezone.localdate() + timedelta(days=1)
    while day <= last:
        clock.move_to(at(day, 0))
        daily_scan()
        clock.move_to(at(day, 8))
        remind_due()
        remind_due()
        if day in actions:
            clock.move_to(at(day, 12))
            actions[day]()
        clock.move_to(at(day, 16))
        remind_due()
        day += timedelta(days=1)


def reminders(*kinds: str) -> list[tuple[date, str, str]]:
    """(day written, recipient, kind) of the outbox rows of these kinds, in order."""
    rows = Notification.objects.filter(kind__in=kinds).select_related("recipient")
    return sorted(
        (timezone.localdate(row.created_at), row.recipient.username, row.kind) for row in rows
    )


def to_liaisons(day: date, kind: str) -> list[tuple[date, str, str]]:
    return [(day, who, kind) for who in LIAISONS]


def subjects(kind: str) -> dict[str, str]:
    """Each recipient's rendered subject of the newest message of this kind."""
    return {
        row.recipient.username: email_for(row).subject
        for row in Notification.objects.filter(kind=kind).order_by("id")
    }


def test_meetings_are_reminded_30_and_7_days_before_and_once_when_not_held(
    active, readers, people, time_machine
):
    meetings = list(active.meetings.order_by("due_on"))
    assert [m.due_on for m in meetings[:2]] == [date(2027, 6, 30), date(2027, 12, 31)]

    def record_held() -> None:
        services.meeting_record(
            meetings[1], user=people["liaison"], held_on=date(2027, 12, 31), notes="Sovittiin."
        )

    live_until(time_machine, date(2028, 1, 10), {date(2027, 12, 31): record_held})

    before, overdue = "meeting_due_before", "meeting_due_overdue"
    assert reminders(before, overdue) == [
        # By Wed 30 June 2027: Mon 31 May and Wed 23 June; not recorded, so the liaisons
        # hear of it once, on Thu 1 July, and never again.
        *to_liaisons(date(2027, 5, 31), before),
        *to_liaisons(date(2027, 6, 23), before),
        *to_liaisons(date(2027, 7, 1), overdue),
        # By Fri 31 December 2027: Wed 1 December, and 7 days before is Christmas Eve, so
        # Thu 23 December. Recorded as held on the day: no overdue reminder on Mon 3 January.
        *to_liaisons(date(2027, 12, 1), before),
        *to_liaisons(date(2027, 12, 23), before),
    ]
    assert all(is_working_day(day) for day, _, _ in reminders(before, overdue))
    assert subjects(before) == {
        "liaison": "Yhteistyökokous on pidettävä viimeistään 31.12.2027",
        "liaison_sv": "Ett samarbetsmöte ska hållas senast 31.12.2027",
    }
    assert subjects(overdue)["liaison_sv"].startswith(
        "Samarbetsmötet har inte registrerats som hållet: "
    )
    body = email_for(Notification.objects.filter(kind=overdue).first()).body
    assert active.title in body
    assert "30.6.2027" in body


def test_the_evaluation_is_reminded_to_the_association_and_overdue_to_the_liaisons(
    active, readers, representative, time_machine
):
    evaluation = active.evaluations.order_by("period_starts_on").first()
    goals = active.in_force_version.goals.all()

    def submit() -> None:
        act(
            evaluation,
            "submit",
            representative,
            report="Ryhmät kokoontuivat joka viikko.",
            results=[{"goal": goal.pk, "value": goal.target} for goal in goals],
        )

    live_until(time_machine, date(2028, 4, 10), {date(2028, 3, 20): submit})

    before, overdue = "evaluation_due_before", "evaluation_due_overdue"
    assert fresh(evaluation).due_on == date(2028, 2, 29)
    assert reminders(before, overdue) == [
        # 30 days before Tue 29 February 2028 is Sunday 30 January: Friday 28 January.
        (date(2028, 1, 28), "rep", before),
        (date(2028, 2, 22), "rep", before),
        # Overdue every 14 days, to the liaisons, until the report comes on 20 March (the
        # next would have been Wed 29 March).
        *to_liaisons(date(2028, 3, 1), overdue),
        *to_liaisons(date(2028, 3, 15), overdue),
    ]
    assert subjects(before) == {
        "rep": "The yearly evaluation of the partnership agreement is due on 29 February 2028"
    }
    assert subjects(overdue) == {
        "liaison": f"Vuosiarviointi on myöhässä: {active}",
        "liaison_sv": f"Den årliga utvärderingen är försenad: {active}",
    }
    late = email_for(Notification.objects.filter(kind=overdue).first()).body
    assert "29.2.2028" in late
    assert active.lead_association.name in late


def test_the_liaisons_are_reminded_of_the_terms_end(active, readers, time_machine):
    live_until(time_machine, date(2030, 1, 10))

    before = "agreement_ends_before"
    assert reminders(before, "agreement_ends_overdue") == [
        # Wed 4 July, Tue 2 October; 30 days before is Saturday 1 December: Friday 30 November.
        *to_liaisons(date(2029, 7, 4), before),
        *to_liaisons(date(2029, 10, 2), before),
        *to_liaisons(date(2029, 11, 30), before),
    ]
    assert subjects(before) == {
        "liaison": f"Kumppanuussopimus päättyy 31.12.2029: {active}",
        "liaison_sv": f"Partnerskapsavtalet upphör 31.12.2029: {active}",
    }
    # The renewal opened on the first reminder's day; the agreement ended after its term.
    assert reminders("agreement_renewal_due") == [
        (date(2029, 7, 4), who, "agreement_renewal_due") for who in ("liaison", "liaison_sv", "rep")
    ]
    assert fresh(active).ended_on == date(2029, 12, 31)
    # Three years of the agreement's reminders of every kind: all on working days.
    every = reminders(
        *(f"{kind}_{phase}" for kind in DEADLINE_KINDS for phase in ("before", "overdue"))
    )
    assert len(every) > 30
    assert all(is_working_day(day) for day, _, _ in every)
