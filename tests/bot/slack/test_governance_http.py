"""Information governance on Slack over signed HTTP: `input <n>`, `inputs`, `share input`, `audit` and the
private `pupil details` modal, as the key worker, the author, another member and an outsider see them."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select

from storage.crypto import DataCipher, new_key
from storage.engine import Database
from storage.models import AuditEvent
from storage.repo import pupils
from tests.bot.console.test_forms import EP
from tests.bot.console.test_pupil_details import DETAILS, MARKERS, NAME, UPN, stored_details
from tests.bot.slack.test_forms_http import ep_requested, open_form, submit
from tests.fakes.slack_driver import SlackDriver, buttons_in, press_payload

ANSWERS = ("Persistent, kind, strong visual reasoning.", "Daily phonics", "Two visits in September")
# As Slack sends it: `@channel` typed becomes <!channel>; a pasted link and a mention keep their markup.
REASON = "for the review <!channel> <https://evil.example/login|the school portal> <@U0TOM>"


def trail(db: Database, action: str) -> list[AuditEvent]:
    with db.transaction() as s:
        rows = s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    return [r for r in rows if r.action == action]


async def submitted(slack: SlackDriver) -> str:
    """Robin's case, Anna (EP) and Tom (class teacher) on the team, Anna's ep-advice submitted."""
    room, button = await ep_requested(slack)
    await slack.command("U0SAM", "invite <@U0TOM|tom> class-teacher", channel=room)
    view = await open_form(slack, "U0ANNA", button)
    assert view is not None
    assert await submit(slack, "U0ANNA", view, EP) == {"response_action": "clear"}
    return room


async def answer(slack: SlackDriver, user: str, words: str, *, channel: str = "C0GENERAL") -> dict[str, Any]:
    """Type `/tac <words>`; the one message that came back along the response_url."""
    before = len(slack.fake.responses)
    assert await slack.command(user, words, channel=channel) == 200
    [said] = slack.fake.responses[before:]
    return said


def seen(message: dict[str, Any]) -> str:
    """The text and blocks of one message, as the person reads it (JSON, so escapes show as sent)."""
    return f"{message.get('text', '')}\n{json.dumps(message.get('blocks', []), ensure_ascii=False)}"


def leaks(slack: SlackDriver, *needles: str) -> list[str]:
    """Every needle found in anything the bot sent Slack: Web API calls (failed ones too) and responses."""
    sent = json.dumps([c.args for c in slack.fake.attempts]) + json.dumps(slack.fake.responses)
    return [n for n in needles if n in sent]


def same_refusal(a: dict[str, Any], b: dict[str, Any], refs: tuple[str, str]) -> bool:
    return seen(a).replace(refs[0], "X") == seen(b).replace(refs[1], "X")


async def test_the_notice_names_no_answer_and_only_share_input_posts_them(
    slack: SlackDriver, db: Database
) -> None:
    room = await submitted(slack)
    notice = slack.fake.posts_to(room)[-1]
    assert "Educational psychology advice" in seen(notice) and "<@U0ANNA>" in seen(notice)
    assert "share input 1" in seen(notice)
    assert leaks(slack, *ANSWERS) == []  # not in the room, not in any DM, not in any response
    # Only the key worker shares; a member is refused and an outsider learns nothing.
    posts = len(slack.fake.posts_to(room))
    assert "Only the key worker" in seen(await answer(slack, "U0TOM", "share input 1", channel=room))
    known = await answer(slack, "U0PRIYA", "share input 1 case TAC-0001")
    unknown = await answer(slack, "U0PRIYA", "share input 1 case TAC-0009")
    assert "can't find TAC-0001" in seen(known) and same_refusal(known, unknown, ("TAC-0001", "TAC-0009"))
    assert len(slack.fake.posts_to(room)) == posts and trail(db, "input.shared") == []
    assert leaks(slack, *ANSWERS) == []
    # The key worker shares, with a reason that tries to ping the channel and fake a link.
    said = await answer(slack, "U0SAM", f'share input 1 reason "{REASON}"', channel=room)
    assert said["response_type"] == "ephemeral"
    assert "Shared input 1 (Educational psychology advice, version 1) with the room." in seen(said)
    [post] = slack.fake.posts_to(room)[posts:]
    body = seen(post)
    assert all(a in body for a in ANSWERS)
    assert "Shared with the team by the key worker: for the review" in body
    # What people typed (the reason, an answer with <!channel>) is shown as typed, never as markup.
    for markup in ("<!channel>", "<https://evil.example", "<@U0TOM>"):
        assert markup not in body, markup
    assert "&lt;!channel&gt;" in body and "&lt;https://evil.example/login|the school portal&gt;" in body
    [row] = trail(db, "input.shared")
    assert row.detail is not None and row.detail["why"] == REASON and row.detail["version"] == 1
    again = await answer(slack, "U0SAM", "share input 1", channel=room)
    assert "already shared" in seen(again) and len(trail(db, "input.shared")) == 1
    assert len(slack.fake.posts_to(room)) == posts + 1


async def test_input_and_inputs_for_the_key_worker_the_author_a_member_and_an_outsider(
    slack: SlackDriver, db: Database
) -> None:
    room = await submitted(slack)
    posts = len(slack.fake.posts_to(room))
    # The key worker reads it, privately; their reads of their own case are not audited.
    mine = await answer(slack, "U0SAM", "input 1", channel=room)
    assert mine["response_type"] == "ephemeral" and all(a in seen(mine) for a in ANSWERS)
    assert "&lt;!channel&gt;" in seen(mine) and "<!channel>" not in seen(mine)
    listed = await answer(slack, "U0SAM", "inputs", channel=room)
    assert listed["response_type"] == "ephemeral"
    assert "Educational psychology advice" in seen(listed) and "<@U0ANNA>" in seen(listed)
    assert "Persistent" not in seen(listed)
    assert trail(db, "case.read") == []
    # The author reads her own input from her DM with the bot: shown, and audited.
    hers = await answer(slack, "U0ANNA", "input 1 case TAC-0001", channel="DU0ANNA")
    assert hers["response_type"] == "ephemeral" and all(a in seen(hers) for a in ANSWERS)
    [read] = trail(db, "case.read")
    assert read.detail == {"what": "input", "number": 1}
    # Another member may not; an outsider gets what a case that does not exist gets.
    for words in ("input 1", "inputs"):
        refused = await answer(slack, "U0TOM", words, channel=room)
        assert "Only the key worker" in seen(refused) and "Persistent" not in seen(refused)
        known = await answer(slack, "U0PRIYA", f"{words} case TAC-0001")
        unknown = await answer(slack, "U0PRIYA", f"{words} case TAC-0009")
        assert "can't find TAC-0001" in seen(known) and "Robin" not in seen(known)
        assert same_refusal(known, unknown, ("TAC-0001", "TAC-0009"))
    assert len(trail(db, "case.read")) == 1
    # Nothing was said in the room: every read came back to the reader alone.
    assert len(slack.fake.posts_to(room)) == posts
    assert not any(a in slack.fake.texts(slack.fake.called("chat.postMessage")) for a in ANSWERS)


async def test_reads_are_audited_and_audit_shows_them_to_the_key_worker_only(
    slack: SlackDriver, db: Database
) -> None:
    room = await submitted(slack)
    await answer(slack, "U0ANNA", "input 1 case TAC-0001", channel="DU0ANNA")
    await answer(slack, "U0TOM", "status", channel=room)
    await answer(slack, "U0SAM", f'share input 1 reason "{REASON}"', channel=room)
    assert [r.detail["what"] for r in trail(db, "case.read") if r.detail] == ["input", "status"]
    page = await answer(slack, "U0SAM", "audit", channel=room)
    body = seen(page)
    assert page["response_type"] == "ephemeral"
    assert "Audit trail of TAC-0001: page 1 of 1, newest first" in body
    assert "case.read · what: input · number: 1" in body and "case.read · what: status" in body
    assert "input.shared" in body and "why: for the review &lt;!channel&gt;" in body
    assert "<!channel>" not in body and "<https://evil.example" not in body
    assert body.index("input.shared") < body.index("case.read · what: status") < body.index("case.opened")
    assert "<@U0ANNA>" in body and "<@U0TOM>" in body  # who read, as Slack mentions
    assert "no page 4" in seen(await answer(slack, "U0SAM", "audit page 4", channel=room))
    refused = await answer(slack, "U0TOM", "audit", channel=room)
    assert "Only the key worker of TAC-0001, a SENCO or the DSL" in seen(refused)
    known = await answer(slack, "U0PRIYA", "audit case TAC-0001")
    unknown = await answer(slack, "U0PRIYA", "audit case TAC-0009")
    assert "can't find TAC-0001" in seen(known) and same_refusal(known, unknown, ("TAC-0001", "TAC-0009"))
    assert trail(db, "audit.read") == []  # the key worker's own reading is not audited
    assert "audit" not in slack.fake.texts(slack.fake.posts_to(room))


async def _details_button(slack: SlackDriver, room: str) -> tuple[dict[str, Any], dict[str, Any]]:
    said = await answer(slack, "U0SAM", "pupil details", channel=room)
    assert said["response_type"] == "ephemeral"
    [button] = [b for b in buttons_in([said]) if json.loads(b["value"])["a"] == "form.open"]
    return said, button


async def _press(
    slack: SlackDriver, user: str, button: dict[str, Any], channel: str
) -> dict[str, Any] | None:
    before = len(slack.fake.called("views.open"))
    payload = press_payload(user, button, channel=channel, response_url=slack.fake.response_url())
    status, _ = await slack.interactive(payload)
    assert status == 200
    opened = slack.fake.called("views.open")[before:]
    return opened[0]["view"] if opened else None


def _inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


async def test_pupil_details_typed_in_the_modal_are_stored_encrypted_and_never_sent_back(
    slack: SlackDriver, db: Database
) -> None:
    room = await submitted(slack)
    refused = await answer(slack, "U0SAM", "pupil details", channel=room)
    assert "Pupil details are off" in seen(refused)
    slack.core.cipher = DataCipher(new_key())
    assert "Only the key worker" in seen(await answer(slack, "U0TOM", "pupil details", channel=room))
    known = await answer(slack, "U0PRIYA", "pupil details case TAC-0001")
    unknown = await answer(slack, "U0PRIYA", "pupil details case TAC-0009")
    assert same_refusal(known, unknown, ("TAC-0001", "TAC-0009")) and not buttons_in([known])
    said, button = await _details_button(slack, room)
    assert "only in a subject access export" in seen(said)
    # The button opens nothing for anyone else, even with the key worker's button in hand.
    assert await _press(slack, "U0TOM", button, room) is None
    assert await _press(slack, "U0PRIYA", button, "DU0PRIYA") is None
    view = await _press(slack, "U0SAM", button, room)
    assert view is not None and set(_inputs(view)) == {"full_name", "date_of_birth", "upn"}
    assert not any("initial_value" in e or "initial_date" in e for e in _inputs(view).values())
    assert [b for b in view["blocks"] if b["type"] == "actions"] == []  # no Save draft
    # A bad UPN comes back under its field, in the ack, without what was typed.
    ack = await submit(slack, "U0SAM", view, {**DETAILS, "upn": "12345"})
    assert ack["response_action"] == "errors" and set(ack["errors"]) == {"upn"}
    assert not any(m in json.dumps(ack) for m in (*MARKERS, "12345"))
    assert await submit(slack, "U0SAM", view, DETAILS) == {"response_action": "clear"}
    await slack.background.drain()
    thanks = slack.fake.texts(slack.fake.posts_to("DU0SAM")[-1:])
    assert "Pupil details for TAC-0001 (Robin) is submitted" in thanks
    # Stored encrypted: the raw row holds no detail; the key reads them back.
    details, dump = stored_details(db, slack.core.cipher)
    assert details == pupils.Details(NAME, date(2017, 3, 4), UPN)
    assert not any(m in dump for m in MARKERS)
    assert [e.action for e in trail(db, "pupil.details_recorded")] == ["pupil.details_recorded"]
    # Opening it again says they are stored, and shows nothing back.
    again_said, again_button = await _details_button(slack, room)
    assert "submitting replaces them" in seen(again_said)
    again = await _press(slack, "U0SAM", again_button, room)
    assert again is not None
    assert not any("initial_value" in e or "initial_date" in e for e in _inputs(again).values())
    # Nothing the bot sent Slack, ever, carries them: not the room, a DM, a response, a modal, the audit.
    await answer(slack, "U0SAM", "audit", channel=room)
    await answer(slack, "U0SAM", "status", channel=room)
    await answer(slack, "U0SAM", "inputs", channel=room)
    assert "pupil details" not in seen(slack.fake.responses[-1]).lower()  # the private form is not listed
    assert "pupil.details_recorded" in seen(slack.fake.responses[-3])
    assert leaks(slack, *MARKERS) == []
