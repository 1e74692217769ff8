"""Caching the public pages and the open data: Cache-Control, a validator, and 304 Not Modified
when the reader's copy is still the current one (RFC 9110 13.1.2, RFC 9111).

The validator is a hash of what was rendered, so it changes with anything the page shows
(a removal of personal data, a changed amount, a renamed call) and with nothing else. The
pages carry the language switch's CSRF token, different on every response, which the hash
leaves out; that is also why a page is `private`: a shared cache must not hand one visitor's
token to another (their language switch would fail). The open data carries no token and is
`public`."""

import hashlib
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

# The masked token in the language switch's form and in htmx's headers (portal base.html).
CSRF_TOKEN = re.compile(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*')


def _etag(content: bytes) -> str:
    # Weak: two responses that differ only in the masked CSRF token are equivalent.
    digest = hashlib.sha256(CSRF_TOKEN.sub(rb"\1", content)).hexdigest()[:32]
    return f'W/"{digest}"'


def cacheable(*, public: bool) -> Callable:
    """A view whose 200 answers the reader may keep for PUBLIC_PAGES_MAX_AGE seconds and then
    revalidate with If-None-Match."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            patch_cache_control(
                response,
                public=public,
                private=not public,
                max_age=settings.PUBLIC_PAGES_MAX_AGE,
            )
            response["ETag"] = _etag(response.content)
            return get_conditional_response(request, etag=response["ETag"], response=response)

        return wrapper

    return decorator
