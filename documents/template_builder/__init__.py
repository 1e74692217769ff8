"""The shipped .docx templates, built with python-docx (`manage.py build_docx_templates`).

One module per document kind holds a pure function that takes the language and returns a
`docx.Document` whose text carries docxtpl tags (`kit` builds the pieces, `appeal` holds the
appeal instructions). The only variables a template may use are those of
`documents.samples` (the lint and the tests check it); amounts go through `|money` and dates
through `|date`, which format by the context's `lang`.

The contents of a decision follow the Administrative Procedure Act (434/2003) 44–47 §: the
deciding authority and the date, the parties, the reasons (the decisive facts and the rules
applied), what was decided, the person who gives more information, and the appeal instructions
(a request for rectification within 14 days, Local Government Act 410/2015 134 §; after a
rectification decision a municipal appeal to the administrative court within 30 days, 135 §),
with the computed dates.

Layout: A4 with 2.5 cm margins, one sans-serif font (Arial) at 11 pt, spaced headings, the
header with the public body on the left and the document title, number and date on the right,
the footer with the public body's contact details and "page X of Y" (PAGE and NUMPAGES fields).
"""

import io
import zipfile
from collections.abc import Callable

from docx.document import Document

from documents.template_builder import (
    agreement,
    agreement_rectification_decision,
    grant_decision,
    payment_order,
    rectification_decision,
    round_decision_list,
)
from documents.template_builder.kit import LANGUAGES

__all__ = ["BUILDERS", "KINDS", "LANGUAGES", "build"]


KINDS = (
    "grant_decision",
    "rectification_decision",
    "payment_order",
    "agreement",
    "round_decision_list",
    "agreement_rectification_decision",
)
# Fixed, so that a rebuild gives the same bytes (and the same SHA-256) when nothing changed.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

BUILDERS: dict[str, Callable[[str], Document]] = {
    "grant_decision": grant_decision.grant_decision,
    "rectification_decision": rectification_decision.rectification_decision,
    "payment_order": payment_order.payment_order,
    "agreement": agreement.agreement,
    "round_decision_list": round_decision_list.round_decision_list,
    "agreement_rectification_decision": (
        agreement_rectification_decision.agreement_rectification_decision
    ),
}


def build(kind: str, lang: str) -> bytes:
    """The template's bytes. The zip entries carry a fixed time, so a rebuild of an unchanged
    template gives the same bytes (and the same SHA-256)."""
    if lang not in LANGUAGES:
        raise ValueError(f"Unknown language: {lang!r}")
    raw = io.BytesIO()
    BUILDERS[kind](lang).save(raw)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info))
    return out.getvalue()
