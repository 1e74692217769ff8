"""What every benchmark shares: progress on stderr and a scratch PostgreSQL database of its
own, created from DATABASE_URL and dropped at the end."""

import contextlib
import os
import sys
from urllib.parse import urlsplit, urlunsplit


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def database_urls(script: str, default_name: str) -> tuple[str, str, str]:
    """(admin URL on the `postgres` database, bench database URL, bench database name)."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit(
            f"{script} measures PostgreSQL: set DATABASE_URL=postgres://user@host:port/db"
            f" (got {url or 'nothing'!r})."
        )
    name = os.environ.get("BENCH_DATABASE", default_name)
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    bench = urlunsplit(("postgresql", parts.netloc, f"/{name}", parts.query, ""))
    return admin, bench, name


def redis_url(script: str) -> str:
    """REDIS_URL, which a bench with a real Celery worker needs."""
    url = os.environ.get("REDIS_URL", "")
    if urlsplit(url).scheme not in {"redis", "rediss"}:
        sys.exit(
            f"{script} runs a Celery worker on Redis: set REDIS_URL=redis://host:port/db"
            f" (got {url or 'nothing'!r})."
        )
    return url


def recreate_database(admin_url: str, name: str, *, create: bool) -> None:
    """Drop the scratch database (and create it afresh when `create`)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_scratch_database(admin_url: str, name: str) -> None:
    """Close Django's connections (if it was set up) and drop the scratch database."""
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # Django never got set up
        pass
    log(f"dropping database {name}")
    recreate_database(admin_url, name, create=False)


def django_setup(url: str, root: str) -> None:
    """Django on the bench database (the test settings, Django's test client's host), migrated."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["ALLOWED_HOSTS"] = "testserver"  # Django's test client
    sys.path.insert(0, root)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentile(samples: list[float], share: float) -> float:
    """The sample at `share` (0.95: the p95) of the sorted samples, nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def page_samples(client, path: str, *, warmup: int, requests: int) -> list[float]:
    """Milliseconds per GET of `path` with Django's test `client`, after `warmup` requests that
    must answer 200."""
    import time

    for _ in range(warmup):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def tree_cpu_s(process) -> float:
    """CPU seconds (user and system) of a psutil process and its children so far."""
    import psutil

    total = 0.0
    try:
        processes = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    for each in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = each.cpu_times()
            total += times.user + times.system
    return total
