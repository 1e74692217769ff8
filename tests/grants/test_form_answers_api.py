"""A call's own form through the API: answers saved with a draft and checked against the
version it was started on, a 400 with the answer's path and nothing saved on bad input, the
call's form with its JSON Schema, and answers visible only to those who see the application."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator

from application_forms.schema import json_schema
from application_forms.versions import version_save
from grants.models import Application
from tests.application_forms.forms import COMPLETE, EVERY_TYPE, field
from tests.conftest import as_user
from tests.factories import form_of
from tests.grants.test_api import (
    PDF,
    URL,
    attachments_url,
    detail_url,
    draft_payload,
    saves_nothing,
    transitions_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def form_call(call):
    call.form = form_of(call.public_body, EVERY_TYPE)
    call.save()
    return call


@pytest.fixture
def rep_api(api, representative):
    return as_user(api, representative)


def create(rep_api, call, association, answers, **overrides):
    return rep_api.post(URL, draft_payload(call, association, answers=answers, **overrides))


def test_a_draft_is_saved_with_its_answers_and_version(rep_api, form_call, association):
    response = create(rep_api, form_call, association, {"members": 12, "events": []})

    assert response.status_code == 201, response.data
    assert response.data["answers"] == {"members": 12}
    version = form_call.form.current_version()
    assert response.data["form_version"] == version.pk
    application = Application.objects.get(pk=response.data["id"])
    assert (application.form_version, application.answers) == (version, {"members": 12})


@pytest.mark.parametrize(
    ("answers", "path"),
    [
        ({"members": "many"}, "members"),
        ({"members": 10**40}, "members"),
        ({"score": 1e300}, "score"),
        ({"name": "x" * 100_000}, "name"),
        ({"founded": "31.12.2026"}, "founded"),
        ({"groups": ["pets"]}, "groups.0"),
        ({"events": [{"title": "x"}] * 1000}, "events"),
        ({"events": [{"title": "x"}, {"title": "y", "people": -5}]}, "events.1.people"),
        ({"premises": False, "landlord": "Kaupunki"}, "landlord"),
        ({"accounts": 1}, "accounts"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_answers_are_a_400_with_their_path_and_nothing_saved(
    rep_api, form_call, association, answers, path
):
    with saves_nothing():
        response = create(rep_api, form_call, association, answers)

    assert response.status_code == 400, response.data
    assert list(response.data) == ["answers"]
    assert list(response.data["answers"]) == [path]
    assert response.data["answers"][path][0]


def test_answers_that_are_not_an_object_are_a_400(rep_api, form_call, association):
    with saves_nothing():
        response = create(rep_api, form_call, association, ["members"])
    assert response.status_code == 400
    assert "answers" in response.data


def test_a_huge_number_literal_is_a_400_not_a_500(rep_api, form_call, association):
    body = (
        f'{{"call": {form_call.pk}, "association": {association.pk}, '
        '"requested_amount": "10", "purpose": "x", '
    )
    with saves_nothing():
        response = rep_api.post(
            URL,
            body + '"answers": {"members": ' + "9" * 5000 + "}}",
            content_type="application/json",
        )
    assert response.status_code == 400


def test_an_edit_with_bad_answers_saves_nothing(rep_api, form_call, association):
    application = create(rep_api, form_call, association, {"members": 3}).data

    with saves_nothing(Application.objects.get(pk=application["id"])):
        response = rep_api.patch(
            f"{URL}{application['id']}/", {"purpose": "Uusi", "answers": {"members": -1}}
        )

    assert response.status_code == 400
    assert list(response.data["answers"]) == ["members"]


def test_sending_needs_every_required_answer_and_a_file_of_an_allowed_type(
    rep_api, form_call, association
):
    created = create(rep_api, form_call, association, {"members": 3})
    application = Application.objects.get(pk=created.data["id"])

    with saves_nothing(application):
        response = rep_api.post(transitions_url(application), {"transition": "submit"})
    assert response.status_code == 400
    # `landlord` is asked only when `premises` is yes: not yet required.
    assert set(response.data["answers"]) == {"name", "premises", "accounts"}

    # A spreadsheet named .png passes the upload's own check but not this field's types.
    png = SimpleUploadedFile("kuva.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10, "image/png")
    picture = rep_api.post(attachments_url(application), {"file": png}, format="multipart")
    assert picture.status_code == 201, picture.data
    wrong = rep_api.patch(
        detail_url(application), {"answers": {**COMPLETE, "accounts": picture.data["id"]}}
    )
    assert wrong.status_code == 400
    assert list(wrong.data["answers"]) == ["accounts"]

    accounts = SimpleUploadedFile("tilinpaatos.pdf", PDF[:900], "application/pdf")
    uploaded = rep_api.post(attachments_url(application), {"file": accounts}, format="multipart")
    answers = {**COMPLETE, "accounts": uploaded.data["id"]}
    assert rep_api.patch(detail_url(application), {"answers": answers}).status_code == 200
    sent = rep_api.post(transitions_url(application), {"transition": "submit"})
    assert sent.status_code == 200, sent.data
    assert sent.data["state"] == "submitted"


def test_an_attachment_of_another_application_is_refused(
    rep_api, form_call, association, application
):
    other = rep_api.post(
        attachments_url(application),
        {"file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
        format="multipart",
    )
    with saves_nothing():
        response = create(rep_api, form_call, association, {"accounts": other.data["id"]})
    assert list(response.data["answers"]) == ["accounts"]


def test_the_plan_is_required_over_the_amount_limit(rep_api, form_call, association):
    created = create(
        rep_api,
        form_call,
        association,
        {**COMPLETE},
        requested_amount="6000.00",
        budget_lines=[{"description": "Vuokra", "amount": "6000.00"}],
    )
    application = Application.objects.get(pk=created.data["id"])
    response = rep_api.post(transitions_url(application), {"transition": "submit"})
    assert response.status_code == 400
    assert {"plan", "accounts"} <= set(response.data["answers"])


def test_an_application_keeps_its_version_when_the_form_changes(rep_api, form_call, association):
    created = create(rep_api, form_call, association, {"members": 3})
    content = {**EVERY_TYPE, "sections": [*EVERY_TYPE["sections"]]}
    content["sections"].append({"title": EVERY_TYPE["sections"][0]["title"], "fields": []})
    content["sections"][-1]["fields"] = [field("added", "short_text")]
    newer = version_save(form_call.form, content)

    read = rep_api.get(f"{URL}{created.data['id']}/")
    assert read.data["form_version"] == created.data["form_version"] != newer.pk
    refused = rep_api.patch(f"{URL}{created.data['id']}/", {"answers": {"added": "x"}})
    assert list(refused.data["answers"]) == ["added"]
    form = rep_api.get(f"/api/v1/calls/{form_call.pk}/form/")
    assert (form.data["id"], form.data["version"]) == (newer.pk, 2)


def test_the_calls_form_endpoint_gives_the_current_version_and_its_schema(rep_api, form_call):
    response = rep_api.get(f"/api/v1/calls/{form_call.pk}/form/")

    assert response.status_code == 200, response.data
    version = form_call.form.current_version()
    assert response.data["id"] == version.pk
    assert response.data["version"] == 1
    assert response.data["content"] == EVERY_TYPE
    assert response.json()["schema"] == json_schema(EVERY_TYPE)
    assert response.data["schema"]["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_a_call_without_a_form_has_no_form_endpoint(rep_api, call):
    call.form = None
    call.save()
    assert rep_api.get(f"/api/v1/calls/{call.pk}/form/").status_code == 404


def test_another_associations_answers_are_not_shown(
    api, form_call, association, representative, foreign_representative
):
    created = create(as_user(api, representative), form_call, association, {"members": 3})

    outsider = as_user(api, foreign_representative)
    assert outsider.get(f"{URL}{created.data['id']}/").status_code == 404
    listed = outsider.get(URL).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert all(row["id"] != created.data["id"] for row in rows)
    with saves_nothing(Application.objects.get(pk=created.data["id"])):
        patched = outsider.patch(f"{URL}{created.data['id']}/", {"answers": {"members": 9}})
    assert patched.status_code == 404


def test_the_openapi_documents_the_answers_and_the_calls_form():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    application = schema["components"]["schemas"]["Application"]["properties"]
    assert application["answers"]["type"] == "object"
    assert "events.3.name" in application["answers"]["description"]
    assert application["form_version"]["readOnly"] is True
    form = schema["paths"]["/api/v1/calls/{id}/form/"]["get"]
    assert form["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FormVersion"
    }
    assert "schema" in schema["components"]["schemas"]["FormVersion"]["properties"]
