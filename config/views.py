from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The front page until the portals arrive: where to sign in and what the API offers."""
    return render(request, "home.html")
