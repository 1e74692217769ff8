"""Files kept aside on a refused application form (grants.portal.uploads) are swept away by
beat once they are a day old; a younger one stays, and a form whose kept file was swept
away no longer lists it."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone

from celery_app import app
from grants.portal import uploads
from grants.tasks import sweep_pending_uploads

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def kept_on(request, name: str) -> list[uploads.Pending]:
    assert uploads.keep(request, [(uploads.GENERAL, SimpleUploadedFile(name, PDF))]) == 0
    return uploads.pending(request)


def form_request(path: str = "/association/calls/1/apply/"):
    request = RequestFactory().post(path)
    request.session = {}
    return request


def test_beat_sweeps_the_kept_files_a_day_old_and_leaves_the_younger(time_machine):
    # The storage dates a file by the file system's real clock: the test's clock starts at the
    # real now and only moves forward from it.
    time_machine.move_to(timezone.now(), tick=False)
    request = form_request()
    [old] = kept_on(request, "tilit.pdf")
    [young] = kept_on(form_request("/association/applications/5/edit/"), "kertomus.pdf")
    assert sweep_pending_uploads() == 0

    time_machine.shift(timedelta(hours=23))
    assert sweep_pending_uploads() == 0
    assert default_storage.exists(old.path)
    assert default_storage.exists(young.path)

    time_machine.shift(timedelta(hours=2))
    assert sweep_pending_uploads() == 2
    assert not default_storage.exists(old.path)
    assert default_storage.listdir("pending") == ([], [])
    # The form that kept it no longer offers the swept file (saving it would find nothing).
    assert uploads.pending(request) == []


def test_a_storage_without_kept_files_is_swept_without_error():
    assert sweep_pending_uploads() == 0


def test_beat_runs_the_sweep_every_hour():
    entry = app.conf.beat_schedule["sweep-pending-uploads"]
    assert entry == {"task": "grants.tasks.sweep_pending_uploads", "schedule": 3600.0}
    assert entry["task"] in app.tasks
