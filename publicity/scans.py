"""What the beat does for the public pages, as plain functions the tests call directly."""

from django.utils import timezone

from grants.models import Application
from publicity import services
from publicity.models import Publication


def publish_sent_decisions(batch: int = 500) -> int:
    """Decisions sent whose publication task was lost (the broker was down) are published; so
    are those decided before the public pages existed, as granted support only
    (`services.decision_publish`)."""
    due = (
        Application.objects.filter(state__in=services.PUBLISHED_STATES, publication__isnull=True)
        .order_by("id")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(services.decision_publish(pk) is not None for pk in due)


def remove_personal_data(batch: int = 500) -> int:
    """Local Government Act 140 §: once the appeal periods have ended, the personal data is
    removed from the published decisions. Each publication in its own transaction, claimed
    under a row lock and checked again, so it is done exactly once."""
    today = timezone.localdate()
    due = (
        Publication.objects.filter(
            personal_data_removed_at__isnull=True,
            residents_appeal_ends_on__lt=today,
            application__legally_valid_on__isnull=False,
        )
        .order_by("id")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(services.personal_data_remove(pk) for pk in due)
