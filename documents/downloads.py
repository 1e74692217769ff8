"""A stored file as a download, the same way on every portal and in the API."""

import logging
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

log = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_response(field: FieldFile, filename: str, content_type: str | None = None) -> FileResponse:
    """The file as an attachment named `filename` (its type guessed from the name unless
    given). A file missing from storage is a 404 and an error in the log, not a 500."""
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        log.error("The file %s is missing from storage", field.name)
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


def docx_response(document: Any, filename: str = "") -> FileResponse:
    """A generated document's .docx of record, with the checksum the record keeps
    (X-Content-SHA256) so a recipient can verify the bytes."""
    name = filename or f"{document.kind}-{document.object_id}-v{document.version}.docx"
    response = file_response(document.file, name, DOCX)
    response["X-Content-SHA256"] = document.sha256
    return response
