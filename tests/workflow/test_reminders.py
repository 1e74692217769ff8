"""When reminders go out: the pure schedule (`workflow.reminders`), the policy over the
defaults, and due dates on Finnish non-working days moved to the next working day.

Every date below was checked against the real calendar (weekday and the holidays of Finland
for 2025–2026); each case says why it lands where it does.
"""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from grants.models import Application
from grants.services import application_create
from tests.factories import ApplicationFactory, CallFactory
from workflow.deadlines import deadlines_of
from workflow.models import Deadline, ReminderPolicy, ReminderRule
from workflow.reminders import (
    Schedule,
    next_reminder,
    recipients_of,
    reminder_moment,
    schedule_for,
)
from workflow.time_limits import time_limit_end

HELSINKI = ZoneInfo("Europe/Helsinki")

# The report schedule of settings.REMINDER_DEFAULTS, spelled out.
REPORT = Schedule(
    days_before=(30, 14, 1),
    remind_to="association",
    overdue_every_days=7,
    overdue_to="association",
)


def at(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=HELSINKI)


def walk_schedule(due_on: date, schedule: Schedule, today: date, limit: int = 8):
    """Every (step, day) from `today` on, as the scan meets them one after another."""
    steps, after = [], None
    while len(steps) < limit:
        found = next_reminder(due_on, schedule, after=after, today=today)
        if found is None:
            break
        after, moment = found
        assert moment == at(moment.astimezone(HELSINKI).date())
        steps.append((after, moment.astimezone(HELSINKI).date()))
    return steps


# --- the pure schedule ---------------------------------------------------------------------


def test_report_due_on_friday_3_july_2026_every_step_and_its_day():
    assert walk_schedule(date(2026, 7, 3), REPORT, today=date(2026, 5, 13), limit=6) == [
        ("before-30", date(2026, 6, 3)),  # Wed 3 June, a working day
        ("before-14", date(2026, 6, 18)),  # Fri 19 June is Midsummer Eve: Thu 18 June
        ("before-1", date(2026, 7, 2)),  # Thu 2 July
        ("overdue-1", date(2026, 7, 6)),  # Sat 4 July: Mon 6 July
        ("overdue-2", date(2026, 7, 13)),  # Sat 11 July: Mon 13 July
        ("overdue-3", date(2026, 7, 20)),  # Sat 18 July: Mon 20 July
    ]


def test_one_day_before_christmas_goes_to_tuesday_23_december_2025():
    # Due Mon 29 Dec 2025; the day before is Sunday 28, then Saturday 27, Boxing Day 26,
    # Christmas Day 25 and Christmas Eve 24: the reminder goes on Tue 23 December.
    schedule = Schedule(days_before=(1,), remind_to="association")

    step, moment = next_reminder(date(2025, 12, 29), schedule, after=None, today=date(2025, 12, 1))

    assert step == "before-1"
    assert moment == datetime(2025, 12, 23, 8, tzinfo=HELSINKI)


def test_thirty_fourteen_and_one_day_before_29_december_2025():
    assert walk_schedule(
        date(2025, 12, 29), Schedule(days_before=(30, 14, 1)), today=date(2025, 11, 1)
    ) == [
        ("before-30", date(2025, 11, 28)),  # Sat 29 Nov: Fri 28 Nov
        ("before-14", date(2025, 12, 15)),  # Mon 15 Dec
        ("before-1", date(2025, 12, 23)),  # Sun 28 … Wed 24 Dec are not working days
    ]


