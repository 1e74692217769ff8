"""What the beat scans do, as plain functions the tests call directly.

Each handles one record at a time through the transition service and returns how many it
handled, so a failing record is logged and skipped instead of blocking the rest.
"""

import logging

from django.db.models import F
from django.utils import timezone

from grants.models import Application
from workflow.actors import SYSTEM
from workflow.errors import TransitionConflict
from workflow.transitions import transition_perform

log = logging.getLogger(__name__)


def expire_drafts_of_closed_calls(batch: int = 500) -> int:
    """Drafts left in a call that has closed expire: they can no longer be submitted."""
    due = Application.objects.filter(
        state=Application.State.DRAFT, call__closes_at__lte=timezone.now()
    ).order_by("id")[:batch]
    expired = 0
    for application in due.annotate(closes_at=F("call__closes_at")):
        try:
            transition_perform(application, "expire", actor=SYSTEM)
        except TransitionConflict:
            # Submitted or withdrawn by the applicant a moment before: nothing to expire.
            continue
        except Exception:
            log.exception("Could not expire application %s", application.pk)
            continue
        expired += 1
    return expired
