"""Faults in the processes people run: the broker restarting under a busy worker, and the web
process killed in the middle of a request."""

import threading
import time
from collections import Counter

import httpx
import psutil
import psycopg
import pytest

from grants.demo import one_page_pdf
from tests.integration.conftest import wait_until

pytestmark = [pytest.mark.system, pytest.mark.postgres, pytest.mark.redis]

MESSAGES = 60
WRITE_MESSAGES = f"""
from django.db import transaction
from organisations.models import User
from workflow.outbox import notify
people = list(User.objects.filter(username__in=["aino", "bertil", "eero"]))
with transaction.atomic():
    for number in range({MESSAGES} // len(people)):
        notify(
            people,
            kind="completion_requested",
            key=f"system-fault:{{number}}",
            context={{
                "title": "Toiminta-avustukset 2027: Esimerkkilän Seniorit ry",
                "request": "Liittäkää toimintasuunnitelma.",
                "due_on": "2027-01-15",
                "path": "/association/",
            }},
            legally_significant=True,
        )
"""


def ours(sink) -> list:
    return [m for m in sink.messages if "Liittäkää toimintasuunnitelma." in m.body]


def test_a_busy_worker_delivers_every_message_once_across_a_redis_restart(deployment, timings):
    sink, worker = deployment.sink, deployment.processes["worker"]
    sink.delay = 0.15  # a slow mail server: the worker is busy sending for seconds
    try:
        deployment.manage("shell", "-c", WRITE_MESSAGES)
        wait_until(lambda: len(ours(sink)) >= 10, 60, "the worker to be busy sending")
        restarted = time.monotonic()
        deployment.redis.stop()
        deployment.redis.start()
        wait_until(lambda: len(ours(sink)) >= MESSAGES, 120, "every message after the restart")
        timings["redis_restart_to_all_messages_s"] = time.monotonic() - restarted
    finally:
        sink.delay = 0.0

    assert len(ours(sink)) == MESSAGES
    assert max(Counter(m.message_id for m in ours(sink)).values()) == 1  # none twice
    assert (
        deployment.database.value(
            "SELECT count(*) FROM workflow_notification WHERE key LIKE 'system-fault:%%' "
            "AND status = 'sent'"
        )
        == MESSAGES
    )
    # The same worker goes on taking work from the restarted broker.
    assert worker.alive(), worker.log()[-3000:]
    assert "Unrecoverable error" not in worker.log()
    deployment.run_task("workflow.tasks.remind_due")
    wait_until(lambda: worker.log().count("workflow.tasks.remind_due") >= 2, 30, "the next task")


def _answer_the_default_form(client, application_id: int) -> None:
    """The call's own questions answered through the API, its two files uploaded first."""
    url = f"/api/v1/applications/{application_id}/"
    files = {}
    for key in ("accounts", "annual_report"):
        uploaded = client.post(
            f"{url}attachments/",
            files={"file": (f"{key}.pdf", one_page_pdf(key), "application/pdf")},
        )
        assert uploaded.status_code == 201, uploaded.text
        files[key] = uploaded.json()["id"]
    answers = {"members": 30, "members_under_29": 2, "activities": "Retkiä."}
    answers["other_funding"] = False
    answered = client.patch(url, json={"answers": {**answers, **files}})
    assert answered.status_code == 200, answered.text


def _in_review(deployment) -> int:
    """A new application of aino's, proposed and waiting for the decision-maker (API)."""
    aino, paula = deployment.client("aino"), deployment.client("paula")
    call_id = deployment.database.value(
        "SELECT id FROM grants_call WHERE name = 'Toiminta-avustukset 2027'"
    )
    created = aino.post(
        "/api/v1/applications/",
        json={
            "call": call_id,
            "association": deployment.database.value(
                "SELECT id FROM organisations_association WHERE email = 'seniorit@example.fi'"
            ),
            "requested_amount": "900.00",
            "purpose": "Retki kansallispuistoon.",
            "budget_lines": [{"description": "Bussi", "amount": "900.00"}],
        },
    )
    assert created.status_code == 201, created.text
    application_id = created.json()["id"]
    _answer_the_default_form(aino, application_id)
    transitions = f"/api/v1/applications/{application_id}/transitions/"
    assert aino.post(transitions, json={"transition": "submit"}).status_code == 200
    for step in (
        {"transition": "start_review"},
        {"transition": "record_step", "proposed_amount": "900.00"},
    ):
        response = paula.post(transitions, json=step)
        assert response.status_code == 200, response.text
    decided = deployment.client("daniel").post(
        transitions,
        json={
            "transition": "decide",
            "outcome": "approved",
            "granted_amount": "900.00",
            "reasons": "Hyvä retki.",
        },
    )
    assert decided.status_code == 200, decided.text
    return application_id


def test_killing_the_web_process_in_the_middle_of_a_request_saves_nothing(deployment):
    application_id = _in_review(deployment)
    decided_at = deployment.database.value(
        "SELECT decided_at FROM grants_application WHERE id = %s", application_id
    )
    aino_id = deployment.database.value("SELECT id FROM organisations_user WHERE username = 'aino'")
    key = f"application:{application_id}:decision:{decided_at.isoformat()}"
    paula = deployment.client("paula")
    answer: dict = {}

    def send_decision() -> None:
        try:
            answer["response"] = paula.post(
                f"/api/v1/applications/{application_id}/transitions/",
                json={"transition": "notify", "channel": "electronic"},
            )
        except httpx.HTTPError as error:
            answer["error"] = error

    # Another transaction writes the decision's message to aino first and does not commit:
    # the request's own insert of it waits there, half-way through its transaction (the
    # appeal period's deadline already written), until we kill the process serving it.
    with psycopg.connect(deployment.database.url, options="-c timezone=UTC") as blocker:
        blocker.execute(
            "INSERT INTO workflow_notification (recipient_id, address, key, kind, language, "
            "context, legally_significant, status, created_at, send_after, attempts, last_error) "
            "VALUES (%s, '', %s, 'decision_notified', 'fi', '{}', true, 'sent', now(), now(), "
            "0, '')",
            (aino_id, key),
        )
        request = threading.Thread(target=send_decision)
        request.start()
        wait_until(
            lambda: deployment.database.value(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            ),
            30,
            "the request to wait inside its transaction",
        )
        master = psutil.Process(deployment.processes["web"].popen.pid)
        for worker in master.children():
            worker.kill()
        request.join(timeout=30)
        blocker.rollback()

    assert "error" in answer or answer["response"].status_code >= 500
    state, notified_on = deployment.database.query(
        "SELECT state, notified_on FROM grants_application WHERE id = %s", application_id
    )[0]
    assert (state, notified_on) == ("decided", None)
    for sql in (
        "SELECT count(*) FROM workflow_deadline WHERE object_id = %s "
        "AND kind = 'appeal_period_ends'",
        "SELECT count(*) FROM workflow_notification WHERE key LIKE %s",
        "SELECT count(*) FROM workflow_transitionlog WHERE object_id = %s "
        "AND transition = 'notify'",
    ):
        argument = f"application:{application_id}:%" if "LIKE" in sql else application_id
        assert deployment.database.value(sql, argument) == 0, sql

    # gunicorn starts new workers; the same request then goes through.
    wait_until(
        lambda: paula.get(f"/api/v1/applications/{application_id}/").status_code == 200,
        30,
        "gunicorn to serve again",
    )
    response = paula.post(
        f"/api/v1/applications/{application_id}/transitions/",
        json={"transition": "notify", "channel": "electronic"},
    )
    assert response.status_code == 200, response.text
