"""Sign-in throttling with django-axes: who is signing in from where, and what a locked-out
sign-in is told."""

from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext


class SignInThrottleBackend(AxesStandaloneBackend):
    """Refuses a sign-in while its username and address are locked out.

    Every sign-in over HTTP (the portals' form, the admin's, the API's session login) passes
    its request and is throttled. A call without one (the test client's `login()`, a shell)
    is no HTTP sign-in: it is left to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the connection's own, or, behind TRUSTED_PROXY_COUNT proxies,
    the entry the outermost of them appended to X-Forwarded-For. Entries further left were
    written by the client and could be forged to escape the lockout."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """What a locked-out sign-in gets (AXES_LOCKOUT_CALLABLE): the API's JSON error for the
    API's token endpoint, the page saying how long the pause lasts everywhere else."""
    minutes = settings.AXES_COOLOFF_TIME // timedelta(minutes=1)
    if request.path.startswith("/api/"):
        message = ngettext(
            "Too many failed attempts: signing in with this username is paused for "
            "%(minutes)s minute.",
            "Too many failed attempts: signing in with this username is paused for "
            "%(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
        return JsonResponse({"detail": message}, status=429)
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"cooloff_timedelta": settings.AXES_COOLOFF_TIME},
        status=429,
    )
