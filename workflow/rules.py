"""Who may act on a record: written once, used by every aggregate's FSM, its API and views.

A subject (an application, an agreement version, an evaluation) names the public body that
handles it as `public_body_id` and the associations that are party to it as
`association_ids`. Every predicate takes (user, subject) and answers from the person's cached
roles and the subject's already-loaded relations, so checking a whole list costs no query per
row.
"""

from typing import Any

import rules

from organisations.models import AssociationRole, OfficialRole
from organisations.roles import roles_of
from workflow.actors import SystemActor
from workflow.chains import current_step, has_acted_in_run

Role = OfficialRole.Role


@rules.predicate
def is_system(user: Any, subject: Any) -> bool:
    return isinstance(user, SystemActor)


def _of_association(role: str) -> rules.Predicate:
    def check(user: Any, subject: Any) -> bool:
        return not roles_of(user).associations(role).isdisjoint(subject.association_ids)

    return rules.predicate(check, name=f"is_{role}")


is_representative = _of_association(AssociationRole.Role.REPRESENTATIVE)
is_signatory = _of_association(AssociationRole.Role.SIGNATORY)


def _official(role: str) -> rules.Predicate:
    def check(user: Any, subject: Any) -> bool:
        return subject.public_body_id in roles_of(user).public_bodies(role)

    return rules.predicate(check, name=f"is_{role}")


is_preparer = _official(Role.PREPARER)
is_decision_maker = _official(Role.DECISION_MAKER)
is_liaison = _official(Role.LIAISON)
is_finance = _official(Role.FINANCE)


@rules.predicate
def is_official(user: Any, subject: Any) -> bool:
    return subject.public_body_id in roles_of(user).all_public_bodies


@rules.predicate
def acts_on_current_step(user: Any, subject: Any) -> bool:
    """Holds the role of the step waiting in the chain, and did no earlier step of it."""
    step = current_step(subject)
    if step is None:
        return False
    if subject.public_body_id not in roles_of(user).public_bodies(step.role):
        return False
    return not has_acted_in_run(step, user)
