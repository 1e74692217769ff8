"""Redis restarts while a real Celery worker is delivering the outbox.

The worker runs as compose runs it: the prefork pool with a process per core (two here). One
process delivers, the other is free, so the main process has a BRPOP waiting on Redis when
Redis goes away; that is the case in which Celery 5.7.0 exited ("Unrecoverable error:
AttributeError: 'NoneType' object has no attribute 'hostname'", rc=1; pyproject.toml says
why). Like the other end-to-end tests, it waits on conditions with a bound, never a clock.
"""

import threading
from collections import Counter

import pytest

from tests.integration.conftest import wait_until
from tests.integration.test_reminder_delivery import (
    assert_each_once,
    message_id,
    pending_notifications,
)
from workflow.models import Notification
from workflow.tasks import deliver_notifications

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def test_a_busy_worker_goes_on_after_redis_restarts_and_sends_each_message_once(
    sink, broker, workers
):
    rows = pending_notifications(200)
    worker = workers.start("w1", pool="prefork", concurrency=2)

    # Redis is stopped and started again on the same port while message 50 waits for its
    # 250 reply: the delivery is certainly still running, its message not yet acknowledged.
    restarted = threading.Event()

    def restart_redis() -> None:
        broker.stop()
        broker.start()
        restarted.set()

    sink.after_accepting(50, restart_redis)
    delivery = deliver_notifications.delay()

    def goes_on(condition, what: str) -> None:
        """Wait for `condition`; fail at once, with the worker's log, if the worker exits."""
        wait_until(lambda: condition() or not worker.alive(), 60, what)
        assert worker.alive(), f"the worker exited (rc={worker.process.poll()}):\n{worker.log()}"

    goes_on(lambda: worker.finished(delivery.id), "the delivery to finish")
    assert restarted.is_set(), "Redis was not restarted in the middle of the delivery"
    assert sink.count() == len(rows)

    # The same worker process reconnects and takes new work from the restarted Redis.
    goes_on(lambda: worker.log().count("Connected to redis") >= 2, "the worker to reconnect")
    later = pending_notifications(10)
    again = deliver_notifications.delay()
    goes_on(lambda: worker.finished(again.id), "the next delivery to finish")
    assert workers.started == [worker]

    everything = rows + later
    assert_each_once(sink, {message_id(r.pk) for r in everything})
    assert Counter(Notification.objects.values_list("status", flat=True)) == {
        Notification.Status.SENT: len(everything)
    }
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
