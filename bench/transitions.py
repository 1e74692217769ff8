"""Transitions per second through the real API, against the same SQL replayed raw.

    DATABASE_URL=postgres://user@host:5432/any .venv/bin/python bench/transitions.py

Needs PostgreSQL. Creates a scratch database (BENCH_DATABASE, default `avustus_bench`) on the
server DATABASE_URL points at, migrates it, and drops it at the end.

The transition pair is the completion loop: the preparer's `request_completion` (submitted ->
returned) and the representative's `resubmit` (returned -> submitted), each a POST to
/api/v1/applications/<id>/transitions/ with token authentication. Four worker processes are
the four clients; each works on its own applications, so no client waits on another's lock.

The raw side replays, through psycopg in the same four processes, every statement one API
request of each transition ran (captured with `connection.execute_wrapper`), with the same
transaction structure (the service's atomic block as BEGIN ... COMMIT, the reads around it in
autocommit), the same client-side binding, fresh timestamps and the worker's own application
ids. The ratio api_tps / raw_tps is then roughly the share of an API transition's cost that is
the database's own work; the rest is Python, Django and DRF.

The floor side measures what no cut to the transition can go below: the same client, token and
endpoint, asking for a transition on a record it cannot see, which the API answers 404 after
authenticating and one locking query (4 statements instead of 12-14). `floor_ratio`
(floor_tps / raw_tps) is the ratio an API transition would reach if it cost no more than that
refusal: the ceiling of `ratio` on this stack and this machine.

Both sides are warmed up, then measured three times each, interleaved, for a fixed duration;
the medians are reported as one JSON object on stdout. Progress goes to stderr.
"""

import json
import logging
import multiprocessing
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scratch import database_urls, drop_scratch_database, log, recreate_database

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 4
REPETITIONS = 3
DURATION = float(os.environ.get("BENCH_DURATION", "4"))  # seconds per measured phase
WARMUP = float(os.environ.get("BENCH_WARMUP", "1.5"))  # seconds per side, before measuring
APPS_PER_CLIENT = 3
# Application ids start far above every other id in the bench database, so the replay can tell
# an application id apart from any other integer parameter.
FIRST_APPLICATION_ID = 1_000_001
PAIR = ("request_completion", "resubmit")
COMMENT = "Liitä talousarvio."
UNSEEN_OFFSET = 500_000  # no application has an id this far above the bench's own


# --- set-up, in the parent ------------------------------------------------------------------


def build_data() -> dict[str, Any]:
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from organisations.models import OfficialRole
    from tests.factories import (
        ApplicationFactory,
        AssociationFactory,
        CallFactory,
        PublicBodyFactory,
        UserFactory,
        grant_role,
        represent,
    )
    from workflow.transitions import transition_perform

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('grants_application', 'id'), %s, false)",
            [FIRST_APPLICATION_ID],
        )
    body = PublicBodyFactory()
    preparer = grant_role(UserFactory(username="preparer"), body, OfficialRole.Role.PREPARER)
    association = AssociationFactory()
    representative = represent(UserFactory(username="rep"), association)
    call = CallFactory(public_body=body)

    def submitted_application() -> int:
        app = ApplicationFactory(call=call, association=association, created_by=representative)
        return transition_perform(app, "submit", actor=representative).pk

    capture_app = submitted_application()
    apps = [[submitted_application() for _ in range(APPS_PER_CLIENT)] for _ in range(CLIENTS)]
    return {
        "tokens": {
            "request_completion": Token.objects.create(user=preparer).key,
            "resubmit": Token.objects.create(user=representative).key,
        },
        "capture_app": capture_app,
        "apps": apps,
    }


class ApiClients:
    """One authenticated API client per transition of the pair; `unseen` makes every request
    ask for a record outside the person's reach (the floor side)."""

    def __init__(self, tokens: dict[str, str], *, unseen: bool = False) -> None:
        from rest_framework.test import APIClient

        self.expected = 404 if unseen else 200
        self.offset = UNSEEN_OFFSET if unseen else 0
        self.clients = {}
        for name, key in tokens.items():
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            self.clients[name] = client

    def perform(self, name: str, app_id: int) -> None:
        body = {"transition": name, "comment": COMMENT if name == "request_completion" else ""}
        response = self.clients[name].post(
            f"/api/v1/applications/{app_id + self.offset}/transitions/", body, format="json"
        )
        if response.status_code != self.expected:
            raise RuntimeError(f"{name} on {app_id}: {response.status_code} {response.content!r}")


def capture(clients: ApiClients, app_id: int) -> dict[str, list[tuple[str, Any, bool]]]:
    """The statements one API request of each transition runs: (sql, params, in transaction)."""
    from django.db import connection

    plan: dict[str, list[tuple[str, Any, bool]]] = {}
    for name in PAIR:
        statements: list[tuple[str, Any, bool]] = []

        def record(execute, sql, params, many, context, statements=statements):
            if many:
                raise RuntimeError("executemany in a transition: the replay does not handle it")
            statements.append((sql, params, context["connection"].in_atomic_block))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            clients.perform(name, app_id)
        plan[name] = statements
    return plan


