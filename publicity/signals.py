"""A decision is published once it has been sent: hooked to the engine's after-commit signal."""

from django.dispatch import receiver

from grants.models import Application
from publicity import tasks
from workflow.enqueue import enqueue_on_commit
from workflow.transitions import transition_committed


@receiver(transition_committed, sender=Application)
def _after_sending(sender, instance: Application, name: str, **kwargs) -> None:
    if name == "notify":
        enqueue_on_commit(tasks.publish_decision, instance.pk)
