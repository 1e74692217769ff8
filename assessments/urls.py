from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("applications/<int:pk>/scores/", views.score, name="score"),
    path("calls/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("calls/<int:pk>/reviewers/", views.reviewers, name="reviewers"),
    path(
        "calls/<int:pk>/reviewers/<int:reviewer_pk>/remove/",
        views.reviewer_remove,
        name="reviewer-remove",
    ),
]