@pytest.mark.parametrize(
    ("due_on", "days", "expected", "why"),
    [
        (date(2026, 3, 16), 1, date(2026, 3, 13), "sun-15-mar-to-fri-13"),
        (date(2026, 3, 16), 2, date(2026, 3, 13), "sat-14-mar-to-fri-13"),
        (date(2026, 4, 7), 1, date(2026, 4, 2), "easter-monday-6-apr-to-thu-2"),
        (date(2026, 4, 7), 4, date(2026, 4, 2), "good-friday-3-apr-to-thu-2"),
        (date(2026, 6, 22), 3, date(2026, 6, 18), "midsummer-eve-19-jun-to-thu-18"),
        (date(2026, 5, 4), 3, date(2026, 4, 30), "may-day-fri-1-may-to-thu-30-apr"),
        (date(2026, 12, 7), 1, date(2026, 12, 4), "independence-day-sun-6-dec-to-fri-4"),
        (date(2026, 3, 18), 1, date(2026, 3, 17), "a-working-day-stays"),
    ],
)
def test_before_reminder_on_non_working_day_goes_to_previous_working_day(
    due_on, days, expected, why
):
    step, moment = next_reminder(
        due_on, Schedule(days_before=(days,)), after=None, today=date(2026, 1, 1)
    )

    assert step == f"before-{days}"
    assert moment.astimezone(HELSINKI).date() == expected


@pytest.mark.parametrize(
    ("due_on", "expected", "why"),
    [
        (date(2025, 12, 23), date(2025, 12, 29), "wed-24-dec-christmas-to-mon-29"),
        (date(2026, 4, 2), date(2026, 4, 7), "good-friday-3-apr-to-tue-7-apr"),
        (date(2026, 6, 18), date(2026, 6, 22), "midsummer-eve-19-jun-to-mon-22"),
        (date(2026, 7, 3), date(2026, 7, 6), "sat-4-jul-to-mon-6"),
        (date(2026, 7, 6), date(2026, 7, 7), "tue-7-jul-stays"),
    ],
)
def test_overdue_reminder_goes_to_next_working_day(due_on, expected, why):
    schedule = Schedule(overdue_to="preparers")

    step, moment = next_reminder(due_on, schedule, after=None, today=date(2025, 1, 1))

    assert step == "overdue-1"
    assert moment.astimezone(HELSINKI).date() == expected
    assert expected > due_on  # really overdue, never on the due date itself


def test_overdue_every_seven_days_counts_from_the_due_date_not_the_moved_day():
    # Due Tue 23 Dec 2025: the first overdue day (24th) moves to Mon 29 Dec, but the next ones
    # still fall on the 31st (Wed) and 7 January (Wed), a week apart from the 24th.
    assert walk_schedule(
        date(2025, 12, 23),
        Schedule(overdue_every_days=7, overdue_to="association"),
        today=date(2025, 12, 1),
        limit=3,
    ) == [
        ("overdue-1", date(2025, 12, 29)),
        ("overdue-2", date(2025, 12, 31)),
        ("overdue-3", date(2026, 1, 7)),
    ]


@pytest.mark.parametrize(
    ("today", "after", "expected"),
    [
        (date(2026, 5, 13), None, ("before-30", date(2026, 6, 3))),
        (date(2026, 6, 3), None, ("before-30", date(2026, 6, 3))),  # today still counts
        (date(2026, 6, 4), None, ("before-14", date(2026, 6, 18))),
        (date(2026, 6, 19), None, ("before-1", date(2026, 7, 2))),
        (date(2026, 7, 3), None, ("overdue-1", date(2026, 7, 6))),
        (date(2026, 7, 7), None, ("overdue-2", date(2026, 7, 13))),
        # After a step, the following ones whose day has passed are skipped too.
        (date(2026, 6, 4), "before-30", ("before-14", date(2026, 6, 18))),
        (date(2026, 6, 19), "before-30", ("before-1", date(2026, 7, 2))),
        (date(2026, 7, 14), "before-14", ("overdue-3", date(2026, 7, 20))),
        # The day after a step: the next one, even if that one is on the same day.
        (date(2026, 6, 19), "before-14", ("before-1", date(2026, 7, 2))),
    ],
)
def test_steps_already_passed_are_skipped(today, after, expected):
    step, moment = next_reminder(date(2026, 7, 3), REPORT, after=after, today=today)

    assert (step, moment.astimezone(HELSINKI).date()) == expected


