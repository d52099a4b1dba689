"""`tacbot policy show|set|reset`: per-school overrides, validated, audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from storage.engine import Database
from storage.models import AuditEvent


def test_policy_show_set_reset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'policy.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    assert main(["policy", "show"]) == 0
    out = capsys.readouterr().out
    assert "  ehc_advice_weeks           6 " in out and "reg 8: 6 weeks" in out
    assert main(["policy", "set", "repeat_school_days=5", "ehc_advice_weeks=8", "--school", "slack:T1"]) == 0
    assert "Set for slack:T1: repeat_school_days=5, ehc_advice_weeks=8" in capsys.readouterr().out
    assert main(["policy", "set", "pack_weeks=3"]) == 0
    assert main(["policy", "show", "--school", "slack:T1"]) == 0
    out = capsys.readouterr().out
    assert "* repeat_school_days         5 " in out and "* ehc_advice_weeks           8 " in out
    assert "+ pack_weeks                 3 " in out and "  before_school_days         2 " in out
    assert main(["policy", "set", "ehc_advice_weeks=4", "--school", "slack:T1"]) == 2
    assert "ehc_chaser_weeks: each chaser must come before the due week" in capsys.readouterr().err
    assert main(["policy", "set", "repeat_school_days=0"]) == 2
    assert "repeat_school_days: 0 is outside 1-20" in capsys.readouterr().err
    assert main(["policy", "set", "repeat_school_days"]) == 2
    assert main(["policy", "reset", "nonsense"]) == 2
    assert main(["policy", "show", "--school", "slack:T404"]) == 2
    assert main(["policy", "reset", "repeat_school_days", "--school", "slack:T1"]) == 0
    assert "Back to the default for slack:T1: repeat_school_days" in capsys.readouterr().out
    assert main(["policy", "show", "--school", "slack:T1"]) == 0
    assert "  repeat_school_days         3 " in capsys.readouterr().out
    assert main(["policy", "reset"]) == 0
    assert main(["policy", "reset"]) == 0
    assert "Nothing to reset for every school" in capsys.readouterr().out
    db = Database.from_url(url)
    with db.transaction() as s:
        actions = [(e.action, e.detail) for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    db.dispose()
    assert actions == [
        (
            "policy.set",
            {"values": {"repeat_school_days": 5, "ehc_advice_weeks": 8}, "by": "tacbot policy set"},
        ),
        ("policy.set", {"values": {"pack_weeks": 3}, "by": "tacbot policy set"}),
        ("policy.reset", {"keys": ["repeat_school_days"], "by": "tacbot policy reset"}),
        ("policy.reset", {"keys": ["pack_weeks"], "by": "tacbot policy reset"}),
    ]


def test_a_setting_for_every_school_must_fit_each_schools_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'policy.db'}")
    assert main(["db", "upgrade"]) == 0
    assert main(["policy", "set", "ar_advice_due_weeks=6", "--school", "slack:T1"]) == 0
    assert main(["policy", "set", "ar_invitations_weeks=5"]) == 2  # before T1's advice deadline of 6
    assert "school" in capsys.readouterr().err
    assert main(["policy", "show", "--school", "slack:T1"]) == 0
    assert "  ar_invitations_weeks       8 " in capsys.readouterr().out
