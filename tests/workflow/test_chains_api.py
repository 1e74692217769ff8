"""Approval chains carry the kind of record they review (issue 17: an agreement version could
be sent to the grants' chain); `GET /api/v1/chains/` lists those a person may choose from."""

import pytest
from django.core.exceptions import ValidationError

from grants.models import Application
from organisations.models import OfficialRole
from tests.conftest import as_user
from tests.factories import chain_with_steps
from workflow.chains import run_start
from workflow.models import ApprovalChain

pytestmark = pytest.mark.django_db
Role = OfficialRole.Role
Kind = ApprovalChain.SubjectKind
CHAINS = "/api/v1/chains/"
VERSIONS = "/api/v1/agreement-versions/"


@pytest.fixture
def chains(body, people):
    foreign_body = people["foreign_preparer"].official_roles.get().public_body
    return {
        "grants": chain_with_steps(body, (Role.PREPARER,), (Role.DECISION_MAKER,)),
        "agreements": chain_with_steps(
            body, (Role.PREPARER,), (Role.DECISION_MAKER,), kind=Kind.AGREEMENT_VERSION
        ),
        "foreign": chain_with_steps(foreign_body, (Role.DECISION_MAKER,)),
    }


def ids(answer) -> list[int]:
    assert answer.status_code == 200, answer.content
    return sorted(row["id"] for row in answer.json()["results"])


def test_an_official_lists_the_chains_of_their_body_of_each_kind(api, people, chains):
    liaison = as_user(api, people["liaison"])
    assert ids(liaison.get(CHAINS)) == sorted([chains["grants"].pk, chains["agreements"].pk])
    assert ids(liaison.get(CHAINS, {"kind": Kind.AGREEMENT_VERSION})) == [chains["agreements"].pk]
    assert ids(liaison.get(CHAINS, {"kind": Kind.GRANT_APPLICATION})) == [chains["grants"].pk]
    row = liaison.get(f"{CHAINS}{chains['agreements'].pk}/").json()
    assert row["subject_kind"] == "agreements.agreementversion"
    assert [(s["position"], s["role"]) for s in row["steps"]] == [
        (1, "preparer"),
        (2, "decision_maker"),
    ]


def test_another_bodys_chain_is_neither_listed_nor_shown(api, people, chains, representative):
    foreign = as_user(api, people["foreign_preparer"])
    assert ids(foreign.get(CHAINS)) == [chains["foreign"].pk]
    assert foreign.get(f"{CHAINS}{chains['grants'].pk}/").status_code == 404
    assert as_user(api, people["liaison"]).get(f"{CHAINS}{chains['foreign'].pk}/").status_code == (
        404
    )
    # An association's people choose no chains.
    assert ids(as_user(api, representative).get(CHAINS)) == []


@pytest.mark.parametrize("query", [{"kind": "grants"}, {"kind": "agreements"}])
def test_an_unknown_kind_is_a_400(api, people, chains, query):
    answer = as_user(api, people["liaison"]).get(CHAINS, query)
    assert answer.status_code == 400
    assert "kind" in answer.json()


def test_a_malformed_id_is_a_404(api, people, chains):
    assert as_user(api, people["liaison"]).get(f"{CHAINS}1.5/").status_code == 404


def test_the_agreements_chain_is_refused_for_a_grant_application(chains):
    """The engine refuses a chain of another kind whatever the record (workflow.chains)."""
    with pytest.raises(ValidationError) as refused:
        run_start(Application(pk=1), chains["agreements"], amount=0)
    assert "chain" in refused.value.message_dict
