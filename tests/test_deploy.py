"""The Dockerfile and compose.yaml hold what a production start needs (no images can be pulled here,
so they are read and checked; `docker compose config` validates compose.yaml where compose exists)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
RESERVED = 3  # PostgreSQL's superuser_reserved_connections default


def instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text("utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_the_image_installs_every_package_and_serves_as_a_plain_user() -> None:
    steps = instructions()
    froms = [rest for word, rest in steps if word == "FROM"]
    assert froms and all(re.match(r"python:3\.(1[1-9])", f) for f in froms)
    copied = " ".join(rest for word, rest in steps if word == "COPY")
    for package in ("bot", "handlers", "scheduler", "storage", "pyproject.toml", "constraints.txt"):
        assert package in copied
    assert any("-c constraints.txt" in rest for word, rest in steps if word == "RUN")
    users = [rest for word, rest in steps if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert ("EXPOSE", "3000") in steps
    assert any("/healthz" in rest for word, rest in steps if word == "HEALTHCHECK")
    assert steps[-1] == ("CMD", '["tacbot", "serve"]')
    env = " ".join(rest for word, rest in steps if word == "ENV")
    assert "TACBOT_ENV=production" in env and "TACBOT_LOG_FORMAT=json" in env
    ignored = (ROOT / ".dockerignore").read_text("utf-8").split()
    assert {".env", ".venv", ".git"} <= set(ignored)  # no secrets or local state in the image


def test_compose_runs_the_app_on_postgresql_after_migrating() -> None:
    services = compose()["services"]
    db, app, migrate = services["db"], services["app"], services["migrate"]
    assert str(db["image"]).startswith("postgres:")
    assert any(str(v).endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    for service in (app, migrate):
        url = service["environment"]["DATABASE_URL"]
        assert url.startswith("postgresql://") and "@db:5432/" in url
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        assert service["build"] == "." and service["env_file"] == ".env"
    assert migrate["command"] == ["tacbot", "db", "upgrade"]
    assert app["command"] == ["tacbot", "serve"]
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert app["environment"]["TACBOT_ENV"] == "production"


def test_the_example_settings_are_known_and_fit_the_connection_limit() -> None:
    example: dict[str, str] = {}
    for line in (ROOT / ".env.example").read_text("utf-8").splitlines():
        line = line.strip().lstrip("# ").strip()
        if re.match(r"^[A-Z][A-Z0-9_]*=", line):
            key, _, value = line.partition("=")
            example[key] = value
    known = {field.alias for field in Settings.model_fields.values()} | {"POSTGRES_PASSWORD"}
    assert set(example) <= known, set(example) - known
    command = compose()["services"]["db"]["command"]
    most = int(next(c.split("=")[1] for c in command if c.startswith("max_connections=")))
    per_process = int(example["TACBOT_DB_POOL_SIZE"]) + int(example["TACBOT_DB_MAX_OVERFLOW"])
    # The documented scale-out: three app instances plus a run-due and a migrate.
    assert 5 * per_process <= most - RESERVED


def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    """Validated by compose itself where it is installed (it is not on every development machine)."""
    docker = shutil.which("docker")
    has_compose = docker is not None and (
        subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode == 0
    )
    if has_compose:
        assert docker is not None
        env = tmp_path / ".env"
        env.write_text("POSTGRES_PASSWORD=test\n", "utf-8")
        result = subprocess.run(
            [docker, "compose", "-f", str(ROOT / "compose.yaml"), "--env-file", str(env), "config", "-q"],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        assert result.returncode == 0, result.stderr
    else:  # the same check compose makes first: the file is YAML whose services all name an image or a build
        assert all("image" in s or "build" in s for s in compose()["services"].values())
