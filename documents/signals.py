"""Documents follow the decisions: hooked to the engine's after-commit signal."""

import logging

from django.dispatch import receiver

from grants.models import Application
from workflow.transitions import transition_committed

log = logging.getLogger(__name__)


@receiver(transition_committed, sender=Application)
def _after_decision(sender, instance: Application, name: str, **kwargs) -> None:
    from documents import tasks

    try:
        if name in ("decide", "decide_rectification", "notify"):
            tasks.generate_decision_document.delay(instance.pk)
        elif name == "become_legally_valid" and instance.granted_amount:
            tasks.hand_over_to_finance.delay(instance.pk)
    except Exception:
        # The decision is committed whatever the broker says; the sweep makes the document.
        log.warning("Could not queue the documents of application %s", instance.pk, exc_info=True)
