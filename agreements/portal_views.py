"""Partnership agreements as both sides see them: terms, signatures, meetings, evaluations."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from config.portals import portal_required


@portal_required("partnerships")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "partnerships/home.html")
