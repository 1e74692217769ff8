"""The version's decision form names the language of the matter beside its reasons (the lead
association's) and warns of a name the agreement document would give in Finnish."""

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from tests.agreements.builders import version_of

pytestmark = pytest.mark.django_db


def test_the_decisions_reasons_name_the_language_of_the_matter(draft, association, people, advance):
    association.language = "sv"
    association.save()
    version = advance(version_of(draft), "propose", "accept", "submit_for_review", "record_step")
    user = people["decision_maker"]
    user.language = "sv"
    user.save(update_fields=["language"])
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    client.force_login(user)

    response = client.get(reverse("partnerships:version", args=[draft.pk, version.number]))

    page = lxml.html.fromstring(response.content)
    (reasons,) = page.xpath('//*[@id="id_decide-reasons"]')
    notes = [
        page.get_element_by_id(i).text_content() for i in reasons.get("aria-describedby").split()
    ]
    assert notes[0].startswith("Ärendets språk: svenska.")
    (warning,) = page.xpath('//*[@role="note"]')
    assert "Namn på språket svenska saknas" in warning.text_content()
