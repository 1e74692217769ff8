"""The grant decision (päätös avustushakemukseen), with the rectification instructions."""

from docx.document import Document
from docx.shared import Cm

from documents.template_builder.appeal import rectification_instructions
from documents.template_builder.decision_parts import NUMBER, contact, decision_maker, recipient
from documents.template_builder.kit import (
    GREY,
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


def grant_decision(lang: str) -> Document:
    """Päätös avustushakemukseen: approved, partially approved or rejected."""
    tr = translator(lang)
    document = new_document(lang, tr("Avustuspäätös", "Bidragsbeslut", "Grant decision"))
    page_header(
        document,
        tr("PÄÄTÖS", "BESLUT", "DECISION"),
        NUMBER,
        "{{ decision.date|date }}",
    )
    page_footer(document, lang)
    recipient(document)

    h1(
        document,
        tr(
            "Päätös avustushakemukseen",
            "Beslut om ansökan om bidrag",
            "Decision on a grant application",
        ),
    )
    key_values(
        document,
        [
            (tr("Hakija", "Sökande", "Applicant"), "**{{ association.name }}**"),
            (tr("Y-tunnus", "FO-nummer", "Business ID"), "{{ association.business_id }}"),
            (
                tr("Yhdistysrekisterinumero", "Föreningsregisternummer", "Register number"),
                "{{ association.register_number }}",
            ),
            (tr("Avustushaku", "Ansökningsomgång", "Call"), "{{ application.call }}"),
            (
                tr("Hakemus saapunut", "Ansökan inkommen", "Application received"),
                "{{ application.received_on|date }}",
            ),
            (
                tr("Haettu avustus", "Sökt belopp", "Amount applied for"),
                "{{ application.requested_amount|money }}",
            ),
        ],
    )

    h2(document, tr("Hakemus", "Ansökan", "Application"))
    p(
        document,
        tr("Käyttötarkoitus", "Ändamål", "Purpose") + ": {{ application.purpose }}",
    )
    grid(
        document,
        [tr("Menoerä", "Kostnadspost", "Item"), tr("Määrä", "Belopp", "Amount")],
        [["{{ line.description }}", "{{ line.amount|money }}"]],
        [Cm(12), Cm(4)],
        right=(1,),
        loop="line in application.budget_lines",
        total=[tr("Yhteensä", "Totalt", "Total"), "{{ application.budget_total|money }}"],
    )
    # The answers to the call's own questions (issue 14), when the call asked any.
    tag(document, "{%p if answers %}")
    h2(document, tr("Hakemuksen vastaukset", "Svaren i ansökan", "Answers in the application"))
    grid(
        document,
        [tr("Kysymys", "Fråga", "Question"), tr("Vastaus", "Svar", "Answer")],
        [["{{ answer.label }}", "{{ answer.value }}"]],
        [Cm(7), Cm(9)],
        loop="answer in answers",
    )
    tag(document, "{%p endif %}")

    h2(document, tr("Päätös", "Beslut", "Decision"))
    tag(document, '{%p if decision.outcome == "rejected" %}')
    p(
        document,
        tr(
            "**Avustushakemus hylätään.**",
            "**Ansökan om bidrag avslås.**",
            "**The application is rejected.**",
        ),
    )
    tag(document, '{%p elif decision.outcome == "partially_approved" %}')
    p(
        document,
        tr(
            "Hakijalle myönnetään avustusta osittain **{{ application.granted_amount|money }}**. "
            "Haettu määrä oli {{ application.requested_amount|money }}.",
            "Sökanden beviljas delvis bidrag, **{{ application.granted_amount|money }}**. "
            "Det sökta beloppet var {{ application.requested_amount|money }}.",
            "The applicant is granted a partial grant of "
            "**{{ application.granted_amount|money }}**. The amount applied for was "
            "{{ application.requested_amount|money }}.",
        ),
    )
    tag(document, "{%p else %}")
    p(
        document,
        tr(
            "Hakijalle myönnetään avustusta haetun mukaisesti "
            "**{{ application.granted_amount|money }}**.",
            "Sökanden beviljas bidrag enligt ansökan, **{{ application.granted_amount|money }}**.",
            "The applicant is granted the amount applied for, "
            "**{{ application.granted_amount|money }}**.",
        ),
    )
    tag(document, "{%p endif %}")

    h2(document, tr("Perustelut", "Motivering", "Reasons"))
    p(document, "{{ decision.reasons }}")
    p(
        document,
        tr(
            "Sovelletut säännökset ja määräykset: kuntalaki (410/2015) 1 §, hallintolaki "
            "(434/2003) 45 §, avustushaun {{ application.call }} ehdot ja myöntäjän yleiset "
            "avustusehdot.",
            "Tillämpade bestämmelser: kommunallagen (410/2015) 1 §, förvaltningslagen "
            "(434/2003) 45 §, villkoren för ansökningsomgången {{ application.call }} och "
            "bidragsgivarens allmänna bidragsvillkor.",
            "Rules applied: Local Government Act (410/2015), section 1; Administrative Procedure "
            "Act (434/2003), section 45; the terms of the call {{ application.call }}; and the "
            "grant provider's general terms for grants.",
        ),
        color=GREY,
    )

    tag(document, '{%p if decision.outcome != "rejected" %}')
    tag(document, "{%p if decision.conditions %}")
    h2(document, tr("Avustuksen ehdot", "Villkor för bidraget", "Conditions"))
    p(document, "{{ decision.conditions }}")
    tag(document, "{%p endif %}")
    h2(
        document,
        tr("Selvitys avustuksen käytöstä", "Redovisning av bidraget", "Follow-up report"),
    )
    p(
        document,
        tr(
            "Selvitys avustuksen käytöstä on toimitettava viimeistään "
            "**{{ report.due_on|date }}**. Käyttämättä jäänyt tai ehtojen vastaisesti käytetty "
            "avustus voidaan periä takaisin.",
            "En redovisning av hur bidraget har använts ska lämnas in senast "
            "**{{ report.due_on|date }}**. Bidrag som inte har använts eller som har använts i "
            "strid med villkoren kan återkrävas.",
            "A report on the use of the grant must be submitted by **{{ report.due_on|date }}**. "
            "Any part of the grant that is unused or used contrary to the conditions may be "
            "recovered.",
        ),
    )
    h2(document, tr("Maksaminen", "Utbetalning", "Payment"))
    p(
        document,
        tr(
            "Avustus maksetaan hakijan tilille {{ association.iban }}, kun päätös on tullut "
            "lainvoimaiseksi.",
            "Bidraget betalas till sökandens konto {{ association.iban }} när beslutet har vunnit "
            "laga kraft.",
            "The grant will be paid to the applicant's account {{ association.iban }} once the "
            "decision has become legally valid.",
        ),
    )
    tag(document, "{%p endif %}")

    contact(document, lang)
    decision_maker(document, lang)
    h2(document, tr("Muutoksenhaku", "Ändringssökande", "Requesting a review"))
    p(
        document,
        tr(
            "Oikaisuvaatimusohje on liitteenä. Oikaisuvaatimuksen viimeinen päivä on "
            "**{{ appeal.ends_on|date }}**.",
            "Anvisning om begäran om omprövning finns som bilaga. Sista dagen att begära "
            "omprövning är **{{ appeal.ends_on|date }}**.",
            "The instructions for requesting a review are attached. The last day to request a "
            "review is **{{ appeal.ends_on|date }}**.",
        ),
    )
    h2(document, tr("Jakelu", "Sändlista", "Distribution"))
    p(document, "{{ association.name }}")

    rectification_instructions(document, lang)
    return document
