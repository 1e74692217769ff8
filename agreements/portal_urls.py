from django.urls import path

from agreements import portal_views

app_name = "partnerships"

urlpatterns = [
    path("", portal_views.home, name="home"),
]
