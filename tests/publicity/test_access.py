"""Nothing unpublished is reachable without signing in: a crawl of every public URL as an
anonymous visitor, and each public URL asked for the ids of drafts, undecided applications,
decisions not yet sent and other bodies' records. Bad parameters are a 4xx, never a 500."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from grants import scans as grant_scans
from grants.models import Application, Call
from publicity import scans
from publicity.models import Publication
from tests.factories import ApplicationFactory, AssociationFactory, CallFactory
from tests.publicity.conftest import START

pytestmark = pytest.mark.django_db
SECRETS = {
    "draft": "LUONNOS-SALAINEN",
    "submitted": "LAHETETTY-SALAINEN",
    "decided": "PAATETTY-SALAINEN",
    "foreign": "VIERAS-SALAINEN",
}
LINK = re.compile(r'href="(/(?:public|open)/[^"#]*)"')


@pytest.fixture
def records(send, walk, call, representative, association):
    """One decision published; a draft, a submitted application and a decision not yet sent
    in the same call; another body's call not yet open and its submitted application."""
    with time_machine.travel(START, tick=False):
        published = send(
            ApplicationFactory(call=call, association=association, created_by=representative),
            reasons="Perustelut julkaistu.",
        )

        def made(purpose: str, *steps: str) -> Application:
            app = ApplicationFactory(
                call=call, association=association, created_by=representative, purpose=purpose
            )
            return walk(app, *steps) if steps else app

        made(SECRETS["draft"])
        made(SECRETS["submitted"], "submit")
        made(SECRETS["decided"], "submit", "start_review", "record_step", "decide")
    future = CallFactory(
        name="TULEVA-HAKU",
        opens_at=timezone.now() + timedelta(days=5),
        closes_at=timezone.now() + timedelta(days=30),
    )
    foreign = ApplicationFactory(call=future, association=AssociationFactory(), purpose="x")
    Application.objects.filter(pk=foreign.pk).update(purpose=SECRETS["foreign"])
    return {"published": published.publication, "future_call": future}


def _crawl(client: Client) -> dict[str, str]:
    """Every page reachable from /public/ by its links, as text by path."""
    seen: dict[str, str] = {}
    queue = ["/public/"]
    while queue:
        path = queue.pop().replace("&amp;", "&")
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        seen[path] = response.content.decode()
        queue += LINK.findall(seen[path])
    return seen


def test_a_crawl_as_an_anonymous_visitor_finds_only_what_is_published(records, people):
    client = Client()
    pages = _crawl(client)
    published = records["published"]
    assert f"/public/decisions/{published.pk}/" in pages
    assert f"/public/calls/{published.call_id}/" in pages
    assert any(path.startswith("/public/support/") for path in pages)
    assert "/open/v1/grants.json" in pages
    assert "/open/v1/grants.csv" in pages
    for path, text in pages.items():
        for secret in [*SECRETS.values(), "TULEVA-HAKU"]:
            assert secret not in text, f"{secret} on {path}"
        for official in people.values():
            assert official.last_name not in text, path
        assert "accounts/logout" not in text  # nobody is signed in


def test_every_public_url_is_a_404_for_what_is_not_published(records):
    client = Client()
    published = records["published"]
    unpublished = (
        set(Application.objects.values_list("pk", flat=True))
        | set(Publication.objects.values_list("pk", flat=True))
        | {published.pk + 1000, 2_147_483_647}
    ) - {published.pk}
    for pk in unpublished:
        assert client.get(f"/public/decisions/{pk}/").status_code == 404, pk
    future = records["future_call"]
    missing_call = Call.objects.order_by("-pk").first().pk + 1
    for pk in (future.pk, missing_call):
        assert client.get(f"/public/calls/{pk}/").status_code == 404
        assert client.get(f"/public/support/?call={pk}").status_code == 404
    assert client.get(f"/public/calls/{published.call_id}/").status_code == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/public/support/?year=abc", 404),
        ("/public/support/?year=1999", 200),
        ("/public/support/?call=-1", 404),
        ("/public/support/?year=99999999999999999999", 404),
        ("/public/decisions/?page=abc", 200),
        ("/open/v1/grants.json?page=abc", 400),
        ("/open/v1/grants.json?page=0", 404),
        ("/open/v1/grants.csv?page=7", 404),
    ],
)
def test_bad_parameters_are_a_clear_4xx(records, path, status):
    assert Client().get(path).status_code == status


def test_a_public_page_refuses_writes(records):
    response = Client().post(f"/public/decisions/{records['published'].pk}/")
    assert response.status_code in (403, 405)


def test_pages_are_cacheable_and_answer_304_until_they_change(records):
    client = Client()
    path = f"/public/decisions/{records['published'].pk}/"
    first = client.get(path)
    assert "private" in first["Cache-Control"]
    assert "max-age=300" in first["Cache-Control"]
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    with time_machine.travel(START + timedelta(days=30), tick=False):
        grant_scans.make_decisions_legally_valid()
        assert scans.remove_personal_data() == 1
    changed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "Perustelut julkaistu." not in changed.content.decode()
