import io

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from documents.models import DocumentTemplate

pytestmark = pytest.mark.django_db


def test_every_shipped_template_passes_the_lint():
    out = io.StringIO()

    call_command("lint_templates", stdout=out)

    # Every kind (documents.models.Kind: 6) in fi, sv and en.
    assert out.getvalue().count("ok ") == 18


def test_a_stored_template_with_a_misspelt_variable_fails_the_lint():
    # A version stored before a variable was renamed: the lint names it and fails.
    document = docx.Document()
    document.add_paragraph("{{ asociation.name }}")
    data = io.BytesIO()
    document.save(data)
    row = DocumentTemplate(kind="payment_order", language="sv", version=7, sha256="x" * 64)
    row.file.save("broken.docx", ContentFile(data.getvalue()), save=True)
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 template"):
        call_command("lint_templates", stdout=io.StringIO(), stderr=err)

    assert "payment_order.sv v7" in err.getvalue()
    # A command speaks the site's language (LANGUAGE_CODE, Finnish).
    assert "Tuntematon muuttuja: asociation" in err.getvalue()
