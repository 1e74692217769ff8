"""The stand-in of the outside registers, one process for the whole run, reset for each test."""

import pytest

from tests.registers.standin import StandIn


@pytest.fixture(scope="session")
def standin_process():
    standin = StandIn()
    yield standin
    standin.stop()


@pytest.fixture
def standin(standin_process, settings):
    standin_process.control("reset")
    settings.YTJ_BASE_URL = standin_process.url
    settings.SUOMIFI_MANDATES_URL = standin_process.url
    settings.SUOMIFI_MANDATES_CLIENT_ID = "avustus"
    settings.SUOMIFI_MANDATES_CLIENT_SECRET = "standin-secret"
    return standin_process
