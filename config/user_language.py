"""The person's saved language, in the portals and in the API."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from rest_framework.authentication import TokenAuthentication


def activate_user_language(request: HttpRequest, user: Any) -> None:
    """Answer in the person's saved language (`User.language`) when it is one of ours: it wins
    over the language cookie and the browser's Accept-Language, so it follows them from device
    to device and into the API."""
    language = user.language
    if language in dict(settings.LANGUAGES) and language != translation.get_language():
        translation.activate(language)
        request.LANGUAGE_CODE = language


class UserLanguageMiddleware:
    """The saved language of a person signed in with a session (the portals, the admin, the
    browsable API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_user_language(request, user)
        return self.get_response(request)


class UserLanguageTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, then the person's saved language. A token is read only when
    the view runs, after the middleware above, which saw nobody signed in."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            activate_user_language(request._request, result[0])
        return result
