"""The round's budget against a single decision made at the same moment (PostgreSQL): both
lock the call's row to check the budget, so one waits for the other and reads what it granted;
together they never grant more than the budget."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants import effects
from grants.models import Application
from grants.rounds import RoundRefused, round_decide, round_propose
from tests.factories import CallFactory
from tests.grants.round_helpers import lines, submitted
from tests.grants.test_concurrency import TIMEOUT, HoldLockUntilBlocked, fresh, run_in_threads
from workflow.transitions import transition_perform

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = Application.State
DECISION = {"outcome": "approved", "granted_amount": Decimal("5000.00"), "reasons": "Hyvä hanke."}


class HoldCallLockUntilBlocked(HoldLockUntilBlocked):
    """Wraps the budget check: the first worker through it (now holding the call's row lock)
    waits until another backend is blocked on one of its locks."""

    def __init__(self, check) -> None:
        super().__init__()
        self.check = check

    def __call__(self, app, amount) -> None:
        self.check(app, amount)
        self.hold()


def test_a_round_and_a_single_decision_at_once_never_exceed_the_budget(body, people, monkeypatch):
    call = CallFactory(public_body=body, budget=Decimal("12000.00"))
    apps = submitted(call, 3)
    round_propose(call, actor=people["preparer"], lines=lines(apps))
    in_round, single = apps[:2], apps[2]
    barrier = threading.Barrier(2, timeout=TIMEOUT)

    def decide_round():
        actor = fresh(people["decision_maker"])
        barrier.wait()
        return round_decide(call, actor=actor, lines=lines(in_round))

    def decide_single():
        actor = fresh(people["decision_maker2"])
        barrier.wait()
        return transition_perform(single, "decide", actor=actor, params=DECISION)

    hold = HoldCallLockUntilBlocked(effects._budget_check)
    monkeypatch.setattr(effects, "_budget_check", hold)
    results = run_in_threads(decide_round, decide_single)

    assert hold.saw_waiter, "neither decision waited for the other's lock on the call"
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    (error,) = [value for kind, value in results if kind == "error"]
    assert isinstance(error, RoundRefused | ValidationError), repr(error)
    granted = [a.granted_amount or 0 for a in Application.objects.filter(call=call)]
    assert sum(granted) <= call.budget
    decided = Application.objects.filter(call=call, state=S.DECIDED)
    if results[0][0] == "ok":  # the round won: the single decision found 2 000 € left
        assert set(decided) == set(in_round)
    else:  # the single decision won: the round was refused whole
        assert list(decided) == [single]
