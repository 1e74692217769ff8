"""Parts every decision shows (Administrative Procedure Act 434/2003 44 §): the party's
address for a window envelope, who gives more information, and who decided."""

from docx.document import Document

from documents.template_builder.kit import h2, p, tag, translator


def contact(document: Document, lang: str) -> None:
    tr = translator(lang)
    h2(document, tr("Lisätietoja antaa", "Ytterligare upplysningar ges av", "Further information"))
    p(
        document,
        "{{ contact.name }}, {{ contact.title }}\n"
        + tr("puh.", "tfn", "tel.")
        + " {{ contact.phone }}, {{ contact.email }}",
    )


def recipient(document: Document) -> None:
    """A decision sent by letter carries the association's address where a window envelope
    shows it (the registry prints and posts it: Administrative Procedure Act 59 §)."""
    tag(document, '{%p if appeal.channel == "letter" and association.postal_address %}')
    p(document, "{{ association.name }}\n{{ association.postal_address }}")
    tag(document, "{%p endif %}")


def decision_maker(document: Document, lang: str) -> None:
    tr = translator(lang)
    h2(document, tr("Päätöksentekijä", "Beslutsfattare", "Decision-maker"))
    p(document, "**{{ decision.maker }}**\n{{ decision.maker_title }}")
