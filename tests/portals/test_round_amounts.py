"""The round page's figures without a browser: the amounts prefilled in the reader's language
and read back as written (1 234,50 in Finnish and Swedish, 1,234.50 in English), and the
score written the same way."""

from decimal import Decimal

import pytest
from django.test import Client

from assessments.models import Criterion, Reviewer
from assessments.services import Given, scores_record
from grants.models import Application
from tests.factories import CallFactory
from tests.grants.round_helpers import submitted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "written"), [("fi", "1 234,50"), ("sv", "1 234,50"), ("en", "1,234.50")]
)
def test_the_amounts_are_written_and_read_back_in_the_readers_language(
    portal_people, language, written
):
    preparer = portal_people["preparer"]
    preparer.language = language
    preparer.save(update_fields=["language"])
    call = CallFactory(public_body=preparer.official_roles.get().public_body)
    [application] = submitted(call, 1, Decimal("1234.50"))
    client = Client()
    client.force_login(preparer)
    url = f"/workbench/calls/{call.pk}/round/"

    assert f'value="{written}"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "action": "propose",
            f"include_{application.pk}": "on",
            f"amount_{application.pk}": written,
            f"reasons_{application.pk}": "Hyvä.",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.IN_REVIEW
    assert f'value="{written}"' in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("language", "written"), [("fi", "73,33"), ("sv", "73,33"), ("en", "73.33")]
)
def test_the_score_reads_in_the_readers_language(portal_people, language, written):
    preparer = portal_people["preparer"]
    preparer.language = language
    preparer.save(update_fields=["language"])
    call = CallFactory(public_body=preparer.official_roles.get().public_body)
    [application] = submitted(call, 1)
    impact = Criterion.objects.create(call=call, position=1, name="Vaikuttavuus", weight=2)
    cost = Criterion.objects.create(call=call, position=2, name="Kustannukset")
    Reviewer.objects.create(call=call, user=preparer)
    scores_record(application, reviewer=preparer, given=[Given(impact.pk, 4), Given(cost.pk, 3)])
    client = Client()
    client.force_login(preparer)
    html = client.get(f"/workbench/calls/{call.pk}/round/").content.decode()
    assert f'<td class="numeric">{written}</td>' in html
