"""What an attachment may be: a size limit and a list of document and image types.

The extension alone is not trusted: the file's first bytes must match it, so a renamed
executable is refused as firmly as an oversized scan.
"""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from workflow.models import AttachmentBase

# Office Open XML and OpenDocument files are ZIP archives.
_SIGNATURES = {
    "pdf": [b"%PDF-"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
    "odt": [b"PK\x03\x04"],
    "ods": [b"PK\x03\x04"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
}
_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


def validate_attachment(upload: UploadedFile) -> str:
    """Return the content type of an acceptable upload; raise ValidationError otherwise."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(limit)s.")
                % {"limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    allowed = [e for e in settings.ATTACHMENT_EXTENSIONS if e in _SIGNATURES]
    if extension not in allowed:
        raise ValidationError(
            {"file": _("Allowed file types: %(types)s.") % {"types": ", ".join(allowed)}}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in _SIGNATURES[extension]):
        raise ValidationError(
            {"file": _("The file's content is not a .%(ext)s file.") % {"ext": extension}}
        )
    return _CONTENT_TYPES[extension]


def attachment_store(
    model: "type[AttachmentBase]", owner: Model, *, user: Any, upload: UploadedFile
) -> "AttachmentBase":
    """Check and store an upload as an attachment of `owner`, with an audit record. Called by
    each record's service after it has locked the record and checked who may attach."""
    from workflow.audit import action_record

    content_type = validate_attachment(upload)
    attachment = model.objects.create(
        **{model.owner_field: owner},
        file=upload,
        name=upload.name[:255],
        size=upload.size,
        content_type=content_type,
        uploaded_by=user,
    )
    action_record(owner, action="attach", actor=user, data={"name": attachment.name})
    return attachment
