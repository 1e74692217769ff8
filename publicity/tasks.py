"""The public pages' Celery work: publishing a sent decision, and the periodic scans (scheduled
in celery_app.py). Idempotent: running one twice changes nothing more."""

from celery import shared_task

from publicity import scans, services


@shared_task(acks_late=True)
def publish_decision(application_id: int) -> None:
    services.decision_publish(application_id)


@shared_task(acks_late=True)
def publish_sent_decisions() -> int:
    return scans.publish_sent_decisions()


@shared_task(acks_late=True)
def remove_personal_data() -> int:
    return scans.remove_personal_data()
