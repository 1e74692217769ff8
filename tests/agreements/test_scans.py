"""The agreements' periodic scans (`agreements.scans`, beat task `agreements.tasks.daily_scan`)
on the agreement in force from 15 December 2026 for 2027–2029: each acts on the first day it
should and not the day before, and running it twice changes nothing more."""

from datetime import date, timedelta

import pytest

from agreements.models import Agreement, Evaluation, Meeting
from agreements.scans import end_agreements, open_due_evaluations, open_renewals
from agreements.tasks import daily_scan
from tests.agreements.builders import act, at, fresh, log_of
from workflow.deadlines import deadlines_of
from workflow.models import Deadline, Notification

pytestmark = pytest.mark.django_db

A = Agreement.State
E = Evaluation.State
LAST_DAY = date(2029, 12, 31)


def evaluations(agreement: Agreement) -> list[str]:
    return [e.state for e in agreement.evaluations.order_by("period_starts_on")]


def test_an_evaluation_falls_due_the_day_after_its_period(active, time_machine):
    first = active.evaluations.order_by("period_starts_on").first()
    assert first.period_ends_on == date(2027, 12, 31)

    time_machine.move_to(at(date(2027, 12, 31), 23))
    assert open_due_evaluations() == 0
    assert evaluations(active) == [E.SCHEDULED] * 3

    time_machine.move_to(at(date(2028, 1, 1), 0))
    assert open_due_evaluations() == 1
    assert open_due_evaluations() == 0
    assert evaluations(active) == [E.DUE, E.SCHEDULED, E.SCHEDULED]
    assert log_of(first) == ["open"]
    # The association's report is due 60 days after the period: Tue 29 February 2028.
    deadline = deadlines_of(first).get(kind="evaluation_due")
    assert (deadline.due_on, deadline.status) == (date(2028, 2, 29), Deadline.Status.OPEN)
    assert fresh(first).due_on == date(2028, 2, 29)


def test_a_scan_that_was_down_opens_every_ended_period_in_batches(active, time_machine):
    time_machine.move_to(at(date(2030, 1, 2)))
    assert open_due_evaluations(batch=2) == 3
    assert evaluations(active) == [E.DUE] * 3
    assert open_due_evaluations(batch=2) == 0


def test_the_renewal_opens_180_days_before_the_term_ends(active, time_machine):
    opens_on = date(2029, 7, 4)
    assert LAST_DAY - opens_on == timedelta(days=180)

    time_machine.move_to(at(opens_on - timedelta(days=1), 23))
    assert open_renewals() == 0
    assert fresh(active).state == A.ACTIVE

    time_machine.move_to(at(opens_on, 0))
    assert open_renewals() == 1
    assert open_renewals() == 0
    assert fresh(active).state == A.RENEWAL_DUE
    assert log_of(active).count("open_renewal") == 1
    # Both sides are told once, with the term's last day.
    told = Notification.objects.filter(kind="agreement_renewal_due")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["liaison", "rep"]
    assert {n.context["ends_on"] for n in told} == {"2029-12-31"}


def test_the_agreement_ends_the_day_after_its_term(active, time_machine):
    time_machine.move_to(at(LAST_DAY, 23))
    assert end_agreements() == 0
    assert fresh(active).state == A.ACTIVE

    time_machine.move_to(at(LAST_DAY + timedelta(days=1), 0))
    assert end_agreements() == 1
    assert end_agreements() == 0
    ended = fresh(active)
    assert (ended.state, ended.end_reason, ended.ended_on) == (
        A.ENDED,
        Agreement.EndReason.EXPIRED,
        LAST_DAY,
    )
    assert log_of(active).count("end") == 1
    assert deadlines_of(active).get(kind="agreement_ends").status == Deadline.Status.MET


def test_after_notice_the_agreement_ends_when_the_notice_period_is_over(
    active, people, time_machine
):
    time_machine.move_to(at(date(2028, 3, 10)))
    act(active, "terminate", people["liaison"], reason="Toiminta on päättynyt.")
    # Three months' notice: in force until 10 June 2028, not until the end of 2029.
    assert fresh(active).ends_on == date(2028, 6, 10)

    time_machine.move_to(at(date(2028, 6, 10), 23))
    assert end_agreements() == 0
    assert fresh(active).state == A.TERMINATING

    time_machine.move_to(at(date(2028, 6, 11), 0))
    assert end_agreements() == 1
    assert end_agreements() == 0
    ended = fresh(active)
    assert (ended.state, ended.end_reason, ended.ended_on) == (
        A.ENDED,
        Agreement.EndReason.TERMINATED,
        date(2028, 6, 10),
    )
    assert log_of(active).count("end") == 1
    # Nothing planned after the last day remains: the meetings are cancelled, and so is the
    # evaluation of 2029 (2028's, which began before the end, is kept).
    later = Meeting.objects.filter(agreement=active, due_on__gt=date(2028, 6, 10))
    assert set(later.values_list("cancelled", flat=True)) == {True}
    assert evaluations(active) == [E.SCHEDULED, E.SCHEDULED, E.CANCELLED]

    # A terminated agreement is not offered a renewal, and nothing ends twice.
    time_machine.move_to(at(date(2029, 7, 4)))
    assert open_renewals() == 0
    time_machine.move_to(at(LAST_DAY + timedelta(days=1)))
    assert end_agreements() == 0


def test_the_daily_task_ends_the_agreement_and_still_opens_its_last_evaluation(
    active, time_machine
):
    time_machine.move_to(at(date(2029, 7, 4), 0))
    # 2027's and 2028's periods are over too: nobody ran the scan before.
    assert daily_scan() == {
        "activated": 0,
        "instalments_payable": 3,
        "ended": 0,
        "evaluations_due": 2,
        "renewals_opened": 1,
    }

    time_machine.move_to(at(LAST_DAY + timedelta(days=1), 0))
    assert daily_scan() == {
        "activated": 0,
        "instalments_payable": 0,
        "ended": 1,
        "evaluations_due": 1,
        "renewals_opened": 0,
    }
    assert daily_scan() == {
        "activated": 0,
        "instalments_payable": 0,
        "ended": 0,
        "evaluations_due": 0,
        "renewals_opened": 0,
    }
    ended = fresh(active)
    assert (ended.state, ended.end_reason) == (A.ENDED, Agreement.EndReason.EXPIRED)
    assert evaluations(active) == [E.DUE] * 3
    assert log_of(active) == [
        "create",
        "await_term",
        "activate",
        *["instalment_payable"] * 3,
        "open_renewal",
        "end",
    ]
