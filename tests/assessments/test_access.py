"""Who sees and gives scores: the body's officials only. Association people and officials of
another body get the 404 of a record they cannot see (403 where the portal itself is closed
to them); a bad score is a 400 in the person's language with nothing saved."""

import pytest
from django.urls import reverse

from assessments.models import Reviewer, Score
from assessments.services import Given, scores_record
from tests.conftest import as_user
from workflow.disqualification import disqualification_declare
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(submitted, criteria, reviewers):
    scores_record(
        submitted,
        reviewer=reviewers["preparer"],
        given=[Given(criteria[0].pk, 4, "Salainen arvio"), Given(criteria[1].pk, 7)],
    )
    return submitted


def scores_url(application) -> str:
    return f"/api/v1/applications/{application.pk}/scores/"


def test_officials_of_the_body_read_the_scores_side_by_side(api, scored, people):
    response = as_user(api, people["liaison"]).get(scores_url(scored))
    assert response.status_code == 200
    assert response.json()["total"] == "75.56"
    [row] = response.json()["rows"]
    assert row["reviewer"] == people["preparer"].pk
    assert [s["value"] for s in row["scores"]] == [4, 7]


@pytest.mark.parametrize("who", ["representative", "foreign_preparer"])
def test_no_one_else_sees_or_gives_scores_through_the_api(
    api, scored, people, representative, criteria, who
):
    person = representative if who == "representative" else people[who]
    client = as_user(api, person)
    assert client.get(scores_url(scored)).status_code == 404
    body = {"scores": [{"criterion": criteria[0].pk, "value": 1}]}
    assert client.post(scores_url(scored), body, format="json").status_code == 404
    reviewers_url = f"/api/v1/calls/{scored.call_id}/reviewers/"
    assert client.get(reviewers_url).status_code == 404
    assert client.post(reviewers_url, {"user": person.pk}, format="json").status_code == 404
    assert Score.objects.count() == 2
    assert Reviewer.objects.count() == 2


def test_anonymous_people_are_refused_on_every_endpoint(api, scored):
    for url in (
        scores_url(scored),
        f"/api/v1/calls/{scored.call_id}/reviewers/",
        f"/api/v1/calls/{scored.call_id}/criteria/",
    ):
        assert api.get(url).status_code in (401, 403)


def test_a_reviewer_scores_through_the_api_and_a_bad_score_saves_nothing(
    api, submitted, criteria, reviewers
):
    client = as_user(api, reviewers["preparer2"])
    bad = {
        "scores": [
            {"criterion": criteria[0].pk, "value": 3},
            {"criterion": criteria[1].pk, "value": 11},
        ]
    }
    response = client.post(scores_url(submitted), bad, format="json", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    assert response.json()["scores.1.value"] == ["Ge poäng från 1 till 10."]
    assert not Score.objects.exists()
    good = {"scores": [{"criterion": criteria[0].pk, "value": 3, "comment": "Hyvä"}]}
    assert client.post(scores_url(submitted), good, format="json").status_code == 201
    assert Score.objects.get().comment == "Hyvä"


def test_a_disqualified_reviewer_is_refused_through_the_api(api, submitted, criteria, reviewers):
    disqualification_declare(submitted, user=reviewers["preparer"], reason="Jäsen.")
    body = {"scores": [{"criterion": criteria[0].pk, "value": 3}]}
    response = as_user(api, reviewers["preparer"]).post(scores_url(submitted), body, format="json")
    assert response.status_code == 403
    assert not Score.objects.exists()


def test_the_preparer_assigns_reviewers_and_others_of_the_body_may_not(api, call, people):
    url = f"/api/v1/calls/{call.pk}/reviewers/"
    body = {"user": people["liaison"].pk}
    assert as_user(api, people["liaison"]).post(url, body, format="json").status_code == 403
    response = as_user(api, people["preparer"]).post(url, body, format="json")
    assert response.status_code == 201
    assert response.json()["application"] is None
    assert TransitionLog.objects.filter(transition="assign_reviewer").count() == 1
    assert as_user(api, people["preparer"]).post(url, body, format="json").status_code == 400


def test_the_criteria_are_public_with_the_call(api, call, criteria, representative):
    response = as_user(api, representative).get(f"/api/v1/calls/{call.pk}/criteria/")
    assert response.status_code == 200
    assert [c["name_sv"] for c in response.json()] == ["Effekt", ""]
    assert as_user(api, representative).get("/api/v1/calls/999999/criteria/").status_code == 404


def test_the_association_sees_the_criteria_next_to_its_form_and_never_the_scores(
    client, scored, representative
):
    client.force_login(representative)
    edit = client.get(reverse("associations:apply", args=[scored.call_id]))
    assert "Vaikuttavuus" in edit.content.decode()
    page = client.get(reverse("associations:application", args=[scored.pk])).content.decode()
    assert "Salainen arvio" not in page
    for url in (
        reverse("assessments:score", args=[scored.pk]),
        reverse("assessments:ranking", args=[scored.call_id]),
    ):
        assert client.get(url).status_code == 403


def test_the_workbench_page_shows_the_scores_to_the_bodys_officials(client, scored, people):
    client.force_login(people["liaison"])
    page = client.get(reverse("officials:application", args=[scored.pk])).content.decode()
    assert "Salainen arvio" in page
    assert "75.56" in page or "75,56" in page


def test_foreign_officials_get_404_on_the_pages(client, scored, people):
    client.force_login(people["foreign_preparer"])
    for url in (
        reverse("assessments:score", args=[scored.pk]),
        reverse("assessments:ranking", args=[scored.call_id]),
    ):
        assert client.get(url).status_code == 404


def test_a_reviewer_scores_on_the_page_and_a_bad_score_comes_back_400(
    client, submitted, criteria, reviewers
):
    client.force_login(reviewers["preparer"])
    url = reverse("assessments:score", args=[submitted.pk])
    assert client.get(url).status_code == 200
    bad = {f"value_{criteria[0].pk}": "9", f"value_{criteria[1].pk}": "5"}
    assert client.post(url, bad).status_code == 400
    assert not Score.objects.exists()
    good = {f"value_{criteria[0].pk}": "5", f"value_{criteria[1].pk}": "10"}
    assert client.post(url, good).status_code == 302
    ranking = client.get(reverse("assessments:ranking", args=[submitted.call_id]))
    assert "100" in ranking.content.decode()


def test_an_official_not_assigned_has_no_scoring_page(client, submitted, criteria, reviewers):
    client.force_login(reviewers["liaison"])
    assert client.get(reverse("assessments:score", args=[submitted.pk])).status_code == 404


def test_the_preparer_assigns_a_reviewer_on_the_page(client, call, people, representative):
    url = reverse("assessments:reviewers", args=[call.pk])
    body = {"user": people["liaison"].pk}
    client.force_login(people["preparer"])
    assert client.get(url).status_code == 200
    assert client.post(url, body).status_code == 302
    assert Reviewer.objects.get().user == people["liaison"]
    assert client.post(url, body).status_code == 400
    assert client.post(url, {"user": representative.pk}).status_code == 400
    assert Reviewer.objects.count() == 1
    client.force_login(people["liaison"])
    assert client.post(url, {"user": people["finance"].pk}).status_code == 403
    client.force_login(people["foreign_preparer"])
    assert client.get(url).status_code == 404
    client.force_login(representative)
    assert client.get(url).status_code == 403
    assert Reviewer.objects.count() == 1
