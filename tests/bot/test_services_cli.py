"""`tacbot services load|list|example`: the directory file is checked like a form, naming line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from handlers.directory.load import EXAMPLE, read_directory
from storage.engine import make_engine
from storage.models import AuditEvent, Service


def test_the_example_ships_and_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert len(read_directory(EXAMPLE)) >= 5
    url = f"sqlite:///{tmp_path / 'services.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["services", "example"]) == 0
    example = tmp_path / "services.yaml"
    example.write_text(capsys.readouterr().out, "utf-8")
    assert main(["services", "load", str(example), "--school", "slack:T1"]) == 0
    assert "Loaded 6 services for slack:T1" in capsys.readouterr().out
    assert main(["services", "list", "--school", "slack:T1"]) == 0
    assert "eps                  County Educational Psychology Service (education)" in capsys.readouterr().out
    assert main(["services", "load", str(example)]) == 0  # every school
    assert main(["services", "load", str(example), "--school", "slack:T1"]) == 0  # replaced, not doubled
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(Service.school_id, Service.key)).all()
        audits = conn.execute(select(AuditEvent.detail).where(AuditEvent.action == "services.loaded")).all()
    engine.dispose()
    assert len(rows) == 12 and len({r for r in rows}) == 12
    assert [a[0]["services"] for a in audits] == [6, 6, 6]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "services:\n  - id: eps\n    name: E\n",
            "line 2: services[0] (service 'eps'): 'scope' is a required",
        ),
        (
            "services:\n  - id: eps\n    name: E\n    scope: education\n    remit: r\n    eligibility: e\n"
            "    how_to_refer: h\n    cost: c\n    typical_wait_weeks: six\n",
            "line 9: services[0].typical_wait_weeks (service 'eps'): 'six' is not of type 'integer'",
        ),
        (
            "services:\n  - id: eps\n    name: E\n    scope: schooling\n    remit: r\n    eligibility: e\n"
            "    how_to_refer: h\n    cost: c\n",
            "line 4: services[0].scope (service 'eps'): 'schooling' is not one of",
        ),
        (
            "services:\n  - id: eps\n    name: E\n    scope: health\n    roles: [wizard]\n    remit: r\n"
            "    eligibility: e\n    how_to_refer: h\n    cost: c\n",
            "line 5: services[0].roles[0] (service 'eps'): 'wizard' is not a role",
        ),
        ("services: [\n", "line 2: expected the node content"),
        ("", "the file is empty"),
        ("services: []\n", "line 1: services: [] should be non-empty"),
    ],
)
def test_a_bad_file_names_the_line_and_field_and_loads_nothing(
    text: str,
    error: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bad.db'}")
    assert main(["db", "upgrade"]) == 0
    bad = tmp_path / "services.yaml"
    bad.write_text(text, "utf-8")
    assert main(["services", "load", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"services.yaml {error}" in err or f"services.yaml: {error}" in err, err
    assert main(["services", "list"]) == 0
    assert "No services loaded" in capsys.readouterr().out


def test_a_duplicate_id_and_a_missing_file_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'dup.db'}")
    entry = (
        "  - id: eps\n    name: E\n    scope: health\n    remit: r\n    eligibility: e\n"
        "    how_to_refer: h\n    cost: c\n"
    )
    bad = tmp_path / "dup.yaml"
    bad.write_text("services:\n" + entry + entry, "utf-8")
    assert main(["services", "load", str(bad)]) == 2
    assert "dup.yaml line 9: services[1].id (service 'eps'): 'eps' is already the id of services[0]" in (
        capsys.readouterr().err
    )
    assert main(["services", "load", str(tmp_path / "missing.yaml")]) == 2
    assert "missing.yaml: cannot be read" in capsys.readouterr().err
