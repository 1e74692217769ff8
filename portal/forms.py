"""Form fields every portal shares."""

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

_SPACES_AND_EURO = re.compile(r"[\s\u00a0\u202f€]")
_ENGLISH_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+")

ANY_NOTATION, COMMA_DECIMAL, PAGE_NOTATION = "any", "comma_decimal", "page"


def plain_amount(text: str, language: str | None = None, *, english_thousands: bool = True) -> str:
    """An amount as people write it, made plain for Decimal: "1 234,50 €" and "1234.5" in
    any language; "1,234.50" and "1.234,50" (the last separator is the decimal one); a lone
    comma is the decimal separator, except in English thousands such as "12,500" (unless
    `english_thousands` is off)."""
    cleaned = _SPACES_AND_EURO.sub("", text)
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return cleaned.replace(thousands, "").replace(decimal, ".")
    if "," in cleaned:
        language = language or translation.get_language() or ""
        english = english_thousands and language.startswith("en")
        if english and _ENGLISH_THOUSANDS.fullmatch(cleaned):
            return cleaned.replace(",", "")
        return cleaned.replace(",", ".")
    return cleaned


class DateInput(forms.DateInput):
    """The browser's date picker; a day typed by hand (1.12.2026 or 2026-12-01) is read too,
    for a browser without one."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AmountField(forms.DecimalField):
    """A sum in euros (or another figure) as people type it, shown in the page's language: a
    text input with the phone's numeric keyboard, since a number input refuses "1 234,56".

    `notation` says how forgiving it is: ANY_NOTATION reads every way of writing an amount
    (`plain_amount`); COMMA_DECIMAL the same, but a lone comma is always the decimal one, so
    an ambiguous "1,234" is refused (three decimals) rather than read as a thousand;
    PAGE_NOTATION only the page language's own separators (spaces and "€" aside)."""

    def __init__(
        self,
        *,
        max_digits: int = 12,
        decimal_places: int = 2,
        min_value: Decimal = Decimal(0),
        notation: str = ANY_NOTATION,
        **kwargs: Any,
    ) -> None:
        self.notation = notation
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(
            max_digits=max_digits,
            decimal_places=decimal_places,
            min_value=min_value,
            localize=True,
            **kwargs,
        )

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            if self.notation == PAGE_NOTATION:
                value = _SPACES_AND_EURO.sub("", value)
            else:
                value = plain_amount(value, english_thousands=self.notation == ANY_NOTATION)
        return super().to_python(value)


def errors_apply(
    posted: forms.Form | Sequence[forms.Form],
    error: ValidationError | Mapping[str, Any],
    *,
    aliases: Mapping[str, str] | None = None,
    aside: Mapping[str, list[str]] | None = None,
) -> None:
    """A service's or transition's ValidationError (or a serializer's `errors`) as the errors
    of the forms that were posted: each message next to the field it names, in the first form
    that has it (`aliases` maps a service's name to the form's, say "file" to "files"); a name
    in `aside` into that list, for errors a page shows elsewhere (a formset's); anything else
    at the top of the first form. The one adapter every portal uses."""
    targets = [posted] if isinstance(posted, forms.Form) else list(posted)
    if isinstance(error, ValidationError):
        errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    else:
        errors = error
    for name, messages in errors.items():
        if not isinstance(messages, list | tuple):
            messages = [messages]
        messages = [str(message) for message in messages]
        name = (aliases or {}).get(name, name)
        if aside is not None and name in aside:
            aside[name].extend(messages)
            continue
        owner = next((form for form in targets if name in form.fields), None)
        if owner is None:
            targets[0].add_error(None, messages)
        else:
            owner.add_error(name, messages)
