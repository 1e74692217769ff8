"""End-to-end fixtures for the reminder delivery: real processes, real sockets.

* `sink`: an aiosmtpd SMTP server on 127.0.0.1 that records every message it accepts.
* `private_redis`: a `redis-server` of our own on a free port (never the shared one on 6379),
  stopped at teardown; `stop()` / `start()` simulate a broker outage.
* `broker`: points this process's Celery app at the private Redis, so `.delay()` goes there.
* `workers`: starts real `celery worker` subprocesses on the pytest-django test database, the
  private Redis and the sink; `kill()` is a SIGKILL of the worker's whole process group.

The workers run with `config.settings.test`, pointed at the sink through EMAIL_BACKEND (the
production two-phase SMTP backend), EMAIL_HOST and EMAIL_PORT.
"""

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import pytest
import redis
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import override_settings

from celery_app import app

ROOT = Path(__file__).resolve().parents[2]
SHARED_REDIS_PORT = 6379


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert port != SHARED_REDIS_PORT
    return port


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll `condition` until it is true; fail after `timeout` seconds (a bound, not a wait)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout}s waiting for {what}")
        time.sleep(0.01)


# --- the SMTP sink -------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    to: tuple[str, ...]
    subject: str
    message_id: str
    language: str  # the <html lang> of the HTML part
    body: str


class SinkHandler:
    """Records each message the way an MTA queues it: once it has the message's end of data.

    RFC 5321 4.1.1.4 and RFC 1047: a server that has read the final "." of DATA has the
    message; a client that disappears before the 250 reply does not take it back (which is
    why "send, then commit" can duplicate). aiosmtpd would cancel the handler on such a
    disconnect, so the sink records before any processing delay or fault hook.

    Fault hooks, each firing once:
    * `delay`: seconds the server takes after receiving each message, before replying 250.
    * `on_recipient(n, callback)`: `callback()` runs when the n-th message's RCPT arrives,
      that is in the middle of the client's SMTP transaction, before the message is complete.
    * `before_accepting(n, callback)`: `callback()` runs when the n-th message has arrived
      (and is queued); the 250 reply is held until the client goes away or `release()`.
    * `after_accepting(n, callback)`: `callback()` runs just before the n-th 250 reply.
    """

    def __init__(self) -> None:
        self.port = 0
        self.delay = 0.0
        self._released = threading.Event()
        self._recipient: tuple[int, Callable[[], None]] | None = None
        self._before: tuple[int, Callable[[], None]] | None = None
        self._after: tuple[int, Callable[[], None]] | None = None
        self._lock = threading.Lock()
        self._messages: list[Received] = []
        self._transactions = 0

    def on_recipient(self, n: int, callback: Callable[[], None]) -> None:
        self._recipient = (n, callback)

    def before_accepting(self, n: int, callback: Callable[[], None]) -> None:
        self._before = (n, callback)

    def release(self) -> None:
        self._released.set()

    def after_accepting(self, n: int, callback: Callable[[], None]) -> None:
        self._after = (n, callback)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if not envelope.rcpt_tos:
            self._transactions += 1
            if self._recipient is not None and self._recipient[0] == self._transactions:
                callback = self._recipient[1]
                self._recipient = None
                callback()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        html = message.get_body(("html",)).get_content()
        lang = html.split('<html lang="', 1)[1].split('"', 1)[0] if '<html lang="' in html else ""
        received = Received(
            to=tuple(envelope.rcpt_tos),
            # Django folds a long encoded Subject right after "Subject:"; the folding
            # whitespace that unfolding leaves in front is not part of the subject.
            subject=str(message["Subject"]).strip(),
            message_id=str(message["Message-ID"]),
            language=lang,
            body=message.get_body(("plain",)).get_content(),
        )
        with self._lock:
            self._messages.append(received)
            count = len(self._messages)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self._before is not None and self._before[0] == count:
            callback = self._before[1]
            self._before = None
            callback()
            while not self._released.is_set():
                await asyncio.sleep(0.005)  # cancelled here when the client disconnects
        if self._after is not None and self._after[0] == count:
            callback = self._after[1]
            self._after = None
            callback()
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[Received]:
        with self._lock:
            return list(self._messages)

    def count(self) -> int:
        with self._lock:
            return len(self._messages)

    def by_message_id(self) -> Counter:
        return Counter(m.message_id for m in self.messages)

    def wait_for(self, count: int, timeout: float = 30) -> list[Received]:
        wait_until(lambda: self.count() >= count, timeout, f"{count} messages at the sink")
        return self.messages


@pytest.fixture
def sink() -> Iterator[SinkHandler]:
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    try:
        yield handler
    finally:
        handler.release()
        controller.stop()


# --- a private Redis -----------------------------------------------------------------------


