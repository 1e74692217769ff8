"""PDF copies with LibreOffice: every kind of document opens in a real office suite, and the
copy is made once, on its own queue, or skipped with a log line when LibreOffice is missing.

Tests marked `libreoffice` skip without it, but never in CI (CI=true): there a missing
LibreOffice fails them (.ci/run installs libreoffice-writer-nogui and poppler-utils).
"""

import functools
import logging
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from django.conf import settings

from documents import pdf, tasks
from documents.generation import document_generate
from documents.models import GeneratedDocument, Kind
from documents.rendering import CompiledTemplate
from documents.samples import sample
from documents.templates import SHIPPED

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
LANGUAGES = ("fi", "sv", "en")
ASSOCIATION = sample("grant_decision")["association"]["name"]


@pytest.fixture(autouse=True)
def _libreoffice_required(request):
    """Like the postgres/redis markers (tests/conftest.py): skip locally, fail in CI."""
    if request.node.get_closest_marker("libreoffice") and not pdf.libreoffice_available():
        if IN_CI:
            pytest.fail("CI must run the LibreOffice tests: install libreoffice-writer-nogui.")
        pytest.skip(f"needs LibreOffice ({settings.LIBREOFFICE!r} on PATH)")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@functools.cache
def _every_document_as_pdf() -> dict[tuple[str, str], bytes]:
    """Every kind in every language, rendered from its sample, converted in one start."""
    keys = [(kind, language) for kind in Kind.values for language in LANGUAGES]
    documents = [
        CompiledTemplate((SHIPPED / f"{kind}.{language}.docx").read_bytes()).render(
            sample(kind, language)
        )
        for kind, language in keys
    ]
    return dict(zip(keys, pdf.docx_to_pdf_many(documents), strict=True))


def text_of(data: bytes, folder: Path) -> str:
    """The PDF's text, read back with pdftotext (poppler-utils)."""
    if shutil.which("pdftotext") is None:
        if IN_CI:
            pytest.fail("CI must read the PDFs back: install poppler-utils (pdftotext).")
        pytest.skip("needs pdftotext (poppler-utils)")
    path = folder / "document.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout.decode("utf-8")


@pytest.mark.libreoffice
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_of_document_converts_to_a_pdf_naming_the_association(kind, language, tmp_path):
    data = _every_document_as_pdf()[(kind, language)]

    assert data.startswith(b"%PDF")
    assert re.search(rb"/Type\s*/Page[^s]", data), "the PDF has no page"
    text = " ".join(text_of(data, tmp_path).split())
    assert ASSOCIATION in text


def _document(application, kind=Kind.GRANT_DECISION, language="fi") -> GeneratedDocument:
    return document_generate(
        application, kind=kind, language=language, context=sample(kind, language)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("binary", ["no-such-binary", ""])
def test_without_libreoffice_no_copy_is_made_and_one_line_says_so(
    application, media, settings, caplog, binary
):
    settings.LIBREOFFICE = binary
    document = _document(application)

    with caplog.at_level(logging.INFO, logger="documents.pdf"):
        assert pdf.pdf_copy_make(document.pk) is False
        assert tasks.make_pdf_copy.apply(args=[document.pk]).get() is False

    assert not pdf.libreoffice_available()
    records = [r for r in caplog.records if r.name == "documents.pdf"]
    assert len(records) == 2  # one line per attempt, and no error
    assert all(r.levelno == logging.INFO and "not installed" in r.getMessage() for r in records)
    document.refresh_from_db()
    assert not document.pdf


@pytest.mark.django_db
@pytest.mark.libreoffice
def test_the_pdf_copy_is_made_once(application, media, monkeypatch):
    document = _document(application, kind=Kind.PAYMENT_ORDER, language="sv")

    assert pdf.pdf_copy_make(document.pk) is True

    document.refresh_from_db()
    assert document.pdf.name.endswith(f"{Kind.PAYMENT_ORDER}.v1.sv.pdf")
    with document.pdf.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")
    name = document.pdf.name

    def convert_again(docx: bytes) -> bytes:
        raise AssertionError("converted a document that has its PDF copy")

    monkeypatch.setattr(pdf, "docx_to_pdf", convert_again)
    assert pdf.pdf_copy_make(document.pk) is False
    assert tasks.make_pdf_copy.apply(args=[document.pk]).get() is False
    document.refresh_from_db()
    assert document.pdf.name == name
    assert len(list((media / "documents" / "pdf").iterdir())) == 1


@pytest.mark.django_db
def test_a_copy_made_meanwhile_by_another_task_is_kept(
    application, media, settings, tmp_path, monkeypatch
):
    settings.LIBREOFFICE = _fake_office(tmp_path, "exit 0")
    document = _document(application)

    def convert(docx: bytes) -> bytes:
        # Another task stores its copy while this one converts.
        GeneratedDocument.objects.filter(pk=document.pk).update(pdf="documents/pdf/theirs.pdf")
        return b"%PDF-1.7 mine"

    monkeypatch.setattr(pdf, "docx_to_pdf", convert)
    assert pdf.pdf_copy_make(document.pk) is False

    document.refresh_from_db()
    assert document.pdf.name == "documents/pdf/theirs.pdf"
    assert list((media / "documents" / "pdf").iterdir()) == []  # ours was removed


def _fake_office(folder: Path, script: str) -> str:
    path = folder / "fake-office"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)
    return str(path)


