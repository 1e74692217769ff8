"""Sample contexts for every document kind, in the shape of the contexts the subject apps build
(grants/documents.py, agreements/documents.py, finance/documents.py).

`SAMPLES` holds a fully described matter: the variables a template may use. `SPARSE` holds the
same matter with only the facts a decision must state (organisations.facts): a public body
without unit, postal address or phone, a contact person without phone or title, a decision made
before the register of sections existed, not yet signed. A template prints no label and no
separator for an empty value, so both render cleanly.

`manage.py lint_templates` and the upload check render each template with both, so a template
that names a variable not listed here (or misspells one), or stumbles over an empty fact, is
refused. The values are chosen to catch trouble: characters XML escapes, Swedish and Finnish
letters, several paragraphs.
"""

from copy import deepcopy
from typing import Any

_PUBLIC_BODY = {
    "name": "Esimerkkilän kaupunki",
    "business_id": "0123456-7",
    "unit": "Kulttuuri- ja vapaa-aikapalvelut",
    "address": "Kaupungintalo, PL 1, 00100 Esimerkkilä",
    "phone": "+358 9 123 4567",
    "registry_address": "Kirjaamo, PL 1, 00100 Esimerkkilä",
    "email": "kirjaamo@esimerkkila.example.fi",
}
_ASSOCIATION = {
    "name": 'Föreningen Åbo & Co "Ääni" rf',
    "business_id": "7654321-0",
    "register_number": "123.456",
    "iban": "FI21 1234 5600 0007 85",
    "email": "hallitus@example.fi",
    "postal_address": "Åbogatan 1 & <2>\n00100 HELSINGFORS",
}
_CONTACT = {
    "name": "Paula Valmistelija",
    "title": "Erityissuunnittelija",
    "email": "paula@esimerkkila.example.fi",
    "phone": "+358 40 123 4567",
}
_APPEAL = {
    "period_days": 14,
    "sent_on": "2026-12-01",
    "deemed_received_on": "2026-12-08",
    "ends_on": "2026-12-22",
    "channel": "letter",
    "authority": "Kulttuuri- ja vapaa-aikalautakunta",
    "address": "Kirjaamo, PL 1, 00100 Esimerkkilä",
    "email": "kirjaamo@esimerkkila.example.fi",
}


def _signed(name: str, title: str, at: str | None) -> dict[str, Any]:
    """Who signed the decision electronically and when (`at` None: a draft, not signed)."""
    return {"name": name, "title": title, "at": at}


