"""An administrator's first day: the pages the Teams package links to, and a database that is not there."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import make_url

from bot.cli import main
from bot.notices import notices_plugin
from bot.server import make_app
from bot.settings import Settings
from handlers.core import Core
from tests.bot.teams.fixtures import APP_ID


async def test_serve_answers_the_privacy_and_terms_pages_the_teams_package_links_to(
    core: Core, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s", TACBOT_TIMEZONE="Europe/Dublin")
    out = tmp_path / "app.zip"
    assert (
        main(["teams", "package", "--out", str(out), "--app-id", APP_ID, "--domain", "tac.school.example"])
        == 0
    )
    with zipfile.ZipFile(out) as archive:
        developer = json.loads(archive.read("manifest.json"))["developer"]
    assert developer["privacyUrl"] == "https://tac.school.example/privacy"
    assert developer["termsOfUseUrl"] == "https://tac.school.example/terms"
    async with TestClient(TestServer(make_app(core, plugins=[notices_plugin(settings)]))) as client:
        for url in (developer["privacyUrl"], developer["termsOfUseUrl"]):
            page = await client.get("/" + url.rsplit("/", 1)[1])
            assert page.status == 200 and page.content_type == "text/html"
            assert "TAC Bot" in await page.text()
        privacy = await (await client.get("/privacy")).text()
    assert "Slack" in privacy and "Microsoft Teams" not in privacy  # generated from the configuration
    assert "Europe/Dublin" in privacy and "consent" in privacy


def test_the_package_links_to_the_schools_own_pages_when_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TACBOT_PRIVACY_URL", "https://oak.sch.uk/privacy-tac")
    monkeypatch.setenv("TACBOT_TERMS_URL", "https://oak.sch.uk/acceptable-use")
    out = tmp_path / "app.zip"
    assert (
        main(["teams", "package", "--out", str(out), "--app-id", APP_ID, "--domain", "tac.oak.sch.uk"]) == 0
    )
    with zipfile.ZipFile(out) as archive:
        developer = json.loads(archive.read("manifest.json"))["developer"]
    assert developer["privacyUrl"] == "https://oak.sch.uk/privacy-tac"
    assert developer["termsOfUseUrl"] == "https://oak.sch.uk/acceptable-use"
    monkeypatch.setenv("TACBOT_TERMS_URL", "http://oak.sch.uk/terms")
    assert main(["teams", "package", "--out", str(out), "--app-id", APP_ID]) == 2
    assert "TACBOT_TERMS_URL must be an https://" in capsys.readouterr().err


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://tac:secret-pw@127.0.0.1:1/tacbot",  # nothing listening
        "sqlite:////no/such/folder/tacbot.db",  # a folder that is not there
    ],
)
def test_db_upgrade_against_a_database_that_is_not_there_says_so_in_one_line(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    lines = out.err.strip().splitlines()
    assert len(lines) == 1, out.err
    assert lines[0].startswith("tacbot: cannot use the database ") and "Traceback" not in out.err
    assert make_url(url).render_as_string(hide_password=True) in lines[0]
    assert "secret-pw" not in out.err


def test_db_upgrade_against_a_missing_postgresql_database(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = make_url(postgres_url).set(database="tacbot_no_such_database_here")
    monkeypatch.setenv("DATABASE_URL", missing.render_as_string(hide_password=False))
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "tacbot_no_such_database_here" in err and "does not exist" in err
