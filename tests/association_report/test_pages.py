"""The officials' page of the yearly report and its XLSX and CSV downloads: who may see them,
what they show, and a bad year."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.association_report.conftest import S, grant, pay
from tests.factories import AssociationFactory, CallFactory, PublicBodyFactory, grant_role

pytestmark = pytest.mark.django_db
URL = "/workbench/report/"


def signed_in(user, language: str = "fi") -> Client:
    """The person signed in, reading in `language` (their own choice wins over the browser's)."""
    user.language = language
    user.save(update_fields=["language"])
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_page_shows_the_years_figures_charts_and_downloads(people, grants_year):
    response = signed_in(people["preparer"]).get(URL, {"year": 2026})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nuorisoavustukset" in page
    assert "Alfa ry" in page
    assert "5\u202f500,00\u00a0€" in page  # granted in total, as Finnish writes it
    # The bars are images named with their figure; the same figures stand in the tables.
    assert 'role="img" aria-label="Nuorisoavustukset: myönnetty 5\u202f500,00\u00a0€"' in page
    assert "/workbench/report/yearly.xlsx?year=2026" in page
    assert 'href="/workbench/report/" aria-current="page"' in page


def test_the_page_speaks_swedish_and_english(people, grants_year):
    swedish = signed_in(people["preparer"], "sv").get(URL, {"year": 2026}).content.decode()
    english = signed_in(people["preparer"], "en").get(URL, {"year": 2026}).content.decode()

    assert "Ungdomsbidrag" in swedish
    assert "Beviljat (€)" in swedish
    assert "Granted (€)" in english
    assert "Nuorisoavustukset" in english


@pytest.mark.parametrize("year", ["abc", "0", "12345", ""])
def test_a_bad_year_is_a_400_with_the_forms_message(people, year):
    response = signed_in(people["preparer"]).get(URL, {"year": year})

    assert response.status_code == 400
    assert 'class="field__errors"' in response.content.decode()


@pytest.mark.parametrize("value", ["", "abc", "99999999999999999999999", "²"])
def test_a_body_that_is_not_a_number_is_the_default_or_a_400(people, grants_year, value):
    response = signed_in(people["preparer"]).get(URL, {"year": 2026, "body": value})

    assert response.status_code == (200 if value == "" else 400)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_bad_year_in_a_download_is_a_400(people, kind):
    response = signed_in(people["preparer"]).get(f"{URL}yearly.{kind}", {"year": "x"})

    assert response.status_code == 400


def test_another_bodys_report_is_a_404(people, grants_year):
    foreign = people["foreign_preparer"].official_roles.get().public_body
    client = signed_in(people["preparer"])

    assert client.get(URL, {"year": 2026, "body": foreign.pk}).status_code == 404
    assert client.get(f"{URL}yearly.csv", {"year": 2026, "body": foreign.pk}).status_code == 404


def test_the_foreign_official_sees_only_their_own_body(people, grants_year):
    page = signed_in(people["foreign_preparer"]).get(URL, {"year": 2026}).content.decode()

    assert "Nuorisoavustukset" not in page
    assert "9\u202f999,00\u00a0€" in page


def test_an_official_of_two_bodies_chooses_one(people, body, grants_year):
    other = PublicBodyFactory(name="Aaa kuntayhtymä")
    official = grant_role(people["preparer"], other, "preparer")
    client = signed_in(official)

    first = client.get(URL, {"year": 2026}).content.decode()
    chosen = client.get(URL, {"year": 2026, "body": body.pk}).content.decode()

    assert 'name="body"' in first
    assert "Nuorisoavustukset" not in first
    assert "Nuorisoavustukset" in chosen


def test_association_people_and_finance_are_refused(people, representative):
    assert signed_in(representative).get(URL).status_code == 403
    assert signed_in(representative).get(f"{URL}yearly.csv").status_code == 403
    assert signed_in(people["finance"]).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302  # to sign in


def test_the_xlsx_reads_back_with_a_sheet_per_section(people, grants_year):
    response = signed_in(people["preparer"], "en").get(f"{URL}yearly.xlsx", {"year": 2026})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Grants by category",
        "Grants by call",
        "Grants by association",
        "Application indicators",
        "Partnership agreements",
        "Free premises by association",
        "Free premises by premises",
        "Association meetings held",
        "Matters raised at the meetings",
    ]
    rows = list(workbook["Grants by association"].iter_rows(values_only=True))
    assert rows[0] == (
        "Association",
        "Business ID",
        "Applications",
        "Applied (€)",
        "Grants",
        "Granted (€)",
        "Paid (€)",
    )
    assert rows[1][0] == "Alfa ry"
    assert rows[1][2:] == (2, 7000, 1, 4000, 3000)
    assert rows[-1][0] == "Total"
    assert rows[-1][2:] == (3, 8200, 2, 5500, 4500)
    indicators = list(workbook["Application indicators"].iter_rows(values_only=True))
    assert indicators[-1] == ("Total", 3, 70, 17, 9, 2, 0)


