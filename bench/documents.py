"""Decision documents per second on one core: the project's renderer against the naive way.

Both render the shipped Finnish grant decision with the full sample context, varying the
association's name per document. The project's renderer (documents.rendering) compiles a
template once and renders each document from it; the naive way is
`DocxTemplate(path).render(ctx, env); save()` per document. The sides alternate in repeated
rounds (the machine is shared and noisy) and the medians are reported, with the peak memory
of the process.

In the same run, PDF copies per second: through the PDF server (`manage.py pdf_server`, started
and stopped by this run: LibreOffice kept running behind unoserver) against the cold way, one
LibreOffice start per document, as documents.pdf makes them without a server. Both convert the
same rendered decisions, in alternating rounds, timed by the wall clock (the work is done in
LibreOffice's processes, not in this one), before this process pins itself to one core.

Run as `.venv/bin/python bench/documents.py`; one JSON object on stdout.
"""

import contextlib
import io
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()  # documents.pdf reads the settings (LIBREOFFICE, PDF_TIMEOUT_SECONDS)

from django.conf import settings  # noqa: E402
from docxtpl import DocxTemplate  # noqa: E402
from scratch import log  # noqa: E402

from documents import pdf  # noqa: E402
from documents.management.commands.pdf_server import uno_missing  # noqa: E402
from documents.rendering import CompiledTemplate, environment  # noqa: E402
from documents.samples import sample  # noqa: E402

TEMPLATE = ROOT / "templates_docx" / "grant_decision.fi.docx"
DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# PDF copies per round: through the server, and cold (a LibreOffice start, about a second each).
PDF_DOCUMENTS = int(os.environ.get("BENCH_PDF_DOCUMENTS", "30"))
COLD_DOCUMENTS = int(os.environ.get("BENCH_COLD_DOCUMENTS", "5"))


def contexts() -> list[dict]:
    base = sample("grant_decision", "fi")
    return [
        {**base, "association": {**base["association"], "name": f"Yhdistys {n} & Co ry"}}
        for n in range(DOCUMENTS)
    ]


def project(batch: list[dict]) -> float:
    started = time.process_time()
    template = CompiledTemplate(TEMPLATE.read_bytes())
    for context in batch:
        template.render(context)
    return len(batch) / (time.process_time() - started)


def naive(batch: list[dict]) -> float:
    env = environment()
    started = time.process_time()
    for context in batch:
        document = DocxTemplate(TEMPLATE)
        document.render(context, env)
        document.save(io.BytesIO())
    return len(batch) / (time.process_time() - started)


@contextlib.contextmanager
def pdf_server() -> Iterator[str]:
    """A PDF server of this run's own on a free port, as `make run` starts it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{probe.getsockname()[1]}"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "pdf_server", address],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not pdf.server_answers(address, timeout=2):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the PDF server on {address} did not start")
            time.sleep(0.2)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=60)


def through_server(address: str, documents: list[bytes]) -> float:
    started = time.perf_counter()
    for document in documents:
        pdf.server_docx_to_pdf(document, address, settings.PDF_TIMEOUT_SECONDS)
    return len(documents) / (time.perf_counter() - started)


def cold(documents: list[bytes]) -> float:
    started = time.perf_counter()
    for document in documents:
        pdf.docx_to_pdf_many([document])
    return len(documents) / (time.perf_counter() - started)


def pdf_copies(batch: list[dict]) -> dict:
    """PDF copies per second through the server and cold, or why they were not measured."""
    missing = None if pdf.libreoffice_available() else "LibreOffice is not installed"
    missing = missing or uno_missing()
    if missing:
        log(f"no PDF copies measured: {missing}")
        return {"pdf_per_s": None, "cold_pdf_per_s": None, "pdf_ratio": None, "pdf": missing}
    template = CompiledTemplate(TEMPLATE.read_bytes())
    documents = [template.render(context) for context in batch[:PDF_DOCUMENTS]]
    served, started = [], []
    with pdf_server() as address:
        through_server(address, documents[:2])  # warm up: LibreOffice loads the Word filter
        for round_ in range(1, ROUNDS + 1):
            served.append(through_server(address, documents))
            started.append(cold(documents[:COLD_DOCUMENTS]))
            log(f"round {round_}: PDF server {served[-1]:.2f}/s, cold {started[-1]:.2f}/s")
    pdf_per_s = statistics.median(served)
    cold_per_s = statistics.median(started)
    return {
        "pdf_per_s": round(pdf_per_s, 2),
        "cold_pdf_per_s": round(cold_per_s, 2),
        "pdf_ratio": round(pdf_per_s / cold_per_s, 2),
        "pdf_per_s_runs": [round(x, 2) for x in served],
        "cold_pdf_per_s_runs": [round(x, 2) for x in started],
        "pdf_documents_per_round": len(documents),
        "cold_documents_per_round": min(COLD_DOCUMENTS, len(documents)),
        "pdf_timing": "wall clock, every core, one document at a time (as the PDF worker)",
    }


def main() -> None:
    batch = contexts()
    copies = pdf_copies(batch)  # before pinning: LibreOffice runs as deployed
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    project(batch[:10])  # warm up both (imports, caches)
    naive(batch[:10])
    ours, theirs = [], []
    for round_ in range(1, ROUNDS + 1):
        ours.append(project(batch))
        theirs.append(naive(batch))
        log(f"round {round_}: project {ours[-1]:.0f}/s, naive {theirs[-1]:.0f}/s")
    docs_per_s = statistics.median(ours)
    naive_per_s = statistics.median(theirs)
    print(
        json.dumps(
            {
                "docs_per_s": round(docs_per_s, 1),
                "naive_docs_per_s": round(naive_per_s, 1),
                "ratio": round(docs_per_s / naive_per_s, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "documents_per_round": DOCUMENTS,
                "rounds": ROUNDS,
                "docs_per_s_runs": [round(x, 1) for x in ours],
                "naive_docs_per_s_runs": [round(x, 1) for x in theirs],
                "template": TEMPLATE.name,
                "timing": "CPU time of this process, pinned to one core",
                **copies,
                "goal": "docs_per_s >= 150 and ratio >= 3; pdf_ratio >= 5",
            }
        )
    )


if __name__ == "__main__":
    main()
