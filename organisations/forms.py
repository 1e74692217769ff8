from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from organisations.models import User


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
