"""The OpenID Connect clients, one per provider in `settings.OIDC_PROVIDERS` (Authlib).

Each client does the authorization code flow with PKCE (S256), a nonce and a state kept in
the person's session; the ID token's signature is checked against the provider's published
keys, its issuer, audience, expiry and nonce against what this service sent (OpenID Connect
Core 1.0, 3.1.3.7)."""

from functools import cache
from typing import Any

from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.http import Http404

# Every request to a provider (discovery, keys, token, userinfo) gives up after this long:
# a provider that hangs must not hold a web worker.
TIMEOUT_SECONDS = 10


def oidc_client(name: str) -> DjangoOAuth2App:
    """The client of provider `name`; a 404 for a provider that is not configured."""
    config = settings.OIDC_PROVIDERS.get(name)
    if config is None:
        raise Http404
    return _client(name, **config)


@cache
def _client(name: str, **config: Any) -> DjangoOAuth2App:
    # One per configuration: the discovery document and the keys are fetched once per process
    # (a key the provider rotates in is fetched again when a token names it).
    return OAuth().register(
        name,
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        server_metadata_url=config["discovery_url"],
        client_kwargs={
            "scope": config["scope"],
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT_SECONDS,
        },
    )
