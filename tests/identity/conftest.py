"""A real OpenID Connect provider for the identity tests: the certified `oidc-provider` from
npm, run with Node (tests/identity/provider/provider.mjs), installed with `npm ci` the first
time the tests need it. Without Node the tests skip on a laptop and fail in CI.

`oidc_provider` is one provider for the module's tests, its clients registered for the test
client's host (`http://testserver`); `start_provider(url)` starts another for a live server.
"""

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import free_port, wait_until
from tests.portals.conftest import (  # noqa: F401  (the browser tests' tab and its checks)
    _catalogues,
    browser,
    page,
    portal_people,
    pytest_collection_modifyitems,
    pytest_runtest_makereport,
)
from tests.registers.conftest import standin, standin_process  # noqa: F401 (e-Authorizations)
from tests.system.processes import Process

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
CALLBACK = "/accounts/oidc/{name}/callback/"
SECRET = "test-client-secret"
# The key of the identity code's keyed hash in these tests (settings.IDENTITY_HASH_KEY).
HASH_KEY = "test-identity-hash-key"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@dataclass
class Provider:
    url: str
    process: Process

    def settings(self, client_id: str = "avustus", name: str = "suomifi") -> dict:
        """OIDC_PROVIDERS naming this provider as `name`, as its client `client_id`."""
        return {
            name: {
                "discovery_url": f"{self.url}/.well-known/openid-configuration",
                "client_id": client_id,
                "client_secret": SECRET,
                "scope": "openid profile email",
                "hetu_claim": "hetu",
            }
        }


@pytest.fixture(scope="session")
def provider_installed() -> Path:
    """`npm ci` into tests/identity/provider once (the lock file pins oidc-provider)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        if _in_ci():
            pytest.fail("CI must run the identity tests: install Node.js and npm.")
        pytest.skip("needs Node.js and npm")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=PROVIDER_DIR,
            check=True,
            capture_output=True,
            timeout=300,
        )
    return Path(node)


@pytest.fixture(scope="session")
def start_provider(provider_installed, tmp_path_factory) -> Iterator[Callable[[str], Provider]]:
    """Starts a provider whose clients send people back to `base_url` (one per URL for the
    session); stops them at the end."""
    started: dict[str, Provider] = {}

    def start(base_url: str) -> Provider:
        if base_url in started:
            return started[base_url]
        port = free_port()
        clients = [
            {
                "client_id": client_id,
                "client_secret": SECRET,
                "redirect_uris": [base_url + CALLBACK.format(name=name) for name in NAMES],
                "post_logout_redirect_uris": [base_url + "/"],
            }
            for client_id in ("avustus", "tamper-avustus")
        ]
        log = tmp_path_factory.mktemp("provider") / "provider.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                [str(provider_installed), "provider.mjs"],
                cwd=PROVIDER_DIR,
                env={**os.environ, "PORT": str(port), "CLIENTS": json.dumps(clients)},
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        process = Process("oidc-provider", popen, log)
        url = f"http://127.0.0.1:{port}"
        started[base_url] = Provider(url, process)

        def answers() -> bool:
            assert process.alive(), process.log()
            try:
                return httpx.get(f"{url}/.well-known/openid-configuration").status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(answers, timeout=30, what="the OpenID Connect provider")
        return started[base_url]

    yield start
    for provider in started.values():
        provider.process.stop()


NAMES = ("suomifi", "officials")


@pytest.fixture(scope="session")
def oidc_provider(start_provider) -> Provider:
    return start_provider("http://testserver")


@pytest.fixture
def oidc_settings(settings, oidc_provider) -> Provider:
    """The service configured with the test provider as Suomi.fi's broker."""
    settings.OIDC_PROVIDERS = oidc_provider.settings()
    settings.IDENTITY_HASH_KEY = HASH_KEY
    return oidc_provider
