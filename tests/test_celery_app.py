"""Every process loads the project's Celery app: a task queued by the web server goes to the
configured broker, not to Celery's default app (amqp://localhost)."""

import json
import os
import subprocess
import sys

from tests.test_deploy import PRODUCTION_ENV, ROOT

# What a task sent from this process would use: the app its proxy resolves to, and its broker.
PROBE = (
    "import json, django; {load}; "
    "from grants.tasks import generate_decision_document as task; "
    "from django.conf import settings; "
    "print(json.dumps([settings.SETTINGS_MODULE, task.app.main, task.app.conf.broker_url, "
    "task.app.amqp.router.route({{}}, 'documents.tasks.make_pdf_copy', (), {{}})['queue'].name]))"
)


def _probe(load: str, env: dict[str, str]) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(load=load)],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_wsgi_application_queues_tasks_on_the_projects_broker():
    # As gunicorn loads it (docker-compose.yml), with nothing but the production environment.
    broker = "redis://127.0.0.1:6399/7"
    found = _probe("from config.wsgi import application", {**PRODUCTION_ENV, "REDIS_URL": broker})
    assert found == ["config.settings.production", "avustus", broker, "pdf"]


def test_manage_py_processes_queue_tasks_on_the_projects_broker():
    # manage.py's own default settings, as `make run` starts runserver.
    load = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.dev'); "
        "django.setup()"
    )
    broker = "redis://127.0.0.1:6399/8"
    assert _probe(load, {"REDIS_URL": broker}) == ["config.settings.dev", "avustus", broker, "pdf"]


def test_the_worker_entry_point_keeps_the_schedule_and_the_development_default():
    load = "import celery_app; django.setup()"
    assert _probe(load, {"REDIS_URL": ""})[:3] == [
        "config.settings.dev",
        "avustus",
        "filesystem://",
    ]
