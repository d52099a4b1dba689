"""Requesting, filling in and reading input forms, through the console like the people of the school."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.console.forms import ask_questions
from bot.console.repl import run_repl
from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.forms import api
from handlers.forms.library import FormLibrary
from handlers.replies import Fields
from storage.models import AuditEvent, FormDraft, FormSubmission, InputRequest
from tests.handlers.forms.test_library import GOOD

pytestmark = pytest.mark.asyncio

EP = {
    "involvement": "Two visits in September; met Robin, his class teacher and his mum.",
    "assessments": "BAS3 verbal and non-verbal reasoning; classroom observation.",
    "child_views": "Robin says reading is 'too hard' but he loves maths <!channel>.",
    "parent_views": "Mum is worried about his confidence.",
    "strengths": "Persistent, kind, strong visual reasoning.",
    "primary_area": "cognition-learning",
    "outcomes": "Reads a short book aloud to an adult each week by July.",
    "provision": "Daily phonics, 20 minutes, small group, delivered by a trained TA.",
}


async def team(bot: ConsoleBot, route: str = "sen-support") -> str:
    await bot.exec("sam", f"/tac open Robin year 4 route {route}")
    room = "tac-0001"
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room=room)
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room=room)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=room)
    return room


def rows(bot: ConsoleBot, model: type) -> list:  # type: ignore[type-arg]
    with bot.core.db.transaction() as s:
        return list(s.scalars(select(model)).all())


async def test_forms_lists_the_ten(bot: ConsoleBot) -> None:
    room = await team(bot)
    text = await bot.exec("tom", "/tac forms", room=room)
    for form_id in ("ep-advice", "salt-advice", "pupil-voice", "preparation", "social-care-advice"):
        assert f"{form_id}" in text


async def test_request_sends_a_neutral_dm_with_an_open_form_button(bot: ConsoleBot) -> None:
    room = await team(bot)
    reply = await bot.exec("sam", "/tac request ep-advice from @anna due 15/12", room=room)
    assert reply == "Asked @anna for Educational psychology advice on TAC-0001, due Tue 15 Dec 2026."
    dm = bot.sent_to(user="anna")[-1]
    assert "Educational psychology advice for TAC-0001 (Robin)" in dm.text and "[Open form]" in dm.text
    assert "year 4" not in dm.text.lower()
    assert bot.form_requests("anna") == [str(rows(bot, InputRequest)[0].id)]


async def test_default_due_dates_follow_the_route(bot: ConsoleBot) -> None:
    room = await team(bot, route="ehc-assessment")
    assert "due Mon 26 Oct 2026" in await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    await bot.exec("sam", "/tac open Ash")
    await bot.exec("sam", "/tac invite @tom class-teacher", room="tac-0002")
    reply = await bot.exec("sam", "/tac request teacher-input from @tom", room="tac-0002")
    assert "due Mon 28 Sep 2026" in reply  # two weeks


async def test_request_from_team_asks_everyone_but_the_key_worker(bot: ConsoleBot) -> None:
    room = await team(bot)
    reply = await bot.exec("sam", "/tac request preparation from team", room=room)
    assert "Asked @anna, @tom for Preparation" in reply
    assert {r.requested_of_id for r in rows(bot, InputRequest)} and len(rows(bot, InputRequest)) == 2
    again = await bot.exec("sam", "/tac request preparation from team", room=room)
    assert "Already asked, still open: @anna, @tom" in again and len(rows(bot, InputRequest)) == 2


async def test_request_refusals_change_nothing(bot: ConsoleBot) -> None:
    room = await team(bot)
    assert "not on the team" in await bot.exec("sam", "/tac request ep-advice from @dan", room=room)
    assert "no form called ep-adv" in await bot.exec("sam", "/tac request ep-adv from @anna", room=room)
    assert "Only the key worker" in await bot.exec("tom", "/tac request ep-advice from @anna", room=room)
    assert "in the past" in await bot.exec(
        "sam", "/tac request ep-advice from @anna due 2026-01-01", room=room
    )
    assert "can't find" in await bot.exec("dan", "/tac request ep-advice from @anna case TAC-0001")
    assert rows(bot, InputRequest) == [] and bot.form_requests("anna") == []


async def test_someone_not_asked_gets_a_polite_refusal_and_nothing_opens(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    rid = bot.form_requests("anna")[0]
    for who in ("tom", "dan", "jo"):
        assert "this form was not sent to you" in await bot.press(who, "form.open", rid)
        assert "this form was not sent to you" in await bot.fill_form(who, rid, EP)
    assert "this form was not sent to you" in await bot.press("dan", "form.open", "99999")
    assert "this form was not sent to you" in await bot.press("dan", "form.open", "1; drop table")
    assert rows(bot, FormSubmission) == []
    await bot.exec("sam", "/tac remove @anna", room=room)
    assert "this form was not sent to you" in await bot.fill_form("anna", rid, EP)
    assert rows(bot, InputRequest)[0].state == "cancelled"
    assert "cancelled" in await bot.fill_form("sam", rid, EP)  # nothing left to fill in


async def test_withdrawn_consent_cancels_the_requests_of_those_it_removes(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request preparation from team", room=room)
    await bot.exec("sam", '/tac consent withdrawn by "Jo Taylor" scope all', room=room)
    states = {r.requested_of_id: r.state for r in rows(bot, InputRequest)}
    assert sorted(states.values()) == ["cancelled", "open"]  # anna (EP) cancelled; tom (staff) stays
    assert "input.cancelled" in [a.action for a in rows(bot, AuditEvent)]


async def test_submit_stores_a_version_and_posts_a_notice_without_answers(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    rid = bot.form_requests("anna")[0]
    text = await bot.fill_form("anna", rid, EP)
    assert text == "Thank you. Educational psychology advice for TAC-0001 (Robin) is submitted."
    summary = bot.sent_to(room="tac-0001")[-1]
    assert "Educational psychology advice from @anna · Mon 14 Sep 2026 09:30" in summary.text
    assert "Persistent, kind" not in summary.text and "Strengths" not in summary.text
    assert "input 1" in summary.text
    assert not summary.reply.private
    assert not any(isinstance(block, Fields) for block in summary.reply.blocks)
    (request,) = rows(bot, InputRequest)
    assert request.state == "submitted"
    assert [a.action for a in rows(bot, AuditEvent)][-1] == "input.submitted"


async def test_missing_and_bad_answers_are_refused_per_field(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    rid = bot.form_requests("anna")[0]
    text = await bot.fill_form("anna", rid, {**EP, "strengths": "", "next_contact": "soon"})
    assert "Strengths and interests: Please answer this question." in text
    assert "Date of your next planned contact: Enter a date like 2026-12-15." in text
    assert "strengths:" not in text and "next_contact" not in text
    assert rows(bot, FormSubmission) == [] and rows(bot, InputRequest)[0].state == "open"
    reply = await bot.press("anna", "form.submit", rid, inputs={"involvement": "x"})
    assert "Some answers need another look" in reply and "Outcomes sought: Please answer" in reply


async def test_versions_are_kept_and_the_key_worker_reads_them(bot: ConsoleBot, clock: ManualClock) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=room)
    await bot.exec("sam", "/tac request teacher-input from @tom", room=room)
    rid = bot.form_requests("anna")[0]
    await bot.fill_form("anna", rid, EP)
    clock.advance(timedelta(days=1))
    text = await bot.fill_form("anna", rid, {**EP, "outcomes": "Reads a book aloud every week."})
    assert "(version 2)" in text
    assert [s.version for s in rows(bot, FormSubmission)] == [1, 2]
    assert "Inputs: 1 awaited" in await bot.exec("tom", "/tac status", room=room)
    listing = await bot.exec("sam", "/tac inputs", room=room)
    assert "1. Educational psychology advice · @anna · 15 Sep · 2 versions" in listing
    assert "2. Class teacher input · @tom · due 28 Sep" in listing
    full = await bot.exec("sam", "/tac input 1", room=room)
    assert "Version: 2 of 2" in full and "Outcomes sought: Reads a book aloud every week." in full
    assert "Version 2, 15 Sep 09:30: changed Outcomes sought" in full
    assert "Main area of need: Cognition and learning" in full
    assert "not in yet" in await bot.exec("sam", "/tac input 2", room=room)
    assert "Only the key worker" in await bot.exec("tom", "/tac inputs", room=room)
    assert "Version: 2 of 2" in await bot.exec("anna", "/tac input 1", room=room)  # its author
    assert "Only the key worker" in await bot.exec("tom", "/tac input 1", room=room)
    assert "has no input 9" in await bot.exec("sam", "/tac input 9", room=room)
    # the key worker may open (and so read) what came back; the view is filled with the last version
    view = api.open_form(bot.core, bot.actor("sam"), rid)
    assert view.version == 2 and view.answers["outcomes"] == "Reads a book aloud every week."


async def test_a_draft_is_kept_and_reopened(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request parent-views from @tom", room=room)
    rid = bot.form_requests("tom")[0]
    reply = await bot.press("tom", "form.draft", rid, inputs={"about": "Loves trains", "contact": "fax"})
    assert "Draft saved" in reply
    view = api.open_form(bot.core, bot.actor("tom"), rid)
    assert view.from_draft and view.answers == {"about": "Loves trains"}
    assert "can't open" in await bot.press("anna", "form.draft", rid, inputs={"about": "x"})
    await bot.fill_form("tom", rid, {"about": "Loves trains", "worries": "Sleep", "hopes": "Friends"})
    assert rows(bot, FormDraft) == []


async def test_the_console_asks_the_questions_one_by_one(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request preparation from @tom", room=room)
    rid = bot.form_requests("tom")[0]
    typed = iter(
        [
            "Tom Reid and Mum",  # knows_best
            "Drawing",  # strengths
            "",  # most_successful: required, so asked again at once
            "Mornings, one to one",  # most_successful
            "Reading aloud",  # concerns
            "1,transitions",  # contexts: by number and by label
            "",  # details
            "2",  # conveyed
            "In the case room, team only",  # recorded_shared
            "y",  # parents_informed
            "1/10/2026",  # review_on, day first
        ]
    )
    out = io.StringIO()

    async def read(prompt: str) -> str:
        out.write(prompt)
        return next(typed)

    text = await ask_questions(bot.core, bot.actor("tom"), rid, read, out.write)
    assert text.startswith("Thank you. Preparation before a specialist's first visit")
    assert "When is the pupil most successful?: Please answer this question." in out.getvalue()
    assert "most_successful" not in out.getvalue()  # questions by their label, never the field id
    assert "  1. Lessons" in out.getvalue()
    (sub,) = rows(bot, FormSubmission)
    assert sub.answers["concern_contexts"] == ["lessons", "transitions"]
    assert sub.answers["conveyed"] == ["report"] and sub.answers["parents_informed"] is True
    assert sub.answers["most_successful"] == "Mornings, one to one"
    assert sub.answers["review_on"] == "2026-10-01"


async def test_a_school_form_can_be_requested(bot: ConsoleBot, tmp_path: Path) -> None:
    folder = tmp_path
    (folder / "reading-recovery.yaml").write_text(GOOD, "utf-8")
    bot.core.forms = FormLibrary.load(folder)
    room = await team(bot)
    assert "Asked @tom for Reading recovery notes" in await bot.exec(
        "sam", "/tac request reading-recovery from @tom", room=room
    )
    rid = bot.form_requests("tom")[0]
    assert "submitted" in await bot.fill_form("tom", rid, {"book_level": "red"})


async def test_the_repl_opens_a_form_and_asks_its_questions(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request pupil-voice from @tom", room=room)
    (rid,) = bot.form_requests("tom")
    assert f"(console: :form {rid})" in bot.sent_to(user="tom")[-1].text
    answers = [
        "1,4",  # people say I am: kind, a good friend
        "",  # admire
        "",  # important choices
        "Lego",  # important
        "5",  # how I feel about school
        "",
        "",
        "1",  # a quiet place
        "",
        "Read a chapter book",  # goals
        "Mr Reid, class teacher",  # helped_by
        "1,5",  # talking, drawing
        "2026-09-14",  # gathered_on
    ]
    stdin = io.StringIO("\n".join([":as dan", f":form {rid}", ":as tom", f":form {rid}", *answers]) + "\n")
    out = io.StringIO()
    assert await run_repl(bot.core, bot.platform, stdin=stdin, out=out) == 0
    text = out.getvalue()
    assert "this form was not sent to you" in text
    assert "How I feel about school (required)" in text and "5. 😀 Really good" in text
    assert "Thank you. Pupil voice (one-page profile) for TAC-0001 (Robin) is submitted." in text
    (sub,) = rows(bot, FormSubmission)
    assert sub.answers["admire_choices"] == ["kind", "good-friend"] and sub.answers["feel_school"] == 5
    assert sub.answers["methods"] == ["conversation", "drawing"]


async def _questions(bot: ConsoleBot, rid: str, typed: list[str]) -> tuple[str, str]:
    lines = iter(typed)
    out = io.StringIO()

    async def read(prompt: str) -> str:
        out.write(prompt)
        return next(lines)

    text = await ask_questions(bot.core, bot.actor("tom"), rid, read, out.write)
    return text, out.getvalue()


async def test_console_answers_are_checked_as_typed_and_back_goes_back(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request teacher-input from @tom", room=room)
    (rid,) = bot.form_requests("tom")
    text, shown = await _questions(
        bot,
        rid,
        [
            "7",  # reading: no option 7
            "below age-related expectations",  # reading, by its label
            "3",  # writing
            ":back",  # back to writing
            "Well below age-related expectations",  # writing again
            "at",  # maths, by value
            "",  # attainment notes: not required
            "lots",  # attendance: not a number
            "96",
            ":cancel",  # strengths: stop, keeping what was typed
        ],
    )
    assert "(a number or the words)" in shown and ":back    go back a question" in shown
    assert ":cancel  stop; what you typed is kept as a draft" in shown
    assert "Reading: Choose one of the options given." in shown
    assert "Attendance this year (%): Enter a number." in shown
    assert shown.count("Writing (required)") == 2
    assert "kept as a draft" in text and rows(bot, FormSubmission) == []
    (draft,) = rows(bot, FormDraft)
    assert draft.answers == {"reading": "below", "writing": "well-below", "maths": "at", "attendance": 96}
    # Opening the form again starts from the draft.
    _, shown = await _questions(bot, rid, [":draft"])
    assert "[now: Below age-related expectations; press Enter to keep it]" in shown


async def test_console_dates_are_read_day_first_with_or_without_the_year(bot: ConsoleBot) -> None:
    room = await team(bot)
    await bot.exec("sam", "/tac request pupil-voice from @tom", room=room)
    (rid,) = bot.form_requests("tom")
    form = bot.core.forms.get("pupil-voice")
    assert form is not None
    typed = []
    for f in form.fields:
        if f.type == "date":
            typed += ["31/02/2026", "14/9"]  # not a day in the calendar, then day/month of this year
        elif f.required and f.choices:
            typed.append("1")
        elif f.required:
            typed.append("An answer")
        else:
            typed.append("")
    text, shown = await _questions(bot, rid, typed)
    assert "submitted" in text, shown
    (sub,) = rows(bot, FormSubmission)
    year = bot.core.clock.now().year
    assert sub.answers["gathered_on"] == f"{year}-09-14"
    assert "Enter a date like" in shown
