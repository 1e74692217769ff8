"""The terms' fields are listed once (agreements.terms.TERM_FIELDS): the pages' terms form
and the difference between versions follow that list."""

from datetime import date

from agreements import terms
from agreements.portal.terms_view import TERM_LABELS
from agreements.portal_forms import TermsForm


def test_the_terms_form_has_a_field_for_each_term_and_gives_back_only_the_terms():
    form = TermsForm(
        {
            "title": "Kumppanuus",
            "purpose": "Yhteistyö",
            "starts_on": "2027-01-01",
            "ends_on": "2029-12-31",
            "public_body_responsibilities": "Tilat",
            "association_responsibilities": "Toiminta",
            "meetings_per_year": "2",
            "evaluation_every_months": "12",
            "notice_period_months": "3",
            "change_note": "Ensimmäinen versio",
        }
    )
    assert form.is_valid(), form.errors
    given = form.terms()
    assert list(given) == list(terms.TERM_FIELDS)
    assert given["starts_on"] == date(2027, 1, 1)
    assert list(TERM_LABELS) == list(terms.TERM_FIELDS)
    assert TERM_LABELS["title"] == TermsForm.base_fields["title"].label
