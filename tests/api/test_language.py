"""The API answers a person signed in with a token in their saved language, as the portals do
for a session; an anonymous or unknown caller gets what Accept-Language asks for."""

import pytest
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MISSING = "/api/v1/applications/99999999/"


def _not_found_in(language: str) -> str:
    with translation.override(language):
        return str(translation.gettext("Not found."))


def _token_client(language: str) -> APIClient:
    client = APIClient()
    token = Token.objects.create(user=UserFactory(language=language))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.parametrize("language", ["sv", "en", "fi"])
def test_a_token_caller_is_answered_in_their_saved_language(language):
    # The browser-like header asks for something else: the saved choice wins.
    response = _token_client(language).get(MISSING, HTTP_ACCEPT_LANGUAGE="de, fi;q=0.5")

    assert response.status_code == 404
    assert response.json()["detail"] == _not_found_in(language)
    assert response["Content-Language"] == language


def test_the_translations_differ_so_the_test_above_can_fail():
    assert len({_not_found_in(language) for language in ("fi", "sv", "en")}) == 3


def test_an_unknown_token_is_refused_in_the_language_asked_for():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nosuchtoken")

    response = client.get(MISSING, HTTP_ACCEPT_LANGUAGE="sv")

    assert response.status_code == 403  # the first authenticator (session) has no challenge
    assert response["Content-Language"] == "sv"


def test_one_callers_language_does_not_stay_for_the_next():
    assert _token_client("sv").get(MISSING)["Content-Language"] == "sv"

    anonymous = APIClient().get(MISSING, HTTP_ACCEPT_LANGUAGE="en")

    assert anonymous["Content-Language"] == "en"


# --- the API's own messages -----------------------------------------------------------------
# The person's language is active before the body is read, whether they signed in with a
# token (activated by the authentication, before the view reads request.data) or a session
# (by the middleware): what came in English were messages DRF and the transitions endpoint
# wrote without gettext.

BAD_BODIES = {
    "invalid_json": ("{bad", "detail", "The request is not valid JSON (line 1, column 2)."),
    "no_data": ("null", "non_field_errors", "No data was sent."),
    "unknown_transition": ('{"transition": "fly"}', "transition", "Unknown transition: fly."),
    "not_a_string": (
        '{"transition": "submit", "comment": []}',
        "comment",
        "Not a valid string.",
    ),
}


def _session_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _in(language: str, message: str) -> str:
    if "(line" in message:
        message = "The request is not valid JSON (line %(line)s, column %(column)s)."
        with translation.override(language):
            return translation.gettext(message) % {"line": 1, "column": 2}
    if message.startswith("Unknown transition"):
        with translation.override(language):
            return translation.gettext("Unknown transition: %(name)s.") % {"name": "fly"}
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize("signed_in_with", ["token", "session"])
@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_the_api_s_own_messages_are_in_the_person_s_language(
    application, representative, language, signed_in_with, case
):
    body, field, english = BAD_BODIES[case]
    representative.language = language
    representative.save()
    if signed_in_with == "token":
        client = APIClient()
        token = Token.objects.create(user=representative)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    else:
        client = _session_client(representative)

    response = client.post(
        f"/api/v1/applications/{application.pk}/transitions/",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    message = response.json()[field]
    message = message if isinstance(message, str) else message[0]
    assert message == _in(language, english)
    assert message != english
    assert response["Content-Language"] == language
