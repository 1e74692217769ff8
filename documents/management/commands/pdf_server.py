"""`manage.py pdf_server [host:port]`: one LibreOffice kept running behind unoserver's XML-RPC,
which documents.pdf converts through (settings.PDF_SERVER). `make run` starts it (config/run.py)
and docker-compose.yml runs it as the pdf-server service.

unoserver's server needs LibreOffice's `uno` module, which Debian's python3-uno gives the
system Python (/usr/bin/python3), not the project's virtualenv. unoserver itself is pure Python
and pinned in pyproject.toml, so this command checks what the server needs and then replaces
itself (exec: the same process, so a stop signal reaches the server, which stops LibreOffice)
with that Python running the virtualenv's copy of unoserver.
"""

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

UNO_PYTHON = "/usr/bin/python3"
# Appended, never prepended: the system Python keeps its own standard library and `uno`, and
# finds only unoserver in the virtualenv's folder.
BOOT = (
    "import sys; sys.path.append(sys.argv.pop(1)); "
    "from unoserver.server import main; sys.exit(main())"
)


def listen_address(address: str) -> tuple[str, int]:
    """("host", port) of "host:port" (an IPv6 host in brackets: "[::1]:2003")."""
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f'The PDF server\'s address must be "host:port", not {address!r}.')
    return host, int(port)


def uno_missing(python: str = UNO_PYTHON) -> str | None:
    """Why `python` cannot run unoserver's server, or None when it imports LibreOffice's uno."""
    try:
        bridge = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{python} cannot run: {exc}"
    if bridge.returncode != 0:
        return (
            f"{python} cannot import LibreOffice's uno module (Debian: apt-get install "
            "python3-uno)."
        )
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        # As the XML-RPC server binds (SimpleXMLRPCServer.allow_reuse_address): a port that
        # a stopped server left in TIME_WAIT is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = (
        "Run LibreOffice behind unoserver's XML-RPC for the PDF copies (settings.PDF_SERVER); "
        "needs LibreOffice and Debian's python3-uno."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "address", nargs="?", help='"host:port" to listen on (default: PDF_SERVER)'
        )
        parser.add_argument(
            "--python",
            default=UNO_PYTHON,
            help=f"a Python that imports LibreOffice's uno (default: {UNO_PYTHON})",
        )

    def handle(self, *args, address: str | None = None, python: str = UNO_PYTHON, **options):
        address = address or settings.PDF_SERVER
        if not address:
            raise CommandError('Give the address to listen on ("host:port") or set PDF_SERVER.')
        host, port = listen_address(address)
        # unoserver finds a taken port only after starting LibreOffice, and then leaves that
        # LibreOffice running: refuse before.
        if not _port_free(host, port):
            raise CommandError(f"{host}:{port} is in use: is a PDF server running already?")
        office = shutil.which(settings.LIBREOFFICE) if settings.LIBREOFFICE else None
        if office is None:
            raise CommandError(f"LibreOffice ({settings.LIBREOFFICE!r}) is not installed.")
        missing = uno_missing(python)
        if missing:
            raise CommandError(missing)
        # The folder that holds the unoserver package (its __init__ imports uno: not here).
        folder = Path(importlib.util.find_spec("unoserver").origin).parent.parent
        argv = [
            python,
            "-c",
            BOOT,
            str(folder),
            "--interface",
            host,
            "--port",
            str(port),
            # LibreOffice's own (UNO) port, on the loopback only: a free one, so two servers
            # on one machine never talk to each other's LibreOffice.
            "--uno-port",
            str(_free_port()),
            "--executable",
            office,
            # A conversion stuck past this ends LibreOffice and the server (compose restarts
            # it); documents.pdf gives up at the same time and converts cold.
            "--conversion-timeout",
            str(settings.PDF_TIMEOUT_SECONDS),
        ]
        self.stdout.write(f"PDF server on {host}:{port}: {office} through {python}")
        self.stdout.flush()
        sys.stderr.flush()
        os.execv(python, argv)
