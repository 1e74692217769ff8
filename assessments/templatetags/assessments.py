"""The assessment's parts of other rooms' pages, each hooked with one line:
`{% load assessments %}{% assessment_panel application %}` on the official's application page,
`{% load assessments %}{% call_criteria call %}` next to the association's form."""

from typing import Any

from django import template
from django.utils.translation import get_language

from assessments import selectors
from organisations.languages import in_language

register = template.Library()


@register.inclusion_tag("assessments/panel.html", takes_context=True)
def assessment_panel(context: Any, application: Any) -> dict[str, Any]:
    """The scores side by side, for the body's officials only; the reviewer's link to score."""
    user = context["request"].user
    if not selectors.may_see_scores(user, application):
        return {"visible": False}
    sheet = selectors.sheet(application)
    return {
        "visible": bool(sheet.criteria),
        "application": application,
        "sheet": sheet,
        "may_score": application.state in selectors.scoreable_states()
        and selectors.is_reviewer(user, application),
    }


@register.inclusion_tag("assessments/criteria.html")
def call_criteria(call: Any) -> dict[str, Any]:
    """The criteria the call publishes, for its applicants."""
    return {"criteria": selectors.criteria_of(call.pk) if call is not None else []}


@register.filter
def localized(record: Any, field: str) -> str:
    """`record.<field>` in the page's language (organisations.languages.in_language)."""
    return in_language(record, field, (get_language() or "fi")[:2])
