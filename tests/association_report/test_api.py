"""GET /api/v1/reports/yearly/: the report as JSON, CSV and XLSX for the body's officials."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.conftest import as_user
from tests.factories import PublicBodyFactory, grant_role

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/yearly/"


def test_the_report_as_json(api, body, people, grants_year, meetings_year):
    response = as_user(api, people["liaison"]).get(URL, {"year": 2026})

    assert response.status_code == 200
    data = response.json()
    assert (data["public_body"], data["year"]) == (body.pk, 2026)
    assert data["grants"]["total"] == {
        "applied_count": 3,
        "applied": "8200.00",
        "granted_count": 2,
        "granted": "5500.00",
        "paid": "4500.00",
    }
    assert [(r["category"], r["granted"]) for r in data["grants"]["by_category"]] == [
        ("general", "5500.00"),
        ("project", "0.00"),
    ]
    assert [r["association_name"] for r in data["grants"]["by_association"]] == [
        "Alfa ry",
        "Beta ry",
    ]
    assert Decimal(data["indicators"]["total"]["members_under_29"]) == 17
    assert data["agreements"]["total"]["agreements"] == 0
    assert data["premises"]["by_premises"] == [
        {
            "premises": grants_year["club_room"].pk,
            "premises_name": "Kerhohuone",
            "hours": "30.0",
            "value": "300.00",
        }
    ]
    assert (data["meetings"]["count"], data["meetings"]["matters_count"]) == (2, 2)
    assert data["meetings"]["held"][0]["matters"][1] == {
        "association": meetings_year.matters.get(position=2).association_id,
        "association_name": "Beta ry",
        "matter": "Avustushaun aikataulu",
        "response": "",
    }


@pytest.mark.parametrize(("kind", "start"), [("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK")])
def test_the_report_as_a_file(api, people, grants_year, kind, start):
    response = as_user(api, people["preparer"]).get(
        URL, {"year": 2026, "format": kind, "language": "sv"}
    )

    assert response.status_code == 200
    assert response.content.startswith(start)
    if kind == "xlsx":
        sheets = load_workbook(io.BytesIO(response.content)).sheetnames
        assert sheets[0] == "Bidrag per typ"
    else:
        assert "Bidrag per förening;Beta ry" in response.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"year": "x"},
        {"year": 1},
        {"year": 9999},
        {"year": 2026, "format": "pdf"},
        {"year": 2026, "public_body": "y"},
    ],
)
def test_a_bad_parameter_is_a_400(api, people, query):
    response = as_user(api, people["preparer"]).get(URL, query)

    assert response.status_code == 400


def test_another_bodys_report_is_a_404(api, people, grants_year):
    foreign = people["foreign_preparer"].official_roles.get().public_body

    response = as_user(api, people["preparer"]).get(URL, {"year": 2026, "public_body": foreign.pk})

    assert response.status_code == 404


def test_an_official_of_two_bodies_names_one(api, body, people, grants_year):
    official = grant_role(people["preparer"], PublicBodyFactory(), "preparer")
    client = as_user(api, official)

    assert client.get(URL, {"year": 2026}).status_code == 400
    named = client.get(URL, {"year": 2026, "public_body": body.pk})
    assert named.json()["grants"]["total"]["granted"] == "5500.00"


def test_association_people_and_strangers_are_refused(api, representative):
    assert as_user(api, representative).get(URL, {"year": 2026}).status_code == 403
    api.force_authenticate(user=None)
    assert api.get(URL, {"year": 2026}).status_code in (401, 403)


def test_the_schema_describes_it(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/reports/yearly/"]["get"]
    assert operation["operationId"] == "reports_yearly"
    assert {p["name"] for p in operation["parameters"]} >= {"year", "public_body", "format"}
