"""Who signs a version (agreements.signatures): the one rule the `sign` transition, the
version's page and the agreement document read."""

import pytest

from agreements.models import AgreementParty, AgreementVersion
from agreements.signatures import missing_count, signature_slots
from organisations.models import AssociationRole
from tests.agreements.builders import act, version_of
from tests.factories import AssociationFactory, UserFactory, represent
from workflow.transitions import available_transitions

V = AgreementVersion.State
DECIDED = ("propose", "accept", "submit_for_review", "record_step", "decide")
pytestmark = pytest.mark.django_db


def may_sign(user, version: AgreementVersion) -> bool:
    """Is `sign` offered to the person (the engine asks agreements.signatures.sign_refusal)?"""
    return "sign" in available_transitions(version, user)


def slots_of(version: AgreementVersion) -> list[tuple]:
    return [
        (s.side, s.association_id, s.name, s.required, [x.signer for x in s.signed], s.missing)
        for s in signature_slots(version)
    ]


def test_the_slots_list_the_body_first_then_each_party_with_who_signed(
    draft, advance, body, association, signatories, people
):
    other = AssociationFactory(name="Toinen yhdistys")
    AgreementParty.objects.create(
        agreement=draft, association=other, position=2, signatures_required=1
    )
    version = advance(version_of(draft), *DECIDED)
    assert slots_of(version) == [
        ("public_body", None, body.name, 1, [], 1),
        ("association", association.pk, association.name, 2, [], 2),
        ("association", other.pk, other.name, 1, [], 1),
    ]
    assert missing_count(signature_slots(version)) == 4

    version = act(version, "sign", signatories[0])
    version = act(version, "sign", people["decision_maker"])
    assert slots_of(version) == [
        ("public_body", None, body.name, 1, [people["decision_maker"]], 0),
        ("association", association.pk, association.name, 2, [signatories[0]], 1),
        ("association", other.pk, other.name, 1, [], 1),
    ]
    assert missing_count(signature_slots(version)) == 2


def test_sign_is_offered_to_whom_the_sign_transition_would_let_sign(
    draft, advance, association, representative, signatories, people
):
    version = advance(version_of(draft), *DECIDED)
    first, second = signatories
    assert may_sign(first, version)
    assert may_sign(people["decision_maker"], version)
    # Not a signatory, nor a decision-maker: the transition's permission refuses them.
    assert not may_sign(representative, version)

    version = act(version, "sign", first)
    # Signed already: the transition's "already_signed".
    assert not may_sign(first, version)
    version = act(version, "sign", second)
    # The association has both its signatures: the transition's "signatures_complete".
    third = represent(UserFactory(username="signer3"), association, AssociationRole.Role.SIGNATORY)
    assert not may_sign(third, version)
    assert may_sign(people["decision_maker"], version)

    version = act(version, "sign", people["decision_maker"])
    assert version.state == V.IN_FORCE
    assert not may_sign(people["decision_maker"], version)