class RedisServer:
    """A redis-server we start and stop ourselves; the shared Redis is never touched."""

    def __init__(self, port: int, folder: Path) -> None:
        assert port != SHARED_REDIS_PORT
        self.port = port
        self.folder = folder
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def ping(self) -> bool:
        try:
            return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def start(self) -> None:
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.ping, 10, f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def private_redis(tmp_path) -> Iterator[RedisServer]:
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(free_port(), folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _reset_producer_pool() -> None:
    # The app caches its broker connections (in kombu's global pool groups); after a URL
    # change or a broker restart the next `.delay()` must connect afresh to the right server.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class Broker:
    """The private Redis as this process's Celery broker; stop() and start() an outage."""

    def __init__(self, server: RedisServer) -> None:
        self.server = server
        self.url = server.url

    def stop(self) -> None:
        self.server.stop()
        _reset_producer_pool()

    def start(self) -> None:
        self.server.start()
        _reset_producer_pool()


@pytest.fixture
def broker(private_redis) -> Iterator[Broker]:
    """This process's `.delay()` publishes to the private Redis for the test's duration."""
    # Through the Django setting the app reads (namespace CELERY): Celery 5.6 looks up
    # CELERY_BROKER_URL before a plain `app.conf.broker_url` set here, and would publish to
    # REDIS_URL.
    with override_settings(CELERY_BROKER_URL=private_redis.url):
        _reset_producer_pool()
        try:
            yield Broker(private_redis)
        finally:
            _reset_producer_pool()


# --- Celery worker subprocesses ------------------------------------------------------------


class Worker:
    def __init__(self, name: str, process: subprocess.Popen, log: Path) -> None:
        self.name = name
        self.process = process
        self.log_path = log

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def ready(self) -> bool:
        if not self.alive():
            raise AssertionError(f"worker {self.name} exited:\n{self.log()[-4000:]}")
        return " ready." in self.log()

    def finished(self, task_id: str) -> bool:
        """Has this worker logged the end (success or failure) of that task?"""
        log = self.log()
        return f"[{task_id}] succeeded in" in log or f"[{task_id}] raised" in log

    def kill(self) -> None:
        """SIGKILL the worker and everything it forked (it leads its own process group)."""
        if self.process.returncode is not None:
            return  # already reaped: its process group id is no longer ours
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self) -> None:
        """Ask for a warm shutdown (SIGTERM to the process group)."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self, timeout: float = 15) -> None:
        """Warm shutdown; SIGKILL if it does not stop in time."""
        self.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def worker_database_url() -> str:
    """The pytest-django test database, as the worker's DATABASE_URL."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "postgres")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Workers:
    def __init__(self, sink: SinkHandler, broker: Broker, folder: Path) -> None:
        self.sink = sink
        self.broker = broker
        self.folder = folder
        self.started: list[Worker] = []

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            DATABASE_URL=worker_database_url(),
            REDIS_URL=self.broker.url,
            EMAIL_BACKEND="workflow.mail.TwoPhaseSMTPBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.sink.port),
            LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(
        self, name: str = "w1", pool: str = "solo", concurrency: int = 1, wait: bool = True
    ) -> Worker:
        log = self.folder / f"worker-{name}-{len(self.started)}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "celery_app",
            "worker",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            "-Q",
            "celery",
            "--loglevel=INFO",
            "-n",
            f"{name}@%h",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ]
        with log.open("wb") as out:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: killpg reaches its children
            )
        worker = Worker(name, process, log)
        self.started.append(worker)
        if wait:
            self.wait_ready(worker)
        return worker

    def wait_ready(self, *workers: Worker) -> None:
        for worker in workers:
            wait_until(worker.ready, 60, f"worker {worker.name} to be ready")

    def wait_finished(self, *task_ids: str, timeout: float = 60) -> None:
        """Wait until some worker has logged the end of each task."""

        def done() -> bool:
            return all(any(w.finished(t) for w in self.started) for t in task_ids)

        wait_until(done, timeout, f"tasks {task_ids} to finish")
        failed = [t for t in task_ids if any(f"[{t}] raised" in w.log() for w in self.started)]
        assert not failed, f"tasks failed: {failed}\n{self.logs()}"

    def result(self, task_id: str) -> str:
        """The return value a worker logged for that (finished, successful) task."""
        for worker in self.started:
            found = re.search(
                rf"\[{re.escape(task_id)}\] succeeded in [0-9.e-]+s: (.*)", worker.log()
            )
            if found:
                return found.group(1).strip()
        raise AssertionError(f"no result logged for task {task_id}")

    def logs(self) -> str:
        return "\n".join(f"--- {w.name} (pid {w.pid}) ---\n{w.log()[-3000:]}" for w in self.started)

    def stop_all(self) -> None:
        for worker in self.started:  # warm shutdowns in parallel, then wait for each
            worker.terminate()
        for worker in self.started:
            try:
                worker.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()


@pytest.fixture
def workers(sink, broker, tmp_path) -> Iterator[Workers]:
    """Start workers with `workers.start()`; every one is stopped at teardown, even on failure.

    Depends on the database through the test's django_db mark, set up first and so torn down
    last: no worker still holds a connection when pytest-django flushes the tables.
    """
    folder = tmp_path / "workers"
    folder.mkdir()
    pool = Workers(sink, broker, folder)
    try:
        yield pool
    finally:
        pool.stop_all()
        print(pool.logs())  # shown by pytest when the test failed
