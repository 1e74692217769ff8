from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from agreements.api import (
    AgreementMeetingViewSet,
    AgreementVersionViewSet,
    AgreementViewSet,
    EvaluationViewSet,
)
from agreements.summary_api import AgreementSummaryView
from association_report.api import YearlyReportView
from config.views import accessibility, home
from documents.api import GeneratedDocumentViewSet
from finance.api import PayableViewSet, PaymentBatchViewSet
from grants.api import ApplicationViewSet, CallViewSet, IndicatorReportView
from liaison.api import AssociationMeetingViewSet
from organisations.api import AssociationViewSet, me, token
from workflow.api import ChainViewSet
from workflow.calendar_views import CalendarFeedViewSet, calendar_feed
from workflow.inbox import NotificationViewSet

router = DefaultRouter()
router.register("calls", CallViewSet, basename="call")
router.register("applications", ApplicationViewSet, basename="application")
router.register("associations", AssociationViewSet, basename="association")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("documents", GeneratedDocumentViewSet, basename="document")
router.register("calendar", CalendarFeedViewSet, basename="calendar")
router.register("finance/payable", PayableViewSet, basename="payable")
router.register("finance/batches", PaymentBatchViewSet, basename="payment-batch")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("agreement-versions", AgreementVersionViewSet, basename="agreement-version")
router.register("agreement-meetings", AgreementMeetingViewSet, basename="agreement-meeting")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("association-meetings", AssociationMeetingViewSet, basename="association-meeting")
router.register("chains", ChainViewSet, basename="chain")

urlpatterns = [
    path("", home, name="home"),
    # Before organisations': signing in at an identity provider, and the sign-out that ends
    # the provider's session too (its `logout/` answers for `accounts:logout`).
    path("accounts/", include("identity.urls")),
    path("accounts/", include("organisations.urls")),
    path("accessibility/", accessibility, name="accessibility"),
    # Without signing in: open calls, published decisions, granted support and open data.
    path("", include("publicity.urls")),
    # The association meetings (yhdistysilta): under the workbench and the association portal.
    path("", include("liaison.urls")),
    # The portals, one URL namespace each (portal/portals.py says who may enter which).
    path("association/", include("portal.urls")),
    path("workbench/report/", include("association_report.urls")),
    path("workbench/", include("grants.workbench.urls")),
    path("workbench/assessment/", include("assessments.urls")),
    path("finance/", include("finance.urls")),
    path("partnerships/", include("agreements.portal_urls")),
    path("admin/", admin.site.urls),
    path("calendar/<slug:token>.ics", calendar_feed, name="calendar-feed"),
    path("api/v1/me/", me, name="me"),
    path("api/v1/auth/token/", token, name="api-token"),
    path(
        "api/v1/agreements-summary/",
        AgreementSummaryView.as_view(),
        name="agreements-summary",
    ),
    path("api/v1/", include("assessments.api_urls")),
    path(
        "api/v1/reports/indicators/",
        IndicatorReportView.as_view(),
        name="reports-indicators",
    ),
    path("api/v1/reports/yearly/", YearlyReportView.as_view(), name="reports-yearly"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("api-auth/", include("rest_framework.urls")),
]
