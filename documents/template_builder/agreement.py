"""The partnership agreement (kumppanuussopimus) with the decision approving it."""

from docx.document import Document
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt

from documents.template_builder.appeal import rectification_instructions
from documents.template_builder.decision_parts import NUMBER, contact, signature
from documents.template_builder.expressions import joined, labelled, present, then
from documents.template_builder.kit import (
    GREY,
    after_table,
    column_widths,
    fill_cell,
    grid,
    h1,
    h2,
    h3,
    new_document,
    p,
    page_footer,
    page_header,
    table_borders,
    tag,
    translator,
)

# The associations' names, comma-separated, inside one run.
_ASSOCIATION_NAMES = (
    "{% for association in associations %}{{ association.name }}"
    "{% if not loop.last %}, {% endif %}{% endfor %}"
)


def _resources(document: Document, lang: str) -> None:
    """Each resource of each year, then the yearly totals (money, and the value of premises
    and staff time)."""
    tr = translator(lang)
    week, year = tr("vko", "vecka", "week"), tr("v", "år", "year")
    hours = "\u00a0h/"  # "6 h/vko": a number and its unit never part
    # The instalments go to the lead association (agreements.instalments opens the payables).
    payee = "{{ associations[0].iban }} ({{ associations[0].name }})"
    grid(
        document,
        [
            tr("Vuosi", "År", "Year"),
            tr("Resurssi", "Resurs", "Resource"),
            tr("Tunnit", "Timmar", "Hours"),
            tr("Arvo", "Värde", "Value"),
            tr("Maksetaan", "Betalas", "Paid on"),
        ],
        [
            [
                "{{ resource.year }}",
                '**{% if resource.kind == "money" %}'
                + tr("Raha-avustus", "Penningbidrag", "Funding")
                + '{% elif resource.kind == "premises" %}'
                + tr("Maksuton tila", "Avgiftsfri lokal", "Free premises")
                + "{% else %}"
                + tr("Työaika", "Arbetstid", "Staff time")
                + "{% endif %}**{% if resource.description %}: {{ resource.description }}"
                "{% endif %}\n"
                + tr("Antaja", "Ges av", "Provided by")
                + ': {% if resource.provided_by == "public_body" %}{{ public_body.name }}'
                "{% else %}" + _ASSOCIATION_NAMES + "{% endif %}",
                # "6 h/week (312 h/year)" or "100 h/year"
                "{% if resource.hours %}{{ resource.hours }}"
                + hours
                + '{% if resource.hours_per == "week" %}'
                + f"{week} ({{{{ resource.hours_per_year }}}}{hours}{year})"
                + f"{{% else %}}{year}{{% endif %}}{{% endif %}}",
                "{{ resource.amount|money }}",
                "{{ resource.pays_on|date }}",
            ]
        ],
        [Cm(1.6), Cm(6.2), Cm(2.4), Cm(2.8), Cm(3.0)],
        right=(2, 3, 4),
        loop="resource in resources",
    )
    grid(
        document,
        [
            tr("Vuosi", "År", "Year"),
            tr("Raha-avustus", "Penningbidrag", "Funding"),
            tr("Tilojen arvo", "Lokalernas värde", "Value of premises"),
            tr("Työajan arvo", "Arbetstidens värde", "Value of staff time"),
            tr("Yhteensä", "Totalt", "Total"),
        ],
        [
            [
                "{{ year.year }}",
                "{{ year.money|money }}",
                "{{ year.premises|money }}",
                "{{ year.staff|money }}",
                "**{{ year.total|money }}**",
            ]
        ],
        [Cm(1.8), Cm(3.55), Cm(3.55), Cm(3.55), Cm(3.55)],
        right=(1, 2, 3, 4),
        loop="year in years",
    )
    p(
        document,
        tr(
            "Raha-avustus maksetaan tilille " + payee + " kunkin erän maksupäivänä, kuitenkin "
            "aikaisintaan kun sopimuksen hyväksymispäätös on lainvoimainen. Tilojen ja työajan "
            "arvo on laskennallinen; sitä ei makseta.",
            "Penningbidraget betalas till kontot " + payee + " på varje posts betalningsdag, "
            "dock tidigast när beslutet att godkänna avtalet har vunnit laga kraft. Lokalernas "
            "och arbetstidens värde är kalkylerat; det betalas inte ut.",
            "The funding is paid to account " + payee + " on each instalment's date, but not "
            "before the decision approving the agreement has become legally valid. The value of "
            "premises and staff time is an estimate; it is not paid.",
        ),
    )


