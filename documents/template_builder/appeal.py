"""The appeal instructions a decision carries (Administrative Procedure Act 434/2003 47 §):
the oikaisuvaatimusohje (a request for rectification within 14 days, Local Government Act
410/2015 134 §) and, after a rectification decision, the valitusosoitus (a municipal appeal to
the administrative court within 30 days, 135 §), each with how the decision was served."""

from docx.document import Document
from docx.shared import Pt

from documents.template_builder.decision_parts import CITED
from documents.template_builder.expressions import labelled, then
from documents.template_builder.kit import (
    bullets,
    h1,
    h3,
    highlight,
    p,
    translator,
)

# The instructions are an appendix on a page of their own, set a point smaller than the
# decision so that the rectification instructions fit on that one page in every language: no
# almost empty last page.
SMALL = Pt(10)


def _text(document: Document, text: str) -> None:
    p(document, text, size=SMALL)


def _notified(document: Document, lang: str) -> None:
    """How and when the decision was sent, and when the party is deemed to have received it
    (Administrative Procedure Act 59 §, Local Government Act 139–140 §, Act 13/2003 19 §)."""
    tr = translator(lang)
    letter = '{% if appeal.channel == "letter" %}'
    _text(
        document,
        tr(
            "Tämä päätös on lähetetty **{{ appeal.sent_on|date }}** "
            + letter
            + "kirjeellä{% else %}sähköisesti{% endif %}. Asianosaisen katsotaan saaneen "
            "päätöksestä tiedon **{{ appeal.deemed_received_on|date }}**, "
            + letter
            + "seitsemäntenä päivänä kirjeen lähettämisestä{% else %}kolmantena päivänä viestin "
            "lähettämisestä{% endif %}, jollei muuta näytetä. Kunnan jäsenen katsotaan saaneen "
            "päätöksestä tiedon seitsemäntenä päivänä siitä, kun päätös on julkaistu yleisessä "
            "tietoverkossa.",
            "Detta beslut har sänts **{{ appeal.sent_on|date }}** "
            + letter
            + "per brev{% else %}elektroniskt{% endif %}. Parten anses ha fått del av beslutet "
            "**{{ appeal.deemed_received_on|date }}**, "
            + letter
            + "den sjunde dagen efter att brevet sändes{% else %}den tredje dagen efter att "
            "meddelandet sändes{% endif %}, om inte något annat visas. En kommunmedlem anses ha "
            "fått del av beslutet den sjunde dagen efter att det publicerades i det allmänna "
            "datanätet.",
            "This decision was sent on **{{ appeal.sent_on|date }}** "
            + letter
            + "by letter{% else %}electronically{% endif %}. The party is deemed to have "
            "received it on **{{ appeal.deemed_received_on|date }}**, "
            + letter
            + "the seventh day after the letter was sent{% else %}the third day after the "
            "message was sent{% endif %}, unless shown otherwise. A member of the municipality "
            "is deemed to have received it on the seventh day after it was published on the "
            "public data network.",
        ),
    )


def _authority(document: Document, lang: str, lead: str) -> None:
    tr = translator(lang)
    _text(
        document,
        lead
        + "\n**{{ appeal.authority }}**"
        + then(
            "\n",
            labelled(tr("Osoite:", "Adress:", "Address:"), "appeal.address"),
            labelled(tr("Sähköposti:", "E-post:", "Email:"), "appeal.email"),
        ),
    )


def _holiday_rule(lang: str, act: str) -> str:
    """The Act on the Calculation of Statutory Time Limits (150/1930), in words."""
    tr = translator(lang)
    return tr(
        f"Tiedoksisaantipäivää ei lueta määräaikaan. Jos määräajan viimeinen päivä on pyhäpäivä, "
        f"itsenäisyyspäivä, vapunpäivä, joulu- tai juhannusaatto tai arkilauantai, {act} "
        f"ensimmäisenä arkipäivänä sen jälkeen.",
        f"Den dag då beslutet delgavs räknas inte in i tidsfristen. Om den sista dagen infaller "
        f"på en helgdag, självständighetsdagen, första maj, julafton, midsommarafton eller en "
        f"helgfri lördag, {act} den första vardagen därefter.",
        f"The day of service is not counted. If the last day falls on a public holiday, "
        f"Independence Day, May Day, Christmas Eve, Midsummer Eve or a Saturday, {act} on the "
        f"next working day.",
    )


