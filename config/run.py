"""What `make run` starts: the web server, a Celery worker with beat and the PDF worker, as one
command that Ctrl-C stops entirely; with PDF_SERVER set ("host:port", as `make run` sets it),
also the PDF server (LibreOffice kept running, `manage.py pdf_server`) the PDF worker uses.

    python -m config.run [--port 8000]

All run as children of this process, in its process group. On SIGINT (Ctrl-C in the terminal)
or SIGTERM every child is asked to stop, and killed if it has not stopped within
`GRACE_SECONDS`; when one child exits by itself, the others are stopped the same way. A shell
line with `&` cannot promise that: a non-interactive shell starts its background commands with
SIGINT ignored, and Python then keeps it ignored, so a child outlives Ctrl-C.

The PDF server is a speed-up, not a part the others need: when it cannot start (no python3-uno,
its port taken) or stops, one line says so and the rest runs on, the PDF worker starting
LibreOffice for each copy instead (documents.pdf).
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 10.0
# How long the workers wait for the PDF server to listen before they start without it.
PDF_SERVER_START_SECONDS = 60.0


def commands(port: int) -> list[list[str]]:
    """As docker-compose.yml runs them: a worker with beat, the PDF copies' worker (LibreOffice
    takes seconds a document, so it has a queue of its own and never holds up the decision
    documents or the messages), and the web server."""
    python = sys.executable
    var = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    celery = [python, "-m", "celery", "-A", "celery_app", "worker", "--loglevel=INFO"]
    return [
        [
            *celery,
            "-Q",
            "celery",
            "-n",
            "worker@%h",
            "--beat",
            f"--schedule={var / 'celerybeat-schedule'}",
        ],
        [*celery, "-Q", "pdf", "-n", "pdf@%h", "--concurrency=1"],
        [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
    ]


def pdf_server_command() -> list[str] | None:
    """The PDF server on PDF_SERVER, as docker-compose.yml's pdf-server; None when unset."""
    if not os.environ.get("PDF_SERVER"):
        return None
    return [sys.executable, "manage.py", "pdf_server"]


def pdf_server_wait(address: str, server: subprocess.Popen, within: float) -> bool:
    """Wait until the PDF server listens on `address` ("host:port"), so that the PDF worker's
    first copies (the demo's backlog) go through it rather than each starting LibreOffice;
    False when it stopped or did not listen within `within` seconds."""
    host, _, port = address.rpartition(":")
    deadline = time.monotonic() + within
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _default_signals() -> None:
    # Whatever started us may have ignored SIGINT; the children must hear Ctrl-C.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def stop(children: list[subprocess.Popen], grace: float = GRACE_SECONDS) -> None:
    """Ask every child still running to stop (SIGTERM), then kill what is left after `grace`."""
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + grace
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def run(port: int) -> int:
    stopping = False

    def _stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    pdf_server = pdf_server_command()
    helpers = (
        [subprocess.Popen(pdf_server, cwd=ROOT, preexec_fn=_default_signals)] if pdf_server else []
    )
    if helpers:
        pdf_server_wait(os.environ["PDF_SERVER"], helpers[0], PDF_SERVER_START_SECONDS)
    children = [
        subprocess.Popen(command, cwd=ROOT, preexec_fn=_default_signals)
        for command in commands(port)
    ]
    try:
        while not stopping and all(child.poll() is None for child in children):
            for helper in [helper for helper in helpers if helper.poll() is not None]:
                print(
                    f"The PDF server stopped (exit status {helper.returncode}): each PDF copy "
                    "now starts LibreOffice of its own.",
                    file=sys.stderr,
                    flush=True,
                )
                helpers.remove(helper)
            time.sleep(0.2)
    finally:
        stop(children + helpers)
    return 0 if stopping else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    sys.exit(run(parser.parse_args().port))


if __name__ == "__main__":
    main()
