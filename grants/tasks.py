"""Periodic grant scans (scheduled in celery_app.py). Idempotent: running one twice changes
nothing more."""

from celery import shared_task

from grants import scans


@shared_task(acks_late=True)
def expire_drafts_of_closed_calls() -> int:
    return scans.expire_drafts_of_closed_calls()


@shared_task(acks_late=True)
def make_decisions_legally_valid() -> int:
    return scans.make_decisions_legally_valid()


@shared_task(acks_late=True)
def preparers_weekly_digest() -> int:
    return scans.preparers_weekly_digest()
