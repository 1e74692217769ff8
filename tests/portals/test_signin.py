"""Signing in: throttling (django-axes), the person's language, signing out."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from config.auth import client_ip
from organisations.models import User

LOGIN = "/accounts/login/"


def sign_in(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


# --- throttling ----------------------------------------------------------------------------


def fail(client: Client, username: str, times: int, **extra) -> list[int]:
    return [sign_in(client, username, "wrong", **extra).status_code for _ in range(times)]


def test_five_failures_lock_the_username_on_that_address_even_for_the_right_password(
    portal_people,
):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    assert fail(client, "aino", 5) == [200, 200, 200, 200, 429]  # the fifth locks

    response = sign_in(client, "aino", "pw")

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert "paused for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_username_and_address(portal_people):
    fail(Client(), "aino", 5)

    other_user = sign_in(Client(), "paula", "pw")
    other_address = sign_in(Client(), "aino", "pw", REMOTE_ADDR="10.0.0.9")

    assert other_user.status_code == 302
    assert other_address.status_code == 302


def test_the_lockout_ends_after_fifteen_minutes(portal_people):
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail(client, "aino", 5)
        clock.shift(timedelta(minutes=14))
        assert sign_in(client, "aino", "pw").status_code == 429  # and the wait restarts
        clock.shift(timedelta(minutes=14))
        assert sign_in(client, "aino", "pw").status_code == 429
        clock.shift(timedelta(minutes=15, seconds=1))

        response = sign_in(client, "aino", "pw")

    assert response.status_code == 302


def test_a_successful_sign_in_clears_the_count(portal_people):
    client = Client()
    assert fail(client, "aino", 4) == [200] * 4
    assert sign_in(client, "aino", "pw").status_code == 302
    client.logout()

    assert fail(client, "aino", 4) == [200] * 4

    assert sign_in(client, "aino", "pw").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_failure_limit_is_a_setting(portal_people):
    assert fail(Client(), "aino", 2) == [200, 429]


def test_the_admin_and_api_sign_ins_are_throttled_too(portal_people):
    client = Client()
    fail(client, "aino", 5)

    for path in ("/admin/login/", "/api-auth/login/"):
        response = client.post(path, {"username": "aino", "password": "pw"})
        assert response.status_code == 429, path


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "192.0.2.10"),  # no proxy: a client's header is ignored
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the entry our proxy appended
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, "", "192.0.2.10"),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_saw(proxies, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=forwarded)

    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


# --- sign in and out -----------------------------------------------------------------------


def test_signing_in_goes_to_the_persons_portal(portal_people):
    response = sign_in(Client(), "paula", "pw")

    assert response.status_code == 302
    assert response.url == "/"
    assert Client().get("/").status_code == 200  # anonymous: the welcome
    follow = sign_in(Client(), "paula", "pw", follow=True)
    assert follow.redirect_chain[-1] == ("/workbench/", 302)


def test_signing_in_returns_to_the_page_asked_for(portal_people):
    response = Client().post(
        LOGIN, {"username": "paula", "password": "pw", "next": "/partnerships/"}
    )

    assert response.url == "/partnerships/"


def test_signing_out_is_a_post_and_ends_the_session(portal_people):
    client = Client()
    sign_in(client, "paula", "pw")

    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# --- the person's language -----------------------------------------------------------------


def test_the_persons_language_is_used_from_sign_in_whatever_the_browser_says(portal_people):
    User.objects.filter(username="paula").update(language="sv")
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    assert '<html lang="fi">' in client.get(LOGIN).content.decode()

    response = sign_in(client, "paula", "pw")
    page = client.get("/workbench/")

    assert response.cookies["django_language"].value == "sv"
    assert '<html lang="sv">' in page.content.decode()
    assert "Handläggarens arbetsbord" in page.content.decode()
    assert page.headers["Content-Language"] == "sv"


def test_the_language_stays_after_signing_out(portal_people):
    User.objects.filter(username="paula").update(language="en")
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    sign_in(client, "paula", "pw")

    client.post("/accounts/logout/")

    assert '<html lang="en">' in client.get("/").content.decode()


def test_switching_language_saves_it_as_the_persons_for_every_device(portal_people):
    client = Client()
    sign_in(client, "paula", "pw")

    response = client.post("/accounts/language/", {"language": "en", "next": "/workbench/"})

    assert response.status_code == 302
    assert response.url == "/workbench/"
    assert User.objects.get(username="paula").language == "en"
    assert '<html lang="en">' in client.get("/workbench/").content.decode()
    other_device = Client(HTTP_ACCEPT_LANGUAGE="fi")
    sign_in(other_device, "paula", "pw")
    assert '<html lang="en">' in other_device.get("/workbench/").content.decode()


def test_switching_language_before_signing_in_only_sets_the_cookie(portal_people):
    client = Client()

    response = client.post("/accounts/language/", {"language": "sv", "next": LOGIN})

    assert response.cookies["django_language"].value == "sv"
    assert '<html lang="sv">' in client.get(LOGIN).content.decode()
    assert set(User.objects.values_list("language", flat=True)) == {"fi"}


def test_an_unknown_language_changes_nothing(portal_people):
    client = Client()
    sign_in(client, "paula", "pw")

    client.post("/accounts/language/", {"language": "de", "next": "/"})

    assert User.objects.get(username="paula").language == "fi"


def test_the_language_switch_refuses_get_and_foreign_next(portal_people):
    client = Client()

    assert client.get("/accounts/language/?language=sv").status_code == 405
    response = client.post(
        "/accounts/language/", {"language": "sv", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_the_preferences_form_saves_language_and_delivery(portal_people):
    client = Client()
    sign_in(client, "aino", "pw")

    response = client.post(
        "/accounts/me/", {"language": "sv", "notification_delivery": "daily_digest"}, follow=True
    )

    aino = User.objects.get(username="aino")
    assert (aino.language, aino.notification_delivery) == ("sv", "daily_digest")
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Dina inställningar har sparats." in html


def test_the_preferences_form_shows_errors_tied_to_their_fields(portal_people):
    client = Client()
    sign_in(client, "aino", "pw")

    html = client.post("/accounts/me/", {"language": "xx"}).content.decode()

    assert "data-error-summary" in html
    assert 'href="#id_language_0"' in html
    assert '<fieldset class="field field--group field--invalid"' in html
    assert 'aria-describedby="id_language_helptext id_language_error"' in html
    assert 'id="id_language_helptext"' in html
    assert 'id="id_language_error"' in html
    assert 'aria-invalid="true"' in html
