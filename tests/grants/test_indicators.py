"""The year's indicators (grants.indicators) and GET /api/v1/reports/indicators/, against a
hand-built set of answers whose sums are worked out here by hand."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from application_forms.versions import version_save
from grants.indicators import indicator_sums
from grants.models import Application
from tests.application_forms.forms import field, words
from tests.conftest import as_user
from tests.factories import ApplicationFactory, CallFactory, form_of

pytestmark = pytest.mark.django_db
S = Application.State
HELSINKI = ZoneInfo("Europe/Helsinki")
URL = "/api/v1/reports/indicators/"


def content(members_key: str = "members") -> dict:
    return {
        "sections": [
            {
                "key": "association",
                "title": words("Association"),
                "fields": [
                    field(members_key, "count", indicator="members"),
                    field("young", "count", indicator="members_under_29"),
                    field("volunteers", "count", indicator="volunteers"),
                    field("reach", "number", indicator="participants"),
                    field("rent", "money"),  # not an indicator: never summed
                    field(
                        "events",
                        "table",
                        max_rows=10,
                        indicator="events",
                        columns=[field("name", "short_text")],
                    ),
                ],
            }
        ]
    }


def sent(call, answers: dict, *, state=S.SUBMITTED, at=datetime(2026, 3, 1, 12, tzinfo=HELSINKI)):
    """An application on the call's current form version, sent at `at` (None: a draft)."""
    application = ApplicationFactory(
        call=call, form_version=call.form.current_version(), answers=answers
    )
    Application.objects.filter(pk=application.pk).update(state=state, submitted_at=at)
    return application


@pytest.fixture
def year(body, people):
    """Two calls of `body` with their applications, and the foreign preparer's body's call:
    2026's sums are members 10+5+7 = 22, under 29 4+1 = 5, volunteers 2, participants 7.5,
    events 2."""
    youth = CallFactory(public_body=body, name="Nuorisoavustukset", form=form_of(body, content()))
    sent(
        youth,
        {
            "members": 10,
            "young": 4,
            "volunteers": 2,
            "reach": 7.5,
            "rent": "900.00",
            "events": [{"name": "Kevätjuhla"}, {"name": "Leiri"}],
        },
    )
    sent(youth, {"members": 5, "young": 1, "events": []}, state=S.DECIDED)
    # Returned for completion: sent in the year all the same.
    sent(youth, {}, state=S.RETURNED)
    sent(youth, {"members": 100}, state=S.DRAFT, at=None)  # never sent
    sent(youth, {"members": 1000}, state=S.WITHDRAWN)  # taken back
    sent(youth, {"members": 50}, at=datetime(2025, 12, 31, 23, 30, tzinfo=HELSINKI))
    # The form changed: the members are asked under another key, still the same indicator.
    culture_form = form_of(body, content())
    culture = CallFactory(public_body=body, name="Kulttuuriavustukset", form=culture_form)
    sent(culture, {"jasenet": 99})  # not a question of v1: not summed
    first = culture_form.current_version()
    assert version_save(culture_form, content(members_key="jasenet")).number == first.number + 1
    sent(culture, {"jasenet": 7})
    foreign = people["foreign_preparer"].official_roles.get().public_body
    sent(
        CallFactory(public_body=foreign, form=form_of(foreign, content())),
        {"members": 999, "young": 999},
    )
    return {"youth": youth, "culture": culture}


def figures(report_figures) -> dict:
    return {"applications": report_figures.applications, **report_figures.indicators}


def test_the_years_indicators_are_summed_per_call_and_in_total(body, year):
    report = indicator_sums(body.pk, 2026)

    assert [c.call_name for c in report.calls] == ["Kulttuuriavustukset", "Nuorisoavustukset"]
    culture, youth = report.calls
    assert figures(youth) == {
        "applications": 3,
        "members": 15,
        "members_under_29": 5,
        "volunteers": 2,
        "events": 2,
        "participants": Decimal("7.5"),
    }
    assert figures(culture) == {
        "applications": 2,
        "members": 7,
        "members_under_29": 0,
        "volunteers": 0,
        "events": 0,
        "participants": 0,
    }
    assert figures(report.total) == {
        "applications": 5,
        "members": 22,
        "members_under_29": 5,
        "volunteers": 2,
        "events": 2,
        "participants": Decimal("7.5"),
    }


