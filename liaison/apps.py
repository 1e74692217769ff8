from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("Liaison and association meetings")

    def ready(self) -> None:
        from django.urls import reverse

        from liaison.models import AssociationMeeting
        from workflow.deadlines import kind_register
        from workflow.links import page_register

        page_register(
            AssociationMeeting,
            association=lambda m: reverse("liaison:meeting", args=[m.pk]),
            officials=lambda m: reverse("liaison:workbench_meeting", args=[m.pk]),
        )
        kind_register("association_meeting", _("Association meeting"))