def rectification_instructions(document: Document, lang: str) -> None:
    """Oikaisuvaatimusohje: Local Government Act 134 §, Administrative Procedure Act 47 §."""
    tr = translator(lang)
    h1(
        document,
        tr(
            "Oikaisuvaatimusohje",
            "Anvisning om begäran om omprövning",
            "Instructions for requesting a review",
        ),
        new_page=True,
    )
    _text(
        document,
        tr(
            "Tähän päätökseen tyytymätön voi tehdä kirjallisen oikaisuvaatimuksen. Päätökseen ei "
            "saa hakea muutosta valittamalla tuomioistuimeen.",
            "Den som är missnöjd med detta beslut kan skriftligen begära omprövning av det. "
            "Ändring i beslutet får inte sökas genom besvär hos domstol.",
            "If you are dissatisfied with this decision, you may submit a written request for "
            "review (request for rectification). An appeal against this decision may not be "
            "lodged directly with a court.",
        ),
    )
    h3(document, tr("Oikaisuvaatimusoikeus", "Rätt att begära omprövning", "Who may request"))
    _text(
        document,
        tr(
            "Oikaisuvaatimuksen saa tehdä se, johon päätös on kohdistettu tai jonka oikeuteen, "
            "velvollisuuteen tai etuun päätös välittömästi vaikuttaa (asianosainen), sekä kunnan "
            "jäsen.",
            "Omprövning får begäras av den som beslutet avser eller vars rätt, skyldighet eller "
            "fördel direkt påverkas av beslutet (part) samt av kommunmedlemmar.",
            "A review may be requested by the person or organisation to whom the decision is "
            "addressed or whose right, obligation or interest it directly affects (a party), and "
            "by members of the municipality.",
        ),
    )
    h3(document, tr("Oikaisuvaatimusaika", "Tidsfrist", "Time limit"))
    _text(
        document,
        tr(
            "Oikaisuvaatimus on tehtävä {{ appeal.period_days }} päivän kuluessa päätöksen "
            "tiedoksisaannista. ",
            "Omprövning ska begäras inom {{ appeal.period_days }} dagar från delfåendet av "
            "beslutet. ",
            "The request must be made within {{ appeal.period_days }} days of service of the "
            "decision. ",
        )
        + _holiday_rule(
            lang,
            tr(
                "oikaisuvaatimuksen saa tehdä",
                "får omprövning begäras",
                "the request may be made",
            ),
        ),
    )
    _notified(document, lang)
    highlight(
        document,
        size=SMALL,
        text=tr(
            "Oikaisuvaatimuksen on oltava perillä viimeistään **{{ appeal.ends_on|date }}**.",
            "Begäran om omprövning ska ha kommit fram senast **{{ appeal.ends_on|date }}**.",
            "The request must reach the authority no later than **{{ appeal.ends_on|date }}**.",
        ),
    )
    h3(
        document,
        tr("Oikaisuvaatimusviranomainen", "Myndighet som prövar begäran", "Where to submit it"),
    )
    _authority(
        document,
        lang,
        tr(
            "Oikaisuvaatimus tehdään viranomaiselle:",
            "Begäran om omprövning riktas till:",
            "Address the request to:",
        ),
    )
    h3(
        document,
        tr(
            "Oikaisuvaatimuksen muoto ja sisältö",
            "Begärans form och innehåll",
            "Form and content of the request",
        ),
    )
    _text(
        document,
        tr(
            "Oikaisuvaatimus on tehtävä kirjallisesti. Siinä on ilmoitettava:",
            "Begäran om omprövning ska göras skriftligen. Av den ska framgå:",
            "The request must be made in writing and must state:",
        ),
    )
    bullets(
        document,
        size=SMALL,
        items=[
            tr(
                f"päätös, johon oikaisuvaatimus kohdistuu (päätös {CITED})",
                f"det beslut som begäran gäller (beslut {CITED})",
                f"the decision concerned (decision {CITED})",
            ),
            tr(
                "miten päätöstä halutaan oikaistavaksi",
                "hur beslutet ska omprövas",
                "how the decision should be changed",
            ),
            tr(
                "millä perusteella oikaisua vaaditaan",
                "på vilka grunder omprövning begärs",
                "the grounds for the request",
            ),
            tr(
                "oikaisuvaatimuksen tekijän nimi ja kotikunta sekä postiosoite, puhelinnumero ja "
                "sähköpostiosoite, joihin asiaa koskevat ilmoitukset voidaan toimittaa.",
                "namn och hemkommun för den som begär omprövning samt den postadress, det "
                "telefonnummer och den e-postadress dit meddelanden i ärendet kan sändas.",
                "the name and municipality of residence of the person making the request, and "
                "the postal address, telephone number and email address for communications "
                "about the matter.",
            ),
        ],
    )
    _text(
        document,
        tr(
            "Jos oikaisuvaatimuksen tekijän puhevaltaa käyttää hänen laillinen edustajansa tai "
            "asiamiehensä tai jos oikaisuvaatimuksen laatijana on muu henkilö, "
            "oikaisuvaatimuksessa on ilmoitettava myös tämän nimi ja kotikunta.",
            "Om den som begär omprövning företräds av en laglig företrädare eller ett ombud, "
            "eller om någon annan har upprättat begäran, ska även dennes namn och hemkommun "
            "uppges.",
            "If the request is made through a legal representative or an agent, or drawn up by "
            "someone else, that person's name and municipality of residence must also be given.",
        ),
    )
    h3(
        document,
        tr("Oikaisuvaatimuksen toimittaminen", "Inlämning av begäran", "How to submit it"),
    )
    _text(
        document,
        tr(
            "Oikaisuvaatimuksen voi toimittaa määräajassa postitse, lähetin välityksellä, "
            "henkilökohtaisesti tai sähköpostilla. Postitse ja sähköisesti lähetetty "
            "oikaisuvaatimus lähetetään lähettäjän omalla vastuulla. Henkilökohtaisesti tai "
            "lähetin välityksellä toimitettu oikaisuvaatimus on jätettävä ennen viraston "
            "aukioloajan päättymistä.",
            "Begäran om omprövning kan inom tidsfristen lämnas in per post, med bud, personligen "
            "eller per e-post. Post och elektroniska meddelanden sänds på avsändarens eget "
            "ansvar. En begäran som lämnas personligen eller med bud ska lämnas in före "
            "utgången av ämbetsverkets öppettid.",
            "The request may be delivered within the time limit by post, by courier, in person "
            "or by email. Post and email are sent at the sender's own risk. A request delivered "
            "in person or by courier must be handed in before the office closes.",
        ),
    )
    h3(document, tr("Maksuttomuus", "Avgiftsfrihet", "Free of charge"))
    _text(
        document,
        tr(
            "Oikaisuvaatimuksen käsittely on maksutonta.",
            "Behandlingen av begäran om omprövning är avgiftsfri.",
            "There is no charge for handling a request for review.",
        ),
    )


