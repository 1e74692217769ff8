"""The reminder scan at 10 000 and 1 000 000 open deadlines, and outbox delivery by a real worker.

    DATABASE_URL=postgres://user@host:5432/any REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/reminders.py

Needs PostgreSQL and Redis. Creates a scratch database (BENCH_DATABASE, default
`avustus_bench_reminders`) on the server DATABASE_URL points at, migrates it, and drops it at
the end. On Redis it uses a queue of its own (`bench-reminders-<pid>`) and deletes it at the end;
it flushes nothing. The worker runs without remote control, so it leaves no pidbox keys.

(a) The scan. The same DUE deadlines (report_due, 14 days ahead, step before-14, due an hour
ago, their association has two representatives) sit among 10 000 and then 1 000 000 open
deadlines; all the others have their next reminder in the future. The rows are written with
INSERT ... SELECT generate_series (per-row foreign-key checks off where the role may, i.e. a
superuser), then VACUUM ANALYZE and CHECKPOINT. `workflow.scans.remind_due()` is timed
SCAN_REPETITIONS times at each size (after one untimed warm-up); between runs, untimed, the due
rows get their step and time back, the notifications the run wrote are deleted and the table is
vacuumed (as autovacuum would). The goal from the issue: scan_ratio <= 2 and <= 50 ms at a
million. Also reported: an empty scan (nothing due) at each size, the statements one scan runs,
and the plan of the scan's select.

(b) Delivery. DELIVERIES pending notifications (people with fi/sv/en) are sent by
`workflow.tasks.deliver_notifications` (DELIVERY_TASKS tasks) through a real Celery worker
(prefork, concurrency 2) on Redis to an SMTP sink in this process (aiosmtpd) that counts
messages by Message-ID. delivered_per_s = DELIVERIES / seconds from sending the tasks to the
last new message; duplicates = Message-IDs received more than once; lost = rows never received;
worker_peak_rss_mb = peak RSS of the worker's process tree (parent + children), psutil-sampled.
The sink shares the machine's CPUs with the worker and PostgreSQL: its CPU time and the worker's
are reported with the load average, to tell a busy machine from a slow worker.

The worker sends with the production backend (workflow.mail.TwoPhaseSMTPBackend) on the test
settings, from a tiny settings module in a temporary folder that turns remote control off.

One JSON object on stdout; progress on stderr.
"""

import contextlib
import email.parser
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from scratch import (
    database_urls,
    drop_scratch_database,
    log,
    recreate_database,
    redis_url,
    tree_cpu_s,
)

ROOT = Path(__file__).resolve().parent.parent
SMALL = 10_000
LARGE = 1_000_000
DUE = int(os.environ.get("BENCH_DUE", "100"))
SCAN_REPETITIONS = int(os.environ.get("BENCH_SCAN_REPETITIONS", "7"))
DELIVERIES = int(os.environ.get("BENCH_DELIVERIES", "10000"))
DELIVERY_TASKS = 4
DELIVERY_TIMEOUT = float(os.environ.get("BENCH_DELIVERY_TIMEOUT", "120"))
WORKER_CONCURRENCY = 2
PEOPLE = 30  # recipients of the delivered notifications, languages fi/sv/en in turn
LANGUAGES = ("fi", "sv", "en")
GOAL_RATIO = 2
GOAL_MS_AT_1M = 50