def test_the_csv_is_one_line_per_figure(people, grants_year):
    response = signed_in(people["preparer"]).get(f"{URL}yearly.csv", {"year": 2026})

    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0] == ["Osio", "Nimi", "Y-tunnus", "Luku", "Arvo"]
    assert lines[next(i for i, line in enumerate(lines) if line[1] == "Alfa ry")][:2] == [
        "Avustukset yhdistyksittäin",
        "Alfa ry",
    ]
    paid = {(line[0], line[1]): line[4] for line in lines[1:] if line[3] == "Maksettu (€)"}
    assert paid[("Avustukset yhdistyksittäin", "Alfa ry")] == "3000,00"
    assert paid[("Avustukset lajeittain", "Yhteensä")] == "4500,00"
    assert 'filename="jarjestotietoraportti-' in response["Content-Disposition"]


def test_the_page_reads_in_the_same_number_of_queries_however_much_there_is(
    body, people, grants_year
):
    client = signed_in(people["preparer"])
    client.get(URL, {"year": 2026})  # the caches of roles and content types warmed

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"year": 2026}).status_code == 200
        return len(captured)

    before = queries()
    for n in range(3):
        call = CallFactory(public_body=body, name=f"Lisähaku {n}")
        application = grant(
            call,
            AssociationFactory(),
            "100.00",
            submitted=date(2026, 5, 1),
            state=S.PAID,
            decided=date(2026, 6, 1),
            outcome="approved",
            granted="100.00",
        )
        pay(application, "100.00", date(2026, 7, 1), people["finance"])

    assert queries() == before
    assert before <= 20


def test_the_page_shows_premises_and_meetings(people, grants_year, meetings_year):
    page = signed_in(people["preparer"]).get(URL, {"year": 2026}).content.decode()

    assert 'aria-label="Alfa ry: 30 tuntia"' in page  # the premises chart's bar
    assert "Kerhohuone" in page
    assert "300,00\u00a0€" in page
    assert "10.3.2026" in page
    assert "Tilavuorot iltaisin" in page
    assert "Vuoden aikana pidettiin 2 yhdistysiltaa." in page
    assert "vähintään kahdesti vuodessa" not in page


def test_fewer_than_two_meetings_are_pointed_out(people):
    page = signed_in(people["preparer"]).get(URL, {"year": 2026}).content.decode()

    assert "vähintään kahdesti vuodessa" in page


def test_the_csv_holds_the_premises_and_the_matters(people, grants_year, meetings_year):
    text = (
        signed_in(people["preparer"], "en")
        .get(f"{URL}yearly.csv", {"year": 2026})
        .content.decode("utf-8-sig")
    )
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))

    assert ["Free premises by premises", "Kerhohuone (en)", "", "Value (€)", "300,00"] in lines
    assert ["Association meetings held", "10 March 2026", "", "Matters raised", "2"] in lines
    assert [
        "Matters raised at the meetings",
        "10 March 2026",
        "",
        "Matter raised",
        "Tilavuorot iltaisin",
    ] in lines
