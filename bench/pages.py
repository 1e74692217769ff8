"""Response times of the portals' main pages with 10 000 applications in the database.

    DATABASE_URL=postgres://user@host:5432/any .venv/bin/python bench/pages.py

Needs PostgreSQL. Creates a scratch database (BENCH_DATABASE, default `avustus_bench_pages`),
migrates it, fills it with one public body's year: calls, associations, 10 000 applications
spread over every state with their budget lines, approval runs, deadlines, audit records,
payables and partnership agreements; then requests each main page as the person who uses it
(Django's test client, in process, a signed-in session) and reports the median and 95th
percentile in milliseconds. The sign-in page, which reads nothing from the database, is
measured in the same run as the baseline the pages are compared with. The scratch database is
dropped at the end. Progress goes to stderr; one JSON object to stdout:

    {"median_ms": …, "p95_ms": …, "baseline_median_ms": …, "ratio": …, "pages": {…}, …}

Then the year's sent decisions are published (public.Publication, in bulk) and the public
pages and the open data are requested as an anonymous visitor: "public_p95_ms" (the pages;
goal 50 ms) and "public_pages" (each, the open data included).
"""

import json
import os
import statistics
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
APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "10000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))  # per page, after warming up
WARMUP = 5
GOAL_P95_MS = 100.0
PUBLIC_GOAL_P95_MS = 50.0  # the public pages (public/), read by anyone without signing in


def _measure(client, path: str) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = page_samples(client, path, warmup=WARMUP, requests=REQUESTS)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return samples, len(queries)


def main() -> None:
    admin_url, bench_url, name = database_urls("bench/pages.py", "avustus_bench_pages")
    recreate_database(admin_url, name, create=True)
    try:
        django_setup(bench_url, str(ROOT))
        from bench_data import main_pages, populate
        from django.db import connection
        from django.test import Client

        log(f"populating {APPLICATIONS} applications")
        people = populate(APPLICATIONS)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the statistics a loaded database would have
        anonymous = Client()
        baseline, _ = _measure(anonymous, "/accounts/login/")
        pages = {}
        all_samples: list[float] = []
        for label, username, path in main_pages(people):
            client = Client()
            client.force_login(people[username])
            samples, queries = _measure(client, path)
            all_samples += samples
            pages[label] = {
                "path": path,
                "median_ms": round(statistics.median(samples), 2),
                "p95_ms": round(percentile(samples, 0.95), 2),
                "queries": queries,
            }
            log(f"{label}: {pages[label]}")
        public = _public_pages(anonymous)
        baseline_median = statistics.median(baseline)
        result = {
            "median_ms": round(statistics.median(all_samples), 2),
            "p95_ms": round(percentile(all_samples, 0.95), 2),
            "baseline_median_ms": round(baseline_median, 2),
            "ratio": round(statistics.median(all_samples) / baseline_median, 2),
            "goal_p95_ms": GOAL_P95_MS,
            "applications": APPLICATIONS,
            "pages": pages,
            **public,
        }
        print(json.dumps(result))
    finally:
        drop_scratch_database(admin_url, name)


def _public_pages(client) -> dict:
    """The public pages and the open data as an anonymous visitor, once the year's decisions
    are published: {"public_p95_ms": …, "public_goal_p95_ms": 50, "public_pages": {…}}."""
    from bench_data import S
    from django.db import connection
    from django.urls import reverse

    from grants.models import Application
    from public.models import Publication

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
        cursor.execute("ANALYZE")
    one = Publication.objects.filter(personal_data_removed_at__isnull=True).order_by("-pk").first()
    year = one.year
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
