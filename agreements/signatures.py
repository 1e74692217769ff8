"""Who signs a version: the signatures each side requires, who has given them, and whose
signature a person may still give. The one rule behind the `sign` transition
(agreements.effects), the version's page and the agreement document's signature slots.

Each side signs as its own rules say: the public body through its decision-makers, each
association party through the number of its authorised signatories its rules require jointly
(`AgreementParty.signatures_required`).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from agreements.rules import Side
from organisations.models import AssociationRole, OfficialRole, User
from organisations.roles import roles_of
from workflow.errors import TransitionConflict

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from agreements.models import Agreement, AgreementParty, AgreementVersion, Signature


@dataclass(frozen=True)
class SideSignatures:
    """One side's signatures on a version: the public body's (`party` None) or one
    association party's."""

    agreement: "Agreement"
    side: str
    party: "AgreementParty | None"
    required: int
    signed: tuple["Signature", ...]

    @property
    def association_id(self) -> int | None:
        return self.party.association_id if self.party is not None else None

    @property
    def name(self) -> str:
        """The party that signs: the public body or the association."""
        if self.party is None:
            return self.agreement.public_body.name
        return self.party.association.name

    @property
    def missing(self) -> int:
        return max(self.required - len(self.signed), 0)


def signature_slots(version: "AgreementVersion") -> list[SideSignatures]:
    """Each side's signatures on the version: the public body's first, then each
    association's in the parties' order. Reads the signatures and parties the caller
    prefetched, if it did."""
    agreement = version.agreement
    signed: dict[tuple[str, int | None], list[Signature]] = {}
    for signature in version.signatures.all():
        signed.setdefault((signature.side, signature.association_id), []).append(signature)
    slots = [
        SideSignatures(
            agreement,
            Side.PUBLIC_BODY,
            None,
            agreement.public_body_signatures_required,
            tuple(signed.get((Side.PUBLIC_BODY, None), ())),
        )
    ]
    for party in agreement.parties.all():
        key = (Side.ASSOCIATION, party.association_id)
        slots.append(
            SideSignatures(
                agreement,
                Side.ASSOCIATION,
                party,
                party.signatures_required,
                tuple(signed.get(key, ())),
            )
        )
    return slots


def missing_count(slots: list[SideSignatures]) -> int:
    """How many signatures the version still lacks before it comes into force."""
    return sum(slot.missing for slot in slots)


def has_signed(version: "AgreementVersion", user: Any) -> bool:
    """One signature per person on a version (the `one_signature_per_person` constraint)."""
    return any(s.signer_id == user.pk for s in version.signatures.all())


def signing_sides(version: "AgreementVersion", user: Any) -> dict[str, list[int | None]]:
    """For which side (and association) the person may sign: signatories for their
    associations, decision-makers for the public body."""
    roles = roles_of(user)
    signs_for = roles.associations(AssociationRole.Role.SIGNATORY)
    agreement = version.agreement
    sides: dict[str, list[int | None]] = {}
    associations = [a for a in agreement.association_ids if a in signs_for]
    if associations:
        sides[Side.ASSOCIATION] = associations
    if agreement.public_body_id in roles.public_bodies(OfficialRole.Role.DECISION_MAKER):
        sides[Side.PUBLIC_BODY] = [None]
    return sides


def slot_to_fill(
    slots: list[SideSignatures], sides: dict[str, list[int | None]], side: str = ""
) -> SideSignatures | None:
    """The side whose signature the person gives: of the sides they may sign for (only
    `side`, when named), the first that still lacks one; None when all of them are complete."""
    lacking = {(slot.side, slot.association_id): slot for slot in slots if slot.missing}
    for name in [side] if side else list(sides):
        for association_id in sides.get(name, []):
            if (name, association_id) in lacking:
                return lacking[(name, association_id)]
    return None


def sign_refusal(version: "AgreementVersion", user: Any) -> TransitionConflict | None:
    """Why the person, whom the `sign` transition's permission lets sign at all, has no
    signature to give (a 409), or None: signed already, or every side they sign for is
    complete. The engine reads it (workflow.transitions.REFUSAL), so `available_transitions`
    offers `sign` only to whom signing would succeed."""
    if has_signed(version, user):
        return TransitionConflict(_("You have already signed this version."), "already_signed")
    if slot_to_fill(signature_slots(version), signing_sides(version, user)) is None:
        return side_complete()
    return None


def side_complete() -> TransitionConflict:
    """The 409 of a signature for a side that has all it requires."""
    return TransitionConflict(
        _("Your side already has the signatures it requires."), "signatures_complete"
    )


def still_to_sign(slot: SideSignatures) -> "QuerySet[User]":
    """Who may still give the side's missing signatures: its signatories (the association's)
    or decision-makers (the body's) who have not signed the version."""
    if not slot.missing:
        return User.objects.none()
    if slot.party is None:
        people = User.objects.filter(
            official_roles__public_body_id=slot.agreement.public_body_id,
            official_roles__role=OfficialRole.Role.DECISION_MAKER,
        )
    else:
        people = User.objects.filter(
            association_roles__association_id=slot.association_id,
            association_roles__role=AssociationRole.Role.SIGNATORY,
        )
    signed = [s.signer_id for s in slot.signed]
    return people.filter(is_active=True).exclude(pk__in=signed).distinct().order_by("pk")
