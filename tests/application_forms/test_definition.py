"""A form's content is checked when it is saved: every fault named, nothing saved."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from application_forms.definition import definition_check
from application_forms.versions import default_content
from tests.application_forms.forms import EVERY_TYPE, field


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def faults(content) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        definition_check(content)
    return caught.value.messages


def with_field(extra: dict) -> dict:
    content = copy.deepcopy(EVERY_TYPE)
    content["sections"][0]["fields"].append(extra)
    return content


def test_the_form_with_every_type_and_condition_and_the_default_form_pass():
    definition_check(EVERY_TYPE)
    definition_check(default_content())


def test_the_default_form_asks_the_usual_questions_in_three_languages():
    content = default_content()
    keys = [f["key"] for s in content["sections"] for f in s["fields"]]
    for key in ("members", "members_under_29", "volunteers", "activities", "other_funding"):
        assert key in keys
    plan = next(f for s in content["sections"] for f in s["fields"] if f["key"] == "project_plan")
    assert plan["require_if"] == {"amount_over": "5000"}
    files = [f for s in content["sections"] for f in s["fields"] if f["type"] == "file"]
    assert {f["key"] for f in files} == {"accounts", "annual_report"}
    assert all(set(f["label"]) == {"fi", "sv", "en"} for f in files)


def test_an_unknown_type_is_named():
    assert faults(with_field(field("x", "colour"))) == [
        "section 1, field 'x': unknown type 'colour'; use one of short_text, long_text, "
        "number, money, count, date, choice, multiple_choice, yes_no, file, table."
    ]


def test_a_key_used_twice_is_named():
    assert faults(with_field(field("name", "short_text"))) == [
        "section 1, field 'name': the key is used twice."
    ]


def test_a_condition_naming_a_missing_field_is_named():
    content = with_field(field("x", "short_text", show_if={"field": "nowhere", "equals": 1}))
    assert faults(content) == [
        "field 'x', show_if: the condition names a field that is not in the form: 'nowhere'."
    ]


@pytest.mark.parametrize(
    ("extra", "fault"),
    [
        ({"key": "x", "type": "short_text", "label": {"fi": "x"}}, "needs a text in fi, sv and en"),
        (field("x", "short_text", colour="red"), "unknown settings: colour"),
        (field("X-1", "short_text"), "a key is lowercase letters"),
        (field("x", "short_text", max_length=10**6), "“max_length” is a whole number up to 1000"),
        (field("x", "number", max="10"), "“max” is not a number this field can hold"),
        (field("x", "choice", choices=[]), "a choice needs its options"),
        (field("x", "file", extensions=["exe"]), "“extensions” lists some of"),
        (field("x", "file", max_bytes=10**12), "“max_bytes” is at most"),
        (
            field("x", "table", max_rows=10**6, columns=[field("c", "date")]),
            "“max_rows” is a whole number",
        ),
        (field("x", "table", max_rows=3, columns=[field("f", "file")]), "unknown type 'file'"),
        (field("x", "short_text", indicator="members"), "an indicator is one of"),
        (field("x", "short_text", show_if={"field": "kind", "equals": "chess"}), "not an option"),
        (field("x", "short_text", show_if={"field": "x", "equals": 1}), "name the field itself"),
        (field("x", "short_text", require_if={"field": "events", "equals": 1}), "cannot read a"),
        (field("x", "short_text", require_if={"amount_over": "lots"}), "is an amount in euros"),
        (field("x", "short_text", require_if={"when": 1}), "a condition is"),
    ],
)
def test_each_fault_is_explained(extra, fault):
    messages = faults(with_field(extra))
    assert len(messages) == 1
    assert fault in messages[0], messages


@pytest.mark.parametrize("content", [None, [], {"sections": "x"}, {"fields": []}])
def test_a_content_that_is_not_a_form_is_refused(content):
    assert faults(content) == ["The form is an object with a list of “sections”."]
