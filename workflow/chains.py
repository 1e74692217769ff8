"""Running a record through its approval chain.

`run_start` copies the steps that apply to the record's amount into a run, so the run keeps the
chain version it started with. Each step is done by a person holding the step's role; one
person acts on at most one step of a run, so whoever proposes does not also decide.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.selectors import officials_of
from workflow.models import ApprovalChain, ApprovalRun, StepRecord


def subject_kind(subject: models.Model | type[models.Model]) -> str:
    """The kind of subject a chain must review for this record (ApprovalChain.SubjectKind)."""
    return subject._meta.label_lower


def kind_mismatch(chain: ApprovalChain, subject: models.Model) -> str | None:
    """Why the chain cannot review this record (it serves another kind), or None."""
    if chain.subject_kind == subject_kind(subject):
        return None
    return _("The approval chain %(chain)s does not fit this record (it reviews: %(kind)s).") % {
        "chain": chain.name,
        "kind": chain.get_subject_kind_display(),
    }


def chains_to_choose(public_body_ids: Iterable[int], kind: str = "") -> QuerySet[ApprovalChain]:
    """The chains of these public bodies a person may send a record through: of `kind` only,
    when given (ApprovalChain.SubjectKind), with their steps."""
    chosen = ApprovalChain.objects.filter(public_body_id__in=list(public_body_ids))
    if kind:
        chosen = chosen.filter(subject_kind=kind)
    return chosen.prefetch_related("steps")


def run_start(subject: models.Model, chain: ApprovalChain, *, amount: Decimal) -> ApprovalRun:
    mismatch = kind_mismatch(chain, subject)
    if mismatch:
        raise ValidationError({"chain": mismatch})
    steps = [step for step in chain.steps.all() if step.applies_to(amount)]
    if not steps:
        raise ValidationError(
            _("The approval chain %(chain)s has no step for this record.") % {"chain": chain.name}
        )
    run = ApprovalRun.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        chain=chain,
        chain_version=chain.version,
    )
    StepRecord.objects.bulk_create(
        StepRecord(run=run, position=step.position, name=step.name, role=step.role)
        for step in steps
    )
    return run


def _runs(subject: models.Model) -> list[ApprovalRun]:
    # Lists prefetch `approval_runs__steps`; a single record loads them here.
    return list(subject.approval_runs.all())


def run_in_progress(subject: models.Model) -> ApprovalRun | None:
    return next((r for r in _runs(subject) if r.status == ApprovalRun.Status.IN_PROGRESS), None)


def _pending(run: ApprovalRun) -> list[StepRecord]:
    return [s for s in run.steps.all() if s.status == StepRecord.Status.PENDING]


def current_step(subject: models.Model) -> StepRecord | None:
    run = run_in_progress(subject)
    if run is None:
        return None
    pending = _pending(run)
    return pending[0] if pending else None


def is_last_step(subject: models.Model) -> bool:
    run = run_in_progress(subject)
    return run is not None and len(_pending(run)) == 1


def next_actors(subject: Any) -> list[Any]:
    """Who may do the step waiting on the record: the holders of its role in the record's
    public body who did no earlier step of the run (`has_acted_in_run`)."""
    step = current_step(subject)
    if step is None:
        return []
    return [
        person
        for person in officials_of(subject.public_body_id, step.role).order_by("pk")
        if not has_acted_in_run(step, person)
    ]


def has_acted_in_run(step: StepRecord, user: Any) -> bool:
    """Did this user already do a step of the run? Then they may not do another."""
    return any(
        s.actor_id == user.pk for s in step.run.steps.all() if s.status == StepRecord.Status.DONE
    )


def step_complete(
    subject: models.Model, *, actor: Any, outcome: str, comment: str, data: dict[str, Any]
) -> StepRecord:
    """Record the current step as done; finish the run when it was the last."""
    run = run_in_progress(subject)
    step = current_step(subject)
    if step is None:
        raise ValidationError(_("There is no step waiting on this record."))
    step.status = StepRecord.Status.DONE
    step.outcome = outcome
    step.comment = comment
    step.data = data
    step.actor = actor
    step.acted_at = timezone.now()
    step.save()
    if not _pending(run):
        run.status = ApprovalRun.Status.FINISHED
        run.save(update_fields=["status"])
    return step


def run_cancel(subject: models.Model) -> None:
    run = run_in_progress(subject)
    if run is not None:
        run.status = ApprovalRun.Status.CANCELLED
        run.save(update_fields=["status"])


# --- transition conditions on the chain; each says why it failed (the API's 409 message) ---


def on_last_step(subject: models.Model) -> bool:
    return is_last_step(subject)


on_last_step.message = gettext_lazy(
    "This step is not the last one: record it, the decision comes later."
)


def before_last_step(subject: models.Model) -> bool:
    return current_step(subject) is not None and not is_last_step(subject)


before_last_step.message = gettext_lazy("This is the deciding step: record the decision.")
