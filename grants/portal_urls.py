from django.urls import path

from grants import portal_views

app_name = "associations"

urlpatterns = [
    path("", portal_views.home, name="home"),
]
