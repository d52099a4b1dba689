"""Information governance on Teams over /api/messages: `input <n>`, `inputs`, `share input`, `audit` and the
private `pupil details` card, as the key worker, the author, another member and an outsider see them.

A reply typed in a case channel is seen by everyone in it, so what only the asker may read (an input's
answers before they are shared, the list of inputs, the audit trail, the pupil details form) comes by 1:1
chat, and the channel gets nothing of it."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from storage.crypto import DataCipher, new_key
from storage.models import AuditEvent
from storage.repo import pupils
from tests.bot.console.test_pupil_details import DETAILS, MARKERS, NAME, UPN, stored_details
from tests.bot.teams.conftest import TeamsHarness
from tests.bot.teams.fakes import PEOPLE, Sent, message
from tests.bot.teams.test_form_turn import EP, _buttons, _card, _open, _press, _requested
from tests.bot.teams.test_forms import _as_teams_sends, _inputs
from tests.formsamples import sample_answers

pytestmark = pytest.mark.asyncio

PORTAL = "[the school portal](https://evil.example/login)"
ANSWERS: dict[str, Any] = {
    **sample_answers(EP),
    "strengths": "Persistent, kind, strong visual reasoning.",
    "provision": f"Daily phonics, see {PORTAL} <at>Tom Teacher</at> **now**",
}
SEEN = ("Persistent, kind, strong visual reasoning.", "Daily phonics")
REASON = f"for the review {PORTAL} <at>Tom Teacher</at>"


def trail(teams: TeamsHarness, action: str) -> list[AuditEvent]:
    with teams.core.db.transaction() as s:
        rows = s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    return [r for r in rows if r.action == action]


def in_room(teams: TeamsHarness, room: str) -> list[Sent]:
    """Everything the channel shows: posts, and replies in its threads."""
    return [s for s in teams.connector.sent if s.conversation.startswith(room)]


def raw(sent: list[Sent]) -> str:
    return json.dumps([s.activity for s in sent], ensure_ascii=False)


def mentioned(sent: Sent) -> list[str]:
    """Whom a card @mentions for real (its ``msteams.entities``)."""
    content = (sent.activity.get("attachments") or [{}])[0].get("content") or {}
    return [e["mentioned"]["name"] for e in (content.get("msteams") or {}).get("entities", [])]


async def submitted(teams: TeamsHarness) -> str:
    """Robin's case; Anna (EP) and Tom (class teacher) on the team; Anna's ep-advice submitted."""
    room, dm = await _requested(teams)
    await teams.say("sam", "invite @tom class-teacher", room=room)
    shown = await _open(teams, dm)
    posted = await _press(teams, "anna", _as_teams_sends(_card(shown), ANSWERS), on=shown)
    assert any("is submitted" in s.text for s in posted)
    return room


async def privately(teams: TeamsHarness, who: str, words: str, room: str) -> Sent:
    """Type ``words`` in the case channel; the answer must come by 1:1 chat, none in the channel."""
    before, seen_before = len(teams.connector.sent), len(in_room(teams, room))
    typed = message(who, words, service_url=teams.connector.url, room=room, n=teams.ids)
    assert await teams.post(typed) in (200, 201)
    assert len(in_room(teams, room)) == seen_before, f"{words!r} was answered in the channel"
    [answer] = teams.connector.sent[before:]
    assert answer.conversation.startswith("a:1") and who in answer.conversation, answer.conversation
    return answer


def same(a: str, b: str, refs: tuple[str, str] = ("TAC-0001", "TAC-0009")) -> bool:
    return a.replace(refs[0], "X") == b.replace(refs[1], "X")


async def test_the_notice_names_no_answer_and_only_share_input_posts_them(teams: TeamsHarness) -> None:
    room = await submitted(teams)
    notice = teams.room_posts(room)[-1]
    assert "Educational psychology advice from <at>Anna Evans</at>" in notice.text
    assert "share input 1" in notice.text
    assert not any(a in raw(teams.connector.sent) for a in SEEN)  # nowhere yet: room, chats, cards
    assert "Only the key worker" in await teams.say("tom", "share input 1", room=room)
    known = await teams.say("dan", "share input 1 case TAC-0001")
    unknown = await teams.say("dan", "share input 1 case TAC-0009")
    assert "can't find TAC-0001" in known and same(known, unknown)
    assert trail(teams, "input.shared") == []
    assert not any(a in raw(in_room(teams, room)) for a in SEEN)
    posts = len(in_room(teams, room))
    said = await teams.say("sam", f'share input 1 reason "{REASON}"', room=room)
    assert said == "Shared input 1 (Educational psychology advice, version 1) with the room."
    assert len(in_room(teams, room)) == posts + 2  # the post, and the reply to Sam in its thread
    post = teams.room_posts(room)[-1]
    assert all(a in post.text for a in SEEN) and "Shared with the team by the key worker" in post.text
    # What people typed is shown as typed: no link, no mention, no bold made of it.
    for markup in ("](https://evil.example", "<at>Tom Teacher</at>", "**now**"):
        assert markup not in raw([post]), markup
    assert mentioned(post) == ["Anna Evans"]  # the author, as the bot names her; nobody typed in
    [row] = trail(teams, "input.shared")
    assert row.detail is not None and row.detail["version"] == 1 and PORTAL in row.detail["why"]
    assert "already shared" in await teams.say("sam", "share input 1", room=room)
    assert len(trail(teams, "input.shared")) == 1


async def test_input_and_inputs_for_the_key_worker_the_author_a_member_and_an_outsider(
    teams: TeamsHarness,
) -> None:
    room = await submitted(teams)
    # The key worker, in the channel: the answers come to them alone; not audited (their own case).
    mine = await privately(teams, "sam", "input 1", room)
    assert all(a in mine.text for a in SEEN) and "](https://evil.example" not in raw([mine])
    listed = await privately(teams, "sam", "inputs", room)
    assert "Educational psychology advice" in listed.text and "Persistent" not in listed.text
    in_chat = await teams.say("sam", "input 1 case TAC-0001")  # typed in the 1:1 chat, answered there
    assert all(a in in_chat for a in SEEN)
    assert trail(teams, "case.read") == []
    # The author reads her own, in her 1:1 chat: audited.
    hers = await teams.say("anna", "input 1 case TAC-0001")
    assert all(a in hers for a in SEEN)
    [read] = trail(teams, "case.read")
    assert read.detail == {"what": "input", "number": 1}
    # Another member may not; an outsider gets what a case that does not exist gets.
    for words in ("input 1", "inputs"):
        refused = await teams.say("tom", words, room=room)
        assert "Only the key worker" in refused and "Persistent" not in refused
        known = await teams.say("dan", f"{words} case TAC-0001")
        assert "can't find TAC-0001" in known and "Robin" not in known
        assert same(known, await teams.say("dan", f"{words} case TAC-0009"))
    assert len(trail(teams, "case.read")) == 1
    assert not any(a in raw(in_room(teams, room)) for a in SEEN)  # the channel never saw an answer


async def test_reads_are_audited_and_audit_shows_them_to_the_key_worker_alone(teams: TeamsHarness) -> None:
    room = await submitted(teams)
    await teams.say("anna", "input 1 case TAC-0001")
    await teams.say("tom", "status", room=room)
    await teams.say("sam", f'share input 1 reason "{REASON}"', room=room)
    assert [r.detail["what"] for r in trail(teams, "case.read") if r.detail] == ["input", "status"]
    page = await privately(teams, "sam", "audit", room)
    assert "Audit trail of TAC-0001: page 1 of 1, newest first" in page.text
    assert "case.read · what: input · number: 1" in page.text and "case.read · what: status" in page.text
    assert "input.shared" in page.text and "why: for the review" in page.text
    assert "](https://evil.example" not in raw([page]) and "Tom Teacher" in mentioned(page)
    assert page.text.index("input.shared") < page.text.index("what: status") < page.text.index("case.opened")
    assert "no page 4" in await teams.say("sam", "audit page 4 case TAC-0001")
    assert "Only the key worker of TAC-0001, a SENCO or the DSL" in await teams.say("tom", "audit", room=room)
    known = await teams.say("dan", "audit case TAC-0001")
    assert "can't find TAC-0001" in known and same(known, await teams.say("dan", "audit case TAC-0009"))
    assert trail(teams, "audit.read") == []
    assert "Audit trail" not in raw(in_room(teams, room))


async def test_pupil_details_typed_in_the_card_are_stored_encrypted_and_never_sent_back(
    teams: TeamsHarness,
) -> None:
    room = await submitted(teams)
    assert "Pupil details are off" in await teams.say("sam", "pupil details", room=room)
    teams.core.cipher = DataCipher(new_key())
    assert "Only the key worker" in await teams.say("tom", "pupil details", room=room)
    known = await teams.say("dan", "pupil details case TAC-0001")
    assert same(known, await teams.say("dan", "pupil details case TAC-0009"))
    # Typed in the channel, the form comes by 1:1 chat: nothing of it in the channel.
    offer = await privately(teams, "sam", "pupil details", room)
    assert "only in a subject access export" in offer.text
    opened = _buttons(offer)["Open form"]
    for who in ("tom", "dan"):  # the key worker's button in someone else's hands opens nothing
        [refusal] = await _press(teams, who, opened, on=None)
        assert "Input." not in str(_card(refusal))
    [shown] = await _press(teams, "sam", opened, on=offer)
    form = _card(shown)
    assert set(_inputs(form)) == {"full_name", "date_of_birth", "upn"}
    assert not any("value" in i for i in _inputs(form).values())
    assert [a["title"] for a in form["actions"]] == ["Submit"]
    # A bad UPN comes back on the card, under its field, with nothing of what was typed.
    [again] = await _press(teams, "sam", _as_teams_sends(form, {**DETAILS, "upn": "12345"}), on=shown)
    assert again.updated and "A UPN is 13 characters" in again.text
    assert not any("value" in i for i in _inputs(_card(again)).values())
    posted = await _press(teams, "sam", _as_teams_sends(_card(again), DETAILS), on=again)
    assert any(s.updated and "Pupil details for TAC-0001 (Robin) is submitted" in s.text for s in posted)
    assert "Input." not in raw([s for s in posted if s.updated])  # the form is replaced: nothing to press
    # Stored encrypted: the raw row holds no detail; the key reads them back.
    details, dump = stored_details(teams.core.db, teams.core.cipher)
    assert not any(m in dump for m in MARKERS)
    assert details == pupils.Details(NAME, date(2017, 3, 4), UPN)
    assert len(trail(teams, "pupil.details_recorded")) == 1
    # Asked again: stored already; the card shows nothing back.
    offer = await privately(teams, "sam", "pupil details", room)
    assert "submitting replaces them" in offer.text
    [reopened] = await _press(teams, "sam", _buttons(offer)["Open form"], on=offer)
    assert not any("value" in i for i in _inputs(_card(reopened)).values())
    for words in ("audit", "status", "inputs", "input 1", "team"):
        await teams.say("sam", f"{words} case TAC-0001")
    # Nothing the bot sent Teams, ever, carries them: no card, chat, channel post or invoke answer.
    sent = raw(teams.connector.sent) + json.dumps(teams.connector.created, ensure_ascii=False)
    shown = "\n".join(s.text for s in teams.connector.sent)
    assert "pupil.details_recorded" in shown and PEOPLE["anna"].name in sent  # the scan reads the cards
    assert [m for m in MARKERS if m in sent or m in shown] == []
