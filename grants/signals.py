"""The decision document follows the decision: hooked to the engine's after-commit signal."""

from django.dispatch import receiver

from grants import tasks
from grants.models import Application
from workflow.enqueue import enqueue_on_commit
from workflow.transitions import transition_committed


@receiver(transition_committed, sender=Application)
def _after_decision(sender, instance: Application, name: str, **kwargs) -> None:
    if name in ("decide", "decide_rectification", "notify"):
        enqueue_on_commit(tasks.generate_decision_document, instance.pk)
