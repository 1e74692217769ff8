"""The sign-in page's ways in: `{% load identity %}{% sign_in_options as options %}`."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class Provider:
    name: str
    label: str


def _label(name: str) -> str:
    if name == "suomifi":
        return _("Sign in with Suomi.fi")
    return _("Sign in with your organisation's account")


@register.simple_tag
def sign_in_options() -> dict:
    """The configured providers, Suomi.fi first, and whether the password form is on."""
    return {
        "providers": [Provider(name, _label(name)) for name in settings.OIDC_PROVIDERS],
        "password": settings.PASSWORD_SIGN_IN,
    }
