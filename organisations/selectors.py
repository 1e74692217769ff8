"""Who holds a role: the people reminders and notices go to."""

from django.db.models import QuerySet

from organisations.models import AssociationRole, OfficialRole, User


def representatives_of(association_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        association_roles__association_id=association_id,
        association_roles__role=AssociationRole.Role.REPRESENTATIVE,
    ).distinct()


def officials_of(public_body_id: int, role: str) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, official_roles__public_body_id=public_body_id, official_roles__role=role
    ).distinct()


def representatives_by_association(association_ids: set[int]) -> dict[int, list[User]]:
    """The active representatives of many associations, in one query."""
    people: dict[int, list[User]] = {}
    for role in AssociationRole.objects.filter(
        association_id__in=association_ids,
        role=AssociationRole.Role.REPRESENTATIVE,
        user__is_active=True,
    ).select_related("user"):
        people.setdefault(role.association_id, []).append(role.user)
    return people


def officials_by_public_body(public_body_ids: set[int], role: str) -> dict[int, list[User]]:
    """The active holders of an official role in many public bodies, in one query."""
    people: dict[int, list[User]] = {}
    for held in OfficialRole.objects.filter(
        public_body_id__in=public_body_ids, role=role, user__is_active=True
    ).select_related("user"):
        people.setdefault(held.public_body_id, []).append(held.user)
    return people
