"""Who still has to sign, as the API and the pages show it, and `sign` offered only to whom
signing would succeed (issue 17: after signing, `sign` was still offered and answered 409)."""

from datetime import date

import lxml.html
import pytest
from django.urls import reverse

from agreements.models import AgreementVersion
from agreements.portal.labels import name_of
from organisations.models import AssociationRole
from tests.agreements.builders import act, at, version_of
from tests.conftest import as_user
from tests.factories import UserFactory, represent

pytestmark = pytest.mark.django_db
DECIDED = ("propose", "accept", "submit_for_review", "record_step", "decide")
VERSIONS = "/api/v1/agreement-versions/"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(date(2026, 12, 15)), tick=False)
    return time_machine


@pytest.fixture
def approved(draft, advance, clock) -> AgreementVersion:
    return advance(version_of(draft), *DECIDED)


def test_sign_is_no_longer_offered_after_signing(api, approved, signatories):
    first = signatories[0]
    url = f"{VERSIONS}{approved.pk}/"
    assert "sign" in as_user(api, first).get(url).json()["available_transitions"]

    answer = as_user(api, first).post(f"{url}transitions/", {"transition": "sign"})
    assert answer.status_code == 200
    assert "sign" not in answer.json()["available_transitions"]
    assert "sign" not in as_user(api, first).get(url).json()["available_transitions"]
    # And what is not offered is refused as before: a 409 with its reason.
    again = as_user(api, first).post(f"{url}transitions/", {"transition": "sign"})
    assert again.status_code == 409
    assert again.json()["detail"] == "Olet jo allekirjoittanut tämän version."


def test_sign_is_not_offered_to_a_signatory_whose_side_is_complete(
    api, approved, signatories, association
):
    third = represent(UserFactory(username="signer3"), association, AssociationRole.Role.SIGNATORY)
    for signer in signatories:
        act(approved, "sign", signer)
    url = f"{VERSIONS}{approved.pk}/"
    assert "sign" not in as_user(api, third).get(url).json()["available_transitions"]
    refused = as_user(api, third).post(f"{url}transitions/", {"transition": "sign"})
    assert refused.status_code == 409


def test_the_version_says_who_still_has_to_sign_per_side(
    api, approved, signatories, people, body, association, representative
):
    first, second = signatories
    act(approved, "sign", first)
    signing = as_user(api, representative).get(f"{VERSIONS}{approved.pk}/").json()["signing"]
    assert [(s["side"], s["association"], s["required"], s["missing"]) for s in signing] == [
        ("public_body", None, 1, 1),
        ("association", association.pk, 2, 1),
    ]
    assert signing[0]["name"] == body.name
    assert [p["id"] for p in signing[0]["still_to_sign"]] == [
        people["decision_maker"].pk,
        people["decision_maker2"].pk,
    ]
    assert [p["id"] for p in signing[1]["signed"]] == [first.pk]
    assert [p["id"] for p in signing[1]["still_to_sign"]] == [second.pk]

    act(approved, "sign", second)
    act(approved, "sign", people["decision_maker"])
    signing = as_user(api, representative).get(f"{VERSIONS}{approved.pk}/").json()["signing"]
    assert [(s["missing"], s["still_to_sign"]) for s in signing] == [(0, []), (0, [])]


def test_a_draft_has_nobody_to_sign_yet(api, draft, representative, clock):
    version = version_of(draft)
    assert as_user(api, representative).get(f"{VERSIONS}{version.pk}/").json()["signing"] == []


def test_the_agreement_and_version_pages_say_who_still_has_to_sign(
    client, approved, signatories, people, draft
):
    first, second = signatories
    act(approved, "sign", first)
    client.force_login(first)
    for name, args in (
        ("partnerships:agreement", [draft.pk]),
        ("partnerships:version", [draft.pk, approved.number]),
    ):
        response = client.get(reverse(name, args=args))
        page = lxml.html.fromstring(response.content)
        rows = [
            [cell.text_content().strip() for cell in row.xpath("th|td")]
            for row in page.xpath('//table[caption[contains(., "allekirjoitusta vielä")]]/tbody/tr')
        ]
        makers = f"{name_of(people['decision_maker'])}, {name_of(people['decision_maker2'])}"
        assert [(r[0], r[3], r[4]) for r in rows] == [
            (draft.public_body.name, "1", makers),
            (draft.lead_association.name, "1", name_of(second)),
        ], name
        # `sign` is not offered to the signatory who signed.
        assert not page.xpath('//form[contains(@action, "/sign/")]')
