"""Agreement fixtures: a body's liaison and decision-makers (from `people`), an association
with a representative and two authorised signatories, and terms for a three-year agreement."""

import pytest

from agreements import scans, services
from agreements.models import Agreement, AgreementVersion
from organisations.models import AssociationRole, OfficialRole
from tests.agreements.builders import act, terms, version_of
from tests.factories import UserFactory, chain_with_steps, represent
from workflow.models import ApprovalChain


@pytest.fixture
def signatories(association):
    return [
        represent(UserFactory(username=f"signer{i}"), association, AssociationRole.Role.SIGNATORY)
        for i in (1, 2)
    ]


@pytest.fixture
def agreement_chain(body):
    return chain_with_steps(
        body,
        (OfficialRole.Role.PREPARER,),
        (OfficialRole.Role.DECISION_MAKER,),
        kind=ApprovalChain.SubjectKind.AGREEMENT_VERSION,
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
    """The draft signed on 15 December 2026 and in force from its term's first day, 1 January
    2027 (the daily scan activates it)."""
    time_machine.move_to("2026-12-15 10:00 +02:00", tick=False)
    negotiate_to_force(version_of(draft))
    time_machine.move_to("2027-01-01 10:00 +02:00", tick=False)
    assert scans.activate_signed_agreements() == 1
    return Agreement.objects.get(pk=draft.pk)


@pytest.fixture
def body_draft(body, association, people):
    """An agreement drafted by the public body's liaison (not yet shown)."""
    return services.agreement_create(
        user=people["liaison"], public_body=body, associations=[association], terms_given=terms()
    )


@pytest.fixture
def advance(people, representative, signatories, agreement_chain):
    """advance(version, "propose", "accept", ...) takes each step as the person who may on the
    version's side; "sign" collects the signatures the `draft` fixtures require (both of the
    association's signatories, then the decision-maker)."""
    step_params = {
        "submit_for_review": {"chain_id": agreement_chain.pk},
        "record_step": {"comment": "Esitän hyväksymistä."},
        "return_to_negotiation": {"comment": "Neuvotellaan vuoden 2028 rahoituksesta."},
        "decide": {"outcome": "approved", "reasons": "Tavoitteet tukevat hyvinvointisuunnitelmaa."},
        "request_rectification": {"comment": "Päätöksestä puuttuu vuoden 2028 rahoitus."},
    }

    def _actor(version: AgreementVersion, step: str):
        author = representative if version.author_side == "association" else people["liaison"]
        other = people["liaison"] if author is representative else representative
        return {
            "propose": author,
            "withdraw": author,
            "accept": other,
            "submit_for_review": people["liaison"],
            "record_step": people["preparer"],
            "return_to_negotiation": people["preparer"],
            "decide": people["decision_maker"],
            "request_rectification": representative,
        }[step]

    def _advance(version: AgreementVersion, *steps: str) -> AgreementVersion:
        for step in steps:
            if step == "sign":
                for signer in (*signatories, people["decision_maker"]):
                    version = act(version, "sign", signer)
            else:
                version = act(version, step, _actor(version, step), **step_params.get(step, {}))
        return version

    return _advance
