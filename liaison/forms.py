"""The pages' forms: planning a meeting, recording it as held with the matters raised,
cancelling it, and the response to a matter. The services check what the forms cannot (the
time to come, the associations of the body) and their errors land on these fields."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Association, PublicBody
from portal.forms import DateInput

TEXT_MAX = 50_000


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def _text(label: Any, *, required: bool = True, help_text: Any = "", rows: int = 4) -> forms.Field:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class PlanForm(forms.Form):
    public_body = forms.ModelChoiceField(
        label=_("Public body"), queryset=PublicBody.objects.none(), empty_label=None
    )
    day = forms.DateField(label=_("Date"), widget=DateInput)
    time = forms.TimeField(label=_("Starts at"), widget=TimeInput, input_formats=["%H:%M", "%H.%M"])
    place = forms.CharField(label=_("Place"), max_length=300, help_text=_("Address and room."))
    agenda = _text(
        _("Agenda"),
        help_text=_(
            "For example the residents' wellbeing, the associations' conditions for their "
            "work, and practical cooperation."
        ),
        rows=6,
    )

    def __init__(self, *args: Any, bodies: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["public_body"].queryset = PublicBody.objects.filter(pk__in=bodies)
        if len(bodies) == 1:
            self.fields["public_body"].widget = forms.HiddenInput()
            self.fields["public_body"].initial = bodies[0]

    def starts_at(self) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"]),
            timezone.get_default_timezone(),
        )


class RecordForm(forms.Form):
    minutes = _text(
        _("Minutes"),
        help_text=_("What was discussed and agreed; the invited associations read it."),
        rows=10,
    )
    public_summary = _text(
        _("Summary for the public"),
        help_text=_(
            "Published on the public pages: what was discussed, without the names of private "
            "persons."
        ),
    )
    minutes_file = forms.FileField(
        label=_("Minutes as a file"),
        required=False,
        help_text=_("PDF, Word, OpenDocument or an image; up to 10 MB."),
    )


class MatterForm(forms.Form):
    association = forms.ModelChoiceField(
        label=_("Association"),
        queryset=Association.objects.none(),
        required=False,
        empty_label=_("(no association named)"),
    )
    matter = _text(_("Matter raised"), required=False, rows=2)
    response = _text(_("Response or what was done"), required=False, rows=2)

    def __init__(self, *args: Any, associations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if associations is not None:
            self.fields["association"].queryset = associations


MatterFormSet = forms.formset_factory(MatterForm, extra=5, max_num=50)


class CancelForm(forms.Form):
    reason = _text(_("Reason"), help_text=_("The invited associations are told."), rows=3)


class RespondForm(forms.Form):
    response = _text(_("Response or what was done"), rows=3)
