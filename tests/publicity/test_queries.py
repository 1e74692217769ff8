"""The public lists and the open data read a constant number of queries, whatever the number of
rows (docs/portals.md)."""

from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import ApplicationFactory, AssociationFactory, represent
from tests.publicity.conftest import START
from workflow.formats import money

pytestmark = pytest.mark.django_db
PATHS = [
    "/public/",
    "/public/decisions/",
    "/public/support/",
    "/open/v1/grants.json",
    "/open/v1/grants.csv",
]


def _queries(path: str) -> int:
    cache.clear()  # the figures as computed, not as cached
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(path).status_code == 200
    return len(queries)


def test_the_lists_read_as_many_queries_for_three_grants_as_for_one(
    send, call, representative, application
):
    with time_machine.travel(START, tick=False):
        send(application)
        one = {path: _queries(path) for path in PATHS}
        for _ in range(2):
            association = AssociationFactory(accepts_electronic_notification=True)
            represent(representative, association)
            send(ApplicationFactory(call=call, association=association, created_by=representative))
        three = {path: _queries(path) for path in PATHS}
    assert three == one


def test_the_cached_figures_follow_a_new_grant(send, call, representative, application):
    with time_machine.travel(START, tick=False):
        send(application, amount="1000.00")
        before = Client().get("/public/support/").content.decode()
        association = AssociationFactory(accepts_electronic_notification=True)
        represent(representative, association)
        send(
            ApplicationFactory(call=call, association=association, created_by=representative),
            amount="2000.00",
        )
        after = Client().get("/public/support/").content.decode()
    assert association.name not in before
    assert association.name in after
    assert money(Decimal("3000"), "fi") in after
