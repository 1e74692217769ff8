"""The association portal: an association's people and their applications, reports and decisions."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from config.portals import portal_required


@portal_required("associations")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "associations/home.html")
