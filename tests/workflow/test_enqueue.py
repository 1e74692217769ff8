"""A committed change stands whatever happens after the commit: a broker that refuses the
task, or a receiver of `transition_committed` that fails."""

import logging

import pytest
from kombu.exceptions import OperationalError

from grants import tasks
from grants.models import Application
from tests.conftest import as_user
from workflow.transitions import transition_committed

pytestmark = pytest.mark.django_db

DECIDE = {
    "transition": "decide",
    "outcome": "approved",
    "granted_amount": "5000.00",
    "reasons": "Hyvä hanke.",
}


def _decide(api, application, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return as_user(api, people["decision_maker"]).post(
            f"/api/v1/applications/{application.pk}/transitions/", DECIDE
        )


def test_a_broker_that_refuses_the_task_does_not_undo_the_decision(
    api, application, walk, people, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    walk(application, "submit", "start_review", "record_step")
    attempts = []

    def refused(args, **options):
        attempts.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.generate_decision_document, "apply_async", refused)
    with caplog.at_level(logging.WARNING, logger="workflow.enqueue"):
        response = _decide(api, application, people, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    application.refresh_from_db()
    assert application.state == Application.State.DECIDED
    assert attempts == [(application.pk,)]
    # Logged once, saying what the sweep will catch up on.
    warnings = [r for r in caplog.records if r.name == "workflow.enqueue"]
    assert len(warnings) == 1
    assert "grants.tasks.generate_decision_document" in warnings[0].getMessage()


def test_a_failing_receiver_does_not_turn_the_committed_decision_into_an_error(
    api, application, walk, people, monkeypatch, django_capture_on_commit_callbacks
):
    walk(application, "submit", "start_review", "record_step")
    queued = []
    monkeypatch.setattr(
        tasks.generate_decision_document, "apply_async", lambda args, **o: queued.append(args)
    )

    def broken(sender, **kwargs):
        raise RuntimeError("a receiver with a bug")

    transition_committed.connect(broken, sender=Application, dispatch_uid="test.broken")
    # Moved first, so the documents' receiver runs after it.
    transition_committed.receivers.insert(0, transition_committed.receivers.pop())
    try:
        response = _decide(api, application, people, django_capture_on_commit_callbacks)
    finally:
        transition_committed.disconnect(dispatch_uid="test.broken", sender=Application)

    assert response.status_code == 200
    application.refresh_from_db()
    assert application.state == Application.State.DECIDED
    assert queued == [(application.pk,)]  # the other receivers still ran
