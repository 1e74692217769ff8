from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationReportConfig(AppConfig):
    name = "association_report"
    verbose_name = _("Yearly association report")
