from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from portal.portals import portals_for


def home(request: HttpRequest) -> HttpResponse:
    """The front door. Anonymous people get a welcome and the way to sign in; a person with one
    landing portal goes straight to it; several (or none) get the list of theirs."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    portals = portals_for(request.user)
    landing = [portal for portal in portals if portal.landing]
    if len(landing) == 1:
        return redirect(landing[0].url)
    return render(request, "portals.html", {"portals": portals})


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement every public-sector web service must publish
    (Act on the Provision of Digital Services 306/2019, 15 §)."""
    return render(
        request,
        "accessibility.html",
        {
            "feedback_email": settings.ACCESSIBILITY_FEEDBACK_EMAIL,
            "reviewed_on": date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_DATE),
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with an expired or missing CSRF token: say what to do, in the layout."""
    return render(request, "403_csrf.html", status=403)
