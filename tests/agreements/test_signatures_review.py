"""Review as people read it (issue 17): only a chain that reviews agreement versions is
accepted for one, and the version shows its current step and who acts next."""

from datetime import date

import lxml.html
import pytest
from django.urls import reverse

from agreements.portal.labels import name_of
from organisations.models import OfficialRole
from tests.agreements.builders import act, at, version_of
from tests.conftest import as_user
from tests.factories import chain_with_steps
from workflow.models import ApprovalChain, ApprovalRun

pytestmark = pytest.mark.django_db
Role = OfficialRole.Role
VERSIONS = "/api/v1/agreement-versions/"


@pytest.fixture
def chains(body):
    return {
        "grants": chain_with_steps(body, (Role.PREPARER,), (Role.DECISION_MAKER,)),
        "agreements": chain_with_steps(
            body,
            (Role.PREPARER,),
            (Role.DECISION_MAKER,),
            kind=ApprovalChain.SubjectKind.AGREEMENT_VERSION,
        ),
    }


@pytest.fixture
def agreed(draft, time_machine, representative, people):
    time_machine.move_to(at(date(2026, 12, 15)), tick=False)
    version = act(version_of(draft), "propose", representative)
    return act(version, "accept", people["liaison"])


def test_the_grants_chain_is_refused_for_an_agreement_naming_it(api, people, chains, agreed):
    answer = as_user(api, people["liaison"]).post(
        f"{VERSIONS}{agreed.pk}/transitions/",
        {"transition": "submit_for_review", "chain_id": chains["grants"].pk},
    )
    assert answer.status_code == 400
    (message,) = answer.json()["chain_id"]
    assert chains["grants"].name in message
    assert "Avustushakemukset" in message  # the kind it reviews, in the person's language
    agreed.refresh_from_db()
    assert agreed.state == "agreed"
    assert not ApprovalRun.objects.exists()


def test_an_agreements_chain_is_accepted_and_the_version_shows_who_acts_next(
    api, people, chains, agreed, representative
):
    liaison = as_user(api, people["liaison"])
    answer = liaison.post(
        f"{VERSIONS}{agreed.pk}/transitions/",
        {"transition": "submit_for_review", "chain_id": chains["agreements"].pk},
    )
    assert answer.status_code == 200
    review = answer.json()["review"]
    assert (review["chain"], review["step"]["position"], review["step"]["role"]) == (
        chains["agreements"].pk,
        1,
        "preparer",
    )
    assert [p["id"] for p in review["next_actors"]] == [
        people["preparer"].pk,
        people["preparer2"].pk,
    ]
    act(agreed, "record_step", people["preparer"], comment="Esitän.")
    review = liaison.get(f"{VERSIONS}{agreed.pk}/").json()["review"]
    assert review["step"]["role"] == "decision_maker"
    assert [p["id"] for p in review["next_actors"]] == [
        people["decision_maker"].pk,
        people["decision_maker2"].pk,
    ]
    # The association does not see the body's internal steps.
    assert as_user(api, representative).get(f"{VERSIONS}{agreed.pk}/").json()["review"] is None


def test_the_version_page_shows_the_waiting_step_and_who_acts_next(
    client, people, chains, agreed, representative
):
    act(agreed, "submit_for_review", people["liaison"], chain_id=chains["agreements"].pk)
    page = reverse("partnerships:version", args=[agreed.agreement_id, agreed.number])
    client.force_login(people["liaison"])
    (waiting,) = lxml.html.fromstring(client.get(page).content).xpath('//*[@id="review-waiting"]')
    text = waiting.text_content()
    assert "Step 1" in text
    assert name_of(people["preparer"]) in text
    assert name_of(people["preparer2"]) in text
    # The association does not see the body's internal steps.
    client.force_login(representative)
    assert b'id="review-waiting"' not in client.get(page).content
