from django.urls import path

from documents import finance_views

app_name = "finance"

urlpatterns = [
    path("", finance_views.home, name="home"),
]
