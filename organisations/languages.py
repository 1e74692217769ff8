"""Names in the language of the matter.

A record's Finnish text is its base field (`name`, `title`); its Swedish and English texts are
`<field>_sv` and `<field>_en`, blank when not given. An association's matter is handled, and
its decision written, in its language (Language Act 423/2003 10 §, docs/domain.md): every name
a decision, a message or a page states for that matter comes through `in_language`.
"""

from typing import Any

from django.utils.translation import gettext as _

from organisations.models import Language

BASE_LANGUAGE = "fi"


def in_language(record: Any, field: str, language: str) -> str:
    """`record.<field>` in `language`: its `<field>_<language>` when filled, else the base text."""
    if language != BASE_LANGUAGE:
        text = getattr(record, f"{field}_{language}", "")
        if text:
            return text
    return getattr(record, field)


def missing_translations(record: Any, field: str, languages: list[str]) -> list[str]:
    """The languages among `languages` in which `record.<field>` has no text of its own."""
    return [
        language
        for language in languages
        if language != BASE_LANGUAGE and not getattr(record, f"{field}_{language}", "")
    ]


def matter_language_help(language: str, help_text: str = "") -> str:
    """A decision text field's help: the language of the matter it is written in, then the
    field's own help ("Language of the matter: Swedish. The decisive facts ...")."""
    note = _("Language of the matter: %(language)s") % {"language": Language(language).label}
    return f"{note}. {help_text}" if help_text else note


def untranslated_names(language: str, named: list[tuple[Any, str]]) -> str:
    """A warning beside a decision in `language` that names the records among `named`
    ((record, field), a record None when there is none) whose field has no text in it, so
    the document falls back to Finnish; "" when every one has."""
    missing = [
        str(record._meta.verbose_name)
        for record, field in named
        if record is not None and missing_translations(record, field, [language])
    ]
    if not missing:
        return ""
    return _(
        "No name in %(language)s yet for: %(records)s. The decision uses the Finnish name; "
        "fill it in in the admin."
    ) % {"language": Language(language).label, "records": ", ".join(missing)}
