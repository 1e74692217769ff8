"""Which side a person acts for on an agreement version: the association's side through its
representatives, the public body's through its liaisons."""

from typing import Any

import rules
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.rules import is_liaison, is_representative, is_signatory


class Side(models.TextChoices):
    """The two sides of an agreement. Here rather than in agreements.models so that the
    transitions' effects (imported by the models) can name them."""

    PUBLIC_BODY = "public_body", _("Public body")
    ASSOCIATION = "association", _("Association")


def _acts_for(user: Any, version: Any, side: str) -> bool:
    if side == "association":
        return is_representative(user, version)
    return is_liaison(user, version)


@rules.predicate
def is_author_side(user: Any, version: Any) -> bool:
    """Acts for the side that wrote the version."""
    return _acts_for(user, version, version.author_side)


@rules.predicate
def is_other_side(user: Any, version: Any) -> bool:
    """Acts for the side that did not write the version (and is not also its author)."""
    other = "public_body" if version.author_side == "association" else "association"
    return _acts_for(user, version, other) and not _acts_for(user, version, version.author_side)


@rules.predicate
def sees_agreement(user: Any, agreement: Any) -> bool:
    """Acts for a side that has seen the agreement: the side that created it, or either side
    once a first version was proposed (as `agreements.selectors` shows it)."""
    side = side_of(user, agreement)
    return side is not None and (agreement.shared_at is not None or side == agreement.created_side)


def side_of(user: Any, subject: Any) -> str | None:
    """The side a person acts for on an agreement (or its version); None for neither."""
    if is_representative(user, subject):
        return "association"
    if is_liaison(user, subject):
        return "public_body"
    return None


def cancelling_side(user: Any, agreement: Any) -> str:
    """The side a person acts for on a signed agreement's cancellation: the public body's
    through its liaisons, the association's through those who may sign for it (as when it
    was signed); empty for neither."""
    if is_liaison(user, agreement):
        return Side.PUBLIC_BODY
    if is_signatory(user, agreement):
        return Side.ASSOCIATION
    return ""


@rules.predicate
def proposed_cancellation(user: Any, agreement: Any) -> bool:
    """Acts for the side that proposed the agreement's cancellation."""
    side = cancelling_side(user, agreement)
    return bool(side) and side == agreement.cancellation_side


@rules.predicate
def answers_cancellation(user: Any, agreement: Any) -> bool:
    """Acts for the side asked to agree to the cancellation the other side proposed."""
    side = cancelling_side(user, agreement)
    return bool(side and agreement.cancellation_side) and side != agreement.cancellation_side