def execute(statement: str, params: Any = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


# --- (a) the scan ---------------------------------------------------------------------------


def build_subject() -> dict[str, Any]:
    """One real application (the deadlines' subject) and an association with two
    representatives, so every due reminder has recipients."""
    from django.contrib.contenttypes.models import ContentType

    from grants.models import Application
    from tests.factories import ApplicationFactory, AssociationFactory, UserFactory, represent

    association = AssociationFactory()
    for language in ("fi", "sv"):
        represent(UserFactory(language=language), association)
    application = ApplicationFactory(association=association)
    return {
        "content_type_id": ContentType.objects.get_for_model(Application).pk,
        "application_id": application.pk,
        "association_id": association.pk,
    }


INSERT_DEADLINES = """
INSERT INTO workflow_deadline (
    content_type_id, object_id, kind, title, due_on, status, association_id, public_body_id,
    remind_days_before, remind_to, overdue_every_days, overdue_to, next_step, next_reminder_at,
    created_at, closed_at
)
SELECT
    %(content_type_id)s,
    %(application_id)s + g - 1,  -- the first is the real application; the rest vary object_id
    'report_due',
    'Avustus ' || g,
    CASE WHEN g <= %(due)s THEN %(today)s + 14 ELSE %(today)s + 31 + g %% 365 END,
    'open',
    %(association_id)s,
    NULL,
    '[30, 14, 1]'::jsonb,
    'association',
    7,
    'association',
    CASE WHEN g <= %(due)s THEN 'before-14' ELSE 'before-30' END,
    CASE
        WHEN g <= %(due)s THEN %(due_at)s
        -- the rest: from an hour ahead, spread over the coming year
        ELSE %(now)s + interval '1 hour' + (g %% 525600) * interval '1 minute'
    END,
    %(now)s,
    NULL
FROM generate_series(%(first)s, %(last)s) AS g
"""


def insert_deadlines(subject: dict[str, Any], first: int, last: int, now, due_at) -> None:
    from django.db import DatabaseError, transaction
    from django.utils import timezone

    params = {
        **subject,
        "due": DUE,
        "today": timezone.localdate(now),
        "now": now,
        "due_at": due_at,
        "first": first,
        "last": last,
    }
    with transaction.atomic():
        # The rows' foreign keys are known good: skip the per-row checks where allowed
        # (a superuser), which halves the load time. Indexes and constraints stay as they are.
        with contextlib.suppress(DatabaseError), transaction.atomic():
            execute("SET LOCAL session_replication_role = replica")
        execute(INSERT_DEADLINES, params)
    execute("VACUUM ANALYZE workflow_deadline")
    checkpoint()


def checkpoint() -> None:
    """Write the bulk load's dirty pages now, not during a timed scan (needs the right to)."""
    from django.db import DatabaseError

    with contextlib.suppress(DatabaseError):
        execute("CHECKPOINT")


def reset_due(due_ids: list[int], due_at) -> None:
    """Untimed: the due rows are due again, the run's notifications are gone, dead tuples too."""
    execute(
        "UPDATE workflow_deadline SET next_step = 'before-14', next_reminder_at = %s "
        "WHERE id = ANY(%s)",
        [due_at, due_ids],
    )
    execute("DELETE FROM workflow_notification")
    execute("VACUUM workflow_deadline")
    execute("VACUUM workflow_notification")


def scan_query(now):
    """The select remind_due runs, built the same way."""
    from workflow.models import Deadline

    return (
        Deadline.objects.filter(status=Deadline.Status.OPEN, next_reminder_at__lte=now)
        .order_by("next_reminder_at")
        .values_list("pk", flat=True)[:500]
    )


def time_scans(size: int, due_ids: list[int], due_at) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from workflow import scans
    from workflow.models import Deadline, Notification

    open_count = Deadline.objects.filter(status=Deadline.Status.OPEN).count()
    if open_count != size:
        raise RuntimeError(f"expected {size} open deadlines, found {open_count}")
    now = timezone.now()
    plan = scan_query(now).explain()
    analysed = scan_query(now).explain(analyze=True, buffers=True)
    execution_ms = next(
        (
            float(line.split(":")[1].split()[0])
            for line in analysed.splitlines()
            if line.startswith("Execution Time")
        ),
        None,
    )

    statements: list[float] = []  # seconds each statement of the current run took

    def count(execute_, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute_(sql, params, many, context)
        finally:
            statements.append(time.perf_counter() - started)

    timings: list[float] = []
    sql_ms: list[float] = []
    written: list[int] = []
    handled: list[int] = []
    for repetition in range(SCAN_REPETITIONS + 1):  # the first is an untimed warm-up
        reset_due(due_ids, due_at)
        statements.clear()
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            done = scans.remind_due()
            elapsed = time.perf_counter() - started
        notifications = Notification.objects.count()
        if done != DUE or notifications != 2 * DUE:
            raise RuntimeError(
                f"scan at {size}: {done} deadlines handled, {notifications} notifications written"
                f" (expected {DUE} and {2 * DUE})"
            )
        if repetition:
            timings.append(elapsed * 1000)
            sql_ms.append(sum(statements) * 1000)
            written.append(notifications)
            handled.append(done)
    moved = Deadline.objects.filter(pk__in=due_ids, next_step="before-1").count()
    if moved != DUE:
        raise RuntimeError(f"scan at {size}: only {moved} of {DUE} due deadlines moved on")

    # Nothing due: what the select alone costs at this size.
    reset_due(due_ids, due_at)
    execute(
        "UPDATE workflow_deadline SET next_reminder_at = now() + interval '30 days' "
        "WHERE id = ANY(%s)",
        [due_ids],
    )
    execute("VACUUM workflow_deadline")
    checkpoint()
    empty: list[float] = []
    for _ in range(SCAN_REPETITIONS):
        started = time.perf_counter()
        if scans.remind_due() != 0:
            raise RuntimeError("a scan with nothing due handled something")
        empty.append((time.perf_counter() - started) * 1000)
    reset_due(due_ids, due_at)

    result = {
        "median_ms": statistics.median(timings),
        "runs_ms": [round(t, 2) for t in timings],
        "min_ms": min(timings),
        "deadlines_handled": handled[0],
        "notifications_written": written[0],
        "statements": len(statements),
        "sql_median_ms": statistics.median(sql_ms),
        "empty_scan_median_ms": statistics.median(empty),
        "plan": plan.splitlines()[0].strip(),
        "plan_full": [line.strip() for line in plan.splitlines()],
        "select_execution_ms": execution_ms,
    }
    log(
        f"scan at {size:>9,}: median {result['median_ms']:.1f} ms, "
        f"{result['statements']} statements taking {result['sql_median_ms']:.1f} ms, "
        f"empty scan {result['empty_scan_median_ms']:.2f} ms, "
        f"plan: {result['plan']}"
    )
    return result


def bench_scan() -> dict[str, Any]:
    from datetime import timedelta

    from django.utils import timezone

    from workflow.models import Deadline

    subject = build_subject()
    now = timezone.now()
    due_at = now - timedelta(hours=1)
    log(f"inserting {SMALL:,} deadlines ({DUE} due)")
    started = time.perf_counter()
    insert_deadlines(subject, 1, SMALL, now, due_at)
    insert_s = time.perf_counter() - started
    due = Deadline.objects.filter(next_reminder_at__lte=now).order_by("pk")
    due_ids = list(due.values_list("pk", flat=True))
    if len(due_ids) != DUE:
        raise RuntimeError(f"{len(due_ids)} deadlines due, expected {DUE}")
    small = time_scans(SMALL, due_ids, due_at)
    log(f"inserting {LARGE - SMALL:,} more deadlines (none due)")
    started = time.perf_counter()
    insert_deadlines(subject, SMALL + 1, LARGE, now, due_at)
    insert_s += time.perf_counter() - started
    log(f"  {LARGE:,} deadlines inserted, vacuumed and analysed in {insert_s:.1f} s")
    large = time_scans(LARGE, due_ids, due_at)
    return {"small": small, "large": large, "insert_s": insert_s}


# --- (b) delivery ---------------------------------------------------------------------------


class Sink:
    """aiosmtpd handler: counts messages by Message-ID."""

    def __init__(self, expected: int) -> None:
        self.seen: Counter[str] = Counter()
        self.messages = 0
        self.expected = expected
        self.complete_at = 0.0  # when the last of the expected distinct messages arrived
        self.parser = email.parser.BytesHeaderParser()

    async def handle_DATA(self, server, session, envelope) -> str:
        message_id = self.parser.parsebytes(envelope.original_content or envelope.content).get(
            "Message-ID", ""
        )
        self.seen[message_id.strip()] += 1
        self.messages += 1
        if not self.complete_at and len(self.seen) >= self.expected:
            self.complete_at = time.monotonic()
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


WORKER_SETTINGS = '''"""bench/reminders.py: the test settings (DEBUG off, SMTP from the env),
without remote control, so no pidbox keys are left behind on a shared Redis."""

from config.settings.test import *  # noqa: F403

CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
'''


def build_notifications() -> list[int]:
    from datetime import timedelta

    from django.utils import timezone

    from organisations.models import User
    from workflow.models import Notification

    execute("TRUNCATE workflow_notification, workflow_deadline")
    people = User.objects.bulk_create(
        User(
            username=f"bench-person-{n}",
            email=f"person{n}@example.fi",
            language=LANGUAGES[n % len(LANGUAGES)],
            password="!",
        )
        for n in range(PEOPLE)
    )
    now = timezone.now()
    due_on = timezone.localdate(now) + timedelta(days=14)
    rows = Notification.objects.bulk_create(
        (
            Notification(
                recipient=people[n % PEOPLE],
                key=f"bench:{n}",
                kind="report_due_before",
                language=people[n % PEOPLE].language,
                context={
                    "title": f"Avustus {n}",
                    "due_on": due_on,
                    "association": "Yhdistys ry",
                    "days_left": 14,
                },
                status=Notification.Status.PENDING,
                created_at=now,
                send_after=now,
            )
            for n in range(DELIVERIES)
        ),
        batch_size=2000,
    )
    execute("VACUUM ANALYZE workflow_notification")
    return [row.pk for row in rows]


def tree_rss(process) -> int:
    import psutil

    total = 0
    try:
        processes = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for each in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += each.memory_info().rss
    return total


def bench_delivery(bench_url: str, broker_url: str) -> dict[str, Any]:
    import psutil
    import redis
    from aiosmtpd.controller import Controller
    from celery import Celery
    from django.db import connections

    from workflow.models import Notification

    log(f"writing {DELIVERIES:,} pending notifications")
    ids = build_notifications()
    expected = {f"<notification-{pk}@avustus.local>" for pk in ids}
    connections.close_all()

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every session
    sink = Sink(DELIVERIES)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()

    queue = f"bench-reminders-{os.getpid()}"
    scratch = tempfile.TemporaryDirectory(prefix="bench-reminders-")
    Path(scratch.name, "bench_reminders_settings.py").write_text(WORKER_SETTINGS)
    worker_log = Path(scratch.name, "worker.log")
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench_reminders_settings",
        PYTHONPATH=os.pathsep.join([scratch.name, str(ROOT)]),
        DATABASE_URL=bench_url,
        REDIS_URL=broker_url,
        EMAIL_BACKEND="workflow.mail.TwoPhaseSMTPBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        NOTIFICATION_MESSAGE_ID_DOMAIN="avustus.local",
        LOG_LEVEL="INFO",
    )
    env.pop("DB_CONN_MAX_AGE", None)
    command = [
        str(ROOT / ".venv" / "bin" / "celery"),
        "-A",
        "celery_app",
        "worker",
        "--pool=prefork",
        f"--concurrency={WORKER_CONCURRENCY}",
        "--loglevel=INFO",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
    ]
    log(f"starting the worker (prefork, concurrency {WORKER_CONCURRENCY}), SMTP sink on {port}")
    with worker_log.open("w") as out:
        worker = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    tree = psutil.Process(worker.pid)
    peak = 0
    sampling = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not sampling.is_set():
            peak = max(peak, tree_rss(tree))
            sampling.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    app = Celery("bench-reminders", broker=broker_url)
    app.conf.broker_transport_options = {"visibility_timeout": 3600}
    try:
        ready_by = time.monotonic() + 60
        while " ready." not in worker_log.read_text():
            if worker.poll() is not None or time.monotonic() > ready_by:
                raise RuntimeError(f"the worker did not start:\n{worker_log.read_text()[-3000:]}")
            time.sleep(0.1)
        idle_rss = tree_rss(tree)
        worker_cpu_started = tree_cpu_s(tree)
        own_cpu_started = time.process_time()

        log(f"sending {DELIVERY_TASKS} deliver_notifications tasks")
        started = time.monotonic()
        for _ in range(DELIVERY_TASKS):
            app.send_task("workflow.tasks.deliver_notifications", queue=queue)
        deadline = started + DELIVERY_TIMEOUT
        reported = 0
        while len(sink.seen) < DELIVERIES and time.monotonic() < deadline:
            if worker.poll() is not None:
                raise RuntimeError(f"the worker died:\n{worker_log.read_text()[-3000:]}")
            time.sleep(0.05)
            if time.monotonic() - started > reported + 5:
                reported += 5
                log(f"  {len(sink.seen):,} delivered after {reported} s")
        timed_out = not sink.complete_at
        elapsed = (time.monotonic() if timed_out else sink.complete_at) - started
        worker_cpu = tree_cpu_s(tree) - worker_cpu_started
        own_cpu = time.process_time() - own_cpu_started
        # Let the tasks see the empty outbox and late duplicates arrive.
        settle_by = time.monotonic() + 10
        while time.monotonic() < settle_by:
            if not Notification.objects.filter(status=Notification.Status.PENDING).exists():
                break
            time.sleep(0.2)
        time.sleep(1)
        statuses = dict(Counter(Notification.objects.values_list("status", flat=True).order_by()))
        connections.close_all()
    finally:
        sampling.set()
        sampler.join(5)
        if worker.poll() is None:
            worker.terminate()  # warm shutdown
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, 9)
                worker.wait(5)
        controller.stop()
        worker_output = worker_log.read_text()
        scratch.cleanup()
        client = redis.Redis.from_url(broker_url)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        client.close()
        app.close()

    received = set(sink.seen)
    duplicates = sum(1 for count in sink.seen.values() if count > 1)
    lost = len(expected - received)
    result = {
        "delivered": len(received & expected),
        "messages_received": sink.messages,
        "elapsed_s": elapsed,
        "timed_out": timed_out,
        "worker_cpu_s": worker_cpu,
        "sink_process_cpu_s": own_cpu,
        "delivered_per_s": DELIVERIES / elapsed,
        "duplicates": duplicates,
        "duplicate_messages": sum(count - 1 for count in sink.seen.values() if count > 1),
        "unexpected_message_ids": len(received - expected),
        "lost": lost,
        "statuses_after": statuses,
        "worker_peak_rss_mb": peak / 2**20,
        "worker_idle_rss_mb": idle_rss / 2**20,
        "worker_warnings": sum(
            1 for line in worker_output.splitlines() if "WARNING" in line or "ERROR" in line
        ),
    }
    log(
        f"delivered {result['delivered']:,} in {elapsed:.1f} s ({result['delivered_per_s']:.0f}/s),"
        f" {duplicates} duplicates, {lost} lost, worker peak RSS {result['worker_peak_rss_mb']:.0f}"
        " MB"
    )
    return result