def test_without_overdue_recipients_the_schedule_ends_with_the_last_before_step():
    schedule = Schedule(days_before=(30, 14, 1), remind_to="association", overdue_every_days=7)

    assert (
        next_reminder(date(2026, 7, 3), schedule, after="before-1", today=date(2026, 7, 1)) is None
    )
    assert next_reminder(date(2026, 7, 3), schedule, after=None, today=date(2026, 7, 3)) is None


def test_overdue_recipients_without_a_period_get_one_overdue_reminder():
    schedule = Schedule(days_before=(3, 1), remind_to="association", overdue_to="preparers")

    assert walk_schedule(date(2026, 4, 8), schedule, today=date(2026, 3, 25)) == [
        ("before-3", date(2026, 4, 2)),  # Sun 5 Apr, Easter Sat 4, Good Friday 3: Thu 2
        ("before-1", date(2026, 4, 7)),
        ("overdue-1", date(2026, 4, 9)),
    ]


def test_empty_schedule_has_no_reminders():
    assert next_reminder(date(2026, 7, 3), Schedule(), after=None, today=date(2026, 1, 1)) is None


def test_steps_on_the_same_day_are_both_listed_by_the_pure_function():
    # Due Mon 22 June 2026: 3 days before is Midsummer Eve, 1 day before a Sunday; both go to
    # Thu 18 June. The pure function lists both; the scan sends one (test_reminder_scan).
    schedule = Schedule(days_before=(3, 1), remind_to="association")

    assert walk_schedule(date(2026, 6, 22), schedule, today=date(2026, 6, 1)) == [
        ("before-3", date(2026, 6, 18)),
        ("before-1", date(2026, 6, 18)),
    ]
    # Asked from the day after, the second one is gone.
    assert (
        next_reminder(date(2026, 6, 22), schedule, after="before-3", today=date(2026, 6, 19))
        is None
    )


def test_recipients_of_before_and_overdue_steps():
    assert recipients_of("before-30", REPORT) == "association"
    schedule = Schedule(days_before=(1,), remind_to="association", overdue_to="preparers")
    assert recipients_of("before-1", schedule) == "association"
    assert recipients_of("overdue-1", schedule) == "preparers"


def test_reminder_moment_is_reminder_hour_local_time_summer_and_winter(settings):
    assert settings.REMINDER_HOUR == 8
    # EEST (UTC+3) in summer, EET (UTC+2) in winter.
    assert reminder_moment(date(2026, 6, 3)) == datetime(2026, 6, 3, 5, tzinfo=UTC)
    assert reminder_moment(date(2026, 1, 7)) == datetime(2026, 1, 7, 6, tzinfo=UTC)

    settings.REMINDER_HOUR = 6
    assert reminder_moment(date(2026, 6, 3)) == datetime(2026, 6, 3, 6, tzinfo=HELSINKI)


# --- schedule_for: the call's policy over the defaults ----------------------------------------


def test_schedule_for_without_policy_uses_the_defaults():
    assert schedule_for("report_due") == REPORT
    assert schedule_for("call_closes") == Schedule(days_before=(7, 1), remind_to="association")
    assert schedule_for("completion_due") == Schedule(
        days_before=(3, 1), remind_to="association", overdue_to="preparers"
    )
    assert schedule_for("appeal_period_ends") == Schedule()


def test_schedule_for_follows_changed_settings(settings):
    settings.REMINDER_DEFAULTS = {
        "report_due": {"days_before": [1, 10, 10], "remind_to": "association"}
    }

    assert schedule_for("report_due") == Schedule(days_before=(10, 1), remind_to="association")


@pytest.mark.django_db
def test_schedule_for_uses_the_policys_rule_over_the_default():
    policy = ReminderPolicy.objects.create(name="Tiivis")
    ReminderRule.objects.create(policy=policy, kind="report_due", days_before=[7, 60, 7])

    schedule = schedule_for("report_due", policy)

    # The rule's days (sorted, once each) and period; who is reminded stays the default's.
    assert schedule == Schedule(
        days_before=(60, 7),
        remind_to="association",
        overdue_every_days=None,
        overdue_to="association",
    )
    # Kinds the policy leaves out keep the defaults.
    assert schedule_for("call_closes", policy) == schedule_for("call_closes")


