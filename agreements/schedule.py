"""The cooperation meetings and evaluations an agreement's terms promise, as dated records
with deadlines, so the reminder scan reminds of them like of any other obligation.

The transitions' effects (imported by the models) plan through this module, so it imports the
models only for typing and makes records through the agreement's related managers."""

import calendar
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from workflow import deadlines
from workflow.actors import SYSTEM
from workflow.reminders import schedule_for
from workflow.time_limits import next_working_day, previous_working_day, time_limit_end
from workflow.transitions import transition_perform

if TYPE_CHECKING:
    from agreements.models import Agreement, AgreementVersion, Meeting


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def meeting_periods(version: "AgreementVersion") -> list[tuple[date, date]]:
    """(first day, due date) of each meeting period of the term: `meetings_per_year` evenly
    spaced periods a year, each meeting due by its period's last day, moved to the next
    working day, or to the previous one when the next is after the term: a meeting is always
    planned inside the term."""
    step = 12 // version.meetings_per_year
    periods = []
    year_start = version.starts_on
    while year_start <= version.ends_on:
        start = year_start
        for k in range(1, version.meetings_per_year + 1):
            end = add_months(year_start, step * k) - timedelta(days=1)
            if end > version.ends_on:
                break
            due = next_working_day(end)
            if due > version.ends_on:
                due = previous_working_day(end)
            periods.append((start, due))
            start = end + timedelta(days=1)
        year_start = add_months(year_start, 12)
    return periods


def evaluation_periods(version: "AgreementVersion") -> list[tuple[date, date, date]]:
    """(start, end, due) for each evaluation period of the term: due
    AGREEMENT_EVALUATION_DUE_DAYS after the period ends."""
    periods = []
    start = version.starts_on
    while start <= version.ends_on:
        end = min(
            add_months(start, version.evaluation_every_months) - timedelta(days=1), version.ends_on
        )
        due = time_limit_end(end, settings.AGREEMENT_EVALUATION_DUE_DAYS)
        periods.append((start, end, due))
        start = end + timedelta(days=1)
    return periods


def meeting_deadline(meeting: "Meeting") -> None:
    agreement = meeting.agreement
    deadlines.deadline_set(
        meeting,
        kind="meeting_due",
        due_on=meeting.due_on,
        title=str(agreement),
        association_id=agreement.association_ids[0],
        public_body_id=agreement.public_body_id,
        schedule=schedule_for("meeting_due"),
    )


def plan_refresh(agreement: "Agreement") -> None:
    """Plan the meetings and evaluations of the terms in force (signed, or an amendment or a
    notice that changes the term or the cadence). A meeting held, missed or scheduled by hand
    stays; the plan's own meetings still to come stay where the new plan has them and are
    cancelled otherwise; a period the new plan adds gets a meeting unless one held, missed or
    scheduled by hand falls in it, so no period gets a second one.
    Started evaluations stay; the rest is planned again. Nothing is planned after the last
    day."""
    Evaluation, Meeting = agreement.evaluations.model, agreement.meetings.model
    version = agreement.in_force_version
    today = timezone.localdate()
    kept, planned = [], []
    for meeting in agreement.meetings.filter(cancelled=False):
        by_plan = meeting.held_on is None and meeting.scheduled_by_id is None
        (planned if by_plan and meeting.due_on >= today else kept).append(meeting)
    for start, due_on in meeting_periods(version):
        same = next((m for m in planned if m.due_on == due_on), None)
        if same is not None:
            planned.remove(same)
            continue
        if due_on < today or any(_in_period(m, start, due_on) for m in kept):
            continue
        meeting = Meeting.objects.create(agreement=agreement, due_on=due_on)
        meeting_deadline(meeting)
    for meeting in planned:
        meeting_cancel(meeting)
    for evaluation in agreement.evaluations.filter(state=Evaluation.State.SCHEDULED):
        transition_perform(evaluation, "cancel", actor=SYSTEM, comment="replanned")
    started = agreement.evaluations.exclude(
        state__in=[Evaluation.State.SCHEDULED, Evaluation.State.CANCELLED]
    )
    covered_until = max((e.period_ends_on for e in started), default=None)
    Evaluation.objects.bulk_create(
        Evaluation(agreement=agreement, period_starts_on=start, period_ends_on=end, due_on=due)
        for start, end, due in evaluation_periods(version)
        if covered_until is None or start > covered_until
    )
    # A notice given before an amendment still ends the agreement early (Agreement.ends_on).
    plan_cut(agreement, agreement.ends_on)
    end_deadline(agreement)


def _in_period(meeting: "Meeting", start: date, due_on: date) -> bool:
    return start <= meeting.due_on <= due_on or (
        meeting.held_on is not None and start <= meeting.held_on <= due_on
    )


def end_deadline(agreement: "Agreement") -> None:
    """The reminder of the agreement's last day: the term's end, or the notice period's."""
    deadlines.deadline_set(
        agreement,
        kind="agreement_ends",
        due_on=agreement.ends_on,
        title=str(agreement),
        association_id=agreement.association_ids[0],
        public_body_id=agreement.public_body_id,
        schedule=schedule_for("agreement_ends"),
    )


def plan_cut(agreement: "Agreement", last_day: date) -> None:
    """The agreement ends on `last_day`: what was planned after it is cancelled."""
    Evaluation = agreement.evaluations.model
    for meeting in agreement.meetings.filter(
        held_on__isnull=True, cancelled=False, due_on__gt=last_day
    ):
        meeting_cancel(meeting)
    later = agreement.evaluations.filter(
        state__in=[Evaluation.State.SCHEDULED, Evaluation.State.DUE], period_starts_on__gt=last_day
    )
    for evaluation in later:
        transition_perform(evaluation, "cancel", actor=SYSTEM, comment="agreement ended")
    # The period running on the last day is evaluated up to that day, and due accordingly.
    agreement.evaluations.filter(
        state=Evaluation.State.SCHEDULED,
        period_starts_on__lte=last_day,
        period_ends_on__gt=last_day,
    ).update(
        period_ends_on=last_day,
        due_on=time_limit_end(last_day, settings.AGREEMENT_EVALUATION_DUE_DAYS),
    )


def meeting_cancel(meeting: "Meeting") -> None:
    meeting.cancelled = True
    meeting.save(update_fields=["cancelled"])
    deadlines.deadline_close(meeting, kind="meeting_due", status="cancelled")
