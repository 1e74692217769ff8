"""Which template version renders a document, and uploading a new one.

The newest version of a kind and language is used. The files shipped in templates_docx/ are
registered as version 1 the first time they are needed, so a fresh installation works without
an upload and every document still names the exact template bytes it came from.
"""

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from documents.models import DocumentTemplate, Kind, next_version
from documents.rendering import CompiledTemplate, TemplateRefused, compiled
from documents.samples import SAMPLES, sample

SHIPPED = Path(settings.BASE_DIR) / "templates_docx"


def lint(docx: bytes, kind: str) -> list[str]:
    """What is wrong with a template, checked against the kind's sample contexts (the fully
    described matter and the sparse one); empty when it renders cleanly with both in every
    language."""
    try:
        template = CompiledTemplate(docx)
    except TemplateRefused as exc:
        return [str(exc)]
    except Exception as exc:  # not a .docx at all
        return [_("Not a valid .docx file: %(error)s") % {"error": exc}]
    problems = [
        _("Unknown variable: %(name)s") % {"name": name}
        for name in sorted(template.variables - set(SAMPLES[kind]))
    ]
    if not problems:
        for language in ("fi", "sv", "en"):
            for sparse in (False, True):
                try:
                    template.render(sample(kind, language, sparse=sparse))
                except Exception as exc:
                    variant = " (sparse)" if sparse else ""
                    problems.append(f"{language}{variant}: {type(exc).__name__}: {exc}")
    return problems


def _store(kind: str, language: str, docx: bytes, user: Any) -> DocumentTemplate:
    problems = lint(docx, kind)
    if problems:
        raise ValidationError({"file": problems})
    version = next_version(DocumentTemplate.objects.filter(kind=kind, language=language))
    row = DocumentTemplate(
        kind=kind,
        language=language,
        version=version,
        sha256=hashlib.sha256(docx).hexdigest(),
        uploaded_by=user,
    )
    row.file.save(f"{kind}.{language}.docx", ContentFile(docx), save=False)
    row.save()
    return row


def template_upload(*, kind: str, language: str, docx: bytes, user: Any) -> DocumentTemplate:
    """A new version of a template; refused (ValidationError) unless it lints clean."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown document kind.")})
    with transaction.atomic():
        return _store(kind, language, docx, user)


def current_template(kind: str, language: str) -> DocumentTemplate:
    """The newest version; the shipped file becomes version 1 when there is none yet."""
    row = DocumentTemplate.objects.filter(kind=kind, language=language).first()
    if row is not None:
        return row
    shipped = SHIPPED / f"{kind}.{language}.docx"
    try:
        with transaction.atomic():
            return _store(kind, language, shipped.read_bytes(), None)
    except IntegrityError:  # registered by a concurrent worker a moment ago
        return DocumentTemplate.objects.filter(kind=kind, language=language).first()


def compiled_template(row: DocumentTemplate) -> CompiledTemplate:
    def load() -> bytes:
        with row.file.open("rb") as handle:
            return handle.read()

    return compiled(row.sha256, load)