SAMPLES: dict[str, dict[str, Any]] = {
    "grant_decision": {
        "lang": "fi",
        "public_body": _PUBLIC_BODY,
        "decision": {
            "number": "AV-2026-00042",
            "date": "2026-11-30",
            "maker": "Daniel Päättäjä",
            "maker_title": "Palvelujohtaja",
            "section": "§ 12/2026",
            "signed": _signed("Daniel Päättäjä", "Palvelujohtaja", "2026-11-30T14:05:00+02:00"),
            "outcome": "partially_approved",
            "reasons": "Hanke tukee lasten & nuorten hyvinvointia <kaupungin strategia>.\n\n"
            "Pääsylippuja ei avusteta.",
            "conditions": "Avustus on käytettävä 31.12.2027 mennessä.",
        },
        "association": _ASSOCIATION,
        "application": {
            "call": "Toiminta-avustukset 2027",
            "purpose": "Kerhotoiminta ja retket.",
            "received_on": "2026-10-15",
            "requested_amount": "6000.00",
            "granted_amount": "4500.00",
            "budget_lines": [
                {"description": "Tilavuokrat", "amount": "3600.00"},
                {"description": "Retket", "amount": "2400.00"},
            ],
            "budget_total": "6000.00",
        },
        # The answers to the call's own questions as the matter's language writes them
        # (grants.documents; application_forms.summary).
        "answers": [
            {"label": "Jäsenmäärä", "value": "120"},
            {"label": "Joista alle 29-vuotiaita", "value": "45"},
            {"label": "Onko yhdistyksellä omat tilat?", "value": "kyllä"},
            {
                "label": "Tapahtumat",
                "value": "1. Nimi: Kevätjuhla, Osallistujia: 80\n2. Nimi: Retki, Osallistujia: 30",
            },
        ],
        "report": {"due_on": "2028-02-29"},
        "contact": _CONTACT,
        "appeal": _APPEAL,
    },
    "rectification_decision": {
        "lang": "fi",
        "public_body": _PUBLIC_BODY,
        "decision": {
            "number": "OV-2027-00007",
            "date": "2027-01-12",
            "maker": "Liisa Lautakunta",
            "maker_title": "Puheenjohtaja",
            "section": "§ 3/2027",
            "signed": _signed("Liisa Lautakunta", "Puheenjohtaja", "2027-01-12T09:30:00+02:00"),
            "outcome": "changed",
            "reasons": "Oikaisuvaatimuksessa esitetyt kulut ovat avustuskelpoisia.",
            "granted_amount": "6000.00",
        },
        # The decision the request for rectification reviews: its own number and section.
        "original": {
            "number": "AV-2026-00042",
            "section": "§ 12/2026",
            "date": "2026-11-30",
            "granted_amount": "4500.00",
        },
        "rectification": {"filed_on": "2026-12-10", "grounds": "Pääsyliput ovat osa retkeä."},
        "association": _ASSOCIATION,
        "contact": _CONTACT,
        "appeal": {
            **_APPEAL,
            "period_days": 30,
            "authority": "Helsingin hallinto-oikeus",
            "address": "Radanrakentajantie 5, 00520 Helsinki",
            "email": "helsinki.hao@oikeus.fi",
        },
    },
    "agreement_rectification_decision": {
        "lang": "fi",
        "public_body": _PUBLIC_BODY,
        "decision": {
            "number": "KS-2027-003",
            "date": "2027-01-12",
            "maker": "Liisa Lautakunta",
            "maker_title": "Puheenjohtaja",
            "section": "§ 4/2027",
            "signed": _signed("Liisa Lautakunta", "Puheenjohtaja", "2027-01-12T09:30:00+02:00"),
            "outcome": "changed",
            "reasons": "Vuoden 2028 rahoituksesta ei ollut sovittu & se puuttui <ehdotuksesta>.",
        },
        # The decision on the version the request reviews: its own section and outcome.
        "original": {
            "number": "KS-2027-003",
            "version": 2,
            "section": "§ 12/2026",
            "date": "2026-11-30",
            "outcome": "approved",
            # "cancellation": the request reviews the body's decision to cancel the agreement.
            "subject": "decision",
        },
        "agreement": {"title": "Kumppanuussopimus ikäihmisten hyvinvoinnista"},
        "rectification": {
            "filed_on": "2026-12-10",
            "grounds": "Päätöksestä puuttuu vuoden 2028 rahoitus, josta neuvoteltiin.",
        },
        "association": _ASSOCIATION,
        "contact": _CONTACT,
        "appeal": {
            **_APPEAL,
            "period_days": 30,
            "authority": "Helsingin hallinto-oikeus",
            "address": "Radanrakentajantie 5, 00520 Helsinki",
            "email": "helsinki.hao@oikeus.fi",
        },
    },
    "payment_order": {
        "lang": "fi",
        "public_body": _PUBLIC_BODY,
        "order": {"number": "MAKSU-2027-0012", "date": "2027-01-20", "due_on": "2027-01-27"},
        "payee": _ASSOCIATION,
        "payment": {
            "amount": "4500.00",
            "instalment": "1/1",
            "payable_on": "2026-12-23",
            "reference": "RF34 0000 0042",
            "message": "Toiminta-avustus 2027",
        },
        # What the payment rests on: a legally valid grant decision here (an agreement's
        # instalment in the sparse sample).
        "basis": {
            "kind": "grant_decision",
            "number": "AV-2026-00042",
            "date": "2026-11-30",
            "section": "§ 12/2026",
            "legally_valid_on": "2026-12-23",
            "amount": "4500.00",
            "paid_before": "0.00",
        },
        "accounting": {"cost_centre": "4100", "account": "6710"},
        "approver": {
            "name": "Fiona Talous",
            "title": "Talouspäällikkö",
            "approved_at": "2027-01-20T10:15:00+02:00",
        },
    },
    # An agreement version of two associations awaiting signatures: the public body and one of
    # the two signatories the first association requires have signed, two slots are open.
    "agreement": {
        "lang": "fi",
        "public_body": _PUBLIC_BODY,
        "agreement": {
            "number": "KS-2027-003",
            "version": 2,
            "title": "Kumppanuussopimus ikäihmisten hyvinvoinnista",
            "purpose": "Yhteinen tavoite: ikäihmiset liikkuvat & osallistuvat.",
            "starts_on": "2027-01-01",
            "ends_on": "2029-12-31",
            "in_force_from": None,
            "meetings_per_year": 2,
            "evaluation_every_months": 12,
            "notice_period_months": 3,
        },
        "associations": [
            {**_ASSOCIATION, "signatures_required": 2},
            {
                "name": "Eläkeläiset <Seniorit> ry",
                "business_id": "1234567-1",
                "register_number": "654.321",
                "iban": "FI89 1234 5600 0000 01",
                "email": "seniorit@example.fi",
                "signatures_required": 1,
            },
        ],
        "goals": [
            {"goal": "Liikuntaryhmät", "indicator": "Osallistujia viikossa", "target": "120"},
            {"goal": "Vapaaehtoiset", "indicator": "Koulutettuja ohjaajia", "target": "12,5"},
        ],
        "responsibilities": {
            "public_body": "Tarjoaa tilat maksutta.",
            "association": "Järjestää ryhmät.",
        },
        "resources": [
            {
                "year": 2027,
                "kind": "money",
                "provided_by": "public_body",
                "description": "",
                "amount": "10000.00",
                "hours": "",
                "hours_per": "",
                "hours_per_year": "",
                "pays_on": "2027-02-01",
            },
            {
                "year": 2027,
                "kind": "premises",
                "provided_by": "public_body",
                "description": "Seniorikeskus, liikuntasali",
                "amount": "3000.00",
                "hours": "6",
                "hours_per": "week",
                "hours_per_year": "312",
                "pays_on": None,
            },
            {
                "year": 2027,
                "kind": "staff",
                "provided_by": "association",
                "description": "Vapaaehtoiset ohjaajat",
                "amount": "1500.00",
                "hours": "100",
                "hours_per": "year",
                "hours_per_year": "100",
                "pays_on": None,
            },
        ],
        "years": [
            {
                "year": 2027,
                "money": "10000.00",
                "premises": "3000.00",
                "staff": "1500.00",
                "total": "14500.00",
            }
        ],
        "contacts": {
            "public_body": {
                **_CONTACT,
                "name": "Liisa Yhdyshenkilö",
                "title": "Järjestöyhdyshenkilö",
            },
            "association": {
                "name": "Aino Aaltonen",
                "title": "Puheenjohtaja",
                "email": "aino@example.fi",
                "phone": "+358 50 765 4321",
            },
        },
        "decision": {
            "number": "KS-2027-003",
            "date": "2026-11-30",
            "maker": "Daniel Päättäjä",
            "maker_title": "Palvelujohtaja",
            "section": "§ 13/2026",
            "signed": _signed("Daniel Päättäjä", "Palvelujohtaja", "2026-11-30T14:20:00+02:00"),
            "reasons": "Sopimus toteuttaa hyvinvointisuunnitelmaa <tavoite 3> & lisää liikuntaa.",
        },
        "contact": _CONTACT,
        "appeal": _APPEAL,
        "signatories": [
            {
                "side": "public_body",
                "party": _PUBLIC_BODY["name"],
                "name": "Daniel Päättäjä",
                "title": "Palvelujohtaja",
                "signed_at": "2026-12-23",
            },
            {
                "side": "association",
                "party": _ASSOCIATION["name"],
                "name": "Aino Aaltonen",
                "title": "Puheenjohtaja",
                "signed_at": "2026-12-23",
            },
            {
                "side": "association",
                "party": _ASSOCIATION["name"],
                "name": "",
                "title": "",
                "signed_at": None,
            },
            {
                "side": "association",
                "party": "Eläkeläiset <Seniorit> ry",
                "name": "",
                "title": "",
                "signed_at": None,
            },
        ],
    },
    # A round of three applications decided by the decision-maker for a board (grants.rounds):
    # the list the board signs with its minutes, its totals against the call's budget.
    "round_decision_list": {
        "lang": "fi",
        "public_body": _PUBLIC_BODY,
        "call": {"name": "Toiminta-avustukset 2027", "budget": "50000.00"},
        "decision": {
            "date": "2026-11-30",
            "maker": "Daniel Päättäjä",
            "maker_title": "Palvelujohtaja",
            "signed": _signed("Daniel Päättäjä", "Palvelujohtaja", "2026-11-30T14:05:00+02:00"),
            "board": "Kulttuuri- ja vapaa-aikalautakunta",
            "meeting_date": "2026-11-26",
            "section": "§ 45",
        },
        "applications": [
            {
                "number": 101,
                "association": _ASSOCIATION["name"],
                "business_id": _ASSOCIATION["business_id"],
                "requested": "6000.00",
                "granted": "4500.00",
                "outcome": "Osittain hyväksytty",
                "decision_number": "AV-2026-00042",
                "reasons": "Hanke tukee lasten & nuorten hyvinvointia <kaupungin strategia>.",
            },
            {
                "number": 102,
                "association": "Eläkeläiset <Seniorit> ry",
                "business_id": "1234567-1",
                "requested": "3000.00",
                "granted": "3000.00",
                "outcome": "Hyväksytty",
                "decision_number": "AV-2026-00043",
                "reasons": "",
            },
            {
                "number": 103,
                "association": "Kylätoimikunta ry",
                "business_id": "",
                "requested": "2500.00",
                "granted": "0.00",
                "outcome": "Hylätty",
                "decision_number": "AV-2026-00044",
                "reasons": "Toiminta ei kuulu haun tarkoitukseen.",
            },
        ],
        "totals": {
            "count": 3,
            "approved": 2,
            "requested": "11500.00",
            "granted": "7500.00",
            "call_granted": "12500.00",
            "left": "37500.00",
        },
    },
}


