from django.urls import path

from grants import workbench_views

app_name = "officials"

urlpatterns = [
    path("", workbench_views.home, name="home"),
]
