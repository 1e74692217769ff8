"""Production settings pass Django's deployment checks (and refuse to start without a secret)."""

import os
import subprocess
import sys
from pathlib import Path

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
