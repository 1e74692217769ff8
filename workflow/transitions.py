"""The one door for every state change.

`transition_perform` opens a transaction, locks the row, checks that the transition exists and
is available, that the actor may perform it and is not disqualified, runs it, saves, appends
the audit record and sends `transition_committed` once the transaction has committed. The API,
the UI, the admin and the Celery tasks all call it; a transition method called anywhere else
raises, because the `pre_transition` guard below finds no service around it.
"""

import logging
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from functools import partial
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.dispatch import Signal, receiver
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin, Transition
from django_fsm.signals import pre_transition

from workflow.actors import SYSTEM, SystemActor, acting
from workflow.errors import TransitionConflict, UnknownTransition
from workflow.locking import locked
from workflow.models import Disqualification, TransitionLog

M = TypeVar("M", bound=models.Model)

log = logging.getLogger(__name__)

# Sent after the transaction commits: sender=model class, instance, name, source, target, actor.
transition_committed = Signal()

_inside_service: ContextVar[bool] = ContextVar("inside_transition_service", default=False)


@receiver(pre_transition)
def _refuse_direct_calls(sender, name: str, **kwargs) -> None:
    if not _inside_service.get():
        raise RuntimeError(
            f"{sender.__name__}.{name}() was called directly; "
            "state changes go through workflow.transitions.transition_perform()."
        )


def state_field(model: type[models.Model]) -> FSMFieldMixin:
    return next(f for f in model._meta.concrete_fields if isinstance(f, FSMFieldMixin))


def _transitions_from_state(instance: models.Model) -> Iterator[Transition]:
    field = state_field(type(instance))
    state = field.get_state(instance)
    for method in field.transitions[type(instance)].values():
        meta = method._django_fsm
        if meta.has_transition(state):
            yield meta.get_transition(state)


def _unmet_condition(instance: models.Model, transition: Transition) -> Any:
    return next((c for c in transition.conditions if not c(instance)), None)


# The relation (a GenericRelation to Disqualification) every subject names `disqualifications`.
DISQUALIFICATIONS = "disqualifications"


def _is_person(user: Any) -> bool:
    return user is not None and not isinstance(user, SystemActor) and user.pk is not None


def _disqualifications_of(model: type[models.Model], user: Any) -> models.QuerySet:
    return Disqualification.objects.filter(
        content_type=ContentType.objects.get_for_model(model), user_id=user.pk
    )


def is_disqualified(instance: models.Model, user: Any) -> bool:
    """Has the user declared a conflict of interest on this record?

    Answers without a query when the record already knows: the locking query of
    `transition_perform` asked it for the actor, and lists prefetch `disqualifications`, so
    showing `available_transitions` costs no query per row.
    """
    if not _is_person(user):
        return False
    known = getattr(instance, "_disqualified", {})
    if user.pk in known:
        return known[user.pk]
    cache = getattr(instance, "_prefetched_objects_cache", {})
    if DISQUALIFICATIONS in cache:
        return any(d.user_id == user.pk for d in cache[DISQUALIFICATIONS])
    return _disqualifications_of(type(instance), user).filter(object_id=instance.pk).exists()


# A transition's refusal of one person (`custom={REFUSAL: check}`): `check(instance, user)`
# returns the TransitionConflict the person would get (409), or None. For what the permission
# allows a role but the record refuses a person who holds it: a signatory who already signed,
# or whose side is complete. `available_transitions` leaves such a transition out, and
# `transition_perform` refuses it, from the one rule.
REFUSAL = "refusal"


def _refusal(instance: models.Model, transition: Transition, user: Any) -> Any:
    check = transition.custom.get(REFUSAL)
    return check(instance, user) if check is not None else None


def available_transitions(instance: models.Model, user: Any) -> list[str]:
    """The transitions this user could perform on this record now: none they would be
    refused."""
    if is_disqualified(instance, user):
        return []
    return [
        t.name
        for t in _transitions_from_state(instance)
        if t.has_perm(instance, user)
        and _unmet_condition(instance, t) is None
        and _refusal(instance, t, user) is None
    ]


def transition_names(model: type[models.Model]) -> list[str]:
    return sorted(state_field(model).transitions[model])


