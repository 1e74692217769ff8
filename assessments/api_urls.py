from django.urls import path

from assessments.api import CriteriaView, ReviewersView, ReviewerView, ScoresView

urlpatterns = [
    path("calls/<str:pk>/criteria/", CriteriaView.as_view(), name="call-criteria"),
    path("calls/<str:pk>/reviewers/", ReviewersView.as_view(), name="call-reviewers"),
    path(
        "calls/<str:pk>/reviewers/<str:reviewer_pk>/",
        ReviewerView.as_view(),
        name="call-reviewer",
    ),
    path("applications/<str:pk>/scores/", ScoresView.as_view(), name="application-scores"),
]
