"""PDF copies through a running LibreOffice (`manage.py pdf_server`, settings.PDF_SERVER), and
the cold conversion standing in, with one log line, whenever that server does not convert.

The server tests start a real server (LibreOffice behind unoserver, run by the Python that has
Debian's python3-uno); marked `libreoffice`, they skip without it locally and fail in CI."""

import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
import xmlrpc.client
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xmlrpc.server import SimpleXMLRPCServer

import psutil
import pytest
from django.core.management import CommandError, call_command

from documents import pdf
from documents.management.commands.pdf_server import uno_missing
from documents.models import Kind
from documents.rendering import CompiledTemplate
from documents.samples import sample
from documents.templates import SHIPPED
from tests.documents.test_pdf import (
    ASSOCIATION,
    IN_CI,
    _document,
    _every_document_as_pdf,
    _fake_office,
    _libreoffice_required,  # noqa: F401  (autouse: the `libreoffice` marker)
    media,  # noqa: F401
    text_of,
)
from tests.integration.conftest import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
PDF_LOG = "documents.pdf"


@dataclass
class Server:
    address: str
    process: subprocess.Popen


def _session_processes(session_id: int) -> list[psutil.Process]:
    alive = []
    for process in psutil.process_iter():
        try:
            if os.getsid(process.pid) == session_id and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return alive


@pytest.fixture(scope="module")
def pdf_server(tmp_path_factory) -> Iterator[Server]:
    """A real PDF server on a free port, as `make run` and compose start it."""
    missing = None if pdf.libreoffice_available() else "LibreOffice"
    missing = missing or uno_missing()
    if missing:
        if IN_CI:
            pytest.fail(f"CI must run the PDF server: {missing} (.ci/run installs python3-uno).")
        pytest.skip(f"needs the PDF server's LibreOffice and uno: {missing}")
    address = f"127.0.0.1:{free_port()}"
    log_path = tmp_path_factory.mktemp("pdf-server") / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "pdf_server", address],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(
            lambda: process.poll() is not None or pdf.server_answers(address, timeout=2),
            120,
            "the PDF server to answer",
        )
        assert process.poll() is None, log_path.read_text(errors="replace")
        yield Server(address, process)
    finally:
        process.terminate()
        process.wait(timeout=60)
        # The server stops its LibreOffice: nothing of the session outlives it.
        wait_until(lambda: not _session_processes(process.pid), 60, "LibreOffice to stop")


def _docx(kind: str = Kind.GRANT_DECISION, language: str = "sv") -> bytes:
    return CompiledTemplate((SHIPPED / f"{kind}.{language}.docx").read_bytes()).render(
        sample(kind, language)
    )


def _no_cold_start(documents: list[bytes]) -> list[bytes]:
    raise AssertionError("started LibreOffice although the PDF server converts")


def _page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


@pytest.mark.libreoffice
@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("kind", Kind.values)
def test_the_server_makes_the_copy_a_cold_start_makes(
    kind, language, pdf_server, settings, monkeypatch, caplog, tmp_path
):
    cold = _every_document_as_pdf()[(kind, language)]
    settings.PDF_SERVER = pdf_server.address
    monkeypatch.setattr(pdf, "docx_to_pdf_many", _no_cold_start)

    with caplog.at_level(logging.INFO, logger=PDF_LOG):
        data = pdf.docx_to_pdf(_docx(kind, language))

    assert data.startswith(b"%PDF")
    assert not [r for r in caplog.records if r.name == PDF_LOG]
    assert _page_count(data) == _page_count(cold) > 0
    text = text_of(data, tmp_path)
    assert ASSOCIATION in " ".join(text.split())
    assert text == text_of(cold, tmp_path)


@pytest.mark.django_db
@pytest.mark.libreoffice
@pytest.mark.usefixtures("media")
def test_a_documents_copy_is_stored_through_the_server(
    application, pdf_server, settings, monkeypatch
):
    settings.PDF_SERVER = pdf_server.address
    monkeypatch.setattr(pdf, "docx_to_pdf_many", _no_cold_start)
    document = _document(application, kind=Kind.PAYMENT_ORDER, language="sv")

    assert pdf.pdf_copy_make(document.pk) is True

    document.refresh_from_db()
    with document.pdf.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")


# --- the cold conversion stands in when the server does not convert --------------------------


def _rpc_server(convert) -> Iterator[str]:
    server = SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False, allow_none=True)
    server.register_function(convert, "convert")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def nothing_listens() -> str:
    return f"127.0.0.1:{free_port()}"


