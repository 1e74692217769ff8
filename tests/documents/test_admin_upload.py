"""An administrator uploads a new template version in the admin; a broken one is refused."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import DocumentTemplate
from documents.templates import current_template

pytestmark = pytest.mark.django_db
URL = "/admin/documents/documenttemplate/add/"


def _upload(text: str) -> SimpleUploadedFile:
    document = docx.Document()
    document.add_paragraph(text)
    data = io.BytesIO()
    document.save(data)
    return SimpleUploadedFile("t.docx", data.getvalue())


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.fi", "pw"))
    return client


def test_a_clean_upload_becomes_the_next_version(admin_client):
    shipped = current_template("payment_order", "fi")

    response = admin_client.post(
        URL,
        {
            "kind": "payment_order",
            "language": "fi",
            "file": _upload("Maksu {{ payment.amount|money }} saajalle {{ payee.name }}"),
        },
    )

    assert response.status_code == 302
    newest = current_template("payment_order", "fi")
    assert newest.version == shipped.version + 1
    assert newest.uploaded_by.username == "root"


@pytest.mark.parametrize("text", ["{{ ''.__class__.__mro__ }}", "{{ paye.name }}", "{% if %}"])
def test_a_broken_or_hostile_upload_is_refused_with_the_reason(admin_client, text):
    response = admin_client.post(
        URL,
        {
            "kind": "payment_order",
            "language": "fi",
            "file": _upload(text),
        },
    )

    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors["file"]
    assert not DocumentTemplate.objects.filter(uploaded_by__isnull=False).exists()


def test_the_admin_regenerates_a_document_as_a_new_version(admin_client, walk, application):
    from decimal import Decimal

    from documents.generation import documents_of
    from grants.documents import decision_document_generate

    app = walk(
        application,
        "submit",
        "start_review",
        "record_step",
        "decide",
        decide={
            "params": {
                "outcome": "approved",
                "granted_amount": Decimal("5000.00"),
                "reasons": "Hyvä.",
            }
        },
    )
    first = decision_document_generate(app.pk)

    response = admin_client.post(
        "/admin/documents/generateddocument/",
        {"action": "regenerate_documents", "_selected_action": [first.pk]},
    )

    assert response.status_code == 302
    assert sorted(d.version for d in documents_of(app)) == [1, 2]
