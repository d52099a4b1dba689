"""A school's own form on the portal: listed on the person's page, opened and submitted like the chat's."""

from __future__ import annotations

from sqlalchemy import select

from handlers.forms.schools import load_own
from storage.models import FormSubmission, InputRequest
from storage.repo import people
from tests.bot.portal.conftest import EXTERNAL, World
from tests.bot.portal.helpers import csrf, words
from tests.handlers.forms.test_library import GOOD


async def test_a_schools_own_form_opens_and_is_submitted_on_the_portal(world: World) -> None:
    with world.core.db.transaction() as s:
        school = people.find_school(s, platform="console", external_id="console")
        assert school is not None
        load_own(
            s,
            world.core.forms,
            school_id=school.id,
            files=[("reading-recovery.yaml", GOOD)],
            by="tests",
            now=world.core.clock.now(),
        )
    asked = await world.bot.exec(
        "sam", f'/tac request reading-recovery from "{EXTERNAL}" due 2026-10-15', room=world.room
    )
    assert "Asked" in asked, asked
    with world.core.db.transaction() as s:
        request_id = s.scalars(
            select(InputRequest.id).where(InputRequest.form_id == "reading-recovery")
        ).one()
    assert "Reading recovery notes" in words(await (await world.client.get(world.path())).text())
    path = world.path(f"/form/{request_id}")
    page = await (await world.client.get(path)).text()
    assert 'name="book_level"' in page and 'name="notes"' in page
    sent = {"book_level": "red", "notes": "Reads a page aloud.", **csrf(page), "intent": "submit"}
    response = await world.client.post(path, data=sent)
    assert response.status == 200, words(await response.text())
    assert "Reading recovery notes for TAC-0001 (Robin) is submitted" in words(await response.text())
    assert [sub.request_id for sub in world.rows(FormSubmission)] == [request_id]
