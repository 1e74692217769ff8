"""Generating documents: immutable, versioned, traceable to their template and data."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from documents.models import GeneratedDocument, next_version
from documents.templates import compiled_template, current_template
from workflow.locking import locked


def _jsonable(context: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(context, cls=DjangoJSONEncoder))


def document_generate(
    subject: models.Model,
    *,
    kind: str,
    language: str,
    context: dict[str, Any],
    source: str = "",
) -> GeneratedDocument:
    """Render and store the next version of a document of `subject`; earlier versions stay.

    With a `source`, a document already made for it is returned instead of a new version, so
    a retried task does not make a second one; regenerating on purpose passes no source.
    """
    content_type = ContentType.objects.get_for_model(subject)
    made_for_source = GeneratedDocument.objects.filter(
        content_type=content_type, object_id=subject.pk, kind=kind, source=source
    )
    if source and (made := made_for_source.first()) is not None:
        return made  # a retried task: nothing to render
    data = _jsonable({**context, "lang": language})
    template = current_template(kind, language)
    docx = compiled_template(template).render(data)
    with transaction.atomic():
        # Lock the subject so two generations of one document get distinct version numbers.
        locked(type(subject)._default_manager.filter(pk=subject.pk)).get()
        # Checked again under the lock: a concurrent run may have made it meanwhile.
        if source and (made := made_for_source.first()) is not None:
            return made
        version = next_version(
            GeneratedDocument.objects.filter(
                content_type=content_type, object_id=subject.pk, kind=kind
            )
        )
        document = GeneratedDocument(
            content_type=content_type,
            object_id=subject.pk,
            kind=kind,
            language=language,
            version=version,
            template=template,
            data=data,
            sha256=hashlib.sha256(docx).hexdigest(),
            source=source,
        )
        document.file.save(f"{kind}.docx", ContentFile(docx), save=False)
        document.save()
    return document


def documents_of(subject: models.Model, kind: str | None = None):
    queryset = GeneratedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    )
    return queryset.filter(kind=kind) if kind else queryset


def regenerate(document: GeneratedDocument) -> GeneratedDocument:
    """A new version rendered from the same data with the current template; the old stays."""
    return document_generate(
        document.subject, kind=document.kind, language=document.language, context=document.data
    )


# How each kind of subject makes its decision document when it is missing (its task lost).
_DECISION_MAKERS: dict[type[models.Model], Callable[[Any], Any]] = {}


def decision_maker_register(model: type[models.Model], make: Callable[[Any], Any]) -> None:
    """`make(record)` makes the decision document of a `model` record if it has none."""
    _DECISION_MAKERS[model] = make


def decision_document_ensure(subject: models.Model) -> None:
    """Makes the subject's decision document now if its task was lost (subjects whose
    documents are made otherwise register nothing)."""
    make = _DECISION_MAKERS.get(type(subject))
    if make is not None:
        make(subject)
