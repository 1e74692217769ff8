"""Who may perform which transition of an application.

For every transition the application is first brought to the transition's source state, then
every role tries it: the allowed ones succeed, the others get PermissionDenied, and
`available_transitions` offers it to exactly the allowed ones.
"""

from contextlib import ExitStack
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from grants.models import Application
from organisations.models import OfficialRole
from tests.factories import UserFactory, grant_role
from workflow.actors import SYSTEM
from workflow.models import TransitionLog
from workflow.transitions import available_transitions, transition_names

S = Application.State
NOON = time(12, tzinfo=ZoneInfo("Europe/Helsinki"))
pytestmark = pytest.mark.django_db

# transition -> the roles that may perform it, once the application is in its source state.
ALLOWED: dict[str, set[str]] = {
    "submit": {"representative"},
    "resubmit": {"representative"},
    "withdraw": {"representative"},
    "expire": {"system"},
    "request_completion": {"preparer"},
    "start_review": {"preparer"},
    # The default chain: the preparer proposes (record_step), the decision-maker decides.
    "record_step": {"preparer"},
    "decide": {"decision_maker"},
    "notify": {"preparer", "decision_maker"},
    "file_rectification": {"representative"},
    "decide_rectification": {"decision_maker"},
    "become_legally_valid": {"system", "preparer"},
    "record_payment": {"finance"},
    "reverse_payment": {"finance"},
    "submit_report": {"representative"},
    "return_report": {"preparer"},
    "accept_report": {"preparer"},
    "close": {"system", "preparer"},
}

ROLES = [
    "representative",
    "signatory",  # signs agreements, does not act on applications
    "foreign_representative",  # represents another association
    "preparer",
    "decision_maker",
    "liaison",
    "finance",
    "administrator",
    "foreign_preparer",  # a preparer of another public body
    "system",
]

# Markers in a path: move the clock past the call's closing / past the appeal period.
CALL_CLOSED = "<call closed>"
APPEAL_OVER = "<appeal period over>"
REJECTED = {"params": {"outcome": "rejected", "granted_amount": Decimal(0), "reasons": "Ei rahaa."}}

_DECIDED = ["submit", "start_review", "record_step", "decide"]
_LEGALLY_VALID = [*_DECIDED, "notify", APPEAL_OVER, "become_legally_valid"]
_PAID = [*_LEGALLY_VALID, "record_payment"]

# transition -> the steps that bring a fresh draft to the transition's source state.
PATHS: dict[str, list] = {
    "submit": [],
    "resubmit": ["submit", "request_completion"],
    "withdraw": [],
    "expire": [CALL_CLOSED],
    "request_completion": ["submit"],
    "start_review": ["submit"],
    "record_step": ["submit", "start_review"],
    "decide": ["submit", "start_review", "record_step"],
    "notify": _DECIDED,
    "file_rectification": [*_DECIDED, "notify"],
    "decide_rectification": [*_DECIDED, "notify", "file_rectification"],
    "become_legally_valid": [*_DECIDED, "notify", APPEAL_OVER],
    "record_payment": _LEGALLY_VALID,
    "reverse_payment": _PAID,
    "submit_report": _PAID,
    "return_report": [*_PAID, "submit_report"],
    "accept_report": [*_PAID, "submit_report"],
    "close": [("decide", REJECTED) if step == "decide" else step for step in _LEGALLY_VALID],
}

TARGET = {
    "submit": S.SUBMITTED,
    "resubmit": S.SUBMITTED,
    "withdraw": S.WITHDRAWN,
    "expire": S.EXPIRED,
    "request_completion": S.RETURNED,
    "start_review": S.IN_REVIEW,
    "record_step": S.IN_REVIEW,
    "decide": S.DECIDED,
    "notify": S.NOTIFIED,
    "file_rectification": S.UNDER_RECTIFICATION,
    "decide_rectification": S.DECIDED,
    "become_legally_valid": S.LEGALLY_VALID,
    "record_payment": S.PAID,
    "reverse_payment": S.LEGALLY_VALID,
    "submit_report": S.REPORT_SUBMITTED,
    "return_report": S.REPORT_RETURNED,
    "accept_report": S.CLOSED,
    "close": S.CLOSED,
}


