"""Finance: payable decisions and agreements, payments and payment batches."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from config.portals import portal_required


@portal_required("finance")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "finance/home.html")