# Only what a body must have on record to decide (organisations.facts): no unit, postal address
# or phone.
_SPARSE_BODY = {**_PUBLIC_BODY, "unit": "", "address": "", "phone": ""}
_SPARSE_CONTACT = {**_CONTACT, "title": "", "phone": ""}
# A decision made before the register of sections existed, and a draft nobody has signed.
_UNSIGNED = {"section": "", "maker_title": "", "signed": _signed("", "", None)}


def _sparse(kind: str, **parts: dict[str, Any]) -> dict[str, Any]:
    """The kind's full sample with the body, contact and decision cut down to the minimum;
    `parts` are merged into the sample's parts of those names."""
    context = deepcopy(SAMPLES[kind])
    context["public_body"] = _SPARSE_BODY
    if "contact" in context:
        context["contact"] = _SPARSE_CONTACT
    if "decision" in context:
        context["decision"] = {**context["decision"], **_UNSIGNED}
    for name, values in parts.items():
        context[name] = {**context[name], **values}
    return context


_SPARSE_AGREEMENT = _sparse(
    "agreement",
    contacts={
        "public_body": _SPARSE_CONTACT,
        "association": {
            "name": "Aino Aaltonen",
            "title": "",
            "email": "aino@example.fi",
            "phone": "",
        },
    },
)
for _signatory in _SPARSE_AGREEMENT["signatories"]:
    _signatory.update(name="", title="", signed_at=None)

