"""config.env: settings read from the environment, refusing what they cannot parse."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

NAME = "AVUSTUS_TEST_ENV_VALUE"


@pytest.fixture(autouse=True)
def unset(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)


# --- env_str ------------------------------------------------------------------------------


def test_env_str_reads_value(monkeypatch):
    monkeypatch.setenv(NAME, "postgres://db/avustus")
    assert env_str(NAME) == "postgres://db/avustus"
    assert env_str(NAME, "ignored default") == "postgres://db/avustus"


def test_env_str_default_when_unset():
    assert env_str(NAME, "fallback") == "fallback"
    assert env_str(NAME, "") == ""


def test_env_str_empty_means_unset(monkeypatch):
    monkeypatch.setenv(NAME, "")
    assert env_str(NAME, "sqlite:///var/db.sqlite3") == "sqlite:///var/db.sqlite3"
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_str(NAME)


def test_env_str_without_default_and_unset_raises():
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_str(NAME)


# --- env_bool -----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "True", "TRUE", "yes", "on", " On ", "YES"])
def test_env_bool_true(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME) is True
    assert env_bool(NAME, default=False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "off", "OFF", " no "])
def test_env_bool_false(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, default=True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_empty_means_unset(monkeypatch, default):
    # `FOO=` in a compose file must not silently switch off a setting that defaults to on.
    monkeypatch.setenv(NAME, "")
    assert env_bool(NAME, default=default) is default


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_default_when_unset(default):
    assert env_bool(NAME, default) is default


@pytest.mark.parametrize("raw", ["maybe", "2", "-1", "ture", "y", "n", "enabled", "1.0"])
def test_env_bool_refuses_bad_values(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_bool(NAME)
    with pytest.raises(ImproperlyConfigured):
        env_bool(NAME, default=True)


# --- env_int ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("14", 14), ("0", 0), ("-3", -3), (" 30 ", 30), ("31536000", 31_536_000)],
)
def test_env_int_reads_value(monkeypatch, raw, expected):
    monkeypatch.setenv(NAME, raw)
    assert env_int(NAME, 7) == expected


def test_env_int_default_when_unset():
    assert env_int(NAME, 7) == 7


@pytest.mark.parametrize("raw", ["", "abc", "14 days", "1.5", "1e3", "0x10", "seven"])
def test_env_int_refuses_bad_values(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_int(NAME, 7)


# --- env_list -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("example.fi", ["example.fi"]),
        ("a.example.fi,b.example.fi", ["a.example.fi", "b.example.fi"]),
        (" a.example.fi , b.example.fi ", ["a.example.fi", "b.example.fi"]),
        ("pdf,,docx,", ["pdf", "docx"]),
        ("", []),
        (" , ", []),
    ],
)
def test_env_list_reads_value(monkeypatch, raw, expected):
    monkeypatch.setenv(NAME, raw)
    assert env_list(NAME, ["default"]) == expected


def test_env_list_default_when_unset():
    default = ["127.0.0.1", "localhost"]
    assert env_list(NAME, default) == default
