"""Versions: edited in place until an application uses one, then the next version; an
application keeps the version it was started on; a new call copies the default form."""

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from application_forms.definition import text
from application_forms.models import FormDefinition, FormVersion
from application_forms.versions import default_content, version_save
from grants import services
from tests.application_forms.forms import EVERY_TYPE, field, words
from tests.factories import ApplicationFactory, CallFactory, PublicBodyFactory, form_of

pytestmark = pytest.mark.django_db


def changed(content: dict) -> dict:
    content = copy.deepcopy(content)
    content["sections"][0]["fields"].append(field("added", "short_text"))
    return content


def test_an_unused_version_is_edited_in_place(body):
    definition = form_of(body, EVERY_TYPE)
    version = version_save(definition, changed(EVERY_TYPE))
    assert definition.versions.count() == 1
    assert version.number == 1
    assert version.content == changed(EVERY_TYPE)


def test_a_version_in_use_is_kept_and_the_edit_makes_the_next(call, association, representative):
    call.form = form_of(call.public_body, EVERY_TYPE)
    call.save()
    application = services.application_create(
        user=representative,
        call=call,
        association=association,
        requested_amount=Decimal("1000"),
        purpose="Kerho",
        answers={"members": 10},
    )
    first = application.form_version

    second = version_save(call.form, changed(EVERY_TYPE))

    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.content == EVERY_TYPE
    application.refresh_from_db()
    assert application.form_version == first
    # The application is still read, edited and checked against its own version...
    services.application_update(application, user=representative, answers={"members": 11})
    with pytest.raises(ValidationError):
        services.application_update(application, user=representative, answers={"added": "x"})
    # ...while a new one starts on the new version.
    newer = services.application_create(
        user=representative,
        call=call,
        association=association,
        requested_amount=Decimal("1000"),
        purpose="Kerho",
        answers={"added": "x"},
    )
    assert newer.form_version == second


def test_saving_the_same_content_of_a_version_in_use_makes_no_new_one(body):
    definition = form_of(body, EVERY_TYPE)
    call = CallFactory(public_body=body, form=definition)
    ApplicationFactory(call=call, form_version=definition.current_version())
    assert version_save(definition, copy.deepcopy(EVERY_TYPE)).number == 1
    assert version_save(definition, changed(EVERY_TYPE)).number == 2


def test_a_faulty_content_saves_nothing(body):
    definition = form_of(body, EVERY_TYPE)
    bad = changed(EVERY_TYPE)
    bad["sections"][0]["fields"][-1]["type"] = "colour"
    with pytest.raises(ValidationError):
        version_save(definition, bad)
    assert list(
        FormVersion.objects.filter(definition=definition).values_list("content", flat=True)
    ) == [EVERY_TYPE]


def test_a_new_call_without_a_form_gets_its_own_copy_of_the_default(body):
    first = CallFactory(public_body=body, form=None)
    second = CallFactory(public_body=body, form=None)
    assert first.form != second.form
    assert first.form.public_body == body
    assert first.form.name == first.name
    assert first.form.current_version().content == default_content()
    # Editing one call's copy changes no other call's form.
    version_save(first.form, changed(default_content()))
    assert second.form.current_version().content == default_content()


def test_a_call_made_with_a_form_keeps_it(body):
    definition = form_of(body, EVERY_TYPE)
    call = CallFactory(public_body=body, form=definition)
    assert call.form == definition
    assert FormDefinition.objects.filter(public_body=body).count() == 1


def test_labels_follow_the_language():
    with translation.override("sv"):
        assert text(words("Events")) == "Events (sv)"
    with translation.override("de"):
        assert text(words("Events")) == "Events (fi)"


def test_a_call_cannot_use_another_bodys_form(call):
    call.form = form_of(PublicBodyFactory(), EVERY_TYPE)
    with pytest.raises(ValidationError) as caught:
        call.full_clean()
    assert "form" in caught.value.message_dict
