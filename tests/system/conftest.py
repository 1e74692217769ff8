"""The product as it is deployed, in separate OS processes: the system tests' harness.

`deployment` starts what docker-compose.yml starts, on this machine: the web server under
gunicorn with the production settings, a Celery worker, the PDF worker (`-Q pdf`,
concurrency 1) and beat, on a PostgreSQL database of its own, a private `redis-server` and an
aiosmtpd sink standing in for the mail server. It is migrated, its static files collected and
the demo loaded as a newcomer would. Nothing of this process is shared with them: the tests talk
to them over HTTP (httpx, Chromium) and SMTP, and read the database only to check what was
saved.

Tests marked `system` skip without PostgreSQL, Redis or Chromium on a laptop and fail in CI
(tests/conftest.py). Each records its timings with `timings`; the run prints them at the end.
"""

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator

import pytest
from aiosmtpd.controller import Controller

from tests.integration.conftest import RedisServer, SinkHandler, free_port, wait_until
from tests.system.processes import (
    PRODUCTION_ENV,
    Database,
    Deployment,
    celery,
    require_services,
    sign_in,
    web_answers,
)

TIMINGS: dict[str, float] = {}


def pytest_terminal_summary(terminalreporter) -> None:
    if TIMINGS:
        terminalreporter.write_line(
            "system timings (s): " + json.dumps({k: round(v, 2) for k, v in TIMINGS.items()})
        )


@pytest.fixture
def timings() -> dict[str, float]:
    """Seconds a test measured, printed at the end of the run (see the module docstring)."""
    return TIMINGS


@pytest.fixture(scope="session")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    """What docker-compose.yml runs, started once for the system tests (see the docstring)."""
    server_url = require_services()
    folder = tmp_path_factory.mktemp("deployment")
    database = Database(server_url)
    database.create()
    redis = RedisServer(free_port(), folder)
    sink = SinkHandler()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "DATABASE_URL": database.url,
        "REDIS_URL": redis.url,
        "VAR_DIR": str(folder / "var"),
        "SITE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_PORT": str(controller.port),
    }
    deployment = Deployment(url, env, folder, database, redis, sink)
    try:
        redis.start()
        controller.start()
        sink.port = controller.port
        deployment.manage("migrate", "--noinput", "-v0")
        deployment.manage("collectstatic", "--noinput", "-v0")
        deployment.manage("demo")
        deployment.start(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
        )
        worker = deployment.start("worker", celery("worker", "-Q", "celery", "-n", "worker@%h"))
        pdf = deployment.start(
            "pdf-worker", celery("worker", "-Q", "pdf", "--concurrency=1", "-n", "pdf@%h")
        )
        deployment.start(
            "beat", celery("beat", f"--schedule={folder / 'var' / 'celerybeat-schedule'}")
        )
        wait_until(web_answers(url), 60, "gunicorn to answer")
        for process in (worker, pdf):
            wait_until(lambda p=process: " ready." in p.log(), 60, f"{process.name} ready")
        yield deployment
    finally:
        deployment.stop()
        print(deployment.logs())  # shown by pytest when a test failed
        sink.release()
        with contextlib.suppress(Exception):
            controller.stop()
        redis.stop()
        database.drop()


# --- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    from tests.portals.conftest import chromium_path

    executable = chromium_path()
    if executable is None:
        pytest.skip("needs Chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


@pytest.fixture
def browse(chromium, deployment) -> Iterator[Callable[[str], object]]:
    """browse(username): a fresh tab signed in as that demo person, in Finnish."""
    contexts = []

    def _tab(username: str):
        context = chromium.new_context(locale="fi-FI", base_url=deployment.url)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username)
        return page

    yield _tab
    for context in contexts:
        context.close()
