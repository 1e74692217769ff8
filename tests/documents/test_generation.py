"""Generated decision documents, read back with python-docx."""

import hashlib
import io
from datetime import timedelta
from decimal import Decimal

import docx
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from jinja2.exceptions import SecurityError

from documents.generation import documents_of, regenerate
from documents.models import GeneratedDocument
from documents.rendering import CompiledTemplate, TemplateRefused
from documents.templates import lint, template_upload
from finance.hand_over import finance_hand_over
from grants.documents import decision_document_generate
from grants.models import BudgetLine
from tests.conftest import as_user
from workflow.time_limits import appeal_dates

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    """Every word of a .docx: paragraphs, tables, headers and footers."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def bytes_of(document: GeneratedDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def decided(walk, application, **decision):
    params = {
        "outcome": "partially_approved",
        "granted_amount": Decimal("4500.00"),
        "reasons": "Hanke tukee lasten hyvinvointia.",
        **decision,
    }
    return walk(
        application, "submit", "start_review", "record_step", "decide", decide={"params": params}
    )


def test_a_decision_document_says_what_the_law_requires_in_finnish(walk, application):
    application.requested_amount = Decimal("6000.00")
    application.save()
    BudgetLine.objects.filter(application=application).update(amount=Decimal("6000.00"))
    app = decided(walk, application)

    document = decision_document_generate(app.pk)

    text = text_of(bytes_of(document))
    decided_on = timezone.localtime(app.decided_at).date()
    received, ends = appeal_dates(decided_on, electronic=True, period_days=14)
    assert app.association.name in text
    assert "4\u202f500,00\u00a0€" in text
    assert "6\u202f000,00\u00a0€" in text
    assert "Hanke tukee lasten hyvinvointia." in text
    assert f"{ends.day}.{ends.month}.{ends.year}" in text  # the appeal period's last day
    assert f"{received.day}.{received.month}.{received.year}" in text
    report_due = app.call.report_due_date(ends)
    assert f"{report_due.day}.{report_due.month}.{report_due.year}" in text
    assert app.decision_number in text
    assert document.sha256 == hashlib.sha256(bytes_of(document)).hexdigest()
    assert document.template.version == 1
    assert document.language == "fi"


def test_a_swedish_association_gets_its_decision_in_swedish(walk, application):
    application.association.language = "sv"
    application.association.save()
    app = decided(walk, application, outcome="approved", granted_amount=Decimal("5000.00"))

    text = text_of(bytes_of(decision_document_generate(app.pk)))

    assert "BESLUT" in text.upper()
    assert "5\u202f000,00\u00a0€" in text


def test_hostile_long_values_and_a_200_line_budget_render_whole(walk, application):
    association = application.association
    association.name = 'Åbo & Söner <Ääni> "Kör" rf'
    association.save()
    BudgetLine.objects.filter(application=application).delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application,
            position=n,
            description=f"Rivi {n} & <kulu>",
            amount=Decimal("25.00"),
        )
        for n in range(1, 201)
    )
    reasons = " ".join(['Perustelu & <ehto> "lainaus" åäö.'] * 400)
    app = decided(
        walk, application, outcome="approved", granted_amount=Decimal("5000.00"), reasons=reasons
    )

    text = text_of(bytes_of(decision_document_generate(app.pk)))

    assert 'Åbo & Söner <Ääni> "Kör" rf' in text
    assert "Rivi 1 & <kulu>" in text
    assert "Rivi 200 & <kulu>" in text
    assert reasons in text.replace("\n", " ")
    # The end of the document is there: nothing was truncated after the long values.
    _received, ends = appeal_dates(
        timezone.localtime(app.decided_at).date(),
        electronic=association.accepts_electronic_notification,
        period_days=14,
    )
    assert f"{ends.day}.{ends.month}.{ends.year}" in text


def test_a_retried_task_makes_no_second_document(walk, application):
    app = decided(walk, application)

    first = decision_document_generate(app.pk)
    again = decision_document_generate(app.pk)

    assert again.pk == first.pk
    assert documents_of(app).count() == 1


def test_regenerating_makes_a_new_version_and_the_old_one_still_verifies(
    api, walk, application, representative
):
    app = decided(walk, application)
    first = decision_document_generate(app.pk)

    second = regenerate(first)

    assert (first.version, second.version) == (1, 2)
    assert second.data == first.data
    old = as_user(api, representative).get(f"/api/v1/documents/{first.pk}/download/")
    assert old.status_code == 200
    assert hashlib.sha256(b"".join(old.streaming_content)).hexdigest() == first.sha256
    listed = as_user(api, representative).get(f"/api/v1/documents/?application={app.pk}")
    assert sorted(d["version"] for d in listed.data["results"]) == [1, 2]


@pytest.mark.parametrize("given", ["\u00b9", "abc", "0", str(2**63)])
def test_documents_of_a_malformed_application_id_get_400(api, representative, given):
    # "¹" passed str.isdigit() and then failed int(): a 500 schemathesis found.
    response = as_user(api, representative).get("/api/v1/documents/", {"application": given})

    assert response.status_code == 400
    assert "application" in response.data


def _docx_with(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ decision.__class__ }}",
        "{{ lang['__class__'] }}",
        "{{ lang|attr('__class__') }}",
        "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_a_template_reaching_for_python_internals_is_refused(source, people):
    with pytest.raises(ValidationError):
        template_upload(
            kind="grant_decision",
            language="fi",
            docx=_docx_with(source),
            user=people["administrator"],
        )
    assert lint(_docx_with(source), "grant_decision")


def test_the_sandbox_refuses_internals_even_when_rendering_directly():
    with pytest.raises(TemplateRefused):
        CompiledTemplate(_docx_with("{{ ''.__class__.__mro__ }}"))
    template = CompiledTemplate(_docx_with("{{ lang|attr('__class__') }}"))
    with pytest.raises(SecurityError):
        template.render({"lang": "fi"})


def test_a_misspelt_variable_is_refused_at_upload(people):
    with translation.override("en"):
        problems = lint(_docx_with("{{ asociation.name }}"), "grant_decision")

    assert problems == ["Unknown variable: asociation"]
    with pytest.raises(ValidationError):
        template_upload(
            kind="grant_decision",
            language="fi",
            docx=_docx_with("{{ asociation.name }}"),
            user=people["administrator"],
        )


def test_an_uploaded_template_is_the_next_version_and_renders_new_documents(
    walk, application, people
):
    app = decided(walk, application)
    old = decision_document_generate(app.pk)
    new_template = template_upload(
        kind="grant_decision",
        language="fi",
        docx=_docx_with("Päätös {{ decision.number }}: {{ association.name }}"),
        user=people["administrator"],
    )

    regenerated = regenerate(old)

    assert new_template.version == old.template.version + 1
    assert regenerated.template == new_template
    assert text_of(bytes_of(regenerated)).strip() == (
        f"Päätös {app.decision_number}: {app.association.name}"
    )


def test_documents_are_downloaded_only_by_who_may_see_them(
    api, walk, application, representative, foreign_representative, people
):
    app = decided(walk, application)
    document = decision_document_generate(app.pk)
    url = f"/api/v1/documents/{document.pk}/download/"

    mine = as_user(api, representative).get(url)
    assert mine.status_code == 200
    assert mine["X-Content-SHA256"] == document.sha256
    assert hashlib.sha256(b"".join(mine.streaming_content)).hexdigest() == document.sha256
    for person in (people["preparer"], people["finance"]):
        assert as_user(api, person).get(url).status_code == 200
    for stranger in (foreign_representative, people["foreign_preparer"]):
        assert as_user(api, stranger).get(url).status_code == 404
        listed = as_user(api, stranger).get("/api/v1/documents/")
        assert listed.data["count"] == 0


def test_a_payable_decision_reaches_the_finance_mailbox_once(walk, application):
    app = decided(walk, application, outcome="approved", granted_amount=Decimal("5000.00"))
    app = walk(app, "notify")
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        app = walk(app, "become_legally_valid")
        payable = app.payables.get()
        order = finance_hand_over(payable.pk)
        finance_hand_over(payable.pk)

    assert order.kind == "payment_order"
    assert order.source == f"payable:{payable.pk}"
    assert (order.data["payment"]["amount"], order.data["basis"]["number"]) == (
        "5000.00",
        app.decision_number,
    )
    finance_mail = [m for m in mail.outbox if app.call.public_body.finance_email in m.to]
    assert len(finance_mail) == 1
    names = [name for name, _content, _type in finance_mail[0].attachments]
    assert names == ["grant_decision.v1.docx", "payment_order.v1.docx"]
    text = text_of(bytes_of(order))
    assert app.association.name in text
    assert "5\u202f000,00\u00a0€" in text


@pytest.mark.parametrize(
    ("language", "says"),
    [
        (
            "fi",
            [
                "Maksettava AV-",
                "5\u202f000,00\u00a0€ yhdistykselle",
                "Avaa maksettava palvelussa: ",
            ],
        ),
        ("sv", ["Att betala AV-", "5\u202f000,00\u00a0€ till föreningen", "Öppna utbetalningen"]),
        ("en", ["Payable AV-", "€5,000.00 to ", "Open it in the service: "]),
    ],
)
def test_the_finance_mailbox_is_written_to_in_the_finance_language_with_money_and_a_link(
    walk, application, settings, language, says
):
    settings.FINANCE_DOCUMENT_LANGUAGE = language
    settings.SITE_URL = "https://avustus.example.fi"
    app = decided(walk, application, outcome="approved", granted_amount=Decimal("5000.00"))
    app = walk(app, "notify")
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        app = walk(app, "become_legally_valid")
        payable = app.payables.get()
        finance_hand_over(payable.pk)

    [email] = [m for m in mail.outbox if app.call.public_body.finance_email in m.to]
    text = email.subject + "\n" + email.body
    for phrase in says:
        assert phrase in text
    assert app.decision_number in email.subject
    assert app.decision_number in email.body
    assert "5000.00" not in text
    link = f"https://avustus.example.fi/finance/payables/{payable.pk}/"
    assert link in email.body
    [(html, _type)] = email.alternatives
    assert f'<a href="{link}"' in html


def test_an_appeal_goes_to_the_administrative_court_of_the_body(walk, application, settings):
    """Local Government Act 135 §: the court of the body's region, the body's fact; the
    settings stand in for a body that has not named its court."""
    body = application.call.public_body
    body.court_name, body.court_address = "Vaasan hallinto-oikeus", "Korsholmanpuistikko 43"
    body.court_email = "vaasa.hao@oikeus.fi"
    body.save()
    app = decided(walk, application, outcome="approved", granted_amount=Decimal("5000.00"))
    app = walk(app, "notify", "file_rectification")
    params = {"outcome": "changed", "granted_amount": Decimal("4000.00"), "reasons": "Osin."}
    app = walk(app, "decide_rectification", decide_rectification={"params": params})

    appeal = decision_document_generate(app.pk).data["appeal"]

    assert (appeal["authority"], appeal["address"], appeal["email"]) == (
        "Vaasan hallinto-oikeus",
        "Korsholmanpuistikko 43",
        "vaasa.hao@oikeus.fi",
    )
    assert settings.ADMINISTRATIVE_COURT["name"] != "Vaasan hallinto-oikeus"


def test_a_rectification_decision_gets_its_own_document_naming_the_original(walk, application):
    app = decided(walk, application, outcome="approved", granted_amount=Decimal("5000.00"))
    number = app.decision_number
    app = walk(app, "notify", "file_rectification")
    app = walk(
        app,
        "decide_rectification",
        decide_rectification={
            "params": {
                "outcome": "changed",
                "granted_amount": Decimal("4000.00"),
                "reasons": "Osa kuluista ei ole avustuskelpoisia.",
            }
        },
    )

    document = decision_document_generate(app.pk)

    assert document.kind == "rectification_decision"
    assert app.decision_number == number  # the corrected decision keeps its number
    assert document.data["original"]["granted_amount"] == "5000.00"
    assert document.data["decision"]["granted_amount"] == "4000.00"
    assert document.data["appeal"]["period_days"] == 30
    text = text_of(bytes_of(document))
    assert "5\u202f000,00\u00a0€" in text
    assert "4\u202f000,00\u00a0€" in text


def test_the_document_follows_the_sending_day_and_channel_notify_records(walk, application):
    app = decided(walk, application, outcome="approved", granted_amount=Decimal("5000.00"))
    planned = decision_document_generate(app.pk)
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        sent_on = timezone.localdate()
        app = walk(app, "notify", notify={"params": {"channel": "letter", "sent_on": sent_on}})
        actual = decision_document_generate(app.pk)
        again = decision_document_generate(app.pk)

    assert (planned.version, actual.version) == (1, 2)
    assert again.pk == actual.pk
    received, ends = appeal_dates(sent_on, electronic=False, period_days=14)
    assert ends == app.appeal_ends_on
    text = text_of(bytes_of(actual))
    assert f"{ends.day}.{ends.month}.{ends.year}" in text
    assert f"{received.day}.{received.month}.{received.year}" in text


def test_a_decision_sent_as_planned_keeps_its_one_document(walk, application):
    app = decided(walk, application, outcome="approved", granted_amount=Decimal("5000.00"))
    planned = decision_document_generate(app.pk)

    app = walk(app, "notify", notify={"params": {"channel": "electronic"}})

    assert decision_document_generate(app.pk).pk == planned.pk
