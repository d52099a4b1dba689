"""Forms on the portal: the chat's definitions and checks, drafts, versions, the room's notice, CSRF."""

from __future__ import annotations

from datetime import timedelta

from storage.models import AuditEvent, FormDraft, FormSubmission, InputRequest
from tests.bot.console.test_forms import EP
from tests.bot.portal.conftest import World
from tests.bot.portal.helpers import csrf, strict, words


async def _open(world: World) -> tuple[str, dict[str, str]]:
    path = world.path(f"/form/{world.request_id}")
    response = await world.client.get(path)
    assert response.status == 200
    strict(response)
    return path, csrf(await response.text())


async def test_the_form_is_the_chat_s_form_with_its_help_and_every_field_named_by_its_id(
    world: World,
) -> None:
    path = world.path(f"/form/{world.request_id}")
    page = await (await world.client.get(path)).text()
    form = world.core.forms["ep-advice"]
    for f in form.fields:
        assert f'name="{f.id}"' in page, f.id
        assert f'for="f-{f.id}"' in page or "<legend" in page
        if f.help:
            assert f'id="f-{f.id}-hint"' in page
    assert '<form method="post"' in page and "<script" not in page
    reads = [e.detail for e in world.rows(AuditEvent) if e.action == "portal.read"]
    assert reads == [{"what": "form", "number": 1}]


async def test_a_post_without_a_valid_csrf_token_changes_nothing(world: World) -> None:
    path, fields = await _open(world)
    for sent in ({}, {"nonce": fields["nonce"]}, {**fields, "csrf": "0" * 64}, {**fields, "nonce": "other"}):
        response = await world.client.post(path, data={**EP, **sent})
        assert response.status == 403
        strict(response)
        assert "could not be checked" in words(await response.text())
    assert world.rows(FormSubmission) == [] and world.rows(FormDraft) == []
    world.core.clock.advance(timedelta(seconds=1))  # type: ignore[attr-defined]
    other = world.path(f"/form/{world.request_id}")  # a token of another link does not fit this one
    assert other != path
    assert (await world.client.post(other, data={**EP, **fields})).status == 403


async def test_invalid_then_valid_then_again_makes_versions_and_tells_the_room(world: World) -> None:
    path, fields = await _open(world)
    typed = {**EP, "involvement": "", "primary_area": "not-an-area", "strengths": "Kind <b>and</b> brave"}
    response = await world.client.post(path, data={**typed, **fields, "intent": "submit"})
    assert response.status == 400
    page = await response.text()
    text = words(page)
    assert "There is a problem" in text
    assert 'href="#f-involvement"' in page and 'href="#f-primary_area"' in page
    assert "Please answer this question." in text and "Choose one of the options given." in text
    assert "Kind &lt;b&gt;and&lt;/b&gt; brave" in page  # what was typed, kept (and escaped)
    assert 'aria-invalid="true"' in page and "<title>Error: " in page
    assert world.rows(FormSubmission) == []
    before = len(world.bot.sent_to(room=world.room))

    response = await world.client.post(path, data={**EP, **csrf(page), "intent": "submit"})
    assert response.status == 200
    text = words(await response.text())
    assert "Thank you. Educational psychology advice for TAC-0001 (Robin) is submitted." in text
    [notice] = world.bot.sent_to(room=world.room)[before:]
    assert "Educational psychology advice from" in notice.text and "Dr Ann Vale" in notice.text
    assert "Two visits" not in notice.text  # the room hears of it, never its answers
    [request] = world.rows(InputRequest)
    assert request.state == "submitted"

    path, fields = await _open(world)
    page = await (await world.client.get(path)).text()
    assert "Two visits in September" in page and "version 1" in page  # the latest answers, to change
    changed = {**EP, "strengths": "Persistent and kind."}
    response = await world.client.post(path, data={**changed, **csrf(page), "intent": "submit"})
    assert response.status == 200
    assert "is submitted (version 2)" in words(await response.text())
    assert [s.version for s in world.rows(FormSubmission)] == [1, 2]
    assert "version 2" in world.bot.sent_to(room=world.room)[-1].text
    assert "Submitted (version 2)" in words(await (await world.client.get(world.path())).text())


async def test_an_over_long_answer_is_refused_next_to_its_field_and_kept(world: World) -> None:
    path, fields = await _open(world)
    long = "word " * 400  # 2000 characters where 1500 are allowed
    response = await world.client.post(path, data={**EP, "involvement": long, **fields})
    assert response.status == 400
    page = await response.text()
    assert "Keep this to 1500 characters at most (it has 1999)." in words(page)
    assert 'id="f-involvement-error"' in page and long.strip() in page
    assert world.rows(FormSubmission) == []


async def test_a_draft_is_saved_and_comes_back(world: World) -> None:
    path, fields = await _open(world)
    response = await world.client.post(
        path,
        data={"involvement": "One visit so far.", "primary_area": "nonsense", **fields, "intent": "draft"},
    )
    assert response.status == 200
    assert "Draft saved: Educational psychology advice." in words(await response.text())
    [draft] = world.rows(FormDraft)
    assert draft.answers == {"involvement": "One visit so far."}  # only valid answers are kept
    assert world.rows(FormSubmission) == []
    page = await (await world.client.get(path)).text()
    assert "One visit so far." in page
    assert "You have a saved draft" in words(await (await world.client.get(world.path())).text())


async def test_every_field_type_and_the_emoji_scales_render_from_the_same_definitions(world: World) -> None:
    await world.bot.exec("sam", '/tac request pupil-voice from "Dr Ann Vale"', room=world.room)
    request = max(r.id for r in world.rows(InputRequest))
    page = await (await world.client.get(world.path(f"/form/{request}"))).text()
    form = world.core.forms["pupil-voice"]
    for f in form.fields:
        for o in f.choices:
            assert f'name="{f.id}" value="{o.value}"' in page
            if o.emoji:
                assert o.emoji in page
    assert 'type="checkbox"' in page and 'type="radio"' in page
    scale = next(f for f in form.fields if f.type == "scale_1_5" and f.required)
    sent = {scale.id: "4"}
    response = await world.client.post(world.path(f"/form/{request}"), data={**sent, **csrf(page)})
    assert response.status in (200, 400)
    assert 'value="4" checked' in await response.text()
