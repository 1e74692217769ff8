"""Assigning reviewers and recording scores; both audited (workflow.audit.action_record)."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Reviewer, Score
from assessments.selectors import (
    application_model,
    criteria_of,
    is_reviewer,
    may_see_scores,
    scoreable_states,
)
from organisations.models import OfficialRole
from organisations.roles import roles_of
from workflow.audit import action_record
from workflow.errors import TransitionConflict
from workflow.transitions import is_disqualified

Role = OfficialRole.Role


def reviewer_assign(call: Any, user: Any, *, actor: Any, application: Any = None) -> Reviewer:
    """`user` assesses `application`, or every application of `call` when none is given. The
    preparer (or the body's administrator) assigns; only an official of the body reviews."""
    if call.public_body_id not in roles_of(actor).public_bodies(Role.PREPARER, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only the call's preparer assigns reviewers."))
    if call.public_body_id not in roles_of(user).all_public_bodies:
        raise ValidationError({"user": _("A reviewer must be an official of the call's body.")})
    if application is not None and application.call_id != call.pk:
        raise ValidationError({"application": _("The application belongs to another call.")})
    try:
        with transaction.atomic():
            reviewer = Reviewer.objects.create(call=call, application=application, user=user)
            action_record(
                application if application is not None else call,
                action="assign_reviewer",
                actor=actor,
                data={"reviewer": user.pk},
            )
    except IntegrityError:
        raise ValidationError({"user": _("This reviewer is already assigned.")}) from None
    return reviewer


def reviewer_remove(reviewer: Reviewer, *, actor: Any) -> None:
    """The assignment ends. The reviewer's scores stay for the audit but no longer count
    (selectors._counting): only an assigned reviewer's assessment goes into the totals."""
    call = reviewer.call
    if call.public_body_id not in roles_of(actor).public_bodies(Role.PREPARER, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only the call's preparer removes reviewers."))
    with transaction.atomic():
        subject = reviewer.application if reviewer.application_id is not None else call
        action_record(
            subject,
            action="remove_reviewer",
            actor=actor,
            data={"reviewer": reviewer.user_id},
        )
        reviewer.delete()


@dataclass(frozen=True)
class Given:
    """One criterion's score as the reviewer gives it."""

    criterion: int
    value: int
    comment: str = ""


def scores_record(application: Any, *, reviewer: Any, given: list[Given]) -> list[Score]:
    """The reviewer's scores of the application; scoring a criterion again replaces the score,
    and the audit log keeps what it was. All or nothing: one bad score saves none."""
    with transaction.atomic():
        # The row lock orders a reviewer's scoring against a disqualification declared on it.
        locked = (
            application_model()
            .objects.select_for_update()
            .select_related("call")
            .get(pk=application.pk)
        )
        if not may_see_scores(reviewer, locked) or not is_reviewer(reviewer, locked):
            raise PermissionDenied(_("You are not a reviewer of this application."))
        if is_disqualified(locked, reviewer):
            # Administrative Procedure Act 28 §: a disqualified official takes no part.
            raise PermissionDenied(
                _("You have declared a conflict of interest on this application.")
            )
        if locked.state not in scoreable_states():
            raise TransitionConflict(_("Only a submitted application not yet decided is scored."))
        criteria = {c.pk: c for c in criteria_of(locked.call_id)}
        _check(given, criteria)
        previous = {
            s.criterion_id: s for s in Score.objects.filter(application=locked, reviewer=reviewer)
        }
        # What each criterion's score was, for the audit record, before it is replaced.
        before = {criterion: score.value for criterion, score in previous.items()}
        saved = []
        for item in given:
            score = previous.get(item.criterion) or Score(
                application=locked, criterion=criteria[item.criterion], reviewer=reviewer
            )
            score.value, score.comment, score.scored_at = item.value, item.comment, timezone.now()
            score.save()
            saved.append(score)
        action_record(
            locked,
            action="score",
            actor=reviewer,
            data={
                "scores": [
                    {
                        "criterion": item.criterion,
                        "value": item.value,
                        "comment": item.comment,
                        "previous": before.get(item.criterion),
                    }
                    for item in given
                ]
            },
        )
    return saved


def _check(given: list[Given], criteria: dict[int, Any]) -> None:
    if not given:
        raise ValidationError({"scores": [_("Give at least one score.")]})
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    for index, item in enumerate(given):
        criterion = criteria.get(item.criterion)
        if criterion is None:
            errors[f"scores.{index}.criterion"] = [_("No such criterion in this call.")]
        elif item.criterion in seen:
            errors[f"scores.{index}.criterion"] = [_("The criterion is scored twice.")]
        elif not criterion.scale_min <= item.value <= criterion.scale_max:
            errors[f"scores.{index}.value"] = [
                _("Give a score from %(low)s to %(high)s.")
                % {"low": criterion.scale_min, "high": criterion.scale_max}
            ]
        seen.add(item.criterion)
    if errors:
        raise ValidationError(errors)
