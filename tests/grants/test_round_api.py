"""The round through the API: /api/v1/calls/{id}/round/, round/propose/, round/decide/."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grants.models import Application, ReasonText
from tests.conftest import as_user
from tests.factories import CallFactory
from tests.grants.round_helpers import submitted

pytestmark = pytest.mark.django_db
S = Application.State


def body_of(apps, amount=None, reasons="Hyvä hanke."):
    return {
        "applications": [
            {"id": a.pk, "amount": str(amount or a.requested_amount), "reasons": reasons}
            for a in apps
        ]
    }


def url(call, tail=""):
    return f"/api/v1/calls/{call.pk}/round/{tail}"


def test_the_round_is_proposed_and_decided_through_the_api(api, call, people):
    apps = submitted(call, 2)
    ReasonText.objects.create(public_body=call.public_body, text="Toiminta on avustettavaa.")

    response = as_user(api, people["preparer"]).post(
        url(call, "propose/"), body_of(apps, Decimal("4000.00")), format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["proposed"] == "8000.00"
    assert response.data["left"] == str(call.budget - Decimal("8000.00"))
    assert [r["proposed_amount"] for r in response.data["applications"]] == ["4000.00"] * 2
    assert response.data["reason_texts"][0]["text"] == "Toiminta on avustettavaa."

    response = as_user(api, people["decision_maker"]).post(
        url(call, "decide/"),
        {
            **body_of(apps, Decimal("4000.00")),
            "board": {
                "name": "Lautakunta",
                "meeting_date": str(timezone.localdate()),
                "section": "§ 7",
            },
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["applications"] == [a.pk for a in apps]
    assert response.data["meeting_section"] == "§ 7"
    assert set(Application.objects.filter(call=call).values_list("state", flat=True)) == {S.DECIDED}

    response = as_user(api, people["preparer"]).get(url(call))
    assert response.data["granted"] == "8000.00"
    assert response.data["proposed"] == "0.00"


def test_an_undecidable_application_is_a_409_naming_it_and_nothing_is_decided(api, call, people):
    apps = submitted(call, 2)
    as_user(api, people["preparer"]).post(url(call, "propose/"), body_of(apps[:1]), format="json")

    response = as_user(api, people["decision_maker"]).post(
        url(call, "decide/"), body_of(apps), format="json"
    )

    assert response.status_code == 409
    assert apps[1].association.name in response.data["detail"]
    assert list(Application.objects.filter(call=call).values_list("state", flat=True)) != [
        S.DECIDED
    ]
    assert not Application.objects.filter(state=S.DECIDED).exists()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"applications": []},
        {"applications": [{"id": "x", "amount": "1"}]},
        {"applications": [{"id": 1, "amount": "-1"}]},
    ],
)
def test_bad_input_is_a_400_and_nothing_is_saved(api, call, people, payload):
    apps = submitted(call, 1)
    response = as_user(api, people["preparer"]).post(url(call, "propose/"), payload, format="json")
    assert response.status_code == 400
    assert states_unchanged(apps)


def states_unchanged(apps):
    return all(
        a.state == S.SUBMITTED for a in Application.objects.filter(pk__in=[a.pk for a in apps])
    )


def test_a_board_meeting_in_the_future_is_a_400_in_finnish(api, call, people):
    apps = submitted(call, 1)
    as_user(api, people["preparer"]).post(url(call, "propose/"), body_of(apps), format="json")
    board = {"name": "Lautakunta", "meeting_date": str(timezone.localdate() + timedelta(days=2))}
    response = as_user(api, people["decision_maker"]).post(
        url(call, "decide/"),
        {**body_of(apps), "board": {**board, "section": "§ 1"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.status_code == 400
    assert response.data["meeting_date"] == ["Toimielin ei voi kokoontua tulevaisuudessa."]


def test_foreign_officials_and_association_people_are_refused(api, call, people, representative):
    apps = submitted(call, 1)
    for user in (people["foreign_preparer"], representative):
        client = as_user(api, user)
        assert client.get(url(call)).status_code == 403
        assert client.post(url(call, "propose/"), body_of(apps), format="json").status_code == 403
        assert client.post(url(call, "decide/"), body_of(apps), format="json").status_code == 403
    assert states_unchanged(apps)


def test_the_round_reads_in_a_constant_number_of_queries(api, body, people):
    def queries(count):
        call = CallFactory(public_body=body)
        apps = submitted(call, count)
        as_user(api, people["preparer"]).post(url(call, "propose/"), body_of(apps), format="json")
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url(call)).status_code == 200
        return len(captured)

    assert queries(2) == queries(12)
