"""Who may act for an association, written once for every service that asks."""

import rules

from organisations.models import AssociationRole
from organisations.roles import roles_of


@rules.predicate
def represents(user, association) -> bool:
    return association.pk in roles_of(user).associations(AssociationRole.Role.REPRESENTATIVE)
