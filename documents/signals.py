"""Documents follow the decisions: hooked to the engine's after-commit signal. (Handing a
payable to finance is queued by documents.payables.payable_open when the payable commits.)"""

import logging

from django.dispatch import receiver

from grants.models import Application
from workflow.transitions import transition_committed

log = logging.getLogger(__name__)


@receiver(transition_committed, sender=Application)
def _after_decision(sender, instance: Application, name: str, **kwargs) -> None:
    from documents import tasks

    if name not in ("decide", "decide_rectification", "notify"):
        return
    try:
        tasks.generate_decision_document.delay(instance.pk)
    except Exception:
        # The decision is committed whatever the broker says; the sweep makes the document.
        log.warning("Could not queue the documents of application %s", instance.pk, exc_info=True)
