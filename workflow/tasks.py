"""Periodic engine tasks (scheduled in celery_app.py). Idempotent: safe to run twice, safe to
kill mid-way."""

from celery import shared_task

from workflow import delivery, scans


@shared_task(acks_late=True)
def remind_due() -> int:
    return scans.remind_due()


@shared_task(acks_late=True)
def deliver_notifications() -> int:
    return delivery.deliver_pending()


@shared_task(acks_late=True)
def send_daily_digests() -> int:
    return delivery.send_digests()
