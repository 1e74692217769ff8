"""Answers checked on the server against a version: each type with bad input, the bounds, the
conditions, hidden questions and files. Pure functions: no database."""

from decimal import Decimal

import pytest
from django.utils import translation
from jsonschema import Draft202012Validator

from application_forms.schema import json_schema
from application_forms.validation import AnswersInvalid, AttachedFile, answers_validate
from application_forms.versions import default_content
from tests.application_forms.forms import COMPLETE, EVERY_TYPE


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


FILES = {7: AttachedFile("tilinpaatos.pdf", 900), 8: AttachedFile("kuva.png", 100)}


def refused(answers, *, amount="5000", complete=False, files=FILES) -> dict:
    with pytest.raises(AnswersInvalid) as caught:
        answers_validate(
            EVERY_TYPE,
            answers,
            requested_amount=Decimal(amount),
            attachments=files,
            complete=complete,
        )
    return caught.value.errors


def accepted(answers, *, amount="5000", complete=False) -> dict:
    return answers_validate(
        EVERY_TYPE,
        answers,
        requested_amount=Decimal(amount),
        attachments=FILES,
        complete=complete,
    )


def test_a_complete_application_is_accepted_and_empty_answers_are_left_out():
    answers = {**COMPLETE, "accounts": 7, "story": "", "groups": []}
    cleaned = accepted(answers, complete=True)
    assert "story" not in cleaned
    assert "groups" not in cleaned
    assert cleaned["events"] == COMPLETE["events"]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(json_schema(EVERY_TYPE))
    Draft202012Validator.check_schema(json_schema(default_content()))


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("name", 5, "Enter text."),
        ("name", "x" * 51, "At most 50 characters."),
        ("story", "x" * 5001, "At most 5000 characters."),
        ("score", "many", "Enter a number."),
        ("score", 11, "At most 10."),
        ("score", 1e308, "At most 10."),
        ("rent", 1200, "Enter text."),
        ("rent", "12,5", "Enter an amount in euros, with at most two decimals."),
        ("rent", "1" * 40, "At most 14 characters."),
        ("members", 2.5, "Enter a whole number."),
        ("members", -1, "At least 0."),
        ("members", 10**30, "At most 1000000000."),
        ("members", True, "Enter a whole number."),
        ("founded", "1.5.1990", "Enter a date as YYYY-MM-DD."),
        ("founded", "2026-02-30", "Enter a date as YYYY-MM-DD."),
        ("kind", "chess", "Choose one of the options."),
        ("groups", "youth", "Give a list."),
        ("groups", ["youth", "youth"], "Each option is chosen once."),
        ("groups", ["pets"], "Choose one of the options."),
        ("premises", "yes", "Answer yes or no."),
        ("accounts", "tilinpaatos.pdf", "Enter a whole number."),
        ("events", {"title": "x"}, "Give a list."),
    ],
)
def test_each_type_refuses_bad_input_under_its_path(key, value, message):
    errors = refused({**COMPLETE, key: value})
    path = "groups.0" if value == ["pets"] else key
    assert errors == {path: [message]}


def test_an_unknown_question_is_refused():
    assert refused({"bogus": 1}) == {"bogus": ["This is not a question of the form."]}


def test_answers_must_be_an_object():
    assert refused(["members", 1]) == {"": ["Give the answers as an object."]}


def test_a_table_row_is_checked_cell_by_cell_with_its_row_in_the_path():
    rows = [{"title": "Ok"}, {"title": 5, "people": "many", "extra": 1}]
    errors = refused({"events": rows})
    assert errors == {
        "events.1.extra": ["This is not a question of the form."],
        "events.1.title": ["Enter text."],
        "events.1.people": ["Enter a whole number."],
    }


def test_a_thousand_rows_are_refused_with_one_message():
    errors = refused({"events": [{"title": "x", "people": "bad"}] * 1000})
    assert errors == {"events": ["At most 5 rows."]}


def test_a_draft_needs_nothing_but_sending_needs_every_required_answer():
    assert accepted({}) == {}
    errors = refused({}, complete=True)
    assert errors == {
        "name": ["Answer this question."],
        "members": ["Answer this question."],
        "premises": ["Answer this question."],
        "accounts": ["Answer this question."],
    }


def test_a_required_column_is_required_in_every_row_when_sending():
    rows = [{"day": "2027-01-01", "title": ""}, {"title": "", "people": None}]
    errors = refused({**COMPLETE, "accounts": 7, "events": rows}, complete=True)
    assert errors == {"events.0.title": ["Answer this question."]}
    assert accepted({"events": [{"title": ""}]}) == {}


def test_a_question_shown_by_another_answer_is_required_only_when_shown():
    answers = {**COMPLETE, "accounts": 7}
    del answers["landlord"]
    assert refused(answers, complete=True) == {"landlord": ["Answer this question."]}
    accepted({**answers, "premises": False}, complete=True)


def test_an_answer_to_a_hidden_question_is_refused_even_in_a_draft():
    assert refused({"premises": False, "landlord": "Kaupunki"}) == {
        "landlord": ["Leave this empty: the question does not apply."]
    }
    assert refused({"audit": 7}, amount="10000") == {
        "audit": ["Leave this empty: the question does not apply."]
    }
    assert accepted({"audit": 7}, amount="10000.01") == {"audit": 7}


def test_a_multiple_choice_condition_requires_an_answer_when_the_option_is_chosen():
    answers = {**COMPLETE, "accounts": 7, "groups": ["youth"]}
    assert refused(answers, complete=True) == {"youth_plan": ["Answer this question."]}


def test_the_plan_is_required_over_the_requested_amount_limit():
    answers = {**COMPLETE, "accounts": 7}
    accepted(answers, amount="5000", complete=True)
    assert refused(answers, amount="5000.01", complete=True) == {"plan": ["Answer this question."]}


def test_money_over_the_fields_maximum_is_refused():
    assert refused({"rent": "5000.01"}) == {"rent": ["At most €5,000.00."]}


@pytest.mark.parametrize(
    ("attachment", "message"),
    [
        (8, "Allowed file types: pdf, xlsx."),
        (99, "The file is not an attachment of this application."),
    ],
)
def test_a_file_answer_must_be_an_own_attachment_of_an_allowed_type(attachment, message):
    assert refused({"accounts": attachment}) == {"accounts": [message]}


def test_a_file_over_the_fields_size_is_refused():
    files = {7: AttachedFile("iso.pdf", 1001)}
    assert refused({"accounts": 7}, files=files) == {
        "accounts": ["The file is larger than 1000\xa0bytes."]
    }


def test_messages_are_in_the_persons_language():
    with translation.override("fi"):
        errors = refused({"members": "many"})
    assert errors == {"members": ["Anna kokonaisluku."]}


def test_the_error_answers_as_the_api_shows_it():
    error = AnswersInvalid({"events.1.title": ["Enter text."]})
    assert error.message_dict == {"answers": {"events.1.title": ["Enter text."]}}
