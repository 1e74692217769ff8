"""Races on PostgreSQL: two officials deciding one application at the same moment, and many
decisions competing for the last of a call's budget.

Every worker runs in its own thread, so it has its own database connection (closed at the
end). Barriers put the workers inside `transition_perform` together; a `pre_transition`
receiver, which runs inside the service after the row lock was taken, makes the winner hold its
lock until PostgreSQL reports the other worker blocked on it, so the loser provably read the
row only after the winner committed.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django_fsm.signals import pre_transition
from rest_framework.test import APIClient

import workflow.api
from grants.models import Application, Call
from organisations.models import User
from tests.factories import ApplicationFactory, CallFactory
from workflow.errors import TransitionConflict
from workflow.models import StepRecord, TransitionLog
from workflow.transitions import transition_perform

S = Application.State
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TIMEOUT = 30  # seconds; only reached when something hangs
DECISION = {"outcome": "approved", "granted_amount": Decimal("5000.00"), "reasons": "Hyvä hanke."}


def run_in_threads(*workers: Callable[[], Any]) -> list[tuple[str, Any]]:
    """Run each worker in its own thread (and connection); ("ok", result) or ("error", exc)."""
    results: list[tuple[str, Any] | None] = [None] * len(workers)

    def run(index: int, worker: Callable[[], Any]) -> None:
        try:
            results[index] = ("ok", worker())
        except Exception as exc:
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, w), daemon=True) for i, w in enumerate(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return results  # type: ignore[return-value]


def blocked_by_me() -> bool:
    """Is another backend waiting for a lock this connection's transaction holds?"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks "
            "WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid)))"
        )
        return cursor.fetchone()[0]


class HoldLockUntilBlocked:
    """A pre_transition receiver: the first worker to get inside the transition (holding the
    row lock) waits there until another backend is blocked on one of its locks."""

    def __init__(self) -> None:
        self.entered = 0
        self.saw_waiter = False
        self._mutex = threading.Lock()

    def __call__(self, sender, **kwargs) -> None:
        self.hold()

    def hold(self) -> None:
        """The first caller waits here until another backend is blocked on its locks."""
        with self._mutex:
            self.entered += 1
            first = self.entered == 1
        if not first:
            return
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            # Each poll is a round trip to PostgreSQL; no sleeping on a clock.
            if blocked_by_me():
                self.saw_waiter = True
                return


@contextmanager
def receiving_pre_transition(receiver: Callable[..., None]) -> Iterator[None]:
    """Connect `receiver` to pre_transition for the duration (not while setting up)."""
    pre_transition.connect(receiver, weak=False, dispatch_uid="test_concurrency")
    try:
        yield
    finally:
        pre_transition.disconnect(dispatch_uid="test_concurrency")


def fresh(user: User) -> User:
    """A thread's own copy of the user (roles are cached on the instance)."""
    return User.objects.get(pk=user.pk)


def on_last_step(app: Application, walk) -> Application:
    app = walk(app, "submit", "start_review", "record_step")
    assert app.state == S.IN_REVIEW
    return app


def decision_logs(app_ids: list[int]):
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Application),
        object_id__in=app_ids,
        transition="decide",
    )


def assert_decided_once(app: Application, winner: User) -> None:
    app.refresh_from_db()
    assert app.state == S.DECIDED
    assert app.decided_by_id == winner.pk
    decisions = decision_logs([app.pk])
    assert decisions.count() == 1
    assert decisions.get().actor_id == winner.pk
    steps = StepRecord.objects.filter(run__object_id=app.pk, run__content_type__model="application")
    assert [s.actor_id for s in steps.filter(status=StepRecord.Status.DONE, position=2)] == [
        winner.pk
    ]


def test_two_decision_makers_deciding_at_once_one_wins_one_gets_409(application, walk, people):
    app = on_last_step(application, walk)
    makers = [people["decision_maker"], people["decision_maker2"]]
    barrier = threading.Barrier(len(makers), timeout=TIMEOUT)

    def decide_as(user: User) -> Callable[[], Application]:
        def worker() -> Application:
            actor = fresh(user)
            barrier.wait()
            return transition_perform(app, "decide", actor=actor, params=DECISION)

        return worker

    hold = HoldLockUntilBlocked()
    with receiving_pre_transition(hold):
        results = run_in_threads(*(decide_as(u) for u in makers))

    assert hold.saw_waiter, "the second decision never waited on the lock"
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    (winner_index,) = [i for i, (kind, _) in enumerate(results) if kind == "ok"]
    (error,) = [value for kind, value in results if kind == "error"]
    assert isinstance(error, TransitionConflict), repr(error)
    assert error.code == "invalid_state"
    assert results[winner_index][1].state == S.DECIDED
    assert_decided_once(app, makers[winner_index])