def short(sql: str) -> str:
    sql = " ".join(sql.split())
    if sql.startswith("SELECT"):
        where = sql.find(" WHERE ")
        table = sql[sql.find(" FROM ") + 6 :].split()[0]
        tail = sql[where : where + 70] if where > 0 else ""
        for_update = " FOR UPDATE" if "FOR UPDATE" in sql else ""
        return f"SELECT … FROM {table}{tail}…{for_update}"
    return sql[:90] + ("…" if len(sql) > 90 else "")


# --- the workers ----------------------------------------------------------------------------


def fresh_params(params: Any, app_id: int, captured_id: int) -> Any:
    if params is None:
        return None
    now = datetime.now(UTC)
    out = []
    for value in params:
        if isinstance(value, int) and not isinstance(value, bool) and value == captured_id:
            value = type(value)(app_id)  # keeps psycopg's Int8 and friends
        elif isinstance(value, datetime):
            value = now
        out.append(value)
    return out


class RawReplay:
    def __init__(self, url: str, plan: dict[str, list], captured_id: int) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor)
        self.conn.execute("SET TIME ZONE 'UTC'")  # as Django's connection does
        self.plan = plan
        self.captured_id = captured_id

    def perform(self, name: str, app_id: int) -> None:
        in_transaction = False
        with self.conn.cursor() as cursor:
            try:
                for sql, params, atomic in self.plan[name]:
                    if atomic and not in_transaction:
                        cursor.execute("BEGIN")
                        in_transaction = True
                    elif not atomic and in_transaction:
                        cursor.execute("COMMIT")
                        in_transaction = False
                    cursor.execute(sql, fresh_params(params, app_id, self.captured_id))
                    if cursor.description is not None:
                        cursor.fetchall()
                if in_transaction:
                    cursor.execute("COMMIT")
            except BaseException:
                if in_transaction:
                    self.conn.execute("ROLLBACK")
                raise


def worker(index: int, setup: dict[str, Any], commands, barrier) -> None:
    from django.db import connections

    connections.close_all()  # never use the parent's connection after the fork
    # The floor's 404s would each log a warning: left out, which only flatters the floor.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    apps = setup["apps"][index]
    sides = {
        "api": ApiClients(setup["tokens"]),
        "raw": RawReplay(setup["bench_url"], setup["plan"], setup["capture_app"]),
        "floor": ApiClients(setup["tokens"], unseen=True),
    }
    try:
        while (command := commands.recv()) is not None:
            side, duration = command
            performer = sides[side]
            latencies: list[float] = []
            barrier.wait()
            started = time.monotonic()
            cpu_started = time.process_time()
            deadline = started + duration
            turn = 0
            # Whole pairs only, so every application is back in `submitted` between phases.
            while time.monotonic() < deadline:
                app_id = apps[turn % len(apps)]
                turn += 1
                for name in PAIR:
                    begun = time.perf_counter()
                    performer.perform(name, app_id)
                    latencies.append(time.perf_counter() - begun)
            commands.send(
                {
                    "count": len(latencies),
                    "started": started,
                    "ended": time.monotonic(),
                    "cpu_s": time.process_time() - cpu_started,
                    "median_s": statistics.median(latencies),
                }
            )
    except BaseException as exc:
        commands.send({"error": f"{type(exc).__name__}: {exc}"})
        raise
    finally:
        sides["raw"].conn.close()
        connections.close_all()


def run_phase(pipes, barrier, side: str, duration: float) -> dict[str, Any]:
    for pipe in pipes:
        pipe.send((side, duration))
    barrier.wait()
    results = [pipe.recv() for pipe in pipes]
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        raise RuntimeError(f"{side} worker failed: {errors}")
    count = sum(r["count"] for r in results)
    elapsed = max(r["ended"] for r in results) - min(r["started"] for r in results)
    return {
        "tps": count / elapsed,
        "count": count,
        "elapsed": elapsed,
        "median_ms": statistics.median(r["median_s"] for r in results) * 1000,
        # CPU the client processes themselves spent per transition (not PostgreSQL's).
        "client_cpu_ms": sum(r["cpu_s"] for r in results) / count * 1000,
    }


def check_database(apps: list[list[int]], performed: int) -> None:
    """Both sides really did the work: one audit row per transition, every pair completed."""
    from grants.models import Application
    from workflow.models import Deadline, TransitionLog

    ids = [app_id for ids in apps for app_id in ids]
    logged = TransitionLog.objects.filter(object_id__in=ids, transition__in=PAIR).count()
    states = set(Application.objects.filter(pk__in=ids).values_list("state", flat=True))
    met = Deadline.objects.filter(object_id__in=ids, status="met").count()
    if logged != performed or states != {"submitted"} or met != performed // 2:
        raise RuntimeError(
            f"the database disagrees: {performed} transitions performed, {logged} audit rows,"
            f" {met} deadlines met, states {states}"
        )