SPARSE: dict[str, dict[str, Any]] = {
    # A call that asked no questions of its own: no answers.
    "grant_decision": {
        **_sparse("grant_decision", appeal={"address": _PUBLIC_BODY["registry_address"]}),
        "answers": [],
    },
    "rectification_decision": _sparse("rectification_decision", original={"section": ""}),
    # Upheld, on a version decided before the register of sections existed.
    "agreement_rectification_decision": _sparse(
        "agreement_rectification_decision", decision={"outcome": "upheld"}, original={"section": ""}
    ),
    # An agreement's instalment, not yet approved: no decision section, no legal validity date.
    "payment_order": _sparse(
        "payment_order",
        basis={
            "kind": "agreement",
            "number": "KS-2027-003",
            "date": "2026-11-30",
            "section": "",
            "legally_valid_on": None,
            "amount": "10000.00",
            "paid_before": "0.00",
        },
        payment={
            "amount": "10000.00",
            "instalment": "1/3",
            "payable_on": "2027-02-01",
            "reference": "RF09 0000 0007",
            "message": "Kumppanuussopimus ikäihmisten hyvinvoinnista 2027",
        },
        approver={"name": "", "title": "", "approved_at": None},
    ),
    "agreement": _SPARSE_AGREEMENT,
    # The decision-maker's own round (no board), before the register of sections existed.
    "round_decision_list": _sparse(
        "round_decision_list", decision={"board": "", "meeting_date": None}
    ),
}


