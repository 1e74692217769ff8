"""Which organisations a person acts for, in which role: read once per person and request.

Permission checks run for every row of a list (to show `available_transitions`), so the roles
are loaded with two queries the first time and then answered from memory.
"""

from dataclasses import dataclass, field

from organisations.models import AssociationRole, OfficialRole

_CACHE_ATTR = "_organisation_roles"


@dataclass(frozen=True)
class Roles:
    # role name -> ids of the associations / public bodies where the person holds it
    association: dict[str, frozenset[int]] = field(default_factory=dict)
    official: dict[str, frozenset[int]] = field(default_factory=dict)

    def associations(self, *roles: str) -> frozenset[int]:
        return frozenset().union(*(self.association.get(r, frozenset()) for r in roles))

    def public_bodies(self, *roles: str) -> frozenset[int]:
        return frozenset().union(*(self.official.get(r, frozenset()) for r in roles))

    @property
    def all_associations(self) -> frozenset[int]:
        return self.associations(*self.association)

    @property
    def all_public_bodies(self) -> frozenset[int]:
        return self.public_bodies(*self.official)


def roles_of(user) -> Roles:
    """The person's roles; empty for anonymous users and the system actor."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return Roles()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    association: dict[str, set[int]] = {}
    for role, association_id in AssociationRole.objects.filter(user=user).values_list(
        "role", "association_id"
    ):
        association.setdefault(role, set()).add(association_id)
    official: dict[str, set[int]] = {}
    for role, body_id in OfficialRole.objects.filter(user=user).values_list(
        "role", "public_body_id"
    ):
        official.setdefault(role, set()).add(body_id)
    roles = Roles(
        association={k: frozenset(v) for k, v in association.items()},
        official={k: frozenset(v) for k, v in official.items()},
    )
    setattr(user, _CACHE_ATTR, roles)
    return roles


def forget_roles(user) -> None:
    """Drop the cached roles, after they have changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