@pytest.mark.django_db
def test_rule_with_its_own_overdue_period():
    policy = ReminderPolicy.objects.create(name="Viikoittain")
    ReminderRule.objects.create(
        policy=policy, kind="report_due", days_before=[14], overdue_every_days=14
    )

    assert schedule_for("report_due", policy) == Schedule(
        days_before=(14,), remind_to="association", overdue_every_days=14, overdue_to="association"
    )


@pytest.mark.django_db
def test_application_deadline_copies_the_calls_policy(body, association, representative):
    policy = ReminderPolicy.objects.create(name="Haku")
    ReminderRule.objects.create(policy=policy, kind="call_closes", days_before=[14, 3])
    # Opened Mon 2 Mar 2026, closing Mon 30 Mar: 14 days before is Mon 16 Mar.
    with time_machine.travel(at(date(2026, 3, 2), 10), tick=False):
        call = CallFactory(
            public_body=body,
            reminder_policy=policy,
            opens_at=at(date(2026, 3, 2), 9),
            closes_at=at(date(2026, 3, 30), 16),
        )
        app = application_create(
            user=representative,
            call=call,
            association=association,
            requested_amount=Decimal("1000.00"),
            purpose="Kerho.",
        )

    deadline = deadlines_of(app).get(kind="call_closes")
    assert deadline.due_on == date(2026, 3, 30)
    assert deadline.remind_days_before == [14, 3]
    assert deadline.remind_to == "association"
    assert deadline.next_step == "before-14"
    assert deadline.next_reminder_at == at(date(2026, 3, 16))


# --- due dates on non-working days move to the next working day -----------------------------

NON_WORKING_DUE_DATES = [
    # (travel to, the due date given, expected, why)
    (date(2026, 6, 1), date(2026, 6, 19), date(2026, 6, 22), "midsummer-eve-fri-19-jun-2026"),
    (date(2026, 12, 1), date(2026, 12, 24), date(2026, 12, 28), "christmas-eve-thu-24-dec-2026"),
    (date(2026, 3, 2), date(2026, 3, 15), date(2026, 3, 16), "sunday-15-mar-2026"),
    (date(2026, 3, 23), date(2026, 4, 6), date(2026, 4, 7), "easter-monday-6-apr-2026"),
]


@pytest.mark.parametrize(
    ("start", "days", "expected", "why"),
    [
        (date(2026, 6, 5), 14, date(2026, 6, 22), "midsummer-eve-fri-19-jun-2026"),
        (date(2026, 12, 10), 14, date(2026, 12, 28), "christmas-eve-thu-24-dec-2026"),
        (date(2026, 3, 1), 14, date(2026, 3, 16), "sunday-15-mar-2026"),
        (date(2026, 3, 23), 14, date(2026, 4, 7), "easter-monday-6-apr-2026"),
    ],
)
def test_time_limit_ending_on_a_non_working_day_moves_to_the_next(start, days, expected, why):
    assert time_limit_end(start, days) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("today", "given", "expected", "why"), NON_WORKING_DUE_DATES)
def test_request_completion_due_on_a_non_working_day_moves_to_the_next(
    body, association, representative, walk, today, given, expected, why
):
    with time_machine.travel(at(today, 10), tick=False):
        app = ApplicationFactory(
            call=CallFactory(public_body=body), association=association, created_by=representative
        )
        app = walk(
            app, "submit", "request_completion", request_completion={"params": {"due_on": given}}
        )

    assert app.state == Application.State.RETURNED
    assert app.completion_due_on == expected
    deadline = deadlines_of(app).get(kind="completion_due", status=Deadline.Status.OPEN)
    assert deadline.due_on == expected


