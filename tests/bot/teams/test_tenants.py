"""Issue 16, Teams across tenants: each tenant on the allow-list (`TACBOT_TEAMS_TENANTS`) is a school of
its own, over HTTP with the fake Bot Connector: its own SENCO, its own TAC-0001, nothing of the other's."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from handlers.clock import ManualClock
from storage.engine import Database
from storage.models import Case, School
from storage.repo import people
from tests.bot.teams.conftest import TeamsHarness, start_harness, stop_harness
from tests.bot.teams.fakes import PEOPLE, message
from tests.bot.teams.fixtures import TENANT

OTHER = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"  # a second school's Microsoft 365 tenant
STRANGER = "99999999-8888-4777-8666-555555555555"  # a tenant not on the allow-list


async def say_in(h: TeamsHarness, tenant: str, who: str, text: str) -> str | None:
    """A 1:1 message to the bot from ``who`` of ``tenant``; the reply's text (None: no reply at all)."""
    activity: dict[str, Any] = message(who, text, service_url=h.connector.url, n=h.ids)
    activity["conversation"]["tenantId"] = tenant
    activity["channelData"] = {**activity.get("channelData", {}), "tenant": {"id": tenant}}
    activity["from"]["tenantId"] = tenant
    assert await h.post(activity) in (200, 201)
    replies = [s for s in h.connector.sent if s.reply_to == activity["id"]]
    return replies[-1].text if replies else None


async def test_each_allowed_tenant_is_a_school_with_its_own_cases(db: Database, clock: ManualClock) -> None:
    h = await start_harness(db, clock, graph=False, TACBOT_TEAMS_TENANTS=f"{TENANT},{OTHER.upper()}")
    try:
        # Tom is the SENCO of the second school only (the harness names Sam a SENCO of every school).
        with db.transaction() as s:
            other = people.get_or_create_school(s, platform="teams", external_id=OTHER, now=clock.now())
            tom = people.get_or_create_person(
                s, platform="teams", external_id=PEOPLE["tom"].id, display_name="", now=clock.now()
            )
            people.add_senco(s, person=tom, school_id=other.id, added_by="tests", now=clock.now())
        first = await say_in(h, TENANT, "sam", "open Robin year 4")
        second = await say_in(h, OTHER, "tom", "open Kit year 2")
        assert first and "TAC-0001" in first, first
        assert second and "TAC-0001" in second, second  # each tenant numbers its own cases
        assert "Only a SENCO" in (
            await say_in(h, TENANT, "tom", "open Ash") or ""
        )  # Tom: not in Sam's school
        sams = await say_in(h, TENANT, "sam", "cases") or ""
        toms = await say_in(h, OTHER, "tom", "cases") or ""
        assert "Robin" in sams and "Kit" not in sams, sams
        assert "Kit" in toms and "Robin" not in toms, toms
        theirs = await say_in(h, OTHER, "tom", "status case TAC-0002")
        assert theirs == (await say_in(h, OTHER, "tom", "status case TAC-0099") or "").replace("0099", "0002")
        sent = len(h.connector.sent)
        assert await say_in(h, STRANGER, "sam", "open Sky") is None  # not on the allow-list: ignored
        assert len(h.connector.sent) == sent
        with db.transaction() as s:
            schools = {
                school.external_id: sorted(
                    c.alias for c in s.scalars(select(Case).where(Case.school_id == school.id))
                )
                for school in s.scalars(select(School).where(School.platform == "teams"))
            }
        assert schools == {TENANT: ["Robin"], OTHER: ["Kit"]}, schools
    finally:
        await stop_harness(h)


async def test_case_rooms_stay_in_the_tenant_of_the_rooms_team(db: Database, clock: ManualClock) -> None:
    """Case rooms are private channels of one team, in `MICROSOFT_APP_TENANT_ID`: another tenant's case
    is opened without a room rather than with a channel in another school's team."""
    h = await start_harness(
        db, clock, graph=True, TACBOT_TEAMS_TENANTS=f"{TENANT},{OTHER}", MICROSOFT_APP_TENANT_ID=TENANT
    )
    try:
        assert h.graph is not None
        assert "TAC-0001" in (await say_in(h, TENANT, "sam", "open Robin year 4") or "")
        assert len(h.graph.channels) == 1
        other = await say_in(h, OTHER, "sam", "open Kit year 2") or ""
        assert "TAC-0001" in other and "another school's tenant" in other, other
        assert len(h.graph.channels) == 1  # nothing made in the first school's team
    finally:
        await stop_harness(h)