# The body's own texts as the data side gives them for a matter handled in Swedish
# (organisations.languages.in_language): the Swedish samples read as a Swedish decision does.
IN_SWEDISH = {
    "Esimerkkilän kaupunki": "Exempelby stad",
    "Kulttuuri- ja vapaa-aikapalvelut": "Kultur- och fritidstjänster",
    "Kaupungintalo, PL 1, 00100 Esimerkkilä": "Stadshuset, PB 1, 00100 Exempelby",
    "Kirjaamo, PL 1, 00100 Esimerkkilä": "Registratorskontoret, PB 1, 00100 Exempelby",
    "Kulttuuri- ja vapaa-aikalautakunta": "Kultur- och fritidsnämnden",
    "Toiminta-avustukset 2027": "Verksamhetsbidrag 2027",
    "Kumppanuussopimus ikäihmisten hyvinvoinnista": "Partnerskapsavtal om äldres välbefinnande",
    "Kumppanuussopimus ikäihmisten hyvinvoinnista 2027": (
        "Partnerskapsavtal om äldres välbefinnande 2027"
    ),
    "Palvelujohtaja": "Servicedirektör",
    "Puheenjohtaja": "Ordförande",
    "Erityissuunnittelija": "Specialplanerare",
    "Järjestöyhdyshenkilö": "Kontaktperson för organisationer",
    "Talouspäällikkö": "Ekonomichef",
    "Jäsenmäärä": "Antal medlemmar",
    "Joista alle 29-vuotiaita": "Av dem under 29 år",
    "Onko yhdistyksellä omat tilat?": "Har föreningen egna lokaler?",
    "kyllä": "ja",
    "Osittain hyväksytty": "Delvis godkänd",
    "Hyväksytty": "Godkänd",
    "Hylätty": "Avslagen",
    "Toiminta ei kuulu haun tarkoitukseen.": "Verksamheten hör inte till ansökans syfte.",
    "Tapahtumat": "Evenemang",
    "1. Nimi: Kevätjuhla, Osallistujia: 80\n2. Nimi: Retki, Osallistujia: 30": (
        "1. Namn: Vårfest, Deltagare: 80\n2. Namn: Utflykt, Deltagare: 30"
    ),
}


def _translated(value: Any, texts: dict[str, str]) -> Any:
    if isinstance(value, str):
        return texts.get(value, value)
    if isinstance(value, dict):
        return {key: _translated(item, texts) for key, item in value.items()}
    if isinstance(value, list):
        return [_translated(item, texts) for item in value]
    return value


def sample(kind: str, language: str = "fi", *, sparse: bool = False) -> dict[str, Any]:
    """A fresh copy of the sample context for a kind, in a language: the fully described
    matter, or with `sparse` the one with only the required facts; in Swedish the body's own
    texts are its Swedish ones."""
    context = deepcopy((SPARSE if sparse else SAMPLES)[kind])
    if language == "sv":
        context = _translated(context, IN_SWEDISH)
    return {**context, "lang": language}
