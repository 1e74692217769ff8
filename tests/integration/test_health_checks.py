"""docker-compose.yml's health checks, run as the container's shell runs them, against real
processes: a worker answers its ping; beat's heartbeat is fresh while beat ticks and goes stale
once beat has stopped."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.conftest import ROOT, wait_until
from tests.test_deploy import compose_health_command, compose_service

pytestmark = [pytest.mark.redis]

# The virtualenv's `celery`, as the image has it on PATH.
PATH = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"


def health(service: str, env: dict[str, str]) -> int:
    check = compose_service(service)["healthcheck"]
    result = subprocess.run(
        ["sh", "-c", compose_health_command(service)],
        cwd=ROOT,
        env={**env, "PATH": PATH},
        capture_output=True,
        timeout=float(check["timeout"].removesuffix("s")) + 30,
    )
    return result.returncode


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_running_worker_answers_the_compose_health_check(workers):
    # compose names no node: the worker is celery@<hostname>, as in its container.
    workers.start("celery", pool="prefork")
    env = {**workers.env(), "HOSTNAME": socket.gethostname()}
    assert health("worker", env) == 0


def test_the_beat_health_check_passes_while_beat_ticks_and_fails_once_it_has_stopped(
    private_redis, tmp_path
):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "REDIS_URL": private_redis.url,
        "VAR_DIR": str(tmp_path),
        "PATH": PATH,
    }
    heartbeat = tmp_path / "celerybeat-schedule.heartbeat"
    assert health("beat", env) != 0  # no beat has ever run here

    # compose's command; a tick every second instead of every minute keeps the test short.
    command = f"{compose_service('beat')['command']} --max-interval=1"
    with (tmp_path / "beat.log").open("wb") as log:
        beat = subprocess.Popen(
            ["sh", "-c", f"exec {command}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(lambda: heartbeat.exists() or beat.poll() is not None, 60, "beat's heartbeat")
        assert beat.poll() is None, (tmp_path / "beat.log").read_text()
        assert health("beat", env) == 0

        # Beat keeps the heartbeat fresh: one made to look ten minutes old is touched again.
        stale = time.time() - 600
        os.utime(heartbeat, (stale, stale))
        wait_until(lambda: heartbeat.stat().st_mtime > stale + 1, 10, "beat's next tick")
        assert health("beat", env) == 0
    finally:
        os.killpg(beat.pid, signal.SIGTERM)
        beat.wait(timeout=30)

    # Stopped, beat touches nothing: once the heartbeat is older than the check allows (made
    # so here instead of waiting for it), the check fails.
    os.utime(heartbeat, (stale, stale))
    assert health("beat", env) != 0
