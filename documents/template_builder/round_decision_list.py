"""The round's decision list (päätösluettelo): the annex the decision-maker signs, or the board
signs with its minutes (Local Government Act 140 §), listing every application the round decided
with its decision and the totals against the call's budget. Each application has its own
decision with its full reasons and appeal instructions; the list names them by number."""

from docx.document import Document
from docx.shared import Cm

from documents.template_builder.decision_parts import decision_maker
from documents.template_builder.expressions import present
from documents.template_builder.kit import (
    grid,
    h1,
    h2,
    key_values,
    new_document,
    p,
    page_footer,
    page_header,
    translator,
)


def round_decision_list(lang: str) -> Document:
    tr = translator(lang)
    document = new_document(lang, tr("Päätösluettelo", "Beslutsförteckning", "Decision list"))
    page_header(
        document,
        tr("PÄÄTÖSLUETTELO", "BESLUTSFÖRTECKNING", "DECISION LIST"),
        "{{ call.name }}",
        "{{ decision.date|date }}",
    )
    page_footer(document, lang)

    h1(document, tr("Avustuspäätökset", "Bidragsbeslut", "Grant decisions") + ": {{ call.name }}")
    meeting = present("decision.meeting_date|date", "decision.section|nobreak", sep=", ")
    key_values(
        document,
        [
            (tr("Avustushaku", "Ansökningsomgång", "Call"), "{{ call.name }}"),
            (tr("Toimielin", "Organ", "Board"), "{{ decision.board }}", "decision.board"),
            (tr("Kokous", "Sammanträde", "Meeting"), meeting, "decision.board"),
            (tr("Päätöspäivä", "Beslutsdatum", "Date of decision"), "{{ decision.date|date }}"),
        ],
    )

    h2(document, tr("Hakemukset", "Ansökningar", "Applications"))
    grid(
        document,
        [
            tr("Hakija", "Sökande", "Applicant"),
            tr("Haettu", "Sökt", "Requested"),
            tr("Myönnetty", "Beviljat", "Granted"),
            tr("Päätös", "Beslut", "Decision"),
            tr("Perustelut", "Motivering", "Reasons"),
        ],
        [
            [
                [
                    "**{{ row.association }}**",
                    # Short enough for the column: a separator never ends a line.
                    present("row.number", "row.decision_number", sep=", "),
                ],
                "{{ row.requested|money }}",
                "{{ row.granted|money }}",
                "{{ row.outcome }}",
                "{{ row.reasons }}",
            ]
        ],
        [Cm(4.0), Cm(2.5), Cm(2.5), Cm(2.5), Cm(4.5)],
        right=(1, 2),
        loop="row in applications",
        total=[
            tr("Yhteensä", "Sammanlagt", "Total") + " ({{ totals.count }})",
            "{{ totals.requested|money }}",
            "{{ totals.granted|money }}",
            "",
            "",
        ],
    )
    p(
        document,
        tr(
            "Hakemuksia {{ totals.count }}, joista avustus myönnetty {{ totals.approved }}.",
            "Ansökningar {{ totals.count }}, av dem beviljade {{ totals.approved }}.",
            "Applications {{ totals.count }}, of them granted {{ totals.approved }}.",
        ),
    )

    h2(document, tr("Määräraha", "Anslag", "Budget"))
    key_values(
        document,
        [
            (
                tr("Haun määräraha", "Ansökningsomgångens anslag", "The call's budget"),
                "{{ call.budget|money }}",
            ),
            (
                tr(
                    "Myönnetty tällä päätöksellä",
                    "Beviljat genom detta beslut",
                    "Granted by this decision",
                ),
                "{{ totals.granted|money }}",
            ),
            (
                tr(
                    "Haussa myönnetty yhteensä",
                    "Beviljat i ansökningsomgången",
                    "Granted in the call",
                ),
                "{{ totals.call_granted|money }}",
            ),
            (
                tr("Määrärahaa jäljellä", "Kvar av anslaget", "Budget left"),
                "**{{ totals.left|money }}**",
            ),
        ],
    )
    p(
        document,
        tr(
            "Kunkin hakemuksen päätös perusteluineen ja oikaisuvaatimusohjeineen annetaan "
            "hakijalle erikseen.",
            "Beslutet om varje ansökan med motivering och anvisning för begäran om omprövning "
            "ges sökanden separat.",
            "Each application's decision, with its reasons and the instructions for a request "
            "for rectification, is given to the applicant separately.",
        ),
    )
    decision_maker(document, lang)
    return document
