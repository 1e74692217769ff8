"""An administrator edits a form in the admin without a deploy: faults shown on the field and
nothing saved, a new version once one is in use, and a preview as the association sees it."""

import copy
import json

import pytest

from application_forms.models import FormDefinition
from tests.application_forms.forms import EVERY_TYPE, field
from tests.factories import ApplicationFactory, CallFactory, form_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(admin_user):
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])


ADD = "/admin/application_forms/formdefinition/add/"


def change_url(definition) -> str:
    return f"/admin/application_forms/formdefinition/{definition.pk}/change/"


def posted(definition_or_body, content, name="Lomake") -> dict:
    body = getattr(definition_or_body, "public_body", definition_or_body)
    return {
        "public_body": body.pk,
        "name": name,
        "content": json.dumps(content),
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }


def test_a_new_form_starts_from_the_default_and_is_saved_as_version_one(admin_client, body):
    page = admin_client.get(ADD).content.decode()
    assert "members_under_29" in page  # the default form's content to start from

    response = admin_client.post(ADD, posted(body, EVERY_TYPE, name="Kulttuuri"))

    assert response.status_code == 302
    definition = FormDefinition.objects.get(name="Kulttuuri")
    assert definition.current_version().content == EVERY_TYPE


def test_a_faulty_content_is_explained_on_the_field_and_nothing_saved(admin_client, body):
    definition = form_of(body, EVERY_TYPE)
    bad = copy.deepcopy(EVERY_TYPE)
    bad["sections"][0]["fields"].append(field("name", "short_text"))
    missing = copy.deepcopy(EVERY_TYPE)
    missing["sections"][1]["fields"].append(
        field("x", "short_text", show_if={"field": "nowhere", "equals": 1})
    )

    twice = admin_client.post(change_url(definition), posted(definition, bad))
    condition = admin_client.post(change_url(definition), posted(definition, missing))

    assert (twice.status_code, condition.status_code) == (200, 200)
    assert "section 1, field &#x27;name&#x27;: the key is used twice." in twice.content.decode()
    assert (
        "the condition names a field that is not in the form: &#x27;nowhere&#x27;"
        in condition.content.decode()
    )
    assert definition.current_version().content == EVERY_TYPE
    assert definition.versions.count() == 1
    not_json = admin_client.post(change_url(definition), {**posted(definition, {}), "content": "{"})
    assert not_json.status_code == 200
    assert definition.versions.count() == 1


def test_editing_a_form_in_use_makes_a_new_version(admin_client, body):
    definition = form_of(body, EVERY_TYPE)
    ApplicationFactory(
        call=CallFactory(public_body=body, form=definition),
        form_version=definition.current_version(),
    )
    edited = copy.deepcopy(EVERY_TYPE)
    edited["sections"][0]["fields"].append(field("added", "short_text"))

    response = admin_client.post(change_url(definition), posted(definition, edited))

    assert response.status_code == 302
    assert list(definition.versions.values_list("number", flat=True)) == [1, 2]
    assert definition.versions.get(number=1).content == EVERY_TYPE
    assert definition.current_version().content == edited


def test_the_preview_shows_the_form_as_the_association_sees_it(admin_client, body):
    definition = form_of(body, EVERY_TYPE)
    preview = f"/admin/application_forms/formdefinition/{definition.pk}/preview/"

    assert preview in admin_client.get(change_url(definition)).content.decode()
    html = admin_client.get(preview, {"language": "sv"}).content.decode()
    assert '<legend><h2 class="form-section__title">Basics (sv)</h2></legend>' in html
    assert 'name="answers.events.0.title"' in html
    assert admin_client.get(preview, {"version": "9"}).status_code == 404


def test_people_who_are_not_administrators_see_no_preview(client, body, representative):
    definition = form_of(body, EVERY_TYPE)
    client.force_login(representative)
    response = client.get(f"/admin/application_forms/formdefinition/{definition.pk}/preview/")
    assert response.status_code == 302  # to the admin's sign-in
