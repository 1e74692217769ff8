"""Who holds a role: the people reminders and notices go to."""

from django.db.models import QuerySet

from organisations.models import AssociationRole, User


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