def _lock(model: type[M], pk: Any, actor: Any, within: models.QuerySet[M] | None) -> M:
    """One statement: the row, locked, with what the checks read. Models name the relations
    their permissions and conditions read (`lock_select_related`), joined in; whether the
    actor declared a conflict of interest is asked in the same statement (remembered on the
    record for `is_disqualified`); `within` narrows it to the records the actor may see.
    `of=("self",)` still locks only the record's row."""
    related = getattr(model, "lock_select_related", ())
    queryset = (model._default_manager if within is None else within).select_related(*related)
    if _is_person(actor):
        queryset = queryset.annotate(
            actor_disqualified=Exists(
                _disqualifications_of(model, actor).filter(object_id=OuterRef("pk"))
            )
        )
    try:
        obj = locked(queryset).get(pk=pk)
    except model.DoesNotExist:
        if within is None:
            raise
        raise Http404 from None
    if _is_person(actor):
        obj._disqualified = {actor.pk: obj.actor_disqualified}
    return obj


def transition_perform(
    instance: M,
    name: str,
    *,
    actor: Any,
    comment: str = "",
    params: dict[str, Any] | None = None,
    within: models.QuerySet[M] | None = None,
) -> M:
    """Perform transition `name` on `instance` as `actor`; return the locked, updated record.

    `within` (an API's queryset of the records the actor may see) makes the locking query the
    visibility check too: a record outside it raises Http404.

    Raises UnknownTransition (400), TransitionConflict (409: wrong state, unmet condition, or
    a concurrent change won), PermissionDenied (403), or ValidationError (400) from the
    transition itself. On any error nothing is saved.
    """
    model = type(instance)
    if name not in state_field(model).transitions[model]:
        raise UnknownTransition(_("Unknown transition: %(name)s.") % {"name": name})
    with transaction.atomic():
        # Lock first, then look: a concurrent transition that committed meanwhile is seen here,
        # and the loser of a race gets a 409 instead of overwriting the winner.
        obj = _lock(model, instance.pk, actor, within)
        source = state_field(model).get_state(obj)
        candidate = next((t for t in _transitions_from_state(obj) if t.name == name), None)
        if candidate is None:
            raise TransitionConflict(
                _("%(name)s is not available in state %(state)s.")
                % {"name": name, "state": source},
                code="invalid_state",
            )
        if is_disqualified(obj, actor):
            raise PermissionDenied(_("You have declared a conflict of interest on this record."))
        if not candidate.has_perm(obj, actor):
            raise PermissionDenied(
                _("You may not perform %(name)s on this record.") % {"name": name}
            )
        unmet = _unmet_condition(obj, candidate)
        if unmet is not None:
            raise TransitionConflict(str(getattr(unmet, "message", unmet.__name__)), "condition")
        refused = _refusal(obj, candidate, actor)
        if refused is not None:
            raise refused

        token = _inside_service.set(True)
        try:
            # The messages the transition writes leave its actor out (workflow.outbox).
            with acting(actor):
                getattr(obj, name)(actor=actor, comment=comment, **(params or {}))
        finally:
            _inside_service.reset(token)
        obj.save()
        target = state_field(model).get_state(obj)
        _transition_record(
            obj,
            transition=name,
            source=source,
            target=target,
            actor=actor,
            comment=comment,
            data=params,
        )
        # After the commit the change stands: a failing receiver is logged (send_robust) and
        # the others still run, and nothing turns the person's committed change into an error.
        transaction.on_commit(
            partial(
                transition_committed.send_robust,
                sender=model,
                instance=obj,
                name=name,
                source=source,
                target=target,
                actor=actor,
            )
        )
    return obj


def _transition_record(
    obj: models.Model,
    *,
    transition: str,
    source: str,
    target: str,
    actor: Any,
    comment: str,
    data: dict[str, Any] | None,
) -> TransitionLog:
    """The audit log's entry of a transition; audited actions are `workflow.audit`'s."""
    return TransitionLog.objects.create(
        kind=TransitionLog.Kind.TRANSITION,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        from_state=source,
        to_state=target,
        transition=transition,
        actor=None if isinstance(actor, SystemActor) else actor,
        comment=comment,
        data=data or {},
    )


def perform_as_system(records: Iterable[models.Model], *names: str) -> int:
    """What the periodic scans do: perform the transitions on each record as the system, one
    record at a time, so a failing record is logged and skipped instead of blocking the rest.
    Returns how many records were done."""
    done = 0
    for record in records:
        try:
            for name in names:
                record = transition_perform(record, name, actor=SYSTEM)
        except TransitionConflict:
            continue  # somebody acted a moment before: nothing left to do here
        except Exception:
            log.exception("%s failed on %s %s", names, type(record).__name__, record.pk)
            continue
        done += 1
    return done
