"""The pieces the system tests start the product with (tests/system/conftest.py): its own
PostgreSQL database, its processes, and the environment a trial deployment gives them."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest

from tests.integration.conftest import RedisServer, SinkHandler
from tests.test_deploy import PRODUCTION_ENV as DEPLOY_CHECK_ENV

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo"  # grants.demo.PASSWORD
# The production settings' required facts, as a trial deployment sets them (docker-compose.yml).
PRODUCTION_ENV = {
    **DEPLOY_CHECK_ENV,
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECURE_SSL_REDIRECT": "0",
    "EMAIL_HOST": "127.0.0.1",
    "LOG_LEVEL": "INFO",
    "PYTHONUNBUFFERED": "1",
}


class Database:
    """A PostgreSQL database of the deployment's own, next to the one DATABASE_URL names."""

    def __init__(self, server_url: str) -> None:
        parts = urlsplit(server_url)
        # Named after DATABASE_URL's own database, so that runs sharing a server (one per
        # worktree) tell their databases apart.
        base = parts.path.strip("/") or "avustus"
        self.name = f"{base}_system_{uuid.uuid4().hex[:8]}"
        self.admin_url = parts._replace(path="/postgres").geturl()
        self.url = parts._replace(path=f"/{self.name}").geturl()

    def create(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def query(self, sql: str, *params) -> list[tuple]:
        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()

    def value(self, sql: str, *params):
        rows = self.query(sql, *params)
        return rows[0][0] if rows else None


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM to its process group (a warm shutdown), SIGKILL if it does not end."""
        if self.popen.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)


def process_start(name: str, command: list[str], env: dict[str, str], log: Path) -> Process:
    """`command` started in the project's folder with `env`, its output into `log` (also what
    bench/round.py starts its Celery worker with)."""
    with log.open("ab") as out:
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: killpg reaches its children
        )
    return Process(name, popen, log)


@dataclass
class Deployment:
    url: str
    env: dict[str, str]
    folder: Path
    database: Database
    redis: RedisServer
    sink: SinkHandler
    processes: dict[str, Process] = field(default_factory=dict)

    # -- processes --------------------------------------------------------------------------

    def start(self, name: str, command: list[str], **env: str) -> Process:
        process = process_start(name, command, {**self.env, **env}, self.folder / f"{name}.log")
        self.processes[name] = process
        return process

    def manage(self, *args: str, timeout: float = 300) -> str:
        """A management command run as an operator would, in the deployment's environment."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-4000:]}"
        return result.stdout

    def run_task(self, name: str) -> None:
        """Queue a periodic task now, through the real broker, as beat does on its schedule."""
        self.manage(
            "shell", "-c", f"from celery import current_app; current_app.send_task({name!r})"
        )

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.log()[-3000:]}" for p in self.processes.values())

    def stop(self) -> None:
        for process in self.processes.values():
            process.stop()

    # -- HTTP -------------------------------------------------------------------------------

    def client(self, username: str | None = None, language: str = "fi") -> httpx.Client:
        return api_client(self.url, username, language)


def api_client(url: str, username: str | None = None, language: str = "fi") -> httpx.Client:
    """An API client: signed in with a token from POST /api/v1/auth/token/ when given a
    username (the production session cookie is Secure, which plain http does not carry)."""
    client = httpx.Client(base_url=url, headers={"Accept-Language": language}, timeout=30)
    if username:
        response = client.post(
            "/api/v1/auth/token/", json={"username": username, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        client.headers["Authorization"] = f"Token {response.json()['token']}"
    return client


def require_services() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("needs DATABASE_URL=postgres://…")
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    return url


def web_answers(url: str) -> Callable[[], bool]:
    def answers() -> bool:
        try:
            return httpx.get(f"{url}/accounts/login/", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    return answers


def celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "celery_app", *args, "--loglevel=INFO"]


# --- in the browser ------------------------------------------------------------------------


def sign_in(page, username: str) -> None:
    """Through the sign-in form, as the demo person would (the page's base URL set)."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"


def act(page, action: str) -> None:
    """Presses the button of one of the workbench's action forms."""
    page.locator(f"form[action$='/actions/{action}/'] button[type=submit]").first.click()
    page.wait_for_load_state()
