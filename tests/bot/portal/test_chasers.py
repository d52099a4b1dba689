"""Chaser answers on the portal: a GET only asks; the POST answers exactly as the chat's buttons."""

from __future__ import annotations

from storage.models import Action, AuditEvent, InputRequest, ReviewAnswer
from tests.bot.portal.conftest import World
from tests.bot.portal.helpers import csrf, strict, words


async def _ask(world: World, kind: str, subject: int, choice: str) -> tuple[str, dict[str, str], str]:
    path = world.path(f"/chaser/{kind}/{subject}/{choice}")
    response = await world.client.get(path)
    assert response.status == 200
    strict(response)
    page = await response.text()
    return path, csrf(page), words(page)


async def test_done_asks_on_get_and_closes_the_action_on_post(world: World) -> None:
    path, fields, text = await _ask(world, "action", world.action_id, "done")
    assert "Action 1" in text and "Observe Robin in class" in text and "Yes, it is done" in text
    for _ in range(3):  # an e-mail scanner fetching the link changes nothing
        await world.client.get(path)
    [action] = world.rows(Action)
    assert action.status == "open"
    assert (await world.client.post(path, data={})).status == 403
    response = await world.client.post(path, data=fields)
    assert response.status == 200
    assert "Thanks: Action 1 on TAC-0001 is done. No more reminders about it." in words(await response.text())
    [action] = world.rows(Action)
    assert action.status == "done"
    assert any(e.action == "action.done" and e.detail.get("via") == "chaser" for e in world.rows(AuditEvent))
    again = await world.client.post(path, data=fields)
    assert "already done" in words(await again.text())
    assert "Action 1" not in words(await (await world.client.get(world.path())).text())


async def test_need_more_time_moves_the_date_and_a_bad_date_is_refused_at_the_field(world: World) -> None:
    path, fields, text = await _ask(world, "action", world.action_id, "later")
    assert "The new due date" in text
    response = await world.client.post(path, data={**fields, "date": "2026-01-05"})
    assert response.status == 400
    page = await response.text()
    assert "is in the past" in words(page) and 'id="f-date-error"' in page and 'value="2026-01-05"' in page
    response = await world.client.post(path, data={**csrf(page), "date": "not a date"})
    assert response.status == 400
    [action] = world.rows(Action)
    assert str(action.due) == "2026-10-01"
    response = await world.client.post(path, data={**fields, "date": "2026-10-09"})
    assert response.status == 200
    assert "Action 1 on TAC-0001 is now due Fri 09 Oct 2026" in words(await response.text())
    [action] = world.rows(Action)
    assert str(action.due) == "2026-10-09"


async def test_blocked_needs_a_reason_and_tells_the_key_worker(world: World) -> None:
    path, fields, _ = await _ask(world, "action", world.action_id, "blocked")
    response = await world.client.post(path, data={**fields, "reason": "   "})
    assert response.status == 400
    assert "Say what is blocking it." in words(await response.text())
    response = await world.client.post(path, data={**fields, "reason": "x" * 501})
    assert response.status == 400
    assert "Keep this to 500 characters" in words(await response.text())
    before = len(world.bot.sent_to(user="sam"))
    response = await world.client.post(
        path, data={**fields, "reason": "Waiting for the parents' consent form"}
    )
    assert response.status == 200
    assert "told the key worker that Action 1 on TAC-0001 is blocked" in words(await response.text())
    [note] = world.bot.sent_to(user="sam")[before:]
    assert "Blocked: TAC-0001 (Robin)" in note.text and "Waiting for the parents" in note.text
    assert any(e.action == "action.blocked" for e in world.rows(AuditEvent))


async def test_done_on_a_form_says_to_submit_it_and_links_to_it(world: World) -> None:
    path, fields, text = await _ask(world, "input_request", world.request_id, "done")
    assert "A form is done when it is submitted" in text
    response = await world.client.post(path, data=fields)
    page = await response.text()
    assert "is done when the form is submitted" in words(page)
    assert f"/form/{world.request_id}" in page
    [request] = world.rows(InputRequest)
    assert request.state == "open"
    path, fields, _ = await _ask(world, "input_request", world.request_id, "later")
    response = await world.client.post(path, data={**fields, "date": "2026-11-02"})
    assert "now due Mon 02 Nov 2026" in words(await response.text())


async def test_the_date_poll_is_answered_from_the_page(world: World) -> None:
    reply = await world.bot.exec(
        "sam", "/tac review poll 2026-10-05 15:30, 2026-10-06 15:30 confirm", room=world.room
    )
    assert "Asked" in reply, reply
    page = await (await world.client.get(world.path())).text()
    assert "Which of these can you make?" in words(page)
    action = page.split('<form method="post" action="')[1].split('"')[0]
    response = await world.client.post(
        f"/portal/{action}", data={**csrf(page), "slot-1": "can", "slot-2": "maybe", "slot-9": "can"}
    )
    assert response.status == 200
    assert "Noted: you can make slot 1." in words(await response.text())
    assert sorted(a.answer for a in world.rows(ReviewAnswer)) == ["can", "maybe"]
    page = await (await world.client.get(world.path())).text()
    assert 'value="can" checked' in page and 'value="maybe" checked' in page
