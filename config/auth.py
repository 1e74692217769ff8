"""Sign-in throttling with django-axes: who is signing in from where."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


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
