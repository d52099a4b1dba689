"""`tacbot audit verify` and `tacbot data new-key|rotate-key` as an operator runs them."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.cli import main
from storage.crypto import DataCipher, new_key
from storage.models import SlackBot


def test_audit_verify_counts_an_intact_trail_and_names_the_first_bad_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "audit.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    assert main(["audit", "verify"]) == 0
    assert "intact: 0 rows verified" in capsys.readouterr().out
    for n in (3, 4, 5):
        assert main(["policy", "set", f"repeat_school_days={n}"]) == 0
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "The audit trail is intact: 3 rows verified. Head: " in out
    head = out.strip().rsplit(" ", 1)[-1]
    assert main(["audit", "verify", "--head", head]) == 0
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"), conn:
        conn.execute("UPDATE audit_events SET action = 'policy.changed' WHERE seq = 2")
    with conn:  # someone who owns the file drops the trigger and edits a row
        conn.execute("DROP TRIGGER audit_events_no_update")
        conn.execute(
            'UPDATE audit_events SET detail = \'{"values": {"repeat_school_days": 9}}\' WHERE seq = 2'
        )
    assert main(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "NOT intact: row 2 (id 2, policy.set," in err and "was changed (its detail)" in err
    assert "1 rows before it verified" in err
    with conn:
        conn.execute("DROP TRIGGER audit_events_no_delete")
        conn.execute("DELETE FROM audit_events WHERE seq IN (2, 3)")
    assert main(["audit", "verify"]) == 0  # the chain's end was cut: whole, but shorter...
    capsys.readouterr()
    assert main(["audit", "verify", "--head", head]) == 1  # ...and the recorded head shows it
    assert "is not in the chain: rows were removed from its end" in capsys.readouterr().err
    conn.close()


def test_data_key_new_and_rotate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'keys.db'}")
    assert main(["data", "new-key"]) == 0
    key = capsys.readouterr().out.strip()
    assert len(key) == 44 and DataCipher(key).decrypt(DataCipher(key).encrypt("x")) == "x"
    assert main(["data", "rotate-key"]) == 2
    assert "TACBOT_DATA_KEY is not set" in capsys.readouterr().err
    monkeypatch.setenv("TACBOT_DATA_KEY", "not a key")
    assert main(["data", "rotate-key"]) == 2
    err = capsys.readouterr().err
    assert "must be Fernet keys" in err and "not a key" not in err
    monkeypatch.setenv("TACBOT_DATA_KEY", f"{new_key()},{key}")
    assert main(["data", "rotate-key"]) == 0
    assert "Re-encrypted 0 stored values" in capsys.readouterr().out
    # A workspace installed through OAuth: its sealed Slack tokens are re-encrypted too.
    old = DataCipher(key)
    engine = create_engine(f"sqlite:///{tmp_path / 'keys.db'}")
    with Session(engine) as s, s.begin():
        s.add(
            SlackBot(
                client_id="C1",
                app_id="A1",
                team_id="T1",
                bot_token=old.encrypt("xoxb-1"),
                bot_refresh_token=old.encrypt("xoxe-1"),
                installed_at=datetime(2026, 9, 1),
            )
        )
    newest = new_key()
    monkeypatch.setenv("TACBOT_DATA_KEY", f"{newest},{key}")
    assert main(["data", "rotate-key"]) == 0
    assert "Re-encrypted 2 stored values" in capsys.readouterr().out
    with Session(engine) as s:
        bot = s.scalars(select(SlackBot)).one()
        assert bot.bot_token is not None and bot.bot_refresh_token is not None
        assert DataCipher(newest).decrypt(bot.bot_token) == "xoxb-1"  # the old key is no longer needed
        assert DataCipher(newest).decrypt(bot.bot_refresh_token) == "xoxe-1"
    engine.dispose()


def test_production_refuses_to_start_without_a_data_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.app import data_cipher
    from bot.settings import Settings
    from storage.crypto import DataKeyError

    monkeypatch.setenv("TACBOT_ENV", "production")
    monkeypatch.delenv("TACBOT_DATA_KEY", raising=False)
    with pytest.raises(DataKeyError, match="TACBOT_DATA_KEY is not set"):
        data_cipher(Settings())
    monkeypatch.setenv("TACBOT_DATA_KEY", new_key())
    assert data_cipher(Settings()) is not None
