"""Finance's work in Celery: handing a payable over when it opens, and a sweep (scheduled in
celery_app.py) for hand-overs whose task was lost. Idempotent: a payable is handed over once."""

from celery import shared_task

from finance import hand_over


@shared_task(acks_late=True)
def hand_over_to_finance(payable_id: int) -> None:
    hand_over.finance_hand_over(payable_id)


@shared_task(acks_late=True)
def sweep_hand_over() -> int:
    return hand_over.hand_over_sweep()
