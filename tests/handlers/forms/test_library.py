"""Forms as data: the ten built-in forms load and validate; a school's own folder; broken forms refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import build_core
from bot.cli import main
from bot.settings import Settings
from handlers.forms.library import BUILTIN_IDS, FormDefinitionError, FormLibrary, builtin_library
from storage.engine import Database

GOOD = """\
id: reading-recovery
title: Reading recovery notes
for: The reading recovery teacher
introduction: How the pupil is getting on in reading recovery sessions.
sections:
  - title: Progress
    fields:
      - id: book_level
        label: Book band
        type: single_choice
        required: true
        options:
          - {value: pink, label: Pink}
          - {value: red, label: Red}
      - id: notes
        label: Notes
        type: long_text
        max_length: 500
"""


def test_the_ten_forms_load_and_validate() -> None:
    lib = builtin_library()
    assert set(BUILTIN_IDS) <= set(lib)
    for form in lib.values():
        assert form.fields and len(form.short_title) <= 24
        assert any(f.required for f in form.fields), form.id
        assert len({f.id for f in form.fields}) == len(form.fields)


def test_forms_are_faithful_to_each_profession() -> None:
    lib = builtin_library()
    ep = {s.title for s in lib["ep-advice"].sections}
    assert {"Background", "Strengths", "Needs", "Outcomes sought", "Provision recommended"} <= ep
    needs = {f.label for f in lib["ep-advice"].fields}
    assert {
        "Cognition and learning",
        "Communication and interaction",
        "Social, emotional and mental health",
        "Sensory and/or physical",
    } <= needs
    salt = {f.id for f in lib["salt-advice"].fields}
    assert {"receptive", "expressive", "speech", "social_communication"} <= salt
    assert {"delivered_by", "frequency", "duration"} <= salt  # provision quantified
    pupil = lib["pupil-voice"]
    assert {"admire", "important", "support", "goals", "helped_by", "methods"} <= {f.id for f in pupil.fields}
    assert any(f.type == "scale_1_5" for f in pupil.fields)
    assert all(
        o.emoji for f in pupil.fields if f.type == "multi_choice" and f.id != "methods" for o in f.options
    )
    prep = {f.id for f in lib["preparation"].fields}
    assert {"knows_best", "strengths", "most_successful", "concerns", "concern_contexts"} <= prep
    assert {"conveyed", "recorded_shared", "review_on"} <= prep


def test_a_school_adds_its_own_form_from_a_folder(tmp_path: Path) -> None:
    (tmp_path / "reading-recovery.yaml").write_text(GOOD, "utf-8")
    lib = FormLibrary.load(tmp_path)
    assert lib["reading-recovery"].field("book_level").required  # type: ignore[union-attr]
    assert set(BUILTIN_IDS) <= set(lib)


def test_build_core_takes_forms_from_the_setting(tmp_path: Path, db: Database) -> None:
    (tmp_path / "reading-recovery.yaml").write_text(GOOD, "utf-8")
    settings = Settings(TACBOT_FORMS_DIR=str(tmp_path), TACBOT_SENCOS="")
    core = build_core(settings, db=db)
    assert "reading-recovery" in core.forms and "ep-advice" in core.forms


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("type: single_choice", "type: checkbox"), "sections[0].fields[0].type (field 'book_level')"),
        (("      - id: notes\n", "      - id: Notes!\n"), "sections[0].fields[1].id (field 'Notes!')"),
        (("max_length: 500", "max_length: 99999"), "sections[0].fields[1].max_length (field 'notes')"),
        (
            ("          - {value: red, label: Red}\n", ""),
            "sections[0].fields[0].options (field 'book_level')",
        ),
        (("id: notes", "id: book_level"), "sections[0].fields[1] (field 'book_level'): the id"),
        (("id: reading-recovery", "id: other-name"), "id: 'other-name' must match the file name"),
        (("title: Reading recovery notes\n", ""), "the top level: 'title' is a required property"),
    ],
)
def test_a_broken_form_is_refused_naming_file_and_field(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    (tmp_path / "reading-recovery.yaml").write_text(GOOD.replace(*change), "utf-8")
    with pytest.raises(FormDefinitionError) as info:
        FormLibrary.load(tmp_path)
    assert str(info.value).startswith("reading-recovery.yaml: ")
    assert expected in str(info.value)


def test_a_school_cannot_replace_a_built_in_form(tmp_path: Path) -> None:
    (tmp_path / "ep-advice.yaml").write_text(GOOD.replace("reading-recovery", "ep-advice"), "utf-8")
    with pytest.raises(FormDefinitionError, match=r"ep-advice\.yaml: id: .ep-advice. is already a form"):
        FormLibrary.load(tmp_path)


def test_a_broken_form_stops_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "reading-recovery.yaml").write_text("id: [unclosed", "utf-8")
    monkeypatch.setenv("TACBOT_FORMS_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert main(["demo"]) == 2
    err = capsys.readouterr().err
    assert "a form is broken" in err and "reading-recovery.yaml" in err


def test_too_many_fields_are_counted_not_dumped(tmp_path: Path) -> None:
    many = "".join(f"      - {{id: f{i}, label: Field {i}, type: yes_no}}\n" for i in range(31))
    (tmp_path / "reading-recovery.yaml").write_text(GOOD + many, "utf-8")
    with pytest.raises(FormDefinitionError) as info:
        FormLibrary.load(tmp_path)
    assert str(info.value) == "reading-recovery.yaml: sections[0].fields: has 33 items; it takes at most 30"


def test_options_on_a_text_field_are_named_plainly(tmp_path: Path) -> None:
    bad = GOOD.replace(
        "        max_length: 500\n", "        options: [{value: a, label: A}, {value: b, label: B}]\n"
    )
    (tmp_path / "reading-recovery.yaml").write_text(bad, "utf-8")
    with pytest.raises(FormDefinitionError) as info:
        FormLibrary.load(tmp_path)
    assert str(info.value) == (
        "reading-recovery.yaml: sections[0].fields[1] (field 'notes'): "
        "options is not allowed for a field of type 'long_text'"
    )


@pytest.mark.parametrize(
    "change",
    [
        (
            "        max_length: 500\n",
            "        max_length: 500\n        options_from: team\n",
        ),  # not a choice
        ("        required: true\n", "        required: true\n        options_from: team\n"),  # and options
        ("        required: true\n", "        required: true\n        options_from: everyone\n"),
        ("introduction:", "internal: sometimes\nintroduction:"),
    ],
)
def test_internal_and_options_from_are_checked(tmp_path: Path, change: tuple[str, str]) -> None:
    (tmp_path / "reading-recovery.yaml").write_text(GOOD.replace(*change), "utf-8")
    with pytest.raises(FormDefinitionError, match=r"reading-recovery\.yaml: "):
        FormLibrary.load(tmp_path)


def test_a_school_can_add_an_internal_form_with_team_options(tmp_path: Path) -> None:
    text = GOOD.replace("introduction:", "internal: true\nintroduction:").replace(
        "        options:\n          - {value: pink, label: Pink}\n          - {value: red, label: Red}\n",
        "        options_from: team\n",
    )
    (tmp_path / "reading-recovery.yaml").write_text(text, "utf-8")
    lib = FormLibrary.load(tmp_path)
    form = lib["reading-recovery"]
    assert form.internal and form.fields[0].options_from == "team" and not form.fields[0].options
    requestable = {f.id for f in lib.requestable()}
    assert "reading-recovery" not in requestable and "review-record" not in requestable
    assert "ep-advice" in requestable and lib["review-record"].internal
