"""The agreement document follows the version's approval and its last signature, and the
decision on a request for rectification its own document: hooked to the engine's after-commit
signal, made in Celery tasks (agreements.tasks). A cancellation before the term settles the
money in its own transaction (agreements.cancellation)."""

from django.dispatch import receiver
from django.utils import timezone
from django_fsm.signals import post_transition

from agreements import instalments, tasks
from agreements.models import Agreement, AgreementRectification, AgreementVersion
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


@receiver(post_transition, sender=Agreement, dispatch_uid="agreements.cancellation_undone_money")
def _money_owed_again_when_the_cancellation_is_undone(
    sender, instance: Agreement, name: str, **kwargs
) -> None:
    """A request for rectification changed the decision to cancel: in the same transaction,
    each year's payables owe again what the terms in force give it (the recovery claims
    withdrawn, a supplementary payable for what the cancellation lowered:
    agreements.instalments.instalments_restore).
    Years not yet payable open as usual on their day."""
    if name != "decide_rectification" or instance.state == Agreement.State.CANCELLED:
        return
    instalments.instalments_restore(instance, timezone.localdate())


@receiver(transition_committed, sender=Agreement, dispatch_uid="agreements.cancellation_document")
def _after_cancellation_rectification(
    sender, instance: Agreement, name: str, target: str, **kwargs
) -> None:
    """The decision on the request about the decision to cancel, upheld or changed, is a
    document of its own (the agreement rectification decision's kind)."""
    if name != "decide_rectification":
        return
    decided = (
        AgreementRectification.objects.filter(
            version__agreement=instance,
            subject=AgreementRectification.Subject.CANCELLATION,
            decided_at__isnull=False,
        )
        .order_by("-decided_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if decided is not None:
        enqueue_on_commit(tasks.generate_cancellation_rectification_document, decided)
