"""Signing in at an identity provider and back, and signing out of both.

A refused answer (a state already used, a token whose signature, nonce, audience or expiry
fails, a provider that does not answer) gets a page saying so in the person's language, a 4xx
or a 502, and nothing is saved."""

import logging

from authlib.common.urls import add_params_to_uri
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

# Authlib checks ID tokens with joserfc: its errors are a bad signature, a wrong nonce,
# audience or issuer, an expired token.
from joserfc.errors import JoseError
from requests import RequestException

from config.auth import client_ip
from identity.providers import oidc_client
from identity.services import SignInRefused, person_sign_in
from organisations.views import _remember_language

logger = logging.getLogger(__name__)

NEXT_KEY = "identity_next"
PROVIDER_KEY = "identity_provider"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refused(
    request: HttpRequest, message: str, status: int = 400, reason: object = ""
) -> HttpResponse:
    # For the information-security officer: which provider refused what, from where; never a
    # token or a claim (they may carry the identity code).
    logger.warning(
        "identity: sign-in refused (%s %s) from %s: %s",
        status,
        request.path,
        client_ip(request),
        f"{type(reason).__name__}: {reason}" if isinstance(reason, Exception) else reason,
    )
    return render(request, "identity/refused.html", {"message": message}, status=status)


def _unreachable(request: HttpRequest, error: Exception) -> HttpResponse:
    return _refused(
        request,
        _("The identity service did not answer. Nothing was saved; please try again shortly."),
        status=502,
        reason=error,
    )


@require_GET
def start(request: HttpRequest, provider: str) -> HttpResponse:
    """To the provider's sign-in, in the page's language, with the way back (`next`) kept."""
    client = oidc_client(provider)
    wanted = request.GET.get("next", "")
    request.session[NEXT_KEY] = (
        wanted
        if url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else ""
    )
    redirect_uri = request.build_absolute_uri(reverse("identity:callback", args=[provider]))
    try:
        return client.authorize_redirect(request, redirect_uri, ui_locales=get_language())
    except RequestException as error:
        return _unreachable(request, error)


@require_GET
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    """The provider's answer: the code exchanged (with the PKCE verifier), the ID token
    checked, the person found or created and signed in."""
    client = oidc_client(provider)
    try:
        token = client.authorize_access_token(request)
        claims = _verified_claims(client, token)
    except MismatchingStateError as error:
        # No sign-in of this browser waits for this answer: used already, or never started here.
        return _refused(
            request,
            _(
                "This sign-in has already been used or was not started in this browser. "
                "Nothing was saved; please sign in again."
            ),
            reason=error,
        )
    except OAuthError as error:
        # The provider said no (the person cancelled) or refused the code.
        return _refused(
            request,
            _("The identity service did not sign you in. Nothing was saved."),
            reason=error,
        )
    except JoseError as error:
        return _refused(
            request,
            _(
                "The identity service's answer could not be verified. Nothing was saved; "
                "please sign in again."
            ),
            reason=error,
        )
    except RequestException as error:
        return _unreachable(request, error)
    try:
        user = person_sign_in(provider, claims, language=get_language())
    except SignInRefused as refusal:
        return _refused(request, refusal.message, reason="no subject")
    wanted = request.session.pop(NEXT_KEY, "")
    login(request, user, backend=MODEL_BACKEND)
    # Remembered for signing out at the same provider; the ID token itself is not kept (it
    # may carry the identity code).
    request.session[PROVIDER_KEY] = provider
    response = redirect(wanted or settings.LOGIN_REDIRECT_URL)
    # As the password sign-in does: the person's language stays on this device after signing out.
    _remember_language(response, user.language)
    return response


def _verified_claims(client, token: dict) -> dict:
    """The ID token's claims (Authlib checked them), with the userinfo endpoint's added when
    the provider has one: its `sub` must be the token's (OpenID Connect Core 1.0, 5.3.2)."""
    claims = token.get("userinfo")
    if not claims:
        raise OAuthError(description="no ID token")
    claims = dict(claims)
    if client.load_server_metadata().get("userinfo_endpoint"):
        info = client.userinfo(token=token)
        if info.get("sub") != claims["sub"]:
            raise OAuthError(description="userinfo names another subject")
        claims = {**info, **claims}
    return claims


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Signs out here, and at the provider too when the person came through one (OpenID
    Connect RP-Initiated Logout 1.0): on a shared computer the provider's session would
    otherwise sign the next person in as this one."""
    provider = request.session.get(PROVIDER_KEY)
    logout(request)
    home = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    if provider not in settings.OIDC_PROVIDERS:
        return redirect(home)
    client = oidc_client(provider)
    try:
        end_session = client.load_server_metadata().get("end_session_endpoint")
    except RequestException:
        end_session = None
    if not end_session:
        # The provider is down or ends no sessions: signed out here all the same.
        return redirect(home)
    # By client_id rather than id_token_hint, as the ID token is not kept; no state, as the
    # way back is the front page and carries nothing to check.
    return redirect(
        add_params_to_uri(
            end_session, {"client_id": client.client_id, "post_logout_redirect_uri": home}
        )
    )
