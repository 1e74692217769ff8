"""The beat task runs in a real Celery worker over the real Redis broker (CI sets REDIS_URL)."""

import uuid
from datetime import timedelta

import pytest
from celery.backends.redis import RedisBackend
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult
from django.utils import timezone

from celery_app import app
from grants.models import Application
from grants.tasks import expire_drafts_of_closed_calls
from tests.factories import ApplicationFactory, CallFactory


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_expires_drafts_of_a_closed_call_over_redis(settings):
    closed = CallFactory(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(days=1)
    )
    draft = ApplicationFactory(call=closed)
    app.conf.broker_url = settings.CELERY_BROKER_URL
    # The worker thread builds its result backend from this; the test reads through its own
    # (Celery caches a backend per thread, so an earlier test's may be a disabled one).
    app.conf.result_backend = settings.REDIS_URL
    results = RedisBackend(app=app, url=settings.REDIS_URL)
    # A queue of its own: the shared broker may hold tasks other runs left behind.
    queue = f"test-{uuid.uuid4().hex}"
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]
        ):
            sent = expire_drafts_of_closed_calls.apply_async(ignore_result=False, queue=queue)
            assert AsyncResult(sent.id, backend=results, app=app).get(timeout=30) == 1
    finally:
        app.conf.result_backend = None
    draft.refresh_from_db()
    assert draft.state == Application.State.EXPIRED
