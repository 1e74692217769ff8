"""The official workbench: preparing and deciding applications, calls and their chains."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from config.portals import portal_required


@portal_required("officials")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "officials/home.html")
