"""Under /accounts/ (config.urls), before organisations' own: `logout/` here ends the
provider's session too, so the header's sign-out (`accounts:logout`) resolves to it."""

from django.urls import path

from identity import views

app_name = "identity"

urlpatterns = [
    path("logout/", views.sign_out, name="logout"),
    path("oidc/<slug:provider>/", views.start, name="start"),
    path("oidc/<slug:provider>/callback/", views.callback, name="callback"),
]
