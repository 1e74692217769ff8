"""PASSWORD_SIGN_IN: username and password stay for the demo, and an administrator can switch
them off; the providers' buttons are on the sign-in page when configured."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw"  # tests.factories.UserFactory's


def test_the_sign_in_page_offers_the_configured_providers_and_the_form(settings):
    settings.OIDC_PROVIDERS = {"suomifi": {}, "officials": {}}

    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/?next=/accounts/me/")

    content = page.content.decode()
    assert 'href="/accounts/oidc/suomifi/?next=/accounts/me/"' in content
    assert "Sign in with Suomi.fi" in content
    assert 'href="/accounts/oidc/officials/?next=/accounts/me/"' in content
    assert 'name="password"' in content


def test_without_providers_the_page_is_the_form_alone(settings):
    settings.OIDC_PROVIDERS = {}

    content = Client().get("/accounts/login/").content.decode()

    assert "/accounts/oidc/" not in content
    assert 'name="password"' in content


def test_the_welcome_tells_how_people_sign_in_and_what_is_open_without(settings):
    settings.OIDC_PROVIDERS = {"suomifi": {}}
    with_providers = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    settings.OIDC_PROVIDERS = {}
    without = Client(HTTP_ACCEPT_LANGUAGE="fi").get("/").content.decode()

    assert "strong electronic identification" in with_providers
    assert "get their username" not in with_providers
    assert "saavat käyttäjätunnuksensa" in without
    assert 'href="/public/"' in with_providers
    assert 'href="/public/"' in without


@pytest.fixture
def password_off(settings):
    settings.PASSWORD_SIGN_IN = False
    settings.OIDC_PROVIDERS = {"suomifi": {}}
    return UserFactory(username="aino")


def test_switched_off_the_form_is_gone_and_a_posted_password_is_refused(password_off):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    page = client.get("/accounts/login/").content.decode()
    response = client.post("/accounts/login/", {"username": "aino", "password": PASSWORD})

    assert 'name="password"' not in page
    assert "Sign in with Suomi.fi" in page
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_switched_off_the_api_and_admin_sign_ins_refuse_too(password_off):
    client = Client()

    session_login = client.post("/api-auth/login/", {"username": "aino", "password": PASSWORD})
    admin_login = client.post("/admin/login/", {"username": "aino", "password": PASSWORD})
    token = client.post(
        "/api/v1/auth/token/",
        {"username": "aino", "password": PASSWORD},
        content_type="application/json",
    )

    assert session_login.status_code == 200
    assert admin_login.status_code == 200
    assert token.status_code == 400
    assert "_auth_user_id" not in client.session


def test_switched_on_a_password_signs_in(settings):
    UserFactory(username="aino")
    client = Client()

    response = client.post("/accounts/login/", {"username": "aino", "password": PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" in client.session
