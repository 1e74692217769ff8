"""Queueing Celery work once a transaction commits, without letting the broker undo what a
person did.

The task is sent after the commit, so a worker never looks for a row that is not there yet. If
the broker cannot take it (down, restarting, unreachable), the change stays committed and the
person sees no error: one warning is logged, and the periodic sweep that covers the task's
work (decision and agreement documents, the hand-over to finance, PDF copies) does it on its
next run.
"""

import logging
from functools import partial
from typing import Any

from celery import Task
from django.db import transaction

log = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args: Any, queue: str | None = None) -> None:
    """Send `task(*args)` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(_send, task, args, queue))


def _send(task: Task, args: tuple[Any, ...], queue: str | None) -> None:
    try:
        # Retried briefly by the publish retry policy (CELERY_TASK_PUBLISH_RETRY_POLICY).
        task.apply_async(args, **({"queue": queue} if queue else {}))
    except Exception as error:  # whatever the broker's client raises, the commit stands
        log.warning(
            "Could not queue %s%r, the sweep will do it: %s: %s",
            task.name,
            args,
            type(error).__name__,
            error,
        )
