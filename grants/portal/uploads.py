"""Files chosen on an application form that came back with errors: kept aside until the form
is saved, so nothing the person gave is lost (issue 14) while nothing of the application is
saved on a 400. A browser never sends a file back, so the page cannot carry them: they wait in
the storage under `pending/`, listed in the person's session by the form's address, and become
attachments when the form is saved."""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils import timezone

from workflow.attachments import validate_attachment

_SESSION_KEY = "grants.pending_uploads"
_FOLDER = "pending"
# A file kept this long was given up on (the form was never saved): the beat sweeps it away
# (grants.tasks.sweep_pending_uploads), so abandoned files do not pile up in the storage.
KEPT_FOR = timedelta(days=1)
# The general attachments field of the form; a file question's uploads go by its key.
GENERAL = "files"


@dataclass
class Pending:
    slot: str  # GENERAL or a file question's key
    name: str
    path: str


def _listed(request: HttpRequest) -> dict[str, list[dict[str, str]]]:
    return request.session.get(_SESSION_KEY, {})


def pending(request: HttpRequest) -> list[Pending]:
    """The files kept for the form at this address, but for any the sweep has removed since."""
    kept = [Pending(**entry) for entry in _listed(request).get(request.path, [])]
    return [entry for entry in kept if default_storage.exists(entry.path)]


def keep(request: HttpRequest, uploads: list[tuple[str, Any]]) -> int:
    """Set aside the files of a refused post that are acceptable files; returns how many were
    not (their error is on the page: they are chosen again). A file question's new file
    replaces the one kept for it."""
    kept = [vars(entry) for entry in pending(request)]
    refused = 0
    for slot, upload in uploads:
        try:
            validate_attachment(upload)
        except ValidationError:
            refused += 1
            continue
        if slot != GENERAL:
            kept = [entry for entry in kept if entry["slot"] != slot]
        path = default_storage.save(f"{_FOLDER}/{uuid.uuid4().hex}/{upload.name}", upload)
        kept.append({"slot": slot, "name": upload.name, "path": path})
    if kept:
        listed = _listed(request)
        listed[request.path] = kept
        request.session[_SESSION_KEY] = listed
    return refused


def opened(entry: Pending) -> File:
    """A kept file, to be stored as an attachment under its own name."""
    return File(default_storage.open(entry.path, "rb"), name=entry.name)


def forget(request: HttpRequest) -> None:
    """After the form was saved: the kept files are attachments now."""
    for entry in pending(request):
        default_storage.delete(entry.path)
    listed = _listed(request)
    if listed.pop(request.path, None) is not None:
        request.session[_SESSION_KEY] = listed


def pending_sweep() -> int:
    """Removes the kept files older than KEPT_FOR, and their folders; returns how many files.
    Each file lives in a folder of its own (`keep`), so a folder is removed with its file."""
    if not default_storage.exists(_FOLDER):
        return 0
    cutoff = timezone.now() - KEPT_FOR
    swept = 0
    folders, _files = default_storage.listdir(_FOLDER)
    for folder in folders:
        path = f"{_FOLDER}/{folder}"
        _nested, names = default_storage.listdir(path)
        old = [
            name for name in names if default_storage.get_modified_time(f"{path}/{name}") < cutoff
        ]
        for name in old:
            default_storage.delete(f"{path}/{name}")
        swept += len(old)
        if len(old) == len(names) and not _nested:
            default_storage.delete(path)
    return swept
