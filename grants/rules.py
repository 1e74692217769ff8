"""Who may do what with grant applications: written once, used by the FSM, the API and views.

Every predicate takes (user, application) and answers from the person's cached roles and the
application's already-loaded call and approval run, so checking a whole list costs no query
per row.
"""

import rules

from organisations.models import AssociationRole, OfficialRole
from organisations.roles import roles_of
from workflow.actors import SystemActor
from workflow.chains import current_step, has_acted_in_run

Role = OfficialRole.Role


@rules.predicate
def is_system(user, application) -> bool:
    return isinstance(user, SystemActor)


@rules.predicate
def is_representative(user, application) -> bool:
    return application.association_id in roles_of(user).associations(
        AssociationRole.Role.REPRESENTATIVE
    )


def _official(role: str) -> rules.Predicate:
    def check(user, application) -> bool:
        return application.call.public_body_id in roles_of(user).public_bodies(role)

    return rules.predicate(check, name=f"is_{role}")


is_preparer = _official(Role.PREPARER)
is_decision_maker = _official(Role.DECISION_MAKER)
is_finance = _official(Role.FINANCE)


@rules.predicate
def is_official(user, application) -> bool:
    return application.call.public_body_id in roles_of(user).all_public_bodies


@rules.predicate
def acts_on_current_step(user, application) -> bool:
    """Holds the role of the step waiting in the chain, and did no earlier step of it."""
    step = current_step(application)
    if step is None:
        return False
    if application.call.public_body_id not in roles_of(user).public_bodies(step.role):
        return False
    return not has_acted_in_run(step, user)
