"""A round of 1000 applications proposed and decided in one action each (grants.rounds).

    DATABASE_URL=postgres://user@host:5432/any .venv/bin/python bench/round.py

Needs PostgreSQL. Creates a scratch database (BENCH_DATABASE, default `avustus_bench_round`),
migrates it, makes one call with BENCH_APPLICATIONS (1000) submitted applications, and times:

- propose_s: the preparer proposes the whole round (one transaction, 2 transitions each);
- round_page_p95_ms: the round page with every application open, as the decision-maker sees
  it before deciding (Django's test client in process, after warming up);
- decide_s: the decision-maker decides the whole round (one transaction);
- documents_s: until every decision has its document. The decision tasks go to the test
  settings' in-memory broker, which no worker reads: the documents are made here, inline, by
  the sweep that catches up missed tasks (grants.documents.decision_documents_sweep), one
  process, so this is the time of one worker;
- messages_s: the decision sent to each association electronically (`notify`, one transition
  each): its message into the outbox.

The scratch database is dropped at the end. Progress on stderr; one JSON object on stdout.
Goals: decide_s <= 30, documents_s <= 60, round_page_p95_ms < 300.
"""

import json
import os
import time
from pathlib import Path

from scratch import (
    database_urls,
    django_setup,
    drop_scratch_database,
    log,
    page_samples,
    percentile,
    recreate_database,
)

ROOT = Path(__file__).resolve().parent.parent
APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "1000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20"))
WARMUP = 3


def _populate() -> dict:
    from decimal import Decimal

    from django.utils import timezone

    from grants.models import Application, Call
    from organisations.models import Association, OfficialRole
    from tests.factories import (
        AssociationFactory,
        CallFactory,
        PublicBodyFactory,
        UserFactory,
        grant_role,
    )

    Role = OfficialRole.Role
    body = PublicBodyFactory()
    preparer = grant_role(UserFactory(username="preparer"), body, Role.PREPARER)
    maker = grant_role(UserFactory(username="maker"), body, Role.DECISION_MAKER)
    call = CallFactory(
        public_body=body, budget=Decimal("10000000.00"), max_per_application=Decimal("20000.00")
    )
    associations = Association.objects.bulk_create(
        AssociationFactory.build_batch(APPLICATIONS, accepts_electronic_notification=True)
    )
    Application.objects.bulk_create(
        Application(
            call=call,
            association=association,
            created_by=preparer,
            requested_amount=Decimal("5000.00"),
            purpose="Kerhotoimintaa lapsille ja nuorille.",
        )
        for association in associations
    )
    # Sending is not what is measured: the applications are made sent in bulk.
    Application.objects.filter(call=call).update(
        state=Application.State.SUBMITTED, submitted_at=timezone.now()
    )
    return {"call": Call.objects.get(pk=call.pk), "preparer": preparer, "maker": maker}


def _page_p95(user, path: str) -> float:
    from django.test import Client

    client = Client()
    client.force_login(user)
    samples = page_samples(client, path, warmup=WARMUP, requests=REQUESTS)
    return percentile(samples, 0.95)


def main() -> None:
    admin_url, bench_url, name = database_urls("bench/round.py", "avustus_bench_round")
    recreate_database(admin_url, name, create=True)
    try:
        django_setup(bench_url, str(ROOT))
        from decimal import Decimal

        from django.db import connection

        from grants.documents import decision_documents_sweep
        from grants.models import Application
        from grants.rounds import RoundLine, round_decide, round_propose
        from workflow.transitions import transition_perform

        log(f"populating {APPLICATIONS} applications")
        people = _populate()
        call = people["call"]
        ids = list(
            Application.objects.filter(call=call).order_by("pk").values_list("pk", flat=True)
        )
        lines = [RoundLine(pk, Decimal("4000.00"), "Toiminta on avustettavaa.") for pk in ids]
        result: dict = {"applications": len(ids)}

        log("proposing the round")
        started = time.perf_counter()
        round_propose(call, actor=people["preparer"], lines=lines)
        result["propose_s"] = round(time.perf_counter() - started, 2)

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the statistics a database in use would have
        log("the round page")
        result["round_page_p95_ms"] = round(
            _page_p95(people["maker"], f"/workbench/calls/{call.pk}/round/"), 1
        )

        log("deciding the round")
        started = time.perf_counter()
        round_decide(call, actor=people["maker"], lines=lines)
        result["decide_s"] = round(time.perf_counter() - started, 2)

        log("the decision documents (inline, one process)")
        started = time.perf_counter()
        while decision_documents_sweep():
            pass
        result["documents_s"] = round(time.perf_counter() - started, 2)

        log("the decision messages")
        started = time.perf_counter()
        for application in Application.objects.filter(call=call).order_by("pk"):
            transition_perform(
                application, "notify", actor=people["preparer"], params={"channel": "electronic"}
            )
        result["messages_s"] = round(time.perf_counter() - started, 2)
        result["goals_met"] = (
            result["decide_s"] <= 30
            and result["documents_s"] <= 60
            and result["round_page_p95_ms"] < 300
        )
        print(json.dumps(result))
    finally:
        drop_scratch_database(admin_url, name)


if __name__ == "__main__":
    main()
