"""Signing in through the provider's own pages in Chromium, to the association's home page,
and signing out at the provider; the sign-in page with the Suomi.fi button passes axe."""

import pytest
from django.utils import timezone

from identity.models import Identity
from tests.identity.conftest import HASH_KEY
from tests.portals.conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def provider_for_live_server(settings, start_provider, live_server):
    provider = start_provider(live_server.url)
    settings.OIDC_PROVIDERS = provider.settings()
    # What config.settings.base derives from the environment's providers.
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "form-action": [*directives["form-action"], provider.url]}
    }
    settings.IDENTITY_HASH_KEY = HASH_KEY
    return provider


def test_a_representative_signs_in_with_suomifi_to_the_association_home(
    page, live_server, portal_people, provider_for_live_server
):
    Identity.objects.create(
        user=portal_people["representative"],
        provider="suomifi",
        subject="aino-suomifi",
        last_sign_in_at=timezone.now(),
    )
    page.goto("/accounts/login/")
    assert_accessible(page)

    page.get_by_role("link", name="Kirjaudu Suomi.fi-tunnistuksella").click()
    page.wait_for_url(f"{provider_for_live_server.url}/interaction/**")
    page.locator("input[name=login]").fill("aino-suomifi")
    page.locator("input[name=password]").fill("any")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/association/")

    assert page.locator("h1").inner_text() == "Yhdistysten asiointi"
    assert page.locator(".site-user").inner_text().endswith("Aino Aaltonen")

    page.locator(".site-header form.inline-form button").click()
    page.wait_for_url(f"{provider_for_live_server.url}/session/end**")
    page.locator("button[name=logout][value=yes]").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".site-user").count() == 0
    # The provider's session is over too: Suomi.fi asks again.
    page.goto("/accounts/oidc/suomifi/")
    page.wait_for_url(f"{provider_for_live_server.url}/interaction/**")


def test_a_refused_sign_in_passes_axe(page, provider_for_live_server):
    page.goto("/accounts/oidc/suomifi/callback/?code=abc&state=forged")

    assert page.locator("h1").inner_text() == "Kirjautuminen ei onnistunut"
    assert_accessible(page)
