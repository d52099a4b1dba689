"""The portal over HTTP against serve's own app: the page, the links that open nothing, the headers, the
rate limit and the body cap."""

from __future__ import annotations

from datetime import timedelta

from handlers.clock import ManualClock
from storage.models import AuditEvent
from tests.bot.portal.conftest import World, add_external
from tests.bot.portal.helpers import csrf, strict, words


async def test_the_link_opens_what_is_asked_of_this_person_and_the_read_is_audited(world: World) -> None:
    response = await world.client.get(world.path())
    assert response.status == 200
    strict(response)
    page = await response.text()
    assert '<html lang="en">' in page
    text = words(page)
    assert "TAC-0001 (Robin)" in text and "Hello Dr Ann Vale" in text
    assert "Educational psychology advice" in text and "Due Thursday 15 October 2026" in text
    assert "Action 1: Observe Robin in class" in text and "Due Thursday 01 October 2026" in text
    assert "No review meeting is planned yet" in text
    for elsewhere in ("@anna", "@tom", "Jo Taylor", "year 4"):  # nothing of the room or the team
        assert elsewhere not in text
    reads = [e for e in world.rows(AuditEvent) if e.action == "portal.read"]
    assert [(e.actor_id, e.case_id, e.detail["what"]) for e in reads] == [
        (world.person_id, world.case_id, "page")
    ]


async def test_the_stylesheet_is_served_with_the_same_headers(world: World) -> None:
    response = await world.client.get("/portal/static/portal.css")
    assert response.status == 200 and response.content_type == "text/css"
    strict(response)


async def test_a_tampered_link_is_refused_with_403_naming_no_case(world: World) -> None:
    path = world.path()
    token = path.removeprefix("/portal/")
    for bad in (
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "nonsense",
        token.replace(".", "x", 1),
    ):
        response = await world.client.get(f"/portal/{bad}")
        assert response.status == 403
        strict(response)
        text = words(await response.text())
        assert "This link does not work" in text and "TAC-" not in text and "Robin" not in text
    response = await world.client.get(f"/portal/{token}extra/form/1")
    assert response.status == 403


async def test_an_expired_link_answers_410(world: World, clock: ManualClock) -> None:
    path = world.path()
    clock.advance(timedelta(days=30, minutes=1))
    response = await world.client.get(path)
    assert response.status == 410
    text = words(await response.text())
    assert "no longer opens anything" in text and "TAC-" not in text and "Robin" not in text
    assert (await world.client.get(world.path())).status == 200  # a fresh link does


async def _revoked(world: World, path: str) -> None:
    for where in (path, path + f"/form/{world.request_id}", path + f"/chaser/action/{world.action_id}/done"):
        response = await world.client.get(where)
        assert response.status == 410, where
        text = words(await response.text())
        assert "TAC-" not in text and "Robin" not in text and "Observe" not in text


async def test_a_removed_member_s_link_opens_nothing(world: World) -> None:
    path = world.path()
    assert "Removed" in await world.bot.exec("sam", '/tac remove "Dr Ann Vale"', room=world.room)
    await _revoked(world, path)


async def test_consent_withdrawn_closes_the_link(world: World) -> None:
    path = world.path()
    await world.bot.exec("sam", '/tac consent withdrawn by "Jo Taylor" scope all', room=world.room)
    await _revoked(world, path)


async def test_a_closed_case_closes_the_link(world: World) -> None:
    path = world.path()
    assert "closed" in (await world.bot.exec("sam", "/tac close confirm", room=world.room)).lower()
    await _revoked(world, path)


async def test_a_link_for_another_case_member_is_not_this_persons(world: World) -> None:
    """A genuine link opens only its own person's things: another member's request is not there."""
    await world.bot.exec("sam", "/tac request teacher-input from @tom", room=world.room)
    other = max(
        r.id for r in world.rows(__import__("storage.models", fromlist=["InputRequest"]).InputRequest)
    )
    response = await world.client.get(world.path(f"/form/{other}"))
    assert response.status == 404
    assert "TAC-" not in words(await response.text())
    parent = await add_external(
        world.bot, room=world.room, role="parent-carer", name="Jo Parent", email="jo@example.org"
    )
    response = await world.client.get(world.path(f"/form/{world.request_id}", person_id=parent))
    assert response.status == 404
    response = await world.client.get(world.path(f"/chaser/action/{world.action_id}/done", person_id=parent))
    assert response.status == 404


async def test_requests_from_one_address_are_rate_limited(world: World) -> None:
    path = world.path()
    statuses = [(await world.client.get(path)).status for _ in range(45)]
    assert statuses[:40] == [200] * 40 and set(statuses[40:]) == {429}
    response = await world.client.get(path)
    assert response.status == 429
    strict(response)
    assert "Too many requests" in words(await response.text())
    world.ticks.now += 3  # one token a second
    assert (await world.client.get(path)).status == 200


async def test_a_body_over_the_cap_or_not_a_form_is_refused_before_anything_runs(world: World) -> None:
    path = world.path(f"/form/{world.request_id}")
    fields = csrf(await (await world.client.get(path)).text())
    big = {**fields, "involvement": "x" * (300 * 1024)}
    response = await world.client.post(path, data=big)
    assert response.status == 413
    strict(response)
    response = await world.client.post(path, json=fields)
    assert response.status == 415


async def test_unknown_pages_and_methods_get_the_short_page_with_the_headers(world: World) -> None:
    response = await world.client.get(world.path("/nothing/here"))
    assert response.status == 404
    strict(response)
    response = await world.client.delete(world.path())
    assert response.status == 405
    strict(response)


async def test_the_next_meeting_and_for_a_parent_the_family_update_are_on_the_page(world: World) -> None:
    reply = await world.bot.exec(
        "sam", '/tac review on 2026-10-20 at 14:30 where "Meeting room 2" confirm', room=world.room
    )
    assert "Tue 20 Oct" in reply, reply
    text = words(await (await world.client.get(world.path())).text())
    assert "Tuesday 20 October 2026 at 14:30 , for 60 minutes, at Meeting room 2" in text
    assert "update for the family" not in text
    parent = await add_external(
        world.bot, room=world.room, role="parent-carer", name="Jo Parent", email="jo@example.org"
    )
    await world.bot.exec("sam", "/tac update family", room=world.room)
    assert "Sent" in await world.bot.exec("sam", "/tac update family send", room=world.room)
    text = words(await (await world.client.get(world.path(person_id=parent))).text())
    assert "The latest update for the family" in text and "Hello Jo Parent" in text
    assert "Forms asked of you" in text and "No forms are waiting for you" in text