@pytest.fixture
def server_fails() -> Iterator[str]:
    def convert(*args):
        raise RuntimeError("LibreOffice died")

    yield from _rpc_server(convert)


@pytest.fixture
def server_sends_no_pdf() -> Iterator[str]:
    yield from _rpc_server(lambda *args: xmlrpc.client.Binary(b"<html>oops</html>"))


@pytest.fixture
def server_hangs(settings) -> Iterator[str]:
    """Accepts the connection and never answers."""
    settings.PDF_TIMEOUT_SECONDS = 1
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield f"127.0.0.1:{listener.getsockname()[1]}"


@pytest.fixture
def not_an_address() -> str:
    return "127.0.0.1:no-port"


@pytest.mark.parametrize(
    "server",
    ["nothing_listens", "server_fails", "server_sends_no_pdf", "server_hangs", "not_an_address"],
)
def test_when_the_server_does_not_convert_the_copy_is_made_cold_with_one_log_line(
    server, request, settings, monkeypatch, caplog
):
    settings.PDF_SERVER = address = request.getfixturevalue(server)
    cold = []
    monkeypatch.setattr(pdf, "docx_to_pdf_many", lambda docs: cold.extend(docs) or [b"%PDF cold"])

    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger=PDF_LOG):
        assert pdf.docx_to_pdf(b"PK docx") == b"%PDF cold"

    assert time.monotonic() - started < 10  # the hanging server is left after its timeout
    assert cold == [b"PK docx"]
    records = [r for r in caplog.records if r.name == PDF_LOG]
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert address in records[0].getMessage()


def test_without_a_server_the_copy_is_made_cold_and_quietly(settings, monkeypatch, caplog):
    settings.PDF_SERVER = ""
    monkeypatch.setattr(pdf, "server_docx_to_pdf", _no_cold_start)  # never tried
    monkeypatch.setattr(pdf, "docx_to_pdf_many", lambda docs: [b"%PDF cold"])

    with caplog.at_level(logging.INFO, logger=PDF_LOG):
        assert pdf.docx_to_pdf(b"PK docx") == b"%PDF cold"

    assert not [r for r in caplog.records if r.name == PDF_LOG]


@pytest.mark.django_db
@pytest.mark.usefixtures("media")
def test_a_server_that_is_down_costs_the_person_nothing(
    application, settings, tmp_path, nothing_listens, caplog
):
    # A cold "LibreOffice" that writes a PDF for each document it is given.
    settings.LIBREOFFICE = _fake_office(
        tmp_path,
        'while [ $# -gt 0 ]; do case "$1" in --outdir) out="$2"; shift;; '
        '*.docx) printf "%%PDF-1.7 cold" > "$out/$(basename "$1" .docx).pdf";; esac; shift; done',
    )
    settings.PDF_SERVER = nothing_listens
    document = _document(application)

    with caplog.at_level(logging.INFO, logger=PDF_LOG):
        assert pdf.pdf_copy_make(document.pk) is True

    document.refresh_from_db()
    with document.pdf.open("rb") as handle:
        assert handle.read() == b"%PDF-1.7 cold"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- `manage.py pdf_server` refuses clearly what it cannot run ------------------------------


def test_the_server_command_refuses_an_address_without_a_port(settings):
    with pytest.raises(CommandError, match='"host:port"'):
        call_command("pdf_server", "localhost")


def test_the_server_command_refuses_to_start_without_an_address(settings):
    settings.PDF_SERVER = ""
    with pytest.raises(CommandError, match="PDF_SERVER"):
        call_command("pdf_server")


def test_the_server_command_refuses_a_port_in_use(settings):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(CommandError, match="in use"):
            call_command("pdf_server", f"127.0.0.1:{taken.getsockname()[1]}")


def test_the_server_command_refuses_to_start_without_libreoffice(settings):
    settings.LIBREOFFICE = "no-such-binary"
    with pytest.raises(CommandError, match="not installed"):
        call_command("pdf_server", f"127.0.0.1:{free_port()}")


def test_the_server_command_names_the_missing_uno_bridge(settings, tmp_path):
    settings.LIBREOFFICE = _fake_office(tmp_path, "exit 0")  # found on the path
    with pytest.raises(CommandError, match="python3-uno"):
        call_command("pdf_server", f"127.0.0.1:{free_port()}", python=sys.executable)
