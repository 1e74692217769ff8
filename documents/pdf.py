"""PDF copies of generated documents, made with LibreOffice when it is installed.

The .docx stays the document of record; the PDF is a convenience copy. Conversions run on a
Celery queue of their own ("pdf", one at a time: LibreOffice is heavy) with a time limit.
Without LibreOffice (settings.LIBREOFFICE not found on PATH) no copy is made: one log line,
no error.

With settings.PDF_SERVER ("host:port" of `manage.py pdf_server`: unoserver in front of a
LibreOffice that stays running) a copy goes through that server, a fraction of a second each.
When the server does not answer, fails or takes too long, the copy is made the cold way below,
with one log line: the server is a speed-up, never a new way for a copy to fail.

The cold way starts LibreOffice in a fresh temporary profile (-env:UserInstallation), so two
conversions never share a profile lock and never hand their work to another running instance;
several documents can be converted in one start (`docx_to_pdf_many`).
"""

import contextlib
import http.client
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import xmlrpc.client
from pathlib import Path
from xml.parsers.expat import ExpatError

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


# What talking to the PDF server can raise.
_SERVER_ERRORS = (
    OSError,  # refused, unreachable, timed out
    ValueError,  # an address that is no "host:port"
    http.client.HTTPException,
    xmlrpc.client.Error,  # the server's own error (Fault), an HTTP error status
    ExpatError,  # an answer that is no XML-RPC
)


class _TimedTransport(xmlrpc.client.Transport):
    # xmlrpc.client waits for ever by default: a server that hangs would hold the PDF queue.
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


def server_answers(address: str, timeout: float = 5) -> bool:
    """Does the PDF server at `address` answer (its XML-RPC introspection)?"""
    try:
        proxy = xmlrpc.client.ServerProxy(f"http://{address}/", transport=_TimedTransport(timeout))
        return "convert" in proxy.system.listMethods()
    except _SERVER_ERRORS:
        return False


def server_docx_to_pdf(docx: bytes, address: str, timeout: float) -> bytes:
    """One .docx as a PDF, converted by the PDF server at `address` ("host:port").

    Speaks unoserver's XML-RPC API version 3 (its own client imports LibreOffice's `uno`,
    which the project's Python does not have). Raises PdfConversionError when the server does
    not answer within `timeout` seconds, answers with an error, or sends back no PDF."""
    try:
        proxy = xmlrpc.client.ServerProxy(
            f"http://{address}/", transport=_TimedTransport(timeout), allow_none=True
        )
        # convert(inpath, indata, outpath, convert_to, filtername, filter_options,
        # update_index): the document travels in the request and the PDF in the answer, so the
        # server may run in another container. No index update: the cold conversion does none
        # either, and both must make the same copy.
        result = proxy.convert(None, xmlrpc.client.Binary(docx), None, "pdf", None, [], False)
    except _SERVER_ERRORS as exc:
        raise PdfConversionError(f"The PDF server at {address} did not convert: {exc}") from exc
    data = getattr(result, "data", b"")
    if not data.startswith(b"%PDF"):
        raise PdfConversionError(f"The PDF server at {address} sent back no PDF.")
    return data


def docx_to_pdf(docx: bytes) -> bytes:
    """One .docx as a PDF: through settings.PDF_SERVER when it converts, else cold (see
    docx_to_pdf_many)."""
    if settings.PDF_SERVER:
        try:
            return server_docx_to_pdf(docx, settings.PDF_SERVER, settings.PDF_TIMEOUT_SECONDS)
        except PdfConversionError as exc:
            log.warning("%s; converting with a LibreOffice start of its own.", exc)
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
