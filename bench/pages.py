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
scratch database is dropped at the end, unless BENCH_KEEP=1: then it stays, filled, for
EXPLAIN ANALYZE of the pages' queries at full size. Progress goes to stderr; one JSON object
to stdout:

    {"median_ms": …, "p95_ms": …, "baseline_median_ms": …, "ratio": …, "pages": {…}, …}

The yearly association report is among the pages, but its samples are not in "median_ms" and
"p95_ms" (the daily pages' goal, 100 ms): it sums a whole year and has its own,
"report_p95_ms" (goal 1 s).

Then the year's sent decisions are published (publicity.Publication, in bulk) and the public
pages and the open data are requested as an anonymous visitor: "public_p95_ms" (the pages;
goal 50 ms) and "public_pages" (each, the open data included).
"""

import json
import os
import statistics
import sys
from decimal import Decimal
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
KEEP = os.environ.get("BENCH_KEEP") == "1"  # leave the filled database for EXPLAIN ANALYZE
GOAL_P95_MS = 100.0
PUBLIC_GOAL_P95_MS = 50.0  # the public pages (publicity/), read by anyone without signing in
# The yearly association report sums a body's whole year (grants, the forms' indicators,
# agreements, premises, meetings): a printable report read a few times a year, measured on its
# own against its own goal rather than the daily pages'.
REPORT_LABEL = "workbench: the yearly association report"
REPORT_GOAL_P95_MS = 1000.0


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
            # The statistics and the visibility map a loaded database has from autovacuum (a
            # bulk load is vacuumed within a minute): the counts read the indexes alone.
            cursor.execute("VACUUM ANALYZE")
        anonymous = Client()
        baseline, _ = _measure(anonymous, "/accounts/login/")
        pages = {}
        all_samples: list[float] = []
        report_samples: list[float] = []
        for label, username, path in main_pages(people):
            samples, queries = _measure(_signed_in(people[username]), path)
            if label == REPORT_LABEL:
                report_samples = samples
            else:
                all_samples += samples
            pages[label] = {
                "path": path,
                "median_ms": round(statistics.median(samples), 2),
                "p95_ms": round(percentile(samples, 0.95), 2),
                "queries": queries,
                f"queries_at_{SMALLEST}": small_counts[label],
            }
            log(f"{label}: {pages[label]}")
        public = _public_pages(anonymous)
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
            "report_p95_ms": round(percentile(report_samples, 0.95), 2),
            "report_goal_p95_ms": REPORT_GOAL_P95_MS,
            "report_goal_met": percentile(report_samples, 0.95) < REPORT_GOAL_P95_MS,
            "applications": APPLICATIONS,
            "load_average_at_start": load_at_start,
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "pages": pages,
            **public,
        }
        print(json.dumps(result))
        if growing:
            log(f"queries grow with the data on: {', '.join(growing)}")
            sys.exit(1)
    finally:
        if KEEP:
            log(f"keeping database {name} (BENCH_KEEP=1)")
        else:
            drop_scratch_database(admin_url, name)


def _public_pages(client) -> dict:
    """The public pages and the open data as an anonymous visitor, once the year's decisions
    are published: {"public_p95_ms": …, "public_goal_p95_ms": 50, "public_pages": {…}}."""
    from bench_data import S
    from django.db import connection
    from django.urls import reverse

    from grants.models import Application
    from premises.models import Premises
    from publicity.models import Publication

    log("publishing the decisions sent")
    sent = Application.objects.filter(
        state__in=[S.NOTIFIED, S.LEGALLY_VALID, S.PAID, S.REPORT_SUBMITTED, S.CLOSED]
    ).values(
        "pk",
        "call_id",
        "association_id",
        "call__public_body_id",
        "granted_amount",
        "reasons",
        "decided_at",
        "state",
    )
    Publication.objects.bulk_create(
        (
            Publication(
                application_id=a["pk"],
                public_body_id=a["call__public_body_id"],
                call_id=a["call_id"],
                association_id=a["association_id"],
                year=a["decided_at"].year,
                amount_awarded=a["granted_amount"],
                decided_at=a["decided_at"],
                reasons=a["reasons"] if a["state"] == S.NOTIFIED else "",
                published_on=a["decided_at"].date(),
                residents_appeal_ends_on=a["decided_at"].date(),
                personal_data_removed_at=None if a["state"] == S.NOTIFIED else a["decided_at"],
            )
            for a in sent.iterator()
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    one = Publication.objects.filter(personal_data_removed_at__isnull=True).order_by("-pk").first()
    year = one.year
    # The body's catalogue of free premises: a city's few dozen entries.
    premises = Premises.objects.bulk_create(
        Premises(
            public_body_id=one.public_body_id,
            name=f"Nuorisotalo {n}, sali",
            address=f"Kirkkokatu {n}",
            postal_code="99100",
            town="Esimerkkilä",
            capacity=40,
            hours_available="ma–pe 17–21",
            booking_email="tilavaraus@esimerkkila.example.fi",
            value_per_hour=Decimal("20.00"),
        )
        for n in range(1, 41)
    )[0]
    paths = [
        ("public: home", reverse("public:home")),
        ("public: a call", reverse("public:call", args=[one.call_id])),
        ("public: decisions", reverse("public:decisions")),
        ("public: a decision", reverse("public:decision", args=[one.pk])),
        ("public: support", f"{reverse('public:support')}?year={year}"),
        (
            "public: support in a call",
            f"{reverse('public:support')}?year={year}&call={one.call_id}",
        ),
        ("public: liaison and meetings", reverse("public:liaison")),
        ("public: free premises", reverse("public:premises-list")),
        ("public: a premises", reverse("public:premises-detail", args=[premises.pk])),
        ("open data: json", reverse("public:grants-json")),
        ("open data: csv", reverse("public:grants-csv")),
    ]
    pages, samples = {}, []
    for label, path in paths:
        page_samples_, queries = _measure(client, path)
        if label.startswith("public:"):
            samples += page_samples_
        pages[label] = {
            "path": path,
            "median_ms": round(statistics.median(page_samples_), 2),
            "p95_ms": round(percentile(page_samples_, 0.95), 2),
            "queries": queries,
        }
        log(f"{label}: {pages[label]}")
    return {
        "public_p95_ms": round(percentile(samples, 0.95), 2),
        "public_goal_p95_ms": PUBLIC_GOAL_P95_MS,
        "public_pages": pages,
    }


if __name__ == "__main__":
    main()
