"""Response times of the portals' main pages with 100 000 applications in the database.

    DATABASE_URL=postgres://user@host:5432/any .venv/bin/python bench/pages.py

Needs PostgreSQL. Creates a scratch database (BENCH_DATABASE, default `avustus_bench_pages`),
migrates it, fills it with one public body's year (bench/bench_data.py, in bulk): calls,
associations, BENCH_APPLICATIONS (100 000) applications spread over every state with their
budget lines, approval runs, deadlines, audit records, payables and partnership agreements,
and a round of 300 applications; then requests each main page, the round page among them, as
the person who uses it (Django's test client, in process, a signed-in session) and reports the
median and 95th percentile in milliseconds. The sign-in page, which reads nothing from the
database, is measured in the same run as the baseline the pages are compared with.

Each page's queries are counted at that size and, first, at the fewest applications that have
every state and the round (bench_data.SMALLEST, 1 300), in a transaction rolled back
afterwards: a page whose count grows with the data (a query per row) fails the run (exit 1)
after its JSON, `queries_constant` false, both counts printed.
The machine may be shared: the load average at the start and the end is in the JSON. The
scratch database is dropped at the end. Progress goes to stderr; one JSON object to stdout:

    {"median_ms": …, "p95_ms": …, "baseline_median_ms": …, "ratio": …, "pages": {…}}
"""

import json
import os
import statistics
import sys
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
APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "100000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))  # per page, after warming up
WARMUP = 5
GOAL_P95_MS = 100.0


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def _measure(client, path: str) -> tuple[list[float], int]:
    samples = page_samples(client, path, warmup=WARMUP, requests=REQUESTS)
    return samples, _queries(client, path)


def _signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _small_query_counts() -> dict[str, int]:
    """Each page's queries with bench_data.SMALLEST applications, rolled back after."""
    from bench_data import SMALLEST, main_pages, populate
    from django.db import transaction

    with transaction.atomic():
        people = populate(SMALLEST)
        counts = {}
        for label, username, path in main_pages(people):
            client = _signed_in(people[username])
            client.get(path)  # the first request's one-off reads (session, caches)
            counts[label] = _queries(client, path)
        transaction.set_rollback(True)
    return counts


def main() -> None:
    admin_url, bench_url, name = database_urls("bench/pages.py", "avustus_bench_pages")
    recreate_database(admin_url, name, create=True)
    try:
        django_setup(bench_url, str(ROOT))
        from bench_data import SMALLEST, main_pages, populate
        from django.db import connection
        from django.test import Client

        load_at_start = [round(x, 2) for x in os.getloadavg()]
        log(f"counting each page's queries at {SMALLEST} applications")
        small_counts = _small_query_counts()
        log(f"populating {APPLICATIONS} applications")
        people = populate(APPLICATIONS)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the statistics a loaded database would have
        anonymous = Client()
        baseline, _ = _measure(anonymous, "/accounts/login/")
        pages = {}
        all_samples: list[float] = []
        for label, username, path in main_pages(people):
            samples, queries = _measure(_signed_in(people[username]), path)
            all_samples += samples
            pages[label] = {
                "path": path,
                "median_ms": round(statistics.median(samples), 2),
                "p95_ms": round(percentile(samples, 0.95), 2),
                "queries": queries,
                f"queries_at_{SMALLEST}": small_counts[label],
            }
            log(f"{label}: {pages[label]}")
        baseline_median = statistics.median(baseline)
        growing = [label for label, page in pages.items() if page["queries"] != small_counts[label]]
        p95 = percentile(all_samples, 0.95)
        result = {
            "median_ms": round(statistics.median(all_samples), 2),
            "p95_ms": round(p95, 2),
            "baseline_median_ms": round(baseline_median, 2),
            "ratio": round(statistics.median(all_samples) / baseline_median, 2),
            "goal_p95_ms": GOAL_P95_MS,
            "goal_met": p95 < GOAL_P95_MS,
            "queries_constant": not growing,
            "applications": APPLICATIONS,
            "load_average_at_start": load_at_start,
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "pages": pages,
        }
        print(json.dumps(result))
        if growing:
            log(f"queries grow with the data on: {', '.join(growing)}")
            sys.exit(1)
    finally:
        drop_scratch_database(admin_url, name)


if __name__ == "__main__":
    main()
