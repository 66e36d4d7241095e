"""Production settings pass Django's deployment checklist; the embedded mode needs nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"AIRCOP_HTTPS", "DEBUG"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="x7!kq2-" + "production-grade-secret-key-from-the-environment-9f3a1c",
        ALLOWED_HOSTS="aircop.example.org",
        EMAIL_URL="smtp+tls://mail.example.org:587",
        AIRCOP_VAR_DIR=str(tmp_path),
    )
    return env


def test_check_deploy_reports_nothing_with_production_settings(tmp_path: Path) -> None:
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_debug_is_on(tmp_path: Path) -> None:
    env = production_env(tmp_path) | {"DEBUG": "1"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


def test_embedded_mode_keeps_its_secret_under_var(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    env["AIRCOP_VAR_DIR"] = str(tmp_path)
    result = run_manage("check", env=env)
    assert result.returncode == 0, result.stderr
    secret = tmp_path / "secret_key"
    assert secret.exists() and len(secret.read_text()) >= 50
    assert oct(secret.stat().st_mode)[-3:] == "600"
