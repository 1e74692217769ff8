"""Request parsers for the API (kept apart from workflow.api: DRF's settings import them)."""

from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's parser, plus a 400 for JSON nested deeper than Python's decoder recurses (which
    raises RecursionError, not the ValueError DRF turns into a parse error)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON nested too deeply.") from None
