"""Issue 12 item 3: what people type never reaches a log line (at INFO or above), and DEBUG is refused
in production."""

from __future__ import annotations

import logging
import urllib.parse

import pytest
from sqlalchemy import text

from bot.cli import main
from bot.logsafe import DebugInProduction, level_for
from storage.engine import Database
from tests.bot.console.test_forms import EP
from tests.bot.slack.test_forms import _state
from tests.bot.slack.test_forms_http import ep_requested, open_form, submissions
from tests.fakes.slack_driver import SlackDriver, signed_headers, view_payload

MARKER = "ZZ-MARKER-7f3a91"


def refuse_submissions(db: Database, backend: str) -> None:
    """Make the database itself refuse to store a form submission (a failed statement, as in the review)."""
    with db.transaction() as s:
        if backend == "sqlite":
            s.execute(
                text(
                    "CREATE TEMP TRIGGER refuse_submission BEFORE INSERT ON form_submissions "
                    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
                )
            )
        else:
            s.execute(
                text(
                    "CREATE FUNCTION refuse_submission() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
                )
            )
            s.execute(
                text(
                    "CREATE TRIGGER refuse_submission BEFORE INSERT ON form_submissions "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_submission()"
                )
            )


@pytest.fixture
def info_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """INFO from the start, as `tacbot serve` runs (Bolt copies the root level when it makes a logger)."""
    caplog.set_level(logging.INFO)
    return caplog


async def test_a_forged_request_and_a_failing_submission_leave_no_trace_of_the_text_in_the_logs(
    info_logs: pytest.LogCaptureFixture, slack: SlackDriver, db: Database, backend: str
) -> None:
    caplog = info_logs
    body = urllib.parse.urlencode(
        {"team_id": "T0001", "user_id": "U0SAM", "command": "/tac", "text": f"open {MARKER}"}
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(body, secret="forged")}
    assert (await slack.client.post("/slack/events", data=body, headers=headers)).status == 401

    _, button = await ep_requested(slack)
    view = await open_form(slack, "U0ANNA", button)
    assert view is not None
    refuse_submissions(db, backend)
    answers = _state(view, {**EP, "strengths": f"Kind and {MARKER}"})
    status, _ = await slack.interactive(view_payload("U0ANNA", view, answers, kind="view_submission"))
    assert status == 500  # Bolt's answer to a listener that raised
    await slack.background.drain()
    assert submissions(db) == []  # the statement did fail

    logged = caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)
    assert "Invalid request signature" in logged  # the refusal is still logged, without its body
    assert "refused by the test" in logged or "Failed to run listener" in logged
    assert MARKER not in logged


def test_debug_is_refused_in_production(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(DebugInProduction):
        level_for("debug", production=True)
    assert level_for("DEBUG", production=False) == logging.DEBUG
    assert level_for("info", production=True) == logging.INFO
    monkeypatch.setenv("TACBOT_ENV", "production")
    monkeypatch.setenv("TACBOT_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    assert main(["serve"]) == 2
    assert "DEBUG is refused with TACBOT_ENV=production" in capsys.readouterr().err
