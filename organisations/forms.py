from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from organisations.models import Association, User
from organisations.services import EDITABLE_FIELDS


class LanguageSelect(forms.RadioSelect):
    """Each language named in itself ("Svenska") and marked as that language, so a screen
    reader says it right on a page in another."""

    option_template_name = "organisations/widgets/language_option.html"


class PreferencesForm(forms.Form):
    """A person's own choices: the language of the service and how optional messages come."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        widget=LanguageSelect,
        help_text=_("The pages and the messages sent to you are in this language."),
    )
    notification_delivery = forms.ChoiceField(
        label=_("Optional notifications"),
        choices=User.Delivery.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Decisions, requests for completion and other legally significant messages are "
            "always sent at once."
        ),
    )


class AssociationDetailsForm(forms.ModelForm):
    """What an association's representatives keep current: where messages and letters go,
    where the money goes, the language of its matters and the consent to electronic
    notification (Act 13/2003 19 §)."""

    class Meta:
        model = Association
        fields = EDITABLE_FIELDS
        help_texts = {
            "email": _("Decisions and messages to the association go here too."),
            "street_address": _("Decisions sent by letter go to this address."),
            "accepts_electronic_notification": _(
                "Decisions are then sent by email to the representatives and to the "
                "association's address, with the decision enclosed; the association is deemed "
                "to have received a decision on the 3rd day after it was sent. Without consent "
                "decisions come by letter (the 7th day)."
            ),
        }
