"""schemathesis against `/api/schema/`: every operation, as each role, on the demo's data.

Each operation gets property-based requests, valid and invalid by the schema, as a person in
every role and as nobody; half of them name a record of the demo in the path, so the
operations run on real applications, agreements, payables and their transitions, and not only
into a 404. Every response must be no server error and must match the schema: its status code,
content type, headers and body. Writes run too; each request is rolled back to a savepoint, so
every case starts from the same data.

The requests go in process through the WSGI application, with DRF tokens (no CSRF to fetch).
"""

from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
import schemathesis
from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/", application)
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Requests per operation and role: more for writes, where the errors hide, few for nobody, who
# is refused everything. About a minute and a half for the whole file on two cores.
EXAMPLES_READ = 8
EXAMPLES_WRITE = 15
EXAMPLES_ANONYMOUS = 3

# A demo person in each role (grants.demo.PEOPLE); None: not signed in.
ROLES = {
    "representative": "eero",
    "signatory": "sanna",
    "preparer": "paula",
    "decision_maker": "daniel",
    "liaison": "jarmo",
    "finance": "fiona",
    "administrator": "admin",
    "anonymous": None,
}
# The records a path's `{id}` names, by the path's resource.
RECORDS = {
    "applications": "grants.Application",
    "calls": "grants.Call",
    "associations": "organisations.Association",
    "notifications": "workflow.Notification",
    "documents": "documents.GeneratedDocument",
    "finance/payable": "finance.Payable",
    "finance/batches": "finance.PaymentBatch",
    "agreements": "agreements.Agreement",
    "agreement-versions": "agreements.AgreementVersion",
    "agreement-meetings": "agreements.Meeting",
    "evaluations": "agreements.Evaluation",
    "association-meetings": "liaison.AssociationMeeting",
}

# The records an id in a body or a query names, by the field's name.
REFERENCES = {
    "call": "grants.Call",
    "association": "organisations.Association",
    "associations": "organisations.Association",
    "public_body": "organisations.PublicBody",
    "application": "grants.Application",
    "agreement": "agreements.Agreement",
    "payables": "finance.Payable",
    "payable_id": "finance.Payable",
    "payment_id": "finance.Payment",
    "feed": "workflow.CalendarFeed",
    "meeting_id": "agreements.Meeting",
    "goal": "agreements.Goal",
    "goals_met": "agreements.Goal",
    "chain_id": "workflow.ApprovalChain",
}

# What ran: cases and status codes per role, and status codes per operation.
CASES: Counter = Counter()
STATUSES: defaultdict = defaultdict(Counter)
BY_OPERATION: defaultdict = defaultdict(Counter)


def _load() -> None:
    from agreements.demo import load_agreements
    from agreements.documents import agreement_documents_sweep
    from finance import batches, payables
    from finance.hand_over import hand_over_sweep
    from finance.models import Payable
    from grants.demo import load_demo
    from grants.documents import decision_documents_sweep
    from liaison.demo import load_liaison
    from organisations.models import User

    load_demo()
    load_agreements()
    load_liaison()
    decision_documents_sweep()
    hand_over_sweep()
    agreement_documents_sweep()
    # A part payment, to be reversed, and a payment batch of what is left, so the batch, its
    # bank files and its marking as sent have something to show.
    fiona = User.objects.get(username="fiona")
    payable = batches.payable_inbox(fiona).first()
    if payable is not None:
        payables.payment_record_for(
            payable.pk, user=fiona, amount=Decimal("1.00"), paid_on=timezone.localdate()
        )
        batches.payment_batch_create(
            user=fiona,
            public_body_id=payable.public_body_id,
            payable_ids=[payable.pk],
            execution_date=timezone.localdate() + timedelta(days=3),
        )
    assert Payable.objects.exists()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's data, loaded once for the module in a transaction rolled back at its end, and
    a token per role. Like Django's test client, the WSGI handler must not close the
    connection (and with it that transaction) after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    media.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            _load()
            user_model = apps.get_model("organisations.User")
            tokens = {
                role: Token.objects.create(user=user_model.objects.get(username=username)).key
                for role, username in ROLES.items()
                if username
            }
            ids = {
                name: list(apps.get_model(label).objects.values_list("pk", flat=True))
                for name, label in {**RECORDS, **REFERENCES}.items()
            }
            yield tokens, ids
            transaction.set_rollback(True)
    finally:
        media.disable()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        print(f"\nschema conformance: {len(OPERATIONS)} operations")
        for role in ROLES:
            codes = ", ".join(f"{code}: {n}" for code, n in sorted(STATUSES[role].items()))
            print(f"  {role}: {CASES[role]} cases ({codes})")
        never = [
            label for label in OPERATIONS if not any(200 <= c < 300 for c in BY_OPERATION[label])
        ]
        print(f"  operations never answering 2xx: {never}")


# What answers without signing in: exchanging a password for a token.
PUBLIC = {"POST /api/v1/auth/token/"}


def _real_ids(value, ids: dict[str, list[int]], draw, key: str = ""):
    """The value with, now and then, the ids it names replaced by those of demo records."""
    if isinstance(value, dict):
        return {k: _real_ids(v, ids, draw, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_real_ids(v, ids, draw, key) for v in value]
    is_id = isinstance(value, int) and not isinstance(value, bool) and ids.get(key)
    real = is_id and draw(st.integers(0, 3)) > 0
    return draw(st.sampled_from(ids[key])) if real else value


def _cases(operation, ids: list[int]):
    """Valid and invalid requests; most with the path naming a demo record."""
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        if "{id}" in operation.path and ids:
            named = st.sampled_from(ids).flatmap(
                lambda pk, mode=mode: operation.as_strategy(mode, path_parameters={"id": pk})
            )
            strategies += [named, named]
        strategies.append(operation.as_strategy(mode))
    return st.one_of(strategies)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("label", list(OPERATIONS))
def test_operation_conforms_to_schema(demo, db, role, label):
    tokens, ids = demo
    operation = OPERATIONS[label]
    resource = operation.path.removeprefix("/api/v1/").partition("/{id}")[0]
    headers = {"Authorization": f"Token {tokens[role]}"} if role in tokens else {}
    if role not in tokens:
        examples = EXAMPLES_ANONYMOUS
    else:
        examples = EXAMPLES_READ if operation.method.upper() == "GET" else EXAMPLES_WRITE

    @given(case=_cases(operation, ids.get(resource, [])), data=st.data())
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case, data):
        if isinstance(case.body, dict | list):
            case.body = _real_ids(case.body, ids, data.draw)
        if case.query:
            case.query = _real_ids(case.query, ids, data.draw)
        savepoint = transaction.savepoint()
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
        finally:
            transaction.savepoint_rollback(savepoint)
        CASES[role] += 1
        STATUSES[role][response.status_code] += 1
        BY_OPERATION[label][response.status_code] += 1
        if role == "anonymous" and label not in PUBLIC:
            assert response.status_code == 403, "the API is only for people signed in"

    run()
