"""Teams cards as Microsoft's renderer draws them: command hints it can show, plain fallbacks, forms
that Teams checks itself, refusals a teacher can act on, dates with their year when it is not this one."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.teams.cards import render_card
from bot.teams.forms import card
from handlers.chasing.messages import chaser, escalation
from handlers.chasing.subjects import Subject
from handlers.replies import Code, Note, Reply, para, reply
from storage.models import Case
from tests.bot.teams.cardcheck import assert_valid_card
from tests.bot.teams.conftest import TeamsHarness
from tests.formsamples import resolved, view_of


def texts(node: Any) -> list[str]:
    """The raw markdown of every TextBlock, as Teams receives it."""
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") == "TextBlock" else []
        return own + [t for k, v in node.items() if k != "msteams" for t in texts(v)]
    if isinstance(node, list):
        return [t for item in node for t in texts(item)]
    return []


def test_command_hints_are_bold_without_backticks_slash_or_a_hidden_space() -> None:
    shown = render_card(
        reply(
            para("Usage: ", Code("/tac invite @anna educational-psychologist")),
            Note(("Type `/tac help` for what you can do here; `request ep-advice from @anna`.",)),
            summary="Type `/tac help`",
        )
    )
    assert_valid_card(shown)
    usage, note = texts(shown["body"])
    assert usage == "Usage: **invite @anna educational-psychologist**"
    assert note == "Type **help** for what you can do here; **request ep-advice from @anna**."
    assert "`" not in usage + note and "\u200b" not in usage + note
    assert shown["fallbackText"] == "Type /tac help"


def test_user_text_stays_inert_and_fallbacks_are_plain_text() -> None:
    shown = render_card(Reply.text("Status of TAC-0001 (Robin) · *not bold* @channel see evil.example"))
    (text,) = texts(shown["body"])
    assert "\\*not bold\\*" in text and "@\u200bchannel" in text and "evil.\u200bexample" in text
    assert shown["fallbackText"] == "Status of TAC-0001 (Robin) · *not bold* @channel see evil.example"
    assert "\\" not in shown["fallbackText"]


def test_form_inputs_marked_required_with_headings_above_labels_and_errors_under_their_field() -> None:
    form = resolved("teacher-input")
    shown = card(view_of(form, {}), answers={"reading": "below"}, errors={"writing": "Choose one."})
    assert_valid_card(shown)
    body = shown["body"]
    inputs = {e["id"]: e for e in body if e["type"].startswith("Input.")}
    assert inputs["writing"]["isRequired"] is True
    assert inputs["writing"]["errorMessage"] == "Writing: please answer this question."
    assert "isRequired" not in inputs["attainment_notes"]  # optional
    headings = [e for e in body if e.get("type") == "TextBlock" and e.get("style") == "heading"]
    assert [h["size"] for h in headings[1:]] == ["Large"] * len(form.sections)
    at = next(i for i, e in enumerate(body) if e.get("id") == "writing")
    assert body[at + 1]["text"] == "Choose one." and body[at + 1]["color"] == "Attention"


async def test_a_teacher_is_refused_without_the_administrators_command(teams: TeamsHarness) -> None:
    refused = await teams.say("tom", "open Robin")
    assert "Only a SENCO can open a case." in refused
    assert "tacbot" not in refused and "senco add" not in refused
    sent = teams.connector.sent[-1].activity
    assert "\\" not in (sent.get("summary") or "")


async def test_the_consent_refusal_in_plain_words_and_the_request_summary(teams: TeamsHarness) -> None:
    await teams.say("sam", "open Robin")
    assert teams.graph is not None
    room = next(iter(teams.graph.channels))
    refused = await teams.say("sam", "invite @anna educational-psychologist", room=room)
    assert (
        "An educational psychologist can join only once consent covering education (or all) is recorded. "
        "Consent so far covers: nothing yet." in refused
    )
    await teams.say("sam", 'consent given by "Jo Taylor" scope all', room=room)
    await teams.say("sam", "invite @anna educational-psychologist", room=room)
    await teams.say("sam", "request ep-advice from @anna", room=room)
    summary = teams.connector.sent[-1].activity.get("summary") or ""
    assert summary == "Asked 1 person for Educational psychology advice on TAC-0001"
    assert [s for s in teams.connector.sent if "Requested ep-advice from 1" in str(s.activity)] == []


def test_chaser_dates_carry_the_year_when_it_is_not_this_one() -> None:
    case = Case(number=1, reference="TAC-0001", alias="Robin", route="sen-support", status="open")
    late = Subject(id=1, label="Action 1", open=True, due=date(2026, 12, 30), owner_id=1)
    soon = Subject(id=1, label="Action 1", open=True, due=date(2027, 1, 4), owner_id=1)
    old = chaser(kind="action", step="overdue-1", case=case, subject=late, today=date(2027, 1, 6))
    this = chaser(kind="action", step="before-2", case=case, subject=soon, today=date(2027, 1, 2))
    assert "was due Wed 30 Dec 2026 and is overdue" in old.summary
    assert "is due Mon 04 Jan." in this.summary
    told = escalation(case=case, subject=late, owner=None, today=date(2027, 1, 8))
    assert "was due Wed 30 Dec 2026 and is still open" in str(told.blocks)
