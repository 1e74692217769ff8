"""A round of 1000 applications proposed and decided in one action each (grants.rounds), its
documents made and its messages delivered by a real Celery worker.

    DATABASE_URL=postgres://user@host:5432/any REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python bench/round.py

Needs PostgreSQL and Redis. Creates a scratch database (BENCH_DATABASE, default
`avustus_bench_round`), migrates it, makes one call with BENCH_APPLICATIONS (1000) submitted
applications, starts a Celery worker (`celery -A celery_app worker`, prefork, one process per
CPU, started as the system tests start theirs: tests.system.processes) on the test settings
with the run's own Redis key prefix (bench/round_settings.py), and times:

- propose_s: the preparer proposes the whole round (one transaction, 2 transitions each);
- round_page_p95_ms (and _median_ms): the round page with every application open, as the
  decision-maker sees it before deciding (Django's test client in process, after warming up);
- decide_s: the decision-maker decides the whole round, until its transaction committed;
- documents_s: from that commit until every decision has its document, made by the worker
  from the tasks the decisions queued on commit (grants.signals), polled in the database;
- messages_s: the preparer sends the round's decisions in one action (`round_notify`: each
  decision's `notify` in one transaction, in this process, once the documents exist): until
  every decision message is in the outbox (`sent_by_letter`: those without consent, 0 here);
- delivered_s: from sending the round until the worker has sent every decision message
  (locmem mail; each message encloses the decision's document made anew with the dates of
  its sending, grants.notification). Bounded by BENCH_TIMEOUT seconds (300) per wait;
- propose_cpu_s, decide_cpu_s: this process's CPU time in those phases (PostgreSQL's aside);
  documents_worker_cpu_s, delivery_worker_cpu_s: the CPU time of the worker's processes in
  those phases (psutil): what the work costs whatever else the machine runs.

The machine may be shared: the JSON carries the load average at the start and the end. The
worker, its Redis keys and the scratch database are gone at the end. Progress on stderr; one
JSON object on stdout. Goals: decide_s <= 30, documents_s <= 60, round_page_p95_ms < 300.
"""

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from scratch import (
    database_urls,
    django_setup,
    drop_scratch_database,
    log,
    page_samples,
    percentile,
    recreate_database,
    redis_url,
    tree_cpu_s,
)

ROOT = Path(__file__).resolve().parent.parent
APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "1000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "300"))
WARMUP = 3
GOALS = {"decide_s": 30, "documents_s": 60}
GOAL_PAGE_P95_MS = 300


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


def _page_samples(user, path: str) -> list[float]:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return page_samples(client, path, warmup=WARMUP, requests=REQUESTS)


def _worker_start(bench_url: str, broker_url: str, folder: str):
    """The Celery worker of a deployment (its default queue), on the bench's database and
    settings; waits until it is ready."""
    from tests.integration.conftest import wait_until
    from tests.system.processes import celery, process_start

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "round_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
        "DATABASE_URL": bench_url,
        "REDIS_URL": broker_url,
    }
    command = celery("worker", "--without-mingle", "--without-gossip", "--without-heartbeat")
    worker = process_start("worker", command, env, Path(folder, "worker.log"))
    try:
        wait_until(lambda: " ready." in worker.log() or not worker.alive(), 60, "the worker")
    except AssertionError:
        worker.stop()
        raise
    if not worker.alive():
        raise SystemExit(f"the worker did not start:\n{worker.log()[-3000:]}")
    return worker


def _until(done: Callable[[], int], total: int, worker, what: str) -> float | None:
    """Seconds until `done()` reaches `total` (polled), None after TIMEOUT seconds."""
    started = time.perf_counter()
    reported = 0
    while (count := done()) < total:
        elapsed = time.perf_counter() - started
        if not worker.alive():
            raise SystemExit(f"the worker died:\n{worker.log()[-3000:]}")
        if elapsed > TIMEOUT:
            log(f"{what}: {count} of {total} after {TIMEOUT:.0f} s, given up")
            return None
        if elapsed > reported + 10:
            reported += 10
            log(f"{what}: {count} of {total} after {reported} s")
        time.sleep(0.1)
    return time.perf_counter() - started


