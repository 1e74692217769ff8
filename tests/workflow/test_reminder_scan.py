"""The reminder scan (`workflow.scans`): due steps become outbox rows exactly once."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from organisations.models import OfficialRole
from tests.factories import ApplicationFactory, UserFactory, grant_role, represent
from workflow import scans
from workflow.deadlines import deadline_close, deadline_set
from workflow.models import Deadline, Notification
from workflow.outbox import notify
from workflow.reminders import Schedule
from workflow.scans import remind_due, remind_one

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
REPORT = Schedule(
    days_before=(30, 14, 1),
    remind_to="association",
    overdue_every_days=7,
    overdue_to="association",
)
COMPLETION = Schedule(days_before=(3, 1), remind_to="association", overdue_to="preparers")


def at(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


def days(first: date, last: date):
    while first <= last:
        yield first
        first += timedelta(days=1)


@pytest.fixture
def subject():
    """An application whose association has two representatives, its body two preparers."""
    app = ApplicationFactory()
    app.reps = [represent(UserFactory(), app.association) for _ in range(2)]
    app.preparers = [
        grant_role(UserFactory(), app.call.public_body, OfficialRole.Role.PREPARER)
        for _ in range(2)
    ]
    return app


def open_deadline(subject, due_on, schedule=REPORT, kind="report_due", set_on=None):
    """Set (or move) the deadline as a transition would, on `set_on` (10:00)."""
    with time_machine.travel(at(set_on or date(2026, 5, 13), 10), tick=False):
        return deadline_set(
            subject,
            kind=kind,
            due_on=due_on,
            title="Kulttuuriavustus: Yhdistys ry",
            association_id=subject.association_id,
            public_body_id=subject.call.public_body_id,
            schedule=schedule,
        )


def scan(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return remind_due(moment)


def scan_days(first: date, last: date, hours=(7, 8, 8, 15)) -> None:
    """Run the scan several times each day, as the beat (and a retried task) would."""
    for day in days(first, last):
        for hour in hours:
            scan(at(day, hour))


def sent(deadline=None):
    """(step, recipient id, created day) of each reminder row, in order of writing."""
    rows = Notification.objects.order_by("id")
    if deadline is not None:
        rows = rows.filter(deadline=deadline)
    return [
        (n.key.rsplit(":", 1)[1], n.recipient_id, n.created_at.astimezone(HELSINKI).date())
        for n in rows
    ]


def test_scan_run_twice_writes_one_notification_per_recipient(subject):
    deadline = open_deadline(subject, date(2026, 7, 3))

    assert scan(at(date(2026, 6, 2))) == 0  # nothing due the day before the first step
    assert scan(at(date(2026, 6, 3), 7, 59)) == 0  # nor before the reminder hour
    assert scan(at(date(2026, 6, 3))) == 1
    assert scan(at(date(2026, 6, 3))) == 0
    assert scan(at(date(2026, 6, 3), 15)) == 0

    rows = list(Notification.objects.filter(deadline=deadline).order_by("recipient_id"))
    assert [n.recipient for n in rows] == sorted(subject.reps, key=lambda u: u.pk)
    assert {n.key for n in rows} == {f"deadline:{deadline.pk}:2026-07-03:before-30"}
    assert {n.kind for n in rows} == {"report_due_before"}
    assert rows[0].context == {
        "title": "Kulttuuriavustus: Yhdistys ry",
        "due_on": "2026-07-03",
        "association": subject.association.name,
        "days_left": 30,
        # The association's people are reminded: their portal's page of the application.
        "path": reverse("associations:application", args=[subject.pk]),
    }
    deadline.refresh_from_db()
    assert deadline.next_step == "before-14"
    assert deadline.next_reminder_at == at(date(2026, 6, 18))


def test_whole_schedule_run_several_times_a_day_sends_each_step_once(subject):
    deadline = open_deadline(subject, date(2026, 7, 3))

    scan_days(date(2026, 5, 13), date(2026, 7, 21))

    expected_days = {
        "before-30": date(2026, 6, 3),
        "before-14": date(2026, 6, 18),  # Midsummer Eve is not a working day
        "before-1": date(2026, 7, 2),
        "overdue-1": date(2026, 7, 6),
        "overdue-2": date(2026, 7, 13),
        "overdue-3": date(2026, 7, 20),
    }
    expected = [
        (step, rep.pk, day)
        for step, day in expected_days.items()
        for rep in sorted(subject.reps, key=lambda u: u.pk)
    ]
    assert sorted(sent(deadline), key=lambda r: (r[2], r[1])) == expected
    deadline.refresh_from_db()
    assert deadline.next_step == "overdue-4"
    assert deadline.next_reminder_at == at(date(2026, 7, 27))


def test_remind_one_twice_for_the_same_deadline(subject):
    deadline = open_deadline(subject, date(2026, 7, 3))
    now = at(date(2026, 6, 3))

    with time_machine.travel(now, tick=False):
        assert remind_one(deadline.pk, now) is True
        assert remind_one(deadline.pk, now) is False  # moved on to its next step
        # A retried task that finds the step still due (say its first run wrote the rows and
        # the step was put back) writes nothing new: the key is unique per recipient.
        Deadline.objects.filter(pk=deadline.pk).update(next_step="before-30", next_reminder_at=now)
        assert remind_one(deadline.pk, now) is True

    assert Counter(k for k, *_ in sent(deadline)) == {"before-30": 2}


def test_remind_one_of_an_unknown_or_not_yet_due_deadline_does_nothing(subject):
    deadline = open_deadline(subject, date(2026, 7, 3))

    assert remind_one(deadline.pk, at(date(2026, 6, 2))) is False
    assert remind_one(deadline.pk + 1000, at(date(2026, 6, 3))) is False
    assert not Notification.objects.exists()


def test_notification_key_is_unique_per_recipient(subject):
    one, other = subject.reps
    Notification.objects.create(recipient=one, key="k", kind="report_due_before", language="fi")
    Notification.objects.create(recipient=other, key="k", kind="report_due_before", language="fi")

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=one, key="k", kind="report_due_overdue", language="fi"
        )

    # notify() with a key already written leaves the rows as they were.
    notify([one, other], kind="report_due_overdue", key="k", context={"x": 1})
    assert list(Notification.objects.values_list("kind", flat=True)) == ["report_due_before"] * 2


def test_deadline_met_before_its_reminder_sends_nothing(subject):
    deadline = open_deadline(subject, date(2026, 7, 3))
    with time_machine.travel(at(date(2026, 6, 2), 16), tick=False):
        assert deadline_close(subject, kind="report_due") == 1

    scan_days(date(2026, 6, 2), date(2026, 7, 21), hours=(8,))

    assert not Notification.objects.exists()
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.MET
    assert deadline.next_reminder_at is None


def test_deadline_met_after_some_reminders_stops_the_rest(subject):
    deadline = open_deadline(subject, date(2026, 7, 3))
    scan_days(date(2026, 6, 3), date(2026, 6, 18), hours=(8,))
    with time_machine.travel(at(date(2026, 6, 22), 12), tick=False):
        deadline_close(subject, kind="report_due")

    scan_days(date(2026, 6, 22), date(2026, 7, 21), hours=(8,))

    assert Counter(k for k, *_ in sent(deadline)) == {"before-30": 2, "before-14": 2}


def test_moving_a_deadline_restarts_its_schedule(subject):
    deadline = open_deadline(subject, date(2026, 7, 3))
    scan_days(date(2026, 6, 3), date(2026, 6, 18), hours=(8,))
    assert Counter(k for k, *_ in sent(deadline)) == {"before-30": 2, "before-14": 2}

    # On Mon 22 June the due date moves to Fri 31 July: its 30-days-before reminder (Wed 1
    # July) is to come, and goes out, under a key naming the new date.
    moved = open_deadline(subject, date(2026, 7, 31), set_on=date(2026, 6, 22))
    assert moved.pk == deadline.pk
    assert moved.next_step == "before-30"
    assert moved.next_reminder_at == at(date(2026, 7, 1))

    scan_days(date(2026, 6, 22), date(2026, 7, 31), hours=(8, 8))

    keys = Counter(n.key.split(":", 2)[2] for n in Notification.objects.filter(deadline=deadline))
    assert keys == {
        "2026-07-03:before-30": 2,
        "2026-07-03:before-14": 2,
        "2026-07-31:before-30": 2,  # Wed 1 July
        "2026-07-31:before-14": 2,  # Fri 17 July
        "2026-07-31:before-1": 2,  # Thu 30 July
    }
    # Nothing was sent for the old date's remaining steps (2 July, 6 July, ...).
    days_sent = sorted({d for *_, d in sent(deadline)})
    assert days_sent == [
        date(2026, 6, 3),
        date(2026, 6, 18),
        date(2026, 7, 1),
        date(2026, 7, 17),
        date(2026, 7, 30),
    ]


def test_moving_a_deadline_closer_skips_the_steps_already_passed(subject):
    deadline = open_deadline(subject, date(2026, 7, 3), set_on=date(2026, 5, 13))

    # Moved on Mon 1 June to Tue 9 June: 30 and 14 days before have passed, 1 day before is
    # Mon 8 June.
    moved = open_deadline(subject, date(2026, 6, 9), set_on=date(2026, 6, 1))
    assert (moved.next_step, moved.next_reminder_at) == ("before-1", at(date(2026, 6, 8)))

    scan_days(date(2026, 6, 1), date(2026, 6, 10), hours=(8,))

    assert sent(deadline) == [
        ("before-1", rep.pk, date(2026, 6, 8)) for rep in sorted(subject.reps, key=lambda u: u.pk)
    ] + [
        ("overdue-1", rep.pk, date(2026, 6, 10)) for rep in sorted(subject.reps, key=lambda u: u.pk)
    ]


def test_failing_deadline_is_pushed_back_a_day_and_does_not_block_others(subject, monkeypatch):
    other_subject = ApplicationFactory()
    other_rep = represent(UserFactory(), other_subject.association)
    broken = open_deadline(subject, date(2026, 7, 3))
    fine = open_deadline(other_subject, date(2026, 7, 3))
    real_people = scans._people

    def people(deadline, who, directory):
        if deadline.pk == broken.pk:
            raise RuntimeError("representatives could not be read")
        return real_people(deadline, who, directory)

    monkeypatch.setattr(scans, "_people", people)
    now = at(date(2026, 6, 3))

    assert scan(now) == 1

    assert [n.recipient for n in Notification.objects.all()] == [other_rep]
    broken.refresh_from_db()
    assert broken.next_step == "before-30"  # not skipped: tried again
    assert broken.next_reminder_at == now + timedelta(days=1)
    assert broken.status == Deadline.Status.OPEN
    fine.refresh_from_db()
    assert fine.next_step == "before-14"

    # Running again the same day does not retry it (nor write anything else).
    assert scan(at(date(2026, 6, 3), 15)) == 0

    # Fixed by the next morning, it goes out then, once.
    monkeypatch.setattr(scans, "_people", real_people)
    assert scan(now + timedelta(days=1)) == 1
    assert scan(now + timedelta(days=1, hours=1)) == 0
    assert Counter(k for k, *_ in sent(broken)) == {"before-30": 2}
    broken.refresh_from_db()
    assert broken.next_step == "before-14"


def test_steps_on_the_same_working_day_give_one_reminder(subject):
    # Due Mon 22 June 2026: 3 days before (Midsummer Eve) and 1 day before (Sunday) both fall
    # on Thu 18 June. One reminder that day; then the preparers once when it is overdue.
    deadline = open_deadline(
        subject,
        date(2026, 6, 22),
        schedule=COMPLETION,
        kind="completion_due",
        set_on=date(2026, 6, 1),
    )

    scan_days(date(2026, 6, 1), date(2026, 7, 10))

    reps = sorted(subject.reps, key=lambda u: u.pk)
    preparers = sorted(subject.preparers, key=lambda u: u.pk)
    assert sent(deadline) == [("before-3", r.pk, date(2026, 6, 18)) for r in reps] + [
        ("overdue-1", p.pk, date(2026, 6, 23)) for p in preparers
    ]
    assert set(Notification.objects.filter(deadline=deadline).values_list("kind", flat=True)) == {
        "completion_due_before",
        "completion_due_overdue",
    }
    deadline.refresh_from_db()
    assert (deadline.next_step, deadline.next_reminder_at) == ("", None)
    assert deadline.status == Deadline.Status.OPEN  # reminders end; the deadline stays open


def test_a_scan_that_stopped_for_days_sends_one_reminder_not_a_burst(subject):
    deadline = open_deadline(subject, date(2026, 7, 3))

    # No scan from 13 May until Fri 3 July: three steps were missed.
    assert scan(at(date(2026, 7, 3))) == 1
    assert scan(at(date(2026, 7, 3), 9)) == 0

    assert len(sent(deadline)) == 2  # one message per representative
    deadline.refresh_from_db()
    assert (deadline.next_step, deadline.next_reminder_at) == ("overdue-1", at(date(2026, 7, 6)))


def test_inactive_people_and_deadlines_without_recipients_get_nothing(subject):
    first, second = subject.reps
    second.is_active = False
    second.save()
    deadline = open_deadline(subject, date(2026, 7, 3))
    nobody = open_deadline(
        ApplicationFactory(), date(2026, 7, 3), schedule=Schedule(days_before=(30,))
    )

    assert scan(at(date(2026, 6, 3))) == 2

    assert [n.recipient for n in Notification.objects.all()] == [first]
    assert Notification.objects.get().deadline == deadline
    nobody.refresh_from_db()
    assert (nobody.next_step, nobody.next_reminder_at) == ("", None)


def test_remind_due_works_through_more_deadlines_than_one_batch(subject):
    deadlines = [open_deadline(subject, date(2026, 7, 3), kind=f"report_due_{i}") for i in range(5)]

    with time_machine.travel(at(date(2026, 6, 3)), tick=False):
        assert remind_due(at(date(2026, 6, 3)), batch=2) == 5

    assert Notification.objects.count() == 10
    assert {d.notifications.count() for d in deadlines} == {2}
