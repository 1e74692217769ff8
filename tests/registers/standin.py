"""A stand-in for the two outside services the association's checks ask, run by the tests in a
process of its own (`python tests/registers/standin.py`, which prints its port): the YTJ open
data API v3 (`/companies?businessId=…`, ../shared/data/ytj) and Suomi.fi e-Authorizations'
REST API (`/service/ypa/api/organizationRoles/…`, `/service/ypa/api/authorization/…`, with the
checksum header checked). It answers with the recorded examples in tests/registers/examples/,
their `{businessId}` and `{name}` filled in.

The tests set what it answers through `PUT /_control/<service>` and read what it was asked
through `GET /_log`: an example per business ID or per (delegate, organisation, topic), the
service down (503), or the next N requests refused with 429 and a Retry-After.
"""

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

EXAMPLES = Path(__file__).resolve().parent / "examples"
ROLES_PREFIX = "/service/ypa/api/organizationRoles/"
AUTHORIZATION_PREFIX = "/service/ypa/api/authorization/"


def example(example_name: str, **fill: str) -> str:
    text = (EXAMPLES / f"{example_name}.json").read_text()
    for key, value in fill.items():
        text = text.replace("{" + key + "}", value)
    return text


class State:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        self.ytj = {"answers": {}, "down": False, "rate_limit": {"count": 0, "retry_after": 1}}
        self.suomifi = {
            "client_id": "avustus",
            "secret": "standin-secret",
            "roles": {},
            "authorizations": {},
            "down": False,
        }
        self.log: list[dict] = []


STATE = State()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # quiet: the tests read /_log
        pass

    def _send(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
        with STATE.lock:
            if not self.path.startswith("/_"):
                STATE.log.append({"path": self.path, "status": status, "at": time.monotonic()})

    def do_PUT(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with STATE.lock:
            if self.path == "/_control/reset":
                STATE.reset()
            elif self.path == "/_control/ytj":
                STATE.ytj.update(body)
            elif self.path == "/_control/suomifi":
                STATE.suomifi.update(body)
        self._send(200, "{}")

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/_log":
            with STATE.lock:
                self._send(200, json.dumps(STATE.log))
            return
        if url.path == "/companies":
            self._ytj(parse_qs(url.query).get("businessId", [""])[0])
        elif url.path.startswith("/service/ypa/api/"):
            self._suomifi(url)
        else:
            self._send(404, '{"message": "not found"}')

    def _ytj(self, business_id: str) -> None:
        with STATE.lock:
            state = STATE.ytj
            if state["down"]:
                return self._send(503, '{"timestamp": "2026-12-07 03:00:00", "code": "503"}')
            limit = state["rate_limit"]
            if limit["count"] > 0:
                limit["count"] -= 1
                return self._send(
                    429, '"Too many requests"', {"Retry-After": str(limit["retry_after"])}
                )
            name = state["answers"].get(business_id, "ytj_not_found")
        self._send(200, example(name, businessId=business_id))

    def _checksum_valid(self, state: dict) -> bool:
        try:
            client_id, stamp, checksum = self.headers["X-AsiointivaltuudetAuthorization"].split(" ")
        except (AttributeError, ValueError):
            return False
        expected = hmac.new(
            state["secret"].encode(), f"{self.path} {stamp}".encode(), hashlib.sha256
        ).digest()
        return client_id == state["client_id"] and hmac.compare_digest(
            base64.b64encode(expected).decode(), checksum
        )

    def _suomifi(self, url) -> None:
        with STATE.lock:
            state = STATE.suomifi
            if state["down"]:
                return self._send(503, '{"error": "unavailable"}')
            if not self._checksum_valid(state):
                return self._send(401, '{"error": "checksum"}')
            if url.path.startswith(ROLES_PREFIX):
                delegate = unquote(url.path[len(ROLES_PREFIX) :])
                items = [
                    json.loads(example(r["example"], businessId=r["businessId"], name=r["name"]))[0]
                    for r in state["roles"].get(delegate, [])
                ]
                return self._send(200, json.dumps(items))
            parts = url.path[len(AUTHORIZATION_PREFIX) :].split("/")
            delegate, principal = (unquote(p) for p in parts)
            topic = parse_qs(url.query).get("issues", [""])[0]
            key = f"{delegate}|{principal}|{topic}"
            name = state["authorizations"].get(key, "suomifi_disallowed")
        self._send(200, example(name, businessId=principal))


class StandIn:
    """The stand-in's process, as the tests drive it."""

    def __init__(self) -> None:
        self.popen = subprocess.Popen([sys.executable, __file__], stdout=subprocess.PIPE, text=True)
        port = int(self.popen.stdout.readline().split()[1])
        self.url = f"http://127.0.0.1:{port}"

    def control(self, service: str, **values) -> None:
        import httpx

        httpx.put(f"{self.url}/_control/{service}", json=values, timeout=5).raise_for_status()

    def log(self) -> list[dict]:
        import httpx

        return httpx.get(f"{self.url}/_log", timeout=5).json()

    def stop(self) -> None:
        self.popen.terminate()
        self.popen.wait(timeout=10)


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()