def test_another_year_sums_its_own_applications(body, year):
    report = indicator_sums(body.pk, 2025)

    assert figures(report.total)["members"] == 50
    assert figures(report.total)["applications"] == 1
    assert indicator_sums(body.pk, 2024).calls == []


def test_the_api_gives_the_officials_their_bodys_figures(
    api, body, people, year, django_assert_max_num_queries
):
    client = as_user(api, people["finance"])
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"year": 2026})

    assert response.status_code == 200, response.data
    [report] = response.json()
    assert (report["public_body"], report["year"]) == (body.pk, 2026)
    assert report["total"] == {
        "applications": 5,
        "members": "22.00",
        "members_under_29": "5.00",
        "volunteers": "2.00",
        "events": "2.00",
        "participants": "7.50",
    }
    assert [(c["call"], c["call_name"], c["members"]) for c in report["calls"]] == [
        (year["culture"].pk, "Kulttuuriavustukset", "7.00"),
        (year["youth"].pk, "Nuorisoavustukset", "15.00"),
    ]
    assert client.get(URL, {"year": 2026, "public_body": body.pk}).json() == [report]


def test_a_foreign_body_sees_nothing_of_the_others(api, body, people, year):
    client = as_user(api, people["foreign_preparer"])

    [own] = client.get(URL, {"year": 2026}).json()
    assert own["public_body"] != body.pk
    assert own["total"]["members"] == "999.00"
    assert client.get(URL, {"year": 2026, "public_body": body.pk}).status_code == 404


def test_an_association_sees_no_figures(api, body, representative, year):
    client = as_user(api, representative)

    assert client.get(URL, {"year": 2026}).json() == []
    assert client.get(URL, {"year": 2026, "public_body": body.pk}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [{}, {"year": "last"}, {"year": 0}, {"year": 2026, "public_body": "x"}, {"year": 10**6}],
)
def test_a_malformed_query_is_a_400(api, people, query):
    assert as_user(api, people["preparer"]).get(URL, query).status_code == 400


def test_signing_in_is_required(api):
    assert api.get(URL, {"year": 2026}).status_code in (401, 403)


# --- the workbench page --------------------------------------------------------------------

PAGE = "/workbench/indicators/"


def signed_in(user, language: str = "fi") -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_page_shows_the_years_figures_per_call_and_in_total(body, people, year):
    response = signed_in(people["preparer"], "fi").get(PAGE, {"year": 2026})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Joista alle 29-vuotiaita" in html
    # Nuorisoavustukset: 3 applications, 15 members, 5 under 29, 2 volunteers, 2 events, 7,5.
    cells = ["3", "15", "5", "2", "2", "7,5"]
    assert "".join(f'<td class="numeric">{c}</td>' for c in cells) in html
    total = ["5", "22", "5", "2", "2", "7,5"]
    assert "".join(f'<td class="numeric">{c}</td>' for c in total) in html
    assert "Kulttuuriavustukset" in html
    assert ">999<" not in html  # the foreign body's figures


def test_a_foreign_official_sees_only_their_own_bodys_figures(body, people, year):
    html = signed_in(people["foreign_preparer"], "sv").get(PAGE, {"year": 2026}).content.decode()

    assert "Nyckeltal" in html
    assert body.name not in html
    assert "Nuorisoavustukset" not in html
    assert '<td class="numeric">999</td>' in html


def test_association_people_do_not_see_the_page(representative):
    assert signed_in(representative).get(PAGE).status_code in (302, 403)


def test_a_bad_year_is_a_400_in_the_persons_language(people, year):
    response = signed_in(people["preparer"], "fi").get(PAGE, {"year": "viime"})

    assert response.status_code == 400
    assert "Anna kokonaisluku." in response.content.decode()
