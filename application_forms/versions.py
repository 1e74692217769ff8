"""Saving a form's content: in place while no application has used its latest version, else as
the next version (the way `workflow`'s approval chains bump `version`), so an application keeps
the questions it was started on. The default form ships as data and a new call copies it."""

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from application_forms.definition import definition_check
from application_forms.models import FormDefinition, FormVersion
from organisations.models import PublicBody

DEFAULT_FORM = Path(__file__).with_name("default_form.json")


@transaction.atomic
def version_save(definition: FormDefinition, content: Any, *, user: Any = None) -> FormVersion:
    """Check the content (ValidationError with every fault) and save it as the definition's
    current content: the latest version changed, or a new version when one is in use."""
    definition_check(content)
    # Two administrators saving at once number their versions one after the other.
    FormDefinition.objects.select_for_update().get(pk=definition.pk)
    # Locked too: it waits for a record being started on it (`current_held`) to commit, so
    # `is_used` below sees that record and the edit makes a new version instead of changing
    # the questions under it.
    latest = definition.versions.select_for_update().order_by("-number").first()
    if latest is not None and latest.content == content:
        return latest
    if latest is not None and not latest.is_used():
        latest.content = content
        latest.save(update_fields=["content"])
        return latest
    return FormVersion.objects.create(
        definition=definition,
        number=1 if latest is None else latest.number + 1,
        content=content,
        created_by=user if getattr(user, "pk", None) else None,
    )


def current_held(definition: FormDefinition) -> FormVersion | None:
    """The definition's current version for a record started on it in this transaction, held
    until the transaction ends (FOR KEY SHARE on PostgreSQL, whose foreign keys are checked
    only at commit): an edit saved meanwhile waits, then sees the record and makes a new
    version. Read after any edit that held it first, so the content is the committed one."""
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    table = connection.ops.quote_name(FormVersion._meta.db_table)
    query = f"SELECT * FROM {table} WHERE definition_id = %s ORDER BY number DESC LIMIT 1{lock}"
    return next(iter(FormVersion.objects.raw(query, [definition.pk])), None)


@cache
def _default_text() -> str:
    return DEFAULT_FORM.read_text(encoding="utf-8")


def default_content() -> dict[str, Any]:
    """The default form's content: the usual questions of a municipal activity grant."""
    return json.loads(_default_text())


@transaction.atomic
def default_copy(public_body: PublicBody, name: str) -> FormDefinition:
    """A new form of the body with the default form's questions, for a call that has none of
    its own: the call's own copy, so editing it changes no other call's form."""
    definition = FormDefinition.objects.create(public_body=public_body, name=name[:200])
    version_save(definition, default_content())
    return definition
