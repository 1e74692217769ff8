"""Agreement fixtures: a body's liaison and decision-makers (from `people`), an association
with a representative and two authorised signatories, and terms for a three-year agreement."""

import pytest

from agreements import services
from agreements.models import Agreement, AgreementVersion
from organisations.models import AssociationRole, OfficialRole
from tests.agreements.builders import act, terms, version_of
from tests.factories import UserFactory, chain_with_steps, represent


@pytest.fixture
def signatories(association):
    return [
        represent(UserFactory(username=f"signer{i}"), association, AssociationRole.Role.SIGNATORY)
        for i in (1, 2)
    ]


@pytest.fixture
def agreement_chain(body):
    return chain_with_steps(
        body, (OfficialRole.Role.PREPARER,), (OfficialRole.Role.DECISION_MAKER,)
    )


@pytest.fixture
def draft(body, association, representative, people):
    """An agreement drafted by the association's representative (not yet shown)."""
    return services.agreement_create(
        user=representative, public_body=body, associations=[association], terms_given=terms()
    )


@pytest.fixture
def negotiate_to_force(people, representative, signatories, agreement_chain):
    """Walk a version from draft to in force: proposed by its author, accepted by the other
    side, reviewed, approved and signed by both sides."""

    def _walk(version: AgreementVersion) -> AgreementVersion:
        author = representative if version.author_side == "association" else people["liaison"]
        other = people["liaison"] if author is representative else representative
        version = act(version, "propose", author)
        version = act(version, "accept", other)
        version = act(version, "submit_for_review", people["liaison"], chain_id=agreement_chain.pk)
        version = act(version, "record_step", people["preparer"], comment="Esitän hyväksymistä.")
        version = act(
            version, "decide", people["decision_maker"], outcome="approved", reasons="Tavoitteet."
        )
        for signer in (*signatories, people["decision_maker"]):
            version = act(version, "sign", signer)
        return version

    return _walk


@pytest.fixture
def active(draft, negotiate_to_force, time_machine):
    """The draft brought into force on 15 December 2026."""
    time_machine.move_to("2026-12-15 10:00 +02:00", tick=False)
    negotiate_to_force(version_of(draft))
    return Agreement.objects.get(pk=draft.pk)
