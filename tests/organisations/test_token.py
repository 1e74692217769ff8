"""`POST /api/v1/auth/token/`: an API token for an integration, throttled like signing in."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import UserFactory
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


def ask(client: APIClient, username: str, password: str, language: str = "en"):
    return client.post(
        URL, {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE=language
    )


def test_the_right_password_gives_a_token_that_signs_the_api_in():
    person = UserFactory(username="integraatio")

    response = ask(APIClient(), "integraatio", "pw")

    assert response.status_code == 200
    token = response.data["token"]
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").data["username"] == "integraatio"
    assert ask(APIClient(), "integraatio", "pw").data["token"] == token  # the same one
    assert TransitionLog.objects.filter(object_id=person.pk, transition="issue_api_token").count()


def test_a_wrong_password_is_a_400_in_the_persons_language():
    UserFactory(username="integraatio")

    response = ask(APIClient(), "integraatio", "wrong", language="fi")

    assert response.status_code == 400
    assert "token" not in response.data
    assert response.data["detail"] == ["Väärä käyttäjätunnus tai salasana."]


def test_five_failures_pause_the_username_on_that_address_even_for_the_right_password():
    UserFactory(username="integraatio")
    client = APIClient()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        codes = [ask(client, "integraatio", "wrong").status_code for _ in range(5)]
        assert codes == [400, 400, 400, 400, 429]

        locked = ask(client, "integraatio", "pw")
        assert locked.status_code == 429
        assert "paused for 15 minutes" in locked.json()["detail"]
        assert "token" not in locked.json()

        clock.shift(timedelta(minutes=15, seconds=1))
        assert ask(client, "integraatio", "pw").status_code == 200


def test_an_inactive_person_gets_no_token():
    UserFactory(username="lahtenyt", is_active=False)
    assert ask(APIClient(), "lahtenyt", "pw").status_code == 400


@pytest.mark.parametrize("body", [{}, {"username": "x"}, {"password": "x"}, "[]"])
def test_a_malformed_request_is_a_400(body):
    response = APIClient().post(URL, body, format="json")
    assert response.status_code == 400