@pytest.mark.django_db
def test_completion_reminders_before_midsummer_fall_on_thursday_18_june(
    body, association, representative, walk
):
    # Due Mon 22 June 2026 (moved from Midsummer Eve): 3 days before is Midsummer Eve itself,
    # 1 day before a Sunday; the first reminder is due on Thu 18 June.
    with time_machine.travel(at(date(2026, 6, 1), 10), tick=False):
        app = ApplicationFactory(
            call=CallFactory(public_body=body), association=association, created_by=representative
        )
        app = walk(
            app,
            "submit",
            "request_completion",
            request_completion={"params": {"due_on": date(2026, 6, 19)}},
        )

    deadline = deadlines_of(app).get(kind="completion_due")
    assert deadline.next_step == "before-3"
    assert deadline.next_reminder_at == at(date(2026, 6, 18))


@pytest.mark.django_db
def test_return_report_due_on_christmas_eve_moves_to_monday(
    body, association, representative, walk
):
    with time_machine.travel(at(date(2026, 11, 2), 10), tick=False) as clock:
        app = ApplicationFactory(
            call=CallFactory(public_body=body), association=association, created_by=representative
        )
        app = walk(app, "submit", "start_review", "record_step", "decide", "notify")
        clock.move_to(at(date(2026, 11, 30), 10))
        app = walk(
            app,
            "become_legally_valid",
            "record_payment",
            "submit_report",
            "return_report",
            record_payment={
                "params": {"amount": Decimal("5000.00"), "paid_on": date(2026, 11, 30)}
            },
            return_report={"comment": "Liitä tositteet.", "params": {"due_on": date(2026, 12, 24)}},
        )

    assert app.state == Application.State.REPORT_RETURNED
    assert app.report_due_on == date(2026, 12, 28)
    deadline = deadlines_of(app).get(kind="report_due", status=Deadline.Status.OPEN)
    assert deadline.due_on == date(2026, 12, 28)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fixed", "expected"),
    [
        (date(2026, 12, 24), date(2026, 12, 28)),  # Christmas Eve
        (date(2026, 4, 6), date(2026, 4, 7)),  # Easter Monday
        (date(2026, 6, 19), date(2026, 6, 22)),  # Midsummer Eve
        (date(2026, 3, 15), date(2026, 3, 16)),  # a Sunday
    ],
)
def test_fixed_report_due_date_on_a_non_working_day_moves_to_the_next(
    body, association, representative, walk, fixed, expected
):
    with time_machine.travel(at(date(2026, 1, 12), 10), tick=False) as clock:
        call = CallFactory(public_body=body, report_due_on=fixed, report_due_days=None)
        app = ApplicationFactory(call=call, association=association, created_by=representative)
        app = walk(app, "submit", "start_review", "record_step", "decide", "notify")
        clock.move_to(at(date(2026, 2, 2), 10))
        app = walk(
            app,
            "become_legally_valid",
            "record_payment",
            record_payment={"params": {"amount": Decimal("5000.00"), "paid_on": date(2026, 2, 2)}},
        )

    assert app.state == Application.State.PAID
    assert app.report_due_on == expected
    assert deadlines_of(app).get(kind="report_due").due_on == expected


@pytest.mark.django_db
def test_appeal_period_ending_on_midsummer_eve_ends_on_monday(
    body, association, representative, walk
):
    # Sent electronically on Tue 2 June 2026: deemed received Fri 5 June (3rd day), the 14-day
    # period ends on Midsummer Eve, Fri 19 June, so on Monday 22 June.
    with time_machine.travel(at(date(2026, 6, 2), 10), tick=False):
        app = ApplicationFactory(
            call=CallFactory(public_body=body), association=association, created_by=representative
        )
        app = walk(app, "submit", "start_review", "record_step", "decide", "notify")

    assert app.deemed_received_on == date(2026, 6, 5)
    assert app.appeal_ends_on == date(2026, 6, 22)
    assert deadlines_of(app).get(kind="appeal_period_ends").due_on == date(2026, 6, 22)
