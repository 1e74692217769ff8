"""A client of the Finnish Patent and Registration Office's open data (YTJ open data API v3,
`/companies?businessId=…`, CC BY 4.0): what the register says of one business ID.

It follows the published OpenAPI description (shared/data/ytj): a `CompanyResult` whose
`companies` carry `names`, `companyForms`, `companySituations` (SANE restructuring, SELTILA
liquidation, KONK bankruptcy), `registeredEntries`, `addresses`, `status` and `endDate`. The
service allows about 300 requests a minute shared by all its users: one client paces its own
requests (`YTJ_MIN_INTERVAL_SECONDS` apart), retries a failed or refused one with backoff, and
waits as long as a 429's Retry-After says before the next.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
from django.conf import settings

# Company situations (CompanySituation.type) that stop a payment; SANE (restructuring) does
# not: a company under restructuring still trades, and its creditors are paid by the plan.
LIQUIDATION = "SELTILA"
BANKRUPTCY = "KONK"
RESTRUCTURING = "SANE"
# Address.type: 1 street (visiting) address, 2 postal address. A letter goes to the postal one.
POSTAL_ADDRESS = 2
STREET_ADDRESS = 1
# DescriptionEntry.languageCode: 1 Finnish, 2 Swedish, 3 English.
_LANGUAGE_CODES = {"fi": "1", "sv": "2", "en": "3"}


class RegisterUnavailable(Exception):
    """The register did not answer, or not in its documented shape, after the retries."""


@dataclass(frozen=True)
class Situation:
    code: str
    since: date | None


@dataclass(frozen=True)
class RegisterFacts:
    """What the register says of one business ID; `found` False: it has no such entry."""

    business_id: str
    found: bool
    name: str = ""
    form: str = ""
    street_address: str = ""
    postal_code: str = ""
    post_office: str = ""
    status: str = ""
    ended_on: date | None = None
    situations: tuple[Situation, ...] = ()
    # Each registered entry of the company: (register code, ended on or None).
    entries: tuple[tuple[str, date | None], ...] = field(default=())


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _current(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries in force: version 1 (the current one, where versions are kept), not ended."""
    return [i for i in items if i.get("version", 1) == 1 and not i.get("endDate")]


def _description(entry: dict[str, Any], language: str) -> str:
    texts = {d["languageCode"]: d.get("description") or "" for d in entry.get("descriptions", [])}
    return texts.get(_LANGUAGE_CODES.get(language, "1")) or texts.get("1") or entry["type"]


def company_facts(business_id: str, body: dict[str, Any], language: str = "fi") -> RegisterFacts:
    """Read a `CompanyResult` for `business_id`. KeyError/TypeError/ValueError when the answer
    lacks what the OpenAPI description requires (the caller treats it as no answer)."""
    companies = [c for c in body["companies"] if c["businessId"]["value"] == business_id]
    if int(body["totalResults"]) == 0 or not companies:
        return RegisterFacts(business_id=business_id, found=False)
    company = companies[0]
    names = _current(company.get("names", []))
    # Name type 1 is the main name (toiminimi); parallel and auxiliary names come after it.
    names.sort(key=lambda n: (str(n["type"]) != "1", n["type"]))
    forms = _current(company.get("companyForms", []))
    addresses = {a["type"]: a for a in company.get("addresses", [])}
    address = addresses.get(POSTAL_ADDRESS) or addresses.get(STREET_ADDRESS) or {}
    offices = {o["languageCode"]: o["city"] for o in address.get("postOffices", [])}
    street = " ".join(
        part
        for part in (
            address.get("co") and f"c/o {address['co']}",
            address.get("street"),
            address.get("buildingNumber"),
            address.get("entrance"),
            address.get("apartmentNumber"),
        )
        if part
    )
    if address.get("postOfficeBox"):
        street = f"PL {address['postOfficeBox']}"
    return RegisterFacts(
        business_id=business_id,
        found=True,
        name=names[0]["name"] if names else "",
        form=_description(forms[0], language) if forms else "",
        street_address=street or address.get("freeAddressLine") or "",
        postal_code=address.get("postCode") or "",
        post_office=offices.get(_LANGUAGE_CODES.get(language, "1")) or offices.get("1", ""),
        status=str(company.get("status") or ""),
        ended_on=_date(company.get("endDate")),
        situations=tuple(
            Situation(s["type"], _date(s.get("registrationDate")))
            for s in company.get("companySituations", [])
            if not s.get("endDate")
        ),
        entries=tuple(
            (str(e["register"]), _date(e.get("endDate")))
            for e in company.get("registeredEntries", [])
        ),
    )


class YtjClient:
    """One process's polite client: requests at least `min_interval` seconds apart, each
    retried `retries` times with exponential backoff, a 429 waiting its Retry-After."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        min_interval: float | None = None,
        retries: int | None = None,
        timeout: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = (base_url or settings.YTJ_BASE_URL).rstrip("/")
        self.min_interval = (
            settings.YTJ_MIN_INTERVAL_SECONDS if min_interval is None else min_interval
        )
        self.retries = settings.YTJ_RETRIES if retries is None else retries
        self.timeout = settings.YTJ_TIMEOUT_SECONDS if timeout is None else timeout
        self._sleep = sleep
        self._clock = clock
        self._next_at = 0.0
        self._http = httpx.Client(timeout=self.timeout, headers={"Accept": "application/json"})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "YtjClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait_turn(self) -> None:
        delay = self._next_at - self._clock()
        if delay > 0:
            self._sleep(delay)
        self._next_at = self._clock() + self.min_interval

    def _get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        backoff = max(self.min_interval, 1.0)
        for attempt in range(self.retries + 1):
            self._wait_turn()
            last = attempt == self.retries
            try:
                response = self._http.get(f"{self.base_url}{path}", params=params)
            except httpx.HTTPError as error:
                if last:
                    raise RegisterUnavailable(str(error)) from error
                self._sleep(backoff * 2**attempt)
                continue
            if response.status_code == 429:
                # The shared limit is the service's: wait as long as it says before any next
                # request of this client, not only this one's retry.
                wait = _retry_after(response, backoff * 2**attempt)
                self._next_at = max(self._next_at, self._clock() + wait)
                if last:
                    raise RegisterUnavailable("429 Too Many Requests")
                continue
            if response.status_code >= 500:
                if last:
                    raise RegisterUnavailable(f"HTTP {response.status_code}")
                self._sleep(backoff * 2**attempt)
                continue
            if response.status_code != 200:
                # A 400 is this client's fault: retrying it cannot help.
                raise RegisterUnavailable(f"HTTP {response.status_code}")
            try:
                return response.json()
            except ValueError as error:
                raise RegisterUnavailable("not JSON") from error
        raise RegisterUnavailable("no attempt")  # pragma: no cover - the loop always returns

    def company(self, business_id: str, language: str = "fi") -> RegisterFacts:
        """What the register says of `business_id`; RegisterUnavailable when it cannot say."""
        body = self._get("/companies", {"businessId": business_id})
        try:
            return company_facts(business_id, body, language)
        except (KeyError, TypeError, ValueError) as error:
            raise RegisterUnavailable(f"unexpected answer: {error!r}") from error


def _retry_after(response: httpx.Response, default: float) -> float:
    """Retry-After in seconds (RFC 9110 10.2.3 also allows a date; YTJ sends seconds)."""
    try:
        return max(float(response.headers.get("Retry-After", "")), 0.0)
    except ValueError:
        return default
