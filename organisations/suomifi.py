"""A client of Suomi.fi e-Authorizations (Suomi.fi-valtuudet), its REST API for acting on
behalf of an organisation (YPA): the organisational roles a person holds in the registers, and
whether a person has a mandate from an organisation for a topic (issue).

Every request carries the checksum header the service requires: `X-AsiointivaltuudetAuthorization:
<client id> <timestamp> <checksum>`, the checksum being the Base64 HMAC-SHA256, under the
client secret of the municipality's agreement, of the request's path and query, a space and the
same timestamp. The person is named by the personal identity code their strong identification
gave (the delegate); it goes to the service in the path and is never stored by this client.

Answers are read strictly: a field missing or one this client does not know means the answer
is not the documented one, and nothing is decided on it (`MandateAnswerInvalid`).
"""

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from django.conf import settings
from django.utils import timezone

ROLES_PATH = "/service/ypa/api/organizationRoles/{delegate}"
AUTHORIZATION_PATH = "/service/ypa/api/authorization/{delegate}/{principal}"
HEADER = "X-AsiointivaltuudetAuthorization"

ALLOWED = "ALLOWED"
DISALLOWED = "DISALLOWED"

# The documented fields of each answer, all required, no others.
_ORGANISATION_FIELDS = {"name", "identifier", "complete", "roles"}
_AUTHORIZATION_FIELDS = {"result", "principalId", "reasons"}


class MandateServiceUnavailable(Exception):
    """The service did not answer, or answered with an error status."""


class MandateAnswerInvalid(Exception):
    """The service answered in a shape other than the documented one."""


@dataclass(frozen=True)
class OrganisationRoles:
    """One organisation the person holds roles in, as the registers say."""

    name: str
    business_id: str
    complete: bool
    roles: tuple[str, ...]


def checksum_header(client_id: str, secret: str, path: str, timestamp: datetime) -> str:
    """The value of the X-AsiointivaltuudetAuthorization header for `path` (with its query)."""
    stamp = timestamp.isoformat(timespec="milliseconds")
    digest = hmac.new(secret.encode(), f"{path} {stamp}".encode(), hashlib.sha256).digest()
    return f"{client_id} {stamp} {base64.b64encode(digest).decode()}"


def _fields_check(item: Any, fields: set[str], what: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise MandateAnswerInvalid(f"{what}: not an object")
    missing, unknown = fields - item.keys(), item.keys() - fields
    if missing or unknown:
        raise MandateAnswerInvalid(f"{what}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    return item


def roles_read(body: Any) -> list[OrganisationRoles]:
    """An organizationRoles answer: a list of organisations with the person's roles."""
    if not isinstance(body, list):
        raise MandateAnswerInvalid("organizationRoles: not a list")
    result = []
    for item in body:
        item = _fields_check(item, _ORGANISATION_FIELDS, "organizationRoles")
        roles = item["roles"]
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise MandateAnswerInvalid("organizationRoles: roles is not a list of codes")
        if not isinstance(item["complete"], bool) or not isinstance(item["identifier"], str):
            raise MandateAnswerInvalid("organizationRoles: complete or identifier of a wrong type")
        result.append(
            OrganisationRoles(str(item["name"]), item["identifier"], item["complete"], tuple(roles))
        )
    return result


def authorization_read(body: Any, principal: str) -> bool:
    """An authorization answer: ALLOWED or DISALLOWED for the principal asked about."""
    body = _fields_check(body, _AUTHORIZATION_FIELDS, "authorization")
    if body["result"] not in (ALLOWED, DISALLOWED):
        raise MandateAnswerInvalid(f"authorization: unknown result {body['result']!r}")
    if body["principalId"] != principal:
        raise MandateAnswerInvalid("authorization: the answer is about another organisation")
    return body["result"] == ALLOWED


class SuomiFiClient:
    """e-Authorizations' REST API with the municipality's client id and secret."""

    def __init__(
        self,
        base_url: str | None = None,
        client_id: str | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.base_url = (base_url or settings.SUOMIFI_MANDATES_URL).rstrip("/")
        self.client_id = client_id or settings.SUOMIFI_MANDATES_CLIENT_ID
        self.secret = secret or settings.SUOMIFI_MANDATES_CLIENT_SECRET
        self.timeout = settings.SUOMIFI_MANDATES_TIMEOUT_SECONDS if timeout is None else timeout

    def _get(self, path: str, query: dict[str, str]) -> Any:
        # The request id lets the service's log and ours be matched; it names no person.
        full = f"{path}?{urlencode({'requestId': uuid.uuid4().hex, **query})}"
        header = checksum_header(self.client_id, self.secret, full, timezone.localtime())
        try:
            response = httpx.get(
                f"{self.base_url}{full}",
                headers={HEADER: header, "Accept": "application/json"},
                timeout=self.timeout,
            )
        except httpx.HTTPError as error:
            raise MandateServiceUnavailable(str(error)) from error
        if response.status_code != 200:
            raise MandateServiceUnavailable(f"HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as error:
            raise MandateAnswerInvalid("not JSON") from error

    def organisation_roles(self, delegate: str) -> list[OrganisationRoles]:
        return roles_read(self._get(ROLES_PATH.format(delegate=quote(delegate, safe="")), {}))

    def authorized(self, delegate: str, principal: str, topic: str) -> bool:
        path = AUTHORIZATION_PATH.format(
            delegate=quote(delegate, safe=""), principal=quote(principal, safe="")
        )
        return authorization_read(self._get(path, {"issues": topic}), principal)
