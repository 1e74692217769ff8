"""The round's export with the answers: one row per submitted application with a column per
question of its form, as CSV and XLSX, for the body's officials only, in a constant number of
queries."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import Application, Attachment
from grants.rounds import RoundLine, round_propose
from organisations.models import Association
from tests.application_forms.forms import COMPLETE, EVERY_TYPE
from tests.conftest import as_user
from tests.factories import CallFactory, form_of
from tests.grants.round_helpers import submitted
from tests.grants.test_round_page import signed_in

pytestmark = pytest.mark.django_db

FIXED = [
    "Application number",
    "Association",
    "Business ID",
    "State",
    "Requested (€)",
    "Proposed or granted (€)",
    "Score",
]
QUESTIONS = [
    "name",
    "story",
    "score",
    "rent",
    "members",
    "founded",
    "kind",
    "groups",
    "premises",
    "landlord",
    "youth_plan",
    "plan",
    "audit",
    "accounts",
    "events",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def answered(call, count: int, people) -> list[Application]:
    """`count` applications of the call sent with the complete answers to EVERY_TYPE, each
    with its accounts attached."""
    call.form = form_of(call.public_body, EVERY_TYPE)
    call.save(update_fields=["form"])
    apps = submitted(call, count)
    version = call.form.current_version()
    for app in apps:
        accounts = Attachment.objects.create(
            application=app,
            file="attachments/tilit.pdf",
            name=f"tilit-{app.pk}.pdf",
            size=10,
            content_type="application/pdf",
            uploaded_by=people["preparer"],
        )
        Application.objects.filter(pk=app.pk).update(
            form_version=version, answers={**COMPLETE, "accounts": accounts.pk}
        )
    return apps


def page(call, kind: str) -> str:
    return f"/workbench/calls/{call.pk}/round/export.{kind}"


def test_the_xlsx_has_a_row_per_application_with_every_answer(call, people):
    first, second = answered(call, 2, people)
    Association.objects.filter(pk=first.association_id).update(name="=Aalto ry")
    round_propose(call, actor=people["preparer"], lines=[RoundLine(first.pk, Decimal(4000), "")])

    response = signed_in(people["liaison"]).get(page(call, "xlsx"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="round-{call.pk}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = (list(row) for row in sheet.iter_rows(values_only=True))
    assert header == FIXED + QUESTIONS  # the English labels are the keys in EVERY_TYPE
    assert len(rows) == 2
    row = dict(zip(header, rows[0], strict=True))
    # A name that a spreadsheet would run as a formula stays text.
    assert row["Association"] == "=Aalto ry"
    assert row["Application number"] == first.pk
    assert row["State"] == "In review"
    assert Decimal(str(row["Requested (€)"])) == Decimal("5000")
    assert Decimal(str(row["Proposed or granted (€)"])) == Decimal("4000")
    assert row["name"] == "Seura"
    assert row["members"] == 40
    assert Decimal(str(row["rent"])) == Decimal("1200.50")
    assert row["founded"].date() == date(1990, 5, 1)
    assert row["kind"] == "Sports"
    assert row["groups"] == "Seniors"
    assert row["premises"] == "yes"
    assert row["events"] == 1  # a table as its number of rows
    assert row["accounts"] == f"tilit-{first.pk}.pdf"  # a file by its name
    assert row["audit"] is None  # not answered
    other = dict(zip(header, rows[1], strict=True))
    assert other["Proposed or granted (€)"] is None  # not proposed yet
    assert other["accounts"] == f"tilit-{second.pk}.pdf"


def test_the_csv_reads_as_finnish_excel_opens_it_in_the_persons_language(call, people):
    (app,) = answered(call, 1, people)

    response = signed_in(people["preparer"], "fi").get(page(call, "csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, line = response.content.decode("utf-8-sig").splitlines()
    assert header.startswith("Hakemuksen numero;")
    assert "name (fi);" in header
    assert f"{app.pk};" in line
    assert ";1200,50;" in line
    assert ";1.5.1990;" in line


def test_the_api_serves_both_files(api, call, people):
    answered(call, 1, people)
    url = f"/api/v1/calls/{call.pk}/round/export/"

    csv = as_user(api, people["preparer"]).get(f"{url}csv/")
    xlsx = as_user(api, people["preparer"]).get(f"{url}xlsx/")

    assert csv.status_code == 200
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")
    assert as_user(api, people["preparer"]).get(f"{url}pdf/").status_code == 404


def test_a_foreign_body_and_association_people_get_404(api, call, people, representative):
    answered(call, 1, people)

    for kind in ("csv", "xlsx"):
        assert signed_in(people["foreign_preparer"]).get(page(call, kind)).status_code == 404
        url = f"/api/v1/calls/{call.pk}/round/export/{kind}/"
        assert as_user(api, people["foreign_preparer"]).get(url).status_code == 404
        assert as_user(api, representative).get(url).status_code == 404


def test_the_export_reads_in_a_constant_number_of_queries(body, people):
    client = signed_in(people["preparer"])

    def queries(count):
        call = CallFactory(public_body=body)
        answered(call, count, people)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page(call, "xlsx")).status_code == 200
        return len(captured)

    assert queries(2) == queries(12)


def test_the_round_page_links_the_export(call, people):
    html = signed_in(people["preparer"]).get(f"/workbench/calls/{call.pk}/round/").content
    assert page(call, "xlsx").encode() in html
    assert page(call, "csv").encode() in html
