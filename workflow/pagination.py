"""Pagination for the API (kept apart from workflow.api: DRF's settings import it)."""

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """?limit=&offset= with a ceiling, so no request asks the database for a billion rows."""

    default_limit = 50
    max_limit = 500
