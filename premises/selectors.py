"""Reads of the catalogue: what anyone may see (the active entries) and what an official
administers (their bodies' entries)."""

from typing import Any

from django.db.models import QuerySet

from organisations.roles import roles_of
from premises.models import Premises


def premises_public() -> QuerySet[Premises]:
    """The active entries of every body, by body and name: the public catalogue."""
    return Premises.objects.filter(active=True).select_related("public_body")


def premises_of_official(user: Any) -> QuerySet[Premises]:
    """The entries of the bodies the person is an official of (every entry for an
    administrator)."""
    found = Premises.objects.select_related("public_body")
    if user.is_superuser:
        return found
    return found.filter(public_body_id__in=roles_of(user).all_public_bodies)