def _redis_clean(broker_url: str, prefix: str) -> None:
    """Deletes every key of the run: the queues, their bindings, unacked messages."""
    import redis

    client = redis.Redis.from_url(broker_url)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def main() -> None:
    began = time.monotonic()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    admin_url, bench_url, name = database_urls("bench/round.py", "avustus_bench_round")
    broker_url = redis_url("bench/round.py")
    prefix = f"bench-round-{os.getpid()}:"
    # This process and its worker: the broker's keys under `prefix` (bench/round_settings.py).
    os.environ["DJANGO_SETTINGS_MODULE"] = "round_settings"
    os.environ["BENCH_REDIS_PREFIX"] = prefix
    recreate_database(admin_url, name, create=True)
    folder = tempfile.TemporaryDirectory(prefix="bench-round-")
    worker = None
    try:
        django_setup(bench_url, str(ROOT))
        from decimal import Decimal

        import psutil
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection, transaction

        from documents.models import GeneratedDocument, Kind
        from grants.models import Application
        from grants.rounds import RoundLine, round_decide, round_notify, round_propose
        from workflow.models import Notification

        log("starting the worker")
        worker = _worker_start(bench_url, broker_url, folder.name)

        log(f"populating {APPLICATIONS} applications")
        people = _populate()
        call = people["call"]
        ids = list(
            Application.objects.filter(call=call).order_by("pk").values_list("pk", flat=True)
        )
        lines = [RoundLine(pk, Decimal("4000.00"), "Toiminta on avustettavaa.") for pk in ids]
        result: dict = {"applications": len(ids)}

        log("proposing the round")
        started, cpu = time.perf_counter(), time.process_time()
        round_propose(call, actor=people["preparer"], lines=lines)
        result["propose_s"] = round(time.perf_counter() - started, 2)
        result["propose_cpu_s"] = round(time.process_time() - cpu, 2)

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the statistics a database in use would have
        log("the round page")
        samples = _page_samples(people["maker"], f"/workbench/calls/{call.pk}/round/")
        result["round_page_p95_ms"] = round(percentile(samples, 0.95), 1)
        result["round_page_median_ms"] = round(statistics.median(samples), 1)

        tree = psutil.Process(worker.popen.pid)
        log("deciding the round")
        marks: dict[str, float] = {}
        started, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic():
            # Registered first, so it runs first after the commit: before the decisions'
            # tasks are sent.
            transaction.on_commit(lambda: marks.setdefault("committed", time.perf_counter()))
            decided = round_decide(call, actor=people["maker"], lines=lines)
        result["decide_s"] = round(marks["committed"] - started, 2)
        # This process's own CPU (PostgreSQL's aside), tasks sent on commit included.
        result["decide_cpu_s"] = round(time.process_time() - cpu, 2)
        queued = time.perf_counter() - marks["committed"]
        result["documents_queued_s"] = round(queued, 2)

        log("the decision documents, made by the worker")
        documents = GeneratedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            object_id__in=ids,
            kind=Kind.GRANT_DECISION,
        )

        def documented() -> int:
            return documents.values("object_id").distinct().count()

        cpu = tree_cpu_s(tree)
        waited = _until(documented, len(ids), worker, "documents")
        result["documents_s"] = None if waited is None else round(queued + waited, 2)
        # What the documents cost the worker whatever else the machine runs: on an idle
        # machine documents_s would be about this over the worker's processes (one per CPU).
        result["documents_worker_cpu_s"] = round(tree_cpu_s(tree) - cpu, 1)

        cpu = tree_cpu_s(tree)
        log("the round's decisions sent in one action (grants.rounds.round_notify)")
        messages = Notification.objects.filter(kind="decision_notified")
        started = time.perf_counter()
        sent = round_notify(decided, actor=people["preparer"])
        result["messages_s"] = round(time.perf_counter() - started, 2)
        result["sent_by_letter"] = len(sent.by_letter)
        result["messages"] = messages.count()

        def delivered() -> int:
            return messages.filter(status=Notification.Status.SENT).count()

        waited = _until(delivered, result["messages"], worker, "messages delivered")
        result["delivered_s"] = None if waited is None else round(time.perf_counter() - started, 2)
        result["delivery_worker_cpu_s"] = round(tree_cpu_s(tree) - cpu, 1)
        result["worker_concurrency"] = os.cpu_count()
        result["goals_met"] = all(
            result[key] is not None and result[key] <= goal for key, goal in GOALS.items()
        ) and (result["round_page_p95_ms"] < GOAL_PAGE_P95_MS)
        result["load_average_at_start"] = load_at_start
        result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        result["runtime_s"] = round(time.monotonic() - began, 1)
        print(json.dumps(result))
    except Exception:
        if worker is not None:
            log(f"the worker's log:\n{worker.log()[-3000:]}")
        raise
    finally:
        if worker is not None:
            worker.stop()
        _redis_clean(broker_url, prefix)
        folder.cleanup()
        drop_scratch_database(admin_url, name)


if __name__ == "__main__":
    main()