def main() -> None:
    began = time.monotonic()
    admin_url, bench_url, name = database_urls("bench/transitions.py", "avustus_bench")
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ["DB_CONN_MAX_AGE"] = "600"  # persistent connections, as in production
    sys.path.insert(0, str(ROOT))

    log(f"creating database {name}")
    recreate_database(admin_url, name, create=True)
    workers: list[multiprocessing.Process] = []
    pipes = []
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        log("migrating")
        call_command("migrate", verbosity=0)
        setup = build_data()
        setup["bench_url"] = bench_url
        clients = ApiClients(setup["tokens"])
        for _ in range(3):  # warm the parent's caches, then capture a steady-state request
            clients.perform("request_completion", setup["capture_app"])
            clients.perform("resubmit", setup["capture_app"])
        setup["plan"] = capture(clients, setup["capture_app"])
        server_version = connection.pg_version
        connections.close_all()  # the workers must not inherit an open connection

        context = multiprocessing.get_context("fork")
        barrier = context.Barrier(CLIENTS + 1, timeout=120)
        for index in range(CLIENTS):
            parent_end, child_end = context.Pipe()
            process = context.Process(
                target=worker, args=(index, setup, child_end, barrier), daemon=True
            )
            process.start()
            workers.append(process)
            pipes.append(parent_end)

        log("warming up")
        performed = run_phase(pipes, barrier, "api", WARMUP)["count"]
        performed += run_phase(pipes, barrier, "raw", WARMUP)["count"]
        run_phase(pipes, barrier, "floor", WARMUP)
        runs: dict[str, list[dict[str, Any]]] = {"api": [], "raw": [], "floor": []}
        for repetition in range(REPETITIONS):
            order = ("api", "raw", "floor") if repetition % 2 == 0 else ("floor", "raw", "api")
            for side in order:
                runs[side].append(run_phase(pipes, barrier, side, DURATION))
                if side != "floor":  # the floor changes nothing
                    performed += runs[side][-1]["count"]
                log(f"repetition {repetition + 1} {side}: {runs[side][-1]['tps']:.1f} tps")
        for pipe in pipes:
            pipe.send(None)
        for process in workers:
            process.join(30)
        check_database(setup["apps"], performed)

        api_tps = statistics.median(r["tps"] for r in runs["api"])
        raw_tps = statistics.median(r["tps"] for r in runs["raw"])
        floor_tps = statistics.median(r["tps"] for r in runs["floor"])
        plan = setup["plan"]
        result = {
            "api_tps": round(api_tps, 1),
            "raw_tps": round(raw_tps, 1),
            "ratio": round(api_tps / raw_tps, 3),
            "goal_ratio": 0.5,
            "floor_tps": round(floor_tps, 1),
            "floor_ratio": round(floor_tps / raw_tps, 3),
            "clients": CLIENTS,
            "repetitions": REPETITIONS,
            "duration_s_per_phase": DURATION,
            "warmup_s_per_side": WARMUP,
            "api_transitions": sum(r["count"] for r in runs["api"]),
            "raw_transitions": sum(r["count"] for r in runs["raw"]),
            "api_tps_runs": [round(r["tps"], 1) for r in runs["api"]],
            "raw_tps_runs": [round(r["tps"], 1) for r in runs["raw"]],
            "ratio_runs": [
                round(a["tps"] / r["tps"], 3) for a, r in zip(runs["api"], runs["raw"], strict=True)
            ],
            "api_latency_ms_median": round(
                statistics.median(r["median_ms"] for r in runs["api"]), 2
            ),
            "raw_latency_ms_median": round(
                statistics.median(r["median_ms"] for r in runs["raw"]), 2
            ),
            "api_client_cpu_ms_per_transition": round(
                statistics.median(r["client_cpu_ms"] for r in runs["api"]), 2
            ),
            "raw_client_cpu_ms_per_transition": round(
                statistics.median(r["client_cpu_ms"] for r in runs["raw"]), 2
            ),
            "floor_client_cpu_ms_per_request": round(
                statistics.median(r["client_cpu_ms"] for r in runs["floor"]), 2
            ),
            "transition_pair": (
                "request_completion (preparer, submitted->returned) + "
                "resubmit (representative, returned->submitted)"
            ),
            "statements_per_request": {n: len(s) for n, s in plan.items()},
            "statements_in_transaction": {n: sum(a for *_, a in s) for n, s in plan.items()},
            "sql": {n: [short(sql) for sql, _, _ in s] for n, s in plan.items()},
            "postgres_server_version": server_version,
            "cpus": os.cpu_count(),
            "runtime_s": None,
        }
    finally:
        for process in workers:
            if process.is_alive():
                process.terminate()
                process.join(5)
        drop_scratch_database(admin_url, name)
    result["runtime_s"] = round(time.monotonic() - began, 1)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
