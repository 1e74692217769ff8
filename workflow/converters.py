"""The path converter every room's pages share: `<record:pk>`, a record's id."""

from django.urls import register_converter


class RecordId:
    """An id that fits a bigint: a longer number is a 404, never a database overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(RecordId, "record")