def main() -> None:
    began = time.monotonic()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    admin_url, bench_url, name = database_urls("bench/reminders.py", "avustus_bench_reminders")
    broker_url = redis_url("bench/reminders.py")
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DB_CONN_MAX_AGE"] = "600"
    sys.path.insert(0, str(ROOT))

    log(f"creating database {name}")
    recreate_database(admin_url, name, create=True)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        log("migrating")
        call_command("migrate", verbosity=0)
        server_version = connection.pg_version
        scan = bench_scan()
        delivery = bench_delivery(bench_url, broker_url)
    finally:
        drop_scratch_database(admin_url, name)

    small, large = scan["small"], scan["large"]
    ratio = large["median_ms"] / small["median_ms"]
    result = {
        "scan_ms_10k": round(small["median_ms"], 2),
        "scan_ms_1m": round(large["median_ms"], 2),
        "scan_ratio": round(ratio, 3),
        "delivered_per_s": round(delivery["delivered_per_s"], 1),
        "duplicates": delivery["duplicates"],
        "lost": delivery["lost"],
        "worker_peak_rss_mb": round(delivery["worker_peak_rss_mb"], 1),
        "scan_goal_met": ratio <= GOAL_RATIO and large["median_ms"] <= GOAL_MS_AT_1M,
        "goal": f"scan_ratio <= {GOAL_RATIO} and scan_ms_1m <= {GOAL_MS_AT_1M}",
        "due_per_scan": DUE,
        "deadlines_handled_per_scan": large["deadlines_handled"],
        "notifications_written_per_scan": large["notifications_written"],
        "scan_repetitions": SCAN_REPETITIONS,
        "scan_runs_ms_10k": small["runs_ms"],
        "scan_runs_ms_1m": large["runs_ms"],
        "scan_ms_per_due_deadline_1m": round(large["median_ms"] / DUE, 3),
        "scan_statements_10k": small["statements"],
        "scan_statements_1m": large["statements"],
        "scan_sql_ms_10k": round(small["sql_median_ms"], 2),
        "scan_sql_ms_1m": round(large["sql_median_ms"], 2),
        "empty_scan_ms_10k": round(small["empty_scan_median_ms"], 3),
        "empty_scan_ms_1m": round(large["empty_scan_median_ms"], 3),
        "scan_select_plan_10k": small["plan"],
        "scan_select_plan_1m": large["plan"],
        "scan_select_plan_full_1m": large["plan_full"],
        "scan_select_execution_ms_10k": small["select_execution_ms"],
        "scan_select_execution_ms_1m": large["select_execution_ms"],
        "deadline_insert_s": round(scan["insert_s"], 1),
        "deliveries": DELIVERIES,
        "delivered": delivery["delivered"],
        "delivery_elapsed_s": round(delivery["elapsed_s"], 2),
        "delivery_timed_out": delivery["timed_out"],
        "delivery_timeout_s": DELIVERY_TIMEOUT,
        "worker_cpu_s": round(delivery["worker_cpu_s"], 1),
        "worker_cpu_ms_per_message": round(delivery["worker_cpu_s"] / DELIVERIES * 1000, 2),
        "bench_process_cpu_s_during_delivery": round(delivery["sink_process_cpu_s"], 1),
        "delivery_tasks": DELIVERY_TASKS,
        "worker_concurrency": WORKER_CONCURRENCY,
        "messages_received": delivery["messages_received"],
        "duplicate_messages": delivery["duplicate_messages"],
        "unexpected_message_ids": delivery["unexpected_message_ids"],
        "notification_statuses_after": delivery["statuses_after"],
        "worker_idle_rss_mb": round(delivery["worker_idle_rss_mb"], 1),
        "worker_log_warnings": delivery["worker_warnings"],
        "worker_settings": (
            "config.settings.dev (DEBUG=True) + EMAIL_HOST/EMAIL_PORT from the environment,"
            " remote control off"
        ),
        "postgres_server_version": server_version,
        "cpus": os.cpu_count(),
        "load_average_at_start": load_at_start,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "runtime_s": round(time.monotonic() - began, 1),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
