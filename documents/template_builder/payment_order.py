"""The payment order (maksatusmääräys): finance's instruction to pay a legally valid grant or an
instalment of a partnership agreement, naming what the payment rests on and who approved it."""

from docx.document import Document
from docx.shared import Cm

from documents.template_builder.expressions import joined, present, then
from documents.template_builder.kit import (
    grid,
    h1,
    h2,
    key_values,
    new_document,
    p,
    page_footer,
    page_header,
    tag,
    translator,
)
from documents.template_builder.widths import fit

_AGREEMENT = '{%p if basis.kind == "agreement" %}'


def payment_order(lang: str) -> Document:
    """Maksatusmääräys. A grant is paid on a legally valid grant decision; an agreement's
    instalment on the agreement (its number and date) from the instalment's own date, with no
    date of legal validity of its own (agreements.instalments)."""
    tr = translator(lang)
    document = new_document(lang, tr("Maksatusmääräys", "Utbetalningsorder", "Payment order"))
    page_header(
        document,
        tr("MAKSATUSMÄÄRÄYS", "UTBETALNINGSORDER", "PAYMENT ORDER"),
        "{{ order.number }}",
        "{{ order.date|date }}",
    )
    page_footer(document, lang)
    decision = present("basis.number", "basis.section|nobreak", "basis.date|date", sep=", ")
    agreement = present("basis.number", "basis.date|date", sep=", ")

    payee_rows = [
        (tr("Saaja", "Mottagare", "Payee"), "**{{ payee.name }}**"),
        (tr("Y-tunnus", "FO-nummer", "Business ID"), "{{ payee.business_id }}"),
        (tr("Tilinumero (IBAN)", "Kontonummer (IBAN)", "Account (IBAN)"), "{{ payee.iban }}"),
    ]
    payment_rows = [
        (
            tr("Maksettava määrä", "Belopp att betala", "Amount to pay"),
            "**{{ payment.amount|money }}**",
        ),
        (tr("Maksuerä", "Betalningsrat", "Instalment"), "{{ payment.instalment }}"),
        (
            tr("Maksettavissa alkaen", "Kan betalas från", "Payable from"),
            "{{ payment.payable_on|date }}",
            "payment.payable_on",
        ),
        (tr("Eräpäivä", "Förfallodag", "Due date"), "{{ order.due_on|date }}"),
        (tr("Viite", "Referens", "Reference"), "{{ payment.reference }}", "payment.reference"),
        (tr("Viesti", "Meddelande", "Message"), "{{ payment.message }}", "payment.message"),
    ]
    paid = [
        (
            tr("Aiemmin maksettu", "Tidigare utbetalt", "Paid before"),
            "{{ basis.paid_before|money }}",
        ),
        (tr("Tämä maksuerä", "Denna rat", "This instalment"), "{{ payment.amount|money }}"),
    ]
    decision_rows = [
        (tr("Avustuspäätös", "Bidragsbeslut", "Grant decision"), decision),
        (
            tr("Lainvoimainen", "Laga kraft", "Legally valid on"),
            "{{ basis.legally_valid_on|date }}",
            "basis.legally_valid_on",
        ),
        (tr("Myönnetty avustus", "Beviljat bidrag", "Amount granted"), "{{ basis.amount|money }}"),
        *paid,
    ]
    agreement_rows = [
        (tr("Kumppanuussopimus", "Partnerskapsavtal", "Partnership agreement"), agreement),
        (
            tr("Erä sopimuksen mukaan", "Rat enligt avtalet", "Instalment as agreed"),
            "{{ basis.amount|money }}",
        ),
        *paid,
    ]
    # One label width for every table of the order, so that the values line up.
    label = fit([row[0] for row in (*payee_rows, *payment_rows, *decision_rows, *agreement_rows)])

    tag(document, _AGREEMENT)
    h1(
        document,
        tr(
            "Kumppanuussopimuksen maksuerän maksaminen",
            "Utbetalning av en rat enligt partnerskapsavtal",
            "Payment of an instalment under a partnership agreement",
        ),
    )
    p(
        document,
        tr(
            "Raha-avustus maksetaan kumppanuussopimuksen " + agreement + " perusteella "
            "seuraavasti.",
            "Penningbidraget betalas ut på grundval av partnerskapsavtal " + agreement + " enligt "
            "följande.",
            "The funding is paid under partnership agreement " + agreement + " as follows.",
        ),
    )
    tag(document, "{%p else %}")
    h1(document, tr("Avustuksen maksaminen", "Utbetalning av bidrag", "Payment of a grant"))
    p(
        document,
        tr(
            "Avustus maksetaan lainvoimaisen avustuspäätöksen " + decision + " perusteella "
            "seuraavasti.",
            "Bidraget betalas ut på grundval av bidragsbeslut " + decision + ", som har vunnit "
            "laga kraft, enligt följande.",
            "The grant is paid on the basis of grant decision " + decision + ", which has "
            "become legally valid, as follows.",
        ),
    )
    tag(document, "{%p endif %}")

    h2(document, tr("Saaja", "Mottagare", "Payee"))
    key_values(document, payee_rows, label)
    h2(document, tr("Maksu", "Betalning", "Payment"))
    key_values(document, payment_rows, label)

    tag(document, _AGREEMENT)
    h2(
        document,
        tr(
            "Sopimus, johon maksu perustuu",
            "Avtal som betalningen grundar sig på",
            "Agreement the payment is based on",
        ),
    )
    key_values(document, agreement_rows, label)
    tag(document, "{%p else %}")
    h2(
        document,
        tr(
            "Päätös, johon maksu perustuu",
            "Beslut som betalningen grundar sig på",
            "Decision the payment is based on",
        ),
    )
    key_values(document, decision_rows, label)
    tag(document, "{%p endif %}")

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

    # Who approved the payment and when (no line to sign on: the approval is recorded).
    h2(document, tr("Hyväksyntä", "Godkännande", "Approval"))
    tag(document, "{%p if approver.approved_at %}")
    p(
        document,
        tr(
            "**Hyväksytty maksettavaksi** {{ approver.approved_at|datetime }}",
            "**Godkänd för betalning** {{ approver.approved_at|datetime }}",
            "**Approved for payment** {{ approver.approved_at|datetime }}",
        )
        + then("\n", joined("approver.name", "approver.title", sep=", ")),
    ).paragraph_format.keep_together = True
    tag(document, "{%p else %}")
    p(
        document,
        tr(
            "Maksatusmääräystä ei ole vielä hyväksytty maksettavaksi.",
            "Utbetalningsordern har ännu inte godkänts för betalning.",
            "The payment order has not yet been approved for payment.",
        ),
    )
    tag(document, "{%p endif %}")
    return document
