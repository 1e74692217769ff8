"""The payment order (maksatusmääräys) for an instalment of a legally valid grant."""

from docx.document import Document
from docx.shared import Cm, Pt

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


def payment_order(lang: str) -> Document:
    """Maksatusmääräys: finance's instruction to pay an instalment of a legally valid grant."""
    tr = translator(lang)
    document = new_document(lang, tr("Maksatusmääräys", "Utbetalningsorder", "Payment order"))
    page_header(
        document,
        tr("MAKSATUSMÄÄRÄYS", "UTBETALNINGSORDER", "PAYMENT ORDER"),
        "{{ order.number }}",
        "{{ order.date|date }}",
    )
    page_footer(document, lang)

    h1(
        document,
        tr("Avustuksen maksaminen", "Utbetalning av bidrag", "Payment of a grant"),
    )
    p(
        document,
        tr(
            "Avustus maksetaan lainvoimaisen avustuspäätöksen {{ decision.number }} perusteella "
            "seuraavasti.",
            "Bidraget betalas ut på grundval av bidragsbeslut {{ decision.number }}, som har "
            "vunnit laga kraft, enligt följande.",
            "The grant is paid on the basis of grant decision {{ decision.number }}, which has "
            "become legally valid, as follows.",
        ),
    )
    h2(document, tr("Saaja", "Mottagare", "Payee"))
    key_values(
        document,
        [
            (tr("Saaja", "Mottagare", "Payee"), "**{{ payee.name }}**"),
            (tr("Y-tunnus", "FO-nummer", "Business ID"), "{{ payee.business_id }}"),
            (tr("Tilinumero (IBAN)", "Kontonummer (IBAN)", "Account (IBAN)"), "{{ payee.iban }}"),
        ],
    )
    h2(document, tr("Maksu", "Betalning", "Payment"))
    key_values(
        document,
        [
            (
                tr("Maksettava määrä", "Belopp att betala", "Amount to pay"),
                "**{{ payment.amount|money }}**",
            ),
            (tr("Maksuerä", "Betalningsrat", "Instalment"), "{{ payment.instalment }}"),
            (tr("Eräpäivä", "Förfallodag", "Due date"), "{{ order.due_on|date }}"),
            (tr("Viite", "Referens", "Reference"), "{{ payment.reference }}"),
            (tr("Viesti", "Meddelande", "Message"), "{{ payment.message }}"),
        ],
    )
    h2(
        document,
        tr(
            "Päätös, johon maksu perustuu",
            "Beslut som betalningen grundar sig på",
            "Decision the payment is based on",
        ),
    )
    key_values(
        document,
        [
            (
                tr("Avustuspäätös", "Bidragsbeslut", "Grant decision"),
                "{{ decision.number }}, {{ decision.date|date }}",
            ),
            (
                tr("Lainvoimainen", "Laga kraft", "Legally valid on"),
                "{{ decision.legally_valid_on|date }}",
            ),
            (
                tr("Myönnetty avustus", "Beviljat bidrag", "Amount granted"),
                "{{ decision.granted_amount|money }}",
            ),
            (
                tr("Aiemmin maksettu", "Tidigare utbetalt", "Paid before"),
                "{{ decision.paid_before|money }}",
            ),
            (
                tr("Tämä maksuerä", "Denna rat", "This instalment"),
                "{{ payment.amount|money }}",
            ),
        ],
    )
    h2(document, tr("Tiliöinti", "Kontering", "Accounting"))
    grid(
        document,
        [
            tr("Kustannuspaikka", "Kostnadsställe", "Cost centre"),
            tr("Tili", "Konto", "Account"),
            tr("Määrä", "Belopp", "Amount"),
        ],
        [
            [
                "{{ accounting.cost_centre }}",
                "{{ accounting.account }}",
                "{{ payment.amount|money }}",
            ]
        ],
        [Cm(6), Cm(5), Cm(5)],
        right=(2,),
    )
    h2(document, tr("Hyväksyntä", "Godkännande", "Approval"))
    p(
        document,
        tr(
            "Hyväksytty maksettavaksi {{ order.date|date }}.",
            "Godkänt för utbetalning {{ order.date|date }}.",
            "Approved for payment on {{ order.date|date }}.",
        ),
    )
    signature = p(document, "\n\n______________________________________")
    signature.paragraph_format.space_after = Pt(0)
    signature.paragraph_format.keep_with_next = True
    p(document, "**{{ approver.name }}**\n{{ approver.title }}")
    return document
