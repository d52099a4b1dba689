"""Issue 16: a school's own forms (`tacbot forms load|list|remove --school`). Two schools (two console
workspaces): A's own form is listed, requested, opened and submitted in A; in B it is not listed, cannot be
requested and its requests do not open; the built-in forms are in both. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.console.forms import fill_in
from bot.console.platform import ConsolePlatform
from bot.console.render import render
from bot.console.session import console_actor, to_command
from handlers.clock import ManualClock
from handlers.core import Core
from handlers.dispatch import handle
from handlers.forms import api
from handlers.forms.library import FormDefinitionError, builtin_library
from handlers.forms.schools import load_own
from handlers.model import Actor
from storage.engine import Database
from storage.models import AuditEvent, InputRequest, SchoolForm
from storage.repo import people, school_forms
from tests.handlers.forms.test_library import GOOD

A, B = "oak", "elm"  # two schools on one platform: two workspaces
OWN = "reading-recovery"  # school A's own form (GOOD)
ANSWERS = {"book_level": "red", "notes": "Reads a page aloud with help."}


@dataclass
class Two:
    core: Core
    platform: ConsolePlatform
    a: int
    b: int

    async def run(self, workspace: str, who: str, words: str, *, room: str | None = None) -> str:
        found = self.platform.room_by_name(room) if room else None
        command = to_command(who, words, room_id=found.id if found else None)
        return render(await handle(self.core, replace(command, actor=self.actor(workspace, who))))

    def actor(self, workspace: str, who: str) -> Actor:
        return replace(console_actor(who), workspace=workspace)

    def load(self, school_id: int, *files: tuple[str, str]) -> None:
        with self.core.db.transaction() as s:
            load_own(
                s,
                self.core.forms,
                school_id=school_id,
                files=list(files),
                by="tests",
                now=self.core.clock.now(),
            )

    def requests(self) -> list[InputRequest]:
        with self.core.db.transaction() as s:
            return list(s.scalars(select(InputRequest).order_by(InputRequest.id)))


@pytest.fixture
async def two(db: Database, clock: ManualClock) -> Two:
    platform = ConsolePlatform()
    core = Core(db=db, clock=clock, platforms={"console": platform})
    now = clock.now()
    ids = {}
    with db.transaction() as s:
        for workspace, senco in ((A, "sam"), (B, "lee")):
            school = people.get_or_create_school(s, platform="console", external_id=workspace, now=now)
            person = people.get_or_create_person(
                s, platform="console", external_id=senco, display_name="", now=now
            )
            people.add_senco(s, person=person, school_id=school.id, added_by="tests", now=now)
            ids[workspace] = school.id
    world = Two(core, platform, ids[A], ids[B])
    for workspace, senco, room in ((A, "sam", "tac-0001"), (B, "lee", "tac-0001-2")):
        assert "TAC-0001" in await world.run(workspace, senco, "/tac open Robin")
        await world.run(workspace, senco, '/tac consent given by "Jo Taylor" scope all', room=room)
        assert "Invited" in await world.run(workspace, senco, "/tac invite @tom class-teacher", room=room)
    world.load(ids[A], (f"{OWN}.yaml", GOOD))
    return world


async def test_a_schools_own_form_is_its_own_and_the_built_in_ones_are_everyones(two: Two) -> None:
    listed_a = await two.run(A, "sam", "/tac forms")
    listed_b = await two.run(B, "lee", "/tac forms")
    assert OWN in listed_a and "Reading recovery notes" in listed_a
    assert OWN not in listed_b and "Reading recovery" not in listed_b
    for form in builtin_library().requestable():
        assert form.id in listed_a and form.id in listed_b
    asked = await two.run(A, "sam", f"/tac request {OWN} from @tom", room="tac-0001")
    assert "Asked" in asked and "Reading recovery notes" in asked, asked
    refused = await two.run(B, "lee", f"/tac request {OWN} from @tom", room="tac-0001-2")
    assert f"There is no form called {OWN}." in refused, refused
    assert "Asked" in await two.run(B, "lee", "/tac request teacher-input from @tom", room="tac-0001-2")
    mine, theirs = two.requests()
    assert (mine.form_id, theirs.form_id) == (OWN, "teacher-input")
    # Opened and submitted in A through the forms API (chat and portal alike).
    view = api.open_form(two.core, two.actor(A, "tom"), str(mine.id))
    assert view.form.id == OWN and [f.id for f in view.form.fields] == ["book_level", "notes"]
    submitted = await fill_in(two.core, two.actor(A, "tom"), str(mine.id), ANSWERS)
    assert "Thank you" in submitted, submitted
    shown = await two.run(A, "sam", "/tac input 1", room="tac-0001")
    assert "Reading recovery notes" in shown and "Reads a page aloud" in shown and "Red" in shown
    assert "Reading recovery notes" in await two.run(A, "sam", "/tac inputs", room="tac-0001")
    # A's request does not open in school B's workspace (as for a request that does not exist).
    assert "can't open it" in await fill_in(two.core, two.actor(B, "tom"), str(mine.id), ANSWERS)


async def test_each_school_may_have_its_own_form_of_the_same_id(two: Two) -> None:
    two.load(two.b, (f"{OWN}.yaml", GOOD.replace("Reading recovery notes", "Elm reading notes")))
    assert "Elm reading notes" in await two.run(B, "lee", "/tac forms")
    listed_a = await two.run(A, "sam", "/tac forms")
    assert "Reading recovery notes" in listed_a and "Elm reading notes" not in listed_a


async def test_a_reloaded_form_is_seen_at_once_and_a_removed_one_is_no_longer_offered(two: Two) -> None:
    two.load(two.a, (f"{OWN}.yaml", GOOD.replace("Reading recovery notes", "Reading recovery, spring")))
    assert "Reading recovery, spring" in await two.run(A, "sam", "/tac forms")  # no stale cache
    assert "Asked" in await two.run(A, "sam", f"/tac request {OWN} from @tom", room="tac-0001")
    with two.core.db.transaction() as s:
        assert school_forms.remove(s, school_id=two.a, form_id=OWN, by="tests", now=two.core.clock.now())
    assert OWN not in await two.run(A, "sam", "/tac forms")
    refused = await two.run(A, "sam", f"/tac request {OWN} from @tom", room="tac-0001")
    assert "There is no form called" in refused, refused
    # The request already made still opens, and is still named by its form's title.
    (request,) = two.requests()
    assert api.open_form(two.core, two.actor(A, "tom"), str(request.id)).form.id == OWN
    assert "Reading recovery, spring" in await two.run(A, "sam", "/tac inputs", room="tac-0001")


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("ep-advice.yaml", GOOD.replace(OWN, "ep-advice"), "'ep-advice' is already a built-in form"),
        ("concern.yaml", GOOD.replace(OWN, "concern"), "'concern' is already a built-in form"),
        (f"{OWN}.yaml", GOOD + "internal: true\n", "it cannot be internal"),
        (f"{OWN}.yaml", GOOD.replace("type: long_text", "type: essay"), "sections[0].fields[1]"),
        ("other-name.yaml", GOOD, "must match the file name"),
        (f"{OWN}.yaml", "id: [unclosed", "cannot be read as YAML"),
    ],
)
async def test_a_broken_or_clashing_form_is_refused_and_nothing_is_stored(
    two: Two, name: str, text: str, says: str
) -> None:
    with two.core.db.transaction() as s:
        before = [(r.form_id, r.digest) for r in s.scalars(select(SchoolForm))]
    with pytest.raises(FormDefinitionError, match=r"\A" + name.replace(".", r"\.")) as info:
        two.load(two.b, ("fine.yaml", GOOD.replace(OWN, "fine")), (name, text))
    assert says in str(info.value)
    with two.core.db.transaction() as s:
        assert [(r.form_id, r.digest) for r in s.scalars(select(SchoolForm))] == before  # not even fine.yaml


def _form_file(folder: Path, form_id: str, title: str) -> Path:
    path = folder / f"{form_id}.yaml"
    path.write_text(GOOD.replace(OWN, form_id).replace("Reading recovery notes", title), "utf-8")
    return path


def test_forms_load_list_remove_from_the_command_line(
    fresh_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", fresh_url)
    monkeypatch.delenv("TACBOT_FORMS_DIR", raising=False)
    folder = tmp_path / "oak"
    folder.mkdir()
    _form_file(folder, OWN, "Reading recovery notes")
    _form_file(folder, "pupil-passport", "Pupil passport")
    assert main(["forms", "load", str(folder), "--school", "slack:T1"]) == 0
    out = capsys.readouterr().out
    assert f"{OWN}: loaded for slack:T1" in out and "pupil-passport: loaded for slack:T1" in out
    assert main(["forms", "load", str(folder / f"{OWN}.yaml"), "--school", "slack:T1"]) == 0
    assert f"{OWN}: unchanged for slack:T1" in capsys.readouterr().out
    broken = tmp_path / "broken"
    broken.mkdir()
    _form_file(broken, "handwriting", "Handwriting")
    (broken / "review-record.yaml").write_text(GOOD.replace(OWN, "review-record"), "utf-8")
    assert main(["forms", "load", str(broken), "--school", "slack:T2"]) == 2
    err = capsys.readouterr().err
    assert "nothing was loaded: review-record.yaml: id: 'review-record' is already a built-in form" in err
    assert main(["forms", "load", str(tmp_path / "missing.yaml"), "--school", "slack:T2"]) == 2
    assert "missing.yaml: cannot be read" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # --school is required
        main(["forms", "load", str(folder)])
    capsys.readouterr()
    assert main(["forms", "list"]) == 0
    out = capsys.readouterr().out
    assert "ep-advice  built-in" in out and "review-record  built-in  (internal)" in out
    assert f"{OWN}  slack:T1  loaded" in out and "handwriting" not in out
    assert main(["forms", "remove", OWN, "--school", "slack:T1"]) == 0
    assert "no longer offered in slack:T1" in capsys.readouterr().out
    assert main(["forms", "remove", OWN, "--school", "slack:T1"]) == 2
    assert "slack:T1 has no form reading-recovery" in capsys.readouterr().err
    assert main(["forms", "remove", "ep-advice", "--school", "slack:T1"]) == 2
    assert "a form of every school" in capsys.readouterr().err
    assert main(["forms", "list", "--school", "slack:T1"]) == 0
    assert f"{OWN}  slack:T1  (removed " in capsys.readouterr().out
    db = Database.from_url(fresh_url)
    with db.transaction() as s:
        actions = [
            (e.action, e.detail["form_id"]) for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
    db.dispose()
    assert actions == [("form.loaded", "pupil-passport"), ("form.loaded", OWN), ("form.removed", OWN)]
