"""The decision on a request for rectification of an agreement decision (päätös
kumppanuussopimusta koskevaan oikaisuvaatimukseen), with the appeal instructions: the grants'
rectification decision (rectification_decision) for a version of a partnership agreement, or
for the public body's decision to cancel the agreement before its term (`original.subject`
"cancellation")."""

from docx.document import Document

from documents.template_builder.decision_parts import NUMBER, recipient
from documents.template_builder.expressions import present
from documents.template_builder.kit import (
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
from documents.template_builder.rectification_decision import reasons_and_court_appeal


def agreement_rectification_decision(lang: str) -> Document:
    """Päätös sopimuspäätöstä koskevaan oikaisuvaatimukseen, with appeal instructions to the
    administrative court (Local Government Act 135 §)."""
    tr = translator(lang)
    title = tr(
        "Päätös oikaisuvaatimukseen",
        "Beslut om begäran om omprövning",
        "Decision on a request for review",
    )
    document = new_document(lang, title)
    page_header(document, tr("PÄÄTÖS", "BESLUT", "DECISION"), NUMBER, "{{ decision.date|date }}")
    page_footer(document, lang)
    recipient(document)

    h1(document, title)
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
            (tr("Sopimus", "Avtal", "Agreement"), "{{ agreement.title }}"),
            (
                tr("Oikaistava päätös", "Beslut som begäran gäller", "Decision reviewed"),
                present(
                    "original.number", "original.section|nobreak", "original.date|date", sep=", "
                ),
            ),
        ],
    )

    h2(document, tr("Oikaisuvaatimus", "Begäran om omprövning", "The request"))
    # The request reviews the decision on a version, or the body's decision to cancel the
    # agreement before its term (agreements.cancellation).
    tag(document, '{%p if original.subject == "cancellation" %}')
    p(
        document,
        tr(
            "Oikaisuvaatimuksen tekijä vaatii oikaisemaan julkisyhteisön päätöksen perua "
            "kumppanuussopimus {{ original.number }} ennen sen voimaantuloa seuraavin "
            "perustein:",
            "Den som begär omprövning yrkar att det offentliga samfundets beslut att "
            "annullera partnerskapsavtal {{ original.number }} innan det träder i kraft "
            "ändras på följande grunder:",
            "The requester asks for the public body's decision to cancel partnership "
            "agreement {{ original.number }} before it came into force to be changed on the "
            "following grounds:",
        ),
    )
    tag(document, "{%p else %}")
    p(
        document,
        tr(
            "Oikaisuvaatimuksen tekijä vaatii kumppanuussopimuksen {{ original.number }} "
            "version {{ original.version }} hyväksymistä tai hylkäämistä koskevan päätöksen "
            "oikaisemista seuraavin perustein:",
            "Den som begär omprövning yrkar att beslutet om godkännande eller avslag av "
            "version {{ original.version }} av partnerskapsavtal {{ original.number }} ändras "
            "på följande grunder:",
            "The requester asks for the decision on version {{ original.version }} of "
            "partnership agreement {{ original.number }} to be changed on the following "
            "grounds:",
        ),
    )
    tag(document, "{%p endif %}")
    p(document, "{{ rectification.grounds }}")

    h2(document, tr("Päätös", "Beslut", "Decision"))
    tag(document, '{%p if decision.outcome == "changed" %}')
    tag(document, '{%p if original.subject == "cancellation" %}')
    p(
        document,
        tr(
            "Oikaisuvaatimus hyväksytään. Päätös sopimuksen perumisesta kumotaan: sopimus "
            "sitoo osapuolia allekirjoitetun mukaisesti.",
            "Begäran om omprövning godkänns. Beslutet att annullera avtalet upphävs: avtalet "
            "binder parterna så som det undertecknats.",
            "The request is granted. The decision to cancel the agreement is revoked: the "
            "agreement binds the parties as signed.",
        ),
    )
    tag(document, '{%p elif original.outcome == "approved" %}')
    p(
        document,
        tr(
            "Oikaisuvaatimus hyväksytään. Päätös muutetaan: sopimusta ei hyväksytä.",
            "Begäran om omprövning godkänns. Beslutet ändras: avtalet godkänns inte.",
            "The request is granted. The decision is changed: the agreement is not approved.",
        ),
    )
    tag(document, "{%p else %}")
    p(
        document,
        tr(
            "Oikaisuvaatimus hyväksytään. Päätös muutetaan: sopimus hyväksytään, ja osapuolet "
            "allekirjoittavat sen.",
            "Begäran om omprövning godkänns. Beslutet ändras: avtalet godkänns och parterna "
            "undertecknar det.",
            "The request is granted. The decision is changed: the agreement is approved, and "
            "the parties sign it.",
        ),
    )
    tag(document, "{%p endif %}")
    tag(document, '{%p elif original.subject == "cancellation" %}')
    p(
        document,
        tr(
            "Oikaisuvaatimus hylätään. Päätös perua sopimus {{ original.number }} pysyy voimassa.",
            "Begäran om omprövning avslås. Beslutet att annullera avtal {{ original.number }} "
            "står fast.",
            "The request is rejected. The decision to cancel agreement {{ original.number }} "
            "stands.",
        ),
    )
    tag(document, "{%p else %}")
    p(
        document,
        tr(
            "Oikaisuvaatimus hylätään. Päätös sopimuksesta {{ original.number }} pysyy voimassa.",
            "Begäran om omprövning avslås. Beslutet om avtal {{ original.number }} står fast.",
            "The request is rejected. The decision on agreement {{ original.number }} stands.",
        ),
    )
    tag(document, "{%p endif %}")

    reasons_and_court_appeal(document, lang)
    return document
