"""Signing in through a real OpenID Connect provider (oidc-provider in Node): a new person, a
known one, and every refusal (a wrong nonce, an expired or tampered ID token, a replayed
state) with nothing saved and a message in the person's language; signing out at the
provider."""

from datetime import timedelta
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from identity.models import Identity
from identity.services import hetu_hash
from organisations.models import User
from tests.factories import AssociationFactory, UserFactory, represent
from tests.identity.flow import at_provider, authorize, form_of, provider_browser, sign_in
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def signed_in(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def sign_ins(user: User) -> list[dict]:
    return list(
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(User),
            object_id=user.pk,
            transition="sign_in",
        ).values_list("data", flat=True)
    )


def nothing_saved() -> None:
    assert Identity.objects.count() == 0
    assert not User.objects.filter(username__startswith="suomifi-").exists()
    assert not TransitionLog.objects.filter(transition="sign_in").exists()


# --- the request -----------------------------------------------------------------------------


def test_the_authorization_request_uses_pkce_a_nonce_and_the_page_language(oidc_settings):
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")

    url = authorize(client)

    query = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{oidc_settings.url}/auth?")
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43  # base64url of a SHA-256
    assert query["nonce"][0]
    assert query["state"][0]
    assert query["ui_locales"] == ["sv"]
    assert query["redirect_uri"] == ["http://testserver/accounts/oidc/suomifi/callback/"]


def test_an_unknown_provider_is_a_404(oidc_settings):
    assert Client().get("/accounts/oidc/nobody/").status_code == 404
    assert Client().get("/accounts/oidc/officials/callback/").status_code == 404


# --- a new person, a known person ------------------------------------------------------------


def test_a_new_person_is_created_from_the_verified_claims(oidc_settings):
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")

    response = sign_in(client, "new-person")

    assert response.status_code == 302
    assert response.url == "/"
    user = signed_in(client)
    assert (user.first_name, user.last_name, user.email) == ("Uusi", "Henkilö", "uusi@example.fi")
    assert user.language == "sv"  # the claims' locale
    assert response.cookies["django_language"].value == "sv"  # kept after signing out
    assert not user.has_usable_password()
    identity = user.identities.get()
    assert (identity.provider, identity.subject) == ("suomifi", "new-person")
    # The identity code only as its keyed hash: never in clear, anywhere in the person's rows.
    assert identity.hetu_hash == hetu_hash("020202A4564") != ""
    assert "020202A4564" not in repr(list(User.objects.filter(pk=user.pk).values()))
    assert "020202A4564" not in repr(list(Identity.objects.values()))
    assert sign_ins(user) == [{"provider": "suomifi", "matched_by": "created"}]
    assert client.get("/").status_code == 200  # no roles yet: the list of portals


def test_a_known_person_is_found_by_the_subject_and_their_name_follows(oidc_settings):
    association = AssociationFactory()
    aino = represent(UserFactory(username="aino", first_name="A.", language="fi"), association)
    Identity.objects.create(
        user=aino, provider="suomifi", subject="aino-suomifi", last_sign_in_at=timezone.now()
    )
    client = Client()

    response = sign_in(client, "aino-suomifi")

    assert response.status_code == 302
    assert signed_in(client) == aino
    aino.refresh_from_db()
    assert (aino.first_name, aino.last_name) == ("Aino", "Aaltonen")
    assert aino.language == "fi"  # the person's own choice stays
    assert Identity.objects.get().hetu_hash == hetu_hash("010190-123M")
    assert User.objects.count() == 1
    assert sign_ins(aino) == [{"provider": "suomifi", "matched_by": "subject"}]
    assert client.get("/", follow=True).redirect_chain[-1] == ("/association/", 302)


def test_the_same_person_through_another_provider_is_found_by_the_keyed_hash(
    settings, oidc_settings
):
    settings.OIDC_PROVIDERS = {
        **oidc_settings.settings(),
        **oidc_settings.settings(name="officials"),
    }
    sign_in(Client(), "new-person", name="officials")
    client = Client()

    sign_in(client, "new-person", name="suomifi")

    user = signed_in(client)
    assert User.objects.count() == 1
    assert sorted(user.identities.values_list("provider", flat=True)) == ["officials", "suomifi"]
    assert sign_ins(user)[-1] == {"provider": "suomifi", "matched_by": "identity_code"}


def test_without_a_hash_key_the_identity_code_is_not_used(settings, oidc_settings):
    settings.IDENTITY_HASH_KEY = ""
    client = Client()

    sign_in(client, "new-person")

    assert signed_in(client).identities.get().hetu_hash == ""


def test_next_brings_the_person_back_to_the_page_they_wanted(oidc_settings):
    client = Client()
    url = client.get("/accounts/oidc/suomifi/?next=/accounts/me/").url

    response = client.get(at_provider(provider_browser(), url, "bertil-suomifi"))

    assert response.url == "/accounts/me/"


