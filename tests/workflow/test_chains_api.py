"""Approval chains carry the kind of record they review (issue 17: an agreement version could
be sent to the grants' chain); `GET /api/v1/chains/` lists those a person may choose from."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from grants.models import Application
from organisations.models import OfficialRole
from tests.conftest import as_user
from tests.factories import PublicBodyFactory, chain_with_steps
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


# --- workflow 0009: the kind of the chains that exist, from their use -----------------------

BEFORE_KIND = [("workflow", "0008_names_in_swedish_and_sections")]
AFTER_KIND = [("workflow", "0009_chain_subject_kind")]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


@pytest.mark.django_db(transaction=True)
def test_existing_chains_get_the_kind_of_their_use_and_the_migration_reverses():
    old = _migrate(BEFORE_KIND).loader.project_state(BEFORE_KIND).apps
    try:
        body = PublicBodyFactory()
        OldChain = old.get_model("workflow", "ApprovalChain")
        used = OldChain.objects.create(public_body_id=body.pk, name="A")
        OldChain.objects.create(public_body_id=body.pk, name="G")  # used by nothing
        version_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="agreements", model="agreementversion"
        )[0]
        old.get_model("workflow", "ApprovalRun").objects.create(
            content_type=version_type, object_id=1, chain=used, chain_version=1
        )

        _migrate(AFTER_KIND)
        kinds = dict(ApprovalChain.objects.values_list("name", "subject_kind"))
        assert kinds == {"A": Kind.AGREEMENT_VERSION, "G": Kind.GRANT_APPLICATION}

        _migrate(BEFORE_KIND)  # reversible: the field goes
        assert not any(
            c.name == "subject_kind"
            for c in connection.introspection.get_table_description(
                connection.cursor(), "workflow_approvalchain"
            )
        )
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
