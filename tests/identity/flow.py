"""Driving the provider's pages as a browser would, with httpx (its own cookies: the
provider's session), and handing its answer back to the Django test client."""

import html
import re
from urllib.parse import urljoin, urlsplit

import httpx
from django.test import Client

START = "/accounts/oidc/{name}/"


def provider_browser() -> httpx.Client:
    return httpx.Client(timeout=30)


def form_of(page: str) -> tuple[str, dict[str, str]]:
    action = html.unescape(re.search(r'<form[^>]*action="([^"]+)"', page).group(1))
    fields = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(
            r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page
        )
    }
    return action, fields


def follow_to_service(browser: httpx.Client, response: httpx.Response) -> str:
    """Follows the provider's redirects until one leaves for the service (the test client's
    host); returns that URL's path and query."""
    while response.is_redirect:
        location = urljoin(str(response.url), response.headers["location"])
        if location.startswith("http://testserver"):
            parts = urlsplit(location)
            return f"{parts.path}?{parts.query}"
        response = browser.get(location)
    raise AssertionError(f"the provider did not send the browser back:\n{response.text[:2000]}")


def authorize(client: Client, name: str = "suomifi") -> str:
    """The service's redirect to the provider: the authorization request's URL."""
    response = client.get(START.format(name=name))
    assert response.status_code == 302, response.content
    return response.url


def at_provider(browser: httpx.Client, authorize_url: str, account: str | None) -> str:
    """The authorization request at the provider: signs in as `account` on its login page
    (none: the provider's session is expected to sign in without one). Returns the callback
    path the provider sends the browser back to."""
    response = browser.get(authorize_url)
    while response.is_redirect and not response.headers["location"].startswith("http://testserver"):
        response = browser.get(urljoin(str(response.url), response.headers["location"]))
    if response.is_redirect:
        return follow_to_service(browser, response)
    assert account is not None, f"the provider asked to sign in again:\n{response.text[:500]}"
    action, fields = form_of(response.text)
    response = browser.post(
        urljoin(str(response.url), action),
        data={**fields, "prompt": "login", "login": account, "password": "any"},
    )
    return follow_to_service(browser, response)


def sign_in(
    client: Client, account: str, name: str = "suomifi", browser: httpx.Client | None = None
):
    """The whole flow: the service's redirect, the provider's login, the callback."""
    callback = at_provider(browser or provider_browser(), authorize(client, name), account)
    return client.get(callback)