def test_next_to_another_site_is_ignored(oidc_settings):
    client = Client()
    url = client.get("/accounts/oidc/suomifi/?next=https://evil.example/").url

    response = client.get(at_provider(provider_browser(), url, "bertil-suomifi"))

    assert response.url == "/"


# --- refusals: nothing saved, a clear message in the person's language ----------------------


def test_a_wrong_nonce_is_refused(oidc_settings):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    callback = at_provider(provider_browser(), authorize(client), "new-person")
    # The nonce this browser's sign-in expects is not the one the provider signed into the
    # token: what a token injected from another sign-in looks like.
    session = client.session
    # A session is not iterable: its keys() is.
    key = next(k for k in session.keys() if k.startswith("_state_suomifi_"))  # noqa: SIM118
    session[key]["data"]["nonce"] = "another-nonce"
    session.save()

    response = client.get(callback)

    assert response.status_code == 400
    assert "could not be verified" in response.content.decode()
    assert signed_in(client) is None
    nothing_saved()


def test_an_expired_id_token_is_refused(oidc_settings):
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    callback = at_provider(provider_browser(), authorize(client), "new-person")

    # The provider's ID tokens live 10 minutes (provider.mjs), checked with 2 minutes' leeway.
    with time_machine.travel(timezone.now() + timedelta(minutes=13)):
        response = client.get(callback)

    assert response.status_code == 400
    assert "ei voitu varmentaa" in response.content.decode()
    assert signed_in(client) is None
    nothing_saved()


def test_a_tampered_id_token_is_refused(settings, oidc_settings, caplog):
    # This client's tokens are altered after signing (provider.mjs): the subject swapped.
    settings.OIDC_PROVIDERS = oidc_settings.settings(client_id="tamper-avustus")
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")

    response = sign_in(client, "new-person")

    assert response.status_code == 400
    assert "kunde inte verifieras" in response.content.decode()
    assert signed_in(client) is None
    nothing_saved()
    # The security log says why, and carries no token and no claim.
    refusal = next(r.getMessage() for r in caplog.records if r.name == "identity.views")
    assert "BadSignatureError" in refusal
    assert "020202A4564" not in caplog.text
    assert "eyJ" not in refusal


def test_a_replayed_state_is_refused(oidc_settings):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    callback = at_provider(provider_browser(), authorize(client), "new-person")
    assert client.get(callback).status_code == 302
    client.logout()
    before = (User.objects.count(), TransitionLog.objects.count())

    again = client.get(callback)
    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="en").get(callback)

    for response in (again, elsewhere):
        assert response.status_code == 400
        assert "already been used" in response.content.decode()
    assert signed_in(client) is None
    assert (User.objects.count(), TransitionLog.objects.count()) == before


def test_an_answer_the_browser_did_not_ask_for_is_refused(oidc_settings):
    response = Client().get("/accounts/oidc/suomifi/callback/?code=abc&state=forged")

    assert response.status_code == 400
    nothing_saved()


def test_the_person_cancelling_at_the_provider_is_refused_politely(oidc_settings):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    state = parse_qs(urlsplit(authorize(client)).query)["state"][0]

    response = client.get(f"/accounts/oidc/suomifi/callback/?error=access_denied&state={state}")

    assert response.status_code == 400
    assert "did not sign you in" in response.content.decode()
    nothing_saved()


def test_a_provider_that_does_not_answer_is_a_502_not_a_500(settings, oidc_settings):
    settings.OIDC_PROVIDERS = {
        "suomifi": {
            **oidc_settings.settings()["suomifi"],
            "discovery_url": "http://127.0.0.1:9/.well-known/openid-configuration",
        }
    }

    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/oidc/suomifi/")

    assert response.status_code == 502
    assert "did not answer" in response.content.decode()


# --- signing out -----------------------------------------------------------------------------


def test_signing_out_ends_the_session_at_the_provider_too(oidc_settings):
    browser = provider_browser()
    client = Client()
    sign_in(client, "bertil-suomifi", browser=browser)
    # While the provider's session lasts, it signs the browser in without asking.
    at_provider(browser, authorize(Client()), account=None)

    response = client.post("/accounts/logout/")

    assert signed_in(client) is None
    end_session = urlsplit(response.url)
    assert f"{end_session.scheme}://{end_session.netloc}" == oidc_settings.url
    assert parse_qs(end_session.query)["client_id"] == ["avustus"]
    assert "id_token_hint" not in parse_qs(end_session.query)
    confirm = browser.get(response.url)
    action, fields = form_of(confirm.text)
    back = browser.post(urljoin(str(confirm.url), action), data={**fields, "logout": "yes"})
    assert back.headers["location"].startswith("http://testserver/")
    # The provider asks again: its session is over.
    with pytest.raises(AssertionError, match="asked to sign in again"):
        at_provider(browser, authorize(Client()), account=None)


def test_a_password_session_signs_out_here_only(oidc_settings, django_user_model):
    user = UserFactory()
    client = Client()
    client.force_login(user)

    response = client.post("/accounts/logout/")

    assert response.url == "http://testserver/"
    assert signed_in(client) is None
