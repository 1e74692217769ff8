"""Periodic agreement scans (scheduled in celery_app.py). Idempotent: running one twice changes
nothing more."""

from celery import shared_task

from agreements import instalments, scans


@shared_task(acks_late=True)
def daily_scan() -> dict[str, int]:
    """The agreements' date-driven work. Instalments come first, so money due before the
    last day is made payable even when the agreement ends in the same run. Ending runs before
    the rest: an agreement that has ended is not then told to prepare its renewal, and its
    last period's evaluation still falls due (only evaluations of periods after the last day
    are cancelled)."""
    return {
        "instalments_payable": instalments.open_due_instalments(),
        "ended": scans.end_agreements(),
        "evaluations_due": scans.open_due_evaluations(),
        "renewals_opened": scans.open_renewals(),
    }
