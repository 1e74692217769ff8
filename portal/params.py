"""A transition's parameters on a page, declared once: by the API's serializer.

Each subject app declares what a transition takes as a DRF serializer (`grants.serializers`,
`agreements.serializers`): the API validates a request body with it. A page's form takes its
fields from the same declaration (`param`): required or not, the limits (lengths, ranges,
digits) and the choices come from the serializer; the page adds only how the field looks (its
label, help, widget) and reads what a person types (localised amounts, a date picker), so the
person gets Django's messages on the field, in their language. What the form then passes to
the transition goes through the serializer once more (`params_validated`), so a page and the
API hand the transition exactly the same values, defaults included.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers

from portal.forms import ANY_NOTATION, AmountField, DateInput


def _declared(serializer: type[serializers.Serializer], name: str) -> serializers.Field:
    return serializer().fields[name]


def param(
    serializer: type[serializers.Serializer],
    name: str,
    *,
    label: Any,
    help_text: Any = "",
    rows: int | None = None,
    widget: forms.Widget | type[forms.Widget] | None = None,
    notation: str = ANY_NOTATION,
    choices: list[tuple[Any, Any]] | None = None,
    insist: bool = False,
) -> forms.Field:
    """The form field for the parameter `name` of `serializer`, with its required-ness, limits
    and choices. `rows` makes a text a textarea; `notation` is how an amount is read
    (`portal.forms.AmountField`); `choices` relabels the serializer's (never adds one);
    `insist` asks for an optional parameter that the transition itself refuses empty (a
    comment it needs), so the page says so before anything is sent."""
    declared = _declared(serializer, name)
    common: dict[str, Any] = {
        "label": label,
        "help_text": help_text,
        "required": declared.required or insist,
    }
    if widget is not None:
        common["widget"] = widget
    if isinstance(declared, serializers.ChoiceField):
        allowed = list(declared.choices.items())
        if choices is not None:
            unknown = {value for value, _ in choices} - set(declared.choices)
            if unknown:
                raise ValueError(f"{serializer.__name__}.{name} has no choices {unknown}")
        return forms.ChoiceField(choices=choices if choices is not None else allowed, **common)
    if isinstance(declared, serializers.DecimalField):
        return AmountField(
            max_digits=declared.max_digits,
            decimal_places=declared.decimal_places,
            min_value=declared.min_value,
            max_value=declared.max_value,
            notation=notation,
            **common,
        )
    if isinstance(declared, serializers.IntegerField):
        return forms.IntegerField(
            min_value=declared.min_value, max_value=declared.max_value, **common
        )
    if isinstance(declared, serializers.DateField):
        common.setdefault("widget", DateInput)
        return forms.DateField(**common)
    if isinstance(declared, serializers.CharField):
        if rows is not None:
            common["widget"] = forms.Textarea(attrs={"rows": rows})
        return forms.CharField(
            max_length=declared.max_length, min_length=declared.min_length, **common
        )
    raise TypeError(f"No page field for {type(declared).__name__} ({serializer.__name__}.{name})")


def params_validated(
    serializer: type[serializers.Serializer], values: Mapping[str, Any]
) -> dict[str, Any]:
    """What a form read, as the transition takes it from the API: through `serializer`, with
    its defaults for what was left empty. A value it refuses is a ValidationError naming the
    parameter, which `portal.forms.errors_apply` puts on the field of that name."""
    body = serializer(data={name: v for name, v in values.items() if v not in (None, "")})
    if not body.is_valid():
        errors = body.errors.items()
        raise ValidationError({name: [str(m) for m in _flat(found)] for name, found in errors})
    return dict(body.validated_data)


def _flat(errors: Any) -> list[Any]:
    # A nested parameter (a list of results) answers with a list or a dict of errors per item.
    if isinstance(errors, Mapping):
        return [message for value in errors.values() for message in _flat(value)]
    if isinstance(errors, list | tuple):
        return [message for value in errors for message in _flat(value)]
    return [errors]