def _contact_person(person: str) -> str:
    """A contact person's name, then the title, phone and e-mail there are, a line each."""
    return f"**{{{{ {person}.name }}}}**" + then(
        "\n", f"{person}.title", f"{person}.phone|nobreak", f"{person}.email"
    )


def _signatures(document: Document, lang: str) -> None:
    """One row per signature a side requires (an association's rules often require two
    jointly): who signed and when once signed, lines to sign on until then."""
    tr = translator(lang)
    tag(document, "{%p if agreement.in_force_from %}")
    p(
        document,
        tr(
            "Sopimus on allekirjoitettu sähköisesti. Tämä versio on voimassa "
            "**{{ agreement.in_force_from|date }}** alkaen.",
            "Avtalet har undertecknats elektroniskt. Denna version gäller från och med "
            "**{{ agreement.in_force_from|date }}**.",
            "The agreement has been signed electronically. This version is in force from "
            "**{{ agreement.in_force_from|date }}**.",
        ),
    )
    tag(document, "{%p else %}")
    p(
        document,
        tr(
            "Sopimus tulee voimaan, kun jokainen sopijapuoli on allekirjoittanut sen niin kuin "
            "sen nimenkirjoitussäännöt edellyttävät: alla on rivi kullekin vaadittavalle "
            "allekirjoitukselle.",
            "Avtalet träder i kraft när varje avtalspart har undertecknat det så som dess "
            "namnteckningsregler kräver: nedan finns en rad för varje underskrift som krävs.",
            "The agreement comes into force once every party has signed it as its rules on "
            "signing require: below is one line for each signature required.",
        ),
    )
    tag(document, "{%p endif %}")
    line = "_______________________________"
    signatures = document.add_table(rows=0, cols=2)
    for row_cells in (
        ["{%tr for signatory in signatories %}", ""],
        ["{%tr if signatory.signed_at %}", ""],
        [
            [
                "**{{ signatory.party }}**",
                tr(
                    "Allekirjoitettu sähköisesti",
                    "Undertecknat elektroniskt",
                    "Signed electronically",
                )
                + " {{ signatory.signed_at|date }}",
            ],
            "**{{ signatory.name }}**" + then("\n", "signatory.title"),
        ],
        ["{%tr else %}", ""],
        [
            [
                "**{{ signatory.party }}**",
                "",
                line,
                tr("Paikka ja aika", "Ort och datum", "Place and date"),
            ],
            [
                "",
                "",
                line,
                tr(
                    "Allekirjoitus ja nimenselvennys",
                    "Underskrift och namnförtydligande",
                    "Signature and name in block letters",
                ),
            ],
        ],
        ["{%tr endif %}", ""],
        ["{%tr endfor %}", ""],
    ):
        row = signatures.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, content in zip(row.cells, row_cells, strict=True):
            fill_cell(cell, content)
            cell.paragraphs[-1].paragraph_format.space_after = Pt(18)
    column_widths(signatures, [Cm(8), Cm(8)])
    table_borders(signatures, ())
    after_table(document)


