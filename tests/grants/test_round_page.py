"""The round page in the workbench: the table, the running total, and the two actions posted
without JavaScript."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from grants.models import Application, ReasonText, RoundDecision
from tests.factories import CallFactory
from tests.grants.round_helpers import submitted

pytestmark = pytest.mark.django_db
S = Application.State


def signed_in(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    user.language = language
    user.save(update_fields=["language"])
    return client


def page(call) -> str:
    return f"/workbench/calls/{call.pk}/round/"


def posted(apps, action, amount=None, **extra):
    data = {"action": action, **extra}
    for app in apps:
        data[f"include_{app.pk}"] = "on"
        data[f"amount_{app.pk}"] = amount or str(app.requested_amount)
        data[f"reasons_{app.pk}"] = "Hyvä hanke."
    return data


def test_the_page_lists_the_round_with_the_budget(call, people):
    apps = submitted(call, 2)
    ReasonText.objects.create(public_body=call.public_body, text="Toiminta on avustettavaa.")

    response = signed_in(people["preparer"]).get(page(call))

    html = response.content.decode()
    assert response.status_code == 200
    for app in apps:
        assert app.association.name in html
        assert f'name="amount_{app.pk}"' in html
    assert 'data-sum="round"' in html
    assert 'data-sum-total="round"' in html
    assert "Toiminta on avustettavaa." in html
    assert 'value="propose"' in html
    assert 'value="decide"' not in html  # the preparer does not decide


def test_the_preparer_proposes_and_the_decision_maker_decides_without_javascript(call, people):
    apps = submitted(call, 2)

    response = signed_in(people["preparer"]).post(page(call), posted(apps, "propose", "4 000,00"))
    assert response.status_code == 302
    assert set(Application.objects.values_list("state", flat=True)) == {S.IN_REVIEW}

    maker = signed_in(people["decision_maker"])
    html = maker.get(page(call)).content.decode()
    assert "4,000.00" in html or "4000.00" in html
    response = maker.post(page(call), posted(apps[:1], "decide", "4000"))
    assert response.status_code == 302
    assert list(Application.objects.order_by("pk").values_list("state", "granted_amount")) == [
        (S.DECIDED, Decimal("4000.00")),
        (S.IN_REVIEW, None),
    ]


def test_a_refused_round_names_the_application_and_saves_nothing(call, people):
    apps = submitted(call, 2)
    client = signed_in(people["decision_maker"])

    response = client.post(page(call), posted(apps, "decide"), follow=True)

    assert apps[0].association.name in response.content.decode()
    assert set(Application.objects.values_list("state", flat=True)) == {S.SUBMITTED}


def test_bad_input_comes_back_with_a_400_in_the_persons_language(call, people):
    apps = submitted(call, 1)

    response = signed_in(people["preparer"], "fi").post(page(call), posted(apps, "propose", "x"))

    assert response.status_code == 400
    assert "Anna luku." in response.content.decode()
    assert set(Application.objects.values_list("state", flat=True)) == {S.SUBMITTED}


def test_foreign_officials_and_association_people_do_not_see_the_round(
    call, people, representative
):
    apps = submitted(call, 1)
    assert signed_in(people["foreign_preparer"]).get(page(call)).status_code == 404
    response = signed_in(people["foreign_preparer"]).post(page(call), posted(apps, "propose"))
    assert response.status_code == 404
    assert signed_in(representative).get(page(call)).status_code in (302, 403)
    assert set(Application.objects.values_list("state", flat=True)) == {S.SUBMITTED}


def test_the_page_reads_in_a_constant_number_of_queries(body, people):
    client = signed_in(people["preparer"])

    def queries(count):
        call = CallFactory(public_body=body)
        submitted(call, count)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page(call)).status_code == 200
        return len(captured)

    assert queries(2) == queries(15)


def test_the_decision_list_is_a_csv_in_finnish_and_in_swedish(call, people):
    apps = submitted(call, 2)
    signed_in(people["preparer"]).post(page(call), posted(apps, "propose", "4000"))
    maker = signed_in(people["decision_maker"])
    maker.post(page(call), posted(apps, "decide", "4000"))
    html = maker.get(page(call)).content.decode()
    (record,) = RoundDecision.objects.all()
    paths = [f"{page(call)}{record.pk}/list-{language}.csv" for language in ("fi", "sv")]
    assert all(path in html for path in paths)

    finnish, swedish = (maker.get(path) for path in paths)

    assert finnish["Content-Type"] == "text/csv; charset=utf-8"
    lines = finnish.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Yhdistys;Y-tunnus;")
    assert len(lines) == 3
    assert all("4000,00" in line and "Osittain hyväksytty" in line for line in lines[1:])
    assert swedish.content.decode("utf-8-sig").startswith("Förening;FO-nummer;")
    assert signed_in(people["foreign_preparer"]).get(paths[0]).status_code == 404
