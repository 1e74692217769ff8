"""Parts every decision shows (Administrative Procedure Act 434/2003 44 §): the party's
address for a window envelope, who gives more information, who decided, and the decision's
electronic signature."""

from docx.document import Document
from docx.shared import Pt

from documents.template_builder.expressions import joined, labelled, present, then
from documents.template_builder.kit import (
    h2,
    p,
    tag,
    translator,
    unbroken,
)

# The decision's number and its section in the decision-maker's register ("§ 12/2026"), and the
# same with the date: how a decision is cited.
NUMBER = present("decision.number", "decision.section|nobreak", sep=", ")
CITED = present("decision.number", "decision.section|nobreak", "decision.date|date", sep=", ")


def contact(document: Document, lang: str) -> None:
    """Who gives more information, with the ways to reach them that are known."""
    tr = translator(lang)
    tag(document, "{%p if contact.name %}")
    h2(document, tr("Lisätietoja antaa", "Ytterligare upplysningar ges av", "Further information"))
    p(
        document,
        present("contact.name", "contact.title", sep=", ")
        + then(
            "\n",
            joined(
                labelled(tr("puh.", "tfn", "tel."), "contact.phone|nobreak"),
                "contact.email",
                sep=", ",
            ),
        ),
    )
    tag(document, "{%p endif %}")


def recipient(document: Document) -> None:
    """A decision sent by letter carries the association's address where a window envelope
    shows it (the registry prints and posts it: Administrative Procedure Act 59 §)."""
    tag(document, '{%p if appeal.channel == "letter" and association.postal_address %}')
    p(document, "{{ association.name }}\n{{ association.postal_address }}")
    tag(document, "{%p endif %}")


def decision_maker(document: Document, lang: str) -> None:
    tr = translator(lang)
    h2(document, tr("Päätöksentekijä", "Beslutsfattare", "Decision-maker"))
    p(document, "**{{ decision.maker }}**" + then("\n", "decision.maker_title"))
    signature(document, lang)


def signature(document: Document, lang: str) -> None:
    """The decision's electronic signature: who signed, in what office, and when; nothing
    on a draft nobody has signed (decision.signed.at empty)."""
    tr = translator(lang)
    tag(document, "{%p if decision.signed.at %}")
    mark = p(
        document,
        "**"
        + tr(
            "Sähköisesti allekirjoitettu",
            "Elektroniskt undertecknat",
            "Electronically signed",
        )
        + "**"
        + then("\n", joined("decision.signed.name", "decision.signed.title", sep=", "))
        + "\n{{ decision.signed.at|datetime }}",
    )
    unbroken(mark)
    mark.paragraph_format.space_before = Pt(4)
    tag(document, "{%p endif %}")