def agreement(lang: str) -> Document:
    """Kumppanuussopimus: one version of a partnership agreement (the parties, purpose, term,
    goals, responsibilities, resources, contact people, cooperation, notice), the public body's
    decision approving it and the signatures each side requires, naming who signed and when
    once signed. The approval is a municipal decision, so it shows what Administrative
    Procedure Act 44–45 § require and comes with the rectification instructions (Local
    Government Act 134 §, Administrative Procedure Act 47 §)."""
    tr = translator(lang)
    document = new_document(
        lang, tr("Kumppanuussopimus", "Partnerskapsavtal", "Partnership agreement")
    )
    page_header(
        document,
        tr("KUMPPANUUSSOPIMUS", "PARTNERSKAPSAVTAL", "PARTNERSHIP AGREEMENT"),
        "{{ agreement.number }}",
        tr("Versio", "Version", "Version") + " {{ agreement.version }}",
    )
    page_footer(document, lang)

    h1(document, "{{ agreement.title }}")
    h2(document, tr("1 Sopijapuolet", "1 Avtalsparter", "1 Parties"))
    p(
        document,
        "**{{ public_body.name }}**"
        + then(", ", "public_body.unit")
        + then(
            "\n",
            joined(
                labelled(tr("Y-tunnus", "FO-nummer", "Business ID"), "public_body.business_id"),
                "public_body.address",
                sep=", ",
            ),
        ),
    )
    tag(document, "{%p for association in associations %}")
    p(
        document,
        "**{{ association.name }}**\n"
        + present(
            labelled(tr("Y-tunnus", "FO-nummer", "Business ID"), "association.business_id"),
            labelled(
                tr("yhdistysrekisterinumero", "föreningsregisternummer", "register number"),
                "association.register_number",
            ),
            sep=", ",
        )
        + "\n"
        + present(
            labelled(tr("Tilinumero", "Kontonummer", "Account"), "association.iban"),
            "association.email",
            sep=", ",
        ),
    )
    tag(document, "{%p endfor %}")

    h2(document, tr("2 Sopimuksen tarkoitus", "2 Avtalets syfte", "2 Purpose"))
    p(document, "{{ agreement.purpose }}")

    h2(document, tr("3 Sopimuskausi", "3 Avtalsperiod", "3 Term"))
    p(
        document,
        tr(
            "Sopimus on voimassa **{{ agreement.starts_on|date }} – {{ agreement.ends_on|date }}**."
            "{% if agreement.version > 1 %} Tämä sopimuksen versio {{ agreement.version }} "
            "korvaa aiemmat versiot.{% endif %}",
            "Avtalet gäller **{{ agreement.starts_on|date }} – {{ agreement.ends_on|date }}**."
            "{% if agreement.version > 1 %} Denna version {{ agreement.version }} av avtalet "
            "ersätter de tidigare versionerna.{% endif %}",
            "The agreement is in force from **{{ agreement.starts_on|date }}** to "
            "**{{ agreement.ends_on|date }}**.{% if agreement.version > 1 %} This version "
            "{{ agreement.version }} replaces the earlier versions.{% endif %}",
        ),
    )

    h2(
        document,
        tr(
            "4 Yhteiset tavoitteet ja mittarit",
            "4 Gemensamma mål och indikatorer",
            "4 Shared goals and indicators",
        ),
    )
    grid(
        document,
        [
            tr("Tavoite", "Mål", "Goal"),
            tr("Mittari", "Indikator", "Indicator"),
            tr("Tavoitetaso", "Målnivå", "Target"),
        ],
        [["{{ goal.goal }}", "{{ goal.indicator }}", "{{ goal.target }}"]],
        [Cm(6.5), Cm(6.5), Cm(3)],
        right=(2,),
        loop="goal in goals",
    )

    h2(document, tr("5 Osapuolten vastuut", "5 Parternas ansvar", "5 Responsibilities"))
    p(document, "**{{ public_body.name }}**\n{{ responsibilities.public_body }}")
    p(document, f"**{_ASSOCIATION_NAMES}**\n{{{{ responsibilities.association }}}}")

    h2(document, tr("6 Resurssit", "6 Resurser", "6 Resources"))
    _resources(document, lang)

    h2(document, tr("7 Yhteyshenkilöt", "7 Kontaktpersoner", "7 Contact persons"))
    grid(
        document,
        ["{{ public_body.name }}", _ASSOCIATION_NAMES],
        [
            [
                _contact_person("contacts.public_body"),
                _contact_person("contacts.association"),
            ]
        ],
        [Cm(8), Cm(8)],
    )

    h2(
        document,
        tr(
            "8 Yhteistyö ja seuranta",
            "8 Samarbete och uppföljning",
            "8 Cooperation and follow-up",
        ),
    )
    yearly = "{% if agreement.evaluation_every_months == 12 %}"
    p(
        document,
        tr(
            "Osapuolet pitävät yhteistyökokouksen vähintään {{ agreement.meetings_per_year }} "
            "kertaa vuodessa. Tavoitteiden toteutumista arvioidaan "
            + yearly
            + "kerran vuodessa{% else %}{{ agreement.evaluation_every_months }} kuukauden "
            "välein{% endif %}: yhdistys raportoi mittarien arvot, ja arviointi käsitellään "
            "yhteistyökokouksessa.",
            "Parterna håller samarbetsmöte minst {{ agreement.meetings_per_year }} gånger per "
            "år. Hur målen har nåtts utvärderas "
            + yearly
            + "en gång per år{% else %}med {{ agreement.evaluation_every_months }} månaders "
            "mellanrum{% endif %}: föreningen rapporterar indikatorernas värden och "
            "utvärderingen behandlas vid ett samarbetsmöte.",
            "The parties hold a cooperation meeting at least {{ agreement.meetings_per_year }} "
            "times a year. Progress towards the goals is evaluated "
            + yearly
            + "once a year{% else %}every {{ agreement.evaluation_every_months }} months"
            "{% endif %}: the association reports the indicators' values and the evaluation is "
            "discussed at a cooperation meeting.",
        ),
    )

    h2(
        document,
        tr(
            "9 Sopimuksen muuttaminen ja päättyminen",
            "9 Ändring och upphörande",
            "9 Amendment and termination",
        ),
    )
    p(
        document,
        tr(
            "Sopimusta voidaan muuttaa osapuolten kirjallisella sopimuksella. Muutos tehdään "
            "sopimuksen uutena versiona; voimassa oleva versio on voimassa, kunnes muutos on "
            "hyväksytty ja allekirjoitettu. Kumpikin osapuoli voi irtisanoa sopimuksen "
            "kirjallisesti perustellen, ja sopimus päättyy "
            "{% if agreement.notice_period_months %}{{ agreement.notice_period_months }} "
            "kuukauden irtisanomisajan kuluttua{% else %}heti{% endif %}. Muutoin sopimus "
            "päättyy sopimuskauden päättyessä.",
            "Avtalet kan ändras genom skriftlig överenskommelse mellan parterna. Ändringen görs "
            "som en ny version av avtalet; den gällande versionen gäller tills ändringen har "
            "godkänts och undertecknats. Vardera parten kan säga upp avtalet skriftligen med "
            "angivande av skäl, och avtalet upphör "
            "{% if agreement.notice_period_months %}efter en uppsägningstid på "
            "{{ agreement.notice_period_months }} månader{% else %}genast{% endif %}. I övrigt "
            "upphör avtalet när avtalsperioden löper ut.",
            "The agreement may be amended by written agreement of the parties. An amendment is "
            "made as a new version of the agreement; the version in force stays in force until "
            "the amendment has been approved and signed. Either party may terminate the "
            "agreement in writing, giving its reasons, and the agreement then ends "
            "{% if agreement.notice_period_months %}after a notice period of "
            "{{ agreement.notice_period_months }} months{% else %}at once{% endif %}. "
            "Otherwise the agreement expires at the end of its term.",
        ),
    )

    h2(document, tr("10 Sopimuksen hyväksyminen", "10 Godkännande av avtalet", "10 Approval"))
    title = then(", ", "decision.maker_title")
    p(
        document,
        tr(
            "{{ public_body.name }} on hyväksynyt sopimuksen päätöksellään "
            f"**{{{{ decision.date|date }}}}** ({NUMBER}). Päätöksen teki "
            "{{ decision.maker }}" + title + ".",
            "{{ public_body.name }} har godkänt avtalet genom sitt beslut "
            f"**{{{{ decision.date|date }}}}** ({NUMBER}). Beslutet fattades av "
            "{{ decision.maker }}" + title + ".",
            "{{ public_body.name }} approved the agreement by its decision of "
            f"**{{{{ decision.date|date }}}}** ({NUMBER}). The decision was made by "
            "{{ decision.maker }}" + title + ".",
        ),
    )
    h3(document, tr("Perustelut", "Motivering", "Reasons"))
    p(document, "{{ decision.reasons }}")
    p(
        document,
        tr(
            "Sovelletut säännökset: kuntalaki (410/2015) 1 § ja 22 §, hallintolaki (434/2003) "
            "45 §.",
            "Tillämpade bestämmelser: kommunallagen (410/2015) 1 § och 22 §, förvaltningslagen "
            "(434/2003) 45 §.",
            "Rules applied: Local Government Act (410/2015), sections 1 and 22; Administrative "
            "Procedure Act (434/2003), section 45.",
        ),
        color=GREY,
    )
    signature(document, lang)

    h2(document, tr("11 Allekirjoitukset", "11 Underskrifter", "11 Signatures"))
    _signatures(document, lang)

    contact(document, lang)
    h2(document, tr("Muutoksenhaku", "Ändringssökande", "Requesting a review"))
    p(
        document,
        tr(
            "Sopimuksen hyväksymispäätökseen voi hakea oikaisua; oikaisuvaatimusohje on "
            "liitteenä. Oikaisuvaatimuksen viimeinen päivä on **{{ appeal.ends_on|date }}**.",
            "Omprövning av beslutet att godkänna avtalet kan begäras; anvisningen finns som "
            "bilaga. Sista dagen att begära omprövning är **{{ appeal.ends_on|date }}**.",
            "A review of the decision approving the agreement may be requested; the "
            "instructions are attached. The last day to request a review is "
            "**{{ appeal.ends_on|date }}**.",
        ),
    )

    rectification_instructions(document, lang)
    return document
