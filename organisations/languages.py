"""Names in the language of the matter.

A record's Finnish text is its base field (`name`, `title`); its Swedish and English texts are
`<field>_sv` and `<field>_en`, blank when not given. An association's matter is handled, and
its decision written, in its language (Language Act 423/2003 10 §, docs/domain.md): every name
a decision, a message or a page states for that matter comes through `in_language`.
"""

from typing import Any

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
