from django.urls import path, re_path

from association_report import views

app_name = "report"

urlpatterns = [
    path("", views.report_page, name="yearly"),
    re_path(r"^yearly\.(?P<kind>xlsx|csv)$", views.report_export, name="export"),
]
