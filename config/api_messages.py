"""Django REST framework's own validation messages that its Finnish and Swedish catalogues
leave in English (they cover about two thirds of its strings).

DRF looks each one up with gettext by this same text when it answers, so a translation in the
project's catalogue (locale/) is the one served. Naming them here keeps them there:
`make makemessages` drops every msgid it does not find in the project's sources.
"""

from django.utils.translation import gettext_noop

DRF_MESSAGES = (
    gettext_noop("Not a valid string."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Must be a valid UUID."),
    gettext_noop("Invalid input."),
    gettext_noop("Ensure this field has at least {min_length} elements."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("This dictionary may not be empty."),
    gettext_noop("Surrogate characters are not allowed: U+{code_point:X}."),
    gettext_noop("Datetime value out of range."),
    gettext_noop('Invalid datetime for the timezone "{timezone}".'),
    gettext_noop("Integer value too large to convert to float"),
)
