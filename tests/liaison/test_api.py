"""`/api/v1/association-meetings/`: planning, recording and cancelling as the body's liaison;
reading as its officials and the invited associations' people; everyone else a 404 or 403,
bad input a 400, a wrong state a 409."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from liaison.models import AssociationMeeting
from tests.liaison.conftest import at

pytestmark = pytest.mark.django_db
URL = "/api/v1/association-meetings/"
TODAY = date(2027, 3, 1)


def api_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(TODAY, 9))
    return time_machine


@pytest.fixture
def planned(clock, body, people, associations):
    answer = api_of(people["liaison"]).post(
        URL,
        {
            "public_body": body.pk,
            "starts_at": "2027-03-18T18:00:00+02:00",
            "place": "Kaupungintalo",
            "agenda": "Asukkaiden hyvinvointi",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_the_liaison_plans_and_everyone_invited_reads_it(planned, people, associations):
    assert planned["state"] == "planned"
    assert {row["name"] for row in planned["invitations"]} == {
        "Föreningen Svenska",
        "Byaföreningen",
        associations["finnish"].name,
    }
    for reader in (people["preparer"], associations["rep_sv"], associations["rep"]):
        assert [m["id"] for m in api_of(reader).get(URL).json()["results"]] == [planned["id"]]
    for outsider in (people["foreign_preparer"], associations["rep_foreign"]):
        client = api_of(outsider)
        assert client.get(URL).json()["results"] == []
        assert client.get(f"{URL}{planned['id']}/").status_code == 404
        assert (
            client.post(f"{URL}{planned['id']}/cancel/", {"reason": "x"}, format="json").status_code
            == 404
        )


def test_only_the_liaison_plans_and_bad_input_is_a_400(clock, body, people, associations):
    given = {"public_body": body.pk, "starts_at": "2027-03-18T18:00:00+02:00", "place": "S"}
    assert api_of(associations["rep"]).post(URL, {**given, "agenda": "A"}).status_code == 403
    assert api_of(people["preparer"]).post(URL, {**given, "agenda": "A"}).status_code == 403
    missing = api_of(people["liaison"]).post(URL, given, format="json")
    assert missing.status_code == 400
    assert "agenda" in missing.json()
    past = api_of(people["liaison"]).post(
        URL, {**given, "agenda": "A", "starts_at": "2027-02-01T18:00:00+02:00"}, format="json"
    )
    assert past.status_code == 400
    assert "starts_at" in past.json()
    unknown = api_of(people["liaison"]).post(
        URL, {**given, "agenda": "A", "public_body": 999999}, format="json"
    )
    assert unknown.status_code == 400
    assert not AssociationMeeting.objects.exists()


def test_recording_before_the_meeting_is_a_409_and_after_it_keeps_the_matters(
    planned, clock, people, associations
):
    record = f"{URL}{planned['id']}/record/"
    body = {
        "minutes": "Muistio",
        "public_summary": "Yhteenveto",
        "matters": [{"association": associations["swedish"].pk, "matter": "Tilat"}],
    }
    liaison = api_of(people["liaison"])
    assert liaison.post(record, body, format="json").status_code == 409
    clock.move_to(at(date(2027, 3, 18), 21))
    assert api_of(associations["rep"]).post(record, body, format="json").status_code == 403
    done = liaison.post(record, body, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "held"
    assert [m["matter"] for m in done.json()["matters"]] == ["Tilat"]
    assert liaison.post(record, body, format="json").status_code == 409
    assert liaison.get(f"{URL}{planned['id']}/minutes/").status_code == 404
