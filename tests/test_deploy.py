"""Production settings pass Django's deployment checks (and refuse to start without a secret)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 30 + "-long-random-production-secret-value",
    "PAYER_NAME": "Esimerkkilän kaupunki",
    "PAYER_IBAN": "FI4950009420028730",
    "PAYER_BIC": "OKOYFIHH",
    "ADMINISTRATIVE_COURT_NAME": "Helsingin hallinto-oikeus",
    "ADMINISTRATIVE_COURT_ADDRESS": "Radanrakentajantie 5, 00520 Helsinki",
    "ADMINISTRATIVE_COURT_EMAIL": "helsinki.hao@oikeus.fi",
}


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _check_deploy({**PRODUCTION_ENV, "ALLOWED_HOSTS": "avustukset.example.fi"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_the_payer_account():
    env = {k: v for k, v in os.environ.items() if k != "PAYER_IBAN"}
    env.update({k: v for k, v in PRODUCTION_ENV.items() if k != "PAYER_IBAN"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "PAYER_IBAN" in result.stderr


# --- docker-compose.yml: services that come back and say whether they are alive ------------


def compose_service(name: str) -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"][name]


def compose_health_command(name: str) -> str:
    """The service's health check as the container's shell runs it: compose turns `$$` into a
    literal `$` (its own interpolation would read `$VAR` from the host)."""
    kind, command = compose_service(name)["healthcheck"]["test"]
    assert kind == "CMD-SHELL"
    return command.replace("$$", "$")


# Ids that are not marker names: tests/conftest.py would skip a test with the keyword "redis".
@pytest.mark.parametrize(
    "service",
    ["postgres", "redis", "web", "worker", "pdf-server", "pdf-worker", "beat"],
    ids=lambda service: f"{service}-service",
)
def test_compose_restarts_every_service_that_exits(service):
    assert compose_service(service)["restart"] == "unless-stopped"


@pytest.mark.parametrize("service", ["worker", "pdf-worker"])
def test_compose_pings_each_worker_by_its_own_node_name(service):
    # Neither command names the node, so each is celery@<its container's hostname>.
    assert " -n " not in compose_service(service)["command"]
    assert compose_health_command(service).startswith(
        "celery -A celery_app inspect ping -d celery@$HOSTNAME "
    )


def test_compose_runs_the_pdf_server_for_the_pdf_worker_on_its_own_network_only():
    server = compose_service("pdf-server")
    assert server["command"] == "python manage.py pdf_server 0.0.0.0:2003"
    assert "ports" not in server  # its API reads and writes files by path
    assert compose_service("pdf-worker")["environment"]["PDF_SERVER"] == "pdf-server:2003"
    assert "system.listMethods" in compose_health_command("pdf-server")


def test_compose_checks_that_beat_still_ticks():
    # Beat writes its schedule under VAR_DIR, and the heartbeat next to it (config/beat.py).
    assert "--schedule" not in compose_service("beat")["command"]
    assert "$VAR_DIR/celerybeat-schedule.heartbeat" in compose_health_command("beat")
