"""When a deadline's reminders go out: pure functions of dates and the schedule.

Reminders before a due date go on the working day before when their day is not a working
day; overdue reminders go on the next working day (so they are really overdue). Steps whose
day has already passed when a deadline is set are skipped, not sent late in a burst.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice

from django.conf import settings
from django.utils import timezone

from workflow.time_limits import next_working_day, previous_working_day

# Ten years of weekly overdue reminders: far past any real obligation.
_MAX_OVERDUE_STEPS = 520


@dataclass(frozen=True)
class Schedule:
    days_before: tuple[int, ...] = ()
    remind_to: str = ""
    overdue_every_days: int | None = None
    # With `overdue_to` set and no `overdue_every_days`, one overdue reminder only.
    overdue_to: str = ""


def schedule_for(kind: str, policy=None) -> Schedule:
    """The schedule of a deadline kind: the policy's rule where it has one, else the default."""
    default = settings.REMINDER_DEFAULTS.get(kind, {})
    days_before = default.get("days_before", ())
    overdue_every = default.get("overdue_every_days")
    if policy is not None:
        rule = next((r for r in policy.rules.all() if r.kind == kind), None)
        if rule is not None:
            days_before, overdue_every = rule.days_before, rule.overdue_every_days
    return Schedule(
        days_before=tuple(sorted(set(days_before), reverse=True)),
        remind_to=default.get("remind_to", ""),
        overdue_every_days=overdue_every,
        overdue_to=default.get("overdue_to", ""),
    )


def _step_day(due_on: date, step: str, schedule: Schedule) -> date:
    phase, number = step.rsplit("-", 1)
    n = int(number)
    if phase == "before":
        return previous_working_day(due_on - timedelta(days=n))
    every = schedule.overdue_every_days or 0
    return next_working_day(due_on + timedelta(days=1 + (n - 1) * every))


def _steps(schedule: Schedule):
    for days in schedule.days_before:
        yield f"before-{days}"
    if schedule.overdue_to:
        yield "overdue-1"
        if schedule.overdue_every_days:
            n = 2
            while True:
                yield f"overdue-{n}"
                n += 1


def recipients_of(step: str, schedule: Schedule) -> str:
    return schedule.remind_to if step.startswith("before-") else schedule.overdue_to


def reminder_moment(day: date) -> datetime:
    """Reminders go out in the morning of their day, local time."""
    return timezone.make_aware(
        datetime.combine(day, time(settings.REMINDER_HOUR)), timezone.get_default_timezone()
    )


def next_reminder(
    due_on: date, schedule: Schedule, *, after: str | None, today: date
) -> tuple[str, datetime] | None:
    """The step after `after` (or the first) whose day is today or later, and when to send it."""
    passed = after is None
    # Bounded: an unknown `after` with repeating overdue steps would otherwise never end.
    for step in islice(_steps(schedule), len(schedule.days_before) + _MAX_OVERDUE_STEPS):
        if not passed:
            passed = step == after
            continue
        day = _step_day(due_on, step, schedule)
        if day >= today:
            return step, reminder_moment(day)
    return None
