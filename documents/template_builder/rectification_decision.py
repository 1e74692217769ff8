"""The rectification decision (päätös oikaisuvaatimukseen), with the appeal instructions."""

from docx.document import Document

from documents.template_builder.appeal import court_appeal_instructions
from documents.template_builder.decision_parts import NUMBER, contact, decision_maker, recipient
from documents.template_builder.expressions import present
from documents.template_builder.kit import (
    GREY,
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


def rectification_decision(lang: str) -> Document:
    """Päätös oikaisuvaatimukseen, with appeal instructions to the administrative court."""
    tr = translator(lang)
    document = new_document(
        lang,
        tr(
            "Päätös oikaisuvaatimukseen",
            "Beslut om begäran om omprövning",
            "Decision on a request for review",
        ),
    )
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
            "Päätös oikaisuvaatimukseen",
            "Beslut om begäran om omprövning",
            "Decision on a request for review",
        ),
    )
    key_values(
        document,
        [
            (
                tr("Oikaisuvaatimuksen tekijä", "Den som begär omprövning", "Requested by"),
                "**{{ association.name }}**",
            ),
            (tr("Y-tunnus", "FO-nummer", "Business ID"), "{{ association.business_id }}"),
            (
                tr("Oikaisuvaatimus saapunut", "Begäran inkommen", "Request received"),
                "{{ rectification.filed_on|date }}",
            ),
            (
                tr("Oikaistava päätös", "Beslut som begäran gäller", "Decision reviewed"),
                present(
                    "original.number", "original.section|nobreak", "original.date|date", sep=", "
                ),
            ),
            (
                tr("Myönnetty avustus", "Beviljat bidrag", "Grant awarded"),
                "{{ original.granted_amount|money }}",
            ),
        ],
    )

    h2(document, tr("Oikaisuvaatimus", "Begäran om omprövning", "The request"))
    p(
        document,
        tr(
            "Oikaisuvaatimuksen tekijä vaatii avustuspäätöksen {{ original.number }} oikaisemista "
            "seuraavin perustein:",
            "Den som begär omprövning yrkar att bidragsbeslut {{ original.number }} ändras på "
            "följande grunder:",
            "The requester asks for grant decision {{ original.number }} to be changed on the "
            "following grounds:",
        ),
    )
    p(document, "{{ rectification.grounds }}")

    h2(document, tr("Päätös", "Beslut", "Decision"))
    tag(document, '{%p if decision.outcome == "changed" %}')
    p(
        document,
        tr(
            "Oikaisuvaatimus hyväksytään ja avustuspäätöstä {{ original.number }} muutetaan. "
            "Avustuksen määrä on **{{ decision.granted_amount|money }}** (aiemmin "
            "{{ original.granted_amount|money }}).",
            "Begäran om omprövning godkänns och bidragsbeslut {{ original.number }} ändras. "
            "Bidraget uppgår till **{{ decision.granted_amount|money }}** (tidigare "
            "{{ original.granted_amount|money }}).",
            "The request is granted and grant decision {{ original.number }} is changed. The "
            "grant is **{{ decision.granted_amount|money }}** (previously "
            "{{ original.granted_amount|money }}).",
        ),
    )
    tag(document, "{%p else %}")
    p(
        document,
        tr(
            "Oikaisuvaatimus hylätään. Avustuspäätös {{ original.number }} pysyy voimassa; "
            "avustuksen määrä on **{{ decision.granted_amount|money }}**.",
            "Begäran om omprövning avslås. Bidragsbeslut {{ original.number }} står fast; "
            "bidraget uppgår till **{{ decision.granted_amount|money }}**.",
            "The request is rejected. Grant decision {{ original.number }} stands; the grant is "
            "**{{ decision.granted_amount|money }}**.",
        ),
    )
    tag(document, "{%p endif %}")

    reasons_and_court_appeal(document, lang)
    return document


def reasons_and_court_appeal(document: Document, lang: str) -> None:
    """The part every decision on a request for rectification ends with, a grant's or an
    agreement's: its reasons and the rules applied, who to contact, who decided, and the appeal
    to the administrative court (Local Government Act 134–136 §)."""
    tr = translator(lang)
    h2(document, tr("Perustelut", "Motivering", "Reasons"))
    p(document, "{{ decision.reasons }}")
    p(
        document,
        tr(
            "Sovelletut säännökset: kuntalaki (410/2015) 134–136 §, hallintolaki (434/2003) 45 §.",
            "Tillämpade bestämmelser: kommunallagen (410/2015) 134–136 §, förvaltningslagen "
            "(434/2003) 45 §.",
            "Rules applied: Local Government Act (410/2015), sections 134–136; Administrative "
            "Procedure Act (434/2003), section 45.",
        ),
        color=GREY,
    )

    contact(document, lang)
    decision_maker(document, lang)
    h2(document, tr("Muutoksenhaku", "Ändringssökande", "Appeal"))
    p(
        document,
        tr(
            "Valitusosoitus on liitteenä. Valitusajan viimeinen päivä on "
            "**{{ appeal.ends_on|date }}**.",
            "Besvärsanvisningen finns som bilaga. Sista dagen att anföra besvär är "
            "**{{ appeal.ends_on|date }}**.",
            "The instructions for appeal are attached. The last day to appeal is "
            "**{{ appeal.ends_on|date }}**.",
        ),
    )
    h2(document, tr("Jakelu", "Sändlista", "Distribution"))
    p(document, "{{ association.name }}")

    court_appeal_instructions(document, lang)
