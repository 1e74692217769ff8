"""Decision documents per second on one core: the project's renderer against the naive way.

Both render the shipped Finnish grant decision with the full sample context, varying the
association's name per document. The project's renderer (documents.rendering) compiles a
template once and renders each document from it; the naive way is
`DocxTemplate(path).render(ctx, env); save()` per document. The sides alternate in repeated
rounds (the machine is shared and noisy) and the medians are reported, with the peak memory
of the process. Run as `.venv/bin/python bench/documents.py`; one JSON object on stdout.
"""

import io
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402
from scratch import log  # noqa: E402

from documents.rendering import CompiledTemplate, environment  # noqa: E402
from documents.samples import sample  # noqa: E402

TEMPLATE = ROOT / "templates_docx" / "grant_decision.fi.docx"
DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


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


def main() -> None:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    batch = contexts()
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
                "goal": "docs_per_s >= 100 and ratio >= 3",
            }
        )
    )


if __name__ == "__main__":
    main()
