"""A full sample context for every document kind: the variables a template may use.

`manage.py lint_templates` and the upload check render each template with these, so a template
that names a variable not listed here (or misspells one) is refused. The values are chosen to
catch trouble: characters XML escapes, Swedish and Finnish letters, several paragraphs.
"""

from copy import deepcopy
from typing import Any

_PUBLIC_BODY = {
    "name": "Esimerkkilän kaupunki",
    "business_id": "0123456-7",
    "unit": "Kulttuuri- ja vapaa-aikapalvelut",
    "address": "Kaupungintalo, PL 1, 00100 Esimerkkilä",
    "email": "kirjaamo@esimerkkila.example.fi",
}
_ASSOCIATION = {
    "name": 'Föreningen Åbo & Co "Ääni" rf',
    "business_id": "7654321-0",
    "register_number": "123.456",
    "iban": "FI21 1234 5600 0007 85",
    "email": "hallitus@example.fi",
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
    "address": "Kaupungintalo, PL 1, 00100 Esimerkkilä",
    "email": "kirjaamo@esimerkkila.example.fi",
}

SAMPLES: dict[str, dict[str, Any]] = {
    "grant_decision": {
        "lang": "fi",
        "public_body": _PUBLIC_BODY,
        "decision": {
            "number": "AV-2026-00042",
            "date": "2026-11-30",
            "maker": "Daniel Päättäjä",
            "maker_title": "Palvelujohtaja",
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
        "report": {"due_on": "2028-02-29"},
        "contact": _CONTACT,
        "appeal": _APPEAL,
    },
    "rectification_decision": {
        "lang": "fi",
        "public_body": _PUBLIC_BODY,
        "decision": {
            "number": "AV-2027-00007",
            "date": "2027-01-12",
            "maker": "Liisa Lautakunta",
            "maker_title": "Puheenjohtaja",
            "outcome": "changed",
            "reasons": "Oikaisuvaatimuksessa esitetyt kulut ovat avustuskelpoisia.",
            "granted_amount": "6000.00",
        },
        "original": {"number": "AV-2026-00042", "date": "2026-11-30", "granted_amount": "4500.00"},
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
    "payment_order": {
        "lang": "fi",
        "public_body": _PUBLIC_BODY,
        "order": {"number": "MAKSU-2027-0012", "date": "2027-01-20", "due_on": "2027-01-27"},
        "payee": _ASSOCIATION,
        "payment": {
            "amount": "4500.00",
            "instalment": "1/1",
            "reference": "AV-2026-00042",
            "message": "Toiminta-avustus 2027",
        },
        "decision": {
            "number": "AV-2026-00042",
            "date": "2026-11-30",
            "legally_valid_on": "2026-12-23",
            "granted_amount": "4500.00",
            "paid_before": "0.00",
        },
        "accounting": {"cost_centre": "4100", "account": "6710"},
        "approver": {"name": "Fiona Talous", "title": "Talouspäällikkö"},
    },
    "agreement": {
        "lang": "fi",
        "public_body": _PUBLIC_BODY,
        "agreement": {
            "number": "KS-2027-003",
            "title": "Kumppanuussopimus ikäihmisten hyvinvoinnista",
            "purpose": "Yhteinen tavoite: ikäihmiset liikkuvat & osallistuvat.",
            "starts_on": "2027-01-01",
            "ends_on": "2029-12-31",
            "version": 2,
            "meetings_per_year": 2,
        },
        "association": _ASSOCIATION,
        "goals": [
            {"goal": "Liikuntaryhmät", "indicator": "Osallistujia viikossa", "target": "120"}
        ],
        "responsibilities": {
            "public_body": "Tarjoaa tilat maksutta.",
            "association": "Järjestää ryhmät.",
        },
        "resources": [
            {
                "year": 2027,
                "money": "10000.00",
                "premises": "Seniorikeskus",
                "hours_per_week": 6,
                "premises_value": "3000.00",
            }
        ],
        "contacts": {
            "public_body": _CONTACT,
            "association": {
                "name": "Aino Aaltonen",
                "email": "aino@example.fi",
                "phone": "+358 50 765 4321",
            },
        },
        "signatories": [
            {"side": "public_body", "name": "Daniel Päättäjä", "title": "Palvelujohtaja"},
            {"side": "association", "name": "Aino Aaltonen", "title": "Puheenjohtaja"},
        ],
    },
}


def sample(kind: str, language: str = "fi") -> dict[str, Any]:
    """A fresh copy of the sample context for a kind, in a language."""
    return {**deepcopy(SAMPLES[kind]), "lang": language}
