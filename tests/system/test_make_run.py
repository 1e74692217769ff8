"""`make run` as a newcomer starts it (README): a folder for its files that does not exist yet,
PostgreSQL and Redis from the environment; a decision's document made by the worker it started
within seconds, and its PDF copy through the PDF server it started; links that carry the port it
serves on; and Ctrl-C that leaves nothing behind (LibreOffice included)."""

import os
import signal
import subprocess
import time

import httpx
import psutil
import pytest

from tests.integration.conftest import RedisServer, free_port, wait_until
from tests.system.processes import ROOT, Database, act, api_client, require_services, sign_in

pytestmark = [pytest.mark.system, pytest.mark.postgres, pytest.mark.redis, pytest.mark.browser]


def session_processes(session_id: int) -> list[psutil.Process]:
    """The live processes of a session (a zombie has ended, it only waits to be reaped)."""
    found = []
    for process in psutil.process_iter():
        try:
            if os.getsid(process.pid) == session_id and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return found


def answers(url: str) -> bool:
    try:
        return (
            httpx.get(f"{url}/", timeout=2).status_code in (200, 302)
            and httpx.get(f"{url}/api/schema/", timeout=5).status_code == 200
        )
    except httpx.HTTPError:
        return False


def signed_in(chromium, url: str, username: str):
    page = chromium.new_context(locale="fi-FI", base_url=url).new_page()
    sign_in(page, username)
    return page


def test_make_run_serves_works_and_stops_on_ctrl_c(tmp_path, chromium, timings):
    server_url = require_services()
    database = Database(server_url)
    database.create()
    redis = RedisServer(free_port(), tmp_path)
    redis.start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    var = tmp_path / "a" / "new" / "var"  # does not exist yet
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "REDIS_URL": redis.url,
        "VAR_DIR": str(var),
        "PORT": str(port),
        "PDF_SERVER": f"127.0.0.1:{free_port()}",  # not the default port another run may hold
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("SITE_URL", None)
    log = (tmp_path / "make-run.log").open("wb")
    make = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a terminal's foreground process group, which Ctrl-C reaches
    )
    try:
        wait_until(lambda: answers(url), 240, "make run to serve / and /api/schema/")
        assert var.is_dir()

        # The demo's 15 000 € application waits for the head of service, then the board: both
        # act in the workbench, and the decision's document shows on its page.
        application_id = database.value(
            "SELECT id FROM grants_application WHERE requested_amount = 15000"
        )
        page_path = f"/workbench/applications/{application_id}/"
        daniel = signed_in(chromium, url, "daniel")
        daniel.goto(page_path)
        daniel.locator("[name='record_step-proposed_amount']").fill("12 000")
        act(daniel, "record_step")
        liisa = signed_in(chromium, url, "liisa")
        liisa.goto(page_path)
        liisa.locator("[name='decide-outcome'][value='partially_approved']").check()
        liisa.locator("[name='decide-granted_amount']").fill("12 000")
        liisa.locator("[name='decide-reasons']").fill("Lautakunta myöntää esitetyn määrän.")
        # What the processes log from the decision on: its PDF copy may be converted before
        # the page shows the document.
        logged = (tmp_path / "make-run.log").stat().st_size
        act(liisa, "decide")
        decided = time.monotonic()
        documents = liisa.locator("a[href^='/workbench/documents/']")

        def document_shown() -> bool:
            liisa.reload()
            return documents.count() > 0

        wait_until(document_shown, 10, "the decision document on the page")
        timings["make_run_decision_to_document_s"] = time.monotonic() - decided

        # Its PDF copy, converted by the PDF server (not by a LibreOffice start of its own).

        def pdf_copied() -> bool:
            return bool(
                database.value(
                    "SELECT count(*) FROM documents_generateddocument WHERE object_id = %s "
                    "AND kind = 'grant_decision' AND pdf <> ''",
                    application_id,
                )
            )

        wait_until(pdf_copied, 60, "the decision's PDF copy")
        timings["make_run_decision_to_pdf_s"] = time.monotonic() - decided
        with (tmp_path / "make-run.log").open("rb") as written:
            written.seek(logged)
            since = written.read().decode(errors="replace")
        assert "INFO:unoserver:Exporting to" in since
        assert "start of its own" not in since

        # The calendar address shown to the association carries the port make run serves on.
        feeds = api_client(url, "aino").get("/api/v1/calendar/").json()
        assert feeds
        assert all(feed["url"].startswith(f"{url}/calendar/") for feed in feeds)

        # Ctrl-C: the terminal sends SIGINT to the whole foreground process group.
        os.killpg(make.pid, signal.SIGINT)
        wait_until(lambda: not session_processes(make.pid), 30, "every process to stop")
        make.wait(timeout=10)
    finally:
        for process in session_processes(make.pid):
            process.kill()
        log.close()
        print((tmp_path / "make-run.log").read_text(errors="replace")[-4000:])
        redis.stop()
        database.drop()
