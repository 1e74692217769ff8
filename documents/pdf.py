"""PDF copies of generated documents, made with LibreOffice when it is installed.

The .docx stays the document of record; the PDF is a convenience copy. Conversions run on a
Celery queue of their own ("pdf", one at a time: LibreOffice is heavy) with a time limit.
Without LibreOffice (settings.LIBREOFFICE not found on PATH) no copy is made: one log line,
no error.

Every conversion starts LibreOffice in a fresh temporary profile (-env:UserInstallation), so
two conversions never share a profile lock and never hand their work to another running
instance; several documents can be converted in one start (`docx_to_pdf_many`).
"""

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile

from documents.models import GeneratedDocument

log = logging.getLogger(__name__)


class PdfConversionError(RuntimeError):
    """LibreOffice did not turn a document into a PDF (failed, timed out or wrote nothing)."""


def libreoffice_available() -> bool:
    """Is settings.LIBREOFFICE (a command name or a path) an executable on PATH?"""
    return bool(settings.LIBREOFFICE) and shutil.which(settings.LIBREOFFICE) is not None


def _run(command: list[str], timeout: int) -> subprocess.CompletedProcess:
    # LibreOffice's launcher forks soffice.bin: run it as the leader of its own process group
    # and kill the whole group on a timeout (or on Celery's soft time limit), so no office
    # process outlives its conversion.
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise PdfConversionError(f"LibreOffice did not finish within {timeout} s.") from exc
    finally:
        if process.poll() is None:
            _kill_group(process)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def docx_to_pdf_many(documents: list[bytes]) -> list[bytes]:
    """Convert .docx documents to PDF with one LibreOffice start; the PDFs in the same order.
    Raises PdfConversionError if LibreOffice is missing, fails, times out, or leaves any
    document without a PDF."""
    if not documents:
        return []
    binary = shutil.which(settings.LIBREOFFICE) if settings.LIBREOFFICE else None
    if binary is None:
        raise PdfConversionError(f"LibreOffice ({settings.LIBREOFFICE!r}) is not installed.")
    timeout = settings.PDF_TIMEOUT_SECONDS
    with tempfile.TemporaryDirectory(prefix="avustus-pdf-") as folder:
        work = Path(folder)
        (work / "in").mkdir()
        (work / "out").mkdir()
        inputs = []
        for number, data in enumerate(documents):
            path = work / "in" / f"{number}.docx"
            path.write_bytes(data)
            inputs.append(str(path))
        command = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "out"),
            *inputs,
        ]
        result = _run(command, timeout)
        pdfs = []
        for number in range(len(documents)):
            out = work / "out" / f"{number}.pdf"
            data = out.read_bytes() if out.exists() else b""
            if result.returncode != 0 or not data.startswith(b"%PDF"):
                output = (result.stderr or result.stdout or b"").decode("utf-8", "replace")
                raise PdfConversionError(
                    f"LibreOffice (exit status {result.returncode}) made no PDF of document "
                    f"{number + 1} of {len(documents)}: {output.strip()[-2000:] or 'no output'}"
                )
            pdfs.append(data)
        return pdfs


def docx_to_pdf(docx: bytes) -> bytes:
    """One .docx as a PDF (see docx_to_pdf_many)."""
    return docx_to_pdf_many([docx])[0]


def pdf_copy_make(document_id: int) -> bool:
    """Store the PDF copy of a generated document; True when one was made now.

    Idempotent: a document that has its copy keeps it (a redelivered or concurrent task
    converts at most once more and then stores nothing). Without LibreOffice: a log line.
    """
    if not libreoffice_available():
        log.info(
            "No PDF copy of document %s: LibreOffice (%r) is not installed.",
            document_id,
            settings.LIBREOFFICE,
        )
        return False
    document = GeneratedDocument.objects.filter(pk=document_id).first()
    if document is None:
        log.warning("No PDF copy of document %s: there is no such document.", document_id)
        return False
    if document.pdf:
        return False
    with document.file.open("rb") as handle:
        pdf = docx_to_pdf(handle.read())
    name = (
        f"{document.content_type_id}-{document.object_id}-"
        f"{document.kind}.v{document.version}.{document.language}.pdf"
    )
    field = document.pdf
    field.save(name, ContentFile(pdf), save=False)
    # Claim the empty field: a concurrent task that got here first keeps its copy.
    stored = GeneratedDocument.objects.filter(pk=document.pk, pdf="").update(pdf=field.name)
    if not stored:
        field.storage.delete(field.name)
        return False
    log.info("PDF copy of document %s: %s", document_id, field.name)
    return True