def _params(name: str, app: Application) -> dict:
    """Parameters the walk fixture has no default for."""
    if name == "record_payment":
        return {"params": {"amount": app.granted_amount, "paid_on": timezone.localdate()}}
    if name == "reverse_payment":
        return {"params": {"payment_id": app.payments[-1].pk, "reason": "Väärä maksu."}}
    if name == "decide_rectification":
        return {"params": {"outcome": "upheld", "reasons": "Päätös on lainmukainen."}}
    return {}


def bring_to_source(app: Application, name: str, walk, clock: ExitStack) -> Application:
    for step in PATHS[name]:
        if step == CALL_CLOSED:
            clock.enter_context(time_machine.travel(app.call.closes_at + timedelta(days=1)))
        elif step == APPEAL_OVER:
            day_after = app.appeal_ends_on + timedelta(days=1)
            clock.enter_context(time_machine.travel(datetime.combine(day_after, NOON)))
        else:
            step, overrides = step if isinstance(step, tuple) else (step, _params(step, app))
            app = walk(app, step, **{step: overrides})
    return app


@pytest.fixture
def actors(people, representative, signatory, foreign_representative):
    return {
        "representative": representative,
        "signatory": signatory,
        "foreign_representative": foreign_representative,
        "preparer": people["preparer"],
        "decision_maker": people["decision_maker"],
        "liaison": people["liaison"],
        "finance": people["finance"],
        "administrator": people["administrator"],
        "foreign_preparer": people["foreign_preparer"],
        "system": SYSTEM,
    }


def test_matrix_covers_every_transition_of_an_application():
    assert set(ALLOWED) == set(transition_names(Application))
    assert set(PATHS) == set(ALLOWED) == set(TARGET)


def _attempt(app: Application, name: str, actor, walk) -> str:
    """Try the transition in a savepoint that is rolled back, so every role starts alike."""
    source = app.state
    logged = TransitionLog.objects.filter(object_id=app.pk).count()
    with transaction.atomic():
        try:
            done = walk(app, name, **{name: {**_params(name, app), "actor": actor}})
        except PermissionDenied:
            assert Application.objects.get(pk=app.pk).state == source
            assert TransitionLog.objects.filter(object_id=app.pk).count() == logged
            result = "refused"
        except Exception as exc:  # anything else is a wrong answer: show which
            result = type(exc).__name__
        else:
            assert done.state == TARGET[name]
            assert TransitionLog.objects.filter(object_id=app.pk).count() == logged + 1
            result = "allowed"
        transaction.set_rollback(True)
    return result


@pytest.mark.parametrize("name", list(ALLOWED))
def test_transition_is_performed_only_by_its_roles(name, application, walk, actors):
    expected = {role: "allowed" if role in ALLOWED[name] else "refused" for role in ROLES}
    with ExitStack() as clock:
        app = bring_to_source(application, name, walk, clock)

        offered = {role: name in available_transitions(app, actors[role]) for role in ROLES}
        performed = {role: _attempt(app, name, actors[role], walk) for role in ROLES}

    assert performed == expected
    assert offered == {role: result == "allowed" for role, result in expected.items()}


def test_whoever_recorded_a_step_cannot_also_decide_in_the_same_run(application, walk, body):
    both = grant_role(
        grant_role(UserFactory(username="both"), body, OfficialRole.Role.PREPARER),
        body,
        OfficialRole.Role.DECISION_MAKER,
    )
    app = walk(application, "submit", "start_review")
    app = walk(app, "record_step", record_step={"actor": both})

    assert "decide" not in available_transitions(app, both)
    with pytest.raises(PermissionDenied):
        walk(app, "decide", decide={"actor": both})
    assert Application.objects.get(pk=app.pk).state == S.IN_REVIEW


def test_a_superuser_without_a_role_cannot_decide(application, walk):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    app = walk(application, "submit", "start_review", "record_step")

    assert available_transitions(app, superuser) == []
    with pytest.raises(PermissionDenied):
        walk(app, "decide", decide={"actor": superuser})


def test_another_official_with_the_role_may_act_on_the_step(application, walk, people):
    app = walk(application, "submit", "start_review")
    app = walk(app, "record_step", record_step={"actor": people["preparer2"]})
    app = walk(app, "decide", decide={"actor": people["decision_maker2"]})
    assert app.state == S.DECIDED
    assert app.decided_by == people["decision_maker2"]
