"""Periodic scans for grants. Each task is idempotent: running it twice changes nothing more."""

from celery import shared_task

from grants import scans


@shared_task(acks_late=True)
def expire_drafts_of_closed_calls() -> int:
    return scans.expire_drafts_of_closed_calls()