def test_two_decision_makers_deciding_at_once_through_the_api_get_200_and_409(
    application, walk, people, monkeypatch
):
    app = on_last_step(application, walk)
    makers = [people["decision_maker"], people["decision_maker2"]]
    barrier = threading.Barrier(len(makers), timeout=TIMEOUT)
    perform = workflow.api.transition_perform

    def perform_together(*args, **kwargs):
        barrier.wait()
        return perform(*args, **kwargs)

    monkeypatch.setattr(workflow.api, "transition_perform", perform_together)
    url = f"/api/v1/applications/{app.pk}/transitions/"
    body = {"transition": "decide", "comment": "", **DECISION}

    def post_as(user: User) -> Callable[[], Any]:
        def worker():
            client = APIClient()
            client.force_authenticate(user=fresh(user))
            return client.post(url, body, format="json")

        return worker

    hold = HoldLockUntilBlocked()
    with receiving_pre_transition(hold):
        results = run_in_threads(*(post_as(u) for u in makers))

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    responses = [response for _, response in results]
    assert sorted(r.status_code for r in responses) == [200, 409], [r.data for r in responses]
    assert hold.saw_waiter, "the second request never waited on the lock"
    (winner_index,) = [i for i, r in enumerate(responses) if r.status_code == 200]
    assert responses[winner_index].data["state"] == S.DECIDED
    assert_decided_once(app, makers[winner_index])


def test_concurrent_decisions_never_exceed_the_call_budget(
    body, association, representative, people, walk
):
    call = CallFactory(public_body=body, budget=Decimal("10000.00"))
    amount = Decimal("3000.00")
    apps = [
        walk(
            ApplicationFactory(
                call=call,
                association=association,
                created_by=representative,
                requested_amount=amount,
            ),
            "submit",
            "start_review",
            "record_step",
            record_step={"params": {"proposed_amount": amount}},
        )
        for _ in range(6)
    ]
    assert {a.state for a in apps} == {S.IN_REVIEW}

    # Every worker waits here inside the service, holding its own application's row lock,
    # until all six are there; then they all race for the call's budget at once.
    inside = threading.Barrier(len(apps), timeout=TIMEOUT)

    def all_inside(sender, **kwargs) -> None:
        inside.wait()

    makers = [people["decision_maker"], people["decision_maker2"]]

    def decide(app: Application, user: User) -> Callable[[], Application]:
        def worker() -> Application:
            params = {"outcome": "approved", "granted_amount": amount, "reasons": "Hyvä hanke."}
            return transition_perform(app, "decide", actor=fresh(user), params=params)

        return worker

    with receiving_pre_transition(all_inside):
        results = run_in_threads(*(decide(app, makers[i % 2]) for i, app in enumerate(apps)))

    assert not inside.broken, "the workers were never inside the service together"
    won = [value for kind, value in results if kind == "ok"]
    lost = [value for kind, value in results if kind == "error"]
    assert len(won) == 3, results
    assert len(lost) == 3
    for error in lost:
        assert isinstance(error, ValidationError), repr(error)
        assert "granted_amount" in error.message_dict

    call.refresh_from_db()
    decided = Application.objects.filter(call=call, state=S.DECIDED)
    granted = sum(a.granted_amount for a in decided)
    assert decided.count() == 3
    assert granted == Decimal("9000.00") <= call.budget
    assert Application.objects.filter(call=call, granted_amount__isnull=False).count() == 3
    assert set(
        Application.objects.filter(call=call)
        .exclude(state=S.DECIDED)
        .values_list("state", flat=True)
    ) == {S.IN_REVIEW}
    app_ids = [a.pk for a in apps]
    assert decision_logs(app_ids).count() == 3
    assert set(decision_logs(app_ids).values_list("object_id", flat=True)) == set(
        decided.values_list("pk", flat=True)
    )
    assert Call.objects.get(pk=call.pk).budget == Decimal("10000.00")
