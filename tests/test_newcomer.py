"""What a newcomer meets before the product: `manage.py demo`'s output and the package build."""

import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.test_deploy import ROOT


def test_the_demo_prints_its_logins_and_a_line_of_what_it_sent_not_the_messages(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "VAR_DIR": str(tmp_path),
        # The development default, which prints every email it sends in full.
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "REDIS_URL": "",
    }
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], check=True, **run)

    result = subprocess.run([sys.executable, "manage.py", "demo"], **run)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Content-Type:" not in result.stdout
    assert "It sent 2 emails: 2 to talous@esimerkkila.example.fi." in lines
    assert any(line.startswith("Demo logins") for line in lines)
    assert len(lines) < 25


@pytest.mark.skipif(not os.environ.get("CI"), reason="builds a wheel: slow, CI only")
def test_the_package_builds_without_a_warning(tmp_path):
    # Built from a copy: setuptools leaves build/ and *.egg-info next to what it builds.
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".git", ".venv", "var", "build", "*.egg-info", "__pycache__"),
    )
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(tmp_path), "."],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stdout + result.stderr
    [wheel] = tmp_path.glob("avustus-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "config/celery.py" in archive.namelist()
