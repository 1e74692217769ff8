"""Row locks where the database has them. SQLite has none (it serialises writers instead, see
the settings), so there the queryset is returned as it is."""

from typing import TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


def locked(queryset: models.QuerySet[M], *, skip_locked: bool = False) -> models.QuerySet[M]:
    """`SELECT … FOR UPDATE OF <the model's table>` (optionally SKIP LOCKED)."""
    features = connection.features
    if not features.has_select_for_update:
        return queryset
    options: dict = {}
    if features.has_select_for_update_of:
        options["of"] = ("self",)
    if skip_locked and features.has_select_for_update_skip_locked:
        options["skip_locked"] = True
    return queryset.select_for_update(**options)