def test_a_failed_conversion_is_a_clear_error(settings, tmp_path):
    settings.LIBREOFFICE = _fake_office(
        tmp_path, 'echo "Error: source file could not be loaded" >&2; exit 3'
    )

    with pytest.raises(pdf.PdfConversionError, match=r"exit status 3.*could not be loaded"):
        pdf.docx_to_pdf(b"PK not really a docx")


def test_a_conversion_that_writes_nothing_is_an_error(settings, tmp_path):
    settings.LIBREOFFICE = _fake_office(tmp_path, "exit 0")

    with pytest.raises(pdf.PdfConversionError, match="made no PDF of document 1 of 1"):
        pdf.docx_to_pdf(b"PK")


def test_missing_libreoffice_is_a_clear_error_for_a_direct_conversion(settings):
    settings.LIBREOFFICE = "no-such-binary"

    with pytest.raises(pdf.PdfConversionError, match="not installed"):
        pdf.docx_to_pdf(b"PK")


def test_a_conversion_past_the_timeout_is_killed_with_everything_it_started(settings, tmp_path):
    pid_file = tmp_path / "child.pid"
    settings.LIBREOFFICE = _fake_office(tmp_path, f"sleep 60 & echo $! > {pid_file}; wait")
    settings.PDF_TIMEOUT_SECONDS = 1

    started = time.monotonic()
    with pytest.raises(pdf.PdfConversionError, match="did not finish within 1 s"):
        pdf.docx_to_pdf(b"PK")

    assert time.monotonic() - started < 10
    child = int(pid_file.read_text())
    for _ in range(50):  # the office's own child process is gone too (or an unreaped zombie)
        try:
            if psutil.Process(child).status() == psutil.STATUS_ZOMBIE:
                break
        except psutil.NoSuchProcess:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the process LibreOffice started outlived the timeout")


@pytest.mark.django_db
def test_a_new_document_queues_its_pdf_copy_on_the_pdf_queue_after_commit(
    application, media, monkeypatch, django_capture_on_commit_callbacks
):
    from documents import pdf_signals  # noqa: F401  (connected in DocumentsConfig.ready)

    queued = []
    monkeypatch.setattr(
        tasks.make_pdf_copy, "apply_async", lambda args, **options: queued.append((args, options))
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = _document(application)
        assert queued == []  # not before the document's transaction commits
    for callback in callbacks:
        callback()
    assert [(args, options["queue"]) for args, options in queued] == [((document.pk,), "pdf")]

    with django_capture_on_commit_callbacks(execute=True):
        document.save()  # saving an existing document queues nothing
    assert len(queued) == 1


@pytest.mark.django_db
def test_a_broker_outage_costs_the_pdf_copy_not_the_document(
    application, media, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from documents import pdf_signals  # noqa: F401

    def broker_down(args, **options):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.make_pdf_copy, "apply_async", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        document = _document(application)

    assert GeneratedDocument.objects.filter(pk=document.pk).exists()
    assert "Could not queue documents.tasks.make_pdf_copy" in caplog.text


def test_the_task_is_routed_to_the_pdf_queue_with_time_limits():
    from celery_app import app

    task = tasks.make_pdf_copy
    route = app.amqp.router.route({}, task.name, (), {})

    assert route["queue"].name == "pdf"  # task_routes in config/celery.py
    assert task.acks_late
    assert settings.PDF_TIMEOUT_SECONDS < task.soft_time_limit < task.time_limit
