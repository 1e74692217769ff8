"""An application's lifecycle beyond the happy path: completion, rejection, rectification,
withdrawal, expiry, notification dates, the call's budget, instalments, reports and chains."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from finance.payables import payments_of
from grants.models import Application, FollowUpReport, Rectification
from grants.scans import expire_drafts_of_closed_calls
from organisations.models import Association
from tests.factories import ApplicationFactory, CallFactory, UserFactory, chain_with_steps
from workflow.actors import SYSTEM
from workflow.errors import TransitionConflict
from workflow.models import ApprovalRun, Deadline, TransitionLog
from workflow.time_limits import is_working_day
from workflow.transitions import available_transitions, transition_perform

S = Application.State
HELSINKI = ZoneInfo("Europe/Helsinki")
pytestmark = pytest.mark.django_db

REVIEWED = ("submit", "start_review", "record_step")
DECIDED = (*REVIEWED, "decide")
UPHELD = {"params": {"outcome": "upheld", "reasons": "Päätös on lainmukainen."}}


def at(day: date, hour: int = 12) -> datetime:
    """A moment on `day` in Finland, for time_machine."""
    return datetime.combine(day, time(hour), tzinfo=HELSINKI)


def fresh(app: Application) -> Application:
    return Application.objects.get(pk=app.pk)


def log_of(app: Application) -> list[str]:
    return list(
        TransitionLog.objects.filter(object_id=app.pk)
        .order_by("id")
        .values_list("transition", flat=True)
    )


def open_deadlines(app: Application, kind: str):
    return Deadline.objects.filter(object_id=app.pk, kind=kind, status=Deadline.Status.OPEN)


def new_application(body, association, representative, amount="5000.00", **call_kwargs):
    """A call opened now (whatever time_machine says) and a draft in it."""
    call = CallFactory(public_body=body, **call_kwargs)
    return ApplicationFactory(
        call=call,
        association=association,
        created_by=representative,
        requested_amount=Decimal(amount),
    )


def pay(amount: str) -> dict:
    return {"params": {"amount": Decimal(amount), "paid_on": timezone.localdate()}}


def decision(outcome: str, amount: str) -> dict:
    return {
        "params": {"outcome": outcome, "granted_amount": Decimal(amount), "reasons": "Perustelut."}
    }


# --- request for completion ------------------------------------------------------------------


def test_request_for_completion_sets_a_deadline_on_a_working_day(
    body, association, representative, walk
):
    # Friday 6 June 2025 + 14 days is Midsummer Eve (Fri 20 June), then Midsummer Day and
    # Sunday: the time limit ends on Monday 23 June.
    with time_machine.travel(at(date(2025, 6, 6)), tick=False):
        app = new_application(body, association, representative)
        app = walk(app, "submit", "request_completion")

    assert app.state == S.RETURNED
    assert app.completion_request == "Liitä talousarvio."
    assert app.completion_due_on == date(2025, 6, 23)
    deadline = open_deadlines(app, "completion_due").get()
    assert deadline.due_on == date(2025, 6, 23)
    assert is_working_day(deadline.due_on)


def test_resubmission_closes_the_completion_deadline(application, walk):
    app = walk(application, "submit", "request_completion", "resubmit")

    assert app.state == S.SUBMITTED
    assert not open_deadlines(app, "completion_due").exists()
    deadline = Deadline.objects.get(object_id=app.pk, kind="completion_due")
    assert deadline.status == Deadline.Status.MET
    assert deadline.closed_at is not None
    # The preparer can start the review of the completed application.
    assert walk(app, "start_review").state == S.IN_REVIEW


def test_request_for_completion_without_saying_what_is_missing_is_refused(application, walk):
    app = walk(application, "submit")
    with pytest.raises(ValidationError):
        walk(app, "request_completion", request_completion={"comment": "  "})
    assert fresh(app).state == S.SUBMITTED
    assert not open_deadlines(app, "completion_due").exists()


# --- rejection -------------------------------------------------------------------------------


def test_rejected_application_is_closed_without_payment(application, walk, people):
    app = walk(application, *DECIDED, "notify", decide=decision("rejected", "5000.00"))
    assert app.outcome == "rejected"
    assert app.granted_amount == 0

    with time_machine.travel(at(app.appeal_ends_on + timedelta(days=1))):
        app = walk(app, "become_legally_valid")
        assert app.state == S.LEGALLY_VALID

        assert "record_payment" not in available_transitions(app, people["finance"])
        with pytest.raises(TransitionConflict):
            walk(app, "record_payment", record_payment=pay("1.00"))
        assert not payments_of(app).exists()

        app = walk(app, "close")
    assert app.state == S.CLOSED


def test_granted_application_cannot_be_closed_before_its_report(application, walk):
    app = walk(application, *DECIDED, "notify")
    with time_machine.travel(at(app.appeal_ends_on + timedelta(days=1))):
        app = walk(app, "become_legally_valid")
        with pytest.raises(TransitionConflict):
            walk(app, "close")
    assert fresh(app).state == S.LEGALLY_VALID


# --- request for rectification -----------------------------------------------------------


def test_upheld_rectification_is_notified_with_the_court_appeal_period(
    body, association, representative, walk, people
):
    with time_machine.travel(at(date(2025, 3, 3)), tick=False):
        app = new_application(body, association, representative)
        app = walk(app, *DECIDED, "notify")
    # Electronic: deemed received Thu 6 March, 14 days -> Thu 20 March.
    assert app.appeal_ends_on == date(2025, 3, 20)

    with time_machine.travel(at(date(2025, 3, 10)), tick=False):
        app = walk(app, "file_rectification")
        assert app.state == S.UNDER_RECTIFICATION
        assert not open_deadlines(app, "appeal_period_ends").exists()

        app = walk(app, "decide_rectification", decide_rectification=UPHELD)
        assert app.state == S.DECIDED
        assert (app.outcome, app.granted_amount) == ("approved", Decimal("5000.00"))
        rectification = Rectification.objects.get(application=app)
        assert rectification.outcome == "upheld"
        assert rectification.decided_by == people["decision_maker2"]

        app = walk(app, "notify")
    # Deemed received Thu 13 March; the administrative-court appeal period is 30 days:
    # Sat 12 April, so Monday 14 April.
    assert settings.ADMINISTRATIVE_COURT_APPEAL_DAYS == 30
    assert app.deemed_received_on == date(2025, 3, 13)
    assert app.appeal_ends_on == date(2025, 4, 14)
    assert open_deadlines(app, "appeal_period_ends").get().due_on == date(2025, 4, 14)

    with time_machine.travel(at(date(2025, 3, 14)), tick=False):
        assert "file_rectification" not in available_transitions(app, representative)
        with pytest.raises(TransitionConflict):
            walk(app, "file_rectification")
    assert fresh(app).state == S.NOTIFIED
    assert Rectification.objects.filter(application=app).count() == 1


def test_changed_rectification_respects_the_budget(body, association, representative, walk):
    with time_machine.travel(at(date(2025, 3, 3)), tick=False):
        app = new_application(body, association, representative, budget=Decimal("8000.00"))
        other = ApplicationFactory(
            call=app.call, association=association, created_by=representative
        )
        walk(
            other,
            *DECIDED,
            record_step={"params": {"proposed_amount": Decimal("4000.00")}},
            decide=decision("partially_approved", "4000.00"),
        )
        app = walk(
            app,
            *DECIDED,
            "notify",
            record_step={"params": {"proposed_amount": Decimal("3000.00")}},
            decide=decision("partially_approved", "3000.00"),
        )

    with time_machine.travel(at(date(2025, 3, 10)), tick=False):
        app = walk(app, "file_rectification")
        changed = {"outcome": "changed", "reasons": "Kustannukset on osoitettu."}

        # 4000 + 5000 exceeds the budget of 8000.
        with pytest.raises(ValidationError) as refused:
            walk(
                app,
                "decide_rectification",
                decide_rectification={"params": {**changed, "granted_amount": Decimal("5000")}},
            )
        assert "granted_amount" in refused.value.message_dict
        unchanged = fresh(app)
        assert unchanged.state == S.UNDER_RECTIFICATION
        assert unchanged.granted_amount == Decimal("3000.00")
        assert Rectification.objects.get(application=app).decided_at is None

        # 4000 + 4000 fits exactly.
        app = walk(
            app,
            "decide_rectification",
            decide_rectification={"params": {**changed, "granted_amount": Decimal("4000")}},
        )
        assert app.state == S.DECIDED
        assert app.outcome == "partially_approved"
        assert app.granted_amount == Decimal("4000.00")
        assert app.reasons == "Kustannukset on osoitettu."
        assert Rectification.objects.get(application=app).outcome == "changed"

        app = walk(app, "notify")
        assert app.appeal_ends_on == date(2025, 4, 14)
        with pytest.raises(TransitionConflict):
            walk(app, "file_rectification")


def test_rectification_changed_to_the_full_amount_is_an_approval(application, walk):
    app = walk(
        application,
        *DECIDED,
        "notify",
        "file_rectification",
        decide=decision("partially_approved", "3000.00"),
    )
    app = walk(
        app,
        "decide_rectification",
        decide_rectification={
            "params": {
                "outcome": "changed",
                "reasons": "Koko summa.",
                "granted_amount": Decimal("5000.00"),
            }
        },
    )
    assert (app.outcome, app.granted_amount) == ("approved", Decimal("5000.00"))


def test_rectification_after_the_appeal_period_is_refused(application, walk):
    app = walk(application, *DECIDED, "notify")

    # The last day still counts ...
    with time_machine.travel(at(app.appeal_ends_on, 23), tick=False):
        assert "file_rectification" in available_transitions(app, app.created_by)
    # ... the next day does not.
    next_day = at(app.appeal_ends_on + timedelta(days=1), 0)
    with time_machine.travel(next_day, tick=False), pytest.raises(TransitionConflict):
        walk(app, "file_rectification")
    assert fresh(app).state == S.NOTIFIED
    assert not Rectification.objects.filter(application=app).exists()


def test_decision_cannot_become_legally_valid_during_the_appeal_period(application, walk):
    app = walk(application, *DECIDED, "notify")
    last_day = at(app.appeal_ends_on, 23)
    with time_machine.travel(last_day, tick=False), pytest.raises(TransitionConflict):
        walk(app, "become_legally_valid")
    with time_machine.travel(at(app.appeal_ends_on + timedelta(days=1), 0), tick=False):
        app = walk(app, "become_legally_valid")
        assert app.legally_valid_on == app.appeal_ends_on + timedelta(days=1)
    assert not open_deadlines(app, "appeal_period_ends").exists()


# --- withdrawal --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        pytest.param((), id="draft"),
        pytest.param(("submit",), id="submitted"),
        pytest.param(("submit", "request_completion"), id="returned"),
        pytest.param(("submit", "start_review"), id="in_review"),
        pytest.param(("submit", "start_review", "record_step"), id="in_review_proposed"),
    ],
)
def test_withdrawal_cancels_the_approval_run(application, walk, people, path):
    app = walk(application, *path)
    app = walk(app, "withdraw")

    assert app.state == S.WITHDRAWN
    runs = ApprovalRun.objects.filter(object_id=app.pk)
    assert not runs.filter(status=ApprovalRun.Status.IN_PROGRESS).exists()
    if "start_review" in path:
        assert runs.get().status == ApprovalRun.Status.CANCELLED
    assert not Deadline.objects.filter(object_id=app.pk, status=Deadline.Status.OPEN).exists()
    for official in ("preparer", "decision_maker"):
        assert available_transitions(app, people[official]) == []


def test_withdrawal_cancels_the_completion_deadline(application, walk):
    app = walk(application, "submit", "request_completion", "withdraw")
    assert Deadline.objects.get(object_id=app.pk).status == Deadline.Status.CANCELLED


def test_decided_application_cannot_be_withdrawn(application, walk):
    app = walk(application, *DECIDED)
    with pytest.raises(TransitionConflict):
        walk(app, "withdraw")
    assert fresh(app).state == S.DECIDED


# --- expiry ------------------------------------------------------------------------------


def test_drafts_expire_only_after_the_call_closes(
    call, application, walk, body, association, representative
):
    submitted = walk(
        ApplicationFactory(call=call, association=association, created_by=representative),
        "submit",
    )
    elsewhere = new_application(body, association, representative)
    elsewhere.call.closes_at = call.closes_at + timedelta(days=30)
    elsewhere.call.save()

    assert expire_drafts_of_closed_calls() == 0
    with time_machine.travel(call.closes_at - timedelta(seconds=1), tick=False):
        assert expire_drafts_of_closed_calls() == 0
    assert fresh(application).state == S.DRAFT

    with time_machine.travel(call.closes_at + timedelta(minutes=1), tick=False):
        assert expire_drafts_of_closed_calls() == 1
        assert expire_drafts_of_closed_calls() == 0

    assert fresh(application).state == S.EXPIRED
    assert fresh(submitted).state == S.SUBMITTED
    assert fresh(elsewhere).state == S.DRAFT
    log = TransitionLog.objects.get(object_id=application.pk)
    assert (log.transition, log.from_state, log.to_state) == ("expire", "draft", "expired")
    assert log.actor is None


def test_expired_draft_can_no_longer_be_submitted(call, application, walk):
    with time_machine.travel(call.closes_at + timedelta(days=1)):
        expire_drafts_of_closed_calls()
        with pytest.raises(TransitionConflict):
            walk(fresh(application), "submit")


def test_draft_of_an_open_call_cannot_be_expired_by_hand(application, walk):
    with pytest.raises(TransitionConflict):
        transition_perform(application, "expire", actor=SYSTEM)
    assert fresh(application).state == S.DRAFT


# --- submission --------------------------------------------------------------------------


def test_submitting_to_a_closed_call_is_refused(call, application, walk, representative):
    with time_machine.travel(call.closes_at + timedelta(seconds=1), tick=False):
        assert "submit" not in available_transitions(application, representative)
        with pytest.raises(TransitionConflict):
            walk(application, "submit")
    assert fresh(application).state == S.DRAFT
    assert log_of(application) == []


def test_submitting_before_the_call_opens_is_refused(call, application, walk):
    before_opening = call.opens_at - timedelta(seconds=1)
    with time_machine.travel(before_opening, tick=False), pytest.raises(TransitionConflict):
        walk(application, "submit")
    assert fresh(application).state == S.DRAFT


@pytest.mark.parametrize(
    ("amount", "costs", "field", "says"),
    [
        pytest.param(
            "20000.01",
            "25000.00",
            "requested_amount",
            "enintään 20\u202f000,00\u00a0€ hakemusta",
            id="above_call_maximum",
        ),
        pytest.param(
            "5000.00",
            "4999.99",
            "budget_lines",
            "kustannusten (4\u202f999,99\u00a0€)",
            id="costs_below_request",
        ),
    ],
)
def test_invalid_request_is_not_submitted_and_says_why_with_money_in_finnish(
    call, association, representative, walk, amount, costs, field, says
):
    app = ApplicationFactory(
        call=call,
        association=association,
        created_by=representative,
        requested_amount=Decimal(amount),
        budget=Decimal(costs),
    )
    with translation.override("fi"), pytest.raises(ValidationError) as refused:
        walk(app, "submit")

    [message] = refused.value.message_dict[field]
    assert says in message
    saved = fresh(app)
    assert saved.state == S.DRAFT
    assert saved.submitted_at is None
    assert log_of(app) == []


def test_request_of_exactly_the_call_maximum_is_submitted(call, association, representative, walk):
    app = ApplicationFactory(
        call=call,
        association=association,
        created_by=representative,
        requested_amount=call.max_per_application,
    )
    assert walk(app, "submit").state == S.SUBMITTED


# --- notification ------------------------------------------------------------------------


def test_letter_is_deemed_received_on_the_seventh_day(body, association, representative, walk):
    with time_machine.travel(at(date(2025, 12, 1)), tick=False):
        app = new_application(body, association, representative)
        app = walk(app, *DECIDED)
    with time_machine.travel(at(date(2025, 12, 5)), tick=False):
        app = walk(
            app, "notify", notify={"params": {"channel": "letter", "sent_on": date(2025, 12, 3)}}
        )

    assert app.notified_on == date(2025, 12, 3)
    assert app.notification_channel == "letter"
    assert app.deemed_received_on == date(2025, 12, 10)
    # 10 Dec + 14 days is Christmas Eve (Wed); then Christmas Day, Boxing Day and a weekend:
    # the period ends on Monday 29 December.
    assert app.appeal_ends_on == date(2025, 12, 29)
    assert open_deadlines(app, "appeal_period_ends").get().due_on == date(2025, 12, 29)


def test_electronic_notice_is_deemed_received_on_the_third_day(
    body, association, representative, walk
):
    with time_machine.travel(at(date(2025, 6, 3)), tick=False):
        app = new_application(body, association, representative)
        app = walk(app, *DECIDED, "notify", notify={"params": {"channel": "electronic"}})

    assert app.notified_on == date(2025, 6, 3)
    assert app.deemed_received_on == date(2025, 6, 6)
    # 6 June + 14 days is Midsummer Eve (Fri 20 June): the period ends on Monday 23 June.
    assert app.appeal_ends_on == date(2025, 6, 23)


def test_electronic_notice_needs_the_associations_consent(application, walk):
    Association.objects.filter(pk=application.association_id).update(
        accepts_electronic_notification=False
    )
    app = walk(application, *DECIDED)

    with pytest.raises(ValidationError) as refused:
        walk(app, "notify", notify={"params": {"channel": "electronic"}})
    assert "channel" in refused.value.message_dict
    saved = fresh(app)
    assert saved.state == S.DECIDED
    assert saved.notified_on is None
    assert not open_deadlines(app, "appeal_period_ends").exists()

    app = walk(app, "notify", notify={"params": {"channel": "letter"}})
    assert app.state == S.NOTIFIED


@pytest.mark.parametrize(
    "sent_on",
    [
        pytest.param(lambda today: today + timedelta(days=1), id="in_the_future"),
        pytest.param(lambda today: today - timedelta(days=1), id="before_the_decision"),
    ],
)
def test_notice_cannot_be_dated_outside_the_possible(application, walk, sent_on):
    app = walk(application, *DECIDED)
    with pytest.raises(ValidationError):
        walk(
            app,
            "notify",
            notify={"params": {"channel": "letter", "sent_on": sent_on(timezone.localdate())}},
        )
    assert fresh(app).state == S.DECIDED


# --- the call's budget -------------------------------------------------------------------


def test_decisions_together_cannot_exceed_the_call_budget(
    body, association, representative, walk, people
):
    first = new_application(body, association, representative, budget=Decimal("8000.00"))
    second = ApplicationFactory(call=first.call, association=association, created_by=representative)
    walk(first, *DECIDED)
    second = walk(second, *REVIEWED)

    with translation.override("sv"), pytest.raises(ValidationError) as refused:
        walk(second, "decide")
    assert refused.value.message_dict["granted_amount"] == [
        "Endast 3\u202f000,00\u00a0€ av ansökningsomgångens anslag återstår."
    ]
    saved = fresh(second)
    assert saved.state == S.IN_REVIEW
    assert saved.granted_amount is None
    assert "decide" in available_transitions(saved, people["decision_maker"])

    # What is left (3000) can still be granted.
    second = walk(saved, "decide", decide=decision("partially_approved", "3000.00"))
    assert second.state == S.DECIDED


# --- payment in instalments ----------------------------------------------------------------


def test_grant_is_paid_in_instalments(application, walk):
    app = walk(application, *DECIDED, "notify")
    with time_machine.travel(at(app.appeal_ends_on + timedelta(days=1))):
        app = walk(app, "become_legally_valid", "record_payment", record_payment=pay("2000.00"))
        assert app.state == S.LEGALLY_VALID
        assert app.paid_total == Decimal("2000.00")
        assert app.report_due_on is None

        with pytest.raises(ValidationError):
            walk(app, "record_payment", record_payment=pay("3000.01"))
        assert payments_of(app).count() == 1

        app = walk(app, "record_payment", record_payment=pay("3000.00"))
        assert app.state == S.PAID
        assert app.paid_total == Decimal("5000.00")
        paid_on = timezone.localdate()

        with pytest.raises(TransitionConflict):
            walk(app, "record_payment", record_payment=pay("0.01"))

    # The call's report is due 90 days after the final payment, or the first working day after.
    assert app.call.report_due_days == 90
    day_90 = paid_on + timedelta(days=90)
    assert app.report_due_on >= day_90
    assert is_working_day(app.report_due_on)
    skipped = (day_90 + timedelta(days=n) for n in range((app.report_due_on - day_90).days))
    assert not any(is_working_day(day) for day in skipped)
    assert open_deadlines(app, "report_due").get().due_on == app.report_due_on


def test_payment_cannot_be_recorded_in_the_future(application, walk):
    app = walk(application, *DECIDED, "notify")
    with time_machine.travel(at(app.appeal_ends_on + timedelta(days=1))):
        app = walk(app, "become_legally_valid")
        tomorrow = timezone.localdate() + timedelta(days=1)
        with pytest.raises(ValidationError):
            walk(
                app,
                "record_payment",
                record_payment={"params": {"amount": Decimal("5000"), "paid_on": tomorrow}},
            )
    assert not payments_of(app).exists()


# --- follow-up report --------------------------------------------------------------------


def test_returned_report_is_resubmitted_and_accepted(application, walk, people):
    app = walk(application, *DECIDED, "notify")
    with time_machine.travel(at(app.appeal_ends_on + timedelta(days=1))):
        app = walk(app, "become_legally_valid", "record_payment", record_payment=pay("5000.00"))
        app = walk(app, "submit_report")
        assert not open_deadlines(app, "report_due").exists()

        app = walk(app, "return_report")
        assert app.state == S.REPORT_RETURNED
        assert open_deadlines(app, "report_due").get().due_on == app.report_due_on

        app = walk(
            app,
            "submit_report",
            submit_report={
                "params": {"activities": "Kuitit liitteenä.", "amount_used": Decimal("4800")}
            },
        )
        assert app.state == S.REPORT_SUBMITTED
        report = FollowUpReport.objects.get(application=app)
        assert (report.activities, report.amount_used) == ("Kuitit liitteenä.", Decimal("4800"))

        app = walk(app, "accept_report")
    assert app.state == S.CLOSED
    report.refresh_from_db()
    assert report.accepted_by == people["preparer"]
    assert report.accepted_at is not None


def test_report_using_more_than_was_granted_is_refused(application, walk):
    app = walk(application, *DECIDED, "notify")
    with time_machine.travel(at(app.appeal_ends_on + timedelta(days=1))):
        app = walk(app, "become_legally_valid", "record_payment", record_payment=pay("5000.00"))
        with pytest.raises(ValidationError):
            walk(
                app,
                "submit_report",
                submit_report={
                    "params": {"activities": "Paljon.", "amount_used": Decimal("5000.01")}
                },
            )
    assert fresh(app).state == S.PAID
    assert not FollowUpReport.objects.filter(application=app).exists()


# --- approval chains -----------------------------------------------------------------------


@pytest.fixture
def tiered_call(body):
    """Above 10 000 € a second decision-maker confirms the decision."""
    chain = chain_with_steps(
        body, ("preparer",), ("decision_maker",), ("decision_maker", Decimal("10000"))
    )
    return CallFactory(public_body=body, chain=chain)


def _in_review(call, association, representative, walk, amount: str) -> Application:
    app = ApplicationFactory(
        call=call,
        association=association,
        created_by=representative,
        requested_amount=Decimal(amount),
    )
    return walk(app, "submit", "start_review")


@pytest.mark.parametrize(
    ("amount", "steps"),
    [("8000.00", 2), ("10000.00", 2), ("10000.01", 3), ("15000.00", 3)],
)
def test_amount_above_the_threshold_adds_the_conditional_step(
    tiered_call, association, representative, walk, amount, steps
):
    app = _in_review(tiered_call, association, representative, walk, amount)
    run = ApprovalRun.objects.get(object_id=app.pk)
    assert run.steps.count() == steps


def test_amount_above_the_threshold_needs_a_second_decision_maker(
    tiered_call, association, representative, walk, people
):
    app = _in_review(tiered_call, association, representative, walk, "15000.00")
    proposal = {"params": {"proposed_amount": Decimal("15000.00")}}
    approve = decision("approved", "15000.00")
    app = walk(app, "record_step", record_step=proposal)

    dm, dm2 = people["decision_maker"], people["decision_maker2"]
    # The second step is not the deciding one.
    assert available_transitions(app, dm) == ["record_step"]
    with pytest.raises(TransitionConflict):
        walk(app, "decide", decide={**approve, "actor": dm})
    app = walk(app, "record_step", record_step={**proposal, "actor": dm})
    assert app.state == S.IN_REVIEW

    # The third step needs another decision-maker than the one who did the second.
    assert available_transitions(app, dm) == []
    with pytest.raises(PermissionDenied):
        walk(app, "decide", decide={**approve, "actor": dm})
    app = walk(app, "decide", decide={**approve, "actor": dm2})

    assert app.state == S.DECIDED
    assert app.decided_by == dm2
    assert app.granted_amount == Decimal("15000.00")
    run = ApprovalRun.objects.get(object_id=app.pk)
    assert run.status == ApprovalRun.Status.FINISHED
    actors = list(run.steps.order_by("position").values_list("actor__username", flat=True))
    assert actors == ["preparer", "dm", "dm2"]


def test_amount_below_the_threshold_is_decided_in_two_steps(
    tiered_call, association, representative, walk, people
):
    app = _in_review(tiered_call, association, representative, walk, "8000.00")
    app = walk(
        app,
        "record_step",
        "decide",
        record_step={"params": {"proposed_amount": Decimal("8000.00")}},
        decide=decision("approved", "8000.00"),
    )
    assert app.state == S.DECIDED
    assert app.decided_by == people["decision_maker"]


def test_editing_the_chain_does_not_change_a_run_in_progress(
    call, application, walk, association, representative, client
):
    started = walk(application, "submit", "start_review")
    chain = call.chain
    assert chain.version == 1

    # An administrator adds a third step to the chain in the admin.
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    steps = list(chain.steps.order_by("position"))
    form = {
        "public_body": chain.public_body_id,
        "name": chain.name,
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "2",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for i, step in enumerate([*steps, None]):
        form |= {
            f"steps-{i}-id": step.pk if step else "",
            f"steps-{i}-chain": chain.pk,
            f"steps-{i}-position": step.position if step else 3,
            f"steps-{i}-name": step.name if step else "Vahvistus",
            f"steps-{i}-role": step.role if step else "decision_maker",
            f"steps-{i}-condition": "always",
            f"steps-{i}-threshold": "",
        }
    response = client.post(reverse("admin:workflow_approvalchain_change", args=[chain.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    chain.refresh_from_db()
    assert chain.steps.count() == 3
    assert chain.version == 2

    # The run that had started keeps its two steps and is decided in two.
    run = ApprovalRun.objects.get(object_id=started.pk)
    assert run.chain_version == 1
    assert run.steps.count() == 2
    app = walk(started, "record_step", "decide")
    assert app.state == S.DECIDED

    # A review started now copies the edited chain.
    later = walk(
        ApplicationFactory(call=call, association=association, created_by=representative),
        "submit",
        "start_review",
    )
    run = ApprovalRun.objects.get(object_id=later.pk)
    assert run.chain_version == 2
    assert run.steps.count() == 3


# --- values outside what the law and the forms allow ---------------------------------------


def test_completion_due_date_in_the_past_is_refused(application, walk):
    app = walk(application, "submit")
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError):
        walk(app, "request_completion", request_completion={"params": {"due_on": yesterday}})
    assert fresh(app).state == S.SUBMITTED


def test_decision_with_an_unknown_outcome_is_refused(application, walk):
    app = walk(application, *REVIEWED)
    with pytest.raises(ValidationError):
        walk(app, "decide", decide=decision("postponed", "3000.00"))
    saved = fresh(app)
    assert saved.state == S.IN_REVIEW
    assert saved.outcome == ""


def test_rectification_decision_with_an_unknown_outcome_is_refused(application, walk):
    app = walk(application, *DECIDED, "notify", "file_rectification")
    with pytest.raises(ValidationError):
        walk(
            app,
            "decide_rectification",
            decide_rectification={"params": {"outcome": "dismissed", "reasons": "Myöhässä."}},
        )
    assert fresh(app).state == S.UNDER_RECTIFICATION
    assert Rectification.objects.get(application=app).outcome == ""


def test_notice_by_an_unknown_channel_is_refused(application, walk):
    app = walk(application, *DECIDED)
    with pytest.raises(ValidationError):
        walk(app, "notify", notify={"params": {"channel": "carrier_pigeon"}})
    assert fresh(app).state == S.DECIDED


@pytest.mark.parametrize("amount", ["0.00", "-100.00"])
def test_payment_of_nothing_or_a_negative_amount_is_refused(application, walk, amount):
    app = walk(application, *DECIDED, "notify")
    with time_machine.travel(at(app.appeal_ends_on + timedelta(days=1))):
        app = walk(app, "become_legally_valid")
        with pytest.raises(ValidationError):
            walk(app, "record_payment", record_payment=pay(amount))
    assert not payments_of(app).exists()
    assert fresh(app).state == S.LEGALLY_VALID


def test_report_with_a_negative_amount_used_is_refused(application, walk):
    app = walk(application, *DECIDED, "notify")
    with time_machine.travel(at(app.appeal_ends_on + timedelta(days=1))):
        app = walk(app, "become_legally_valid", "record_payment", record_payment=pay("5000.00"))
        with pytest.raises(ValidationError):
            walk(
                app,
                "submit_report",
                submit_report={"params": {"activities": "Ei mitään.", "amount_used": Decimal(-1)}},
            )
    assert fresh(app).state == S.PAID


def test_report_returned_with_a_due_date_in_the_past_is_refused(application, walk):
    app = walk(application, *DECIDED, "notify")
    with time_machine.travel(at(app.appeal_ends_on + timedelta(days=1))):
        app = walk(
            app,
            "become_legally_valid",
            "record_payment",
            "submit_report",
            record_payment=pay("5000.00"),
        )
        yesterday = timezone.localdate() - timedelta(days=1)
        with pytest.raises(ValidationError):
            walk(app, "return_report", return_report={"params": {"due_on": yesterday}})
    assert fresh(app).state == S.REPORT_SUBMITTED
