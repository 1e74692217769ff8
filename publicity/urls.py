from django.urls import path

from publicity import liaison, premises_views, views

app_name = "public"

urlpatterns = [
    path("public/", views.home, name="home"),
    path("public/calls/<int:pk>/", views.call, name="call"),
    path("public/decisions/", views.decisions, name="decisions"),
    path("public/decisions/<int:pk>/", views.decision, name="decision"),
    path("public/support/", views.support, name="support"),
    path("public/liaison/", liaison.liaison, name="liaison"),
    path("public/premises/", premises_views.premises_list, name="premises-list"),
    path("public/premises/<int:pk>/", premises_views.premises_detail, name="premises-detail"),
    path("open/v1/grants.json", views.grants_json, name="grants-json"),
    path("open/v1/grants.csv", views.grants_csv, name="grants-csv"),
]
