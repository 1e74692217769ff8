"""The OpenAPI schema says what the API answers: each fix the schemathesis run led to, checked
on the schema itself (tests/api/test_schema_conformance.py checks real responses)."""

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

from agreements.models import Agreement, AgreementVersion, Evaluation
from grants.models import Application
from workflow.transitions import transition_names

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")


def test_every_operation_declares_the_errors_it_may_answer_with(schema):
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        expected = {"403"}
        if "{id}" in path:
            expected.add("404")
            if method in WRITES:
                expected.add("409")
        if "requestBody" in operation:
            expected |= {"400", "415"}
        assert expected <= set(responses), (method, path, sorted(responses))
        for code, response in responses.items():
            if code.startswith("4"):
                body = response["content"]["application/json"]["schema"]
                assert body == _ref("ValidationError" if code == "400" else "Error")


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("Application", "outcome"),
        ("Application", "notification_channel"),
        ("AgreementVersion", "outcome"),
        ("Agreement", "notice_given_by"),
        ("Agreement", "end_reason"),
    ],
)
def test_a_choice_not_made_yet_may_be_blank(schema, component, field):
    # Read-only model fields lose DRF's allow_blank: the schema refused the "" they answer.
    prop = schema["components"]["schemas"][component]["properties"][field]
    assert _ref("BlankEnum") in prop["oneOf"]


def test_an_agreement_not_in_force_has_no_last_day(schema):
    assert schema["components"]["schemas"]["Agreement"]["properties"]["ends_on"]["nullable"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/applications/{id}/history/",
        "/api/v1/applications/{id}/attachments/",
        "/api/v1/agreements/{id}/history/",
        "/api/v1/agreements/{id}/attachments/",
        "/api/v1/agreements/{id}/meetings/",
        "/api/v1/agreement-versions/{id}/comments/",
        "/api/v1/agreement-versions/{id}/diff/",
        "/api/v1/agreement-versions/{id}/history/",
        "/api/v1/evaluations/{id}/history/",
    ],
)
def test_a_records_own_list_is_a_plain_array(schema, path):
    get = schema["paths"][path]["get"]
    assert get["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    assert not {"limit", "offset"} & {p["name"] for p in get.get("parameters", [])}


@pytest.mark.parametrize(
    ("path", "component"),
    [
        ("/api/v1/applications/{id}/attachments/", "Attachment"),
        ("/api/v1/agreements/{id}/attachments/", "AgreementAttachment"),
        ("/api/v1/agreement-versions/{id}/comments/", "Comment"),
    ],
)
def test_adding_to_a_records_list_answers_201_with_the_new_entry(schema, path, component):
    responses = schema["paths"][path]["post"]["responses"]
    assert "200" not in responses
    assert responses["201"]["content"]["application/json"]["schema"] == _ref(component)


@pytest.mark.parametrize("model", [Application, Agreement, AgreementVersion, Evaluation])
def test_the_transitions_body_names_each_transition(schema, model):
    name = model.__name__
    request = schema["components"]["schemas"][f"{name}TransitionRequest"]
    mapping = request["discriminator"]["mapping"]
    assert request["discriminator"]["propertyName"] == "transition"
    assert sorted(mapping) == transition_names(model)
    path = next(
        p
        for p in schema["paths"]
        if p.endswith("/{id}/transitions/")
        and (
            schema["paths"][p]["post"]["requestBody"]["content"]["application/json"]["schema"]
            == _ref(f"{name}TransitionRequest")
        )
    )
    ok = schema["paths"][path]["post"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == _ref(name)


def test_a_transitions_shape_carries_its_parameters(schema):
    decide = schema["components"]["schemas"]["ApplicationDecideTransitionRequest"]
    assert decide["properties"]["transition"]["allOf"] == [{"type": "string", "enum": ["decide"]}]
    assert {"transition", "outcome", "reasons"} <= set(decide["required"])
    submit = schema["components"]["schemas"]["ApplicationSubmitTransitionRequest"]
    assert set(submit["properties"]) == {"transition", "comment"}


def test_rotating_a_feed_that_is_not_yours_is_documented(schema):
    assert {"403", "404"} <= set(schema["paths"]["/api/v1/calendar/rotate/"]["post"]["responses"])


def test_documents_are_filtered_by_a_declared_application_id(schema):
    parameters = schema["paths"]["/api/v1/documents/"]["get"]["parameters"]
    application = next(p for p in parameters if p["name"] == "application")
    assert application["schema"]["type"] == "integer"
