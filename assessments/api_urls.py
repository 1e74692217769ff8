from django.urls import path

from assessments.api import CriteriaView, ScoresView

urlpatterns = [
    path("calls/<str:pk>/criteria/", CriteriaView.as_view(), name="call-criteria"),
    path("applications/<str:pk>/scores/", ScoresView.as_view(), name="application-scores"),
]
