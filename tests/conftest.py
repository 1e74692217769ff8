"""Shared fixtures: one public body with a person in every role, two associations (ours and
a foreign one), and an open call with a two-step chain (preparer proposes, decision-maker
decides). `walk` drives an application through transitions as the right people."""

import os
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from organisations.models import AssociationRole, OfficialRole
from tests.factories import (
    ApplicationFactory,
    AssociationFactory,
    CallFactory,
    PublicBodyFactory,
    UserFactory,
    grant_role,
    represent,
)
from workflow.actors import SYSTEM
from workflow.transitions import transition_perform


@pytest.fixture(autouse=True)
def _no_language_left_from_the_test_before():
    """Each test starts with no language active: a page a test requested activates the
    person's language in the thread (LocaleMiddleware) and would leave it to the next test."""
    translation.deactivate()
    yield
    translation.deactivate()


Role = OfficialRole.Role


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres/redis skip without the service, but never in CI: there a missing
    service must fail the run loudly instead of passing it quietly."""
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    for item in items:
        if "postgres" in item.keywords and not os.environ.get("DATABASE_URL", "").startswith(
            "postgres"
        ):
            if in_ci:
                raise pytest.UsageError("CI must run the PostgreSQL tests: set DATABASE_URL.")
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://…"))
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            if in_ci:
                raise pytest.UsageError("CI must run the Redis tests: set REDIS_URL.")
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL"))


@pytest.fixture
def body():
    return PublicBodyFactory()


@pytest.fixture
def people(body):
    """One person per official role in `body`, plus a preparer of a foreign body."""
    foreign = PublicBodyFactory()
    return {
        "preparer": grant_role(UserFactory(username="preparer"), body, Role.PREPARER),
        "preparer2": grant_role(UserFactory(username="preparer2"), body, Role.PREPARER),
        "decision_maker": grant_role(UserFactory(username="dm"), body, Role.DECISION_MAKER),
        "decision_maker2": grant_role(UserFactory(username="dm2"), body, Role.DECISION_MAKER),
        "liaison": grant_role(UserFactory(username="liaison"), body, Role.LIAISON),
        "finance": grant_role(UserFactory(username="finance"), body, Role.FINANCE),
        "administrator": grant_role(UserFactory(username="admin1"), body, Role.ADMINISTRATOR),
        "foreign_preparer": grant_role(UserFactory(username="fprep"), foreign, Role.PREPARER),
    }


@pytest.fixture
def association():
    return AssociationFactory(accepts_electronic_notification=True)


@pytest.fixture
def foreign_association():
    return AssociationFactory()


@pytest.fixture
def representative(association):
    return represent(UserFactory(username="rep"), association)


@pytest.fixture
def signatory(association):
    return represent(UserFactory(username="signatory"), association, AssociationRole.Role.SIGNATORY)


@pytest.fixture
def foreign_representative(foreign_association):
    return represent(UserFactory(username="foreignrep"), foreign_association)


@pytest.fixture
def call(body):
    return CallFactory(public_body=body)


@pytest.fixture
def application(call, association, representative):
    return ApplicationFactory(call=call, association=association, created_by=representative)


@pytest.fixture
def api():
    return APIClient()


def as_user(client: APIClient, user) -> APIClient:
    client.force_authenticate(user=user)
    return client


DECIDE = {"outcome": "approved", "granted_amount": Decimal("5000.00"), "reasons": "Hyvä hanke."}


@pytest.fixture
def walk(people, representative):
    """walk(app, "submit", "start_review", ...) performs each step as the person who may."""
    actors = {
        "submit": representative,
        "resubmit": representative,
        "withdraw": representative,
        "file_rectification": representative,
        "submit_report": representative,
        "request_completion": people["preparer"],
        "start_review": people["preparer"],
        "record_step": people["preparer"],
        "decide": people["decision_maker"],
        "notify": people["preparer"],
        "decide_rectification": people["decision_maker2"],
        "become_legally_valid": SYSTEM,
        "record_payment": people["finance"],
        "reverse_payment": people["finance"],
        "return_report": people["preparer"],
        "accept_report": people["preparer"],
        "close": SYSTEM,
        "expire": SYSTEM,
    }
    defaults = {
        "request_completion": {"comment": "Liitä talousarvio."},
        "decide": {"params": DECIDE},
        "record_step": {"params": {"proposed_amount": Decimal("5000.00")}},
        "notify": {"params": {"channel": "electronic"}},
        "file_rectification": {"comment": "Summa on liian pieni."},
        "return_report": {"comment": "Liitä tositteet."},
        "submit_report": {
            "params": {
                "activities": "Kerho kokoontui 30 kertaa.",
                "amount_used": Decimal("5000.00"),
            }
        },
    }

    def _walk(app, *steps, **overrides):
        for step in steps:
            kwargs = {**defaults.get(step, {}), **overrides.get(step, {})}
            actor = kwargs.pop("actor", actors[step])
            app = transition_perform(app, step, actor=actor, **kwargs)
        return app

    return _walk


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"
