"""Request parsers for the API (kept apart from workflow.api: DRF's settings import them).

DRF writes its parse errors in English whatever the language of the request ("JSON parse
error - …" is not a translatable string), although the person's language is active by then:
the middleware activates it for a session, the token authentication before the view reads the
body. These parsers answer the same 400s in the person's language.
"""

import json

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's parser, with its errors in the person's language, plus a 400 for JSON nested
    deeper than Python's decoder recurses (which raises RecursionError, not the ValueError DRF
    turns into a parse error)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from None
        except exceptions.ParseError as error:
            cause = error.__context__
            if isinstance(cause, json.JSONDecodeError):
                message = _("The request is not valid JSON (line %(line)s, column %(column)s).") % {
                    "line": cause.lineno,
                    "column": cause.colno,
                }
            else:  # not UTF-8, or a number JSON does not allow (NaN, Infinity)
                message = _("The request is not valid JSON.")
            raise exceptions.ParseError(message) from None


class MultiPartParser(parsers.MultiPartParser):
    """DRF's parser, with its error in the person's language."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except exceptions.ParseError:
            raise exceptions.ParseError(
                _("The request is not valid multipart form data.")
            ) from None
