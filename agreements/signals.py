"""The agreement document follows the version's approval and its last signature, and the
decision on a request for rectification its own document: hooked to the engine's after-commit
signal, made in Celery tasks (agreements.tasks). A cancellation before the term settles the
money in its own transaction (agreements.cancellation)."""

from django.dispatch import receiver
from django.utils import timezone
from django_fsm.signals import post_transition

from agreements import instalments, tasks
from agreements.models import Agreement, AgreementVersion
from workflow.enqueue import enqueue_on_commit
from workflow.transitions import transition_committed

S = AgreementVersion.State
# Approved: the document the parties sign. Signed into force: the same terms again, naming who
# signed and when, so the document of record is the signed agreement. A rejection changed into
# an approval on a request for rectification makes the document to sign too (an upheld
# approval finds its document made: the task is idempotent).
DOCUMENT_AFTER = {
    ("decide", S.APPROVED),
    ("decide_rectification", S.APPROVED),
    ("sign", S.IN_FORCE),
}


@receiver(transition_committed, sender=AgreementVersion, dispatch_uid="agreements.document")
def _after_approval_or_signatures(
    sender, instance: AgreementVersion, name: str, target: str, **kwargs
) -> None:
    if name == "decide_rectification":
        # The decision on the request, upheld or changed, is a document of its own.
        enqueue_on_commit(tasks.generate_rectification_document, instance.pk)
    if (name, target) not in DOCUMENT_AFTER:
        return
    enqueue_on_commit(tasks.generate_agreement_document, instance.pk)


CANCELLING = ("agree_cancellation", "cancel_by_decision")


@receiver(post_transition, sender=Agreement, dispatch_uid="agreements.cancelled_money")
def _no_money_for_a_term_that_never_starts(
    sender, instance: Agreement, name: str, **kwargs
) -> None:
    """Inside the cancelling transition's transaction (django-fsm sends this from the method
    the transition service runs): each year's payables are made to owe what a term that
    never starts gives, nothing (agreements.instalments.instalments_cancel). What is unpaid is
    lowered to nothing (out of finance's inbox) and what was paid ahead of the term becomes a
    recovery claim. The models cannot import agreements.instalments, which imports them."""
    if name not in CANCELLING or instance.in_force_version_id is None:
        return
    instalments.instalments_cancel(instance, timezone.localdate())