def court_appeal_instructions(document: Document, lang: str) -> None:
    """Valitusosoitus: a municipal appeal to the administrative court (Local Government Act
    135–137 §; Act on Administrative Court Procedure 808/2019 13–16 §)."""
    tr = translator(lang)
    h1(document, tr("Valitusosoitus", "Besvärsanvisning", "Instructions for appeal"), new_page=True)
    _text(
        document,
        tr(
            "Tähän päätökseen saa hakea muutosta kunnallisvalituksella hallinto-oikeudelta "
            "(kuntalaki 410/2015, 135 §).",
            "Ändring i detta beslut får sökas genom kommunalbesvär hos förvaltningsdomstolen "
            "(kommunallagen 410/2015, 135 §).",
            "This decision may be appealed against by a municipal appeal to the administrative "
            "court (Local Government Act 410/2015, section 135).",
        ),
    )
    h3(document, tr("Valitusoikeus", "Besvärsrätt", "Right of appeal"))
    _text(
        document,
        tr(
            "Oikaisuvaatimukseen annettuun päätökseen saa hakea muutosta kunnallisvalituksella "
            "vain se, joka on tehnyt oikaisuvaatimuksen. Jos päätöstä on oikaisuvaatimuksen "
            "johdosta muutettu, saa päätökseen hakea muutosta kunnallisvalituksella myös "
            "asianosainen ja kunnan jäsen.",
            "Ändring i ett beslut som har meddelats med anledning av en begäran om omprövning "
            "får sökas genom kommunalbesvär endast av den som har begärt omprövning. Om beslutet "
            "har ändrats med anledning av begäran, får ändring sökas även av en part och av en "
            "kommunmedlem.",
            "Only the person who requested the review may appeal against a decision made on a "
            "request for review. If the decision was changed as a result of the request, a party "
            "and a member of the municipality may also appeal.",
        ),
    )
    h3(document, tr("Valitusperusteet", "Besvärsgrunder", "Grounds of appeal"))
    _text(
        document,
        tr(
            "Kunnallisvalituksen saa tehdä sillä perusteella, että päätös on syntynyt "
            "virheellisessä järjestyksessä, päätöksen tehnyt viranomainen on ylittänyt "
            "toimivaltansa tai päätös on muuten lainvastainen.",
            "Kommunalbesvär får anföras på den grunden att beslutet har tillkommit i felaktig "
            "ordning, att den myndighet som fattat beslutet har överskridit sina befogenheter "
            "eller att beslutet annars strider mot lag.",
            "A municipal appeal may be made on the grounds that the decision was made in the "
            "wrong order, that the authority exceeded its powers, or that the decision is "
            "otherwise unlawful.",
        ),
    )
    h3(document, tr("Valitusaika", "Besvärstid", "Time limit"))
    _text(
        document,
        tr(
            "Valitus on tehtävä {{ appeal.period_days }} päivän kuluessa päätöksen "
            "tiedoksisaannista. ",
            "Besvär ska anföras inom {{ appeal.period_days }} dagar från delfåendet av beslutet. ",
            "The appeal must be lodged within {{ appeal.period_days }} days of service of the "
            "decision. ",
        )
        + _holiday_rule(
            lang,
            tr("valituksen saa tehdä", "får besvär anföras", "the appeal may be lodged"),
        ),
    )
    _notified(document, lang)
    highlight(
        document,
        size=SMALL,
        text=tr(
            "Valituksen on oltava perillä hallinto-oikeudessa viimeistään "
            "**{{ appeal.ends_on|date }}**.",
            "Besväret ska ha kommit fram till förvaltningsdomstolen senast "
            "**{{ appeal.ends_on|date }}**.",
            "The appeal must reach the administrative court no later than "
            "**{{ appeal.ends_on|date }}**.",
        ),
    )
    h3(document, tr("Valitusviranomainen", "Besvärsmyndighet", "Appeal authority"))
    _authority(
        document,
        lang,
        tr("Valitus tehdään:", "Besvär anförs hos:", "Lodge the appeal with:"),
    )
    _text(
        document,
        tr(
            "Valituksen voi tehdä myös hallinto- ja erityistuomioistuinten sähköisessä "
            "asiointipalvelussa.",
            "Besvär kan också anföras i förvaltnings- och specialdomstolarnas e-tjänst.",
            "The appeal may also be lodged through the e-service of the administrative and "
            "special courts.",
        ),
    )
    h3(document, tr("Valituksen sisältö", "Besvärets innehåll", "Content of the appeal"))
    p(document, tr("Valituksessa on ilmoitettava:", "I besväret ska uppges:", "State:"))
    bullets(
        document,
        size=SMALL,
        items=[
            tr(
                f"päätös, johon haetaan muutosta (päätös {CITED})",
                f"det beslut i vilket ändring söks (beslut {CITED})",
                f"the decision appealed against (decision {CITED})",
            ),
            tr(
                "miltä kohdin päätökseen haetaan muutosta ja mitä muutoksia siihen vaaditaan "
                "tehtäväksi",
                "till vilka delar ändring söks i beslutet och vilka ändringar som yrkas",
                "which parts of the decision are appealed against and what changes are sought",
            ),
            tr("vaatimusten perustelut", "grunderna för yrkandena", "the grounds for the claims"),
            tr(
                "mihin valitusoikeus perustuu, jos päätös ei kohdistu valittajaan.",
                "vad besvärsrätten grundar sig på, om beslutet inte riktar sig till "
                "ändringssökanden.",
                "what the right of appeal is based on, if the decision is not addressed to the "
                "appellant.",
            ),
        ],
    )
    _text(
        document,
        tr(
            "Valituksessa on ilmoitettava valittajan nimi ja yhteystiedot. Jos puhevaltaa käyttää "
            "valittajan laillinen edustaja tai asiamies, myös tämän yhteystiedot on "
            "ilmoitettava. Yhteystietojen muutoksesta on valituksen vireillä ollessa "
            "ilmoitettava viipymättä hallinto-oikeudelle.",
            "I besväret ska ändringssökandens namn och kontaktuppgifter uppges. Om talan förs av "
            "en laglig företrädare eller ett ombud, ska också dennes kontaktuppgifter uppges. "
            "Ändrade kontaktuppgifter ska utan dröjsmål meddelas förvaltningsdomstolen medan "
            "ärendet är anhängigt.",
            "The appeal must give the appellant's name and contact details. If the appellant is "
            "represented by a legal representative or an agent, that person's contact details "
            "must also be given. Any change of contact details must be notified to the "
            "administrative court without delay while the appeal is pending.",
        ),
    )
    h3(document, tr("Valituksen liitteet", "Bilagor till besväret", "Attachments"))
    bullets(
        document,
        size=SMALL,
        items=[
            tr(
                "valituksen kohteena oleva päätös alkuperäisenä tai jäljennöksenä",
                "det beslut i vilket ändring söks, i original eller kopia",
                "the decision appealed against, as an original or a copy",
            ),
            tr(
                "todistus siitä, minä päivänä päätös on annettu tiedoksi, tai muu selvitys "
                "valitusajan alkamisesta",
                "ett intyg över vilken dag beslutet har delgetts, eller annan utredning om när "
                "besvärstiden har börjat",
                "a certificate of the date on which the decision was served, or other evidence "
                "of when the time limit began",
            ),
            tr(
                "asiakirjat, joihin valittaja vetoaa vaatimustensa tueksi, jollei niitä ole jo "
                "toimitettu viranomaiselle.",
                "de handlingar som ändringssökanden åberopar till stöd för sina yrkanden, om de "
                "inte redan har lämnats in till myndigheten.",
                "the documents relied on in support of the claims, unless they have already "
                "been submitted to the authority.",
            ),
        ],
    )
    h3(document, tr("Valituksen toimittaminen", "Inlämning av besväret", "How to submit it"))
    _text(
        document,
        tr(
            "Valituksen voi toimittaa hallinto-oikeudelle postitse, lähetin välityksellä, "
            "henkilökohtaisesti, sähköpostilla tai asiointipalvelussa. Valitus lähetetään omalla "
            "vastuulla, ja sen on oltava perillä viimeistään valitusajan viimeisenä päivänä "
            "ennen viraston aukioloajan päättymistä.",
            "Besväret kan lämnas in till förvaltningsdomstolen per post, med bud, personligen, "
            "per e-post eller i e-tjänsten. Besväret sänds på avsändarens eget ansvar och ska ha "
            "kommit fram senast den sista dagen av besvärstiden före utgången av ämbetsverkets "
            "öppettid.",
            "The appeal may be delivered to the administrative court by post, by courier, in "
            "person, by email or through the e-service. It is sent at the sender's own risk and "
            "must arrive no later than the last day of the time limit, before the court's office "
            "closes.",
        ),
    )
    h3(document, tr("Oikeudenkäyntimaksu", "Rättegångsavgift", "Court fee"))
    _text(
        document,
        tr(
            "Hallinto-oikeus perii valituksen käsittelystä oikeudenkäyntimaksun "
            "tuomioistuinmaksulain (1455/2015) mukaisesti, jollei laissa toisin säädetä. "
            "Maksusta saa tietoa hallinto-oikeudesta.",
            "Förvaltningsdomstolen tar ut en rättegångsavgift för behandlingen av besväret enligt "
            "lagen om domstolsavgifter (1455/2015), om inte något annat föreskrivs i lag. "
            "Närmare upplysningar om avgiften ges av förvaltningsdomstolen.",
            "The administrative court charges a court fee for handling the appeal under the "
            "Court Fees Act (1455/2015), unless otherwise provided by law. The court gives more "
            "information about the fee.",
        ),
    )
